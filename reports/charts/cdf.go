package charts

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/scalesim/scalesim/reports"
)

// latencyCDF draws each strategy's latency distribution: x the latency on
// a logarithmic axis, y the share of completed requests at or below it,
// with the SLO as a dashed vertical line.
func latencyCDF(r *reports.Result, d *data, title string) *figure {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range d.cdfs {
		for _, p := range c.Points {
			if p.LatencyMS > 0 {
				lo, hi = math.Min(lo, p.LatencyMS), math.Max(hi, p.LatencyMS)
			}
		}
	}
	if math.IsInf(lo, 1) {
		title += " (no data)"
	}
	f := newFigure(title, "latency (ms, log scale)", "fraction of completed requests")
	f.main.Y.Tick.Marker = fractionTicks()
	for i, name := range d.names {
		pts := make([]xy, 0, len(d.cdfs[i].Points))
		for _, p := range d.cdfs[i].Points {
			pts = append(pts, xy{x: p.LatencyMS, y: p.Fraction})
		}
		s := strategySeries(d, i, positiveX(pts), vg.Points(strategyWidth))
		label := shorten(name, legendNameRunes)
		if len(s.pts) == 0 {
			label += " (no completions)"
			if len(r.Distributions) == 0 {
				label = shorten(name, legendNameRunes) + " (no data)"
			}
		} else {
			f.main.Add(s)
		}
		f.addLegend(label, s)
	}
	if r.SLOLatencyMS > 0 {
		v := vline{x: r.SLOLatencyMS, line: sloLine()}
		f.main.Add(v)
		f.addLegend("SLO "+number(r.SLOLatencyMS)+" ms", v)
		lo, hi = math.Min(lo, r.SLOLatencyMS), math.Max(hi, r.SLOLatencyMS)
	}
	switch {
	case math.IsInf(lo, 1):
		lo, hi = 1, 1000
	case hi/lo < 10: // at least a decade, so the axis has a labelled tick
		mid := math.Sqrt(lo * hi)
		lo, hi = mid/math.Sqrt(10), mid*math.Sqrt(10)
	}
	logAxis(&f.main.X, lo, hi)
	f.main.Y.Min, f.main.Y.Max = 0, 1.02
	return f
}

// positiveX drops the points a logarithmic x axis cannot show.
func positiveX(pts []xy) []xy {
	out := pts[:0:0]
	for _, p := range pts {
		if p.x > 0 {
			out = append(out, p)
		}
	}
	return out
}

// fractionTicks mark the CDF's y axis, naming the usual percentiles.
func fractionTicks() plot.ConstantTicks {
	return plot.ConstantTicks{
		{Value: 0, Label: "0"}, {Value: 0.25, Label: "0.25"}, {Value: 0.5, Label: "0.5 (p50)"},
		{Value: 0.75, Label: "0.75"}, {Value: 0.9, Label: "0.9 (p90)"}, {Value: 0.99, Label: "0.99 (p99)"},
		{Value: 1},
	}
}
