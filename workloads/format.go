package workloads

import (
	"io"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// Need says whether a trace format takes one of TraceConfig's options.
type Need int

const (
	// Unused: the format does not read the option; setting it is an error.
	Unused Need = iota
	// Optional: the format reads the option when it is set.
	Optional
	// Required: the format cannot be read without the option.
	Required
)

// Options says which of TraceConfig's options a format takes. Every format
// takes the replay's RateScale, TimeScale, Start and End.
type Options struct {
	Column   Need // a CSV column, or what to read of a CloudWatch export
	Interval Need // the span of one count
	Strict   Need // a malformed line is an error instead of being skipped
	// Dir reports that the trace may be a directory of files (read
	// through TraceConfig.FS) merged into one trace.
	Dir bool
}

// Format is one trace format: its name, the options it takes, how it is
// recognised from a file's beginning, its reader and, for some, its writer.
// Formats lists them all; the rest of the module reads that list and never
// names a format.
type Format struct {
	// Name is the format's name in TraceConfig.Format, a scenario's
	// workload.format and the CLI's --format.
	Name    string
	Options Options
	// Summary says in a few words what a trace of the format holds, for
	// help texts: "one count per interval".
	Summary string
	// Written describes, for a format with a writer, the file a conversion
	// to it writes, for help texts.
	Written string

	// detect tells how well a trace's beginning reads as this format and,
	// for counts, the interval it infers (0 when unknown).
	detect func(*sample) (match, sim.Duration)
	// instants opens a trace of arrival instants, counts one of counts per
	// interval: exactly one is set.
	instants func(*traceParams) (instantStream, error)
	counts   func(*traceParams) (countStream, error)
	// write writes a converted trace in this format (nil: no writer).
	write func(*Conversion, io.Writer) (int64, TraceInfo, error)
	// serviceTimes reads the per-request timings the format records (nil:
	// it records none).
	serviceTimes func(*traceParams, func(float64) error) (ServiceTimeInfo, error)
}

// Formats returns the trace formats, in the order messages list them.
func Formats() []Format {
	return []Format{timestampsFormat(), countsFormat(), albFormat(), cloudWatchFormat()}
}

// FormatNames returns the names of the trace formats, in the order of
// Formats.
func FormatNames() []string {
	return formatNames(func(Format) bool { return true })
}

// formatNames returns the names of the formats keep accepts, in order.
func formatNames(keep func(Format) bool) []string {
	var out []string
	for _, f := range Formats() {
		if keep(f) {
			out = append(out, f.Name)
		}
	}
	return out
}

// LookupFormat returns the format called name.
func LookupFormat(name string) (Format, bool) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Counts reports whether the format records counts per interval (replayed
// as a Poisson process at each interval's rate) rather than the instants
// of arrivals.
func (f Format) Counts() bool { return f.counts != nil }

// Writable reports whether Convert writes the format.
func (f Format) Writable() bool { return f.write != nil }

// HasServiceTimes reports whether the format records each request's
// timings, which ServiceTimes reads.
func (f Format) HasServiceTimes() bool { return f.serviceTimes != nil }

// WritableNames returns the names of the formats Convert writes, in the
// order of Formats.
func WritableNames() []string { return formatNames(Format.Writable) }

// orList renders names as "a, b or c".
func orList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
