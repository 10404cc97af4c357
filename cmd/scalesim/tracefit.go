package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/scenarios"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// traceFitOptions is what `scalesim trace fit` was asked.
type traceFitOptions struct {
	IO        ioStreams
	In        traceInput
	Empirical string
	Output    string
}

func newTraceFitCmd(ios ioStreams) *cobra.Command {
	o := &traceFitOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "fit FILE",
		Short: "Fit a service-time distribution to recorded latencies",
		Long: `Fit exponential, lognormal and gamma service-time distributions by maximum
likelihood to recorded durations, report each fit's Kolmogorov–Smirnov
distance and AIC (lower is better), and print the best by AIC as a
service.time block to paste into a scenario.

FILE is an ALB access log (a file or a directory of them; --column picks the
timing field: target_processing_time, the default, request_processing_time or
response_processing_time) or a file of durations, one per line or in a CSV
column named by --column: Go durations ("42ms") or numbers of seconds. Lines
whose timing is -1 (the request was not dispatched, or the target closed the
connection or timed out) have no service time and are left out, as are times
of 0 (below the log's 1 ms resolution). The fit streams: any length of log
fits in constant memory.

With --empirical FILE the durations are written there instead, one per line,
and the block printed uses them (dist: empirical).`,
		Example: `  scalesim trace fit logs/
  scalesim trace fit latencies.csv --column latency
  scalesim trace fit logs/ --empirical service-times.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o.In.File = args[0]
			if err := checkFormat(o.Output, []string{"table", "json"}); err != nil {
				return err
			}
			if o.In.Format != "" && o.In.Format != "alb" && o.In.Format != "durations" {
				return usageErrorf("invalid value %q for --format: fit reads alb or durations", o.In.Format)
			}
			return runTraceFit(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.In.Format, "format", "", "`FORMAT` of FILE: alb or durations (default: alb when it looks like an ALB log)")
	f.StringVar(&o.In.Column, "column", "", "the ALB timing field, or the CSV column of durations (name or 1-based index)")
	f.BoolVar(&o.In.Strict, "strict", false, "alb: make a malformed log line an error (default: skip it and warn)")
	f.StringVar(&o.Empirical, "empirical", "", "write the durations to `FILE` for dist: empirical, instead of fitting")
	f.StringVarP(&o.Output, "output", "o", "table", "stdout `FORMAT`: table or json")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("alb", "durations"))
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion("table", "json"))
	return cmd
}

func runTraceFit(o *traceFitOptions) error {
	in := o.In
	format := in.Format
	in.Format = "alb" // config() would otherwise guess among replay formats
	tc, err := in.config()
	if err != nil {
		return err
	}
	if format == "" {
		format = "durations"
		if f, _, err := workloads.DetectFormat(tc); err == nil && f == "alb" {
			format = "alb"
		}
	}
	if format != "alb" {
		tc.Format = ""
	}
	var data models.FitData
	var emp *bufio.Writer
	var file *os.File
	if o.Empirical != "" {
		if file, err = os.Create(o.Empirical); err != nil {
			return &inputError{fmt.Errorf("--empirical %s: %w", o.Empirical, err)}
		}
		defer file.Close()
		emp = bufio.NewWriter(file)
	}
	var line []byte
	info, err := workloads.ServiceTimes(tc, func(s float64) error {
		if emp != nil {
			line = append(line[:0], sim.FromSeconds(s).String()...)
			line = append(line, '\n')
			_, err := emp.Write(line)
			return err
		}
		return data.Add(s)
	})
	if err != nil {
		return err
	}
	printWarnings(o.IO.Err, info.Warnings)
	if emp != nil {
		return finishEmpirical(o, emp, file, info)
	}
	fits, err := models.FitServiceTimes(&data)
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", tc.Path, err)}
	}
	best, note := bestFit(fits)
	if o.Output == "json" {
		return writeFitJSON(o.IO.Out, tc.Path, info, fits, best, note)
	}
	return writeFitTable(o.IO.Out, info, fits, best, note)
}

// finishEmpirical closes the samples file and prints its block.
func finishEmpirical(o *traceFitOptions, emp *bufio.Writer, file *os.File, info workloads.ServiceTimeInfo) error {
	if err := emp.Flush(); err != nil {
		return fmt.Errorf("--empirical %s: %w", o.Empirical, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("--empirical %s: %w", o.Empirical, err)
	}
	if info.Samples == 0 {
		return &inputError{fmt.Errorf("%s: no positive durations to write", o.In.File)}
	}
	fmt.Fprintf(o.IO.Err, "scalesim: wrote %d durations to %s\n", info.Samples, o.Empirical)
	if info.Samples > scenarios.MaxEmpiricalSamples {
		printWarnings(o.IO.Err, []string{fmt.Sprintf("%s holds %d durations; a scenario reads at most %d: cut the log", o.Empirical, info.Samples, scenarios.MaxEmpiricalSamples)})
	}
	_, err := fmt.Fprintf(o.IO.Out, "service:\n  time: {dist: empirical, path: %s}\n", yamlScalar(o.Empirical))
	return err
}

// bestFit picks the first fit a scenario accepts (a gamma's CV is at most
// models.GammaMaxCV), with a note when it skipped one.
func bestFit(fits []models.Fit) (int, string) {
	for i, f := range fits {
		if _, err := models.NewSampler(f.Config); err == nil {
			if i > 0 {
				return i, fmt.Sprintf("the %s fit ranks first but a scenario cannot use it (%v)", fits[0].Dist, mustErr(fits[0]))
			}
			return i, ""
		}
	}
	return 0, ""
}

func mustErr(f models.Fit) error {
	_, err := models.NewSampler(f.Config)
	return err
}

// fitParams describes a fit's parameters as a scenario writes them.
func fitParams(f models.Fit) string {
	switch f.Dist {
	case models.DistLognormal:
		return "median: " + fmtSeconds(f.Config.Median) + ", p99: " + fmtSeconds(f.Config.P99)
	case models.DistGamma:
		return "mean: " + fmtSeconds(f.Config.Mean) + ", cv: " + strconv.FormatFloat(sig3(f.Config.CV), 'g', -1, 64)
	}
	return "mean: " + fmtSeconds(f.Config.Mean)
}

// fitBlock is the service.time line of a fit.
func fitBlock(f models.Fit) string {
	return "time: {dist: " + f.Dist + ", " + fitParams(f) + "}"
}

// sig3 rounds to 3 significant digits.
func sig3(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	return v
}

// fmtSeconds writes seconds as a Go duration with 3 significant digits.
func fmtSeconds(s float64) string {
	ns := sig3(s * 1e9)
	if ns >= math.MaxInt64 {
		return sim.Duration(math.MaxInt64).String()
	}
	return time.Duration(math.Round(ns)).String()
}

// yamlScalar quotes a path for YAML when it needs it.
func yamlScalar(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@` ") {
		return strconv.Quote(s)
	}
	return s
}

