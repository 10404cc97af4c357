package strategies

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// Static is a fixed fleet: Count instances of one type, in service from the
// start, never changed. It is the baseline every other family is compared to.
type Static struct {
	name         string
	instanceType string
	count        int
}

// NewStatic returns a fixed fleet of count instances of instanceType.
func NewStatic(name, instanceType string, count int) (*Static, error) {
	if count < 1 {
		return nil, fmt.Errorf("static strategy %s: count must be at least 1, got %d", name, count)
	}
	if instanceType == "" {
		return nil, fmt.Errorf("static strategy %s: instance type is empty", name)
	}
	return &Static{name: name, instanceType: instanceType, count: count}, nil
}

// Name implements Strategy.
func (s *Static) Name() string { return s.name }

// Family implements Strategy.
func (s *Static) Family() string { return "static" }

// Interval implements Strategy: a static fleet never decides again.
func (s *Static) Interval() sim.Duration { return 0 }

// Initial implements Strategy.
func (s *Static) Initial() Decision {
	return Decision{Desired: s.count, InstanceType: s.instanceType, Reason: "static fleet"}
}

// Decide implements Strategy: the desired state never changes.
func (s *Static) Decide(Observation) Decision { return s.Initial() }
