package charts

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
)

// markKind is a kind of event marked on the time axis.
type markKind int

// The marked kinds, in legend order.
const (
	markScaleOut markKind = iota
	markScaleIn
	markResize
	markFailure
	markZoneDown
	markKinds
)

// markLabel is a kind's legend text.
func markLabel(k markKind) string {
	return [...]string{"scale-out decision", "scale-in decision", "resize decision", "instance failure", "zone outage"}[k]
}

// markGlyph is a kind's marker.
func markGlyph(k markKind) draw.GlyphStyle {
	shapes := [...]draw.GlyphDrawer{upTriangleGlyph{}, downTriangleGlyph{}, diamondGlyph{}, draw.CrossGlyph{}, draw.BoxGlyph{}}
	return draw.GlyphStyle{Color: ink(), Radius: vg.Points(markerRadius), Shape: shapes[k]}
}

// lagLine is the style of the line from a decision to the moment the fleet
// reached it.
func lagLine() draw.LineStyle {
	return draw.LineStyle{Color: rgb(0x77, 0x77, 0x77), Width: vg.Points(1.2)}
}

// mark is one marker in the strip; a lag ends at lagTo (minutes) if > x.
// A mark drawn in a style of its own sets glyph; otherwise its kind's
// marker is drawn.
type mark struct {
	row   int
	x     float64
	kind  markKind
	lagTo float64
	glyph *draw.GlyphStyle
}

// style is the marker m is drawn with.
func (m mark) style() draw.GlyphStyle {
	if m.glyph != nil {
		return *m.glyph
	}
	return markGlyph(m.kind)
}

// eventStrip draws one row per strategy with its decisions and fleet
// events along the time axis. It implements plot.Plotter.
type eventStrip struct {
	rows  int
	marks []mark
	cuts  []float64 // each row's warm-up cut in minutes; nil for none
	links []link    // lines joining two markers, drawn under them
}

// Plot implements plot.Plotter.
func (s *eventStrip) Plot(c draw.Canvas, plt *plot.Plot) {
	s.plotCuts(c, plt)
	trX, trY := plt.Transforms(&c)
	base := draw.LineStyle{Color: gridGrey(), Width: vg.Points(gridWidth)}
	for r := range s.rows {
		y := trY(float64(r))
		c.StrokeLine2(base, c.Min.X, y, c.Max.X, y)
	}
	for _, m := range s.marks {
		if m.lagTo > m.x {
			y := trY(float64(m.row))
			c.StrokeLines(lagLine(), c.ClipLinesX([]vg.Point{{X: trX(m.x), Y: y}, {X: trX(m.lagTo), Y: y}})...)
		}
	}
	s.plotLinks(c, plt)
	for _, m := range s.marks {
		pt := vg.Point{X: trX(m.x), Y: trY(float64(m.row))}
		if c.ContainsX(pt.X) {
			c.DrawGlyph(m.style(), pt)
		}
	}
}

// stripMarks returns the markers of every strategy: its scaling decisions
// (not the initial one at time zero) and its failures and zone outages.
// Row 0 is the first strategy, drawn at the top.
func stripMarks(d *data) []mark {
	var marks []mark
	n := len(d.names)
	for i := range d.names {
		row := n - 1 - i
		for _, dec := range d.decisions[i] {
			if dec.At <= 0 && dec.From == 0 {
				continue // the initial capacity, not an action
			}
			k := markResize
			switch {
			case dec.To > dec.From:
				k = markScaleOut
			case dec.To < dec.From:
				k = markScaleIn
			}
			m := mark{row: row, x: minutes(dec.At), kind: k}
			if dec.ReachedAt >= 0 {
				m.lagTo = minutes(dec.ReachedAt)
			}
			marks = append(marks, m)
		}
		for _, ev := range d.events[i] {
			switch ev.Kind {
			case models.EventFailure:
				marks = append(marks, mark{row: row, x: minutes(ev.At), kind: markFailure})
			case models.EventZoneDown:
				marks = append(marks, mark{row: row, x: minutes(ev.At), kind: markZoneDown})
			}
		}
	}
	return marks
}

// minutes converts a simulated time to minutes since the start.
func minutes(t sim.Time) float64 { return float64(t) / float64(sim.Minute) }

// addStrip gives f an event strip under its time axis when anything
// happened or some strategy has a warm-up cut (cuts, by row), moves the
// time labels to the strip, and adds the markers' legend entries.
func (f *figure) addStrip(d *data, cuts []float64) {
	marks := stripMarks(d)
	if len(marks) == 0 && cuts == nil {
		return
	}
	labels := make([]string, len(d.names))
	for i, name := range d.names {
		labels[i] = shorten(name, legendNameRunes)
	}
	f.setStrip(labels, &eventStrip{rows: len(labels), marks: marks, cuts: cuts})

	var seen [markKinds]bool
	lag := false
	for _, m := range marks {
		seen[m.kind] = true
		lag = lag || m.lagTo > m.x
	}
	if len(marks) == 0 {
		return
	}
	f.addLegend("") // a blank line before the markers
	for k := range markKinds {
		if seen[k] {
			f.addLegend(markLabel(k), glyphThumb{markGlyph(k)})
		}
	}
	if lag {
		f.addLegend("until reached", lineThumb{lagLine()})
	}
}

// setStrip puts s under f's time axis, its rows named by labels from the
// top down (row 0 at the bottom), and moves the time labels to it.
func (f *figure) setStrip(labels []string, s *eventStrip) {
	n := len(labels)
	p := plot.New()
	styleAxis(&p.X)
	styleAxis(&p.Y)
	p.X.Min, p.X.Max = f.main.X.Min, f.main.X.Max
	p.X.Tick.Marker = f.main.X.Tick.Marker
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Tick.Label.Font = sansFont(stripSize)
	p.Y.Tick.Length = 0
	ticks := make(plot.ConstantTicks, n)
	for i, label := range labels {
		ticks[i] = plot.Tick{Value: float64(n - 1 - i), Label: label}
	}
	p.Y.Tick.Marker = ticks
	p.Add(s)
	f.main.X.Tick.Marker = unlabelled{f.main.X.Tick.Marker}
	f.strip, f.rows = p, n
}
