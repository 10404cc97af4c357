package charts

import (
	"image/color"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Type sizes, in points.
const (
	titleSize  = 12
	labelSize  = 10
	tickSize   = 9
	legendSize = 9
	stripSize  = 8 // strategy names beside the event strip
)

// Line widths, in points.
const (
	strategyWidth = 1.5
	trafficWidth  = 3
	pendingWidth  = 1
	referenceLine = 1 // SLO and other reference lines
	gridWidth     = 0.5
	glyphRadius   = 3
	markerRadius  = 3.2 // event markers in the strip
)

// sansFont is the face of every text in a chart: Liberation Sans, which is
// metric-compatible with Arial, so that SVG text laid out with its metrics
// still fits when a browser substitutes Arial or Helvetica.
func sansFont(size vg.Length) font.Font {
	return font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size)
}

// palette is the Okabe–Ito colour-blind-safe palette, reordered so that
// neighbours differ in lightness too, without its yellow (too faint on
// white) and black (kept for traffic and reference lines).
func palette() []color.Color {
	return []color.Color{
		rgb(0x00, 0x72, 0xB2), // blue
		rgb(0xD5, 0x5E, 0x00), // vermillion
		rgb(0x00, 0x9E, 0x73), // bluish green
		rgb(0xCC, 0x79, 0xA7), // reddish purple
		rgb(0xE6, 0x9F, 0x00), // orange
		rgb(0x56, 0xB4, 0xE9), // sky blue
		rgb(0x55, 0x55, 0x55), // dark grey
	}
}

// dashPatterns distinguish strategies when printed in grey: solid, dashed,
// dotted, dash-dot, long dash, dash-dot-dot.
func dashPatterns() [][]vg.Length {
	return [][]vg.Length{
		nil,
		{vg.Points(6), vg.Points(3)},
		{vg.Points(1.5), vg.Points(2)},
		{vg.Points(7), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)},
		{vg.Points(12), vg.Points(4)},
		{vg.Points(7), vg.Points(2), vg.Points(1.5), vg.Points(2), vg.Points(1.5), vg.Points(2)},
	}
}

// glyphShapes distinguish strategies by marker: filled and open shapes
// alternate so that neighbours differ in grey too.
func glyphShapes() []draw.GlyphDrawer {
	return []draw.GlyphDrawer{
		draw.CircleGlyph{},
		draw.SquareGlyph{},
		draw.PyramidGlyph{},
		draw.CrossGlyph{},
		draw.BoxGlyph{},
		draw.RingGlyph{},
		diamondGlyph{},
		draw.PlusGlyph{},
	}
}

// look is how one strategy is drawn in every chart.
type look struct {
	color color.Color
	dash  []vg.Length
	glyph draw.GlyphDrawer
}

// lookFor returns the look of the i-th strategy. Colour, dash and glyph
// cycle with different periods, so no two of the first 168 strategies look
// alike.
func lookFor(i int) look {
	p, d, g := palette(), dashPatterns(), glyphShapes()
	return look{color: p[i%len(p)], dash: d[i%len(d)], glyph: g[i%len(g)]}
}

// line returns the strategy's line style with width w.
func (l look) line(w vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: l.color, Width: w, Dashes: l.dash}
}

// glyphStyle returns the strategy's marker style.
func (l look) glyphStyle() draw.GlyphStyle {
	return draw.GlyphStyle{Color: l.color, Radius: vg.Points(glyphRadius), Shape: l.glyph}
}

// rgb is an opaque colour.
func rgb(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 0xFF} }

// ink is the colour of traffic and reference lines.
func ink() color.Color { return color.Black }

// gridGrey is the colour of grid lines.
func gridGrey() color.Color { return rgb(0xDD, 0xDD, 0xDD) }

// bandGrey is the fill of the warm-up band.
func bandGrey() color.Color { return rgb(0xEE, 0xEE, 0xEE) }

// diamondGlyph is a filled diamond.
type diamondGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.2
	c.FillPolygon(sty.Color, []vg.Point{
		{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y},
	})
}

// downTriangleGlyph is a filled triangle pointing down.
type downTriangleGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (downTriangleGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	c.FillPolygon(sty.Color, []vg.Point{
		{X: pt.X - r, Y: pt.Y + r*0.6}, {X: pt.X + r, Y: pt.Y + r*0.6}, {X: pt.X, Y: pt.Y - r},
	})
}

// upTriangleGlyph is a filled triangle pointing up.
type upTriangleGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (upTriangleGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	c.FillPolygon(sty.Color, []vg.Point{
		{X: pt.X - r, Y: pt.Y - r*0.6}, {X: pt.X + r, Y: pt.Y - r*0.6}, {X: pt.X, Y: pt.Y + r},
	})
}
