package workloads

import (
	"fmt"
)

// newRamp builds From until At, a linear change to To over Over, then To
// for ever.
func newRamp(cfg Config) (profile, error) {
	if err := checkRate("from", cfg.From); err != nil {
		return nil, fmt.Errorf("ramp: %w", err)
	}
	if err := checkRate("to", cfg.To); err != nil {
		return nil, fmt.Errorf("ramp: %w", err)
	}
	marks, err := cumulate([]string{"at", "over"}, cfg.At, cfg.Over)
	if err != nil {
		return nil, fmt.Errorf("ramp: %w", err)
	}
	var b pieceBuilder
	b.flat(marks[0], cfg.From)
	b.linear(marks[1], cfg.From, cfg.To)
	return b.forever(cfg.To), nil
}
