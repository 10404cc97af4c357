package workloads_test

import (
	"math"
	"slices"
	"testing"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// The formulas below restate each workload's definition independently of
// the package, in seconds, so the tests compare the sampler with the
// definition rather than with itself.

func diurnalFormula(base, peak, peakHour, periodH float64) func(float64) float64 {
	return func(s float64) float64 {
		h := math.Mod(s/3600, periodH)
		return base + (peak-base)*(1+math.Cos(2*math.Pi*(h-peakHour)/periodH))/2
	}
}

func spikeFormula(base, peak, at, rise, hold, fall float64) func(float64) float64 {
	return func(s float64) float64 {
		switch {
		case s < at:
			return base
		case s < at+rise:
			return base + (peak-base)*(s-at)/rise
		case s < at+rise+hold:
			return peak
		case s < at+rise+hold+fall:
			return peak + (base-peak)*(s-at-rise-hold)/fall
		}
		return base
	}
}

func rampFormula(from, to, at, over float64) func(float64) float64 {
	return func(s float64) float64 {
		switch {
		case s < at:
			return from
		case s < at+over:
			return from + (to-from)*(s-at)/over
		}
		return to
	}
}

func stepsFormula(steps []workloads.Step) func(float64) float64 {
	return func(s float64) float64 {
		r := 0.0
		for _, st := range steps {
			if st.At.Seconds() <= s {
				r = st.Rate
			}
		}
		return r
	}
}

var testSteps = []workloads.Step{{At: 0, Rate: 10}, {At: 10 * sim.Minute, Rate: 0}, {At: 20 * sim.Minute, Rate: 40}, {At: 30 * sim.Minute, Rate: 5}}

// shapes are synthetic workloads with their formulas, a horizon and a bin
// width for the count tests.
var shapes = []struct {
	name    string
	cfg     workloads.Config
	formula func(float64) float64
	breaks  []float64 // seconds where the formula jumps or kinks
	width   sim.Duration
	bins    int
}{
	{"poisson", workloads.Config{Type: "poisson", Rate: 50}, func(float64) float64 { return 50 }, nil, sim.Minute, 30},
	{"diurnal day", workloads.Config{Type: "diurnal", Base: 2, Peak: 20, PeakHour: 15},
		diurnalFormula(2, 20, 15, 24), nil, sim.Hour, 24},
	{"diurnal inverted 6h", workloads.Config{Type: "diurnal", Base: 30, Peak: 5, PeakHour: 1.5, Period: 6 * sim.Hour},
		diurnalFormula(30, 5, 1.5, 6), nil, 15 * sim.Minute, 48},
	{"spike", workloads.Config{Type: "spike", Base: 10, Peak: 100, At: 10 * sim.Minute, Rise: 5 * sim.Minute, Hold: 10 * sim.Minute, Fall: 20 * sim.Minute},
		spikeFormula(10, 100, 600, 300, 600, 1200), []float64{600, 900, 1500, 2700}, sim.Minute, 60},
	{"spike instant", workloads.Config{Type: "spike", Base: 5, Peak: 60, At: 7 * sim.Minute, Hold: 3 * sim.Minute},
		spikeFormula(5, 60, 420, 0, 180, 0), []float64{420, 600}, sim.Minute, 20},
	{"ramp up", workloads.Config{Type: "ramp", From: 5, To: 50, At: 5 * sim.Minute, Over: 30 * sim.Minute},
		rampFormula(5, 50, 300, 1800), []float64{300, 2100}, sim.Minute, 45},
	{"ramp down to zero", workloads.Config{Type: "ramp", From: 80, To: 0, At: 0, Over: 20 * sim.Minute},
		rampFormula(80, 0, 0, 1200), []float64{1200}, sim.Minute, 30},
	{"steps", workloads.Config{Type: "steps", Steps: testSteps}, stepsFormula(testSteps), []float64{600, 1200, 1800}, sim.Minute, 40},
	{"mix", workloads.Config{Type: "mix", Components: []workloads.Config{
		{Type: "poisson", Rate: 20},
		{Type: "spike", Base: 0, Peak: 100, At: 10 * sim.Minute, Rise: 5 * sim.Minute, Hold: 5 * sim.Minute, Fall: 5 * sim.Minute},
		{Type: "diurnal", Base: 1, Peak: 30, PeakHour: 0.5, Period: sim.Hour},
	}}, func(s float64) float64 {
		return 20 + spikeFormula(0, 100, 600, 300, 300, 300)(s) + diurnalFormula(1, 30, 0.5, 1)(s)
	}, []float64{600, 900, 1200, 1500}, sim.Minute, 40},
}

// TestRealisedRates checks per-bin arrival counts against the integral of
// each workload's defining formula.
func TestRealisedRates(t *testing.T) {
	for i, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			obs := binCounts(t, mustNew(t, sh.cfg, uint64(100+i)), sh.width, sh.bins)
			checkCounts(t, obs, expectedBins(sh.formula, sh.breaks, sh.width, sh.bins))
		})
	}
}

