package workloads

import (
	"github.com/scalesim/scalesim/sim"
)

// constant is the profile of a homogeneous Poisson process (type poisson).
type constant struct {
	ratePerSec float64
}

func newPoisson(cfg Config) (profile, error) {
	if err := checkRate("rate", cfg.Rate); err != nil {
		return nil, err
	}
	return constant{ratePerSec: cfg.Rate}, nil
}

func (c constant) rate(sim.Time) float64 { return c.ratePerSec }

func (c constant) bound(sim.Time) (float64, sim.Time, bool) {
	return c.ratePerSec, sim.Never, true
}

func (c constant) integral(from, to sim.Time) float64 {
	return c.ratePerSec * to.Sub(from).Seconds()
}
