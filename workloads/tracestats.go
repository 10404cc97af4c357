package workloads

import (
	"fmt"
	"math"
	"slices"

	"github.com/scalesim/scalesim/sim"
)

// TraceStats describes the arrival rates of a recorded trace, as recorded
// (no window or scaling). Stats computes it in one streaming pass: memory
// does not grow with the trace's length.
type TraceStats struct {
	Info TraceInfo

	// MeanRate is the arrivals per second over the span (0 for a span of
	// 0, a single arrival).
	MeanRate float64
	// Rates summarise the per-bin counts at each resolution the trace
	// resolves, finest first: one second and one minute for timestamps and
	// alb; for counts and cloudwatch, those of one second and one minute
	// that are multiples of the trace's interval, and the interval itself.
	Rates []RateStats
	// LongestGap is the longest time without an arrival: between two
	// consecutive arrivals (timestamps, alb), or a run of intervals with a
	// count of 0, missing rows included (counts, cloudwatch). GapAt is
	// where it starts, on the clock of Info.First.
	LongestGap sim.Duration
	GapAt      int64
}

// RateStats summarises a trace's arrivals counted in consecutive bins of
// one width, from the bin of the first record to that of the last, empty
// bins included. Bins of instants are aligned on the clock (whole seconds,
// whole minutes since the epoch); bins of counts start at the first count.
type RateStats struct {
	Bin  sim.Duration // the width of a bin
	Bins int64        // the number of bins
	// Mean, the percentiles (nearest rank) and Peak are arrivals per bin.
	// Percentiles are exact for integer counts below 1024, and within 0.2%
	// above (exact where few distinct counts are that large).
	Mean, P50, P95, P99, Peak float64
	PeakAt                    int64   // start of the first bin holding Peak
	PeakToMean                float64 // Peak / Mean; 0 when Mean is 0
	// Dispersion is the index of dispersion of the per-bin counts,
	// variance / mean: 1 for a Poisson process, above 1 for bursty (or
	// time-varying) traffic, below 1 for regular traffic; 0 when Mean is 0.
	Dispersion float64
}

// Stats reads a whole trace (any format) once, streaming, and describes its
// arrival rates. It returns the *TraceError Peek would on a bad file.
func Stats(cfg TraceConfig) (TraceStats, error) {
	p, err := checkTrace(&cfg)
	if err != nil {
		return TraceStats{}, err
	}
	var accs []*rateAcc
	var gaps gapTracker
	var info TraceInfo
	if p.format.Counts() {
		r, err := openCounts(p)
		if err != nil {
			return TraceStats{}, err
		}
		defer r.Close()
		iv := r.interval()
		for _, w := range statWidths(iv) {
			accs = append(accs, &rateAcc{width: w, relative: true})
		}
		gaps.iv = iv
		info, err = scanCounts(r, p, func(at int64, n float64) error {
			for _, a := range accs {
				a.add(at, n)
			}
			gaps.count(at, n)
			return nil
		})
		if err != nil {
			return TraceStats{}, err
		}
	} else {
		r, err := openInstants(p)
		if err != nil {
			return TraceStats{}, err
		}
		defer r.Close()
		for _, w := range statWidths(0) {
			accs = append(accs, &rateAcc{width: w})
		}
		info, err = scanInstants(r, p, func(at int64, n float64) error {
			for _, a := range accs {
				a.add(at, n)
			}
			gaps.instant(at)
			return nil
		})
		if err != nil {
			return TraceStats{}, err
		}
	}
	st := TraceStats{Info: info}
	if info.Span > 0 {
		st.MeanRate = info.Arrivals / info.Span.Seconds()
	}
	for _, a := range accs {
		st.Rates = append(st.Rates, a.result())
	}
	st.LongestGap, st.GapAt = gaps.finish()
	return st, nil
}

