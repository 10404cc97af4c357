package charts

import (
	"bytes"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/plotter"

	"github.com/scalesim/scalesim/sim"
)

// TestRatePoints checks bins become a step line in requests per second,
// closed at the end of the last bin.
func TestRatePoints(t *testing.T) {
	r := Rate{Width: 2 * sim.Minute, Bins: []RateBin{{0, 240}, {120e9, 0}, {240e9, 12}}}
	want := plotter.XYs{{X: 0, Y: 2}, {X: 120, Y: 0}, {X: 240, Y: 0.1}, {X: 360, Y: 0.1}}
	if got := ratePoints(r); !slices.Equal(got, want) {
		t.Errorf("points %v, want %v", got, want)
	}
	if got := ratePoints(Rate{Width: sim.Second}); len(got) != 0 {
		t.Errorf("no bins: points %v", got)
	}
}

// TestRateWidth checks the automatic interval: the shortest candidate
// within RateAutoPoints points, a multiple of the trace's own interval,
// else the shortest within RateMaxPoints, else the trace's interval.
func TestRateWidth(t *testing.T) {
	cases := []struct {
		span, unit, want sim.Duration
		ok               bool
	}{
		{10 * sim.Minute, 0, sim.Second, true}, // 601 points
		{sim.Hour, 0, 10 * sim.Second, true},   // 1s gives 3601
		{30 * sim.Day, 0, sim.Hour, true},      // 15m gives 2881
		{sim.Hour, 5 * sim.Minute, 5 * sim.Minute, true},
		{36525 * sim.Day, 0, 6 * sim.Hour, true},         // 1d gives 36526 > 2000; 6h gives 146101
		{sim.Hour, 7 * sim.Minute, 7 * sim.Minute, true}, // no candidate is a multiple
		{math.MaxInt64, 0, sim.Day, true},                // 106,752 days
		{math.MaxInt64, 7 * sim.Minute, 0, false},
	}
	for _, c := range cases {
		if got, ok := RateWidth(c.span, c.unit); got != c.want || ok != c.ok {
			t.Errorf("RateWidth(%v, %v) = %v, %v; want %v, %v", c.span, c.unit, got, ok, c.want, c.ok)
		}
	}
}

// TestRenderRate draws a day of date-times as SVG and PNG, and seconds as
// SVG: the title, the axis labels, the size, and the same bytes twice.
func TestRenderRate(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	r := Rate{Name: "logs", Width: sim.Hour, DateTime: true, Span: sim.Day}
	for h := range 24 {
		r.Bins = append(r.Bins, RateBin{day + int64(h)*int64(sim.Hour), float64(h * 3600)})
	}
	var svg, again bytes.Buffer
	if err := RenderRate(&svg, r, "svg"); err != nil {
		t.Fatal(err)
	}
	s := svg.String()
	for _, want := range []string{"<svg", "Arrival rate, averaged per 1h0m0s: logs", "requests per second", "time (UTC)", ">03-01 08:00<"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	if err := RenderRate(&again, r, "svg"); err != nil || !bytes.Equal(again.Bytes(), svg.Bytes()) {
		t.Errorf("a second rendering differs (%v)", err)
	}
	var pngBuf bytes.Buffer
	if err := RenderRate(&pngBuf, r, "png"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&pngBuf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 768 || b.Dy() != 432 { // 8 × 4.5 in at 96 dpi
		t.Errorf("PNG is %v, want 768×432", b)
	}
	plain := Rate{Name: "t.txt", Width: sim.Second, Span: 3 * sim.Second, Bins: []RateBin{{0, 1}, {1e9, 2}}}
	svg.Reset()
	if err := RenderRate(&svg, plain, "svg"); err != nil || !strings.Contains(svg.String(), ">seconds<") {
		t.Errorf("plain seconds: %v; want the x axis labelled seconds", err)
	}
	if err := RenderRate(&svg, plain, "gif"); err == nil {
		t.Error("a gif chart rendered")
	}
}