// TestRateAtAndExpectedCount checks the exported rate and its closed-form
// integral against the formulas.
func TestRateAtAndExpectedCount(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			horizon := sh.width * sim.Duration(sh.bins)
			for k := 0; k <= 997; k++ {
				at := sim.Time(int64(horizon) / 997 * int64(k))
				got, want := workloads.RateAt(sh.cfg, at), sh.formula(at.Seconds())
				if math.Abs(got-want) > 1e-9*max(1, want) {
					t.Fatalf("RateAt(%v) = %v, want %v", at, got, want)
				}
			}
			for _, w := range []sim.Duration{sh.width, 7 * sh.width / 3} {
				for from := sim.Time(0); from.Add(w) <= sim.Time(horizon); from = from.Add(w) {
					got := workloads.ExpectedCount(sh.cfg, from, from.Add(w))
					want := integrate(sh.formula, from.Seconds(), from.Add(w).Seconds(), sh.breaks, 50)
					if math.Abs(got-want) > 1e-6*max(1, want) {
						t.Fatalf("ExpectedCount(%v, %v) = %v, want %v", from, from.Add(w), got, want)
					}
				}
			}
		})
	}
}

func TestRateAtUndefined(t *testing.T) {
	tr := workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{Path: "x", Format: "timestamps"}}
	for _, cfg := range []workloads.Config{tr, {Type: "poisson", Rate: -1}, {Type: "mix", Components: []workloads.Config{tr}}} {
		if r := workloads.RateAt(cfg, 0); !math.IsNaN(r) {
			t.Errorf("RateAt(%+v) = %v, want NaN", cfg, r)
		}
		if n := workloads.ExpectedCount(cfg, 0, sim.Time(sim.Hour)); !math.IsNaN(n) {
			t.Errorf("ExpectedCount(%+v) = %v, want NaN", cfg, n)
		}
	}
	p := workloads.Config{Type: "poisson", Rate: 3}
	if r := workloads.RateAt(p, -1); r != 0 {
		t.Errorf("RateAt before 0 = %v, want 0", r)
	}
	if n := workloads.ExpectedCount(p, sim.Time(-sim.Hour), sim.Time(sim.Second)); n != 3 {
		t.Errorf("ExpectedCount over [-1h, 1s) = %v, want 3", n)
	}
}

