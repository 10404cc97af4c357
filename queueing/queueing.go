package queueing

import "math"

// References:
//   - [Kleinrock] L. Kleinrock, Queueing Systems, Volume 1: Theory (Wiley,
//     1975): M/M/m in ch. 3, M/G/1 and Pollaczek–Khinchine in ch. 5.
//   - [GSTH] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
//     Fundamentals of Queueing Theory, 4th ed. (Wiley, 2008), ch. 2: M/M/c,
//     its waiting-time distribution, Erlang B and C.
//   - [Little] J. D. C. Little, "A Proof for the Queuing Formula: L = λW",
//     Operations Research 9(3):383–387, 1961.

// ErlangC returns the probability that an arriving customer has to wait in
// an M/M/c queue with c servers and offered load a = λ/μ (in Erlangs),
// which requires 0 ≤ a < c:
//
//	C(c, a) = (aᶜ/c!)·c/(c−a) / (Σ_{k<c} aᵏ/k! + (aᶜ/c!)·c/(c−a))
//
// It is computed through the Erlang B recursion, which neither overflows
// nor cancels, so it is accurate for c in the thousands [GSTH ch. 2]:
//
//	B(0) = 1,  B(k) = a·B(k−1) / (k + a·B(k−1)),  C = c·B(c) / (c − a·(1 − B(c)))
//
// It returns NaN if c < 1 or a is outside [0, c).
func ErlangC(c int, a float64) float64 {
	if c < 1 || !(a >= 0) || !(a < float64(c)) {
		return math.NaN()
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	fc := float64(c)
	return fc * b / (fc - a*(1-b))
}

// MMcMeanWait returns the mean time spent waiting in the queue (before
// service starts) in a FCFS M/M/c queue with arrival rate lambda and
// per-server service rate mu [Kleinrock ch. 3]:
//
//	W_q = C(c, λ/μ) / (cμ − λ)
//
// Times are in the reciprocal unit of the rates. It returns NaN unless
// c ≥ 1, mu > 0 and 0 ≤ lambda < c·mu.
func MMcMeanWait(c int, lambda, mu float64) float64 {
	if !mmcValid(c, lambda, mu) {
		return math.NaN()
	}
	return ErlangC(c, lambda/mu) / (float64(c)*mu - lambda)
}

// MMcMeanSojourn returns the mean sojourn (response) time, waiting plus
// service, in a FCFS M/M/c queue: T = W_q + 1/μ. It returns NaN where
// MMcMeanWait does.
func MMcMeanSojourn(c int, lambda, mu float64) float64 {
	return MMcMeanWait(c, lambda, mu) + 1/mu
}

// MMcSojournCDF returns P(T ≤ t) for the sojourn time T of a FCFS M/M/c
// queue in steady state. T = W + S, where S ~ Exp(μ) is the service time and
// the wait W is 0 with probability 1 − C and Exp(θ) otherwise, θ = cμ − λ
// [GSTH ch. 2]. Convolving gives, with C = C(c, λ/μ),
//
//	P(T > t) = (1 − C)·e^{−μt} + C·(θ·e^{−μt} − μ·e^{−θt}) / (θ − μ)
//
// and, in the degenerate case θ = μ, where W + S is Erlang-2,
//
//	P(T > t) = (1 − C)·e^{−μt} + C·e^{−μt}·(1 + μt).
//
// Both cases are evaluated by one expression that is continuous in θ − μ
// (see sumExpSurvival). It returns 0 for t ≤ 0 and NaN where MMcMeanWait
// does.
func MMcSojournCDF(c int, lambda, mu, t float64) float64 {
	cdf, _ := mmcSojourn(c, lambda, mu, t)
	return cdf
}

// MMcSojournQuantile returns the p-quantile of the M/M/c FCFS sojourn time,
// the t with MMcSojournCDF(c, lambda, mu, t) = p, found by bisection to a
// relative precision of 1e-12. It returns 0 for p = 0, +Inf for p = 1, and
// NaN if p is outside [0, 1] or the queue is invalid as for MMcMeanWait.
func MMcSojournQuantile(c int, lambda, mu, p float64) float64 {
	switch {
	case !mmcValid(c, lambda, mu) || !(p >= 0 && p <= 1):
		return math.NaN()
	case p == 0:
		return 0
	case p == 1:
		return math.Inf(1)
	}
	// below reports whether t is left of the quantile. Below the median the
	// CDF is compared with p, above it the survival with 1−p, so that high
	// quantiles keep their precision.
	below := func(t float64) bool {
		cdf, surv := mmcSojourn(c, lambda, mu, t)
		if p < 0.5 {
			return cdf < p
		}
		return surv > 1-p
	}
	hi := MMcMeanSojourn(c, lambda, mu)
	for below(hi) {
		hi *= 2
	}
	lo := 0.0
	for hi-lo > 1e-12*hi {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break // adjacent floats
		}
		if below(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// PollaczekKhinchineMeanWait returns the mean time spent waiting in the
// queue of an M/G/1 FCFS queue with arrival rate lambda and a service time S
// of mean meanS and second moment secondMomentS = E[S²] [Kleinrock ch. 5]:
//
//	W_q = λ·E[S²] / (2(1 − ρ)),  ρ = λ·E[S].
//
// It returns NaN unless lambda ≥ 0, meanS > 0, secondMomentS ≥ meanS² and
// ρ < 1.
func PollaczekKhinchineMeanWait(lambda, meanS, secondMomentS float64) float64 {
	rho := lambda * meanS
	if !(lambda >= 0) || !(meanS > 0) || !(secondMomentS >= meanS*meanS) || !(rho < 1) {
		return math.NaN()
	}
	return lambda * secondMomentS / (2 * (1 - rho))
}

// PollaczekKhinchineMeanSojourn returns the mean sojourn time of an M/G/1
// FCFS queue, T = W_q + E[S], with W_q from PollaczekKhinchineMeanWait. It
// returns NaN where that does.
func PollaczekKhinchineMeanSojourn(lambda, meanS, secondMomentS float64) float64 {
	return PollaczekKhinchineMeanWait(lambda, meanS, secondMomentS) + meanS
}

// LittleL returns the mean number in a system by Little's law, L = λ·T,
// for arrival rate lambda and mean sojourn time meanSojourn [Little]. It
// holds for any stable system, whatever the distributions and discipline.
func LittleL(lambda, meanSojourn float64) float64 {
	return lambda * meanSojourn
}

// mmcValid reports whether (c, lambda, mu) is a stable M/M/c queue.
func mmcValid(c int, lambda, mu float64) bool {
	return c >= 1 && mu > 0 && !math.IsInf(mu, 1) && lambda >= 0 && lambda < float64(c)*mu
}

// mmcSojourn returns P(T ≤ t) and P(T > t) for the M/M/c FCFS sojourn time,
// each computed directly so that neither loses precision to 1 − x.
func mmcSojourn(c int, lambda, mu, t float64) (cdf, surv float64) {
	if !mmcValid(c, lambda, mu) || math.IsNaN(t) {
		return math.NaN(), math.NaN()
	}
	if t <= 0 {
		return 0, 1
	}
	pw := ErlangC(c, lambda/mu)
	theta := float64(c)*mu - lambda
	sumCDF, sumSurv := sumExpSurvival(mu, theta, t)
	cdf = (1-pw)*-math.Expm1(-mu*t) + pw*sumCDF
	surv = (1-pw)*math.Exp(-mu*t) + pw*sumSurv
	return cdf, surv
}

// sumExpSurvival returns P(X+Y ≤ t) and P(X+Y > t) for independent
// X ~ Exp(r1) and Y ~ Exp(r2), t > 0. With a = min(r1, r2), b = max(r1, r2)
// and g = (1 − e^{−(b−a)t})/(b − a) (g = t when a = b),
//
//	P(X+Y > t) = (b·e^{−at} − a·e^{−bt})/(b − a) = e^{−at}·(1 + a·g)
//	P(X+Y ≤ t) = (1 − e^{−at}) − a·e^{−at}·g
//
// The form in g has no cancellation as b − a → 0 and no overflow as t grows,
// since a is the smaller rate.
func sumExpSurvival(r1, r2, t float64) (cdf, surv float64) {
	a, b := math.Min(r1, r2), math.Max(r1, r2)
	g := t
	if d := b - a; d > 0 {
		g = -math.Expm1(-d*t) / d
	}
	ea := math.Exp(-a * t)
	return -math.Expm1(-a*t) - a*ea*g, ea * (1 + a*g)
}
