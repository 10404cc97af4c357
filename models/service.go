package models

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Sampler draws per-request service demands, in seconds of work on one
// worker slot. Implementations must draw only from the generator passed in.
type Sampler interface {
	// Sample returns one demand in seconds (> 0).
	Sample(r *rand.Rand) float64
	// Mean returns the distribution's mean in seconds.
	Mean() float64
}

// DistConfig describes a service-time distribution; all times in seconds.
//   - exponential: Mean
//   - lognormal: Median and P99 (P99 > Median)
//   - deterministic: Value
//   - gamma: Mean and CV (coefficient of variation)
//   - empirical: Samples (drawn uniformly with replacement)
type DistConfig struct {
	Dist    string
	Mean    float64
	Median  float64
	P99     float64
	Value   float64
	CV      float64
	Samples []float64
}

// The distribution names DistConfig.Dist accepts.
const (
	DistExponential   = "exponential"
	DistLognormal     = "lognormal"
	DistDeterministic = "deterministic"
	DistGamma         = "gamma"
	DistEmpirical     = "empirical"
)

// GammaMaxCV is the largest coefficient of variation a gamma sampler
// accepts. Beyond it the shape 1/CV² is so small that draws underflow to 0
// often enough to matter.
const GammaMaxCV = 5

// z99 is Φ⁻¹(0.99), the standard normal 99th percentile.
const z99 = 2.3263478740408408

// String describes the configuration for messages, e.g.
// "lognormal(median=0.05s, p99=0.4s)".
func (c DistConfig) String() string {
	switch c.Dist {
	case DistExponential:
		return "exponential(mean=" + secs(c.Mean) + ")"
	case DistLognormal:
		return "lognormal(median=" + secs(c.Median) + ", p99=" + secs(c.P99) + ")"
	case DistDeterministic:
		return "deterministic(value=" + secs(c.Value) + ")"
	case DistGamma:
		return "gamma(mean=" + secs(c.Mean) + ", cv=" + strconv.FormatFloat(c.CV, 'g', -1, 64) + ")"
	case DistEmpirical:
		return "empirical(" + strconv.Itoa(len(c.Samples)) + " samples)"
	}
	return fmt.Sprintf("%q", c.Dist)
}

// secs formats seconds for messages: 0.1 -> "0.1s".
func secs(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) + "s" }

// NewSampler validates c and returns its sampler: an *ExponentialSampler,
// *LognormalSampler, *DeterministicSampler, *GammaSampler or
// *EmpiricalSampler. Every parameter must be positive and finite, and
// parameters that do not belong to the distribution must be unset.
func NewSampler(c DistConfig) (Sampler, error) {
	if err := c.checkUnused(); err != nil {
		return nil, err
	}
	switch c.Dist {
	case DistExponential:
		if err := checkPositive(c.Dist, "mean", c.Mean); err != nil {
			return nil, err
		}
		return &ExponentialSampler{mean: c.Mean}, nil
	case DistLognormal:
		return newLognormal(c.Median, c.P99)
	case DistDeterministic:
		if err := checkPositive(c.Dist, "value", c.Value); err != nil {
			return nil, err
		}
		return &DeterministicSampler{value: c.Value}, nil
	case DistGamma:
		return newGamma(c.Mean, c.CV)
	case DistEmpirical:
		return newEmpirical(c.Samples)
	case "":
		return nil, errors.New("service time: dist is missing (want exponential, lognormal, deterministic, gamma or empirical)")
	}
	return nil, fmt.Errorf("service time: unknown dist %q (want exponential, lognormal, deterministic, gamma or empirical)", c.Dist)
}

// checkUnused rejects parameters that the distribution does not take, so a
// misplaced key ("exponential" with a median) is reported, not ignored.
func (c DistConfig) checkUnused() error {
	var allowed string
	switch c.Dist {
	case DistExponential:
		allowed = "mean"
	case DistLognormal:
		allowed = "median p99"
	case DistDeterministic:
		allowed = "value"
	case DistGamma:
		allowed = "mean cv"
	case DistEmpirical:
		allowed = "samples"
	default:
		return nil // NewSampler reports the unknown name
	}
	set := []struct {
		name string
		on   bool
	}{
		{"mean", c.Mean != 0}, {"median", c.Median != 0}, {"p99", c.P99 != 0},
		{"value", c.Value != 0}, {"cv", c.CV != 0}, {"samples", c.Samples != nil},
	}
	for _, p := range set {
		if p.on && !slices.Contains(strings.Fields(allowed), p.name) {
			return fmt.Errorf("%s: %s is not one of its parameters (want %s)", c.Dist, p.name, strings.ReplaceAll(allowed, " ", " and "))
		}
	}
	return nil
}

