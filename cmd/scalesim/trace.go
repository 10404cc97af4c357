package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// traceFormats are the formats a trace file may have.
func traceFormats() []string { return []string{"timestamps", "counts", "alb", "cloudwatch"} }

// newTraceCmd builds `scalesim trace` and its subcommands.
func newTraceCmd(ios ioStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "trace",
		Short: "Inspect, convert and fit recorded traffic",
		Long: `Inspect, convert and fit recorded traffic: the files a scenario's
'workload: {type: trace}' replays, and the latencies that calibrate its
service.time.

Formats: timestamps (one arrival per line or CSV row), counts (one count per
interval), alb (AWS ALB access logs: a file, or a directory of the files S3
delivered, plain or gzipped) and cloudwatch (the JSON of 'aws cloudwatch
get-metric-data' or 'get-metric-statistics' for a request count). Without
--format the format is guessed from the file: a directory or ALB-shaped lines
are alb, JSON is cloudwatch, a CSV of evenly spaced whole-second date-times
with a value is counts (its interval being the spacing), other date-times are
timestamps; a list of plain numbers needs --format. Times are UTC unless the
file gives an offset. Gzipped files are read as such.`,
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
}

// addTraceInputFlags registers the reading flags; intervalName names the
// flag of the counts' own interval.
func addTraceInputFlags(cmd *cobra.Command, in *traceInput, intervalName string) {
	f := cmd.Flags()
	f.StringVar(&in.Format, "format", "", "the trace's `FORMAT`: timestamps, counts, alb or cloudwatch (default: guessed from the file)")
	f.StringVar(&in.Column, "column", "", "CSV column (name or 1-based index); cloudwatch: the metric's Id or Label, or the statistic")
	f.Var(&in.InputInterval, intervalName, "counts: the span of one count (`DURATION`, e.g. 1m; default: from the file's time column); cloudwatch: overrides the datapoints' period")
	f.BoolVar(&in.Strict, "strict", false, "alb: make a malformed log line an error (default: skip it and warn)")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(traceFormats()...))
}

// config resolves the file and the format into a TraceConfig.
func (in *traceInput) config() (workloads.TraceConfig, error) {
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
		if dir == "" {
			dir = "."
		}
		tc.FS, tc.Name = os.DirFS(dir), base
	}
	if tc.Format == "" {
		format, iv, err := workloads.DetectFormat(tc)
		if err != nil {
			return tc, err
		}
		tc.Format = format
		if tc.Interval == 0 && format == "counts" {
			tc.Interval = iv
		}
	} else if !containsString(traceFormats(), tc.Format) {
		return tc, usageErrorf("invalid value %q for --format: want %s", tc.Format, orList(traceFormats()))
	}
	return tc, nil
}

// needInterval checks a counts trace has its interval.
func needInterval(tc workloads.TraceConfig, flag string) error {
	if tc.Format == "counts" && tc.Interval <= 0 {
		return usageErrorf("%s is a counts trace without a time column: give the span of one count with --%s (e.g. --%s 1s)", tc.Path, flag, flag)
	}
	return nil
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

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
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
	if err := needInterval(tc, "interval"); err != nil {
		return err
	}
	st, err := workloads.Stats(tc)
	if err != nil {
		return err
	}
	printWarnings(o.IO.Err, st.Info.Warnings)
	if o.Output == "json" {
		return writeStatsJSON(o.IO.Out, tc.Path, st)
	}
	return writeStatsTable(o.IO.Out, tc.Path, st)
}

// traceClock formats instants of a trace: UTC date-times, or seconds.
type traceClock struct{ dateTime bool }

func (c traceClock) at(ns int64) string {
	if !c.dateTime {
		return strconv.FormatFloat(float64(ns)/1e9, 'f', -1, 64) + " s"
	}
	t := time.Unix(0, ns).UTC()
	if t.Nanosecond() == 0 {
		return t.Format(time.DateTime) + " UTC"
	}
	return t.Format("2006-01-02 15:04:05.999999999") + " UTC"
}

func (c traceClock) rfc(ns int64) string {
	if !c.dateTime {
		return ""
	}
	return time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
}

// end returns the trace's end: the last arrival, or the end of the last
// count's interval.
func traceEnd(info workloads.TraceInfo) int64 {
	if info.Intervals > 0 {
		return info.First + int64(info.Span)
	}
	return info.Last
}

