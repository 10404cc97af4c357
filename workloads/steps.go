package workloads

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// newSteps builds a piecewise-constant rate: Steps[i].Rate from Steps[i].At
// until the next step's At. Steps must be sorted by At with the first at 0;
// of two steps at the same instant the later wins.
func newSteps(cfg Config) (profile, error) {
	if len(cfg.Steps) == 0 {
		return nil, fmt.Errorf("steps: no steps")
	}
	if cfg.Steps[0].At != 0 {
		return nil, fmt.Errorf("steps: the first step is at %v, want 0", cfg.Steps[0].At)
	}
	var b pieceBuilder
	for i, st := range cfg.Steps {
		if err := checkRate(fmt.Sprintf("step %d: rate", i+1), st.Rate); err != nil {
			return nil, fmt.Errorf("steps: %w", err)
		}
		if i == len(cfg.Steps)-1 {
			break
		}
		next := cfg.Steps[i+1].At
		if next < st.At {
			return nil, fmt.Errorf("steps: step %d at %v comes before step %d at %v; sort the steps by time", i+2, next, i+1, st.At)
		}
		b.flat(sim.Time(next), st.Rate)
	}
	return b.forever(cfg.Steps[len(cfg.Steps)-1].Rate), nil
}
