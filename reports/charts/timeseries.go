package charts

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/scalesim/scalesim/reports"
)

// Axis labels shared by the time charts.
const timeLabel = "time since start (hh:mm)"

// logRangeRatio is the max/min ratio above which a latency axis is
// logarithmic.
const logRangeRatio = 50

// Where a minute's figure is drawn: a count over minute m at its middle,
// a state sampled at its end at m+1.
const (
	midMinute = 0.5
	endMinute = 1.0
)

// timeFigure starts a chart over time: axes, the time span, the warm-up
// band and each strategy's own warm-up cut.
func timeFigure(r *reports.Result, d *data, title, yLabel string) *figure {
	if d.minutes == 0 {
		title += " (no data)"
	}
	f := newFigure(title, timeLabel, yLabel)
	f.timeAxis(lastMinute(r, d))
	if r.WarmupS > 0 {
		f.main.Add(band{x0: 0, x1: r.WarmupS / 60, fill: bandGrey()})
	}
	addCuts(f, r, d)
	return f
}

// finishTime adds the warm-up legend entries and the event strip, and
// gives the y axis headroom; the y axis starts at zero.
func finishTime(f *figure, r *reports.Result, d *data, strip bool) *figure {
	f.main.Y.Min = 0
	headroom(&f.main.Y)
	if r.WarmupS > 0 {
		f.addLegend("warm-up (not measured)", band{fill: bandGrey()})
	}
	cutLegend(f, r, d)
	if strip {
		f.addStrip(d, stripCuts(r, d))
	}
	return f
}

// lastMinute is the end of the time axis: the run's duration, or the
// series' length if longer.
func lastMinute(r *reports.Result, d *data) float64 {
	return math.Max(r.DurationS/60, float64(d.minutes))
}

// headroom adds 6% above the data of a linear axis so no line runs along
// the frame.
func headroom(a *plot.Axis) {
	if math.IsInf(a.Max, 0) || math.IsInf(a.Min, 0) || a.Max <= a.Min {
		return
	}
	a.Max += 0.06 * (a.Max - a.Min)
}

// perMinute returns one point per row: x = minute + at, y = value(row);
// value may return NaN for a gap.
func perMinute(rows []reports.MinuteRow, at float64, value func(reports.MinuteRow) float64) []xy {
	pts := make([]xy, 0, len(rows))
	for _, row := range rows {
		pts = append(pts, xy{x: float64(row.Minute) + at, y: value(row)})
	}
	return pts
}

// strategySeries is strategy i's line in its look, with sparse markers.
func strategySeries(d *data, i int, pts []xy, width vg.Length) *series {
	lk := lookFor(i)
	every, offset := markerEvery(len(pts), i, len(d.names))
	return &series{pts: pts, line: lk.line(width), glyph: lk.glyphStyle(), every: every, offset: offset}
}

// addStrategies draws one series per strategy with points(i) and a legend
// entry named after it; a strategy without points is listed with note.
func addStrategies(f *figure, d *data, note string, points func(i int) []xy) {
	for i, name := range d.names {
		s := strategySeries(d, i, points(i), vg.Points(strategyWidth))
		label := shorten(name, legendNameRunes)
		if x0, _, _, _ := s.DataRange(); math.IsInf(x0, 1) {
			label += " " + note
		} else {
			f.main.Add(s)
		}
		f.addLegend(label, s)
	}
}

// traffic draws arrivals per second (the same for every strategy, once,
// bold) against each strategy's serving capacity, slots / mean service
// time. Without a mean service time it draws completions per second.
func traffic(r *reports.Result, d *data, title string) *figure {
	capacity := r.ServiceMeanS > 0
	if !capacity {
		title = "Traffic and requests served"
	}
	f := timeFigure(r, d, title, "requests per second")
	for i := range d.names {
		if len(d.rows[i]) == 0 {
			continue
		}
		arr := &series{
			pts:  perMinute(d.rows[i], midMinute, func(m reports.MinuteRow) float64 { return float64(m.Arrivals) / 60 }),
			line: draw.LineStyle{Color: ink(), Width: vg.Points(trafficWidth)},
		}
		f.main.Add(arr)
		f.addLegend("arrivals", arr)
		break
	}
	addStrategies(f, d, "(no data)", func(i int) []xy {
		if capacity {
			return perMinute(d.rows[i], endMinute, func(m reports.MinuteRow) float64 { return float64(m.Slots) / r.ServiceMeanS })
		}
		return perMinute(d.rows[i], midMinute, func(m reports.MinuteRow) float64 { return float64(m.Completed) / 60 })
	})
	return finishTime(f, r, d, true)
}

