package main

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// tracePlotOptions is what `scalesim trace plot` was asked.
type tracePlotOptions struct {
	IO       ioStreams
	In       traceInput
	Interval traceDuration
	Out      string
}

func newTracePlotCmd(ios ioStreams) *cobra.Command {
	o := &tracePlotOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "plot FILE --out CHART.png|CHART.svg",
		Short: "Chart a trace's arrival rate over time",
		Long: `Chart a trace's arrival rate over time, in requests per second averaged over
each interval of --interval (by default the shortest of 1s, 10s, 1m, 5m, 15m,
1h, 6h and 1d that gives at most 2,000 points). The chart is a PNG or an SVG,
by the extension of --out; absolute times are shown in UTC.`,
		Example: `  scalesim trace plot worldcup98_per_minute.csv.gz --out worldcup.png
  scalesim trace plot logs/ --out rate.svg --interval 1m`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o.In.File = args[0]
			if o.Out == "" {
				return usageErrorf("plot needs --out FILE.png or FILE.svg")
			}
			return runTracePlot(o)
		},
	}
	addTraceInputFlags(cmd, &o.In, "input-interval")
	f := cmd.Flags()
	f.Var(&o.Interval, "interval", "average the rate over intervals of `DURATION` (default: automatic)")
	f.StringVar(&o.Out, "out", "", "write the chart to `FILE` (.png or .svg)")
	return cmd
}

func runTracePlot(o *tracePlotOptions) error {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(o.Out)), ".")
	if ext != "png" && ext != "svg" {
		return usageErrorf("--out %s: want a .png or .svg file", o.Out)
	}
	tc, err := o.In.config()
	if err != nil {
		return err
	}
	info, err := workloads.Peek(tc)
	if err != nil {
		return err
	}
	width, err := plotWidth(sim.Duration(o.Interval), info)
	if err != nil {
		return err
	}
	rate := charts.Rate{Name: filepath.Base(tc.Path), Width: width, DateTime: info.DateTime, Span: info.Span}
	if _, err := workloads.Bin(tc, width, func(start int64, n float64) error {
		rate.Bins = append(rate.Bins, charts.RateBin{Start: start, Count: n})
		return nil
	}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := charts.RenderRate(&buf, rate, ext); err != nil {
		return err
	}
	if err := writeOut("--out", o.Out, buf.Bytes()); err != nil {
		return err
	}
	printWarnings(o.IO.Err, info.Warnings)
	return nil
}

// plotWidth checks the interval given, or picks one.
func plotWidth(given sim.Duration, info workloads.TraceInfo) (sim.Duration, error) {
	if given == 0 {
		if w, ok := charts.RateWidth(info.Span, info.Interval); ok {
			return w, nil
		}
		return 0, usageErrorf("the trace spans %v: give --interval (at most %d points)", info.Span, charts.RateMaxPoints)
	}
	if info.Interval > 0 && given%info.Interval != 0 {
		return 0, usageErrorf("--interval %v: the trace holds counts per %v; choose a multiple of it", given, info.Interval)
	}
	if bins := int64(info.Span/given) + 1; bins > charts.RateMaxPoints {
		return 0, usageErrorf("--interval %v gives %d points over %v, more than %d; choose a longer interval", given, bins, info.Span, charts.RateMaxPoints)
	}
	return given, nil
}
