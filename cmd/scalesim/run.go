package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/calibrate"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/bundle"
	"github.com/scalesim/scalesim/scenarios"
)

// runOptions is what `scalesim run` was asked to do.
type runOptions struct {
	IO ioStreams
	runFlags

	Baseline        string  // --baseline: the strategy the others are compared with; "" for the first
	PrecisionArg    string  // --precision as given: "2%" or "0.02"; "" for none
	Precision       float64 // --precision as a fraction (0.02), set by validate
	MaxReplications int     // --max-replications (with --precision); 0 for the default
	Explain         bool    // --explain: every decision and event on stderr
	Color           bool    // colour the table: stdout is a terminal and NO_COLOR is unset; set by complete
}

// runLong is the help text of `scalesim run`.
const runLong = `Run a scenario and print each strategy's results to stdout.

SCENARIO is a YAML file or the name of a built-in scenario (see 'scalesim
scenarios'); an existing file wins over a built-in of the same name. Without
it, the built-in "default" scenario runs.

-o selects what goes to stdout: a table (default), the JSON summary, the
per-minute time series as CSV, or a Markdown table. Progress and warnings go
to stderr; a progress bar appears on a terminal when a run takes more than a
couple of seconds.

Each strategy is compared with a baseline (--baseline, default the first):
the table shows every compared figure's change from it, paired over the
replications (the same seeds: common random numbers), with its 95% interval,
or ~ when the difference is not significant.

--replications N runs N replications with seeds seed, seed+1, ...; figures
are their means with 95% half-widths. --precision 2% instead keeps adding
replications (from 3, in rounds fixed before they start) until every
strategy's p99 latency is known within ±2% of its mean, or
--max-replications (default 50) are done, and warns when it stops short.

--explain prints every scaling decision and fleet event of replication 0 to
stderr in time order: what the strategy saw, the rule that fired, and when
the capacity arrived.

--out DIR writes a report bundle: summary.json, timeseries.csv, the resolved
scenario.yaml, decisions.csv, events.csv, every chart as charts/NAME.png and
charts/NAME.svg, and report.html (one self-contained page).

The table is coloured when stdout is a terminal, unless NO_COLOR is set.`

// newRunCmd builds `scalesim run`. runF, when not nil, replaces runRun so
// tests can inspect the options without running anything.
func newRunCmd(ios ioStreams, runF func(*runOptions) error) *cobra.Command {
	opts := &runOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run a scenario and print the results",
		Long:  runLong,
		Example: `  scalesim run
  scalesim run mmc -o json > result.json
  scalesim run scenario.yaml --seed 9 --set workload.rate=500 --set strategies.asg.max=60
  scalesim run scenario.yaml --strategy asg --strategy fixed --replications 5 -o markdown
  scalesim run default --replications 5 --baseline static-avg
  scalesim run default --precision 2% --max-replications 30
  scalesim run default --explain --strategy asg
  scalesim run mmc --out report/`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return completeScenarios(toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.parse(cmd, args); err != nil {
				return err
			}
			if err := opts.validatePrecision(); err != nil {
				return err
			}
			if err := opts.complete(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runRun(cmd.Context(), opts)
		},
	}
	addRunFlags(cmd, opts)
	return cmd
}

// addRunFlags defines run's flags on cmd, writing into opts.
func addRunFlags(cmd *cobra.Command, opts *runOptions) {
	opts.add(cmd, resultFormats(), "write a report bundle (summary.json, CSVs, scenario.yaml, charts, report.html) to `DIR`")
	f := cmd.Flags()
	f.StringVar(&opts.Baseline, "baseline", "", "compare the other strategies with strategy `NAME` (default: the first run)")
	f.StringVar(&opts.PrecisionArg, "precision", "", "add replications until every p99's 95% half-width is within `P` of its mean, e.g. 2%")
	f.IntVar(&opts.MaxReplications, "max-replications", 0, "with --precision, run at most `N` replications (default 50)")
	f.BoolVar(&opts.Explain, "explain", false, "print every scaling decision and fleet event to stderr, in time order")
	strategyNames := func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return completeStrategies(opts.IO.Schema, args, opts.Sets)
	}
	_ = cmd.RegisterFlagCompletionFunc("strategy", strategyNames)
	_ = cmd.RegisterFlagCompletionFunc("baseline", strategyNames)
}

// completeStrategies completes --strategy with the strategy names of the
// scenario named by args (the default one if none).
func completeStrategies(schema *scenarios.Schema, args, sets []string) ([]cobra.Completion, cobra.ShellCompDirective) {
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	ref, err := resolveScenario(arg)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	sc, err := ref.load(schema, sets)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return sc.StrategyNames(), cobra.ShellCompDirectiveNoFileComp
}

// resultFormats are the values of run's -o flag.
func resultFormats() []string { return []string{"table", "json", "csv", "markdown"} }

