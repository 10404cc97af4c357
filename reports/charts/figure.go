package charts

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Layout, in points.
const (
	legendGap    = 10  // between the plot and the legend column
	legendMaxW   = 180 // the legend column is at most this wide
	stripGap     = 4   // between the plot and the event strip
	stripRowH    = 13  // one strategy's row in the event strip
	stripMaxFrac = 0.3 // the strip takes at most this share of the height
	marginPt     = 6   // around the whole figure
	labelPad     = 4   // between an axis label and its tick labels
)

// figure is one chart: a main plot, an optional event strip below it that
// shares its time axis, and a legend in a column on the right, outside the
// data, so it never covers a line.
//
// The figure draws the axis labels itself, centred on the data area:
// gonum/plot centres a label's padding box on the arithmetic middle of the
// range, which on a logarithmic axis is far off-centre and shrinks the data.
type figure struct {
	main           *plot.Plot
	strip          *plot.Plot // nil: no event strip
	rows           int        // strategies in the strip
	legend         plot.Legend
	xLabel, yLabel string
	xStyle, yStyle text.Style
}

// newFigure returns a figure whose main plot has the title and axis labels,
// a light grid, and the house fonts.
func newFigure(title, xLabel, yLabel string) *figure {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sansFont(titleSize)
	p.Title.Padding = vg.Points(6)
	styleAxis(&p.X)
	styleAxis(&p.Y)
	p.Y.Tick.Marker = commaTicks{}
	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: gridGrey(), Width: vg.Points(gridWidth)}
	grid.Horizontal = grid.Vertical
	p.Add(grid)
	leg := plot.NewLegend()
	leg.TextStyle.Font = sansFont(legendSize)
	leg.Top, leg.Left = true, true
	leg.ThumbnailWidth = vg.Points(24)
	leg.Padding = vg.Points(1.5)
	f := &figure{main: p, legend: leg, xLabel: xLabel, yLabel: yLabel,
		xStyle: p.X.Label.TextStyle, yStyle: p.Y.Label.TextStyle}
	f.yStyle.Rotation += math.Pi / 2
	return f
}

// styleAxis applies the house fonts to an axis.
func styleAxis(a *plot.Axis) {
	a.Label.TextStyle.Font = sansFont(labelSize)
	a.Tick.Label.Font = sansFont(tickSize)
	a.Padding = vg.Points(2)
}

// timeAxis makes the main plot's x axis a time axis of span minutes.
func (f *figure) timeAxis(span float64) {
	f.main.X.Min, f.main.X.Max = 0, max(span, 1)
	f.main.X.Tick.Marker = timeTicks{}
}

// addLegend adds a legend entry.
func (f *figure) addLegend(name string, thumbs ...plot.Thumbnailer) {
	f.legend.Add(name, thumbs...)
}

// draw lays the figure out on c and draws it.
func (f *figure) draw(c draw.Canvas) {
	c = draw.Crop(c, vg.Points(marginPt), -vg.Points(marginPt), vg.Points(marginPt), -vg.Points(marginPt))
	width := c.Max.X - c.Min.X
	legW := min(f.legend.Rectangle(c).Size().X, vg.Points(legendMaxW), width/3)
	full := draw.Crop(c, 0, -(legW + vg.Points(legendGap)), 0, 0)
	xh := f.xStyle.Height(f.xLabel) + vg.Points(labelPad)
	yw := f.yStyle.Height(f.yLabel) + vg.Points(labelPad)
	left := draw.Crop(full, yw, 0, xh, 0)
	top := left
	var bottom draw.Canvas
	if f.strip != nil {
		height := left.Max.Y - left.Min.Y
		stripH := min(vg.Points(stripRowH)*vg.Length(f.rows)+stripAxisHeight(f.strip), height*stripMaxFrac)
		top = draw.Crop(left, 0, 0, stripH+vg.Points(stripGap), 0)
		bottom = draw.Crop(left, 0, 0, 0, -(height - stripH))
		top, bottom = alignX(f.main, top, f.strip, bottom)
	}
	f.main.Draw(top)
	if f.strip != nil {
		f.strip.Draw(bottom)
	}
	data := f.main.DataCanvas(top)
	lowest := data
	if f.strip != nil {
		lowest = f.strip.DataCanvas(bottom)
	}
	desc := f.yStyle.FontExtents().Descent
	full.FillText(f.yStyle, vg.Point{X: full.Min.X + f.yStyle.Height(f.yLabel) - desc, Y: data.Center().Y}, f.yLabel)
	desc = f.xStyle.FontExtents().Descent
	full.FillText(f.xStyle, vg.Point{X: lowest.Center().X, Y: full.Min.Y + desc}, f.xLabel)
	legC := draw.Crop(c, width-legW, 0, 0, 0)
	legC.Max.Y = data.Max.Y
	f.legend.Draw(legC)
}

// stripAxisHeight is the height the strip's time axis takes below its rows.
func stripAxisHeight(p *plot.Plot) vg.Length {
	return vg.Points(tickSize) + p.X.Tick.Length + vg.Points(6)
}

// alignX narrows a or b so that their data areas start and end at the same
// x: the event strip's minutes lie exactly under the plot's.
func alignX(pa *plot.Plot, a draw.Canvas, pb *plot.Plot, b draw.Canvas) (draw.Canvas, draw.Canvas) {
	for range 2 { // padding depends slightly on the width: settle twice
		da, db := pa.DataCanvas(a), pb.DataCanvas(b)
		if d := da.Min.X - db.Min.X; d > 0 {
			b = draw.Crop(b, d, 0, 0, 0)
		} else if d < 0 {
			a = draw.Crop(a, -d, 0, 0, 0)
		}
		if d := da.Max.X - db.Max.X; d < 0 {
			b = draw.Crop(b, 0, d, 0, 0)
		} else if d > 0 {
			a = draw.Crop(a, 0, -d, 0, 0)
		}
	}
	return a, b
}
