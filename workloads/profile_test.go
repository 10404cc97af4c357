package workloads

import (
	"math/rand/v2"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// TestBoundsHoldTheRate checks the thinning contract of every profile: the
// bound exceeds the rate over its whole piece, the piece ends after its
// start, and an exact piece has the rate equal to the bound throughout.
// A bound below the rate would silently thin too little.
func TestBoundsHoldTheRate(t *testing.T) {
	cfgs := []struct {
		name string
		cfg  Config
	}{
		{"poisson", Config{Type: "poisson", Rate: 3}},
		{"steps", Config{Type: "steps", Steps: []Step{{0, 4}, {sim.Minute, 0}, {sim.Minute, 9}, {sim.Hour, 2}}}},
		{"diurnal", Config{Type: "diurnal", Base: 3, Peak: 40, PeakHour: 13.7}},
		{"diurnal inv", Config{Type: "diurnal", Base: 40, Peak: 3, PeakHour: -2.2, Period: 90 * sim.Minute}},
		{"diurnal tiny", Config{Type: "diurnal", Base: 1, Peak: 2, PeakHour: 0, Period: 7}},
		{"spike", Config{Type: "spike", Base: 2, Peak: 50, At: sim.Minute, Rise: 13 * sim.Second, Hold: sim.Minute, Fall: 7*sim.Minute + 3}},
		{"ramp down", Config{Type: "ramp", From: 90, To: 1, At: 0, Over: sim.Hour + 11}},
		{"mix", Config{Type: "mix", Components: []Config{{Type: "poisson", Rate: 3},
			{Type: "ramp", From: 0, To: 5, At: 17 * sim.Second, Over: sim.Minute},
			{Type: "diurnal", Base: 1, Peak: 30, PeakHour: 0.25, Period: sim.Hour}}}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range cfgs {
		name := c.name
		p, err := profileOf(c.cfg, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for range 3000 {
			at := sim.Time(r.Int64N(int64(2 * sim.Day)))
			bound, until, exact := p.bound(at)
			if until <= at {
				t.Fatalf("%s: bound at %v ends at %v", name, at, until)
			}
			end := min(until, at.Add(sim.Day))
			for _, u := range []sim.Time{at, end - 1, at + sim.Time(r.Int64N(int64(end-at)))} {
				rate := p.rate(u)
				if rate > bound*(1+1e-12) {
					t.Fatalf("%s: rate %v at %v exceeds the bound %v of [%v, %v)", name, rate, u, bound, at, until)
				}
				if exact && rate != bound {
					t.Fatalf("%s: exact piece [%v, %v) has rate %v at %v, bound %v", name, at, until, rate, u, bound)
				}
			}
		}
	}
}

// TestDiurnalBoundIsTight checks thinning wastes little on a day: the mean
// bound is within 5% of the mean rate.
func TestDiurnalBoundIsTight(t *testing.T) {
	p, err := profileOf(Config{Type: "diurnal", Base: 0, Peak: 100, PeakHour: 9.3}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var boundArea float64
	for at := sim.Time(0); at < sim.Time(sim.Day); {
		b, until, _ := p.bound(at)
		boundArea += b * until.Sub(at).Seconds()
		at = until
	}
	if ratio := boundArea / p.integral(0, sim.Time(sim.Day)); ratio > 1.03 || ratio < 1 {
		t.Errorf("bound area / rate area = %.4f, want within [1, 1.03]", ratio)
	}
	if testing.Verbose() {
		t.Logf("bound area / rate area = %.4f", boundArea/p.integral(0, sim.Time(sim.Day)))
	}
}
