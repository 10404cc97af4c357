package strategies

import (
	"errors"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// twoTT is a group with a cpu policy (target 50) and a request count
// policy (target 1000 per instance per minute).
func twoTT(t *testing.T, rptDisableScaleIn bool) *Horizontal {
	return group(t, 1, 100, 10, ttCPU(50),
		PolicyConfig{Type: PolicyTargetTracking, Metric: "request_count_per_target", Target: 1000, DisableScaleIn: rptDisableScaleIn})
}

func TestHorizontalMultiplePolicies(t *testing.T) {
	cases := []struct {
		name      string
		noRPTIn   bool // the request count policy has scale-in disabled
		ticks     []tick
		want      []int
		reasonHas string // in the last decision's reason
	}{
		{
			name:  "scale out if any policy wants to",
			ticks: repeat(3, tick{inst: 10, cpu: 75, rpt: 950}),
			want:  []int{10, 10, 15}, reasonHas: "target tracking cpu: AlarmHigh",
			// Reference: docs/aws-behaviour.md §1.2 (multiple target tracking policies: out if any)
		},
		{
			name:  "both want out: the larger capacity wins",
			ticks: repeat(3, tick{inst: 10, cpu: 75, rpt: 1800}),
			want:  []int{10, 10, 18}, reasonHas: "target tracking request_count_per_target: AlarmHigh",
			// Reference: docs/aws-behaviour.md §1.2 (out if any), §1.7 (the group takes the maximum)
		},
		{
			name:  "one wants out, the other in: out",
			ticks: repeat(15, tick{inst: 10, cpu: 75, rpt: 100}),
			want:  ints(2, 10, ints(13, 15)...), reasonHas: "hold at 15",
			// Reference: docs/aws-behaviour.md §1.2 (out if any; in only if all)
		},
		{
			name:  "scale in only if all agree: cpu low, requests near target",
			ticks: repeat(16, tick{inst: 10, cpu: 20, rpt: 950}),
			want:  ints(16, 10), reasonHas: "held: target tracking request_count_per_target does not agree",
			// Reference: docs/aws-behaviour.md §1.2 (scale in only if all policies agree)
		},
		{
			name:  "both low: in, to the larger of the two capacities",
			ticks: repeat(15, tick{inst: 10, cpu: 20, rpt: 500}),
			want:  ints(14, 10, 5), reasonHas: "request_count_per_target: AlarmLow", // cpu wants 4, requests 5
			// Reference: docs/aws-behaviour.md §1.2 (in only if all agree), §1.7 (maximum)
		},
		{
			name:    "a policy with scale-in disabled does not block the others",
			noRPTIn: true,
			ticks:   repeat(15, tick{inst: 10, cpu: 20, rpt: 950}),
			want:    ints(14, 10, 4), reasonHas: "target tracking cpu: AlarmLow",
			// Reference: docs/aws-behaviour.md §1.2 (only policies with scale-in enabled must agree)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := drive(t, twoTT(t, c.noRPTIn), c.ticks)
			checkDesired(t, ds, c.want)
			checkLastReason(t, ds, c.reasonHas)
		})
	}
}

// floorPolicy is a stub predictive-like policy holding the group at or
// above a fixed capacity.
type floorPolicy struct{ floor int }

func (f floorPolicy) Name() string       { return "floor" }
func (f floorPolicy) JointScaleIn() bool { return false }
func (f floorPolicy) Propose(obs Observation, b Bounds) Proposal {
	p := Proposal{Floor: f.floor, Reason: "floor"}
	if f.floor > obs.Fleet.Desired {
		p.Vote, p.Desired = ScaleOut, b.Clamp(f.floor)
	}
	return p
}

func TestHorizontalMixedTypesTakeTheMaximum(t *testing.T) {
	cases := []struct {
		name  string
		floor int
		ticks []tick
		want  []int
	}{
		{
			name: "dynamic wants 15, the forecast 12: 15", floor: 12,
			ticks: repeat(3, tick{inst: 10, cpu: 75}),
			want:  []int{12, 12, 15},
			// Reference: docs/aws-behaviour.md §1.2, §1.7 (mixed types: the group uses the maximum)
		},
		{
			name: "dynamic wants to scale in to 4, the forecast holds 8", floor: 8,
			ticks: repeat(15, tick{inst: 10, cpu: 20}),
			want:  ints(14, 10, 8),
			// Reference: docs/aws-behaviour.md §1.7 (predictive never scales in; the group takes the max)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := group(t, 1, 100, 10, ttCPU(50))
			h.policies = append(h.policies, floorPolicy{c.floor})
			checkDesired(t, drive(t, h, c.ticks), c.want)
		})
	}
}

