package strategies

import (
	"math"
	"slices"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// TestVPAHistogram: the CPU histogram's buckets start at 0.01 cores and
// grow by 5% each (vertical-pod-autoscaler/pkg/recommender/model/
// aggregations_config.go), and every value falls in its bucket.
func TestVPAHistogram(t *testing.T) {
	if got := bucketStart(1); math.Abs(got-0.01) > 1e-12 {
		t.Errorf("bucket 1 starts at %v, want 0.01", got)
	}
	if got := bucketStart(2) - bucketStart(1); math.Abs(got-0.0105) > 1e-12 {
		t.Errorf("bucket 1 is %v wide, want 0.0105", got)
	}
	for _, x := range []float64{0, 0.005, 0.0101, 0.3, 1, 7.5, 64, 999} {
		b := bucketOf(x)
		if x < bucketStart(b) || x >= bucketStart(b+1) && b < vpaBuckets()-1 {
			t.Errorf("%v cores in bucket %d [%v, %v)", x, b, bucketStart(b), bucketStart(b+1))
		}
	}
}

// vpaObs returns an observation at now of n ready, running pods of req
// cores, pod i using usage(i) cores, started at start.
func vpaObs(now, start sim.Time, n int, req float64, usage func(i int) float64) Observation {
	pods := make([]PodView, n)
	for i := range pods {
		pods[i] = PodView{ID: i, Running: true, Ready: true, StartTime: start, ReadyChanged: start, CPU: req,
			Metric: PodMetric{OK: true, At: now, Window: 15 * sim.Second, CPU: usage(i)}}
	}
	return Observation{Now: now, Pods: pods}
}

func newVPA(t *testing.T, c VPAConfig) *VPA {
	t.Helper()
	v, err := NewVPA(c)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVPARecommendation: the target is the usage's 90th percentile plus a
// 15% margin, bounded by minAllowed and maxAllowed; the bounds are the
// 50th and 95th percentiles with the margin, widened by little history
// (vertical-pod-autoscaler/pkg/recommender/logic/recommender.go,
// estimator.go).
func TestVPARecommendation(t *testing.T) {
	now := sim.Time(sim.Hour)
	spread := func(i int) float64 { return 0.1 * float64(i+1) } // 0.1 to 1.0 cores
	v := newVPA(t, VPAConfig{Mode: VPAModeInPlace})
	if _, _, why := v.Decide(vpaObs(now, 0, 10, 1, spread)); why != "" {
		t.Fatalf("a first minute's decision: %s", why)
	}
	r := v.Recommendation()
	if lo, hi := 0.9*1.15, 0.9*1.05*1.15; r.Target < lo || r.Target > hi {
		t.Errorf("target %v, want p90 (0.9) plus 15%%, within a bucket: %v to %v", r.Target, lo, hi)
	}
	if r.Upper != 1000 || r.Lower != VPAMinCPU {
		t.Errorf("bounds %v to %v with a minute of history, want none: the histogram's top and the 25m floor", r.Lower, r.Upper)
	}

	// A day of history gives full confidence: the upper bound is twice
	// p95 plus 15%.
	v = newVPA(t, VPAConfig{Mode: VPAModeOff})
	for m := range 24*60 + 1 {
		now := sim.Time(m) * sim.Time(sim.Minute)
		v.Decide(vpaObs(now, 0, 1, 1, func(int) float64 { return 0.5 }))
	}
	r = v.Recommendation()
	if want := 2 * r.Target; math.Abs(r.Upper-want) > 0.002 {
		t.Errorf("after a day at 0.5 cores: upper %v, want %v (p95, in the target's bucket, plus 15%%, doubled)", r.Upper, want)
	}
	if want := r.Target * math.Pow(1.001, -2); math.Abs(r.Lower-want) > 0.002 {
		t.Errorf("after a day at 0.5 cores: lower %v, want %v (p50 plus 15%%, narrowed by 1.001⁻²)", r.Lower, want)
	}

	// minAllowed and maxAllowed bound it.
	v = newVPA(t, VPAConfig{Mode: VPAModeInPlace, MinCPU: 2, MaxCPU: 3})
	v.Decide(vpaObs(now, 0, 10, 1, spread))
	if r := v.Recommendation(); r.Target != 2 || r.Lower != 2 || r.Upper != 3 {
		t.Errorf("bounded recommendation %+v, want target and lower 2, upper 3", r)
	}
}

// TestVPADecay: with a short half-life, recent usage outweighs old.
func TestVPADecay(t *testing.T) {
	v := newVPA(t, VPAConfig{Mode: VPAModeOff, HalfLife: sim.Minute})
	for m := range 60 {
		u := 0.2
		if m >= 50 {
			u = 2
		}
		v.Decide(vpaObs(sim.Time(m+1)*sim.Time(sim.Minute), 0, 1, 1, func(int) float64 { return u }))
	}
	if r := v.Recommendation(); r.Target < 2*1.15 {
		t.Errorf("after 10 half-lives at 2 cores (50 min at 0.2 before): target %v, want p90 near 2 plus 15%%", r.Target)
	}
}

// TestVPAUpdater: minute by minute over an hour of history, the updater
// names the pods whose request lies outside the bounds, the furthest
// first; in recreate mode only one, and none unless every pod is ready
// and there are two or more (a disruption budget of one, --min-replicas
// 2); off mode names none
// (vertical-pod-autoscaler/pkg/updater/priority/update_priority_calculator.go).
func TestVPAUpdater(t *testing.T) {
	saturated := func(int) float64 { return 1 }
	for _, tt := range []struct {
		name   string
		mode   string
		n      int
		req    float64
		unread bool // pod 2 not ready
		want   []int
		cpu    bool // a target is returned
	}{
		{"in place: all", VPAModeInPlace, 3, 1, false, []int{0, 1, 2}, true},
		{"recreate: one", VPAModeRecreate, 3, 1, false, []int{0}, true},
		{"recreate: one not ready", VPAModeRecreate, 3, 1, true, nil, true},
		{"recreate: a lone pod", VPAModeRecreate, 1, 1, false, nil, true},
		{"in place: within bounds", VPAModeInPlace, 3, 2, false, nil, true},
		{"off", VPAModeOff, 3, 1, false, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newVPA(t, VPAConfig{Mode: tt.mode})
			var ids []int
			var why string
			var cpu float64
			var at sim.Time
			for m := 1; m <= 60 && ids == nil; m++ {
				at = sim.Time(m) * sim.Time(sim.Minute)
				obs := vpaObs(at, 0, tt.n, tt.req, saturated)
				if tt.unread {
					obs.Pods[2].Ready = false
				}
				cpu, ids, why = v.Decide(obs)
				if ids != nil {
					if _, again, _ := v.Decide(obs); again != nil {
						t.Errorf("named %v again within the minute", again)
					}
				}
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("updates %v, want %v (%s)", ids, tt.want, why)
			}
			if (cpu > 0) != tt.cpu {
				t.Errorf("target %v, want one: %v", cpu, tt.cpu)
			}
			if len(tt.want) > 0 && (why == "" || cpu <= tt.req) {
				t.Errorf("at %v: target %v, reason %q", at, cpu, why)
			}
		})
	}
}
