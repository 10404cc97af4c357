package models

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// Fitting service-time distributions to recorded durations (an ALB log's
// target_processing_time, say) by maximum likelihood, to calibrate a
// scenario's service.time from measurements. FitData keeps only
// sufficient statistics and a fine log-spaced histogram, so a log of any
// length fits in constant memory.

// fitBucketsPerE is how many histogram buckets FitData keeps per factor e
// of duration: buckets 0.1% wide, which bounds the error of the
// Kolmogorov–Smirnov distance by the fitted distribution's mass in one
// bucket.
const fitBucketsPerE = 1024

// FitData accumulates positive durations (seconds) for FitServiceTimes.
// The zero value is ready to use.
type FitData struct {
	n              int64
	sum            float64 // Σx
	logMean, logM2 float64 // Welford's mean and sum of squared deviations of ln x
	min, max       float64
	hist           map[int64]int64 // floor(ln x · fitBucketsPerE) → count
}

// Add records one duration in seconds. Durations must be positive and
// finite; others are refused with an error and not counted.
func (d *FitData) Add(seconds float64) error {
	if !(seconds > 0) || math.IsInf(seconds, 0) {
		return fmt.Errorf("fit: duration %v: must be positive and finite", seconds)
	}
	if d.hist == nil {
		d.hist = make(map[int64]int64)
		d.min, d.max = seconds, seconds
	}
	lx := math.Log(seconds)
	d.n++
	d.sum += seconds
	delta := lx - d.logMean
	d.logMean += delta / float64(d.n)
	d.logM2 += delta * (lx - d.logMean)
	d.min, d.max = min(d.min, seconds), max(d.max, seconds)
	d.hist[int64(math.Floor(lx*fitBucketsPerE))]++
	return nil
}

// N returns the number of durations recorded.
func (d *FitData) N() int64 { return d.n }

// Mean returns the mean duration in seconds (0 with none).
func (d *FitData) Mean() float64 {
	if d.n == 0 {
		return 0
	}
	return d.sum / float64(d.n)
}

// Fit is one distribution fitted to durations by maximum likelihood.
type Fit struct {
	// Dist is DistExponential, DistLognormal or DistGamma.
	Dist string
	// Config holds the fit as a service-time block takes it: Mean for
	// exponential; Median and P99 for lognormal; Mean and CV for gamma (in
	// seconds). NewSampler(Config) fails for a gamma whose CV exceeds
	// GammaMaxCV.
	Config DistConfig
	// Mu and Sigma are the lognormal's parameters (of ln seconds); Shape
	// and Rate (per second) the gamma's; Rate the exponential's.
	Mu, Sigma, Shape, Rate float64
	// LogLik is the log-likelihood of the durations under the fit (with
	// densities in seconds), AIC = 2·parameters - 2·LogLik: lower is better.
	LogLik, AIC float64
	// KS is the Kolmogorov–Smirnov distance, the largest gap between the
	// durations' empirical distribution function and the fit's (computed on
	// buckets 0.1% wide).
	KS float64
}