// checkPositive reports a parameter that is not a positive finite number.
func checkPositive(dist, name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return fmt.Errorf("%s: %s must be a positive finite number of seconds (got %s)", dist, name, secs(v))
	}
	return nil
}

// ExponentialSampler draws exponentially distributed demands (Poisson
// service): memoryless, coefficient of variation 1.
type ExponentialSampler struct{ mean float64 }

// Sample returns one demand in seconds.
func (s *ExponentialSampler) Sample(r *rand.Rand) float64 { return r.ExpFloat64() * s.mean }

// Mean returns the mean in seconds.
func (s *ExponentialSampler) Mean() float64 { return s.mean }

// Variance returns the variance in seconds², mean².
func (s *ExponentialSampler) Variance() float64 { return s.mean * s.mean }

// Quantile returns the p-quantile, -mean·ln(1-p); NaN outside [0, 1].
func (s *ExponentialSampler) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return -s.mean * math.Log1p(-p)
}

// LognormalSampler draws log-normally distributed demands, exp(mu + sigma·Z)
// with Z standard normal, parameterised by the median (exp(mu)) and the
// 99th percentile (exp(mu + sigma·Φ⁻¹(0.99))).
type LognormalSampler struct{ mu, sigma float64 }

func newLognormal(median, p99 float64) (*LognormalSampler, error) {
	if err := checkPositive(DistLognormal, "median", median); err != nil {
		return nil, err
	}
	if err := checkPositive(DistLognormal, "p99", p99); err != nil {
		return nil, err
	}
	if p99 <= median {
		return nil, fmt.Errorf("lognormal: p99 (%s) must exceed median (%s)", secs(p99), secs(median))
	}
	mu := math.Log(median)
	s := &LognormalSampler{mu: mu, sigma: (math.Log(p99) - mu) / z99}
	if m := s.Mean(); math.IsInf(m, 0) || m == 0 {
		return nil, fmt.Errorf("lognormal: p99 (%s) is too far above median (%s): the mean is not a finite positive number", secs(p99), secs(median))
	}
	return s, nil
}

// Sample returns one demand in seconds.
func (s *LognormalSampler) Sample(r *rand.Rand) float64 {
	return math.Exp(s.mu + s.sigma*r.NormFloat64())
}

// Mean returns the mean in seconds, exp(mu + sigma²/2).
func (s *LognormalSampler) Mean() float64 { return math.Exp(s.mu + s.sigma*s.sigma/2) }

// Variance returns the variance in seconds², (exp(sigma²) - 1)·exp(2mu + sigma²).
func (s *LognormalSampler) Variance() float64 {
	s2 := s.sigma * s.sigma
	return math.Expm1(s2) * math.Exp(2*s.mu+s2)
}

// Quantile returns the p-quantile, exp(mu + sigma·Φ⁻¹(p)); NaN outside [0, 1].
func (s *LognormalSampler) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return math.Exp(s.mu + s.sigma*distuv.UnitNormal.Quantile(p))
}

// Params returns mu and sigma of the underlying normal distribution.
func (s *LognormalSampler) Params() (mu, sigma float64) { return s.mu, s.sigma }

// DeterministicSampler returns the same demand every time (M/D/c models).
type DeterministicSampler struct{ value float64 }

// Sample returns the fixed demand in seconds; it draws nothing from r.
func (s *DeterministicSampler) Sample(*rand.Rand) float64 { return s.value }

// Mean returns the fixed demand in seconds.
func (s *DeterministicSampler) Mean() float64 { return s.value }

// Variance returns 0.
func (s *DeterministicSampler) Variance() float64 { return 0 }

// Quantile returns the fixed demand for p in [0, 1], NaN otherwise.
func (s *DeterministicSampler) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return s.value
}

