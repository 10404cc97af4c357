package charts

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// xy is one point of a series.
type xy struct{ x, y float64 }

// series is a polyline with gaps and sparse markers: a point whose y is NaN
// (or, with positive set, not above zero, for a log axis) breaks the line.
// It implements plotter.XYer, plot.Plotter, plot.DataRanger and
// plot.Thumbnailer.
type series struct {
	pts      []xy
	line     draw.LineStyle
	glyph    draw.GlyphStyle // no Shape: no markers
	every    int             // a marker on every every-th point...
	offset   int             // ...starting at this one
	positive bool            // only y > 0 is drawn (log axis)
}

var _ plotter.XYer = (*series)(nil)

// Len implements plotter.XYer.
func (s *series) Len() int { return len(s.pts) }

// XY implements plotter.XYer.
func (s *series) XY(i int) (x, y float64) { return s.pts[i].x, s.pts[i].y }

// drawn reports whether point p is drawn.
func (s *series) drawn(p xy) bool {
	ok := !math.IsNaN(p.y) && !math.IsInf(p.y, 0) && !math.IsNaN(p.x)
	if s.positive {
		ok = ok && p.y > 0
	}
	return ok
}

// Plot implements plot.Plotter.
func (s *series) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	var lines [][]vg.Point
	var cur []vg.Point
	for _, p := range s.pts {
		if !s.drawn(p) {
			if len(cur) > 0 {
				lines = append(lines, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, vg.Point{X: trX(p.x), Y: trY(p.y)})
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	for _, l := range lines {
		if len(l) == 1 { // an isolated point: a short tick so it shows
			l = []vg.Point{{X: l[0].X - s.line.Width, Y: l[0].Y}, {X: l[0].X + s.line.Width, Y: l[0].Y}}
		}
		c.StrokeLines(s.line, c.ClipLinesXY(l)...)
	}
	if s.glyph.Shape == nil || s.every <= 0 {
		return
	}
	for i := s.offset; i < len(s.pts); i += s.every {
		if p := s.pts[i]; s.drawn(p) {
			c.DrawGlyph(s.glyph, vg.Point{X: trX(p.x), Y: trY(p.y)})
		}
	}
}

// DataRange implements plot.DataRanger over the drawn points.
func (s *series) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, p := range s.pts {
		if !s.drawn(p) {
			continue
		}
		xmin, xmax = math.Min(xmin, p.x), math.Max(xmax, p.x)
		ymin, ymax = math.Min(ymin, p.y), math.Max(ymax, p.y)
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer: the line with its marker.
func (s *series) Thumbnail(c *draw.Canvas) {
	thumbLine(c, s.line)
	if s.glyph.Shape != nil {
		c.DrawGlyph(s.glyph, c.Center())
	}
}

// thumbLine draws a legend thumbnail's line across the middle of c.
func thumbLine(c *draw.Canvas, sty draw.LineStyle) {
	y := c.Center().Y
	c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
}

// markerEvery returns the spacing of markers on a series of n points, for
// about eight markers, and strategy i's offset, so that the markers of
// different strategies do not fall on the same minutes.
func markerEvery(n, i, strategies int) (every, offset int) {
	every = max(1, n/8)
	offset = (every/2 + i*every/max(1, strategies)) % every
	return every, offset
}

// hline is a horizontal reference line across the whole plot at y.
type hline struct {
	y    float64
	line draw.LineStyle
}

// Plot implements plot.Plotter.
func (h hline) Plot(c draw.Canvas, plt *plot.Plot) {
	_, trY := plt.Transforms(&c)
	y := trY(h.y)
	if c.ContainsY(y) {
		c.StrokeLine2(h.line, c.Min.X, y, c.Max.X, y)
	}
}

// DataRange implements plot.DataRanger: only y, so the line stays in view.
func (h hline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.y, h.y
}

// Thumbnail implements plot.Thumbnailer.
func (h hline) Thumbnail(c *draw.Canvas) { thumbLine(c, h.line) }

// vline is a vertical reference line across the whole plot at x.
type vline struct {
	x    float64
	line draw.LineStyle
}

// Plot implements plot.Plotter.
func (v vline) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	x := trX(v.x)
	if c.ContainsX(x) {
		c.StrokeLine2(v.line, x, c.Min.Y, x, c.Max.Y)
	}
}

// DataRange implements plot.DataRanger: only x, so the line stays in view.
func (v vline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.x, v.x, math.Inf(1), math.Inf(-1)
}

// Thumbnail implements plot.Thumbnailer.
func (v vline) Thumbnail(c *draw.Canvas) { thumbLine(c, v.line) }

// band shades the plot between x0 and x1 (the warm-up), behind the data.
type band struct {
	x0, x1 float64
	fill   color.Color
}

// Plot implements plot.Plotter.
func (b band) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	x0, x1 := trX(b.x0), trX(b.x1)
	c.FillPolygon(b.fill, c.ClipPolygonX([]vg.Point{
		{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y},
	}))
}

// Thumbnail implements plot.Thumbnailer.
func (b band) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(b.fill, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

// glyphThumb is a legend thumbnail showing one marker.
type glyphThumb struct{ sty draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(g.sty, c.Center()) }

// lineThumb is a legend thumbnail showing a line style.
type lineThumb struct{ sty draw.LineStyle }

// Thumbnail implements plot.Thumbnailer.
func (l lineThumb) Thumbnail(c *draw.Canvas) { thumbLine(c, l.sty) }
