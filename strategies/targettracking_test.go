package strategies

import (
	"fmt"
	"strings"
	"testing"
)

func TestTargetTrackingDesired(t *testing.T) {
	cases := []struct {
		current        int
		metric, target float64
		want           int
	}{
		{6, 75, 50, 9},         // 6 × 1.5
		{6, 72.1, 50, 9},       // 8.65 rounds up
		{10, 55, 55, 10},       // exactly on target: no change, despite float error
		{3, 70, 70, 3},         //
		{10, 20, 50, 4},        // scale-in: 4 exactly
		{10, 44, 50, 9},        // 8.8 rounds up: removes 1, not 2
		{2, 37.5, 50, 2},       // 1.5 needed: keep 2 (1.5 surplus removes only 1 in general)
		{2, 150, 100, 3},       // 1.5 × 2 = 3
		{1, 150, 100, 2},       // 1.5 needed: add up to 2
		{4, 0, 50, 0},          // real zeros scale in to 0 (then min applies)
		{0, 90, 50, 0},         // no capacity: nothing to scale
		{5, 60, 0, 5},          // invalid target: unchanged
		{5, -1, 50, 5},         // invalid metric: unchanged
		{1000, 100, 1, 100000}, // large
	}
	for _, c := range cases {
		if got := TargetTrackingDesired(c.current, c.metric, c.target); got != c.want {
			t.Errorf("TargetTrackingDesired(%d, %v, %v) = %d, want %d", c.current, c.metric, c.target, got, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.2 (formula inferred; +2 for 1.5 needed, −1 for 1.5 surplus)
}

func ExampleTargetTrackingDesired() {
	// Six instances at 75% CPU against a 50% target need nine.
	fmt.Println(TargetTrackingDesired(6, 75, 50))
	// Ten at 44% need 8.8: scale in to nine, never below the need.
	fmt.Println(TargetTrackingDesired(10, 44, 50))
	// Output:
	// 9
	// 9
}

func ttCPU(target float64) PolicyConfig {
	return PolicyConfig{Type: PolicyTargetTracking, Metric: "cpu", Target: target}
}

func TestTargetTrackingSequences(t *testing.T) {
	warmingLow := repeat(15, tick{inst: 10, cpu: 20})
	warmingLow[14].fleet = FleetView{Warming: 1}
	cases := []struct {
		name   string
		policy PolicyConfig
		min    int
		max    int
		init   int
		ticks  []tick
		want   []int
	}{
		{
			name: "first scale-out needs 3 consecutive high datapoints", policy: ttCPU(50), min: 1, max: 20, init: 6,
			ticks: cpuTicks(6, 72.1, 80.4, 77.9),
			want:  []int{6, 6, 10}, // ceil(6 × 77.9 / 50) = 10
			// Reference: docs/aws-behaviour.md §1.2 (AlarmHigh 3 of 3, unconfirmed)
		},
		{
			name: "two high datapoints are not enough", policy: ttCPU(50), min: 1, max: 20, init: 6,
			ticks: cpuTicks(6, 75, 75, 40, 75, 75),
			want:  []int{6, 6, 6, 6, 6},
			// Reference: docs/aws-behaviour.md §1.2, §2.3 (M of N over a sliding window)
		},
		{
			name: "missing data: no action and the window starts again", policy: ttCPU(50), min: 1, max: 20, init: 6,
			ticks: seq(cpuTicks(6, 75, 75), []tick{{inst: 0}}, cpuTicks(6, 75, 75, 75)),
			want:  []int{6, 6, 6, 6, 6, 9},
			// Reference: docs/aws-behaviour.md §1.2 (missing data → INSUFFICIENT_DATA, no scaling), §2.3
		},
		{
			name: "a metric exactly at target is not above it", policy: ttCPU(50), min: 1, max: 20, init: 6,
			ticks: cpuTicks(6, 50, 50, 50, 50),
			want:  []int{6, 6, 6, 6},
			// Reference: docs/aws-behaviour.md §1.2 (scale out only when above target)
		},
		{
			name: "re-invoked every minute, the same datapoint does not stack", policy: ttCPU(50), min: 1, max: 20, init: 6,
			ticks: seq(cpuTicks(6, 75, 75, 75),
				[]tick{{inst: 6, cpu: 75, fleet: FleetView{Pending: 3}}, {inst: 6, cpu: 50, fleet: FleetView{Warming: 3}}}),
			want: []int{6, 6, 9, 9, 9},
			// Reference: docs/aws-behaviour.md §1.3 (warming instances count toward desired), §1.5 (re-invoked each minute)
		},
		{
			name: "load keeps rising while instances warm: only the non-warming capacity is scaled", policy: ttCPU(50), min: 1, max: 20, init: 6,
			ticks: seq(cpuTicks(6, 75, 75, 75),
				[]tick{{inst: 6, cpu: 100, fleet: FleetView{Warming: 3}}}),
			want: []int{6, 6, 9, 12}, // ceil(6 × 100 / 50) = 12, not ceil(9 × 2) = 18
			// Reference: docs/aws-behaviour.md §1.3 (scale out only on the non-warming instances' metric)
		},
		{
			name: "scale-in needs 15 low datapoints", policy: ttCPU(50), min: 1, max: 20, init: 10,
			ticks: repeat(15, tick{inst: 10, cpu: 20}),
			want:  ints(14, 10, 4), // ceil(10 × 20 / 50) = 4
			// Reference: docs/aws-behaviour.md §1.2 (AlarmLow 15 of 15, unconfirmed)
		},
		{
			name: "scale-in waits for warm-up to end", policy: ttCPU(50), min: 1, max: 20, init: 10,
			ticks: seq(warmingLow, []tick{{inst: 10, cpu: 20}}),
			want:  ints(15, 10, 4),
			// Reference: docs/aws-behaviour.md §1.3 (policy scale-in blocked until warm-up ends)
		},
		{
			name: "scale-in waits for launches to finish", policy: ttCPU(50), min: 1, max: 20, init: 10,
			ticks: seq(repeat(14, tick{inst: 10, cpu: 20}), []tick{{inst: 10, cpu: 20, fleet: FleetView{Pending: 2}}, {inst: 10, cpu: 20}}),
			want:  ints(15, 10, 4),
			// Reference: docs/aws-behaviour.md §1.4 page (a scale-in cannot start while a scale-out is in progress)
		},
		{
			name: "the scale-in threshold is 0.9 × target", policy: ttCPU(50), min: 1, max: 20, init: 10,
			ticks: seq(repeat(15, tick{inst: 10, cpu: 45}), repeat(15, tick{inst: 10, cpu: 44})),
			want:  ints(29, 10, 9), // 45 is not below 45; 44 is: ceil(8.8) = 9
			// Reference: docs/aws-behaviour.md §1.2 (AlarmLow at 0.9 × target, unconfirmed)
		},
		{
			name: "scale_in_factor is tunable", policy: PolicyConfig{Type: PolicyTargetTracking, Metric: "cpu", Target: 50, ScaleInFactor: 0.5},
			min: 1, max: 20, init: 10,
			ticks: seq(repeat(15, tick{inst: 10, cpu: 30}), repeat(15, tick{inst: 10, cpu: 20})),
			want:  ints(29, 10, 4),
			// Reference: docs/aws-behaviour.md §1.2 (0.9 unconfirmed → tunable)
		},
		{
			name: "disable_scale_in", policy: PolicyConfig{Type: PolicyTargetTracking, Metric: "cpu", Target: 50, DisableScaleIn: true},
			min: 1, max: 20, init: 10,
			ticks: repeat(20, tick{inst: 10, cpu: 5}),
			want:  ints(20, 10),
			// Reference: docs/aws-behaviour.md §1.2 (DisableScaleIn)
		},
		{
			name: "scale-out clamped to max", policy: ttCPU(50), min: 1, max: 8, init: 6,
			ticks: cpuTicks(6, 90, 90, 90, 90),
			want:  []int{6, 6, 8, 8},
			// Reference: docs/aws-behaviour.md §1.1 (policies cannot push desired above max)
		},
		{
			name: "scale-in clamped to min", policy: ttCPU(50), min: 5, max: 20, init: 10,
			ticks: repeat(15, tick{inst: 10, cpu: 5}),
			want:  ints(14, 10, 5),
			// Reference: docs/aws-behaviour.md §1.1 (policies cannot push desired below min)
		},
		{
			name: "request count per target against requests per minute", min: 1, max: 50, init: 4,
			policy: PolicyConfig{Type: PolicyTargetTracking, Metric: "request_count_per_target", Target: 1000},
			ticks:  repeat(3, tick{inst: 4, rpt: 2600}),
			want:   []int{4, 4, 11}, // ceil(4 × 2600 / 1000)
			// Reference: docs/aws-behaviour.md §1.2 (ALBRequestCountPerTarget target per instance per minute)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := group(t, c.min, c.max, c.init, c.policy)
			checkDesired(t, drive(t, h, c.ticks), c.want)
		})
	}
}

func TestTargetTrackingReason(t *testing.T) {
	h := group(t, 1, 20, 6, ttCPU(50))
	ds := drive(t, h, cpuTicks(6, 72.1, 80.4, 77.9))
	want := "target tracking cpu: AlarmHigh 3 of 3 datapoints above 50 (72.1, 80.4, 77.9); ceil(6 × 77.9 / 50) = 10 → desired 6→10"
	if ds[2].Reason != want {
		t.Errorf("reason\n got %q\nwant %q", ds[2].Reason, want)
	}
	h = group(t, 1, 20, 10, ttCPU(50))
	ds = drive(t, h, seq(repeat(14, tick{inst: 10, cpu: 20}), []tick{{inst: 10, cpu: 20, fleet: FleetView{Warming: 2}}}))
	if r := ds[14].Reason; !strings.Contains(r, "scale-in blocked") || !strings.Contains(r, "2 warm up") {
		t.Errorf("blocked scale-in reason = %q", r)
	}
	// Reference: docs/aws-behaviour.md §1.2, §1.3
}

func TestMetricValueNormalisesRequestCount(t *testing.T) {
	p := Period{Start: 0, End: 300e9, Instances: 2, RequestsPerTarget: 5000, CPU: 40}
	if got := MetricRequestCountPerTarget.Value(p); got != 1000 {
		t.Errorf("request count over 5 minutes = %v per minute, want 1000", got)
	}
	if got := MetricCPU.Value(p); got != 40 {
		t.Errorf("cpu = %v, want 40", got)
	}
	for _, s := range []string{"requests_per_target", "request_count_per_target"} {
		if m, err := ParseMetric(s); err != nil || m != MetricRequestCountPerTarget {
			t.Errorf("ParseMetric(%q) = %v, %v", s, m, err)
		}
	}
	if _, err := ParseMetric("memory"); err == nil {
		t.Error("ParseMetric(memory) succeeded")
	}
	// Reference: docs/aws-behaviour.md §1.2 (count metrics: per instance per 1-minute interval)
}
