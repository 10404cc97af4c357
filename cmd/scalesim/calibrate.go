package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/calibrate"
	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/bundle"
	"github.com/scalesim/scalesim/scenarios"
)

// calibrateOptions is what `scalesim calibrate` was asked to do.
type calibrateOptions struct {
	IO          ioStreams
	Scenario    string
	Strategy    string
	Activities  []string
	Metrics     []string
	Start       string
	MatchWindow time.Duration
	ApplyFit    bool
	MaxCapacity string
	MaxTiming   string
	Output      string
	OutDir      string
	Sets        []string
	NoProgress  bool
	MaxInFlight int64

	seed    uint64
	seedSet bool
	opts    calibrate.Options
	ref     scenarioRef
}

// calibrateFormats are the values of calibrate's -o flag.
func calibrateFormats() []string { return []string{"table", "json", "markdown"} }

func newCalibrateCmd(ios ioStreams, runF func(*calibrateOptions) error) *cobra.Command {
	o := &calibrateOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "calibrate SCENARIO --strategy NAME --activities FILE... [--metrics FILE...]",
		Short: "Compare a strategy with the record of a real Auto Scaling group",
		Long: `Read what a real Auto Scaling group did (its scaling activities, and
optionally its CloudWatch metrics), measure its launch and termination times,
fit the launch time a scenario should use, run the scenario's strategy NAME
(horizontal or static) and score it against the record: desired capacity and
in-service instances minute by minute, each recorded metric, and each recorded
change of desired capacity matched to the nearest simulated change in the
same direction within --match-window.

The scenario normally replays the same period's traffic (an ALB log or a
CloudWatch request count). --start is the calendar instant of the scenario's
time zero (RFC 3339); it defaults to the scenario's start (its start key, or
the first instant of a trace with absolute times) and is required otherwise.
A decision's time is the instant its cause gives ("At 2026-01-10T02:06:00Z a
monitor alarm ..."), not the start of the launches it caused.

--activities reads the JSON of ` + recordCommand("activities") + `
--metrics reads the JSON of ` + recordCommand("metrics") + `
(GroupDesiredCapacity, GroupInServiceInstances, GroupPendingInstances,
CPUUtilization, RequestCount, TargetResponseTime, matched by Label or Id).
Without GroupDesiredCapacity the desired capacity is rebuilt from the
activities' causes.

--apply-fit runs the scenario again with the fitted launch time and shows
both comparisons. --max-capacity-error N and --max-timing-error D make it a
gate: exit 1 when the desired capacity's mean error exceeds N instances, or a
recorded decision has no match, or the matched decisions' p90 timing error
exceeds D.

Exit status: 0 done (gate passed), 1 gate failed, 2 bad input.`,
		Example: `  scalesim calibrate week.yaml --strategy asg --activities activities.json --metrics metrics.json
  scalesim calibrate week.yaml --strategy asg --activities page1.json --activities page2.json --start 2026-01-10T00:00:00Z
  scalesim calibrate week.yaml --strategy asg --activities a.json --apply-fit --out calibration/
  scalesim calibrate week.yaml --strategy asg --activities a.json --max-capacity-error 0.5 --max-timing-error 2m`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Scenario = args[0]
			o.seedSet = cmd.Flags().Changed("seed")
			if err := o.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runCalibrate(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Strategy, "strategy", "", "the scenario's group strategy `NAME` to compare")
	f.StringArrayVar(&o.Activities, "activities", nil, "scaling activities, `FILE` of describe-scaling-activities JSON (repeatable)")
	f.StringArrayVar(&o.Metrics, "metrics", nil, "group metrics, `FILE` of get-metric-data JSON (repeatable)")
	f.StringVar(&o.Start, "start", "", "calendar instant of the scenario's time zero, `TIME` in RFC 3339")
	f.DurationVar(&o.MatchWindow, "match-window", calibrate.DefaultMatchWindow, "match decisions at most `D` apart")
	f.BoolVar(&o.ApplyFit, "apply-fit", false, "also run with the fitted launch time and compare")
	f.StringVar(&o.MaxCapacity, "max-capacity-error", "", "exit 1 when desired capacity is off by more than `N` instances on average")
	f.StringVar(&o.MaxTiming, "max-timing-error", "", "exit 1 when matched decisions are more than `D` apart at p90, or one is unmatched")
	f.StringVarP(&o.Output, "output", "o", "table", "stdout `FORMAT`: "+orList(calibrateFormats()))
	f.StringVar(&o.OutDir, "out", "", "write calibration.json, decisions.csv, charts and calibration.html to `DIR`")
	f.StringArrayVar(&o.Sets, "set", nil, "override one scenario field, `PATH=VALUE` (repeatable)")
	f.Uint64Var(&o.seed, "seed", 0, "random seed `N` (overrides the scenario's)")
	f.BoolVar(&o.NoProgress, "no-progress", false, "never show the progress bar")
	f.Int64Var(&o.MaxInFlight, "max-in-flight", scenarios.DefaultMaxInFlight, "stop a run that holds more than `N` requests at once (0: no budget)")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(calibrateFormats()...))
	_ = cmd.RegisterFlagCompletionFunc("strategy", cobra.NoFileCompletions)
	return cmd
}