// FitServiceTimes fits exponential, lognormal and gamma distributions to
// the recorded durations by maximum likelihood (the gamma's shape by
// Newton's method on ln k - ψ(k) = ln(mean) - mean(ln x)) and returns the
// fits best first, by AIC. It needs at least two durations that are not
// all equal (for equal durations use a deterministic distribution).
func FitServiceTimes(d *FitData) ([]Fit, error) {
	switch {
	case d.n < 2:
		return nil, fmt.Errorf("fit: %d duration(s): need at least 2", d.n)
	case d.min == d.max:
		return nil, fmt.Errorf("fit: every duration is %gs; use dist: deterministic", d.min)
	}
	n := float64(d.n)
	mean := d.sum / n
	sigma := math.Sqrt(d.logM2 / n)
	sumLog := d.logMean * n

	exp := Fit{Dist: DistExponential, Rate: 1 / mean, Config: DistConfig{Dist: DistExponential, Mean: mean}}
	exp.LogLik = -n*math.Log(mean) - n
	exp.AIC = 2 - 2*exp.LogLik

	logn := Fit{Dist: DistLognormal, Mu: d.logMean, Sigma: sigma,
		Config: DistConfig{Dist: DistLognormal, Median: math.Exp(d.logMean), P99: math.Exp(d.logMean + z99*sigma)}}
	logn.LogLik = -sumLog - n/2*math.Log(2*math.Pi*sigma*sigma) - n/2
	logn.AIC = 4 - 2*logn.LogLik

	k, err := gammaShape(math.Log(mean) - d.logMean)
	if err != nil {
		return nil, err
	}
	beta := k / mean
	lg, _ := math.Lgamma(k)
	gam := Fit{Dist: DistGamma, Shape: k, Rate: beta, Config: DistConfig{Dist: DistGamma, Mean: mean, CV: 1 / math.Sqrt(k)}}
	gam.LogLik = n*(k*math.Log(beta)-lg) + (k-1)*sumLog - beta*d.sum
	gam.AIC = 4 - 2*gam.LogLik

	fits := []Fit{exp, logn, gam}
	cdfs := []func(float64) float64{
		func(x float64) float64 { return -math.Expm1(-x / mean) },
		func(x float64) float64 { return 0.5 * math.Erfc(-(math.Log(x)-d.logMean)/(sigma*math.Sqrt2)) },
		func(x float64) float64 { return mathext.GammaIncReg(k, beta*x) },
	}
	ks := d.ksDistances(cdfs)
	for i := range fits {
		fits[i].KS = ks[i]
	}
	slices.SortStableFunc(fits, func(a, b Fit) int { return cmp.Compare(a.AIC, b.AIC) })
	return fits, nil
}

// BestFit returns the index of the first of fits (ranked best first, as
// FitServiceTimes returns them) that a scenario can use: NewSampler
// accepts its Config (a gamma's CV is at most GammaMaxCV). When it passed
// over the first, note says why; otherwise note is "". With no usable fit
// it returns 0 and "".
func BestFit(fits []Fit) (best int, note string) {
	for i, f := range fits {
		if _, err := NewSampler(f.Config); err == nil {
			if i > 0 {
				_, why := NewSampler(fits[0].Config)
				return i, fmt.Sprintf("the %s fit ranks first but a scenario cannot use it (%v)", fits[0].Dist, why)
			}
			return i, ""
		}
	}
	return 0, ""
}

// ksDistances returns the Kolmogorov–Smirnov distance of the recorded
// durations to each distribution function, evaluated at the edges of the
// histogram's buckets.
func (d *FitData) ksDistances(cdfs []func(float64) float64) []float64 {
	keys := make([]int64, 0, len(d.hist))
	for k := range d.hist {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]float64, len(cdfs))
	n := float64(d.n)
	var cum int64
	for _, k := range keys {
		lo, hi := math.Exp(float64(k)/fitBucketsPerE), math.Exp(float64(k+1)/fitBucketsPerE)
		before := float64(cum) / n
		cum += d.hist[k]
		after := float64(cum) / n
		for i, f := range cdfs {
			out[i] = max(out[i], math.Abs(f(lo)-before), math.Abs(f(hi)-after))
		}
	}
	return out
}

// gammaShape solves ln k - ψ(k) = s for the gamma shape k by Newton's
// method, from Minka's closed-form approximation.
func gammaShape(s float64) (float64, error) {
	if !(s > 0) || math.IsInf(s, 0) {
		return 0, errors.New("fit: the durations are too close together for a gamma fit")
	}
	k := (3 - s + math.Sqrt((s-3)*(s-3)+24*s)) / (12 * s)
	for range 100 {
		f := math.Log(k) - mathext.Digamma(k) - s
		df := 1/k - trigamma(k)
		next := k - f/df
		if next <= 0 {
			next = k / 2
		}
		if math.Abs(next-k) <= 1e-13*k {
			return next, nil
		}
		k = next
	}
	return k, nil
}

// trigamma returns ψ'(x), the derivative of the digamma function, for
// x > 0: the recurrence ψ'(x) = ψ'(x+1) + 1/x² up to x ≥ 10, then the
// asymptotic series (absolute error below 1e-12).
func trigamma(x float64) float64 {
	var r float64
	for ; x < 10; x++ {
		r += 1 / (x * x)
	}
	x2 := 1 / (x * x)
	return r + 1/x + x2/2 + (1.0/6-x2*(1.0/30-x2*(1.0/42-x2/30)))*x2/x
}