func summaryLine(info workloads.ServiceTimeInfo) string {
	s := fmt.Sprintf("%d durations", info.Samples)
	var left []string
	if info.NotServed > 0 {
		left = append(left, fmt.Sprintf("%d with timing -1 (not dispatched, or the target closed or timed out)", info.NotServed))
	}
	if info.Zero > 0 {
		left = append(left, fmt.Sprintf("%d of 0 (below the recording's resolution)", info.Zero))
	}
	if len(left) > 0 {
		s += "; left out: " + strings.Join(left, ", ")
	}
	return s
}

func writeFitTable(w io.Writer, info workloads.ServiceTimeInfo, fits []models.Fit, best int, note string) error {
	if _, err := fmt.Fprintf(w, "%s\n\n", summaryLine(info)); err != nil {
		return err
	}
	header := []string{"DIST", "PARAMETERS", "KS", "AIC"}
	right := []bool{false, false, true, true}
	var rows [][]string
	for _, f := range fits {
		rows = append(rows, []string{f.Dist, fitParams(f), strconv.FormatFloat(f.KS, 'f', 4, 64), strconv.FormatFloat(f.AIC, 'f', 1, 64)})
	}
	if _, err := (reports.Columns{Header: header, Rows: rows, Right: right}).WriteTo(w); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n# best fit by AIC: %s (KS distance %.4f)", fits[best].Dist, fits[best].KS)
	if note != "" {
		b.WriteString("; " + note)
	}
	fmt.Fprintf(&b, "\nservice:\n  %s\n", fitBlock(fits[best]))
	_, err := io.WriteString(w, b.String())
	return err
}

type fitJSON struct {
	Trace     string        `json:"trace"`
	Samples   int64         `json:"samples"`
	NotServed int64         `json:"not_served"`
	Zero      int64         `json:"zero"`
	Fits      []fitItemJSON `json:"fits"`
	Best      string        `json:"best"`
	Note      string        `json:"note,omitempty"`
	YAML      string        `json:"yaml"`
	Warnings  []string      `json:"warnings"`
}

type fitItemJSON struct {
	Dist    string  `json:"dist"`
	MeanS   float64 `json:"mean_s,omitempty"`
	MedianS float64 `json:"median_s,omitempty"`
	P99S    float64 `json:"p99_s,omitempty"`
	CV      float64 `json:"cv,omitempty"`
	KS      float64 `json:"ks"`
	AIC     float64 `json:"aic"`
	LogLik  float64 `json:"log_likelihood"`
}

func writeFitJSON(w io.Writer, path string, info workloads.ServiceTimeInfo, fits []models.Fit, best int, note string) error {
	out := fitJSON{Trace: path, Samples: info.Samples, NotServed: info.NotServed, Zero: info.Zero,
		Best: fits[best].Dist, Note: note, YAML: fitBlock(fits[best]), Warnings: info.Warnings}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, f := range fits {
		out.Fits = append(out.Fits, fitItemJSON{Dist: f.Dist, MeanS: r6(f.Config.Mean), MedianS: r6(f.Config.Median),
			P99S: r6(f.Config.P99), CV: r6(f.Config.CV), KS: r6(f.KS), AIC: r6(f.AIC), LogLik: r6(f.LogLik)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
