// Package queueing holds closed-form results of queueing theory: the
// Erlang C formula, the FCFS M/M/c queue's mean wait, mean sojourn time,
// sojourn-time distribution and quantiles, the Pollaczek–Khinchine M/G/1
// mean, Little's law, and DemandSlots, the fewest servers that keep an
// M/M/c queue's 99th-percentile sojourn time within a target.
//
// The validation tests check simulated numbers against these formulas, and
// the reports size each minute's demand for worker slots with DemandSlots
// (the elasticity figures):
//
//	const c, lambda, mu = 8, 7.2, 1.0 // ρ = 0.9
//	p99 := queueing.MMcSojournQuantile(c, lambda, mu, 0.99)
//	need := queueing.DemandSlots(lambda, 1/mu, 4) // the fewest servers with p99 ≤ 4 s
//
// Every function is pure. Those that return a time or a probability return
// NaN for parameters outside their domain (an unstable queue, a negative
// rate) rather than panicking, so a misused formula makes the comparing
// test fail visibly.
package queueing