// TestPoissonDispersionAndGaps checks a Poisson source's counts per second
// (mean and index of dispersion) and its gaps (Kolmogorov-Smirnov against
// the exponential distribution).
func TestPoissonDispersionAndGaps(t *testing.T) {
	const rate, secs = 200.0, 1000
	obs := binCounts(t, mustNew(t, workloads.Config{Type: "poisson", Rate: rate}, 7), sim.Second, secs)
	var sum, sq float64
	for _, o := range obs {
		sum += float64(o)
	}
	mean := sum / secs
	for _, o := range obs {
		sq += (float64(o) - mean) * (float64(o) - mean)
	}
	dispersion := sq / (secs - 1) / mean
	if z := (sum - rate*secs) / math.Sqrt(rate*secs); math.Abs(z) > 4 {
		t.Errorf("mean count per second %.2f, want %v (z = %.1f)", mean, rate, z)
	}
	// The index of dispersion of Poisson counts has a standard deviation
	// of about sqrt(2/(n-1)) = 0.045 here.
	if math.Abs(dispersion-1) > 0.2 {
		t.Errorf("index of dispersion %.3f, want 1 ± 0.2", dispersion)
	}

	const n = 20000
	src := mustNew(t, workloads.Config{Type: "poisson", Rate: rate}, 8)
	gaps := make([]float64, 0, n)
	prev := sim.Time(0)
	for len(gaps) < n {
		at, _ := src.Next()
		gaps = append(gaps, at.Sub(prev).Seconds())
		prev = at
	}
	if d, crit := ksExponential(gaps, rate), 1.95/math.Sqrt(n); d > crit {
		t.Errorf("KS distance of gaps from Exp(%v) = %.4f, above the 0.1%% critical value %.4f", rate, d, crit)
	}
}

// TestDeterminism checks that a seed fixes the sequence and another seed
// changes it.
func TestDeterminism(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			a := collect(t, mustNew(t, sh.cfg, 1), sim.Never, 5000)
			b := collect(t, mustNew(t, sh.cfg, 1), sim.Never, 5000)
			c := collect(t, mustNew(t, sh.cfg, 2), sim.Never, 5000)
			if len(a) != 5000 {
				t.Fatalf("got %d arrivals, want 5000", len(a))
			}
			if !slices.Equal(a, b) {
				t.Error("the same seed gave different arrivals")
			}
			if slices.Equal(a, c) {
				t.Error("seeds 1 and 2 gave the same arrivals")
			}
		})
	}
}

func TestZeroRates(t *testing.T) {
	if at, ok := mustNew(t, workloads.Config{Type: "poisson"}, 1).Next(); ok {
		t.Errorf("rate 0: got an arrival at %v", at)
	}
	steps := workloads.Config{Type: "steps", Steps: []workloads.Step{{At: 0, Rate: 0}, {At: sim.Hour, Rate: 100}, {At: 2 * sim.Hour, Rate: 0}}}
	got := collect(t, mustNew(t, steps, 1), sim.Never, 1_000_000)
	if len(got) == 0 || got[0] < sim.Time(sim.Hour) || got[len(got)-1] >= sim.Time(2*sim.Hour) {
		t.Fatalf("steps 0/100/0: %d arrivals from %v to %v, want them all in [1h, 2h)", len(got), got[0], got[len(got)-1])
	}
	if n, want := float64(len(got)), 360_000.0; math.Abs(n-want) > 4*math.Sqrt(want) {
		t.Errorf("steps 0/100/0: %v arrivals, want about %v", n, want)
	}
}