func TestHorizontalStrategy(t *testing.T) {
	h := group(t, 2, 40, 0, ttCPU(50))
	if h.Name() != "asg" || h.Interval() != sim.Minute {
		t.Errorf("name %q interval %v", h.Name(), h.Interval())
	}
	if d := h.Initial(); d.Desired != 2 || d.InstanceType != "m5.xlarge" {
		t.Errorf("Initial = %+v, want 2 × m5.xlarge (initial defaults to min)", d)
	}
	var _ Strategy = h
	var _ Strategy = &Vertical{}
	// Reference: docs/aws-behaviour.md §1.1
}

func TestHorizontalValidation(t *testing.T) {
	ok := []PolicyConfig{ttCPU(50)}
	cases := []struct {
		name  string
		cfg   HorizontalConfig
		field string
		msg   string
	}{
		{"max below min", HorizontalConfig{Min: 5, Max: 3, Policies: ok}, "max", "must be at least 1 and at least min (5) (got 3)"},
		{"max zero", HorizontalConfig{Max: 0, Policies: ok}, "max", "got 0"},
		{"negative min", HorizontalConfig{Min: -1, Max: 3, Policies: ok}, "min", "must be >= 0"},
		{"initial out of range", HorizontalConfig{Min: 1, Max: 3, Initial: 4, Policies: ok}, "initial", "must be from min (1) to max (3) (got 4)"},
		{"no policies", HorizontalConfig{Min: 1, Max: 3}, "policies", "must have 1 to 50 policies (got 0)"},
		{"unknown policy", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{{Type: "magic"}}}, "policies.0.type", `unknown policy type "magic"`},
		{"missing target", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{{Type: PolicyTargetTracking, Metric: "cpu"}}}, "policies.0.target", "must be > 0 (got 0)"},
		{"cpu target above 100", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{ttCPU(150)}}, "policies.0.target", "at most 100"},
		{"unknown metric", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{{Type: PolicyTargetTracking, Metric: "mem", Target: 1}}}, "policies.0.metric", `unknown metric "mem"`},
		{"scale-in factor", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{{Type: PolicyTargetTracking, Metric: "cpu", Target: 50, ScaleInFactor: 1.5}}}, "policies.0.scale_in_factor", "must be in (0, 1]"},
		{"warm-up range", HorizontalConfig{Min: 1, Max: 3, Policies: ok, DefaultInstanceWarmup: ptr(2 * sim.Hour)}, "instance_warmup", "must be from 0 to 1h0m0s"},
		{"scheduling buffer", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{predictive(ptr(sim.Hour))}}, "policies.0.scheduling_buffer_time", "less than 1h0m0s"},
		{"predictive mode", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{{Type: PolicyPredictive, Metric: "cpu", Target: 50, Mode: "maybe"}}}, "policies.0.mode", `got "maybe"`},
		{"second policy", HorizontalConfig{Min: 1, Max: 3, Policies: []PolicyConfig{ttCPU(50), {Type: PolicySimple, Metric: "cpu", Comparison: ">", AdjustmentType: "exact_capacity", Adjustment: -2}}}, "policies.1.adjustment", "an exact capacity must be >= 0"},
	}
	for _, c := range cases {
		c.cfg.Name, c.cfg.InstanceType = "asg", "m5.large"
		_, err := NewHorizontal(c.cfg)
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error %v is not a *FieldError", c.name, err)
			continue
		}
		if fe.Field != c.field || !strings.Contains(fe.Msg, c.msg) {
			t.Errorf("%s: error field %q msg %q, want field %q msg containing %q", c.name, fe.Field, fe.Msg, c.field, c.msg)
		}
		if !strings.HasPrefix(err.Error(), "horizontal strategy asg: "+c.field+": ") {
			t.Errorf("%s: error %q does not start with the strategy and field", c.name, err)
		}
	}
	// Reference: docs/aws-behaviour.md §1.1 (min <= desired <= max; quotas), §1.3, §1.7
}

