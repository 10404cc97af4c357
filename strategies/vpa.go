package strategies

import (
	"fmt"
	"math"
	"slices"

	"github.com/scalesim/scalesim/sim"
)

// The Vertical Pod Autoscaler's defaults (its recommender's and updater's
// flags; docs/kubernetes-behaviour.md §6).
const (
	VPAInterval          = sim.Minute      // --recommender-interval and --updater-interval
	VPAHalfLife          = 24 * sim.Hour   // --cpu-histogram-decay-half-life
	VPATargetPercentile  = 0.9             // --target-cpu-percentile
	VPALowerPercentile   = 0.5             // --recommendation-lower-bound-cpu-percentile
	VPAUpperPercentile   = 0.95            // --recommendation-upper-bound-cpu-percentile
	VPASafetyMargin      = 0.15            // --recommendation-margin-fraction
	VPAMinCPU            = 0.025           // --pod-recommendation-min-cpu-millicores, in cores
	VPAMinReplicas       = 2               // the updater's --min-replicas
	VPAUpdateThreshold   = 0.1             // a pod older than PodLifetimeThreshold is updated beyond 10% off target
	VPALifetimeThreshold = 12 * sim.Hour   // podLifetimeUpdateThreshold
	vpaFirstBucket       = 0.01            // the CPU histogram's first bucket, cores
	vpaBucketRatio       = 1.05            // each bucket 5% larger than the one before
	vpaMaxCPU            = 1000.0          // the histogram's top, cores
	vpaMinSampleWeight   = 0.1             // a sample weighs its pod's request, at least this
	vpaRenormalize       = 50              // halvings after which the weights are rescaled
	vpaNoBound           = math.MaxFloat64 // an upper bound with no confidence at all
)

// The VPA's update modes.
const (
	VPAModeOff      = "off"      // recommend only
	VPAModeRecreate = "recreate" // evict, and the replacement gets the target
	VPAModeInPlace  = "in_place" // resize running pods (InPlaceOrRecreate)
)

// VPAModes lists the modes in the order messages name them.
func VPAModes() []string { return []string{VPAModeOff, VPAModeRecreate, VPAModeInPlace} }

// VPAConfig configures a Vertical Pod Autoscaler of the pods' CPU.
type VPAConfig struct {
	Mode string
	// MinCPU and MaxCPU bound the recommendation, in cores (the
	// resourcePolicy's minAllowed and maxAllowed); MaxCPU 0 means none.
	MinCPU, MaxCPU float64
	// HalfLife is the CPU histogram's decay half-life (default VPAHalfLife).
	HalfLife sim.Duration
}

// VPA is a Vertical Pod Autoscaler's recommender and updater for the
// pods' CPU (docs/kubernetes-behaviour.md §6). Every minute the recommender
// adds each running pod's CPU usage to a histogram of exponential buckets
// (5% apart), each sample weighted by its pod's request and by a decay of
// half-life HalfLife; the target is its 90th percentile plus a 15% margin,
// the lower and upper bounds its 50th and 95th with the margin, widened by
// how little history there is (one day of samples is full confidence),
// all within MinCPU and MaxCPU. The updater then names the pods whose
// request lies outside the bounds (or, for a pod older than 12 h, more
// than 10% off the target): in recreate mode one at a time, and only while
// every pod is ready and there are at least two (a PodDisruptionBudget of
// one); in in_place mode all of them, the mechanics resizing each in
// place when its node has room and evicting otherwise.
//
// Simplification: the recommender keeps one histogram for the pods (as
// VPA aggregates a Deployment's containers) with the run's samples only,
// no history from before time zero.
type VPA struct {
	cfg         VPAConfig
	weights     []float64 // by bucket
	total       float64
	ref         sim.Time // the decay's reference instant
	first, last sim.Time
	samples     int
	next        sim.Time // the next recommender and updater run
	rec         VPARecommendation
}

// VPARecommendation is a recommendation, in cores.
type VPARecommendation struct {
	Target, Lower, Upper float64
}

// NewVPA returns the autoscaler c describes. Errors are *FieldError
// naming the key below vpa.
func NewVPA(c VPAConfig) (*VPA, error) {
	if !slices.Contains(VPAModes(), c.Mode) {
		return nil, fieldErrorf("mode", "unknown mode %q: want off, recreate or in_place", c.Mode)
	}
	if c.MinCPU < 0 || math.IsInf(c.MinCPU, 0) || math.IsNaN(c.MinCPU) {
		return nil, fieldErrorf("min_cpu", "must be at least 0 cores (got %v)", c.MinCPU)
	}
	if c.MaxCPU != 0 && !(c.MaxCPU >= c.MinCPU && c.MaxCPU <= vpaMaxCPU) {
		return nil, fieldErrorf("max_cpu", "must lie between min_cpu (%v) and %v cores (got %v)", c.MinCPU, vpaMaxCPU, c.MaxCPU)
	}
	if c.HalfLife == 0 {
		c.HalfLife = VPAHalfLife
	}
	if c.HalfLife < sim.Minute {
		return nil, fieldErrorf("half_life", "must be at least 1m (got %v)", c.HalfLife)
	}
	return &VPA{cfg: c, weights: make([]float64, vpaBuckets()), next: sim.Time(VPAInterval)}, nil
}

// vpaBuckets is the number of histogram buckets up to vpaMaxCPU.
func vpaBuckets() int {
	return int(math.Ceil(math.Log(vpaMaxCPU*(vpaBucketRatio-1)/vpaFirstBucket+1)/math.Log(vpaBucketRatio))) + 1
}

