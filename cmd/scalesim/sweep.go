package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/bundle"
	"github.com/scalesim/scalesim/scenarios"
)

// sweepOptions is what `scalesim sweep` was asked to do.
type sweepOptions struct {
	IO ioStreams
	runFlags

	Vary       []string // --vary PATH=V1,V2,..., in order
	SLO        string   // --slo clauses; "" for none
	Shard      string   // --shard I/N or auto; "" for none (or the environment's)
	OutputFile string   // --output-file: stdout's output goes there instead; "" for stdout

	axes  []reports.Axis
	slo   []reports.SLOClause
	shard scenarios.Shard
}

// sweepLong is the help text of `scalesim sweep`.
const sweepLong = `Run a scenario at every combination of the --vary values (the grid) and
print one row per point and strategy: p99 latency, success ratio, SLO
attainment, total cost and cost per million requests, with the rows on the
Pareto frontier of cost against p99 marked *.

--vary PATH=V1,V2,... names a scenario field as --set does; values may be
numeric ranges START..END/STEP (inclusive). Each point equals 'scalesim run'
with the --set flags plus the point's values as --set flags. The first --vary
varies slowest. Points run in parallel on --workers cores; the output does not
depend on their number.

--slo 'KEY<=VALUE,...' (keys as in the JSON: latency_ms.p99,
availability.success_ratio, cost_usd.total, ...; operators <=, <, >=, >)
prints, at the end, the cheapest point and strategy meeting every clause, or
the nearest miss and by how much.

--shard I/N runs only the I-th of N parts of the grid (point k, counted from
0, belongs to part k mod N + 1) and prints the same JSON with only those
points; 'scalesim merge' puts the parts together. Without --shard, a
Kubernetes Indexed Job's JOB_COMPLETION_INDEX (0-based) selects the part,
with N taken from SCALESIM_SHARDS; --shard auto insists on them.
--output-file FILE writes the output to FILE rather than stdout.

--out DIR writes sweep.json, sweep.csv and charts/pareto.svg and .png.`

// newSweepCmd builds `scalesim sweep`. runF, when not nil, replaces
// runSweep so tests can inspect the options.
func newSweepCmd(ios ioStreams, runF func(*sweepOptions) error) *cobra.Command {
	opts := &sweepOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO --vary PATH=V1,V2,... [--vary ...]",
		Short: "Run a grid of variations of a scenario (capacity planning)",
		Long:  sweepLong,
		Example: `  scalesim sweep mmc --vary strategies.fixed.count=4..8 --vary workload.rate=300,350,400
  scalesim sweep default --vary strategies.asg.policy.target=30..70/10 --replications 5 \
      --slo 'latency_ms.p99<=300,availability.success_ratio>=0.999'
  scalesim sweep my.yaml --vary service.timeout=500ms,1s,2s -o json > sweep.json
  scalesim sweep my.yaml --vary strategies.fixed.count=2..40 --shard 3/8 -o json > part-3.json
  scalesim sweep my.yaml --vary workload.rate=100..1000/100 --shard auto -o json --output-file /results/part-$JOB_COMPLETION_INDEX.json`,
		Args: cobra.ExactArgs(1),
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
			if err := opts.validate(); err != nil {
				return err
			}
			if err := opts.complete(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSweep(cmd.Context(), opts)
		},
	}
	opts.add(cmd, sweepFormats(), "write sweep.json, sweep.csv and charts/pareto.{svg,png} to `DIR`")
	f := cmd.Flags()
	f.Lookup("replications").Usage = "`N` runs per point and strategy (seeds seed, seed+1, ...); figures are their means"
	f.Lookup("set").Usage = "override one scenario field at every point, `PATH=VALUE` (repeatable)"
	f.StringArrayVar(&opts.Vary, "vary", nil, "vary a scenario field over `PATH=V1,V2,...` or PATH=START..END/STEP (repeatable; the first varies slowest)")
	f.StringVar(&opts.SLO, "slo", "", "find the cheapest point meeting `CLAUSES`, e.g. 'latency_ms.p99<=300,availability.success_ratio>=0.999'")
	f.StringVar(&opts.Shard, "shard", "", "run only part `I/N` of the grid; auto: from JOB_COMPLETION_INDEX and SCALESIM_SHARDS (also the default when they are set)")
	f.StringVar(&opts.OutputFile, "output-file", "", "write what -o prints to `FILE` instead of stdout (atomically: a partial file never appears)")
	return cmd
}

