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
//     a strategy's keys go into the section of the family its type names;
//     yaml.v3's KnownFields is not used, as it is lost under custom
//     unmarshalers (go-yaml/yaml#460);
//   - validate.go, workload.go, samples.go, lifecycle.go (instances,
//     metrics, zones, failures, load balancer prices), family.go and
//     family_*.go (the strategy families): one pass per section, defaults
//     applied there and only there, every limit (limits.go) checked before
//     anything sized by it is allocated; horizontal and vertical strategies
//     are built once at load, so whatever the strategies package rejects is
//     reported with the file's line;
//   - build.go, run.go: one models.Config per run (what the family chose:
//     fleet mechanics, a front door, a metric warm-up), one job per
//     (strategy, replication) on a small worker pool; results written by
//     index, so output never depends on scheduling; what trace replays
//     skipped becomes the result's warnings.
//
// The package never exits the process, reads no terminal and no clock.
//
// # Adding a strategy family
//
// A family (static, horizontal, vertical, stream, kubernetes, ...) is one
// Family value in a Schema: its Type (the value of the type key) and New, which
// returns an empty FamilySpec, a pointer to a struct whose yaml-tagged
// fields are the family's keys. Nothing else in the module names a family.
// To add one:
//
//  1. Write its policy in package strategies: a strategies.Strategy, a
//     pure function of observations, tested from tables without a
//     simulation.
//  2. Choose its mechanics in package models: how instances come and go
//     (models.Group, Resizable, Consumers or Kube) and what requests meet
//     first (models.LoadBalancer, usually PlanEnv.LoadBalancer, or a
//     models.Stream). A family with new mechanics adds one Mechanics or
//     Door implementation in models, beside the others; the System drives
//     it through the interface.
//  3. Write its section in a file of its own here, family_NAME.go: the
//     struct with its keys (field order is the order of the resolved
//     YAML; `yaml:"key,omitempty"` leaves a zero value out), and the four
//     methods of FamilySpec. Check validates and defaults through the
//     Checker, which places every error at its line; Plan returns the
//     Plan of one run (a fresh policy each time); Notes returns remarks on
//     a finished run (the table, the JSON and the narrative show them);
//     Story returns the family's own sentences for the narrative and the
//     notes they retell, or nil for reports.DefaultStory.
//  4. Register it: one line in DefaultSchema (or Schema.AddFamily for a
//     family of your own, as cmd/scalesim's family_test.go does with a
//     test-only family that runs through `scalesim run` and `scalesim
//     validate` with no other file changed).
//  5. Test it: table-driven policy tests citing the AWS (or Kubernetes)
//     page each behaviour comes from, a timeline test of the mechanics in
//     models, a built-in scenario or a scenario test that runs it, and a
//     bad file in testdata/bad for each check.
//
// Figures are not per family: a new figure is one row of the reports
// package's table of figures.
package scenarios
