package strategies

import (
	"strings"
	"testing"
)

func TestRoundPercentChange(t *testing.T) {
	cases := []struct{ current, percent, want int }{
		{127, 10, 12},   // 12.7 → 12 (values above 1 round down)
		{4, 10, 1},      // 0.4 → 1
		{4, -10, -1},    // −0.4 → −1
		{667, -1, -6},   // −6.67 → −6 (values below −1 round toward zero)
		{10, 10, 1},     // exactly 1
		{100, -1, -1},   // exactly −1
		{11, 30, 3},     // 3.3 → 3
		{14, -10, -1},   // −1.4 → −1
		{13, -30, -3},   // −3.9 → −3
		{0, 50, 0},      // nothing of nothing
		{10, 0, 0},      // a 0% step
		{3, 200, 6},     // doubling and more
		{20, -100, -20}, // everything
	}
	for _, c := range cases {
		if got := RoundPercentChange(c.current, c.percent); got != c.want {
			t.Errorf("RoundPercentChange(%d, %d%%) = %d, want %d", c.current, c.percent, got, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.4 (percent rounding)
}

func TestStepAdjustment(t *testing.T) {
	pct := func(v, minMag int) Adjustment {
		return Adjustment{Type: PercentChangeInCapacity, Value: v, MinMagnitude: minMag}
	}
	cases := []struct {
		name    string
		current int
		adj     Adjustment
		want    int
	}{
		{"change in capacity adds", 3, Adjustment{Type: ChangeInCapacity, Value: 5}, 8},
		{"change in capacity removes, not below zero", 3, Adjustment{Type: ChangeInCapacity, Value: -5}, 0},
		{"exact capacity", 3, Adjustment{Type: ExactCapacity, Value: 5}, 5},
		{"percent: docs' +10% of 10", 10, pct(10, 0), 11},
		{"percent: docs' +30% of 11 = 3.3", 11, pct(30, 0), 14},
		{"percent: docs' −10% of 14 = −1.4", 14, pct(-10, 0), 13},
		{"percent: docs' −30% of 13 = −3.9", 13, pct(-30, 0), 10},
		{"percent: 12.7 rounds down", 127, pct(10, 0), 139},
		{"percent: 0.4 becomes 1", 4, pct(10, 0), 5},
		{"percent: −0.4 becomes −1", 4, pct(-10, 0), 3},
		{"percent: −6.67 rounds to −6", 667, pct(-1, 0), 661},
		{"min_adjustment_magnitude: docs' 25% of 4 with minimum 2", 4, pct(25, 2), 6},
		{"min_adjustment_magnitude on scale-in", 4, pct(-25, 2), 2},
		{"min_adjustment_magnitude below the step has no effect", 10, pct(50, 2), 15},
		{"min_adjustment_magnitude leaves a 0% step alone", 10, pct(0, 2), 10},
		{"min_adjustment_magnitude is ignored by change in capacity", 10, Adjustment{Type: ChangeInCapacity, Value: 1, MinMagnitude: 3}, 11},
	}
	for _, c := range cases {
		if got := StepAdjustment(c.current, c.adj); got != c.want {
			t.Errorf("%s: StepAdjustment(%d, %+v) = %d, want %d", c.name, c.current, c.adj, got, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.4 (adjustment types, rounding, MinAdjustmentMagnitude)
}

// docsSteps are the scale-out and scale-in policies of the Auto Scaling
// guide's step example: threshold 50, +10% for a breach of 10–20, +30%
// above 20, and the mirror image below.
func docsSteps() []PolicyConfig {
	f := ptr[float64]
	return []PolicyConfig{
		{Type: PolicyStep, Metric: "cpu", Threshold: 50, Comparison: ">=", AdjustmentType: "percent_change_in_capacity",
			Steps: []StepConfig{{Lower: f(0), Upper: f(10), Adjustment: 0}, {Lower: f(10), Upper: f(20), Adjustment: 10}, {Lower: f(20), Adjustment: 30}}},
		{Type: PolicyStep, Metric: "cpu", Threshold: 50, Comparison: "<=", AdjustmentType: "percent_change_in_capacity",
			Steps: []StepConfig{{Lower: f(-10), Upper: f(0), Adjustment: 0}, {Lower: f(-20), Upper: f(-10), Adjustment: -10}, {Upper: f(-20), Adjustment: -30}}},
	}
}

func TestStepScalingSequences(t *testing.T) {
	cases := []struct {
		name  string
		init  int
		ticks []tick
		want  []int
	}{
		{
			name:  "docs: 60 adds 10% of 10, then 70 adds 30% of 11 = 3.3 → 3",
			init:  10,
			ticks: []tick{{inst: 10, cpu: 60}, {inst: 11, cpu: 70}},
			want:  []int{11, 14},
			// Reference: docs/aws-behaviour.md §1.4 (worked example, 10 instances)
		},
		{
			name: "docs warm-up: 62 in the same band does not stack, 70 adds only 2",
			init: 10,
			ticks: []tick{{inst: 10, cpu: 60}, {inst: 10, cpu: 62, fleet: FleetView{Warming: 1}},
				{inst: 10, cpu: 70, fleet: FleetView{Warming: 1}}},
			want: []int{11, 11, 13},
			// Reference: docs/aws-behaviour.md §1.3, §1.4 (warming instances count toward desired; bands do not stack)
		},
		{
			name:  "docs scale-in: 40 removes 10% of 14, then 30 removes 30% of 13 = 3.9 → 3",
			init:  14,
			ticks: []tick{{inst: 14, cpu: 40}, {inst: 13, cpu: 30}},
			want:  []int{13, 10},
			// Reference: docs/aws-behaviour.md §1.4 ("the same rules apply on scale-in")
		},
		{
			name:  "between 40 and 60 nothing changes; 50 itself is in the 0% bands",
			init:  10,
			ticks: cpuTicks(10, 41, 50, 59.9),
			want:  []int{10, 10, 10},
			// Reference: docs/aws-behaviour.md §1.4 (bands; lower inclusive above, upper inclusive below)
		},
		{
			name:  "band edges: 60 and 40 are in the ±10% bands, 70 and 30 in the ±30% bands",
			init:  10,
			ticks: []tick{{inst: 10, cpu: 70}, {inst: 13, cpu: 30, fleet: FleetView{}}},
			want:  []int{13, 10},
			// Reference: docs/aws-behaviour.md §1.4 (lower bound inclusive above the threshold, upper inclusive below)
		},
		{
			name:  "no cooldown: acts on each new datapoint while in ALARM",
			init:  10,
			ticks: []tick{{inst: 10, cpu: 60}, {inst: 11, cpu: 61}, {inst: 12, cpu: 62}},
			want:  []int{11, 12, 13}, // +10% of 10, of 11 (1.1 → 1), of 12 (1.2 → 1)
			// Reference: docs/aws-behaviour.md §1.4 (step policies keep responding; no cooldown)
		},
		{
			name:  "scale-in is blocked while an instance warms",
			init:  14,
			ticks: []tick{{inst: 13, cpu: 40, fleet: FleetView{Warming: 1}}, {inst: 14, cpu: 40}},
			want:  []int{14, 13},
			// Reference: docs/aws-behaviour.md §1.3 (policy scale-in blocked until warm-up ends)
		},
		{
			name:  "missing data: no action",
			init:  10,
			ticks: []tick{{inst: 0}, {inst: 0}},
			want:  []int{10, 10},
			// Reference: docs/aws-behaviour.md §2.3 (missing → INSUFFICIENT_DATA)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := group(t, 1, 100, c.init, docsSteps()...)
			checkDesired(t, drive(t, h, c.ticks), c.want)
		})
	}
}

func TestStepScalingReason(t *testing.T) {
	h := group(t, 1, 100, 10, docsSteps()...)
	ds := drive(t, h, []tick{{inst: 11, cpu: 70}})
	want := "step scaling cpu >= 50: 1 of 1 datapoints at or above 50 (70.0); step [20, +∞): +30% of 11 = +3 (capacity 14) → desired 10→14"
	if ds[0].Reason != want {
		t.Errorf("reason\n got %q\nwant %q", ds[0].Reason, want)
	}
	// Reference: docs/aws-behaviour.md §1.4
}

func TestStepValidation(t *testing.T) {
	f := ptr[float64]
	base := func(steps ...StepConfig) PolicyConfig {
		return PolicyConfig{Type: PolicyStep, Metric: "cpu", Threshold: 50, Comparison: ">", AdjustmentType: "change_in_capacity", Steps: steps}
	}
	many := make([]StepConfig, 21)
	for i := range many {
		many[i] = StepConfig{Lower: f(float64(i)), Upper: f(float64(i + 1))}
	}
	many[20].Upper = nil
	cases := []struct {
		name string
		cfg  PolicyConfig
		want string // substring of the error; "" means valid
	}{
		{"valid", base(StepConfig{Lower: f(0), Upper: f(10)}, StepConfig{Lower: f(10)}), ""},
		{"valid out of order", base(StepConfig{Lower: f(10)}, StepConfig{Lower: f(0), Upper: f(10)}), ""},
		{"no steps", base(), "steps: must have 1 to 20"},
		{"21 steps", base(many...), "steps: must have 1 to 20 step adjustments (got 21)"},
		{"overlap", base(StepConfig{Lower: f(0), Upper: f(15)}, StepConfig{Lower: f(10)}), "steps.1.lower: step [10, +∞) overlaps step 0 [0, 15)"},
		{"gap", base(StepConfig{Lower: f(0), Upper: f(10)}, StepConfig{Lower: f(20)}), "leaves a gap after step 0"},
		{"both bounds open", base(StepConfig{}), "steps.0.lower: a step needs a lower or an upper bound"},
		{"two open lower bounds", base(StepConfig{Upper: f(0)}, StepConfig{Upper: f(10)}), "steps.1.lower: only one step may leave its lower bound out"},
		{"positive upper needs an open upper", base(StepConfig{Lower: f(0), Upper: f(10)}), "must leave its upper bound out"},
		{"negative lower needs an open lower", base(StepConfig{Lower: f(-10), Upper: f(0)}), "must leave its lower bound out"},
		{"upper below lower", base(StepConfig{Lower: f(10), Upper: f(5)}), "steps.0.upper: must be above lower"},
		{"missing comparison", PolicyConfig{Type: PolicyStep, Metric: "cpu", AdjustmentType: "exact_capacity", Steps: []StepConfig{{Lower: f(0)}}}, "comparison: required"},
		{"missing adjustment type", PolicyConfig{Type: PolicyStep, Metric: "cpu", Comparison: ">", Steps: []StepConfig{{Lower: f(0)}}}, "adjustment_type: required"},
		{"bad M of N", PolicyConfig{Type: PolicyStep, Metric: "cpu", Comparison: ">", AdjustmentType: "exact_capacity", DatapointsToAlarm: 3, EvaluationPeriods: 2, Steps: []StepConfig{{Lower: f(0)}}}, "datapoints_to_alarm: must be from 1 to evaluation_periods (2)"},
		{"min magnitude needs percent", PolicyConfig{Type: PolicyStep, Metric: "cpu", Comparison: ">", AdjustmentType: "change_in_capacity", MinAdjustmentMagnitude: 2, Steps: []StepConfig{{Lower: f(0)}}}, "min_adjustment_magnitude: applies only to percent_change_in_capacity"},
	}
	for _, c := range cases {
		_, err := NewHorizontal(HorizontalConfig{Name: "asg", InstanceType: "m5.large", Min: 1, Max: 10, Policies: []PolicyConfig{c.cfg}})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		case c.want != "" && !strings.Contains(err.Error(), "policies.0."):
			t.Errorf("%s: error %v does not name the policy field", c.name, err)
		}
	}
	// Reference: docs/aws-behaviour.md §1.4 (no overlap, no gap, ≤ 20 steps; bound rules of ASG as-scaling-simple-step)
}

// The step policy reads its band from the alarm's aggregated datapoints
// and, scaling in, counts terminating instances in the current capacity
// (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html,
// "Step adjustments" and "Instance warm-up").
func TestStepScalingCapacityAndAggregation(t *testing.T) {
	threeOfThree := docsSteps()
	for i := range threeOfThree {
		threeOfThree[i].EvaluationPeriods, threeOfThree[i].DatapointsToAlarm = 3, 3
	}
	runGroupCases(t, 1, 100, []groupCase{
		{
			name: "the band is the mean of the evaluated datapoints: 75, 75, 55 is 68.3, +10%", policies: threeOfThree, init: 10,
			ticks: cpuTicks(10, 75, 75, 55),
			want:  []int{10, 10, 11}, // the newest datapoint alone (55) is in the 0% band
			// Reference: docs/aws-behaviour.md §1.4 (the statistic over the most recent datapoints)
		},
		{
			name: "scale-in too: 25, 25, 45 is 31.7, −10%", policies: threeOfThree, init: 10,
			ticks: cpuTicks(10, 25, 25, 45),
			want:  []int{10, 10, 9},
			// Reference: docs/aws-behaviour.md §1.4 (the statistic over the most recent datapoints)
		},
		{
			name: "terminating instances count in the capacity: a re-invoked breach removes no more", policies: docsSteps(), init: 14,
			ticks: []tick{{inst: 14, cpu: 40}, {inst: 13, cpu: 40, fleet: FleetView{InService: 13, Draining: 1}}, {inst: 13, cpu: 40}},
			want:  []int{13, 13, 12}, // −10% of 14; of 13 + 1 terminating; of 13
			// Reference: docs/aws-behaviour.md §1.4 (while scaling in, terminating instances are part of current capacity)
		},
	})
}