// sweepFormats are the values of sweep's -o flag.
func sweepFormats() []string { return []string{"table", "json", "csv"} }

// validate checks the flag values; a bad one is a usage error.
func (o *sweepOptions) validate() error {
	if len(o.Vary) == 0 {
		return usageErrorf("sweep needs at least one --vary PATH=V1,V2,..., e.g. --vary strategies.fixed.count=4,6,8")
	}
	o.axes = nil
	for _, v := range o.Vary {
		a, err := scenarios.ParseVary(v)
		if err != nil {
			return &usageError{err}
		}
		o.axes = append(o.axes, a)
	}
	if strings.TrimSpace(o.SLO) != "" {
		slo, err := reports.ParseSLO(o.SLO)
		if err != nil {
			return &usageError{err}
		}
		o.slo = slo
	}
	return o.pickShard()
}

// pickShard sets the shard from --shard I/N; from the environment of a
// Kubernetes Indexed Job with --shard auto (required there) or without
// --shard (if the environment has it).
func (o *sweepOptions) pickShard() error {
	if o.Shard != "" && o.Shard != "auto" {
		sh, err := scenarios.ParseShard(o.Shard)
		if err != nil {
			return &usageError{err}
		}
		o.shard = sh
		return nil
	}
	sh, ok, err := scenarios.ShardFromEnv(o.IO.LookupEnv)
	switch {
	case err != nil:
		return &usageError{err}
	case !ok && o.Shard == "auto":
		return usageErrorf("--shard auto: %s is not set; it is set on the pods of a Kubernetes Indexed Job (completionMode: Indexed); elsewhere pass --shard I/N", scenarios.EnvCompletionIndex)
	}
	o.shard = sh
	return nil
}

// runSweep runs the sweep, prints the chosen format to stdout (the SLO
// answer also to stderr when stdout is JSON or CSV) and writes the bundle.
func runSweep(ctx context.Context, o *sweepOptions) error {
	ro, bar := o.runOptions(o.IO)
	so := scenarios.SweepOptions{Axes: o.axes, Sets: o.Sets, Shard: o.shard, SLO: o.slo, Run: ro}
	load := func(sets []string) (*scenarios.Scenario, error) { return o.ref.load(o.IO.Schema, sets) }
	res, err := scenarios.Sweep(ctx, load, so)
	bar.stop()
	if err != nil {
		return err
	}
	if sh := res.Shard; sh != nil && len(res.Points) == 0 {
		fmt.Fprintf(o.IO.Err, "scalesim: shard %d/%d holds none of the %d points of the grid\n", sh.Index, sh.Count, sh.PointsTotal)
	}
	if o.OutputFile == "" {
		return emitSweep(o.IO, res, o.Output, o.OutDir)
	}
	var buf bytes.Buffer
	ios := o.IO
	ios.Out = &buf
	if err := emitSweep(ios, res, o.Output, o.OutDir); err != nil {
		return err
	}
	return writeOut("--output-file", o.OutputFile, buf.Bytes())
}

// emitSweep prints s to stdout in format, the SLO answer to stderr unless
// the format is the table (which ends with it), and writes the bundle to
// dir unless it is "".
func emitSweep(ios ioStreams, s *reports.Sweep, format, dir string) error {
	if err := writeSweep(ios.Out, format, s); err != nil {
		return fmt.Errorf("writing %s output: %w", format, err)
	}
	if text := reports.SLOAnswerText(s); text != "" && format != "table" {
		for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			fmt.Fprintf(ios.Err, "scalesim: %s\n", strings.TrimSpace(line))
		}
	}
	if dir == "" {
		return nil
	}
	files, err := bundle.Sweep(s)
	names, err := writeBundle("sweep bundle", dir, files, err)
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.Err, "scalesim: wrote %s to %s\n", strings.Join(names, ", "), dir)
	return nil
}

// writeSweep renders s to w in format (one of sweepFormats).
func writeSweep(w io.Writer, format string, s *reports.Sweep) error {
	switch format {
	case "json":
		return reports.WriteSweepJSON(w, s)
	case "csv":
		return reports.WriteSweepCSV(w, s)
	default:
		return reports.WriteSweepTable(w, s)
	}
}
