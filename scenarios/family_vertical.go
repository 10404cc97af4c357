package scenarios

import (
	"fmt"
	"slices"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// VerticalSpec is a vertical strategy's keys: one instance behind the load
// balancer, moved up and down a ladder of instance types by CPU alarms
// (docs/aws-behaviour.md §4). A resize is an outage (stop_start) or runs
// both types for a while (blue_green); a failed instance is restarted in
// place.
type VerticalSpec struct {
	// Initial is the starting rung: a type of the ladder (default the
	// first).
	Initial Initial `yaml:"initial"`
	// Ladder lists the instance types to resize between, in ascending
	// vCPUs (GPUs for a GPU-bound model, service.workers_per_gpu),
	// MinLadder to MaxLadder known types; required.
	Ladder []string `yaml:"ladder"`
	// Resize is stop_start (the default: stop, change type, start; a full
	// outage, docs/aws-behaviour.md §4.1) or blue_green (launch the new
	// type beside the old, shift traffic, drain the old).
	Resize string `yaml:"resize"`
	// StopTime is how long stop_start takes to stop the instance, a
	// distribution block like service.time (default deterministic 60s:
	// stop takes about 30-90 s, §4.1).
	StopTime TimeSpec `yaml:"stop_time"`
	// ScaleUpCPU and ScaleDownCPU are the CPU percentages above which the
	// instance grows a rung and below which it shrinks one (defaults 70 and
	// 30; 0 < down < up <= 100).
	ScaleUpCPU   float64 `yaml:"scale_up_cpu"`
	ScaleDownCPU float64 `yaml:"scale_down_cpu"`
	// UpDatapoints and DownDatapoints are the alarms' M of M one-minute
	// datapoints (defaults 3 and 15; 1 to strategies.MaxEvaluationPeriods).
	UpDatapoints   int `yaml:"up_datapoints"`
	DownDatapoints int `yaml:"down_datapoints"`
	// Cooldown is the wait after a resize finishes (default 300s; 0 to
	// strategies.MaxCooldown).
	Cooldown sim.Duration `yaml:"cooldown"`

	stopTime models.Sampler // stop_time, built by Check
}

// Check implements FamilySpec: the ladder and the alarms; then the
// strategy is built once so that whatever strategies.NewVertical rejects is
// reported at load time.
func (s *VerticalSpec) Check(c *Checker) error {
	if err := c.Required("ladder", "list the instance types to resize between, smallest first"); err != nil {
		return err
	}
	if len(s.Ladder) < MinLadder || len(s.Ladder) > MaxLadder {
		return c.Error("ladder", fmt.Sprintf("must list %d to %d instance types (got %d)", MinLadder, MaxLadder, len(s.Ladder)), "list the sizes to resize between, smallest first")
	}
	// The slots, and so the capacity, grow with the processors that carry
	// them: vCPUs, or GPUs for a GPU-bound model, whose g5.16xlarge (one
	// GPU) is smaller than g5.12xlarge (four; docs/aws-behaviour.md §4.2).
	sizing, prev := c.SlotSizing(), 0
	hint := "list the types smallest first, one per size (see scalesim catalog)"
	if sizing.GPUBound() {
		hint = "a GPU-bound model grows only with GPUs: list the types fewest GPUs first, one per GPU count (see scalesim catalog)"
	}
	for j, name := range s.Ladder {
		if err := c.InstanceType(item("ladder", j), name); err != nil {
			return err
		}
		t, _ := c.Catalog().Lookup(name)
		n := sizing.Processors(t)
		if n <= prev {
			return c.Error(item("ladder", j), fmt.Sprintf("the ladder must ascend by %s: %s has %d, %s before it %d", sizing.ProcessorName(), name, n, s.Ladder[j-1], prev), hint)
		}
		prev = n
	}
	if !c.Has("initial") {
		s.Initial = Initial(s.Ladder[0])
	}
	if !slices.Contains(s.Ladder, string(s.Initial)) {
		return c.Error("initial", fmt.Sprintf("%q is not on the ladder", clip(string(s.Initial))), "start from one of "+orList(s.Ladder))
	}
	if !c.Has("resize") {
		s.Resize = "stop_start"
	}
	if err := c.OneOf("resize", "resize mode", s.Resize, resizeModes()); err != nil {
		return err
	}
	stop, err := c.Dist("stop_time", &s.StopTime, &TimeSpec{Dist: "deterministic", Value: DefaultStopTime}, MaxLifecycleMean)
	if err != nil {
		return err
	}
	s.stopTime = stop
	c.DefaultFloat("scale_up_cpu", &s.ScaleUpCPU, strategies.DefaultScaleUpCPU)
	c.DefaultFloat("scale_down_cpu", &s.ScaleDownCPU, strategies.DefaultScaleDownCPU)
	if !(s.ScaleUpCPU > 0 && s.ScaleUpCPU <= 100) {
		return c.Error("scale_up_cpu", fmt.Sprintf("must be a percentage in (0, 100] (got %s)", num(s.ScaleUpCPU)), "the instance grows a rung above it (default 70)")
	}
	if !(s.ScaleDownCPU > 0 && s.ScaleDownCPU < s.ScaleUpCPU) {
		return c.Error("scale_down_cpu", fmt.Sprintf("must be above 0 and below scale_up_cpu (%s) (got %s)", num(s.ScaleUpCPU), num(s.ScaleDownCPU)),
			"the instance shrinks a rung below it (default 30); a small value such as 1 nearly never shrinks")
	}
	if err := c.datapoints("up_datapoints", &s.UpDatapoints, strategies.DefaultUpDatapoints); err != nil {
		return err
	}
	if err := c.datapoints("down_datapoints", &s.DownDatapoints, strategies.DefaultDownDatapoints); err != nil {
		return err
	}
	c.DefaultDuration("cooldown", &s.Cooldown, strategies.DefaultVerticalCooldown)
	if err := c.Between("cooldown", s.Cooldown, 0, strategies.MaxCooldown, "the wait after a resize (default 300s)"); err != nil {
		return err
	}
	if _, err := strategies.NewVertical(s.config(c.name)); err != nil {
		return c.FieldError(err, nil) // the checks above leave NewVertical nothing to refuse
	}
	return nil
}

// config converts the checked keys of strategy name for the strategies
// package.
func (s *VerticalSpec) config(name string) strategies.VerticalConfig {
	cd := s.Cooldown
	return strategies.VerticalConfig{Name: name, Ladder: s.Ladder, Initial: string(s.Initial),
		ScaleUpCPU: s.ScaleUpCPU, ScaleDownCPU: s.ScaleDownCPU,
		UpDatapoints: s.UpDatapoints, DownDatapoints: s.DownDatapoints, Cooldown: &cd}
}

// resizeModes are the values of resize.
func resizeModes() []string { return []string{"stop_start", "blue_green"} }

// Plan implements FamilySpec: CPU alarms over one resizable instance
// behind the load balancer.
func (s *VerticalSpec) Plan(env PlanEnv) (Plan, error) {
	pol, err := strategies.NewVertical(s.config(env.Name))
	if err != nil {
		return Plan{}, err
	}
	mode := models.StopStart
	if s.Resize == "blue_green" {
		mode = models.BlueGreen
	}
	return Plan{Policy: pol, Fleet: models.Resizable{Mode: mode, StopTime: s.stopTime}, Door: env.LoadBalancer}, nil
}

// Notes implements FamilySpec: the minutes the instance needed a larger
// type than the ladder has.
func (s *VerticalSpec) Notes(policy strategies.Strategy, _ *reports.StrategySummary) []string {
	v, ok := policy.(*strategies.Vertical)
	if !ok || v.CeilingHits() == 0 {
		return nil
	}
	minutes := "minutes"
	if v.CeilingHits() == 1 {
		minutes = "minute"
	}
	return []string{fmt.Sprintf("ceiling: the ladder's top (%s) was reached and CPU stayed above %s%% for %d %s",
		s.Ladder[len(s.Ladder)-1], num(s.ScaleUpCPU), v.CeilingHits(), minutes)}
}

// Story implements FamilySpec: the default story (the downtime of its
// resizes is told from their events).
func (s *VerticalSpec) Story(*reports.StrategySummary) *reports.Story { return nil }
