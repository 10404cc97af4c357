// Package workloads turns a workload description into a stream of arrival
// instants. It knows the sim package only.
//
// Synthetic workloads (poisson, steps, diurnal, spike, ramp, mix) are exact
// non-homogeneous Poisson processes, sampled by thinning against a piecewise
// upper bound of the rate; nothing is batched per second. Traces replay
// recorded traffic (one timestamp per arrival, or one count per interval)
// while streaming the file, so memory does not grow with its size.
//
// A sketch of a run's arrival loop:
//
//	streams := sim.NewStreams(seed)
//	src, err := workloads.New(workloads.Config{Type: "poisson", Rate: 350},
//		streams.Stream(sim.StreamArrivals))
//	if err != nil {
//		return err
//	}
//	for {
//		t, ok := src.Next()
//		if !ok || t >= horizon {
//			break
//		}
//		// ... schedule an arrival at t
//	}
//	if err := src.Err(); err != nil { // a trace that could not be read
//		return err
//	}
//
// Determinism: a Source draws its randomness only from the *rand.Rand given
// to New, in arrival order, and never reads the clock, the environment or a
// map; the same configuration and generator state give the same arrivals.
package workloads
