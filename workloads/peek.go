package workloads

import (
	"io"
	"math"

	"github.com/scalesim/scalesim/sim"
)

// TraceInfo describes a trace file as recorded, before any window or
// scaling (Peek ignores Start, End, RateScale and TimeScale).
type TraceInfo struct {
	Format string // "timestamps" or "counts"

	// Records is the number of data rows (timestamps) or of counts
	// (counts), headers and blank lines excluded.
	Records int64
	// Arrivals is the number of recorded arrivals: Records for timestamps,
	// the sum of the counts for counts.
	Arrivals float64
	// MaxCount is the largest count of one interval (counts only).
	MaxCount float64
	// Intervals is the number of intervals from the first count to the
	// last, missing rows included (counts only).
	Intervals int64

	// DateTime reports that First and Last are date-times, in nanoseconds
	// since the Unix epoch (UTC). Otherwise, for timestamps, they are the
	// plain-number seconds in nanoseconds, and for counts without a time
	// column they are trace time: 0 and (Intervals-1)·Interval.
	DateTime bool
	// First and Last are the timestamps of the first and last record; for
	// counts, the start of the first and last interval.
	First, Last int64

	// Span is the trace time covered: Last-First for timestamps,
	// Intervals·Interval for counts (saturating at sim.Never).
	Span sim.Duration
}

// Peek reads a whole trace once, streaming, and describes it. It checks the
// file as a replay would (format, order, values) and returns the same
// *TraceError on a problem, so a scenario's trace can be validated without
// running it.
func Peek(cfg TraceConfig) (TraceInfo, error) {
	p, err := checkTrace(&cfg, false)
	if err != nil {
		return TraceInfo{}, err
	}
	in, err := openInput(p.path, p.open)
	if err != nil {
		return TraceInfo{}, err
	}
	defer in.Close()
	if p.format == "counts" {
		return peekCounts(in, p)
	}
	return peekStamps(in, p)
}

func peekStamps(in *traceInput, p *traceParams) (TraceInfo, error) {
	info := TraceInfo{Format: p.format}
	r := newStampReader(in, p)
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
			return TraceInfo{}, in.fail(line, "", "the trace spans more than 292 years")
		}
		info.Last, info.Span = ns, sim.Duration(span)
		info.Records++
	}
	info.Arrivals = float64(info.Records)
	info.DateTime = r.dateTime
	return info, nil
}

func peekCounts(in *traceInput, p *traceParams) (TraceInfo, error) {
	info := TraceInfo{Format: p.format}
	r := newCountReader(in, p)
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
		}
		info.Records++
		info.Arrivals += row.count
		info.MaxCount = max(info.MaxCount, row.count)
		last = row
	}
	info.Intervals = last.index + 1
	info.DateTime = r.timeCol >= 0
	if info.DateTime {
		info.Last = last.stamp
	} else {
		info.Last = satMul(last.index, p.interval)
	}
	info.Span = sim.Duration(satMul(info.Intervals, p.interval))
	return info, nil
}

// satMul returns a·b for a, b ≥ 0, saturating at math.MaxInt64.
func satMul(a, b int64) int64 {
	if b != 0 && a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}