// formatLine describes the format, with the interval of counts.
func formatLine(info workloads.TraceInfo) string {
	if info.Interval > 0 {
		return fmt.Sprintf("%s, one count per %v", info.Format, info.Interval)
	}
	return info.Format
}

func writeStatsTable(w io.Writer, path string, st workloads.TraceStats) error {
	info := st.Info
	clk := traceClock{info.DateTime}
	var b strings.Builder
	kv := func(k, v string) { fmt.Fprintf(&b, "%-12s %s\n", k, v) }
	kv("trace", path)
	kv("format", formatLine(info))
	kv("span", fmt.Sprintf("%s to %s (%v)", clk.at(info.First), clk.at(traceEnd(info)), info.Span))
	kv("records", strconv.FormatInt(info.Records, 10))
	kv("arrivals", strconv.FormatFloat(info.Arrivals, 'f', -1, 64))
	kv("mean rate", fmt.Sprintf("%.4g req/s", st.MeanRate))
	if st.LongestGap > 0 {
		kv("longest gap", fmt.Sprintf("%v from %s", st.LongestGap, clk.at(st.GapAt)))
	} else {
		kv("longest gap", "0s")
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	header := []string{"PER", "BINS", "MEAN", "P50", "P95", "P99", "PEAK", "PEAK/MEAN", "DISPERSION", "PEAK AT"}
	right := []bool{false, true, true, true, true, true, true, true, true, false}
	var rows [][]string
	for _, r := range st.Rates {
		rows = append(rows, []string{r.Bin.String(), strconv.FormatInt(r.Bins, 10), num4(r.Mean), num4(r.P50), num4(r.P95),
			num4(r.P99), num4(r.Peak), fmt.Sprintf("%.2f", r.PeakToMean), fmt.Sprintf("%.2f", r.Dispersion), clk.at(r.PeakAt)})
	}
	_, err := (reports.Columns{Header: header, Rows: rows, Right: right}).WriteTo(w)
	return err
}

// num4 prints a count: whole numbers as such, others with 4 significant
// digits (no exponent above 1).
func num4(x float64) string {
	a := math.Abs(x)
	switch {
	case x == math.Trunc(x) && a < 1e15 || a >= 1000:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 10:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// r6 rounds to 6 significant digits for JSON.
func r6(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return v
}

type statsJSON struct {
	Trace        string     `json:"trace"`
	Format       string     `json:"format"`
	IntervalS    float64    `json:"interval_s,omitempty"`
	Records      int64      `json:"records"`
	Arrivals     float64    `json:"arrivals"`
	DateTime     bool       `json:"date_time"`
	First        string     `json:"first,omitempty"`
	End          string     `json:"end,omitempty"`
	FirstS       float64    `json:"first_s"`
	EndS         float64    `json:"end_s"`
	SpanS        float64    `json:"span_s"`
	MeanRate     float64    `json:"mean_rate_per_s"`
	LongestGapS  float64    `json:"longest_gap_s"`
	LongestGapAt string     `json:"longest_gap_at,omitempty"`
	Rates        []rateJSON `json:"rates"`
	Warnings     []string   `json:"warnings"`
}

type rateJSON struct {
	BinS       float64 `json:"bin_s"`
	Bins       int64   `json:"bins"`
	Mean       float64 `json:"mean"`
	P50        float64 `json:"p50"`
	P95        float64 `json:"p95"`
	P99        float64 `json:"p99"`
	Peak       float64 `json:"peak"`
	PeakAt     string  `json:"peak_at,omitempty"`
	PeakAtS    float64 `json:"peak_at_s"`
	PeakToMean float64 `json:"peak_to_mean"`
	Dispersion float64 `json:"dispersion"`
}

func writeStatsJSON(w io.Writer, path string, st workloads.TraceStats) error {
	info := st.Info
	clk := traceClock{info.DateTime}
	out := statsJSON{Trace: path, Format: info.Format, IntervalS: info.Interval.Seconds(), Records: info.Records,
		Arrivals: info.Arrivals, DateTime: info.DateTime, First: clk.rfc(info.First), End: clk.rfc(traceEnd(info)),
		FirstS: float64(info.First) / 1e9, EndS: float64(traceEnd(info)) / 1e9, SpanS: info.Span.Seconds(),
		MeanRate: r6(st.MeanRate), LongestGapS: st.LongestGap.Seconds(), Rates: []rateJSON{}, Warnings: info.Warnings}
	if st.LongestGap > 0 {
		out.LongestGapAt = clk.rfc(st.GapAt)
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, r := range st.Rates {
		out.Rates = append(out.Rates, rateJSON{BinS: r.Bin.Seconds(), Bins: r.Bins, Mean: r6(r.Mean), P50: r6(r.P50),
			P95: r6(r.P95), P99: r6(r.P99), Peak: r6(r.Peak), PeakAt: clk.rfc(r.PeakAt), PeakAtS: float64(r.PeakAt) / 1e9,
			PeakToMean: r6(r.PeakToMean), Dispersion: r6(r.Dispersion)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
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
		Short: "Convert a trace to a counts CSV or a timestamps file",
		Long: `Convert a trace to a counts CSV (--to counts, the default) or to a file of
one timestamp per request (--to timestamps).

counts: the arrivals in each interval of --interval, empty intervals
included, from the interval of the first record to that of the last. With
absolute times the rows are 'period,count', period the interval's start as
'YYYY-MM-DD HH:MM:SS' in UTC; otherwise 'minute,count' (or 'second,count'),
the offset of the interval from the first. A scenario replays the file with
'format: counts' and the same interval. Intervals of date-times start on
the clock (whole minutes for 1m); those of a counts trace start at its first
count, and --interval must be a multiple of its own.

timestamps: from an ALB log (or a timestamps file), the arrival of every
request in order, one per line under a 'time' header: RFC 3339 in UTC to
the microsecond (to the nanosecond when a time needs it), or seconds for a
trace of plain seconds. A scenario replays it with 'format: timestamps' and
gets the same arrivals as from the log, read several times faster: convert
once to sweep many times. It keeps no client address, URL or other field
of the log.

With --out FILE ending in .gz the output is gzipped.`,
		Example: `  scalesim trace convert logs/ --to counts --interval 1m --out counts.csv
  scalesim trace convert logs/ --to timestamps --out arrivals.csv.gz
  scalesim trace convert export.json --interval 5m > counts.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.In.File = args[0]
			switch o.To {
			case "counts":
			case "timestamps":
				if c.Flags().Changed("interval") {
					return usageErrorf("--interval sets the span of a count: it has no use with --to timestamps")
				}
			default:
				return usageErrorf("invalid value %q for --to: want counts or timestamps", o.To)
			}
			return runTraceConvert(o)
		},
	}
	addTraceInputFlags(cmd, &o.In, "input-interval")
	f := cmd.Flags()
	f.StringVar(&o.To, "to", "counts", "output `FORMAT`: counts or timestamps")
	f.Var(&o.Interval, "interval", "counts: the span of one output count (`DURATION`)")
	f.StringVar(&o.Out, "out", "", "write to `FILE` instead of stdout (gzipped when it ends in .gz)")
	_ = cmd.RegisterFlagCompletionFunc("to", fixedCompletion("counts", "timestamps"))
	return cmd
}

func runTraceConvert(o *traceConvertOptions) error {
	tc, err := o.In.config()
	if err != nil {
		return err
	}
	if err := needInterval(tc, "input-interval"); err != nil {
		return err
	}
	width := sim.Duration(o.Interval)
	var info workloads.TraceInfo
	if o.To == "counts" {
		if info, err = workloads.Peek(tc); err != nil {
			return err
		}
		if rows := int64(info.Span/width) + 1; rows > maxConvertRows {
			return usageErrorf("--interval %v would write %d rows over %v, more than %d; choose a longer interval", width, rows, info.Span, maxConvertRows)
		}
	}
	out, err := createOutput(o.IO.Out, o.Out)
	if err != nil {
		return err
	}
	defer out.abort()
	var done string
	if o.To == "timestamps" {
		tw := &stampsWriter{lineWriter{w: out.w, buf: []byte("time\n")}}
		info, err = workloads.Instants(tc, tw.write)
		if err != nil {
			return err
		}
		if err := tw.flush(); err != nil {
			return fmt.Errorf("write timestamps: %w", err)
		}
		done = fmt.Sprintf("wrote %d arrivals to %s; replay it with format: timestamps", info.Records, o.Out)
	} else {
		bw := newCountsWriter(out.w, info.DateTime, width)
		if _, err := workloads.Bin(tc, width, bw.row); err != nil {
			return err
		}
		if err := bw.flush(); err != nil {
			return fmt.Errorf("write counts: %w", err)
		}
		done = fmt.Sprintf("wrote %d intervals of %v to %s; replay it with format: counts, interval: %v", bw.rows, width, o.Out, width)
	}
	if err := out.close(); err != nil {
		return err
	}
	if o.Out != "" {
		fmt.Fprintln(o.IO.Err, "scalesim: "+done)
	}
	printWarnings(o.IO.Err, info.Warnings)
	return nil
}

// output is where convert writes: stdout, or a file, gzipped when its
// name ends in .gz. A file is removed unless close succeeds, so a failed
// conversion leaves no partial file behind.
type output struct {
	w    io.Writer
	name string
	file *os.File
	gz   *gzip.Writer
	done bool
}

func createOutput(stdout io.Writer, name string) (*output, error) {
	if name == "" {
		return &output{w: stdout}, nil
	}
	file, err := os.Create(name)
	if err != nil {
		return nil, &inputError{fmt.Errorf("--out %s: %w", name, err)}
	}
	o := &output{w: file, name: name, file: file}
	if strings.HasSuffix(name, ".gz") {
		o.gz = gzip.NewWriter(file)
		o.w = o.gz
	}
	return o, nil
}

// close finishes the file.
func (o *output) close() error {
	o.done = true
	if o.file == nil {
		return nil
	}
	var err error
	if o.gz != nil {
		err = o.gz.Close()
	}
	if cerr := o.file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(o.name)
		return fmt.Errorf("--out %s: %w", o.name, err)
	}
	return nil
}

// abort removes the file of a conversion that failed.
func (o *output) abort() {
	if o.done || o.file == nil {
		return
	}
	_ = o.file.Close()
	_ = os.Remove(o.name)
}

// lineWriter buffers the lines of a file convert writes.
type lineWriter struct {
	w   io.Writer
	buf []byte
}

// endLine ends the line in buf, writing the buffer out once it is large.
func (l *lineWriter) endLine() error {
	l.buf = append(l.buf, '\n')
	if len(l.buf) >= 64<<10 {
		return l.flush()
	}
	return nil
}

func (l *lineWriter) flush() error {
	if len(l.buf) > 0 {
		_, err := l.w.Write(l.buf)
		l.buf = l.buf[:0]
		return err
	}
	return nil
}

// stampsWriter writes a timestamps file, under a "time" header.
type stampsWriter struct {
	lineWriter
}

// write appends one arrival: a date-time, or seconds for a trace of plain
// seconds.
func (s *stampsWriter) write(ns int64, dateTime bool) error {
	if dateTime {
		t := time.Unix(0, ns).UTC()
		layout := "2006-01-02T15:04:05.000000Z07:00"
		if ns%1000 != 0 {
			layout = "2006-01-02T15:04:05.000000000Z07:00"
		}
		s.buf = t.AppendFormat(s.buf, layout)
	} else {
		s.buf = strconv.AppendInt(s.buf, ns/1e9, 10)
		s.buf = append(s.buf, '.')
		frac := strconv.AppendInt(nil, 1e9+ns%1e9, 10)
		s.buf = append(s.buf, frac[1:]...)
	}
	return s.endLine()
}

// countsWriter writes a counts CSV.
type countsWriter struct {
	lineWriter
	dateTime bool
	unit     sim.Duration // relative times: minutes or seconds
	first    int64
	rows     int64
}

func newCountsWriter(w io.Writer, dateTime bool, width sim.Duration) *countsWriter {
	c := &countsWriter{lineWriter: lineWriter{w: w}, dateTime: dateTime, unit: sim.Second}
	switch {
	case dateTime:
		c.buf = append(c.buf, "period,count\n"...)
	case width%sim.Minute == 0:
		c.unit = sim.Minute
		c.buf = append(c.buf, "minute,count\n"...)
	default:
		c.buf = append(c.buf, "second,count\n"...)
	}
	return c
}

func (c *countsWriter) row(start int64, n float64) error {
	if c.rows == 0 {
		c.first = start
	}
	c.rows++
	if c.dateTime {
		t := time.Unix(0, start).UTC()
		if t.Nanosecond() == 0 {
			c.buf = t.AppendFormat(c.buf, time.DateTime)
		} else {
			c.buf = t.AppendFormat(c.buf, "2006-01-02 15:04:05.999999999")
		}
	} else {
		c.buf = strconv.AppendFloat(c.buf, float64(start-c.first)/float64(c.unit), 'f', -1, 64)
	}
	c.buf = append(c.buf, ',')
	c.buf = strconv.AppendFloat(c.buf, n, 'f', -1, 64)
	return c.endLine()
}
