package reports

import (
	"fmt"
	"math"
	"reflect"

	"gonum.org/v1/gonum/stat/distuv"
)

// Figure returns the numeric figure of s named by its JSON path, such as
// "latency_ms.p99" or "cost_usd.total".
func Figure(s StrategySummary, key string) (float64, error) {
	for _, l := range numericLeaves(reflect.TypeFor[StrategySummary]()) {
		if l.key == key {
			return reflect.ValueOf(s).FieldByIndex(l.index).Convert(reflect.TypeFor[float64]()).Float(), nil
		}
	}
	return 0, fmt.Errorf("no figure %q in a strategy summary", key)
}

// FigureKeys lists every numeric figure's JSON path, in output order.
func FigureKeys() []string {
	var keys []string
	for _, l := range numericLeaves(reflect.TypeFor[StrategySummary]()) {
		keys = append(keys, l.key)
	}
	return keys
}

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
// the figures to compare.
func Paired(base, other []StrategySummary, keys []string) ([]Delta, error) {
	if len(base) != len(other) || len(base) == 0 {
		return nil, fmt.Errorf("paired comparison: %d baseline and %d other replications", len(base), len(other))
	}
	n := len(base)
	out := make([]Delta, 0, len(keys))
	diffs := make([]float64, n)
	for _, key := range keys {
		d := Delta{Key: key, Replications: n}
		for r := range n {
			b, err := Figure(base[r], key)
			if err != nil {
				return nil, err
			}
			v, _ := Figure(other[r], key)
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
		out = append(out, d)
	}
	return out, nil
}
