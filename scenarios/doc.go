// Package scenarios turns a scenario file into runs: it reads the YAML,
// applies --set overrides, checks every key and value (with the file's line
// and a hint in each message), fills in the defaults, and runs every
// strategy on the same traffic.
//
//	sc, err := scenarios.LoadFile("mmc.yaml", []string{"workload.rate=300"})
//	if err != nil {
//		// scenarios.IsInputError(err): bad input, exit status 2; the
//		// message reads like
//		// mmc.yaml:5: workload.rate: must be > 0 (got -5); set a positive requests-per-second
//	}
//	res, err := scenarios.Run(ctx, sc, scenarios.RunOptions{Replications: 5})
//	// res is the reports.Result the renderers write.
//
// The pipeline, each step in its own file:
//   - load.go: read with a size cap, parse into a yaml.Node tree (lines
//     kept), apply the --set flags to the tree (set.go);
//   - decode.go: walk the tree against the Spec's yaml tags, rejecting
//     unknown keys (with a did-you-mean), duplicates and ill-typed values;
//     yaml.v3's KnownFields is not used, as it is lost under custom
//     unmarshalers (go-yaml/yaml#460);
//   - validate.go, workload.go, samples.go, lifecycle.go (instances,
//     metrics, zones, failures, load balancer prices), strategy.go (the
//     four strategy families and their policies): one pass per section,
//     defaults applied there and only there, every limit (limits.go)
//     checked before anything sized by it is allocated; horizontal and
//     vertical strategies are built once at load, so whatever the
//     strategies package rejects is reported with the file's line;
//   - build.go, run.go: one models.Config per strategy (a load balancer or
//     a stream in front, resize mechanics, metric warm-up, a warm pool),
//     one job per (strategy, replication) on a small worker pool; results
//     written by index, so output never depends on scheduling; what trace
//     replays skipped becomes the result's warnings.
//
// The package never exits the process, reads no terminal and no clock.
package scenarios
