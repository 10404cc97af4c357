package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/scenarios"
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
			if o.In.Format != "" && !slices.Contains(workloads.ServiceTimeFormats(), o.In.Format) {
				return usageErrorf("invalid value %q for --format: fit reads %s", o.In.Format, orList(workloads.ServiceTimeFormats()))
			}
			return runTraceFit(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.In.Format, "format", "", "`FORMAT` of FILE: "+orList(workloads.ServiceTimeFormats())+" (default: alb when it looks like an ALB log)")
	f.StringVar(&o.In.Column, "column", "", "the ALB timing field, or the CSV column of durations (name or 1-based index)")
	f.BoolVar(&o.In.Strict, "strict", false, "alb: make a malformed log line an error (default: skip it and warn)")
	f.StringVar(&o.Empirical, "empirical", "", "write the durations to `FILE` for dist: empirical, instead of fitting")
	f.StringVarP(&o.Output, "output", "o", "table", "stdout `FORMAT`: table or json")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(workloads.ServiceTimeFormats()...))
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion("table", "json"))
	return cmd
}

func runTraceFit(o *traceFitOptions) error {
	tc, err := o.In.source()
	if err != nil {
		return err
	}
	if tc.Format == "" {
		tc.Format = workloads.DetectServiceTimes(tc)
	}
	var data models.FitData
	add := data.Add
	var emp *outFile
	if o.Empirical != "" {
		if emp, err = createOut("--empirical", o.Empirical, false); err != nil {
			return err
		}
		defer emp.abort()
		add = scenarios.NewSamplesWriter(emp).Add
	}
	info, err := workloads.ServiceTimes(tc, add)
	if err != nil {
		return err
	}
	printWarnings(o.IO.Err, info.Warnings)
	if emp != nil {
		return finishEmpirical(o, emp, info)
	}
	rep, err := scenarios.FitReport(tc.Path, info, &data)
	if err != nil {
		return &inputError{err}
	}
	if o.Output == "json" {
		return rep.WriteJSON(o.IO.Out)
	}
	return rep.WriteTable(o.IO.Out)
}

// finishEmpirical closes the samples file and prints its block.
func finishEmpirical(o *traceFitOptions, emp *outFile, info workloads.ServiceTimeInfo) error {
	if info.Samples == 0 {
		return &inputError{fmt.Errorf("%s: no positive durations to write", o.In.File)}
	}
	if err := emp.commit(); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Err, "scalesim: wrote %d durations to %s\n", info.Samples, o.Empirical)
	if info.Samples > scenarios.MaxEmpiricalSamples {
		printWarnings(o.IO.Err, []string{fmt.Sprintf("%s holds %d durations; a scenario reads at most %d: cut the log", o.Empirical, info.Samples, scenarios.MaxEmpiricalSamples)})
	}
	block, err := scenarios.ServiceYAML(scenarios.TimeSpec{Dist: models.DistEmpirical, Path: o.Empirical})
	if err != nil {
		return err
	}
	_, err = o.IO.Out.Write(block)
	return err
}
