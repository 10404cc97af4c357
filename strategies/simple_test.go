package strategies

import (
	"testing"

	"github.com/scalesim/scalesim/sim"
)

func TestSimpleScalingSequences(t *testing.T) {
	out := PolicyConfig{Type: PolicySimple, Metric: "cpu", Threshold: 80, Comparison: ">", AdjustmentType: "change_in_capacity", Adjustment: 2}
	in := PolicyConfig{Type: PolicySimple, Metric: "cpu", Threshold: 20, Comparison: "<", AdjustmentType: "change_in_capacity", Adjustment: -1}
	hot, cold := tick{inst: 4, cpu: 90}, tick{inst: 4, cpu: 10}
	launching := tick{inst: 4, cpu: 90, fleet: FleetView{Pending: 2}}
	draining := tick{inst: 4, cpu: 10, fleet: FleetView{Draining: 1}}
	runGroupCases(t, 1, 20, []groupCase{
		{
			// Acts at minute 1; minutes 2–3 the launch runs; minute 4 sees it
			// done and starts the 300 s cooldown; minute 9 acts again.
			name: "waits for the launch, then the cooldown", policies: []PolicyConfig{out}, init: 4,
			ticks: seq([]tick{hot, launching, launching}, repeat(6, hot)),
			want:  []int{6, 6, 6, 6, 6, 6, 6, 6, 8},
			// Reference: docs/aws-behaviour.md §1.5 (wait for the activity and the cooldown, default 300 s)
		},
		{
			// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scaling-cooldowns.html:
			// with several instances the cooldown starts when the last one
			// is InService. Acts at minute 1; 2 then 1 still launching at
			// minutes 2–3; minute 4 sees both in service, the second still
			// warming up, and starts the 60 s cooldown: the warm-up does not
			// hold it; minute 5 acts again.
			name: "the cooldown starts when the last instance is InService, warm-up or not", init: 4,
			policies: []PolicyConfig{{Type: PolicySimple, Metric: "cpu", Threshold: 80, Comparison: ">",
				AdjustmentType: "change_in_capacity", Adjustment: 2, Cooldown: ptr(60 * sim.Second)}},
			ticks: []tick{hot, launching, {inst: 4, cpu: 90, fleet: FleetView{Pending: 1, Warming: 1}},
				{inst: 4, cpu: 90, fleet: FleetView{Warming: 2}}, {inst: 4, cpu: 90, fleet: FleetView{Warming: 1}}},
			want: []int{6, 6, 6, 6, 8},
			// Reference: docs/aws-behaviour.md §1.5 (the cooldown counts from the last instance of the activity)
		},
		{
			name: "policy cooldown overrides the default", init: 4,
			policies: []PolicyConfig{{Type: PolicySimple, Metric: "cpu", Threshold: 80, Comparison: ">",
				AdjustmentType: "change_in_capacity", Adjustment: 2, Cooldown: ptr(60 * sim.Second)}},
			ticks: repeat(4, hot),
			want:  []int{6, 6, 8, 8}, // done seen at minute 2, cooldown to minute 3
			// Reference: docs/aws-behaviour.md §1.5 (a policy-level Cooldown overrides DefaultCooldown)
		},
		{
			name: "scale-in waits for draining", policies: []PolicyConfig{in}, init: 4,
			ticks: seq([]tick{cold, draining, draining}, repeat(6, cold)),
			want:  []int{3, 3, 3, 3, 3, 3, 3, 3, 2},
			// Reference: docs/aws-behaviour.md §1.5 (behind ELB the scale-in cooldown starts when draining ends)
		},
		{
			name: "percent change of the desired capacity", init: 10,
			policies: []PolicyConfig{{Type: PolicySimple, Metric: "cpu", Threshold: 80, Comparison: ">",
				AdjustmentType: "percent_change_in_capacity", Adjustment: 25, MinAdjustmentMagnitude: 3}},
			ticks: []tick{{inst: 10, cpu: 95}},
			want:  []int{13}, // 25% of 10 = 2.5 → 2, raised to the minimum 3
			// Reference: docs/aws-behaviour.md §1.4 (MinAdjustmentMagnitude)
		},
		{
			name: "exact capacity", init: 4,
			policies: []PolicyConfig{{Type: PolicySimple, Metric: "cpu", Threshold: 80, Comparison: ">",
				AdjustmentType: "exact_capacity", Adjustment: 12}},
			ticks: []tick{{inst: 4, cpu: 10}, {inst: 4, cpu: 95}},
			want:  []int{4, 12},
			// Reference: docs/aws-behaviour.md §1.4 (ExactCapacity)
		},
	})
}
