package workloads

import (
	"math"
	"math/rand/v2"

	"github.com/scalesim/scalesim/sim"
)

// profile is an arrival rate as a function of time, with a piecewise upper
// bound: the input of thinning. Implementations are immutable values, so one
// profile may serve RateAt, ExpectedCount and a Source at once.
type profile interface {
	// rate returns the arrival rate in requests per second at t ≥ 0.
	rate(t sim.Time) float64
	// bound returns maxRate ≥ rate(u) for every u in [t, until), with
	// until > t (sim.Never when the bound holds forever), and whether
	// rate(u) == maxRate throughout that piece.
	bound(t sim.Time) (maxRate float64, until sim.Time, exact bool)
	// integral returns the expected number of arrivals in [from, to),
	// 0 ≤ from ≤ to.
	integral(from, to sim.Time) float64
}

// thinning samples the non-homogeneous Poisson process of a profile exactly
// (Lewis and Shedler): within a piece it draws exponential gaps at the
// piece's bound and keeps a candidate at u with probability rate(u)/bound.
// A gap that crosses the piece's end is dropped and sampling restarts at the
// end with the next bound, which is exact because the process is memoryless.
// Where the rate equals the bound the uniform draw is skipped, so constant
// pieces are a pure time change of a unit-rate process.
type thinning struct {
	p   profile
	rng *rand.Rand

	now  sim.Time // last candidate or piece start
	frac float64  // sub-nanosecond part of now, in [0, 1) ns

	maxRate float64  // bound of the current piece, per second
	nsPer   float64  // mean gap at maxRate, in ns
	until   sim.Time // end of the current piece
	exact   bool     // rate == maxRate on the piece
	done    bool
}

func newThinning(p profile, rng *rand.Rand) *thinning {
	return &thinning{p: p, rng: rng}
}

// Next returns the next arrival; it does not allocate.
func (s *thinning) Next() (sim.Time, bool) {
	for !s.done {
		if s.now >= s.until {
			s.refresh()
			continue
		}
		if s.maxRate <= 0 {
			s.skipPiece()
			continue
		}
		g := s.rng.ExpFloat64()*s.nsPer + s.frac
		if g >= float64(s.until-s.now) {
			s.skipPiece()
			continue
		}
		whole := math.Floor(g)
		s.now += sim.Time(whole)
		s.frac = g - whole
		if s.exact || s.rng.Float64()*s.maxRate < s.p.rate(s.now) {
			return s.now, true
		}
	}
	return 0, false
}

// refresh loads the bound of the piece starting at now.
func (s *thinning) refresh() {
	s.maxRate, s.until, s.exact = s.p.bound(s.now)
	if s.until <= s.now { // a broken profile would spin forever
		panic("workloads: profile bound does not advance time")
	}
	if s.maxRate > 0 {
		s.nsPer = 1e9 / s.maxRate
	}
}

// skipPiece moves to the end of the current piece, or ends the source when
// the piece never ends.
func (s *thinning) skipPiece() {
	if s.until == sim.Never {
		s.done = true
		return
	}
	s.now, s.frac = s.until, 0
}

// Err returns nil: a synthetic source cannot fail once built.
func (s *thinning) Err() error { return nil }
