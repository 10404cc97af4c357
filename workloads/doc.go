// Package workloads turns a workload description into a stream of arrival
// instants. It knows the sim package only.
//
// Synthetic workloads (poisson, steps, diurnal, spike, ramp, mix) are exact
// non-homogeneous Poisson processes, sampled by thinning against a piecewise
// upper bound of the rate; nothing is batched per second. Traces replay
// recorded traffic while streaming the file, so memory does not grow with
// its size. Each trace format is one Format, listed once by Formats: its
// options, its detector, its reader and, for some, its writer; CheckTrace
// is the one validator of a trace's options, for the package, the
// scenarios and the CLI alike. The formats:
//   - timestamps: one arrival per line or CSV row (stamps.go);
//   - counts: one count per interval, replayed as a Poisson process at each
//     interval's rate (counts.go);
//   - alb: AWS ALB access logs, a file or a directory as S3 delivers them,
//     merged in arrival order through per-file reorder buffers (alb.go,
//     reorder.go); malformed lines are skipped and reported (Warnings), or
//     an error with Strict;
//   - cloudwatch: a get-metric-data or get-metric-statistics JSON export of
//     a request count, replayed like counts (cloudwatch.go).
//
// Adding a trace format: write, in its own file, a constructor returning
// its Format (name, Options, detector, a reader of instants or of counts,
// and a writer if Convert is to write it), and add it to Formats. The
// validator, DetectFormat, Peek, Stats, Bin, the replay, the scenarios'
// schema and the CLI's flags then take it with no other change; give it
// a fuzz target, and a round-trip test if it has a writer.
//
// Times in a trace are UTC unless they carry an offset. Beside the
// replays, Peek describes a trace, Stats summarises its rates (span, mean,
// percentiles, peak, index of dispersion, gaps), Bin counts its arrivals
// per interval, ServiceTimes streams the latencies an ALB log or a file of
// durations records (for models.FitServiceTimes), DetectFormat guesses a
// file's format, and a Conversion rewrites a trace as counts or timestamps
// (TimestampsWriter, CountsWriter). Files come through TraceConfig.Open or TraceConfig.FS:
// the package does no file I/O of its own.
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
// Timestamps and ALB traces are read ahead in goroutines (readahead.go),
// which change when the reading is done, never what the replay sees: the
// same bytes, arrivals, warnings and errors at the same positions. Close
// a trace Source (it is an io.Closer) to stop them.
package workloads
