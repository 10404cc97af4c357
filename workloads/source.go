package workloads

import (
	"io"
	"io/fs"

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

// Warner is implemented by trace sources (and mixes holding one): Warnings
// returns what the replay skipped or moved so far, one line each, nil when
// nothing; read it after the replay for the full list.
type Warner interface {
	Warnings() []string
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
	Path   string // for messages; the file is read through Open or FS
	Format string // the name of one of Formats
	// Column picks what to read, for the formats that take it
	// (Options.Column): for timestamps and counts, a CSV column name or
	// 1-based index (empty = the first column for timestamps, the last for
	// counts); for cloudwatch, the metric's Id or Label in a
	// get-metric-data export (needed when it holds several metrics) or the
	// statistic of a get-metric-statistics export (default Sum).
	Column string
	// Interval is the span of one count, for the formats that take it
	// (Options.Interval): required for counts; for cloudwatch, 0 infers
	// the period from the datapoints' spacing. At most MaxTraceInterval.
	Interval sim.Duration

	RateScale float64      // multiplies the rate (0 = default 1; at most MaxScale)
	TimeScale float64      // stretches time: 2 plays the trace at half speed (0 = default 1; at most MaxScale)
	Start     sim.Duration // cut: skip the trace's first Start (trace time, before TimeScale)
	End       sim.Duration // cut: stop at End after the trace's beginning (0 = to the end)

	// Strict makes the first malformed line of an alb log an error (the
	// formats whose Options.Strict is not Unused). By default malformed
	// lines are skipped, counted, and reported with their line numbers by
	// the source's Warnings and by TraceInfo.Warnings.
	Strict bool

	// Open opens the trace file. The package does no file I/O of its own:
	// the caller gives either Open or FS. Gzip is detected by the reader
	// from the magic bytes, whatever the name.
	Open func() (io.ReadCloser, error)
	// FS, used when Open is nil, holds the trace at Name (a slash-separated
	// path valid for fs.ValidPath; empty = Path). For format alb, Name may
	// be a directory, as S3 delivers logs: every file below it is read,
	// except hidden ones and AWS's ELBAccessLogTestFile, and their arrivals
	// are merged in time order. Messages name such a file as Path joined
	// with its path below the directory.
	FS   fs.FS
	Name string
}
