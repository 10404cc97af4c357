package charts

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/scalesim/scalesim/reports"
)

// The size of every chart: 8 × 4.5 inches, which a PNG renders at DPI
// dots per inch (768 × 432 pixels).
const (
	WidthIn  = 8
	HeightIn = 4.5
	DPI      = 96
)

// chart is one chart: its name, title, caption and builder.
type chart struct {
	name  string
	title string
	// caption tells a reader of the report how to read the chart.
	caption string
	build   func(r *reports.Result, d *data, title string) *figure
}

// catalogue lists the charts in report order.
func catalogue() []chart {
	return []chart{
		{"traffic", "Traffic and serving capacity",
			"Arrivals per second (bold black, the same for every strategy) against each strategy's serving capacity: " +
				"the worker slots in service divided by the mean service time. Where the black line is above a strategy's, " +
				"that strategy was short of capacity and queued or refused the difference.",
			traffic},
		{"latency_p99", "p99 latency per minute",
			"The 99th-percentile latency of the requests completed in each minute; the dashed line is the SLO. " +
				"A gap is a minute in which nothing completed.",
			latencyP99},
		{"instances", "Instances in service and pending",
			"Instances in service (solid) and launching (dotted) at the end of each minute. " +
				"The distance between a scale-out mark below and the rise of the solid line is the time capacity took to arrive. " +
				"A kubernetes strategy's instances are its pods (its nodes are in timeseries.csv, nodes_in_service and nodes_pending).",
			instances},
		{"supply_demand", "Worker slots: supply against demand",
			"The worker slots each minute's traffic asked for (bold black, the same for every strategy: the fewest slots that keep " +
				"the M/M/c p99 response time within the SLO or, where no number can, with which at most 1% of requests wait) " +
				"against each strategy's slots in service at the minute's end. " +
				"Below the black line a strategy was under-provisioned, above it over-provisioned: the elasticity figures measure both.",
			supplyDemand},
		{"cost", "Cumulative cost",
			"What each strategy had cost so far: compute, plus the load balancer or the stream.",
			cost},
		{"latency_cdf", "Latency distribution (CDF)",
			"The share of completed requests (up) that finished within a latency (across, log scale): " +
				"further left and steeper is faster and steadier. The dashed line is the SLO.",
			latencyCDF},
		{"errors", "Errors per minute (rejected, timed out, dropped)",
			"Requests refused (queue full), timed out or dropped in each minute.",
			errorsChart},
	}
}

// Names returns the names of the charts Render draws, in report order:
// traffic, latency_p99, instances, supply_demand, cost, latency_cdf,
// errors.
func Names() []string {
	var names []string
	for _, c := range catalogue() {
		names = append(names, c.name)
	}
	return names
}

// Title returns the title of the named chart, or "" for an unknown name.
func Title(name string) string {
	c, _ := lookup(name)
	return c.title
}

// Caption returns how to read the named chart, or "" for an unknown name.
func Caption(name string) string {
	c, _ := lookup(name)
	return c.caption
}

// lookup returns the named chart of the catalogue.
func lookup(name string) (chart, bool) {
	all := catalogue()
	i := slices.IndexFunc(all, func(c chart) bool { return c.name == name })
	if i < 0 {
		return chart{}, false
	}
	return all[i], true
}

// Render draws the named chart of r and writes it to w in format "png" or
// "svg". It reads r and never changes it; the same r gives the same bytes.
// Every strategy is drawn with its own colour, dash pattern and marker, so
// the chart stays readable in grey; the legend sits right of the data.
func Render(w io.Writer, r *reports.Result, name, format string) error {
	if r == nil {
		return fmt.Errorf("chart %s: no result", name)
	}
	ch, ok := lookup(name)
	if !ok {
		return fmt.Errorf("chart %q: unknown (charts: %s)", name, strings.Join(Names(), ", "))
	}
	if err := writeFigure(w, format, func() *figure { return ch.build(r, regroup(r), ch.title) }); err != nil {
		return fmt.Errorf("chart %s: %w", name, err)
	}
	return nil
}

// writeFigure draws the figure build returns on a chart-sized white canvas
// and writes it to w in format "png" or "svg".
func writeFigure(w io.Writer, format string, build func() *figure) error {
	canvas, err := newCanvas(format)
	if err != nil {
		return err
	}
	dc := draw.New(canvas)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	build().draw(dc)
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return fmt.Errorf("render %s: %w", format, err)
	}
	out := buf.Bytes()
	if format == "svg" {
		out = svgFontFallback(out)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write %s: %w", format, err)
	}
	return nil
}

// svgFontFallback lets a viewer without Liberation Sans use a
// metric-compatible face (Arial, Helvetica) rather than its default serif.
func svgFontFallback(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:Liberation Sans,Arial,Helvetica,sans-serif;"))
}

// newCanvas returns an empty chart-sized canvas for format "png" or "svg".
func newCanvas(format string) (vg.CanvasWriterTo, error) {
	width, height := vg.Length(WidthIn)*vg.Inch, vg.Length(HeightIn)*vg.Inch
	switch format {
	case "png":
		return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI),
			vgimg.UseBackgroundColor(color.White))}, nil
	case "svg":
		return vgsvg.New(width, height), nil
	}
	return nil, fmt.Errorf("unknown format %q (want png or svg)", format)
}