// validate checks the flags; a bad one is a usage error.
func (o *calibrateOptions) validate() error {
	if err := checkFormat(o.Output, calibrateFormats()); err != nil {
		return err
	}
	switch {
	case o.Strategy == "":
		return usageErrorf("--strategy is required: the scenario's strategy to compare with the record")
	case len(o.Activities) == 0:
		return usageErrorf("--activities is required: the JSON of aws autoscaling describe-scaling-activities")
	case o.MatchWindow <= 0:
		return usageErrorf("--match-window must be positive (got %v)", o.MatchWindow)
	case o.MaxInFlight < 0:
		return usageErrorf("--max-in-flight must be 0 (no budget) or more (got %d)", o.MaxInFlight)
	}
	o.opts = calibrate.Options{MatchWindow: o.MatchWindow, ApplyFit: o.ApplyFit}
	if o.Start != "" {
		t, err := time.Parse(time.RFC3339Nano, o.Start)
		if err != nil {
			return usageErrorf("--start %q is not an RFC 3339 instant; write e.g. 2026-01-10T00:00:00Z", o.Start)
		}
		o.opts.Start = t
	}
	if o.MaxCapacity != "" {
		n, err := strconv.ParseFloat(o.MaxCapacity, 64)
		if err != nil || n < 0 || n != n {
			return usageErrorf("--max-capacity-error %q: want a number of instances, 0 or more (e.g. 0.5)", o.MaxCapacity)
		}
		o.opts.MaxCapacityError = &n
	}
	if o.MaxTiming != "" {
		d, err := time.ParseDuration(o.MaxTiming)
		if err != nil || d < 0 {
			return usageErrorf("--max-timing-error %q: want a duration, 0 or more (e.g. 2m)", o.MaxTiming)
		}
		o.opts.MaxTimingError = &d
	}
	if err := checkSets(o.Sets); err != nil {
		return err
	}
	ref, err := resolveScenario(o.Scenario)
	if err != nil {
		return err
	}
	o.ref = ref
	return nil
}

// readRecord reads the activity and metric files into one record.
func (o *calibrateOptions) readRecord() (*records.Record, error) {
	rec := &records.Record{}
	for _, in := range []struct {
		format string
		files  []string
	}{{"activities", o.Activities}, {"metrics", o.Metrics}} {
		f, ok := records.LookupFormat(in.format)
		if !ok {
			return nil, fmt.Errorf("no record format %q", in.format) // impossible: both are registered
		}
		for _, name := range in.files {
			if err := readRecordFile(f, name, rec); err != nil {
				return nil, err
			}
		}
	}
	return rec, nil
}

// readRecordFile reads one file of format f into rec; a problem with the
// file is an input error.
func readRecordFile(f records.Format, name string, rec *records.Record) error {
	file, err := os.Open(name)
	if err != nil {
		return &inputError{fmt.Errorf("--%s %s: %w", f.Name, name, err)}
	}
	defer file.Close()
	if err := f.Read(name, file, rec); err != nil {
		return &inputError{err}
	}
	return nil
}

func runCalibrate(ctx context.Context, o *calibrateOptions) error {
	rec, err := o.readRecord()
	if err != nil {
		return err
	}
	sc, err := o.ref.load(o.IO.Schema, o.Sets)
	if err != nil {
		return err
	}
	if o.opts.Start.IsZero() {
		if !sc.StartKnown() {
			return usageErrorf("--start is required: %s does not say when its time zero is: give --start (e.g. --start 2026-01-10T00:00:00Z), a start key in the scenario, or a trace with absolute times", sc.File)
		}
		o.opts.Start = sc.StartTime()
	}
	ro := scenarios.RunOptions{Workers: 1, MaxInFlight: o.MaxInFlight}
	if o.seedSet {
		ro.Seed = &o.seed
	}
	var bar *progress
	if o.IO.ErrIsTTY && !o.NoProgress {
		bar = startProgress(o.IO.Err, time.Now)
		ro.Progress = bar.update
	}
	o.opts.Run = ro
	c, err := calibrate.Calibrate(ctx, calibrate.Input{
		Load: func(extra []string) (*scenarios.Scenario, error) {
			return o.ref.load(o.IO.Schema, append(append([]string(nil), o.Sets...), extra...))
		},
		Strategy: o.Strategy, Record: rec, Options: o.opts,
	})
	bar.stop()
	if err != nil {
		return err
	}
	if err := writeCalibration(o.IO.Out, o.Output, c); err != nil {
		return fmt.Errorf("writing %s output: %w", o.Output, err)
	}
	if o.OutDir != "" {
		files, err := bundle.Calibration(c)
		names, err := writeBundle("calibration bundle", o.OutDir, files, err)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.IO.Err, "scalesim: wrote %s to %s\n", bundleSummary(names), o.OutDir)
	}
	if c.Gate != nil && !c.Gate.Passed {
		return fmt.Errorf("calibrate %s: %s: %w", c.Scenario, strings.Join(c.Gate.Failures, "; "), errOutsideLimits)
	}
	return nil
}

// errOutsideLimits reports that a calibration exceeded its limits: exit
// status 1, like a regression.
var errOutsideLimits = fmt.Errorf("outside the calibration limits: %w", errRegression)

// recordCommand is the AWS CLI command that prints a record format, for
// the help text.
func recordCommand(name string) string {
	f, _ := records.LookupFormat(name)
	return f.Command
}

// writeCalibration renders c to w in format.
func writeCalibration(w io.Writer, format string, c *reports.Calibration) error {
	switch format {
	case "json":
		return reports.WriteCalibrationJSON(w, c)
	case "markdown":
		return reports.WriteCalibrationMarkdown(w, c)
	default:
		return reports.WriteCalibrationTable(w, c)
	}
}