// GammaSampler draws gamma-distributed demands with the given mean and
// coefficient of variation: shape 1/CV², scale mean·CV². It uses gonum's
// distuv.Gamma (Marsaglia–Tsang, or Liu–Martin–Syring for shapes below 0.2)
// fed from the caller's generator.
type GammaSampler struct {
	mean, cv    float64
	alpha, beta float64 // shape and rate (1/scale), as distuv.Gamma takes them
}

func newGamma(mean, cv float64) (*GammaSampler, error) {
	if err := checkPositive(DistGamma, "mean", mean); err != nil {
		return nil, err
	}
	if !(cv > 0) || cv > GammaMaxCV {
		return nil, fmt.Errorf("gamma: cv must be in (0, %d] (got %s)", GammaMaxCV, strconv.FormatFloat(cv, 'g', -1, 64))
	}
	cv2 := cv * cv
	return &GammaSampler{mean: mean, cv: cv, alpha: 1 / cv2, beta: 1 / (mean * cv2)}, nil
}

// randSource adapts the caller's *rand.Rand to the rand.Source distuv wants,
// so gamma draws consume the caller's stream. It is one pointer wide, so
// converting it to an interface does not allocate.
type randSource struct{ r *rand.Rand }

// Uint64 returns the next 64 random bits of the wrapped generator.
func (s randSource) Uint64() uint64 { return s.r.Uint64() }

// Sample returns one demand in seconds.
func (s *GammaSampler) Sample(r *rand.Rand) float64 {
	x := distuv.Gamma{Alpha: s.alpha, Beta: s.beta, Src: randSource{r}}.Rand()
	if x <= 0 {
		// Underflow, possible only for tiny shapes; keep the Sampler contract
		// (> 0). With CV <= GammaMaxCV its probability is below 1e-12.
		return math.SmallestNonzeroFloat64
	}
	return x
}

// Mean returns the mean in seconds.
func (s *GammaSampler) Mean() float64 { return s.mean }

// Variance returns the variance in seconds², (CV·mean)².
func (s *GammaSampler) Variance() float64 { return s.cv * s.cv * s.mean * s.mean }

// Quantile returns the p-quantile; NaN outside [0, 1].
func (s *GammaSampler) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return distuv.Gamma{Alpha: s.alpha, Beta: s.beta}.Quantile(p)
}

// Shape returns the shape parameter 1/CV².
func (s *GammaSampler) Shape() float64 { return s.alpha }

// Scale returns the scale parameter mean·CV² in seconds.
func (s *GammaSampler) Scale() float64 { return 1 / s.beta }

// EmpiricalSampler draws uniformly, with replacement, from recorded demands.
type EmpiricalSampler struct {
	sorted []float64 // a sorted copy of the samples
	mean   float64
	vari   float64
}

func newEmpirical(samples []float64) (*EmpiricalSampler, error) {
	if len(samples) == 0 {
		return nil, errors.New("empirical: samples is empty; give at least one service time")
	}
	for i, v := range samples {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("empirical: sample %d is %s; every sample must be a positive finite number of seconds", i+1, secs(v))
		}
	}
	s := &EmpiricalSampler{sorted: slices.Clone(samples)}
	slices.Sort(s.sorted)
	n := float64(len(s.sorted))
	var sum float64
	for _, v := range samples {
		sum += v
	}
	s.mean = sum / n
	var ss float64
	for _, v := range samples {
		d := v - s.mean
		ss += d * d
	}
	s.vari = ss / n
	return s, nil
}

// Sample returns one of the recorded demands, each with probability 1/n.
func (s *EmpiricalSampler) Sample(r *rand.Rand) float64 { return s.sorted[r.IntN(len(s.sorted))] }

// Mean returns the samples' arithmetic mean in seconds.
func (s *EmpiricalSampler) Mean() float64 { return s.mean }

// Variance returns the samples' population variance in seconds² (what a
// draw with replacement has).
func (s *EmpiricalSampler) Variance() float64 { return s.vari }

// Quantile returns the smallest sample x with P(draw <= x) >= p (the
// inverse of the empirical CDF); NaN outside [0, 1].
func (s *EmpiricalSampler) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	i := int(math.Ceil(p*float64(len(s.sorted)))) - 1
	return s.sorted[max(i, 0)]
}

// Len returns the number of recorded demands.
func (s *EmpiricalSampler) Len() int { return len(s.sorted) }
