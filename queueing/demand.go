package queueing

import "math"

// demandTail is the share of requests DemandSlots lets exceed the target:
// the 99th percentile is within it when at most 1% are above it.
const demandTail = 0.01

// SojournQuantileFloor returns the p-quantile of the sojourn time of an
// M/M/c FCFS queue with mean service time meanS and unlimited servers:
// the service time alone, exponential with that mean, whose p-quantile is
// −meanS·ln(1−p) (for p = 0.99, meanS·ln 100 ≈ 4.6·meanS). Every finite
// number of servers has a larger quantile, so no fleet meets a target at
// or below it. It returns NaN unless meanS > 0 and 0 ≤ p < 1.
func SojournQuantileFloor(meanS, p float64) float64 {
	if !(meanS > 0) || math.IsInf(meanS, 1) || !(p >= 0 && p < 1) {
		return math.NaN()
	}
	return -meanS * math.Log1p(-p)
}

// StableSlots returns the fewest servers that keep an M/M/c queue with
// arrival rate lambda and mean service time meanS stable: the smallest
// integer above the offered load λ·meanS, ⌊λ·meanS⌋ + 1. It returns 0 when
// there is no load (lambda or meanS not positive, or NaN), and at most
// math.MaxInt32.
func StableSlots(lambda, meanS float64) int {
	a := lambda * meanS
	if !(lambda > 0) || !(meanS > 0) || !(a > 0) {
		return 0
	}
	if a >= math.MaxInt32 {
		return math.MaxInt32
	}
	return int(math.Floor(a)) + 1
}

// P99Reachable reports whether some number of servers keeps the 99th
// percentile of an M/M/c queue's sojourn time within p99TargetS seconds,
// with mean service time meanS: whether the service time alone, exponential
// with that mean, exceeds the target less than 1% of the time, that is
// p99TargetS > meanS·ln 100 (SojournQuantileFloor). It is false when meanS
// is not positive.
func P99Reachable(meanS, p99TargetS float64) bool {
	return meanS > 0 && math.Exp(-p99TargetS/meanS) < demandTail
}

// DemandSlots returns the fewest servers c for which an M/M/c FCFS queue
// with arrival rate lambda (per second) and mean service time meanS
// (seconds) has a 99th-percentile sojourn time, waiting plus service, of at
// most p99TargetS seconds: the smallest stable c with P(T > p99TargetS) ≤
// 1% (see MMcSojournCDF). More servers never lengthen the sojourn time, so
// it is found by adding servers from StableSlots upward, Erlang B's
// recursion carried along (time linear in the answer).
//
// It returns 0 when there is no load (lambda or meanS not positive, or
// NaN). When no number of servers meets the target (P99Reachable is false,
// or the target lies within rounding above the floor), it returns the
// fewest servers with which at most 1% of requests wait at all, Erlang C
// C(c, λ·meanS) ≤ 1%: the queue then adds nothing to the p99, the most a
// fleet can do for it. An offered load of math.MaxInt32 servers or more is
// not searched: it returns StableSlots.
func DemandSlots(lambda, meanS, p99TargetS float64) int {
	stable := StableSlots(lambda, meanS)
	if stable == 0 || stable == math.MaxInt32 {
		return stable
	}
	a, mu, t := lambda*meanS, 1/meanS, p99TargetS
	reachable := P99Reachable(meanS, t)
	// The service time alone exceeds the target with probability e^{−μt}.
	serviceTail := math.Exp(-mu * t)
	// Past the limit, C(c, a) < 1e-20 (c is ten standard deviations of the
	// load above it, plus 100), so the survival is e^{−μt} to within
	// rounding: a target not met there is not met at all.
	limit := stable + int(math.Ceil(10*math.Sqrt(a))) + 100
	noWait := 0 // the fewest servers with C ≤ 1%
	b := 1.0    // Erlang B, B(0) = 1
	for c := 1; c <= limit; c++ {
		b = a * b / (float64(c) + a*b)
		if c < stable {
			continue
		}
		fc := float64(c)
		wait := fc * b / (fc - a*(1-b)) // Erlang C from Erlang B
		if !reachable {
			if wait <= demandTail {
				return c
			}
			continue
		}
		if noWait == 0 && wait <= demandTail {
			noWait = c
		}
		_, both := sumExpSurvival(mu, fc*mu-lambda, t)
		if (1-wait)*serviceTail+wait*both <= demandTail {
			return c
		}
	}
	return max(noWait, stable)
}
