// Package reports records a run's results and renders them.
//
// Record, summarise, render, as benchstat does:
//
//	c := reports.NewCollector(reports.CollectorConfig{Warmup: warmup, Horizon: horizon, SLO: slo})
//	// ... the model reports to c through models.Sink while it runs ...
//	if err := c.Check(); err != nil { ... } // the request ledger balances
//	res := &reports.Result{SchemaVersion: reports.SchemaVersion, Scenario: name, ...}
//	res.Strategies = append(res.Strategies, c.Summary("asg", "horizontal"))
//	res.Series = append(res.Series, c.Series("asg")...)
//	err := reports.WriteTable(os.Stdout, res) // or WriteJSON, WriteCSV, WriteMarkdown
//
// Result is the JSON contract (docs/outputs.md). The Collector keeps memory
// flat in the number of requests: one HdrHistogram for the run, one reused
// for the current minute, and a small row per minute. Renderers never
// change the Result; machine-readable output rounds floats to 6
// significant digits when written, human-readable output formats numbers
// for people.
package reports
