package workloads

import (
	"sort"

	"github.com/scalesim/scalesim/sim"
)

// linearPieces is how many pieces a linear segment is cut into, so that
// the bound of each (its larger end) stays close to the rate: thinning then
// keeps at least half the candidates on the first piece of a rise from zero
// and about 97% over the whole rise.
const linearPieces = 16

// segment is a piece of a piecewise-linear rate: r0 at start, r1 just
// before end (per second), linear in between.
type segment struct {
	start, end sim.Time
	r0, r1     float64
}

// piecewise is a piecewise-linear rate starting at 0 and defined for ever;
// it backs steps, spike and ramp. Segments are contiguous and non-empty;
// the last ends at sim.Never.
type piecewise struct {
	segs []segment
}

// pieceBuilder appends segments from time 0 onwards.
type pieceBuilder struct {
	at   sim.Time
	segs []segment
}

// flat holds rate r until time until; an empty span adds nothing.
func (b *pieceBuilder) flat(until sim.Time, r float64) {
	if until > b.at {
		b.segs = append(b.segs, segment{start: b.at, end: until, r0: r, r1: r})
		b.at = until
	}
}

// linear goes from r0 to r1 until time until, in up to linearPieces pieces.
func (b *pieceBuilder) linear(until sim.Time, r0, r1 float64) {
	span := int64(until - b.at)
	if span <= 0 {
		return
	}
	if r0 == r1 {
		b.flat(until, r0)
		return
	}
	n := min(int64(linearPieces), span)
	q, rem := span/n, span%n
	start := b.at
	lo := r0
	for k := int64(1); k <= n; k++ {
		off := q*k + rem*k/n
		hi := r0 + (r1-r0)*float64(off)/float64(span)
		if k == n {
			hi = r1
		}
		b.segs = append(b.segs, segment{start: b.at, end: start + sim.Time(off), r0: lo, r1: hi})
		b.at, lo = start+sim.Time(off), hi
	}
}

// forever holds rate r from the current time on and returns the profile.
func (b *pieceBuilder) forever(r float64) piecewise {
	b.segs = append(b.segs, segment{start: b.at, end: sim.Never, r0: r, r1: r})
	return piecewise{segs: b.segs}
}

// find returns the index of the segment holding t ≥ 0.
func (p piecewise) find(t sim.Time) int {
	return sort.Search(len(p.segs)-1, func(i int) bool { return p.segs[i].end > t })
}

func (p piecewise) rate(t sim.Time) float64 {
	return p.segs[p.find(t)].at(t)
}

func (p piecewise) bound(t sim.Time) (float64, sim.Time, bool) {
	s := p.segs[p.find(t)]
	return max(s.r0, s.r1), s.end, s.r0 == s.r1
}

func (p piecewise) integral(from, to sim.Time) float64 {
	sum := 0.0
	for i := p.find(from); i < len(p.segs) && p.segs[i].start < to; i++ {
		s := p.segs[i]
		a, b := max(from, s.start), min(to, s.end)
		sum += (s.at(a) + s.at(b)) / 2 * b.Sub(a).Seconds()
	}
	return sum
}

// at returns the segment's line at t; t may equal end.
func (s segment) at(t sim.Time) float64 {
	if s.r0 == s.r1 {
		return s.r0
	}
	return s.r0 + (s.r1-s.r0)*float64(t-s.start)/float64(s.end-s.start)
}
