package charts

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/scalesim/scalesim/reports"
)

// calChart is one chart of a calibration: an instance count the record
// and the simulation both give per minute.
type calChart struct {
	name  string
	title string
	// absent is the title when the record holds none of the count.
	absent string
	// caption tells a reader of the report how to read the chart.
	caption             string
	recorded, simulated func(reports.CalMinute) float64
}

// calCatalogue lists the calibration charts in report order.
func calCatalogue() []calChart {
	return []calChart{
		{"capacity_desired", "Desired capacity: recorded and simulated", "Desired capacity (not in the record)",
			"The group's desired capacity at the end of each minute: the record's (bold black; grey where the record has no value) " +
				"against the simulation's (dashed). Below, the desired-capacity changes of each (▲ out, ▼ in; filled for the record, " +
				"open for the simulation); a grey line joins a recorded change to the simulated one matched with it, its slant the timing error.",
			func(m reports.CalMinute) float64 { return m.RecordedDesired },
			func(m reports.CalMinute) float64 { return m.SimDesired }},
		{"capacity_in_service", "Instances in service: recorded and simulated", "Instances in service (not in the record)",
			"The instances in service at the end of each minute, recorded (GroupInServiceInstances) and simulated: " +
				"the distance from a decision below to the line's step is the time the group took to launch or drain.",
			func(m reports.CalMinute) float64 { return m.RecordedInService },
			func(m reports.CalMinute) float64 { return m.SimInServ }},
	}
}

// CalibrationNames returns the names of the charts RenderCalibration
// draws, in report order: capacity_desired, capacity_in_service.
func CalibrationNames() []string {
	var names []string
	for _, c := range calCatalogue() {
		names = append(names, c.name)
	}
	return names
}

// CalibrationTitle returns the title of the named calibration chart as
// drawn for c, or "" for an unknown name.
func CalibrationTitle(c *reports.Calibration, name string) string {
	for _, ch := range calCatalogue() {
		if ch.name == name {
			return ch.titleFor(c)
		}
	}
	return ""
}

// CalibrationCaption returns how to read the named calibration chart, or
// "" for an unknown name.
func CalibrationCaption(name string) string {
	for _, ch := range calCatalogue() {
		if ch.name == name {
			return ch.caption
		}
	}
	return ""
}

// RenderCalibration draws the named chart of calibration c and writes it
// to w in format "png" or "svg": the recorded count per minute (black, a
// step line broken where the record has none) against the simulated one
// and, with --apply-fit, the fitted run's; below it, one row each for the
// recorded and simulated desired-capacity changes (filled and open
// triangles), a grey line joining each matched pair. The same c gives the
// same bytes.
func RenderCalibration(w io.Writer, c *reports.Calibration, name, format string) error {
	if c == nil {
		return fmt.Errorf("chart %s: no calibration", name)
	}
	i := slices.IndexFunc(calCatalogue(), func(ch calChart) bool { return ch.name == name })
	if i < 0 {
		return fmt.Errorf("chart %q: unknown (calibration charts: %s)", name, strings.Join(CalibrationNames(), ", "))
	}
	ch := calCatalogue()[i]
	if err := writeFigure(w, format, func() *figure { return ch.figure(c) }); err != nil {
		return fmt.Errorf("chart %s: %w", name, err)
	}
	return nil
}

// The looks of the three runs: the record in bold black, the simulation
// as the scenario is written and with the fitted lifecycle in the first
// two strategy colours, dashed, so that a line lying on the record's
// still shows.
const recordWidth = 2.5

func recordLine() draw.LineStyle { return draw.LineStyle{Color: ink(), Width: vg.Points(recordWidth)} }

func simulatedLine() draw.LineStyle {
	return draw.LineStyle{Color: lookFor(0).color, Width: vg.Points(strategyWidth), Dashes: dashPatterns()[1]}
}

func fittedLine() draw.LineStyle {
	return draw.LineStyle{Color: lookFor(1).color, Width: vg.Points(strategyWidth), Dashes: dashPatterns()[3]}
}

// recordedMissing reports whether a recorded count is absent: NaN, or
// negative as no count can be.
func recordedMissing(v float64) bool { return math.IsNaN(v) || v < 0 }

// inRecord reports whether the record holds the chart's count in any
// minute.
func (ch calChart) inRecord(c *reports.Calibration) bool {
	return slices.ContainsFunc(c.Minutes, func(m reports.CalMinute) bool { return !recordedMissing(ch.recorded(m)) })
}

