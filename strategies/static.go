package strategies

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// fixedFleet is a fleet that never changes: count instances of one type,
// in service from the start. Static and Consumers are such fleets.
type fixedFleet struct {
	name         string
	instanceType string
	count        int
	reason       string // of the initial decision
}

// newFixedFleet checks a fixed fleet's size and type; what names the
// family in errors ("static strategy asg").
func newFixedFleet(what, name, instanceType string, count int, reason string) (fixedFleet, error) {
	if count < 1 {
		return fixedFleet{}, fmt.Errorf("%s %s: count must be at least 1, got %d", what, name, count)
	}
	if instanceType == "" {
		return fixedFleet{}, fmt.Errorf("%s %s: instance type is empty", what, name)
	}
	return fixedFleet{name: name, instanceType: instanceType, count: count, reason: reason}, nil
}

// Name implements Strategy.
func (f *fixedFleet) Name() string { return f.name }

// Interval implements Strategy: a fixed fleet never decides again.
func (f *fixedFleet) Interval() sim.Duration { return 0 }

// Initial implements Strategy.
func (f *fixedFleet) Initial() Decision {
	return Decision{Desired: f.count, InstanceType: f.instanceType, Reason: f.reason}
}

// Decide implements Strategy: the desired state never changes.
func (f *fixedFleet) Decide(Observation) Decision { return f.Initial() }

// Static is a fixed fleet: Count instances of one type behind the load
// balancer, in service from the start, never changed. It is the baseline
// every other family is compared to.
type Static struct{ fixedFleet }

// NewStatic returns a fixed fleet of count instances of instanceType.
func NewStatic(name, instanceType string, count int) (*Static, error) {
	f, err := newFixedFleet("static strategy", name, instanceType, count, "static fleet")
	if err != nil {
		return nil, err
	}
	return &Static{f}, nil
}
