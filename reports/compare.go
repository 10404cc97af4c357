package reports

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Delta is a paired comparison of one figure between a strategy and the
// baseline over the same replications (common random numbers): the mean of
// the per-replication differences and its Student-t 95% half-width. With one
// replication there is no interval: HalfWidth is 0 and Replications 1.
type Delta struct {
	Key          string  `json:"key"`
	Baseline     float64 `json:"baseline"`     // mean of the baseline's figure
	Value        float64 `json:"value"`        // mean of the strategy's figure
	Diff         float64 `json:"diff"`         // mean of value − baseline per replication
	HalfWidth    float64 `json:"half_width"`   // 95% half-width of Diff (0 with one replication)
	Replications int     `json:"replications"` // pairs compared
	// Significant is true when the interval excludes zero; with one
	// replication nothing is significant, as benchstat says "~".
	Significant bool `json:"significant"`
}

// Relative returns Diff as a fraction of Baseline (NaN when it is 0).
func (d Delta) Relative() float64 {
	if d.Baseline == 0 {
		return math.NaN()
	}
	return d.Diff / d.Baseline
}

// Paired compares strategy other with baseline replication by replication:
// base[r] and other[r] come from replication r (the same seed). keys name
// the figures to compare (keys of the table of figures; a derived one
// must have a value in every replication).
func Paired(base, other []StrategySummary, keys []string) ([]Delta, error) {
	if len(base) != len(other) || len(base) == 0 {
		return nil, fmt.Errorf("paired comparison: %d baseline and %d other replications", len(base), len(other))
	}
	out := make([]Delta, 0, len(keys))
	for _, key := range keys {
		id, ok := FigureOf(key)
		if !ok {
			return nil, fmt.Errorf("no figure %q in a strategy summary", key)
		}
		d, ok := pairedDelta(base, other, id.def())
		if !ok {
			return nil, fmt.Errorf("paired comparison: %s has no value in some replication", key)
		}
		out = append(out, d)
	}
	return out, nil
}

// pairedDelta compares figure f of base[r] and other[r] over the
// replications r (len(base) == len(other) > 0); false when f has no value
// in some replication of either.
func pairedDelta(base, other []StrategySummary, f figureDef) (Delta, bool) {
	n := len(base)
	d := Delta{Key: f.key, Replications: n}
	diffs := make([]float64, n)
	for r := range n {
		b, okB := f.value.get(&base[r])
		v, okV := f.value.get(&other[r])
		if !okB || !okV {
			return Delta{}, false
		}
		d.Baseline += b / float64(n)
		d.Value += v / float64(n)
		diffs[r] = v - b
	}
	mean, sd := meanSD(diffs)
	d.Diff = mean
	if n > 1 {
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
		d.HalfWidth = t * sd / math.Sqrt(float64(n))
		d.Significant = math.Abs(mean) > d.HalfWidth
	}
	return d, true
}

// CompareToBaseline compares one strategy with the baseline replication by
// replication (Paired) on every figure of ComparedKeys: base[r] and
// other[r] come from replication r. A derived figure is left out when it
// has no value in a replication of either strategy (the cost per million
// completed requests when one completed nothing).
func CompareToBaseline(base, other []StrategySummary) ([]Delta, error) {
	if len(base) != len(other) || len(base) == 0 {
		return nil, fmt.Errorf("paired comparison: %d baseline and %d other replications", len(base), len(other))
	}
	var out []Delta
	for _, id := range layout() {
		f := id.def()
		if !f.compared {
			continue
		}
		d, ok := pairedDelta(base, other, f)
		if !ok {
			if f.stored() {
				return nil, fmt.Errorf("paired comparison: %s has no value", f.key)
			}
			continue
		}
		out = append(out, d)
	}
	return out, nil
}
