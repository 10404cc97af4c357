package workloads_test

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// rng returns the arrivals stream of a seed, as a run would.
func rng(seed uint64) *rand.Rand {
	return sim.NewStreams(seed).Stream(sim.StreamArrivals)
}

// mustNew builds a source or fails the test.
func mustNew(t testing.TB, cfg workloads.Config, seed uint64) workloads.Source {
	t.Helper()
	src, err := newSource(cfg, rng(seed))
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return src
}

// binCounts counts a source's arrivals in nbins bins of width from time 0,
// checking the times never decrease.
func binCounts(t testing.TB, src workloads.Source, width sim.Duration, nbins int) []int {
	t.Helper()
	bins := make([]int, nbins)
	horizon := sim.Time(0).Add(width * sim.Duration(nbins))
	prev := sim.Time(math.MinInt64)
	for {
		at, ok := src.Next()
		if !ok || at >= horizon {
			break
		}
		if at < prev {
			t.Fatalf("arrival at %v after one at %v", at, prev)
		}
		prev = at
		if at < 0 {
			t.Fatalf("arrival at negative time %v", at)
		}
		bins[int64(at)/int64(width)]++
	}
	if err := src.Err(); err != nil {
		t.Fatalf("source failed: %v", err)
	}
	return bins
}

// collect returns up to n arrivals before horizon.
func collect(t testing.TB, src workloads.Source, horizon sim.Time, n int) []sim.Time {
	t.Helper()
	var out []sim.Time
	for len(out) < n {
		at, ok := src.Next()
		if !ok || at >= horizon {
			break
		}
		if len(out) > 0 && at < out[len(out)-1] {
			t.Fatalf("arrival %d at %v after one at %v", len(out), at, out[len(out)-1])
		}
		out = append(out, at)
	}
	return out
}

// checkCounts compares observed bin counts with Poisson expectations:
// Pearson's chi-square over bins with an expectation of at least 5 must
// stay below its 99.9% quantile, no bin may be more than 5 sigma off, and
// the total must be within 3 sigma.
func checkCounts(t *testing.T, obs []int, exp []float64) {
	t.Helper()
	chi2, df := 0.0, 0
	var sumObs, sumExp float64
	for i := range obs {
		o, e := float64(obs[i]), exp[i]
		sumObs += o
		sumExp += e
		if e == 0 {
			if o != 0 {
				t.Errorf("bin %d: %v arrivals, expected none", i, o)
			}
			continue
		}
		if z := (o - e) / math.Sqrt(e); math.Abs(z) > 5 {
			t.Errorf("bin %d: %v arrivals, expected %.1f (z = %.1f)", i, o, e, z)
		}
		if e >= 5 {
			chi2 += (o - e) * (o - e) / e
			df++
		}
	}
	if df > 0 {
		crit := distuv.ChiSquared{K: float64(df)}.Quantile(0.999)
		if chi2 > crit {
			t.Errorf("chi-square %.1f over %d bins exceeds the 99.9%% quantile %.1f", chi2, df, crit)
		}
	}
	if z := (sumObs - sumExp) / math.Sqrt(sumExp); math.Abs(z) > 3 {
		t.Errorf("total %v arrivals, expected %.1f (z = %.1f)", sumObs, sumExp, z)
	}
}

// integrate integrates f over [a, b] (seconds) with 5-point Gauss-Legendre
// on n panels per piece, splitting at breaks (the formula's kinks and
// jumps), so a jump costs no accuracy and no node sits on one.
func integrate(f func(float64) float64, a, b float64, breaks []float64, n int) float64 {
	nodes := [5]float64{0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640}
	weights := [5]float64{0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891}
	cuts := []float64{a}
	for _, x := range breaks {
		if x > a && x < b {
			cuts = append(cuts, x)
		}
	}
	cuts = append(cuts, b)
	sum := 0.0
	for i := 1; i < len(cuts); i++ {
		h := (cuts[i] - cuts[i-1]) / float64(n)
		for k := 0; k < n; k++ {
			mid := cuts[i-1] + (float64(k)+0.5)*h
			for j, x := range nodes {
				sum += weights[j] * f(mid+x*h/2) * h / 2
			}
		}
	}
	return sum
}

// expectedBins integrates a rate formula (per second, t in seconds) over
// each bin.
func expectedBins(rate func(float64) float64, breaks []float64, width sim.Duration, nbins int) []float64 {
	out := make([]float64, nbins)
	w := width.Seconds()
	for i := range out {
		out[i] = integrate(rate, float64(i)*w, float64(i+1)*w, breaks, 20)
	}
	return out
}

// ksExponential returns the Kolmogorov-Smirnov distance between gaps (in
// seconds) and the exponential distribution of the given rate.
func ksExponential(gaps []float64, rate float64) float64 {
	sort.Float64s(gaps)
	n := float64(len(gaps))
	d := 0.0
	for i, g := range gaps {
		cdf := 1 - math.Exp(-rate*g)
		d = max(d, math.Abs(cdf-float64(i)/n), math.Abs(cdf-float64(i+1)/n))
	}
	return d
}