func TestInstanceWarmup(t *testing.T) {
	d := func(s int) *sim.Duration { return ptr(sim.Duration(s) * sim.Second) }
	cases := []struct {
		name                  string
		estimated, groupValue *sim.Duration
		cooldown              sim.Duration
		want                  sim.Duration
	}{
		{"policy's estimate wins", d(120), d(60), DefaultCooldown, 120 * sim.Second},
		{"then the group default", nil, d(60), DefaultCooldown, 60 * sim.Second},
		{"a group default of 0 is set", nil, d(0), DefaultCooldown, 0},
		{"a cleared group default (-1) falls through", nil, d(-1), DefaultCooldown, DefaultCooldown},
		{"then the default cooldown", nil, nil, DefaultCooldown, 300 * sim.Second},
		{"the group's own cooldown", nil, nil, 90 * sim.Second, 90 * sim.Second},
	}
	for _, c := range cases {
		if got := InstanceWarmup(c.estimated, c.groupValue, c.cooldown); got != c.want {
			t.Errorf("%s: InstanceWarmup = %v, want %v", c.name, got, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.3 (EstimatedInstanceWarmup → DefaultInstanceWarmup → DefaultCooldown)

	groups := []struct {
		name string
		cfg  HorizontalConfig
		want sim.Duration
	}{
		{"target tracking, nothing set", HorizontalConfig{Policies: []PolicyConfig{ttCPU(50)}}, 300 * sim.Second},
		{"largest policy estimate", HorizontalConfig{DefaultInstanceWarmup: d(30), Policies: []PolicyConfig{
			ttCPU(50), {Type: PolicyTargetTracking, Metric: "in_flight", Target: 4, EstimatedInstanceWarmup: d(200)}}}, 200 * sim.Second},
		{"predictive only, group default set", HorizontalConfig{DefaultInstanceWarmup: d(45), Policies: []PolicyConfig{predictive(nil)}}, 45 * sim.Second},
		{"predictive only, nothing set", HorizontalConfig{Policies: []PolicyConfig{predictive(nil)}}, 0},
	}
	for _, g := range groups {
		g.cfg.Name, g.cfg.InstanceType, g.cfg.Min, g.cfg.Max = "asg", "m5.large", 1, 10
		h, err := NewHorizontal(g.cfg)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if got := h.InstanceWarmup(); got != g.want {
			t.Errorf("%s: group warm-up %v, want %v", g.name, got, g.want)
		}
	}
}

// Policies of different types combine as the Auto Scaling user guide says
// ("Multiple dynamic scaling policies",
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scale-based-on-demand.html;
// target tracking,
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html):
// only target tracking policies must agree to scale in, step and simple
// policies act on their own alarms, and of the policies acting at once the
// largest capacity wins.
func TestHorizontalPolicyTypes(t *testing.T) {
	stepIn := func(metric string, threshold float64, adjustment, periods int) PolicyConfig {
		return PolicyConfig{Type: PolicyStep, Metric: metric, Threshold: threshold, Comparison: "<",
			AdjustmentType: "change_in_capacity", EvaluationPeriods: periods,
			Steps: []StepConfig{{Upper: ptr(0.0), Adjustment: adjustment}}}
	}
	cases := []struct {
		name      string
		policies  []PolicyConfig
		ticks     []tick
		want      []int
		reasonHas string // in the last decision's reason
	}{
		{
			name:     "target tracking scales in beside a step scale-in policy that has not fired",
			policies: []PolicyConfig{ttCPU(50), stepIn("cpu", 10, -1, 1)},
			ticks:    repeat(15, tick{inst: 10, cpu: 20}),
			want:     ints(14, 10, 4), reasonHas: "target tracking cpu: AlarmLow",
			// Reference: docs/aws-behaviour.md §1.2 (only target tracking policies must agree on scale-in)
		},
		{
			name:     "a step scale-in acts on its own alarm while target tracking holds",
			policies: []PolicyConfig{ttCPU(50), stepIn("cpu", 30, -2, 1)},
			ticks:    repeat(3, tick{inst: 10, cpu: 25}),
			want:     []int{8, 6, 4}, reasonHas: "step scaling cpu < 30",
			// Reference: docs/aws-behaviour.md §1.2 (step policies act on their own alarms), §1.4 (no cooldown)
		},
		{
			name:     "a step scale-in and a target tracking scale-out at once: the larger capacity wins",
			policies: []PolicyConfig{ttCPU(50), stepIn("request_count_per_target", 500, -3, 1)},
			ticks:    repeat(3, tick{inst: 10, cpu: 75, rpt: 100}),
			want:     []int{7, 4, 15}, reasonHas: "target tracking cpu: AlarmHigh",
			// Reference: docs/aws-behaviour.md §1.2 (of simultaneous policies the largest capacity wins)
		},
		{
			name:     "both scale in at once: the larger capacity wins",
			policies: []PolicyConfig{ttCPU(50), stepIn("cpu", 25, -1, 15)},
			ticks:    repeat(15, tick{inst: 10, cpu: 20}),
			want:     ints(14, 10, 9), reasonHas: "step scaling cpu < 25", // target tracking wants 4, the step 9
			// Reference: docs/aws-behaviour.md §1.2 (largest capacity wins, for scale-in as for scale-out)
		},
		{
			name:     "two target tracking policies still scale in together beside a step policy",
			policies: []PolicyConfig{ttCPU(50), {Type: PolicyTargetTracking, Metric: "request_count_per_target", Target: 1000}, stepIn("cpu", 10, -1, 1)},
			ticks:    repeat(16, tick{inst: 10, cpu: 20, rpt: 950}),
			want:     ints(16, 10), reasonHas: "held: target tracking request_count_per_target does not agree",
			// Reference: docs/aws-behaviour.md §1.2 (scale in only if all target tracking policies agree)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := drive(t, group(t, 1, 100, 10, c.policies...), c.ticks)
			checkDesired(t, ds, c.want)
			checkLastReason(t, ds, c.reasonHas)
		})
	}
}
