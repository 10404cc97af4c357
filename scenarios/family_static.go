package scenarios

import (
	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/strategies"
)

// StaticSpec is a static strategy's keys: a fixed fleet behind the load
// balancer, the baseline the other families are compared with. It is run
// as an Auto Scaling group whose desired capacity never changes, so a
// failed instance is replaced.
type StaticSpec struct {
	InstanceType string `yaml:"instance_type"` // required
	Count        int    `yaml:"count"`         // 1 to MaxFleet; required
}

// Check implements FamilySpec.
func (s *StaticSpec) Check(c *Checker) error {
	if err := c.InstanceType("instance_type", s.InstanceType); err != nil {
		return err
	}
	if err := c.Required("count", "set the number of instances, e.g. count: 4"); err != nil {
		return err
	}
	return c.Count("count", s.Count, 1, MaxFleet, "")
}

// Plan implements FamilySpec.
func (s *StaticSpec) Plan(env PlanEnv) (Plan, error) {
	st, err := strategies.NewStatic(env.Name, s.InstanceType, s.Count)
	if err != nil {
		return Plan{}, err
	}
	return Plan{Policy: st, Fleet: models.Group{}, Door: env.LoadBalancer}, nil
}

// Notes implements FamilySpec: a static fleet has nothing to remark.
func (s *StaticSpec) Notes(strategies.Strategy, *reports.StrategySummary) []string { return nil }

// Story implements FamilySpec: the default story.
func (s *StaticSpec) Story(*reports.StrategySummary) *reports.Story { return nil }
