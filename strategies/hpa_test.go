package strategies

import (
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// pod returns a running pod of one core, started an hour before now and
// ready since, whose last sample (15 s window, 5 s before now) shows usage
// cores, rps requests per second and inFlight requests in service.
func pod(id int, now sim.Time, usage float64) PodView {
	start := now.Add(-sim.Hour)
	return PodView{ID: id, Running: true, Ready: true, StartTime: start, ReadyChanged: start.Add(20 * sim.Second), CPU: 1,
		Metric: PodMetric{OK: true, At: now.Add(-5 * sim.Second), Window: 15 * sim.Second, CPU: usage, RequestsPerSecond: 10 * usage, InFlight: 2 * usage}}
}

// podsAt returns one such pod per usage.
func podsAt(now sim.Time, usage ...float64) []PodView {
	out := make([]PodView, len(usage))
	for i, u := range usage {
		out[i] = pod(i, now, u)
	}
	return out
}

func newHPA(t *testing.T, c HPAConfig) *HPA {
	t.Helper()
	h, err := NewHPA(c)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestHPAReplicaCalculator checks the proposal of one sync, without
// behavior limits in the way (the first sync of a fresh HPA, whose
// stabilisation window holds nothing yet). Cases follow the algorithm of
// https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
// and pkg/controller/podautoscaler/replica_calculator.go.
func TestHPAReplicaCalculator(t *testing.T) {
	now := sim.Time(2 * sim.Hour)
	unready := func(p PodView) PodView { p.Ready, p.ReadyChanged = false, p.StartTime; return p } // never ready
	young := func(p PodView) PodView {                                                            // started a minute ago, ready 10 s ago: no whole window since
		p.StartTime, p.ReadyChanged = now.Add(-sim.Minute), now.Add(-10*sim.Second)
		return p
	}
	noMetric := func(p PodView) PodView { p.Metric = PodMetric{}; return p }
	pending := func(p PodView) PodView { p.Running, p.Ready, p.Metric = false, false, PodMetric{}; return p }
	for _, tt := range []struct {
		name    string
		metric  string
		target  float64
		current int
		pods    []PodView
		want    int
	}{
		// The documentation's examples: 200m used against 100m doubles,
		// 50m halves (the scale-down is then held by the stabilisation
		// window, so it is checked with a fresh HPA whose window is 0).
		{"double", HPAMetricCPU, 50, 4, podsAt(now, 1, 1, 1, 1), 8},
		{"within tolerance", HPAMetricCPU, 50, 4, podsAt(now, 0.54, 0.54, 0.54, 0.54), 4},
		{"just beyond tolerance", HPAMetricCPU, 50, 4, podsAt(now, 0.56, 0.56, 0.56, 0.56), 5},
		// The band includes its edges (Tolerances.isWithin: 1−t ≤ r ≤ 1+t):
		// 55% of 50 is a ratio of exactly 1.1, no change, and so is 45%.
		{"on the tolerance's upper edge", HPAMetricCPU, 50, 4, podsAt(now, 0.55, 0.55, 0.55, 0.55), 4},
		{"on the tolerance's lower edge", HPAMetricCPU, 50, 4, podsAt(now, 0.45, 0.45, 0.45, 0.45), 4},
		// At a ratio of exactly 1 the controller fills in no missing pod
		// (GetResourceReplicas tests < 1 and > 1): 5 pods at the target and 5
		// without a sample stay 10, not 5.
		{"missing at the target", HPAMetricCPU, 50, 10, append(podsAt(now, rep(0.5, 5)...),
			noMetric(pod(5, now, 0)), noMetric(pod(6, now, 0)), noMetric(pod(7, now, 0)), noMetric(pod(8, now, 0)), noMetric(pod(9, now, 0))), 10},
		// The v1.33 tolerance blog's example: 50 replicas at 90% of a 75% target → 60.
		{"blog 50 at 90/75", HPAMetricCPU, 75, 50, podsAt(now, rep(0.9, 50)...), 60},
		// Utilisation is truncated to a whole percent: 54.9% of 50 is 54, within tolerance.
		{"truncated percent", HPAMetricCPU, 50, 2, podsAt(now, 0.549, 0.549), 2},
		// Unready pods are ignored, then counted at 0 on a scale-up: ready
		// 500m+700m of 2 cores = 60% vs 30 → ratio 2; with the unready pod
		// at 0, 1200/3000 = 40% → ceil(4/3 × 3) = 4.
		{"unready rebalanced", HPAMetricCPU, 30, 3, []PodView{unready(pod(0, now, 0.3)), pod(1, now, 0.5), pod(2, now, 0.7)}, 4},
		// Counted at 0, they can reverse the direction: 3 ready pods at 60%
		// vs 50 ask for ceil(1.2 × 3) = 4, fewer than the 6 there are; with
		// the 3 unready at 0 the ratio is 0.6, a scale-down: no change.
		{"unready hold", HPAMetricCPU, 50, 6, []PodView{pod(0, now, 0.6), pod(1, now, 0.6), pod(2, now, 0.6),
			unready(pod(3, now, 0)), unready(pod(4, now, 0)), unready(pod(5, now, 0))}, 6},
		// On a scale-down unready pods are just left out: 900m of 3 cores
		// = 30% vs 50 → ceil(0.6 × 3) = 2.
		{"unready left out", HPAMetricCPU, 50, 5, []PodView{pod(0, now, 0.1), pod(1, now, 0.3), pod(2, now, 0.5), unready(pod(3, now, 0.25)), unready(pod(4, now, 0.25))}, 2},
		// Within the CPU initialization period a pod counts only once a
		// whole window was measured after it became ready.
		{"young pod ignored", HPAMetricCPU, 50, 2, []PodView{pod(0, now, 1), young(pod(1, now, 0))}, 2},
		// Missing metrics count 0 on a scale-up: 2 × 1000m at target 50 →
		// ratio 2; with a third pod at 0, 2000/3000 = 66% → ceil(1.32 × 3) = 4.
		{"missing on scale-up", HPAMetricCPU, 50, 3, []PodView{pod(0, now, 1), pod(1, now, 1), noMetric(pod(2, now, 0))}, 4},
		// Missing metrics count 100% of the request on a scale-down:
		// 200m of 2 cores = 10% vs 50; with a third pod at 1000m, 1200/3000 = 40% → ceil(0.8 × 3) = 3: no change.
		{"missing on scale-down", HPAMetricCPU, 50, 3, []PodView{pod(0, now, 0.1), pod(1, now, 0.1), noMetric(pod(2, now, 0))}, 3},
		// Pending pods are ignored: they count 0 on a scale-up.
		{"pending on scale-up", HPAMetricCPU, 50, 4, []PodView{pod(0, now, 1), pod(1, now, 1), pending(pod(2, now, 0)), pending(pod(3, now, 0))}, 4},
		// A per-pod metric: 40 requests/s per pod against 20 → double.
		{"requests per pod", HPAMetricRequestsPerPod, 20, 3, podsAt(now, 4, 4, 4), 6},
		// A per-pod metric ignores readiness: an unready pod's 0 pulls the mean down.
		{"in flight, unready counted", HPAMetricInFlight, 1, 2, []PodView{pod(0, now, 1), unready(pod(1, now, 0))}, 2},
		{"no metrics at all", HPAMetricCPU, 50, 2, []PodView{noMetric(pod(0, now, 0)), noMetric(pod(1, now, 0))}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			zero := 0
			h := newHPA(t, HPAConfig{Metric: tt.metric, Target: tt.target, Min: 1, Max: 100,
				Behavior: HPABehavior{ScaleDown: &HPAScalingRules{StabilizationWindowSeconds: &zero},
					ScaleUp: &HPAScalingRules{Policies: []HPAScalingPolicy{{Type: PolicyPercent, Value: 1000, PeriodSeconds: 15}}}}})
			got, why := h.Replicas(now, tt.current, tt.pods)
			if got != tt.want {
				t.Fatalf("replicas %d, want %d (%s)", got, tt.want, why)
			}
		})
	}
}

// rep returns n copies of x.
func rep(x float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}

// TestHPABehaviorDefaults runs the defaults of autoscaling/v2 behavior
// (pkg/apis/autoscaling/v2/defaults.go): a scale-up may add max(4 pods,
// 100%) per 15 s, with no stabilisation; a scale-down waits for the
// highest recommendation of the last 300 s and may then remove all.
func TestHPABehaviorDefaults(t *testing.T) {
	h := newHPA(t, HPAConfig{Metric: HPAMetricCPU, Target: 10, Min: 2, Max: 100})
	now, cur := sim.Time(sim.Hour), 2
	sync := func(usage float64) (int, string) {
		n, why := h.Replicas(now, cur, podsAt(now, rep(usage, cur)...))
		now = now.Add(HPASyncPeriod)
		cur = n
		return n, why
	}
	// Saturated pods at a 10% target ask for ten times as many each sync;
	// the policies allow max(2+4, 2×2) = 6, then max(6+4, 12) = 12, 24, 48.
	var lastHigh sim.Time
	for i, want := range []int{6, 12, 24, 48} {
		lastHigh = now
		got, why := sync(1)
		if got != want {
			t.Fatalf("sync %d: %d replicas, want %d (%s)", i, got, want, why)
		}
		if i == 0 && !strings.Contains(why, "limited to 6 by the behavior's policies") {
			t.Errorf("reason %q does not name the policies", why)
		}
	}
	// Load drops to 1%: the proposal is ceil(48 × 0.1) = 5, but until 300 s
	// after the last high recommendation the window still holds it.
	for now < lastHigh.Add(300*sim.Second) {
		if got, why := sync(0.01); got != 48 {
			t.Fatalf("at %v, %v after the last high recommendation: %d replicas, want 48 (%s)", now, now.Sub(lastHigh), got, why)
		}
	}
	if got, why := sync(0.01); got != 5 {
		t.Fatalf("300 s after: %d replicas, want 5 (%s)", got, why)
	} else if !strings.Contains(why, "48 → 5") {
		t.Errorf("reason %q", why)
	}
}

// TestHPABehaviorPolicies checks selectPolicy and the policies' periods
// with the examples of
// https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior.
func TestHPABehaviorPolicies(t *testing.T) {
	zero := 0
	for _, tt := range []struct {
		name    string
		b       HPABehavior
		current int
		usage   []float64 // of every pod at each sync, target 50%
		want    []int     // replicas after each sync, 15 s apart
	}{
		// "type: Percent value: 10 periodSeconds: 60" down, Pods 4 per 60 s,
		// selectPolicy Max: from 80 pods the most that can go in a minute is
		// max(8, 4) = 8, and nothing more until the minute is over.
		{"down percent or pods per minute, Max", HPABehavior{ScaleDown: &HPAScalingRules{StabilizationWindowSeconds: &zero,
			Policies: []HPAScalingPolicy{{Type: PolicyPercent, Value: 10, PeriodSeconds: 60}, {Type: PolicyPods, Value: 4, PeriodSeconds: 60}}}},
			80, rep(0.05, 5), []int{72, 72, 72, 72, 64}},
		// selectPolicy Min: the smaller change, 4 pods.
		{"down percent or pods per minute, Min", HPABehavior{ScaleDown: &HPAScalingRules{StabilizationWindowSeconds: &zero, SelectPolicy: SelectMin,
			Policies: []HPAScalingPolicy{{Type: PolicyPercent, Value: 10, PeriodSeconds: 60}, {Type: PolicyPods, Value: 4, PeriodSeconds: 60}}}},
			80, rep(0.05, 5), []int{76, 76, 76, 76, 72}},
		// selectPolicy Disabled: no scale-down at all.
		{"down disabled", HPABehavior{ScaleDown: &HPAScalingRules{SelectPolicy: SelectDisabled}}, 10, rep(0.05, 3), []int{10, 10, 10}},
		// A 30 s scale-up window keeps the lowest recommendation of the
		// last 30 s: each doubling waits a sync for the lower one to leave.
		{"up window", HPABehavior{ScaleUp: &HPAScalingRules{StabilizationWindowSeconds: ptr(30)}}, 2,
			[]float64{0.5, 0.5, 1, 1, 1, 1}, []int{2, 2, 2, 4, 4, 8}},
		// One pod per 15 s.
		{"up one pod", HPABehavior{ScaleUp: &HPAScalingRules{Policies: []HPAScalingPolicy{{Type: PolicyPods, Value: 1, PeriodSeconds: 15}}}}, 2,
			rep(1, 3), []int{3, 4, 5}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHPA(t, HPAConfig{Metric: HPAMetricCPU, Target: 50, Min: 1, Max: 100, Behavior: tt.b})
			now, cur := sim.Time(sim.Hour), tt.current
			for i, want := range tt.want {
				n, why := h.Replicas(now, cur, podsAt(now, rep(tt.usage[i], cur)...))
				if n != want {
					t.Fatalf("sync %d: %d replicas, want %d (%s)", i, n, want, why)
				}
				cur, now = n, now.Add(HPASyncPeriod)
			}
		})
	}
}

