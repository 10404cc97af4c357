package workloads

import (
	"fmt"
	"math"

	"github.com/scalesim/scalesim/sim"
)

// diurnalPieces is the number of thinning pieces per period (15 minutes for
// a day, at most an hour each): over a period the bound's integral then
// exceeds the rate's by about 2%, so thinning keeps about 98% of its
// candidates.
const diurnalPieces = 96

// diurnal is rate(t) = Base + (Peak-Base)·(1+cos(2π(h-PeakHour)/P))/2 with h
// the time since the start modulo the period P.
type diurnal struct {
	base, amp float64 // amp = Peak - Base, may be negative
	period    int64   // ns
	peakAt    float64 // ns into the period where the cosine is 1
	top       float64 // ns into the period where the rate is largest
	piece     int64   // thinning piece length, ns
}

func newDiurnal(cfg Config) (profile, error) {
	if err := checkRate("base", cfg.Base); err != nil {
		return nil, fmt.Errorf("diurnal: %w", err)
	}
	if err := checkRate("peak", cfg.Peak); err != nil {
		return nil, fmt.Errorf("diurnal: %w", err)
	}
	if math.IsNaN(cfg.PeakHour) || math.IsInf(cfg.PeakHour, 0) {
		return nil, fmt.Errorf("diurnal: peak_hour %v: must be a finite number", cfg.PeakHour)
	}
	period := cfg.Period
	if period == 0 {
		period = sim.Day
	}
	if period < 0 {
		return nil, fmt.Errorf("diurnal: period %v: must be > 0", cfg.Period)
	}
	d := diurnal{base: cfg.Base, amp: cfg.Peak - cfg.Base, period: int64(period)}
	d.peakAt = math.Mod(cfg.PeakHour*float64(sim.Hour), float64(d.period))
	if d.peakAt < 0 {
		d.peakAt += float64(d.period)
	}
	d.top = d.peakAt
	if d.amp < 0 {
		d.top = math.Mod(d.peakAt+float64(d.period)/2, float64(d.period))
	}
	d.piece = max(1, min(int64(sim.Hour), d.period/diurnalPieces))
	return d, nil
}

// phase returns the cosine's argument at t.
func (d diurnal) phase(t sim.Time) float64 {
	x := float64(int64(t) % d.period)
	return 2 * math.Pi * (x - d.peakAt) / float64(d.period)
}

func (d diurnal) rate(t sim.Time) float64 {
	return d.base + d.amp*(1+math.Cos(d.phase(t)))/2
}

// bound takes the larger end of the piece, or the rate's maximum when the
// piece holds it; the rate is monotone between its maximum and minimum.
func (d diurnal) bound(t sim.Time) (float64, sim.Time, bool) {
	lo := int64(t) / d.piece * d.piece
	until := sim.Never
	if lo <= math.MaxInt64-d.piece {
		until = sim.Time(lo + d.piece)
	}
	if d.amp == 0 {
		return d.base, sim.Never, true
	}
	m := max(d.rate(sim.Time(lo)), d.rate(until))
	x0 := float64(lo % d.period)
	x1 := x0 + float64(d.piece)
	p := float64(d.period)
	if (d.top >= x0 && d.top <= x1) || (d.top+p >= x0 && d.top+p <= x1) {
		m = max(d.base, d.base+d.amp)
	}
	return m * (1 + 1e-9), until, false
}

// integral is the closed form of the rate's integral.
func (d diurnal) integral(from, to sim.Time) float64 {
	secs := to.Sub(from).Seconds()
	p := sim.Duration(d.period).Seconds()
	wave := (math.Sin(d.phase(to)) - math.Sin(d.phase(from))) * p / (2 * math.Pi)
	return (d.base+d.amp/2)*secs + d.amp/2*wave
}