// titleFor is the chart's title for c.
func (ch calChart) titleFor(c *reports.Calibration) string {
	switch {
	case len(c.Minutes) == 0:
		return ch.title + " (no data)"
	case !ch.inRecord(c):
		return ch.absent
	}
	return ch.title
}

// figure builds the chart of c.
func (ch calChart) figure(c *reports.Calibration) *figure {
	f := newFigure(ch.titleFor(c), timeLabel, "instances")
	f.timeAxis(calSpan(c))
	f.main.Y.Tick.Marker = integerTicks{}
	gaps := calGaps(c.Minutes, ch.recorded)
	if ch.inRecord(c) {
		f.main.Add(gaps...)
		rec := &series{pts: calSteps(c.Minutes, ch.recorded), line: recordLine()}
		f.main.Add(rec)
		label := "recorded"
		if ch.name == "capacity_desired" && c.Comparison.Capacity != nil && c.Comparison.Capacity.Source == "activities" {
			label = "recorded (from activities)"
		}
		f.addLegend(label, rec)
	}
	sim := &series{pts: calSteps(c.Minutes, ch.simulated), line: simulatedLine()}
	f.main.Add(sim)
	f.addLegend("simulated", sim)
	if c.FitMinutes != nil {
		fit := &series{pts: calSteps(c.FitMinutes, ch.simulated), line: fittedLine()}
		f.main.Add(fit)
		f.addLegend("simulated, fitted lifecycle", fit)
	}
	if ch.inRecord(c) && gaps != nil {
		f.addLegend("not in the record", band{fill: bandGrey()})
	}
	f.main.Y.Min = 0
	headroom(&f.main.Y)
	if math.IsInf(f.main.Y.Max, 0) || f.main.Y.Max <= 0 {
		f.main.Y.Max = 1
	}
	calStrip(f, c)
	return f
}

// calSpan is the end of the time axis in minutes: the last minute of
// either run, or the last decision if later.
func calSpan(c *reports.Calibration) float64 {
	span := 0.0
	for _, ms := range [][]reports.CalMinute{c.Minutes, c.FitMinutes} {
		for _, m := range ms {
			span = max(span, float64(m.Minute)+endMinute)
		}
	}
	for _, p := range calPoints(c) {
		span = max(span, math.Ceil(p.AtS/60))
	}
	return span
}

// calPoints lists every decision of c, recorded, simulated and fitted.
func calPoints(c *reports.Calibration) []reports.CalDecisionPoint {
	var out []reports.CalDecisionPoint
	for _, d := range c.Decisions {
		for _, p := range []*reports.CalDecisionPoint{d.Recorded, d.Simulated} {
			if p != nil {
				out = append(out, *p)
			}
		}
	}
	return append(out, c.FitDecided...)
}

// calSteps returns a count per minute as a step line: each minute's value
// drawn at the minute's end (the state it samples), held until the next
// minute's end, where the line rises or falls to the next value. A
// missing value or a skipped minute breaks the line.
func calSteps(rows []reports.CalMinute, value func(reports.CalMinute) float64) []xy {
	pts := make([]xy, 0, 2*len(rows))
	for _, m := range rows {
		x, v := float64(m.Minute)+endMinute, value(m)
		if recordedMissing(v) {
			pts = append(pts, xy{x: x, y: math.NaN()})
			continue
		}
		if n := len(pts); n > 0 {
			prev := pts[n-1]
			switch {
			case math.IsNaN(prev.y):
			case prev.x < x-1:
				pts = append(pts, xy{x: x, y: math.NaN()})
			case prev.y != v:
				pts = append(pts, xy{x: x, y: prev.y})
			}
		}
		pts = append(pts, xy{x: x, y: v})
	}
	return pts
}

// calGaps shades the spans over which the recorded line is broken: from
// the last minute's end with a value to the next one's, over each run of
// minutes without a value.
func calGaps(rows []reports.CalMinute, value func(reports.CalMinute) float64) []plot.Plotter {
	var out []plot.Plotter
	for i := 0; i < len(rows); i++ {
		if !recordedMissing(value(rows[i])) {
			continue
		}
		j := i
		for j+1 < len(rows) && recordedMissing(value(rows[j+1])) {
			j++
		}
		x0, x1 := float64(rows[i].Minute), float64(rows[j].Minute)+endMinute
		if j+1 < len(rows) {
			x1 = float64(rows[j+1].Minute) + endMinute
		}
		out = append(out, band{x0: x0, x1: x1, fill: bandGrey()})
		i = j
	}
	return out
}

