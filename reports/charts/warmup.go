package charts

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/scalesim/scalesim/reports"
)

// Each strategy's own warm-up cut (warmup: auto) is shaded in its colour:
// a translucent band from the start to the cut, edged by a line in the
// strategy's colour and dash at the cut, with a legend entry naming the
// strategy; its row of the event strip is shaded the same way. Every cut
// starts at the start of the run, so the bands overlap there: each is
// made fainter as there are more, so that together they shade no darker
// than one.

// cutOpacity is the opacity of one strategy's warm-up band, and of all
// the bands where they overlap.
const cutOpacity = 0.22

// cutNameRunes is the longest strategy name in a warm-up cut's legend
// entry, which carries words after it.
const cutNameRunes = 14

// cutOf returns strategy i's warm-up cut in minutes (0 for none): the
// cut of the summary of the same name.
func cutOf(r *reports.Result, d *data, i int) float64 {
	for _, s := range r.Strategies {
		if s.Name == d.names[i] && s.WarmupCutS > 0 {
			return s.WarmupCutS / 60
		}
	}
	return 0
}

// tint is the strategy colour c made translucent: with opacity
// cutOpacity, shared among k overlapping bands.
func tint(c color.Color, k int) color.Color {
	r, g, b, _ := c.RGBA()
	a := 1 - math.Pow(1-cutOpacity, 1/float64(max(k, 1)))
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(math.Round(255 * a))}
}

// cutCount is the number of strategies with a warm-up cut.
func cutCount(r *reports.Result, d *data) int {
	k := 0
	for i := range d.names {
		if cutOf(r, d, i) > 0 {
			k++
		}
	}
	return k
}

// cutEdge is the style of the line at the end of strategy i's cut.
func cutEdge(i int) draw.LineStyle { return lookFor(i).line(vg.Points(referenceLine)) }

// addCuts shades each strategy's warm-up cut behind the data of a time
// chart.
func addCuts(f *figure, r *reports.Result, d *data) {
	k := cutCount(r, d)
	for i := range d.names {
		if cut := cutOf(r, d, i); cut > 0 {
			f.main.Add(band{x0: 0, x1: cut, fill: tint(lookFor(i).color, k)}, vline{x: cut, line: cutEdge(i)})
		}
	}
}

// cutLegend adds a legend entry for each strategy's warm-up cut.
func cutLegend(f *figure, r *reports.Result, d *data) {
	for i, name := range d.names {
		if cutOf(r, d, i) > 0 {
			f.addLegend(shorten(name, cutNameRunes)+" warm-up cut", cutThumb{fill: tint(lookFor(i).color, 1), edge: cutEdge(i)})
		}
	}
}

// stripCuts returns the warm-up cut of each row of the event strip, in
// minutes (row 0 is the last strategy, as in stripMarks).
func stripCuts(r *reports.Result, d *data) []float64 {
	n := len(d.names)
	cuts := make([]float64, n)
	found := false
	for i := range d.names {
		cuts[n-1-i] = cutOf(r, d, i)
		found = found || cuts[n-1-i] > 0
	}
	if !found {
		return nil
	}
	return cuts
}

// plotCuts shades, in the event strip, each row's warm-up cut in its
// strategy's colour.
func (s *eventStrip) plotCuts(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	half := (trY(1) - trY(0)) * 0.4
	for row, cut := range s.cuts {
		if cut <= 0 {
			continue
		}
		y := trY(float64(row))
		x0, x1 := trX(0), trX(cut)
		c.FillPolygon(tint(lookFor(len(s.cuts)-1-row).color, 1), c.ClipPolygonX([]vg.Point{
			{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half},
		}))
	}
}

// cutThumb is the legend thumbnail of a warm-up cut: the band with its
// edge on the right.
type cutThumb struct {
	fill color.Color
	edge draw.LineStyle
}

// Thumbnail implements plot.Thumbnailer: the band over the first
// three quarters, its edge, then white before the label.
func (t cutThumb) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	x := r.Min.X + (r.Max.X-r.Min.X)*3/4
	c.FillPolygon(t.fill, []vg.Point{r.Min, {X: x, Y: r.Min.Y}, {X: x, Y: r.Max.Y}, {X: r.Min.X, Y: r.Max.Y}})
	c.StrokeLine2(t.edge, x, r.Min.Y, x, r.Max.Y)
}
