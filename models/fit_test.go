package models

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// drawFit draws n samples from a service-time distribution with a seeded
// generator and returns them with their FitData.
func drawFit(t *testing.T, c DistConfig, n int, seed uint64) ([]float64, *FitData) {
	t.Helper()
	s, err := NewSampler(c)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	var d FitData
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = s.Sample(r)
		if err := d.Add(xs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return xs, &d
}

func fitOf(t *testing.T, fits []Fit, dist string) Fit {
	t.Helper()
	i := slices.IndexFunc(fits, func(f Fit) bool { return f.Dist == dist })
	if i < 0 {
		t.Fatalf("no %s fit in %+v", dist, fits)
	}
	return fits[i]
}

// within checks |got-want| ≤ 4 standard errors.
func within(t *testing.T, name string, got, want, se float64) {
	t.Helper()
	if math.Abs(got-want) > 4*se {
		t.Errorf("%s = %.6g, want %.6g ± %.3g (4 standard errors)", name, got, want, 4*se)
	}
}

// exactKS is the Kolmogorov–Smirnov distance computed from the sorted
// samples.
func exactKS(xs []float64, cdf func(float64) float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := float64(len(s))
	d := 0.0
	for i, x := range s {
		f := cdf(x)
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
	}
	return d
}

// logLik sums a log-density over the samples.
func logLik(xs []float64, logProb func(float64) float64) float64 {
	l := 0.0
	for _, x := range xs {
		l += logProb(x)
	}
	return l
}

// TestFitRecoversParameters draws samples from known distributions and
// checks the maximum-likelihood fit recovers the parameters within four
// standard errors, ranks the true family first by AIC, and reports the
// exact log-likelihood and, within the histogram's resolution, the exact
// KS distance.
func TestFitRecoversParameters(t *testing.T) {
	const n = 20_000
	t.Run("exponential", func(t *testing.T) {
		xs, d := drawFit(t, DistConfig{Dist: DistExponential, Mean: 0.05}, n, 1)
		fits, err := FitServiceTimes(d)
		if err != nil {
			t.Fatal(err)
		}
		f := fitOf(t, fits, DistExponential)
		within(t, "mean", f.Config.Mean, 0.05, 0.05/math.Sqrt(n))
		// The gamma nests the exponential (shape 1): AIC prefers the
		// exponential unless the extra parameter buys 1 unit of
		// log-likelihood, so either may come first, but the gamma's shape
		// must be near 1.
		if fits[0].Dist == DistLognormal {
			t.Errorf("lognormal ranked first for exponential data: %+v", fits)
		}
		g := fitOf(t, fits, DistGamma)
		within(t, "gamma shape", g.Shape, 1, math.Sqrt(1/(n*(trigamma(1)-1))))
		want := logLik(xs, distuv.Exponential{Rate: f.Rate}.LogProb)
		if math.Abs(f.LogLik-want) > 1e-9*math.Abs(want) || f.AIC != 2-2*f.LogLik {
			t.Errorf("log-likelihood %v, AIC %v; want %v", f.LogLik, f.AIC, want)
		}
		checkKS(t, f, xs, func(x float64) float64 { return -math.Expm1(-x * f.Rate) })
	})
	t.Run("lognormal", func(t *testing.T) {
		const median, p99 = 0.042, 0.31
		mu, sigma := math.Log(median), math.Log(p99/median)/z99
		xs, d := drawFit(t, DistConfig{Dist: DistLognormal, Median: median, P99: p99}, n, 2)
		fits, err := FitServiceTimes(d)
		if err != nil {
			t.Fatal(err)
		}
		f := fits[0]
		if f.Dist != DistLognormal {
			t.Fatalf("best fit %s, want lognormal: %+v", f.Dist, fits)
		}
		within(t, "mu", f.Mu, mu, sigma/math.Sqrt(n))
		within(t, "sigma", f.Sigma, sigma, sigma/math.Sqrt(2*n))
		if math.Abs(f.Config.Median-math.Exp(f.Mu)) > 1e-15 || math.Abs(f.Config.P99-math.Exp(f.Mu+z99*f.Sigma)) > 1e-15 {
			t.Errorf("config %+v does not match mu %v, sigma %v", f.Config, f.Mu, f.Sigma)
		}
		want := logLik(xs, distuv.LogNormal{Mu: f.Mu, Sigma: f.Sigma}.LogProb)
		if math.Abs(f.LogLik-want) > 1e-9*math.Abs(want) {
			t.Errorf("log-likelihood %v, want %v", f.LogLik, want)
		}
		checkKS(t, f, xs, distuv.LogNormal{Mu: f.Mu, Sigma: f.Sigma}.CDF)
		if f.KS > 1.63/math.Sqrt(n) { // the 99% quantile of the KS statistic
			t.Errorf("KS %v for the true family exceeds the 99%% critical value", f.KS)
		}
	})
	for _, c := range []struct {
		mean, cv float64
		seed     uint64
	}{{0.08, 0.5, 3}, {0.2, 2, 4}} {
		t.Run("gamma", func(t *testing.T) {
			k := 1 / (c.cv * c.cv)
			xs, d := drawFit(t, DistConfig{Dist: DistGamma, Mean: c.mean, CV: c.cv}, n, c.seed)
			fits, err := FitServiceTimes(d)
			if err != nil {
				t.Fatal(err)
			}
			f := fits[0]
			if f.Dist != DistGamma {
				t.Fatalf("best fit %s, want gamma: %+v", f.Dist, fits)
			}
			// Fisher information of (k, β): the shape's variance is
			// k / (n (k ψ'(k) - 1)); the mean's is mean² cv² / n.
			within(t, "shape", f.Shape, k, math.Sqrt(k/(n*(k*trigamma(k)-1))))
			within(t, "mean", f.Config.Mean, c.mean, c.mean*c.cv/math.Sqrt(n))
			if math.Abs(f.Config.CV-1/math.Sqrt(f.Shape)) > 1e-15 || math.Abs(f.Rate-f.Shape/f.Config.Mean) > 1e-9*f.Rate {
				t.Errorf("config %+v does not match shape %v, rate %v", f.Config, f.Shape, f.Rate)
			}
			// The shape solves the likelihood equation.
			s := math.Log(d.Mean()) - d.logMean
			if r := math.Log(f.Shape) - mathext.Digamma(f.Shape) - s; math.Abs(r) > 1e-12 {
				t.Errorf("ln k - ψ(k) - s = %v at k = %v", r, f.Shape)
			}
			g := distuv.Gamma{Alpha: f.Shape, Beta: f.Rate}
			want := logLik(xs, g.LogProb)
			if math.Abs(f.LogLik-want) > 1e-9*math.Abs(want) {
				t.Errorf("log-likelihood %v, want %v", f.LogLik, want)
			}
			checkKS(t, f, xs, g.CDF)
			if _, err := NewSampler(f.Config); err != nil {
				t.Errorf("the fit's config is not a valid sampler: %v", err)
			}
		})
	}
}

// checkKS compares the fit's KS distance with the exact one: the
// histogram's buckets are 0.1% wide, so they agree to about the fitted
// distribution's mass in one bucket.
func checkKS(t *testing.T, f Fit, xs []float64, cdf func(float64) float64) {
	t.Helper()
	if want := exactKS(xs, cdf); math.Abs(f.KS-want) > 2e-3 {
		t.Errorf("%s: KS %v, exact %v", f.Dist, f.KS, want)
	}
}

func TestFitErrors(t *testing.T) {
	var d FitData
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if err := d.Add(bad); err == nil {
			t.Errorf("Add(%v) accepted", bad)
		}
	}
	if _, err := FitServiceTimes(&d); err == nil {
		t.Error("fit of no durations succeeded")
	}
	_ = d.Add(0.1)
	_ = d.Add(0.1)
	if _, err := FitServiceTimes(&d); err == nil || d.N() != 2 {
		t.Errorf("fit of equal durations: %v (n = %d), want an error", err, d.N())
	}
}