// calRow is one row of a calibration's decision strip: its label, its
// legend prefix and its markers.
type calRow struct {
	label, legend string
	glyph         func(up bool) draw.GlyphStyle
	points        []reports.CalDecisionPoint
}

// calRows returns the strip's rows from the top down: the record, the
// simulation, and the fitted run when there is one.
func calRows(c *reports.Calibration) []calRow {
	var rec, sim []reports.CalDecisionPoint
	for _, d := range c.Decisions {
		if d.Recorded != nil {
			rec = append(rec, *d.Recorded)
		}
		if d.Simulated != nil {
			sim = append(sim, *d.Simulated)
		}
	}
	open := func(line draw.LineStyle) func(bool) draw.GlyphStyle {
		return func(up bool) draw.GlyphStyle {
			return draw.GlyphStyle{Color: line.Color, Radius: vg.Points(markerRadius), Shape: openTriangleGlyph{up: up}}
		}
	}
	rows := []calRow{
		{"record", "recorded", func(up bool) draw.GlyphStyle {
			if up {
				return markGlyph(markScaleOut)
			}
			return markGlyph(markScaleIn)
		}, rec},
		{"simulated", "simulated", open(simulatedLine()), sim},
	}
	if c.FitMinutes != nil || c.FitDecided != nil {
		rows = append(rows, calRow{"fitted", "fitted", open(fittedLine()), c.FitDecided})
	}
	return rows
}

// calStrip adds the decision strip under f's time axis, with a legend
// entry for each kind of marker drawn and for the matches.
func calStrip(f *figure, c *reports.Calibration) {
	rows := calRows(c)
	n := len(rows)
	var marks []mark
	var labels []string
	type seen struct{ up, down bool }
	shown := make([]seen, n)
	for i, r := range rows {
		labels = append(labels, r.label)
		for _, p := range r.points {
			if p.To == p.From || (p.AtS <= 0 && p.From == 0) {
				continue // no change, or the initial capacity
			}
			up := p.To > p.From
			g := r.glyph(up)
			marks = append(marks, mark{row: n - 1 - i, x: p.AtS / 60, glyph: &g})
			if up {
				shown[i].up = true
			} else {
				shown[i].down = true
			}
		}
	}
	var links []link
	for _, d := range c.Decisions {
		if d.Recorded != nil && d.Simulated != nil {
			links = append(links, link{x0: d.Recorded.AtS / 60, row0: n - 1, x1: d.Simulated.AtS / 60, row1: n - 2})
		}
	}
	if len(marks) == 0 {
		return
	}
	f.setStrip(labels, &eventStrip{rows: n, marks: marks, links: links})
	f.addLegend("") // a blank line before the markers
	for i, r := range rows {
		if shown[i].up {
			f.addLegend(r.legend+" scale-out", glyphThumb{r.glyph(true)})
		}
		if shown[i].down {
			f.addLegend(r.legend+" scale-in", glyphThumb{r.glyph(false)})
		}
	}
	if len(links) > 0 {
		f.addLegend("matched", lineThumb{lagLine()})
	}
}

// link joins two markers of the strip: a recorded decision and its
// simulated match.
type link struct {
	x0   float64
	row0 int
	x1   float64
	row1 int
}

// plotLinks draws the strip's links.
func (s *eventStrip) plotLinks(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, l := range s.links {
		pts := []vg.Point{{X: trX(l.x0), Y: trY(float64(l.row0))}, {X: trX(l.x1), Y: trY(float64(l.row1))}}
		c.StrokeLines(lagLine(), c.ClipLinesX(pts)...)
	}
}

// openTriangleGlyph is a triangle outline pointing up or down, filled
// white so that a line behind it does not show through.
type openTriangleGlyph struct{ up bool }

// DrawGlyph implements draw.GlyphDrawer.
func (g openTriangleGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r, s := sty.Radius, sty.Radius
	if !g.up {
		s = -s
	}
	pts := []vg.Point{
		{X: pt.X - r, Y: pt.Y - s*0.6}, {X: pt.X + r, Y: pt.Y - s*0.6}, {X: pt.X, Y: pt.Y + s},
	}
	c.FillPolygon(rgb(0xFF, 0xFF, 0xFF), pts)
	c.StrokeLines(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.3)}, append(pts, pts[0]))
}
