package workloads

import (
	"io"

	"github.com/scalesim/scalesim/sim"
)

// Source yields arrival instants in non-decreasing order, one at a time, so a
// day of traffic never sits in memory.
type Source interface {
	// Next returns the next arrival instant, or false when the source is
	// exhausted or failed (then Err says why).
	Next() (sim.Time, bool)
	// Err returns the error that stopped the source, if any.
	Err() error
}

// Config describes a workload. It is plain data: the scenarios package fills
// it from YAML and validates it; New builds the Source.
type Config struct {
	Type string // poisson | steps | diurnal | spike | ramp | trace | mix

	Rate float64 // poisson: requests per second

	Steps []Step // steps: piecewise-constant rate, sorted by At, first At = 0

	// diurnal: rate(t) = Base + (Peak-Base) * (1+cos(2π(h-PeakHour)/P))/2,
	// h the hour of the period, P = Period (default 24h).
	Base     float64
	Peak     float64
	PeakHour float64
	Period   sim.Duration

	// spike: Base until At, linear rise to Peak over Rise, Peak for Hold,
	// linear fall back to Base over Fall. (Base and Peak shared with diurnal.)
	At   sim.Duration
	Rise sim.Duration
	Hold sim.Duration
	Fall sim.Duration

	// ramp: From until At, linear to To over Over, then To.
	From float64
	To   float64
	Over sim.Duration

	Components []Config // mix: the sum of these workloads

	Trace *TraceConfig // trace
}

// Step is one piece of a steps workload: Rate from At until the next step.
type Step struct {
	At   sim.Duration
	Rate float64
}

// TraceConfig describes a recorded-traffic replay.
type TraceConfig struct {
	Path     string       // for messages; the file is read through Open
	Format   string       // timestamps | counts
	Column   string       // CSV column name or 1-based index; empty = first column (timestamps) or last (counts)
	Interval sim.Duration // counts: the length of one count's interval

	RateScale float64      // multiplies the rate (0 = default 1; at most 1e9)
	TimeScale float64      // stretches time: 2 plays the trace at half speed (0 = default 1)
	Start     sim.Duration // cut: skip the trace's first Start (trace time, before TimeScale)
	End       sim.Duration // cut: stop at End after the trace's beginning (0 = to the end)

	// Open opens the trace file (required: the package does no file I/O of
	// its own). Gzip is detected
	// by the reader from the magic bytes, whatever the name.
	Open func() (io.ReadCloser, error)
}
