package main

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// traceLong is the help text of `scalesim trace`, the formats from
// their registry.
func traceLong() string {
	var formats []string
	for _, f := range workloads.Formats() {
		formats = append(formats, f.Name+" ("+f.Summary+")")
	}
	return `Inspect, convert and fit recorded traffic: the files a scenario's
'workload: {type: trace}' replays, and the latencies that calibrate its
service.time.

` + reports.Wrap("Formats: "+andList(formats)+". Without --format the format is guessed from the file: "+
		"a directory or ALB-shaped lines are alb, JSON is cloudwatch, a CSV of evenly spaced whole-second "+
		"date-times with a value is counts (its interval being the spacing), other date-times are timestamps; "+
		"a list of plain numbers needs --format. Times are UTC unless the file gives an offset. Gzipped files "+
		"are read as such.")
}

// convertLong is the help text of `scalesim trace convert`, what each
// format writes from its registry.
func convertLong() string {
	var b strings.Builder
	b.WriteString(reports.Wrap("Convert a trace to another format, --to " + orList(workloads.WritableNames()) +
		" (default " + workloads.CountsName + "):"))
	for _, f := range workloads.Formats() {
		if f.Writable() {
			b.WriteString("\n" + reports.Wrap(f.Name+": "+f.Written))
		}
	}
	b.WriteString("\nWith --out FILE ending in .gz the output is gzipped.")
	return b.String()
}

// andList joins items as "a, b, c and d".
func andList(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// newTraceCmd builds `scalesim trace` and its subcommands.
func newTraceCmd(ios ioStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "trace",
		Short: "Inspect, convert and fit recorded traffic",
		Long:  traceLong(),
		Example: `  scalesim trace stats worldcup98_per_minute.csv.gz
  scalesim trace plot logs/ --out rate.png --interval 1m
  scalesim trace convert logs/ --to counts --interval 1m --out counts.csv
  scalesim trace fit logs/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newTraceStatsCmd(ios), newTracePlotCmd(ios), newTraceConvertCmd(ios), newTraceFitCmd(ios))
	return cmd
}

// traceInput holds the flags that say how to read a trace.
type traceInput struct {
	File          string
	Format        string
	Column        string
	InputInterval traceDuration
	Strict        bool
	intervalFlag  string // the name of the flag of InputInterval
}

// addTraceInputFlags registers the reading flags; intervalName names the
// flag of the counts' own interval.
func addTraceInputFlags(cmd *cobra.Command, in *traceInput, intervalName string) {
	in.intervalFlag = intervalName
	f := cmd.Flags()
	f.StringVar(&in.Format, "format", "", "the trace's `FORMAT`: "+orList(workloads.FormatNames())+" (default: guessed from the file)")
	f.StringVar(&in.Column, "column", "", "CSV column (name or 1-based index); cloudwatch: the metric's Id or Label, or the statistic")
	f.Var(&in.InputInterval, intervalName, "counts: the span of one count (`DURATION`, e.g. 1m; default: from the file's time column); cloudwatch: overrides the datapoints' period")
	f.BoolVar(&in.Strict, "strict", false, "alb: make a malformed log line an error (default: skip it and warn)")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(workloads.FormatNames()...))
}

// source resolves the file into a TraceConfig reading it (a directory
// through its FS).
func (in *traceInput) source() (workloads.TraceConfig, error) {
	tc := workloads.TraceConfig{Path: in.File, Format: in.Format, Column: in.Column,
		Interval: sim.Duration(in.InputInterval), Strict: in.Strict}
	st, err := os.Stat(in.File)
	if err != nil {
		return tc, &inputError{fmt.Errorf("trace %s: %s", in.File, statReason(err))}
	}
	if st.IsDir() {
		tc.FS, tc.Name = os.DirFS(in.File), "."
	} else {
		dir, base := filepath.Split(filepath.Clean(in.File))
		tc.FS, tc.Name = os.DirFS(cmp.Or(dir, ".")), base
	}
	return tc, nil
}

// config resolves the file and the format (guessed when not given) into a
// TraceConfig, checked by the trace validator; a problem names its flag.
func (in *traceInput) config() (workloads.TraceConfig, error) {
	tc, err := in.source()
	if err != nil {
		return tc, err
	}
	if tc.Format == "" {
		format, iv, err := workloads.DetectFormat(tc)
		if err != nil {
			return tc, err
		}
		tc.Format = format
		tc.Interval = cmp.Or(tc.Interval, iv)
	}
	f, ok := workloads.LookupFormat(tc.Format)
	switch {
	case !ok:
		return tc, usageErrorf("invalid value %q for --format: want %s", tc.Format, orList(workloads.FormatNames()))
	case f.Options.Interval == workloads.Required && tc.Interval == 0:
		return tc, usageErrorf("%s is a %s trace without a time column: give the span of one count with --%s (e.g. --%s 1s)",
			tc.Path, f.Name, in.intervalFlag, in.intervalFlag)
	}
	var oe *workloads.OptionError
	if err := workloads.CheckTrace(tc, nil); errors.As(err, &oe) {
		flag := oe.Key // --format, --column and --strict are named as the keys
		if oe.Key == workloads.KeyInterval {
			flag = in.intervalFlag
		}
		return tc, usageErrorf("--%s: %s", flag, strings.TrimSuffix(oe.Msg+"; "+oe.Hint, "; "))
	} else if err != nil {
		return tc, err
	}
	return tc, nil
}

// statReason shortens an os.Stat error.
func statReason(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file or directory"
	case os.IsPermission(err):
		return "permission denied"
	}
	return err.Error()
}

// traceDuration is a duration flag in scalesim's syntax (Go durations
// plus days), > 0.
type traceDuration sim.Duration

func (d *traceDuration) String() string {
	if *d == 0 {
		return ""
	}
	return sim.Duration(*d).String()
}

func (d *traceDuration) Set(s string) error {
	v, err := sim.ParseDuration(s)
	if err != nil {
		return err
	}
	if v <= 0 {
		return fmt.Errorf("must be > 0 (got %s)", s)
	}
	*d = traceDuration(v)
	return nil
}

func (d *traceDuration) Type() string { return "duration" }

// traceStatsOptions is what `scalesim trace stats` was asked.
type traceStatsOptions struct {
	IO     ioStreams
	In     traceInput
	Output string
}

func newTraceStatsCmd(ios ioStreams) *cobra.Command {
	o := &traceStatsOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "stats FILE",
		Short: "Describe a trace's arrival rates",
		Long: `Describe a trace's arrival rates, reading it once: its span, records and
arrivals, the mean rate, and per second and per minute (where the trace
resolves them; for counts also at their own interval) the mean, the
percentiles (p50, p95, p99, nearest rank), the peak and when it happened, the
peak-to-mean ratio and the burstiness as the index of dispersion (variance /
mean of the per-bin counts: 1 for Poisson arrivals, above 1 for bursty or
time-varying traffic); and the longest gap without arrivals. Figures are per
bin (requests per second in the 1s row, per minute in the 1m row).`,
		Example: `  scalesim trace stats worldcup98_per_minute.csv.gz
  scalesim trace stats nasa_http_jul1995_per_second.txt.gz --format counts --interval 1s
  scalesim trace stats logs/ -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o.In.File = args[0]
			if err := checkFormat(o.Output, []string{"table", "json"}); err != nil {
				return err
			}
			return runTraceStats(o)
		},
	}
	addTraceInputFlags(cmd, &o.In, "interval")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "table", "stdout `FORMAT`: table or json")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion("table", "json"))
	return cmd
}

