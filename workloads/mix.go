package workloads

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/scalesim/scalesim/sim"
)

// maxMixDepth bounds how deeply mix workloads may nest.
const maxMixDepth = 8

// sum is the profile of a superposition: rates and bounds add, a piece ends
// where any component's piece ends, and it is exact when all are.
type sum struct {
	parts []profile
}

func (s sum) rate(t sim.Time) float64 {
	r := 0.0
	for _, p := range s.parts {
		r += p.rate(t)
	}
	return r
}

func (s sum) bound(t sim.Time) (float64, sim.Time, bool) {
	total, until, exact := 0.0, sim.Never, true
	for _, p := range s.parts {
		m, u, e := p.bound(t)
		total += m
		until = min(until, u)
		exact = exact && e
	}
	return total, until, exact
}

func (s sum) integral(from, to sim.Time) float64 {
	n := 0.0
	for _, p := range s.parts {
		n += p.integral(from, to)
	}
	return n
}

// newMixProfile builds the sum of synthetic components.
func newMixProfile(cfg Config, depth int) (profile, error) {
	if len(cfg.Components) == 0 {
		return nil, fmt.Errorf("mix: no components")
	}
	if depth >= maxMixDepth {
		return nil, fmt.Errorf("mix: nested more than %d deep", maxMixDepth)
	}
	parts := make([]profile, len(cfg.Components))
	for i, c := range cfg.Components {
		p, err := profileOf(c, depth+1)
		if err != nil {
			return nil, fmt.Errorf("mix: component %d: %w", i+1, err)
		}
		parts[i] = p
	}
	return sum{parts: parts}, nil
}

// newMixSource superposes components when some replay a trace: the
// synthetic ones share one thinning source and the traces run beside it,
// merged in time order (ties go to the earlier component).
func newMixSource(cfg Config, rng *rand.Rand, depth int) (Source, error) {
	if len(cfg.Components) == 0 {
		return nil, fmt.Errorf("mix: no components")
	}
	if depth >= maxMixDepth {
		return nil, fmt.Errorf("mix: nested more than %d deep", maxMixDepth)
	}
	var parts []profile
	var srcs []Source
	for i, c := range cfg.Components {
		var err error
		if hasTrace(c) {
			var s Source
			s, err = build(c, rng, depth+1)
			srcs = append(srcs, s)
		} else {
			var p profile
			p, err = profileOf(c, depth+1)
			parts = append(parts, p)
		}
		if err != nil {
			return nil, fmt.Errorf("mix: component %d: %w", i+1, err)
		}
	}
	if len(parts) > 0 {
		srcs = append([]Source{newThinning(sum{parts: parts}, rng)}, srcs...)
	}
	if len(srcs) == 1 {
		return srcs[0], nil
	}
	return &merge{srcs: srcs, heads: make([]sim.Time, len(srcs)), live: make([]bool, len(srcs))}, nil
}

// merge interleaves sources in time order.
type merge struct {
	srcs    []Source
	heads   []sim.Time
	live    []bool
	started bool
	err     error
}

func (m *merge) Next() (sim.Time, bool) {
	if !m.started {
		m.started = true
		for i := range m.srcs {
			if !m.pull(i) {
				return 0, false
			}
		}
	}
	best := -1
	for i, ok := range m.live {
		if ok && (best < 0 || m.heads[i] < m.heads[best]) {
			best = i
		}
	}
	if best < 0 {
		return 0, false
	}
	t := m.heads[best]
	if !m.pull(best) {
		return 0, false
	}
	return t, true
}

// pull refills source i's head; it returns false when the source failed.
func (m *merge) pull(i int) bool {
	m.heads[i], m.live[i] = m.srcs[i].Next()
	if !m.live[i] {
		if err := m.srcs[i].Err(); err != nil {
			m.err = err
			m.Close()
			return false
		}
	}
	return true
}

func (m *merge) Err() error { return m.err }

// Warnings gathers the warnings of the trace components, in order.
func (m *merge) Warnings() []string {
	var out []string
	for _, s := range m.srcs {
		if w, ok := s.(Warner); ok {
			out = append(out, w.Warnings()...)
		}
	}
	return out
}

// Close releases the files of the trace components.
func (m *merge) Close() error {
	var first error
	for i, s := range m.srcs {
		m.live[i] = false
		if c, ok := s.(io.Closer); ok {
			if err := c.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