// latencyP99 draws each strategy's p99 per minute (a gap where a minute
// completed nothing) and the SLO as a dashed line; the y axis is
// logarithmic when the values span more than logRangeRatio.
func latencyP99(r *reports.Result, d *data, title string) *figure {
	f := timeFigure(r, d, title, "p99 latency (ms)")
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range d.names {
		for _, m := range d.rows[i] {
			if m.Completed > 0 && m.P99MS > 0 {
				lo, hi = math.Min(lo, m.P99MS), math.Max(hi, m.P99MS)
			}
		}
	}
	if r.SLOLatencyMS > 0 {
		lo, hi = math.Min(lo, r.SLOLatencyMS), math.Max(hi, r.SLOLatencyMS)
	}
	logY := hi/lo > logRangeRatio
	addStrategies(f, d, "(no completions)", func(i int) []xy {
		return perMinute(d.rows[i], midMinute, func(m reports.MinuteRow) float64 {
			if m.Completed == 0 || m.P99MS <= 0 {
				return math.NaN()
			}
			return m.P99MS
		})
	})
	addSLO(f, r.SLOLatencyMS)
	f = finishTime(f, r, d, true)
	if logY {
		logAxis(&f.main.Y, lo, hi)
		f.yLabel = "p99 latency (ms, log scale)"
	}
	return f
}

// addSLO draws the SLO latency as a dashed horizontal line.
func addSLO(f *figure, sloMS float64) {
	if sloMS <= 0 {
		return
	}
	h := hline{y: sloMS, line: sloLine()}
	f.main.Add(h)
	f.addLegend("SLO "+number(sloMS)+" ms", h)
}

// sloLine is the style of the SLO reference line.
func sloLine() draw.LineStyle {
	return draw.LineStyle{Color: ink(), Width: vg.Points(referenceLine), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
}

// logAxis makes a logarithmic axis over [lo, hi] with a little room.
func logAxis(a *plot.Axis, lo, hi float64) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = logTicks{}
	a.Min, a.Max = lo/1.25, hi*1.25
}

// instances draws each strategy's instances in service (solid, with
// markers) and pending (thin dotted, only for strategies that launched).
func instances(r *reports.Result, d *data, title string) *figure {
	f := timeFigure(r, d, title, "instances")
	f.main.Y.Tick.Marker = integerTicks{}
	addStrategies(f, d, "(no data)", func(i int) []xy {
		return perMinute(d.rows[i], endMinute, func(m reports.MinuteRow) float64 { return float64(m.InstancesInService) })
	})
	anyPending := false
	for i := range d.names {
		pts := perMinute(d.rows[i], endMinute, func(m reports.MinuteRow) float64 { return float64(m.InstancesPending) })
		if !anyAboveZero(pts) {
			continue
		}
		anyPending = true
		lk := lookFor(i)
		f.main.Add(&series{pts: pts, line: draw.LineStyle{Color: lk.color, Width: vg.Points(pendingWidth), Dashes: dottedDash()}})
	}
	f.addLegend("in service", lineThumb{draw.LineStyle{Color: ink(), Width: vg.Points(strategyWidth)}})
	if anyPending {
		f.addLegend("pending (launching)", lineThumb{draw.LineStyle{Color: ink(), Width: vg.Points(pendingWidth), Dashes: dottedDash()}})
	}
	return finishTime(f, r, d, true)
}

// anyAboveZero reports whether any point is above zero.
func anyAboveZero(pts []xy) bool {
	for _, p := range pts {
		if p.y > 0 {
			return true
		}
	}
	return false
}

// dottedDash is the dash pattern of pending instances.
func dottedDash() []vg.Length { return []vg.Length{vg.Points(1), vg.Points(2)} }

// cost draws each strategy's cumulative bill.
func cost(r *reports.Result, d *data, title string) *figure {
	f := timeFigure(r, d, title, "cumulative cost (USD)")
	addStrategies(f, d, "(no data)", func(i int) []xy {
		pts := perMinute(d.rows[i], endMinute, func(m reports.MinuteRow) float64 { return m.CostUSD })
		if len(pts) > 0 {
			pts = append([]xy{{x: 0, y: 0}}, pts...)
		}
		return pts
	})
	return finishTime(f, r, d, false)
}

// errorsChart draws each strategy's errors per minute: rejected, timed
// out and dropped requests.
func errorsChart(r *reports.Result, d *data, title string) *figure {
	f := timeFigure(r, d, title, "errors per minute")
	f.main.Y.Tick.Marker = integerTicks{}
	addStrategies(f, d, "(no data)", func(i int) []xy {
		return perMinute(d.rows[i], midMinute, func(m reports.MinuteRow) float64 { return float64(m.Errors) })
	})
	return finishTime(f, r, d, true)
}