func runTraceStats(o *traceStatsOptions) error {
	tc, err := o.In.config()
	if err != nil {
		return err
	}
	st, err := workloads.Stats(tc)
	if err != nil {
		return err
	}
	printWarnings(o.IO.Err, st.Info.Warnings)
	if o.Output == "json" {
		return reports.WriteTraceStatsJSON(o.IO.Out, tc.Path, st)
	}
	return reports.WriteTraceStats(o.IO.Out, tc.Path, st)
}

// traceConvertOptions is what `scalesim trace convert` was asked.
type traceConvertOptions struct {
	IO       ioStreams
	In       traceInput
	To       string
	Interval traceDuration
	Out      string
}

// maxConvertRows bounds the rows convert writes.
const maxConvertRows = 10_000_000

func newTraceConvertCmd(ios ioStreams) *cobra.Command {
	o := &traceConvertOptions{IO: ios, Interval: traceDuration(sim.Minute)}
	cmd := &cobra.Command{
		Use:   "convert FILE",
		Short: "Convert a trace to another format (" + orList(workloads.WritableNames()) + ")",
		Long:  convertLong(),
		Example: `  scalesim trace convert logs/ --to counts --interval 1m --out counts.csv
  scalesim trace convert logs/ --to timestamps --out arrivals.csv.gz
  scalesim trace convert export.json --interval 5m > counts.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.In.File = args[0]
			to, ok := workloads.LookupFormat(o.To)
			switch {
			case !ok || !to.Writable():
				return usageErrorf("invalid value %q for --to: want %s", o.To, orList(workloads.WritableNames()))
			case to.Options.Interval == workloads.Unused && c.Flags().Changed("interval"):
				return usageErrorf("--interval sets the span of a count: it has no use with --to %s", to.Name)
			case to.Options.Interval == workloads.Unused:
				o.Interval = 0
			}
			return runTraceConvert(o, to)
		},
	}
	addTraceInputFlags(cmd, &o.In, "input-interval")
	f := cmd.Flags()
	f.StringVar(&o.To, "to", workloads.CountsName, "output `FORMAT`: "+orList(workloads.WritableNames()))
	f.Var(&o.Interval, "interval", "counts: the span of one output count (`DURATION`)")
	f.StringVar(&o.Out, "out", "", "write to `FILE` instead of stdout (gzipped when it ends in .gz)")
	_ = cmd.RegisterFlagCompletionFunc("to", fixedCompletion(workloads.WritableNames()...))
	return cmd
}

func runTraceConvert(o *traceConvertOptions, to workloads.Format) error {
	tc, err := o.In.config()
	if err != nil {
		return err
	}
	width := sim.Duration(o.Interval)
	conv, err := workloads.NewConversion(tc, to.Name, width)
	if err != nil {
		return err
	}
	if rows := conv.Rows(); rows > maxConvertRows {
		return usageErrorf("--interval %v would write %d rows over %v, more than %d; choose a longer interval", width, rows, conv.Info().Span, maxConvertRows)
	}
	out := o.IO.Out
	var file *outFile
	if o.Out != "" {
		if file, err = createOut("--out", o.Out, true); err != nil {
			return err
		}
		defer file.abort()
		out = file
	}
	n, info, err := conv.Write(out)
	if err != nil {
		return err
	}
	if file != nil {
		if err := file.commit(); err != nil {
			return err
		}
		if to.Counts() {
			fmt.Fprintf(o.IO.Err, "scalesim: wrote %d intervals of %v to %s; replay it with format: %s, interval: %v\n", n, width, o.Out, to.Name, width)
		} else {
			fmt.Fprintf(o.IO.Err, "scalesim: wrote %d arrivals to %s; replay it with format: %s\n", n, o.Out, to.Name)
		}
	}
	printWarnings(o.IO.Err, info.Warnings)
	return nil
}