func TestNewErrors(t *testing.T) {
	nan := math.NaN()
	bad := map[string]workloads.Config{
		"no type":            {},
		"unknown type":       {Type: "bursty"},
		"negative rate":      {Type: "poisson", Rate: -1},
		"NaN rate":           {Type: "poisson", Rate: nan},
		"infinite rate":      {Type: "poisson", Rate: math.Inf(1)},
		"no steps":           {Type: "steps"},
		"steps not at 0":     {Type: "steps", Steps: []workloads.Step{{At: sim.Second, Rate: 1}}},
		"steps unsorted":     {Type: "steps", Steps: []workloads.Step{{At: 0, Rate: 1}, {At: sim.Hour, Rate: 2}, {At: sim.Minute, Rate: 3}}},
		"steps NaN":          {Type: "steps", Steps: []workloads.Step{{At: 0, Rate: nan}}},
		"diurnal NaN peak":   {Type: "diurnal", Base: 1, Peak: nan},
		"diurnal peak hour":  {Type: "diurnal", Base: 1, Peak: 2, PeakHour: math.Inf(-1)},
		"diurnal period":     {Type: "diurnal", Base: 1, Peak: 2, Period: -sim.Hour},
		"spike negative":     {Type: "spike", Base: 1, Peak: 2, Rise: -sim.Second},
		"spike overflow":     {Type: "spike", Base: 1, Peak: 2, At: sim.Duration(math.MaxInt64 - 5), Rise: sim.Hour},
		"ramp negative rate": {Type: "ramp", From: -1, To: 2},
		"ramp negative over": {Type: "ramp", From: 1, To: 2, Over: -1},
		"mix empty":          {Type: "mix"},
		"mix bad component":  {Type: "mix", Components: []workloads.Config{{Type: "poisson", Rate: 1}, {Type: "poisson", Rate: -2}}},
		"trace missing":      {Type: "trace"},
		"trace no format":    {Type: "trace", Trace: &workloads.TraceConfig{Path: "a.csv"}},
		"trace bad format":   {Type: "trace", Trace: &workloads.TraceConfig{Path: "a.csv", Format: "parquet"}},
		"trace no path":      {Type: "trace", Trace: &workloads.TraceConfig{Format: "timestamps"}},
		"counts interval":    {Type: "trace", Trace: &workloads.TraceConfig{Path: "a", Format: "counts"}},
		"counts interval<0":  {Type: "trace", Trace: &workloads.TraceConfig{Path: "a", Format: "counts", Interval: -sim.Second}},
		"rate scale":         {Type: "trace", Trace: &workloads.TraceConfig{Path: "a", Format: "timestamps", RateScale: -1}},
		"rate scale NaN":     {Type: "trace", Trace: &workloads.TraceConfig{Path: "a", Format: "timestamps", RateScale: nan}},
		"time scale Inf":     {Type: "trace", Trace: &workloads.TraceConfig{Path: "a", Format: "timestamps", TimeScale: math.Inf(1)}},
		"window":             {Type: "trace", Trace: &workloads.TraceConfig{Path: "a", Format: "timestamps", Start: sim.Hour, End: sim.Minute}},
		"column 0":           {Type: "trace", Trace: &workloads.TraceConfig{Path: "a", Format: "timestamps", Column: "0"}},
		"mix with bad trace": {Type: "mix", Components: []workloads.Config{{Type: "poisson", Rate: 1}, {Type: "trace"}}},
	}
	names := make([]string, 0, len(bad))
	for name := range bad {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if src, err := newSource(bad[name], rng(1)); err == nil {
			t.Errorf("%s: New succeeded (%T), want an error", name, src)
		}
	}
	if _, err := newSource(workloads.Config{Type: "poisson", Rate: 1}, nil); err == nil {
		t.Error("New with a nil generator succeeded")
	}
}

// TestMixWithTrace checks that a mix of a trace and a synthetic workload is
// the time-ordered union of the two. A trace without rate scaling draws no
// random numbers, so the synthetic part alone, from the same seed, must
// give the same arrivals.
func TestMixWithTrace(t *testing.T) {
	trace := workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{Path: "testdata/ts_seconds.txt", Format: "timestamps"}}
	poisson := workloads.Config{Type: "poisson", Rate: 3}
	mix := workloads.Config{Type: "mix", Components: []workloads.Config{trace, poisson}}
	horizon := sim.Time(10 * sim.Second)
	got := collect(t, mustNew(t, mix, 5), horizon, 1000)
	want := append(collect(t, mustNew(t, poisson, 5), horizon, 1000), collect(t, mustNew(t, trace, 5), horizon, 1000)...)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("mix = %v\nwant %v", got, want)
	}
}

// TestNextDoesNotAllocate checks the synthetic hot path.
func TestNextDoesNotAllocate(t *testing.T) {
	for _, sh := range shapes {
		src := mustNew(t, sh.cfg, 3)
		if n := testing.AllocsPerRun(2000, func() { src.Next() }); n != 0 {
			t.Errorf("%s: %v allocations per Next, want 0", sh.name, n)
		}
	}
}