// TestHPABounds: replicas outside min and max are brought back first,
// whatever the metric; the policies never take the count past them.
func TestHPABounds(t *testing.T) {
	h := newHPA(t, HPAConfig{Metric: HPAMetricCPU, Target: 50, Min: 3, Max: 5})
	now := sim.Time(sim.Hour)
	if n, why := h.Replicas(now, 8, podsAt(now, rep(1, 8)...)); n != 5 || !strings.Contains(why, "above maxReplicas") {
		t.Errorf("8 replicas, max 5: got %d (%s)", n, why)
	}
	if n, why := h.Replicas(now, 1, podsAt(now, 0)); n != 3 || !strings.Contains(why, "below minReplicas") {
		t.Errorf("1 replica, min 3: got %d (%s)", n, why)
	}
	if n, why := h.Replicas(now.Add(15*sim.Second), 4, podsAt(now, rep(1, 4)...)); n != 5 || !strings.Contains(why, "maxReplicas") {
		t.Errorf("4 saturated, max 5: got %d (%s)", n, why)
	}
}

// TestNewHPARejects names the key of each bad value.
func TestNewHPARejects(t *testing.T) {
	for _, tt := range []struct {
		c     HPAConfig
		field string
	}{
		{HPAConfig{Metric: "memory", Target: 50, Min: 1, Max: 2}, "metric"},
		{HPAConfig{Metric: HPAMetricCPU, Target: 150, Min: 1, Max: 2}, "target"},
		{HPAConfig{Metric: HPAMetricCPU, Target: 50.5, Min: 1, Max: 2}, "target"},
		{HPAConfig{Metric: HPAMetricCPU, Target: 50, Min: 1, Max: 2, Behavior: HPABehavior{ScaleUp: &HPAScalingRules{SelectPolicy: "max"}}}, "behavior.scaleUp.selectPolicy"},
		{HPAConfig{Metric: HPAMetricCPU, Target: 50, Min: 1, Max: 2, Behavior: HPABehavior{ScaleDown: &HPAScalingRules{StabilizationWindowSeconds: ptr(4000)}}}, "behavior.scaleDown.stabilizationWindowSeconds"},
		{HPAConfig{Metric: HPAMetricCPU, Target: 50, Min: 1, Max: 2, Behavior: HPABehavior{ScaleDown: &HPAScalingRules{Policies: []HPAScalingPolicy{{Type: "Pod", Value: 1, PeriodSeconds: 15}}}}}, "behavior.scaleDown.policies.0.type"},
		{HPAConfig{Metric: HPAMetricCPU, Target: 50, Min: 1, Max: 2, Behavior: HPABehavior{ScaleDown: &HPAScalingRules{Policies: []HPAScalingPolicy{{Type: PolicyPods, Value: 1, PeriodSeconds: 2000}}}}}, "behavior.scaleDown.policies.0.periodSeconds"},
		{HPAConfig{Metric: HPAMetricCPU, Target: 50, Min: 1, Max: 2, Behavior: HPABehavior{ScaleUp: &HPAScalingRules{Policies: []HPAScalingPolicy{}}}}, "behavior.scaleUp.policies"},
	} {
		_, err := NewHPA(tt.c)
		fe, ok := err.(*FieldError)
		if !ok || fe.Field != tt.field {
			t.Errorf("%+v: error %v, want one at %s", tt.c, err, tt.field)
		}
	}
}