// validatePrecision parses --precision and checks --max-replications.
func (o *runOptions) validatePrecision() error {
	if o.PrecisionArg != "" {
		p, err := parsePrecision(o.PrecisionArg)
		if err != nil {
			return usageErrorf("--precision %q: %v", o.PrecisionArg, err)
		}
		o.Precision = p
	}
	switch {
	case o.MaxReplications < 0 || o.MaxReplications > scenarios.MaxReplications:
		return usageErrorf("--max-replications must be from 1 to %d (got %d)", scenarios.MaxReplications, o.MaxReplications)
	case o.MaxReplications > 0 && o.Precision == 0:
		return usageErrorf("--max-replications only applies with --precision (the number of replications is --replications)")
	case o.MaxReplications > 0 && o.MaxReplications < o.Replications:
		return usageErrorf("--max-replications %d is fewer than --replications %d", o.MaxReplications, o.Replications)
	}
	return nil
}

// parsePrecision reads a relative precision written as a percentage
// ("2%", "0.5%") or a fraction ("0.02"): more than 0 and at most 100%.
func parsePrecision(s string) (float64, error) {
	text := strings.TrimSpace(s)
	num, pct := strings.CutSuffix(text, "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("want a percentage such as 2% or a fraction such as 0.02")
	}
	if pct {
		v /= 100
	}
	if v <= 0 || v > 1 {
		return 0, errors.New("must be more than 0 and at most 100%, e.g. 2% or 0.02")
	}
	return v, nil
}

// complete resolves the scenario argument and the defaults that depend on
// the machine.
func (o *runOptions) complete() error {
	if err := o.runFlags.complete(); err != nil {
		return err
	}
	// https://no-color.org: a NO_COLOR that is set and not empty means none.
	noColor, _ := o.IO.LookupEnv("NO_COLOR")
	o.Color = o.IO.OutIsTTY && noColor == ""
	return nil
}

// runRun loads the scenario, runs it, prints the chosen format to stdout
// and writes the bundle.
func runRun(ctx context.Context, o *runOptions) error {
	sc, err := o.ref.load(o.IO.Schema, o.Sets)
	if err != nil {
		return err
	}
	ro, bar := o.runOptions(o.IO)
	ro.Baseline, ro.Precision, ro.MaxReplications = o.Baseline, o.Precision, o.MaxReplications
	res, err := scenarios.Run(ctx, sc, ro)
	bar.stop()
	if err != nil {
		return err
	}
	if o.Explain {
		if err := reports.WriteExplain(o.IO.Err, res); err != nil {
			return err
		}
	}
	printWarnings(o.IO.Err, res.Warnings)
	if err := writeResult(o.IO.Out, o.Output, res, o.Color); err != nil {
		return fmt.Errorf("writing %s output: %w", o.Output, err)
	}
	if o.OutDir == "" {
		return nil
	}
	y, err := sc.YAML()
	if err != nil {
		return fmt.Errorf("report bundle: %w", err)
	}
	files, err := bundle.Run(res, y)
	if err == nil {
		var aws []bundle.File
		aws, err = calibrate.RecordFiles(res, sc.StartTime())
		files = append(files, aws...)
	}
	names, err := writeBundle("report bundle", o.OutDir, files, err)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Err, "scalesim: wrote %s to %s\n", bundleSummary(names), o.OutDir)
	return nil
}

// printWarnings writes each warning to w as a "scalesim: warning: " line.
func printWarnings(w io.Writer, warnings []string) {
	for _, msg := range warnings {
		for _, line := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
			fmt.Fprintf(w, "scalesim: warning: %s\n", line)
		}
	}
}

// writeResult renders r to w in format (one of resultFormats); color
// colours the table.
func writeResult(w io.Writer, format string, r *reports.Result, color bool) error {
	switch format {
	case "json":
		return reports.WriteJSON(w, r)
	case "csv":
		return reports.WriteCSV(w, r)
	case "markdown":
		return reports.WriteMarkdown(w, r)
	default:
		return reports.WriteTableOptions(w, r, reports.TableOptions{Color: color})
	}
}

// checkFormat returns a usage error unless format is one of valid.
func checkFormat(format string, valid []string) error {
	for _, v := range valid {
		if format == v {
			return nil
		}
	}
	return usageErrorf("invalid value %q for -o/--output: want %s", format, orList(valid))
}

// checkSets returns a usage error for a --set value that is not PATH=VALUE.
func checkSets(sets []string) error {
	for _, s := range sets {
		path, _, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(path) == "" {
			return usageErrorf("--set %q: want PATH=VALUE, e.g. --set workload.rate=500", s)
		}
	}
	return nil
}

// orList joins items as "a, b, c or d".
func orList(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// fixedCompletion completes a flag from a fixed list of values.
func fixedCompletion(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}
