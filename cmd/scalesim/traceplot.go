package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// Plot limits: the automatic interval aims at plotAutoBins points, and an
// interval given must not make more than plotMaxBins.
const (
	plotAutoBins = 2000
	plotMaxBins  = 200_000
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
	if err := needInterval(tc, "input-interval"); err != nil {
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
	var pts plotter.XYs
	perSecond := width.Seconds()
	if _, err := workloads.Bin(tc, width, func(start int64, n float64) error {
		pts = append(pts, plotter.XY{X: float64(start) / 1e9, Y: n / perSecond})
		return nil
	}); err != nil {
		return err
	}
	if len(pts) > 0 { // close the last step
		last := pts[len(pts)-1]
		pts = append(pts, plotter.XY{X: last.X + perSecond, Y: last.Y})
	}
	var buf bytes.Buffer
	if err := drawRate(&buf, pts, info, width, filepath.Base(tc.Path), ext); err != nil {
		return err
	}
	if err := os.WriteFile(o.Out, buf.Bytes(), 0o644); err != nil {
		return &inputError{fmt.Errorf("--out %s: %w", o.Out, err)}
	}
	printWarnings(o.IO.Err, info.Warnings)
	return nil
}

// plotWidth checks the interval given, or picks one.
func plotWidth(given sim.Duration, info workloads.TraceInfo) (sim.Duration, error) {
	fits := func(w sim.Duration) bool { return info.Interval == 0 || w%info.Interval == 0 }
	if given > 0 {
		if !fits(given) {
			return 0, usageErrorf("--interval %v: the trace holds counts per %v; choose a multiple of it", given, info.Interval)
		}
		if bins := int64(info.Span/given) + 1; bins > plotMaxBins {
			return 0, usageErrorf("--interval %v gives %d points over %v, more than %d; choose a longer interval", given, bins, info.Span, plotMaxBins)
		}
		return given, nil
	}
	candidates := []sim.Duration{sim.Second, 10 * sim.Second, sim.Minute, 5 * sim.Minute, 15 * sim.Minute, sim.Hour, 6 * sim.Hour, sim.Day}
	for _, w := range candidates {
		if fits(w) && int64(info.Span/w)+1 <= plotAutoBins {
			return w, nil
		}
	}
	for _, w := range candidates { // a very long trace: the coarsest that fits
		if fits(w) && int64(info.Span/w)+1 <= plotMaxBins {
			return w, nil
		}
	}
	if info.Interval > 0 && int64(info.Span/info.Interval)+1 <= plotMaxBins {
		return info.Interval, nil
	}
	return 0, usageErrorf("the trace spans %v: give --interval (at most %d points)", info.Span, plotMaxBins)
}

// drawRate renders the rate as a step line.
func drawRate(w *bytes.Buffer, pts plotter.XYs, info workloads.TraceInfo, width sim.Duration, name, ext string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Arrival rate, averaged per %v: %s", width, name)
	p.Y.Label.Text = "requests per second"
	p.Y.Min = 0
	if info.DateTime {
		p.X.Label.Text = "time (UTC)"
		format := "01-02 15:04"
		if info.Span <= 2*sim.Hour {
			format = "15:04:05"
		}
		p.X.Tick.Marker = plot.TimeTicks{Format: format}
	} else {
		p.X.Label.Text = "seconds"
	}
	p.Add(plotter.NewGrid())
	line, err := plotter.NewLine(pts)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	line.StepStyle = plotter.PostStep
	line.Width = vg.Points(1)
	p.Add(line)
	wt, err := p.WriterTo(8*vg.Inch, 4.5*vg.Inch, ext)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if _, err := wt.WriteTo(w); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}
