package charts

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/scalesim/scalesim/reports"
)

// RenderSweep draws a sweep's trade-off chart and writes it to w in format
// "png" or "svg": every point × strategy as a marker at (total cost, p99
// latency), one marker shape and colour per strategy; the Pareto frontier
// (reports.Sweep.Pareto) as a black line through ringed markers; and the
// SLO as a dashed line: the --slo clause on latency_ms.p99 if there is one,
// else the scenario's slo.latency (and a vertical line for a clause on
// cost_usd.total). Rows in which nothing completed are not drawn. The same
// sweep gives the same bytes.
func RenderSweep(w io.Writer, s *reports.Sweep, format string) error {
	if s == nil {
		return fmt.Errorf("pareto chart: no sweep")
	}
	if err := writeFigure(w, format, func() *figure { return sweepFigure(s) }); err != nil {
		return fmt.Errorf("pareto chart: %w", err)
	}
	return nil
}

// sweepFigure builds the chart of s.
func sweepFigure(s *reports.Sweep) *figure {
	title := "Cost against p99 latency: " + s.Scenario
	f := newFigure(title, "total cost (USD)", "p99 latency (ms)")
	names, pts := sweepScatterPoints(s)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, name := range names {
		sc := &sweepScatter{pts: pts[i], glyph: lookFor(i).glyphStyle()}
		f.main.Add(sc)
		f.addLegend(name, glyphThumb{sc.glyph})
		for _, p := range pts[i] {
			lo, hi = math.Min(lo, p.y), math.Max(hi, p.y)
		}
	}
	front := s.Pareto()
	if len(front) > 0 {
		line := &series{line: draw.LineStyle{Color: ink(), Width: vg.Points(strategyWidth)}}
		ring := draw.GlyphStyle{Color: ink(), Radius: vg.Points(glyphRadius + 2.5), Shape: draw.RingGlyph{}}
		for _, p := range front {
			line.pts = append(line.pts, xy{p.CostUSD, p.LatencyP99MS})
		}
		f.main.Add(line, &sweepScatter{pts: line.pts, glyph: ring})
		f.addLegend("Pareto frontier", line, glyphThumb{ring})
	}
	if ms, label := sweepSLOLatency(s); ms > 0 {
		h := hline{y: ms, line: sloLine()}
		f.main.Add(h)
		f.addLegend(label, h)
		lo, hi = math.Min(lo, ms), math.Max(hi, ms)
	}
	for _, c := range s.SLO {
		if c.Key == reports.CostTotal.Key() && (c.Op == "<=" || c.Op == "<") {
			v := vline{x: c.Value, line: sloLine()}
			f.main.Add(v)
			f.addLegend("SLO cost "+c.Op+" $"+number(c.Value), v)
		}
	}
	switch {
	case len(names) == 0:
		f.main.X.Min, f.main.X.Max, f.main.Y.Min, f.main.Y.Max = 0, 1, 0, 1
		return f
	case lo > 0 && hi/lo > 20:
		logAxis(&f.main.Y, lo, hi)
		f.yLabel = "p99 latency (ms, log scale)"
	default:
		sweepMargin(&f.main.Y)
	}
	sweepMargin(&f.main.X)
	return f
}

// sweepMargin widens a linear axis by 5% of its range on each side (or of
// its value, for a single value) so that markers at the edges show whole.
func sweepMargin(a *plot.Axis) {
	if math.IsInf(a.Max, 0) || math.IsInf(a.Min, 0) || a.Max < a.Min {
		return
	}
	pad := 0.05 * (a.Max - a.Min)
	if pad == 0 {
		pad = math.Max(0.05*math.Abs(a.Max), 1e-9)
	}
	lo := a.Min - pad
	if lo < 0 && a.Min >= 0 {
		lo = 0 // a cost or latency axis need not go below zero
	}
	a.Min, a.Max = lo, a.Max+pad
}

// sweepScatterPoints returns the strategies in order of first appearance
// and, for each, its (cost, p99) at every point where some request
// completed.
func sweepScatterPoints(s *reports.Sweep) ([]string, [][]xy) {
	var names []string
	var pts [][]xy
	index := map[string]int{}
	for _, r := range s.Rows() {
		if r.Summary.Requests.Completed == 0 {
			continue
		}
		i, ok := index[r.Summary.Name]
		if !ok {
			i = len(names)
			index[r.Summary.Name] = i
			names = append(names, r.Summary.Name)
			pts = append(pts, nil)
		}
		pts[i] = append(pts[i], xy{r.Summary.CostUSD.Total, r.Summary.LatencyMS.P99})
	}
	return names, pts
}

// sweepSLOLatency is the latency line to draw: the --slo clause on
// latency_ms.p99 (<= or <), else the scenario's slo.latency.
func sweepSLOLatency(s *reports.Sweep) (float64, string) {
	for _, c := range s.SLO {
		if c.Key == reports.LatencyP99.Key() && (c.Op == "<=" || c.Op == "<") {
			return c.Value, "SLO p99 " + c.Op + " " + number(c.Value) + " ms"
		}
	}
	if s.SLOLatencyMS > 0 {
		return s.SLOLatencyMS, "slo.latency " + strconv.FormatFloat(s.SLOLatencyMS, 'f', -1, 64) + " ms"
	}
	return 0, ""
}

// sweepScatter draws a marker at each point, without lines.
type sweepScatter struct {
	pts   []xy
	glyph draw.GlyphStyle
}

// Plot implements plot.Plotter.
func (s *sweepScatter) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, p := range s.pts {
		pt := vg.Point{X: trX(p.x), Y: trY(p.y)}
		if c.Contains(pt) {
			c.DrawGlyph(s.glyph, pt)
		}
	}
}

// DataRange implements plot.DataRanger.
func (s *sweepScatter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, p := range s.pts {
		xmin, xmax = math.Min(xmin, p.x), math.Max(xmax, p.x)
		ymin, ymax = math.Min(ymin, p.y), math.Max(ymax, p.y)
	}
	return xmin, xmax, ymin, ymax
}
