package workloads

import (
	"io"
	"math"

	"github.com/scalesim/scalesim/sim"
)

// TraceInfo describes a trace file as recorded, before any window or
// scaling (Peek ignores Start, End, RateScale and TimeScale).
type TraceInfo struct {
	Format string // the format's name (see Formats)

	// Records is the number of data rows (timestamps), valid log lines
	// (alb) or counts (counts, cloudwatch), headers, blank and skipped
	// lines excluded.
	Records int64
	// Arrivals is the number of recorded arrivals: Records for timestamps
	// and alb, the sum of the counts for counts and cloudwatch.
	Arrivals float64
	// MaxCount is the largest count of one interval (counts, cloudwatch).
	MaxCount float64
	// Intervals is the number of intervals from the first count to the
	// last, missing rows included (counts, cloudwatch).
	Intervals int64
	// Interval is the span of one count (counts, cloudwatch: the period
	// given, or inferred from the datapoints).
	Interval sim.Duration

	// DateTime reports that First and Last are date-times, in nanoseconds
	// since the Unix epoch (UTC; always so for alb and cloudwatch).
	// Otherwise, for timestamps, they are the plain-number seconds in
	// nanoseconds, and for counts without a time column they are trace
	// time: 0 and (Intervals-1)·Interval.
	DateTime bool
	// First and Last are the timestamps of the first and last record (alb:
	// the earliest and latest request_creation_time); for counts, the
	// start of the first and last interval.
	First, Last int64

	// Span is the trace time covered: Last-First for timestamps and alb,
	// Intervals·Interval for counts (saturating at sim.Never).
	Span sim.Duration

	// Warnings describe what the reading skipped or moved without failing
	// (alb: malformed lines with their line numbers, requests longer than
	// the reorder window; cloudwatch: a partial export), one line each.
	Warnings []string
}

// Peek reads a whole trace once, streaming, and describes it. It checks the
// file as a replay would (format, order, values) and returns the same
// *TraceError on a problem, so a scenario's trace can be validated without
// running it.
func Peek(cfg TraceConfig) (TraceInfo, error) {
	p, err := checkTrace(&cfg)
	if err != nil {
		return TraceInfo{}, err
	}
	return scan(p, nil)
}

// Instants streams the arrival instants of a trace (one whose Format is
// not Counts) to fn, in order, and then describes the trace as Peek does. An instant is
// in ns since the Unix epoch when dateTime (the same for every instant),
// else since 0. The arrivals are the ones a replay takes (an alb directory
// merged, malformed lines skipped, requests longer than the reorder window
// moved), before any window or scale. A trace of counts has no instants:
// it is an error.
func Instants(cfg TraceConfig, fn func(ns int64, dateTime bool) error) (TraceInfo, error) {
	p, err := checkTrace(&cfg)
	if err != nil {
		return TraceInfo{}, err
	}
	if p.format.Counts() {
		return TraceInfo{}, &TraceError{File: p.path, Msg: "a " + p.format.Name + " trace holds counts per interval, not the instants of requests",
			Hint: "convert it to counts instead; its replay draws the instants"}
	}
	r, err := openInstants(p)
	if err != nil {
		return TraceInfo{}, err
	}
	defer r.Close()
	return scanInstants(r, p, func(at int64, _ float64) error { return fn(at, r.isDateTime()) })
}

// visitor receives a trace's records in order: an arrival instant (n = 1)
// or a count n over [at, at+TraceInfo.Interval). Times are on the clock of
// TraceInfo.First. An error stops the scan.
type visitor func(at int64, n float64) error

// scan reads a whole trace, passing each record to visit (when not nil).
func scan(p *traceParams, visit visitor) (TraceInfo, error) {
	if p.format.Counts() {
		r, err := openCounts(p)
		if err != nil {
			return TraceInfo{}, err
		}
		defer r.Close()
		return scanCounts(r, p, visit)
	}
	r, err := openInstants(p)
	if err != nil {
		return TraceInfo{}, err
	}
	defer r.Close()
	return scanInstants(r, p, visit)
}

func scanInstants(r instantStream, p *traceParams, visit visitor) (TraceInfo, error) {
	info := TraceInfo{Format: p.format.Name}
	for {
		ns, line, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return TraceInfo{}, err
		}
		if info.Records == 0 {
			info.First = ns
		}
		span, ok := sub(ns, info.First)
		if !ok {
			return TraceInfo{}, r.fail(line, "", "the trace spans more than 292 years")
		}
		info.Last, info.Span = ns, sim.Duration(span)
		info.Records++
		if visit != nil {
			if err := visit(ns, 1); err != nil {
				return TraceInfo{}, err
			}
		}
	}
	info.Arrivals = float64(info.Records)
	info.DateTime = r.isDateTime()
	info.Warnings = r.warnings()
	return info, nil
}

func scanCounts(r countStream, p *traceParams, visit visitor) (TraceInfo, error) {
	info := TraceInfo{Format: p.format.Name}
	var last countRow
	for {
		row, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return TraceInfo{}, err
		}
		if info.Records == 0 {
			info.First = row.stamp
			info.DateTime = r.isDateTime()
		}
		info.Records++
		info.Arrivals += row.count
		info.MaxCount = max(info.MaxCount, row.count)
		last = row
		if visit != nil {
			if err := visit(satAdd(info.First, row.index*r.interval()), row.count); err != nil {
				return TraceInfo{}, err
			}
		}
	}
	iv := r.interval()
	info.Interval = sim.Duration(iv)
	info.Intervals = last.index + 1
	if info.DateTime {
		info.Last = last.stamp
	} else {
		info.Last = satMul(last.index, iv)
	}
	info.Span = sim.Duration(satMul(info.Intervals, iv))
	info.Warnings = r.warnings()
	return info, nil
}

// satAdd returns a+b for b ≥ 0, saturating at math.MaxInt64.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// satMul returns a·b for a, b ≥ 0, saturating at math.MaxInt64.
func satMul(a, b int64) int64 {
	if b != 0 && a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}