// statWidths returns the bin widths Stats reports for a trace with counts
// of interval iv (0 for instants), finest first.
func statWidths(iv int64) []int64 {
	ws := []int64{int64(sim.Second), int64(sim.Minute)}
	if iv == 0 {
		return ws
	}
	var out []int64
	for _, w := range ws {
		if w%iv == 0 {
			out = append(out, w)
		}
	}
	if !slices.Contains(out, iv) {
		out = append(out, iv)
		slices.Sort(out)
	}
	return out
}

// Bin reads a whole trace once, streaming, and passes fn the number of
// arrivals in each consecutive interval of the given width, from the
// interval of the first record to that of the last, empty ones included.
// start is the interval's start on the clock of TraceInfo.First: intervals
// of instants are aligned on the clock (whole multiples of width since the
// epoch, or since 0 s for plain-number timestamps); those of a counts or
// cloudwatch trace start at its first count, and width must be a multiple
// of its interval (counts are not split). An error from fn stops the read
// and is returned.
func Bin(cfg TraceConfig, width sim.Duration, fn func(start int64, count float64) error) (TraceInfo, error) {
	p, err := checkTrace(&cfg)
	if err != nil {
		return TraceInfo{}, err
	}
	if width <= 0 {
		return TraceInfo{}, fmt.Errorf("trace %s: bin width %v: must be > 0", p.path, width)
	}
	a := &rateAcc{width: int64(width), emit: fn}
	var info TraceInfo
	if p.format.Counts() {
		r, err := openCounts(p)
		if err != nil {
			return TraceInfo{}, err
		}
		defer r.Close()
		if iv := r.interval(); int64(width)%iv != 0 {
			return TraceInfo{}, &TraceError{File: p.path, Msg: fmt.Sprintf("cannot count per %v: the trace holds counts per %v", width, sim.Duration(iv)),
				Hint: fmt.Sprintf("choose a multiple of %v", sim.Duration(iv))}
		}
		a.relative = true
		info, err = scanCounts(r, p, a.add)
	} else {
		var r instantStream
		r, err = openInstants(p)
		if err != nil {
			return TraceInfo{}, err
		}
		defer r.Close()
		info, err = scanInstants(r, p, a.add)
	}
	if err != nil {
		return TraceInfo{}, err
	}
	if err := a.finish(); err != nil {
		return TraceInfo{}, err
	}
	return info, nil
}

// rateAcc counts arrivals per bin and summarises the bins, or hands each
// bin to emit.
type rateAcc struct {
	width    int64
	relative bool // bins start at the first record, not on the clock
	emit     func(start int64, count float64) error

	origin  int64
	started bool
	cur     int64 // the current bin's index
	count   float64

	bins       int64
	mean, m2   float64 // Welford's running mean and sum of squared deviations
	hist       countHist
	peak       float64
	peakBin    int64
	finishDone bool
}

// add counts n arrivals at (or over the interval starting at) at.
func (a *rateAcc) add(at int64, n float64) error {
	if !a.started {
		if a.relative {
			a.origin = at
		}
		a.started, a.cur = true, floorDiv(at-a.origin, a.width)
	}
	b := floorDiv(at-a.origin, a.width)
	if b != a.cur {
		if err := a.flush(a.cur, a.count, 1); err != nil {
			return err
		}
		if empty := b - a.cur - 1; empty > 0 {
			if err := a.flush(a.cur+1, 0, empty); err != nil {
				return err
			}
		}
		a.cur, a.count = b, 0
	}
	a.count += n
	return nil
}

// finish closes the last bin.
func (a *rateAcc) finish() error {
	if !a.started || a.finishDone {
		return nil
	}
	a.finishDone = true
	return a.flush(a.cur, a.count, 1)
}

// flush records k consecutive bins from index bin, each holding c.
func (a *rateAcc) flush(bin int64, c float64, k int64) error {
	if a.emit != nil {
		for i := range k {
			if err := a.emit(a.origin+(bin+i)*a.width, c); err != nil {
				return err
			}
		}
		return nil
	}
	nA, nB := float64(a.bins), float64(k)
	delta := c - a.mean
	tot := nA + nB
	a.mean += delta * nB / tot
	a.m2 += delta * delta * nA * nB / tot
	if a.bins == 0 || c > a.peak {
		a.peak, a.peakBin = c, bin
	}
	a.bins += k
	a.hist.add(c, k)
	return nil
}

