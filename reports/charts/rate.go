package charts

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/scalesim/scalesim/sim"
)

// Rate chart limits: the automatic interval aims at RateAutoPoints
// points, and no chart draws more than RateMaxPoints.
const (
	RateAutoPoints = 2000
	RateMaxPoints  = 200_000
)

// RateBin is the number of arrivals in one interval of a trace.
type RateBin struct {
	Start int64 // ns: since the Unix epoch for date-times, else trace time
	Count float64
}

// Rate is a trace's arrivals per interval, for RenderRate.
type Rate struct {
	Name     string       // the trace, for the title
	Width    sim.Duration // the span of each bin
	DateTime bool         // bin starts are date-times, shown in UTC
	Span     sim.Duration // the trace's span, which picks the time format
	Bins     []RateBin    // consecutive bins, in order
}

// RateWidth picks the interval of a rate chart of a trace spanning span
// whose counts (if it holds counts) are per unit: the shortest of 1s, 10s,
// 1m, 5m, 15m, 1h, 6h and 1d (a multiple of unit) that gives at most
// RateAutoPoints points, else the shortest giving at most RateMaxPoints,
// else unit itself when it does. ok is false when none does.
func RateWidth(span, unit sim.Duration) (width sim.Duration, ok bool) {
	fits := func(w sim.Duration, points int64) bool {
		return (unit == 0 || w%unit == 0) && int64(span/w)+1 <= points
	}
	candidates := []sim.Duration{sim.Second, 10 * sim.Second, sim.Minute, 5 * sim.Minute, 15 * sim.Minute, sim.Hour, 6 * sim.Hour, sim.Day}
	for _, limit := range []int64{RateAutoPoints, RateMaxPoints} {
		for _, w := range candidates {
			if fits(w, limit) {
				return w, true
			}
		}
	}
	if unit > 0 && int64(span/unit)+1 <= RateMaxPoints {
		return unit, true
	}
	return 0, false
}

// ratePoints turns bins into the corners of a step line in requests per
// second, x in seconds, the last step closed at the end of its bin.
func ratePoints(r Rate) plotter.XYs {
	perSecond := r.Width.Seconds()
	pts := make(plotter.XYs, 0, len(r.Bins)+1)
	for _, b := range r.Bins {
		pts = append(pts, plotter.XY{X: float64(b.Start) / 1e9, Y: b.Count / perSecond})
	}
	if len(pts) > 0 {
		last := pts[len(pts)-1]
		pts = append(pts, plotter.XY{X: last.X + perSecond, Y: last.Y})
	}
	return pts
}

// RenderRate draws a trace's arrival rate over time, averaged per bin, as
// a step line, in format "png" or "svg".
func RenderRate(w io.Writer, r Rate, format string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Arrival rate, averaged per %v: %s", r.Width, r.Name)
	p.Y.Label.Text = "requests per second"
	p.Y.Min = 0
	if r.DateTime {
		p.X.Label.Text = "time (UTC)"
		layout := "01-02 15:04"
		if r.Span <= 2*sim.Hour {
			layout = "15:04:05"
		}
		p.X.Tick.Marker = plot.TimeTicks{Format: layout}
	} else {
		p.X.Label.Text = "seconds"
	}
	p.Add(plotter.NewGrid())
	line, err := plotter.NewLine(ratePoints(r))
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	line.StepStyle = plotter.PostStep
	line.Width = vg.Points(1)
	p.Add(line)
	wt, err := p.WriterTo(8*vg.Inch, 4.5*vg.Inch, format)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if _, err := wt.WriteTo(w); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}
