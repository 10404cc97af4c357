package workloads

// The readers behind the replays, Peek and Stats. A trace is either a
// stream of arrival instants or a stream of counts per interval (its
// Format has one of the two readers); each kind has one replay source.

// instantStream yields a trace's arrival instants in non-decreasing order.
type instantStream interface {
	// next returns the next instant in ns (since the Unix epoch for
	// date-times) and its line (0 when unknown); at the end io.EOF, or a
	// *TraceError when the trace held no record.
	next() (int64, int, error)
	// fail builds a *TraceError at a line of the file the last instant
	// came from.
	fail(line int, hint, format string, args ...any) *TraceError
	// isDateTime reports whether the instants are date-times.
	isDateTime() bool
	// warnings describes what was skipped or moved so far, one line each.
	warnings() []string
	Close() error
}

// countStream yields a trace's counts in interval order.
type countStream interface {
	// next returns the next count; at the end io.EOF, or a *TraceError
	// when the trace held no count.
	next() (countRow, error)
	// interval is the span of one count in ns; it is known once the first
	// count has been read.
	interval() int64
	// isDateTime reports whether rows carry date-times (countRow.stamp).
	isDateTime() bool
	// warnings describes problems that did not stop the reading.
	warnings() []string
	Close() error
}

// openInstants opens a trace of arrival instants.
func openInstants(p *traceParams) (instantStream, error) { return p.format.instants(p) }

// openCounts opens a trace of counts per interval.
func openCounts(p *traceParams) (countStream, error) { return p.format.counts(p) }