func TestTrigamma(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{1, math.Pi * math.Pi / 6},
		{0.5, math.Pi * math.Pi / 2},
		{2, math.Pi*math.Pi/6 - 1},
		{10, 0.10516633568168575},
	} {
		if got := trigamma(c.x); math.Abs(got-c.want) > 1e-12*max(1, c.want) {
			t.Errorf("trigamma(%v) = %.15g, want %.15g", c.x, got, c.want)
		}
	}
	// Against a central difference of the digamma function.
	for _, x := range []float64{0.07, 0.3, 1.7, 4.2, 31} {
		h := 1e-5 * x
		num := (mathext.Digamma(x+h) - mathext.Digamma(x-h)) / (2 * h)
		if got := trigamma(x); math.Abs(got-num) > 1e-6*got {
			t.Errorf("trigamma(%v) = %v, numerical derivative %v", x, got, num)
		}
	}
}

// TestBestFit checks the choice passes over fits a scenario cannot use (a
// gamma whose CV exceeds GammaMaxCV), saying why, and keeps the first fit
// otherwise.
func TestBestFit(t *testing.T) {
	wide := Fit{Dist: DistGamma, Config: DistConfig{Dist: DistGamma, Mean: 0.05, CV: GammaMaxCV * 2}}
	logn := Fit{Dist: DistLognormal, Config: DistConfig{Dist: DistLognormal, Median: 0.04, P99: 0.3}}
	exp := Fit{Dist: DistExponential, Config: DistConfig{Dist: DistExponential, Mean: 0.05}}
	cases := []struct {
		name string
		fits []Fit
		best int
		note string // substring; "" for none
	}{
		{"first usable", []Fit{logn, wide, exp}, 0, ""},
		{"gamma too wide", []Fit{wide, logn, exp}, 1, "the gamma fit ranks first but a scenario cannot use it (gamma: cv must be in (0, 5]"},
		{"none usable", []Fit{wide}, 0, ""},
	}
	for _, c := range cases {
		best, note := BestFit(c.fits)
		if best != c.best || (c.note == "") != (note == "") || !strings.Contains(note, c.note) {
			t.Errorf("%s: %d, %q; want %d and a note with %q", c.name, best, note, c.best, c.note)
		}
	}
}
