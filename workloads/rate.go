package workloads

import (
	"math"

	"github.com/scalesim/scalesim/sim"
)

// RateAt returns the defined arrival rate of a synthetic workload at t, in
// requests per second: 0 before time 0. It returns NaN for a trace (or a mix
// holding one), whose rate is only known by replaying it, and for a
// configuration New would reject. It builds the workload on every call; it
// is meant for tests and charts, not for a hot path.
func RateAt(cfg Config, t sim.Time) float64 {
	p, err := profileOf(cfg, 0)
	if err != nil {
		return math.NaN()
	}
	if t < 0 {
		return 0
	}
	return p.rate(t)
}

// ExpectedCount returns the expected number of arrivals of a synthetic
// workload in [from, to): the integral of its rate, in closed form. Times
// before 0 count as rate 0, and to ≤ from gives 0. Like RateAt it returns
// NaN for traces and invalid configurations.
func ExpectedCount(cfg Config, from, to sim.Time) float64 {
	p, err := profileOf(cfg, 0)
	if err != nil {
		return math.NaN()
	}
	from, to = max(from, 0), max(to, 0)
	if to <= from {
		return 0
	}
	return p.integral(from, to)
}