// bucketStart is where bucket b begins, in cores.
func bucketStart(b int) float64 {
	return vpaFirstBucket * (math.Pow(vpaBucketRatio, float64(b)) - 1) / (vpaBucketRatio - 1)
}

// bucketOf is the bucket holding x cores.
func bucketOf(x float64) int {
	if x < vpaFirstBucket {
		return 0
	}
	b := int(math.Floor(math.Log(x*(vpaBucketRatio-1)/vpaFirstBucket+1) / math.Log(vpaBucketRatio)))
	return min(b, vpaBuckets()-1)
}

// Mode returns the update mode.
func (v *VPA) Mode() string { return v.cfg.Mode }

// Recommendation returns the latest recommendation (zero before the
// first sample).
func (v *VPA) Recommendation() VPARecommendation { return v.rec }

// add records a usage sample of x cores from a pod requesting req cores
// at t.
func (v *VPA) add(x, req float64, t sim.Time) {
	if v.samples == 0 {
		v.first, v.ref = t, t
	}
	exp := float64(t-v.ref) / float64(v.cfg.HalfLife)
	if exp > vpaRenormalize {
		scale := math.Exp2(-exp)
		for b := range v.weights {
			v.weights[b] *= scale
		}
		v.total *= scale
		v.ref, exp = t, 0
	}
	w := max(req, vpaMinSampleWeight) * math.Exp2(exp)
	v.weights[bucketOf(x)] += w
	v.total += w
	v.last = t
	v.samples++
}

// percentile is the end of the bucket where the cumulative weight reaches
// p of the total, as VPA's histogram answers.
func (v *VPA) percentile(p float64) float64 {
	var sum float64
	for b, w := range v.weights {
		sum += w
		if sum >= p*v.total {
			return bucketStart(b + 1)
		}
	}
	return bucketStart(len(v.weights))
}

// recommend computes the recommendation from the histogram.
func (v *VPA) recommend() VPARecommendation {
	days := float64(v.last-v.first) / float64(sim.Day)
	conf := min(days, float64(v.samples)/(60*24))
	margin := 1 + VPASafetyMargin
	upper := vpaMaxCPU // no confidence at all: no upper bound
	if conf > 0 {
		upper = v.percentile(VPAUpperPercentile) * margin * (1 + 1/conf)
	}
	r := VPARecommendation{
		Target: v.percentile(VPATargetPercentile) * margin,
		Lower:  v.percentile(VPALowerPercentile) * margin * math.Pow(1+0.001/math.Max(conf, 1e-9), -2),
		Upper:  upper,
	}
	lo, hi := max(v.cfg.MinCPU, VPAMinCPU), v.cfg.MaxCPU
	if hi == 0 {
		hi = vpaMaxCPU
	}
	clamp := func(x float64) float64 { return math.Round(min(max(x, lo), hi)*1000) / 1000 } // millicores
	return VPARecommendation{Target: clamp(r.Target), Lower: clamp(r.Lower), Upper: clamp(r.Upper)}
}

// Decide runs the recommender and the updater once a minute: it returns
// the target, which the admission controller gives new pods (0 in off
// mode or before the first sample), the pods to update, and a line on
// why, "" when no pod is to be updated.
func (v *VPA) Decide(obs Observation) (float64, []int, string) {
	if obs.Now < v.next {
		return 0, nil, ""
	}
	v.next = obs.Now.Add(VPAInterval)
	for _, p := range obs.Pods {
		if p.Running && p.Metric.OK {
			v.add(p.Metric.CPU, p.CPU, p.Metric.At)
		}
	}
	if v.samples == 0 {
		return 0, nil, ""
	}
	v.rec = v.recommend()
	if v.cfg.Mode == VPAModeOff {
		return 0, nil, ""
	}
	update, why := v.updates(obs)
	return v.rec.Target, update, why
}

// cores writes x cores: "1.15".
func cores(x float64) string { return num3(x) }

// outside reports whether pod p's request needs updating.
func (v *VPA) outside(p PodView, now sim.Time) bool {
	r := v.rec
	if p.CPU < r.Lower || p.CPU > r.Upper {
		return true
	}
	return p.StartTime.Add(VPALifetimeThreshold) <= now && math.Abs(p.CPU-r.Target) > VPAUpdateThreshold*p.CPU
}

// updates returns the pods the updater names now, the furthest off the
// target first, and why.
func (v *VPA) updates(obs Observation) ([]int, string) {
	var out []PodView
	live, ready := 0, 0
	for _, p := range obs.Pods {
		if !p.Running {
			continue
		}
		live++
		if p.Ready {
			ready++
		}
		if p.Ready && v.outside(p, obs.Now) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, ""
	}
	if v.cfg.Mode == VPAModeRecreate {
		if live < VPAMinReplicas || ready < live {
			return nil, "" // the disruption budget allows no eviction now
		}
	}
	slices.SortStableFunc(out, func(a, b PodView) int {
		da, db := math.Abs(a.CPU-v.rec.Target), math.Abs(b.CPU-v.rec.Target)
		switch {
		case da > db:
			return -1
		case da < db:
			return 1
		}
		return 0
	})
	if v.cfg.Mode == VPAModeRecreate {
		out = out[:1]
	}
	ids := make([]int, len(out))
	for i, p := range out {
		ids[i] = p.ID
	}
	verb := "evicting"
	if v.cfg.Mode == VPAModeInPlace {
		verb = "resizing"
	}
	return ids, fmt.Sprintf("VPA updater: %s %s to cpu %s (request %s outside %s to %s)", verb, plural(len(ids), "pod"),
		cores(v.rec.Target), cores(out[0].CPU), cores(v.rec.Lower), cores(v.rec.Upper))
}
