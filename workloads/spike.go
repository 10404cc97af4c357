package workloads

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// newSpike builds Base until At, a linear rise to Peak over Rise, Peak for
// Hold, a linear fall back to Base over Fall, then Base for ever.
func newSpike(cfg Config) (profile, error) {
	if err := checkRate("base", cfg.Base); err != nil {
		return nil, fmt.Errorf("spike: %w", err)
	}
	if err := checkRate("peak", cfg.Peak); err != nil {
		return nil, fmt.Errorf("spike: %w", err)
	}
	marks, err := cumulate([]string{"at", "rise", "hold", "fall"}, cfg.At, cfg.Rise, cfg.Hold, cfg.Fall)
	if err != nil {
		return nil, fmt.Errorf("spike: %w", err)
	}
	var b pieceBuilder
	b.flat(marks[0], cfg.Base)
	b.linear(marks[1], cfg.Base, cfg.Peak)
	b.flat(marks[2], cfg.Peak)
	b.linear(marks[3], cfg.Peak, cfg.Base)
	return b.forever(cfg.Base), nil
}

// cumulate returns the running sums of non-negative durations as instants,
// failing on a negative duration or an overflow.
func cumulate(names []string, ds ...sim.Duration) ([]sim.Time, error) {
	out := make([]sim.Time, len(ds))
	var t sim.Time
	for i, d := range ds {
		if d < 0 {
			return nil, fmt.Errorf("%s %v: must be ≥ 0", names[i], d)
		}
		if t > sim.Never-sim.Time(d) {
			return nil, fmt.Errorf("%s %v: the workload's timeline overflows", names[i], d)
		}
		t = t.Add(d)
		out[i] = t
	}
	return out, nil
}
