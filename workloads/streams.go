package workloads

// The readers behind the replays, Peek and Stats. A trace is either a
// stream of arrival instants (timestamps, alb) or a stream of counts per
// interval (counts, cloudwatch); each kind has one replay source.

// instantStream yields a timestamps or alb trace's arrival instants in
// non-decreasing order.
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

// countStream yields a counts or cloudwatch trace's counts in interval
// order.
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

// openInstants opens a timestamps or alb trace.
func openInstants(p *traceParams) (instantStream, error) {
	if p.format == "alb" {
		s, err := openALB(p)
		if err != nil {
			return nil, err
		}
		return readAheadALB(s), nil
	}
	in, err := openInput(p.path, p.open, true)
	if err != nil {
		return nil, err
	}
	return newStampReader(in, p), nil
}

// openCounts opens a counts or cloudwatch trace.
func openCounts(p *traceParams) (countStream, error) {
	if p.format == "cloudwatch" {
		return openCloudWatch(p)
	}
	in, err := openInput(p.path, p.open, false)
	if err != nil {
		return nil, err
	}
	return newCountReader(in, p), nil
}