// result summarises the bins.
func (a *rateAcc) result() RateStats {
	_ = a.finish()
	r := RateStats{Bin: sim.Duration(a.width), Bins: a.bins, Mean: a.mean, Peak: a.peak,
		PeakAt: a.origin + a.peakBin*a.width}
	if a.bins == 0 {
		return r
	}
	r.P50, r.P95, r.P99 = a.hist.quantile(0.50), a.hist.quantile(0.95), a.hist.quantile(0.99)
	if a.mean > 0 {
		r.PeakToMean = a.peak / a.mean
		r.Dispersion = a.m2 / float64(a.bins) / a.mean
	}
	return r
}

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// countHist is a histogram of non-negative counts with buckets of 10
// significant bits, each remembering the smallest and largest value it
// holds: exact for integers below 1024 and wherever a bucket holds one
// distinct value, within 0.2% otherwise. It holds one entry per distinct
// bucket, so its size does not grow with the number of counts.
type countHist struct {
	buckets map[uint64]histBin
	n       int64
}

type histBin struct {
	n      int64
	lo, hi float64 // the smallest and largest value added
}

// histShift keeps the exponent and the top 9 mantissa bits of a float64.
const histShift = 43

func (h *countHist) add(v float64, k int64) {
	if h.buckets == nil {
		h.buckets = make(map[uint64]histBin)
	}
	var key uint64
	if v > 0 {
		key = math.Float64bits(v) >> histShift
	}
	b, ok := h.buckets[key]
	if !ok {
		b.lo, b.hi = v, v
	}
	b.n += k
	b.lo, b.hi = min(b.lo, v), max(b.hi, v)
	h.buckets[key] = b
	h.n += k
}

// quantile returns the nearest-rank q-quantile: the value itself when its
// bucket holds one distinct value, else the middle of the bucket's values.
func (h *countHist) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	keys := make([]uint64, 0, len(h.buckets))
	for k := range h.buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rank := max(int64(math.Ceil(q*float64(h.n))), 1)
	var cum int64
	for _, k := range keys {
		b := h.buckets[k]
		if cum += b.n; cum >= rank {
			return (b.lo + b.hi) / 2
		}
	}
	return h.buckets[keys[len(keys)-1]].hi
}

// gapTracker finds the longest time without arrivals.
type gapTracker struct {
	iv int64 // counts: the interval; 0 for instants

	started bool
	prev    int64 // instants: the last arrival; counts: the end of the last interval seen
	runFrom int64 // counts: start of the current run of empty intervals
	inRun   bool
	longest int64
	at      int64
}

// instant records an arrival.
func (g *gapTracker) instant(at int64) {
	if g.started {
		if d, ok := sub(at, g.prev); ok && d > g.longest {
			g.longest, g.at = d, g.prev
		}
	}
	g.started, g.prev = true, at
}

// count records a count n over [at, at+iv); intervals between it and the
// previous one had no arrivals.
func (g *gapTracker) count(at int64, n float64) {
	if g.started && at > g.prev && !g.inRun {
		g.inRun, g.runFrom = true, g.prev
	}
	if n == 0 && !g.inRun {
		g.inRun, g.runFrom = true, at
	}
	end := satAdd(at, g.iv)
	if n > 0 && g.inRun {
		g.endRun(at)
	}
	g.started, g.prev = true, end
}

func (g *gapTracker) endRun(at int64) {
	if d, ok := sub(at, g.runFrom); ok && d > g.longest {
		g.longest, g.at = d, g.runFrom
	}
	g.inRun = false
}

// finish returns the longest gap and where it starts.
func (g *gapTracker) finish() (sim.Duration, int64) {
	if g.inRun {
		g.endRun(g.prev)
	}
	return sim.Duration(g.longest), g.at
}
