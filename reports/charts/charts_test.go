package charts_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/queueing"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/sim/simtest"
)

var (
	update = flag.Bool("update", false, "rewrite the golden files in testdata")
	pngDir = flag.String("png", "", "also write the fixed run's charts as PNG files to this directory, to look at")
)

// Pixel size of a PNG chart: 8 × 4.5 in at 96 dpi.
const (
	wantWidthPx  = 768
	wantHeightPx = 432
)

// minute returns the time m minutes after the start.
func minute(m float64) sim.Time { return sim.Time(m * float64(sim.Minute)) }

// fixedResult is a small hand-made run: twenty minutes, a traffic step at
// minute 8, an ASG that scales out and back, a vertical strategy that
// resizes (serving nothing for two minutes) and a static fleet that loses an
// instance and a zone. Latencies span more than 50×, so the p99 axis is
// logarithmic.
func fixedResult() *reports.Result {
	r := &reports.Result{
		SchemaVersion: reports.SchemaVersion, Scenario: "charts-demo", Seed: 7,
		DurationS: 1200, WarmupS: 120, SLOLatencyMS: 300, Replications: 1, ServiceMeanS: 0.05,
		Strategies: []reports.StrategySummary{
			{Name: "asg", Type: "horizontal"}, {Name: "resize", Type: "vertical"}, {Name: "static", Type: "static"},
		},
	}
	for i, name := range []string{"asg", "resize", "static"} {
		cost := 0.0
		for m := range 20 {
			rate := 300.0
			if m >= 8 {
				rate = 1200
			}
			row := reports.MinuteRow{Strategy: name, Minute: m, Arrivals: int64(rate * 60), P50MS: 40, P99MS: 180}
			switch name {
			case "asg":
				row.InstancesInService = 4
				if m >= 12 {
					row.InstancesInService = 12
				} else if m >= 9 {
					row.InstancesPending = 8
				}
			case "resize":
				row.InstancesInService = 1
				if m == 10 || m == 11 {
					row.InstancesInService = 0
				}
			case "static":
				row.InstancesInService = 6
			}
			row.Slots = 4 * row.InstancesInService
			if name == "resize" && m >= 12 {
				row.Slots = 16
			}
			row.Demand = queueing.DemandSlots(rate, r.ServiceMeanS, r.SLOLatencyMS/1000)
			capacity := float64(row.Slots) / r.ServiceMeanS
			row.Completed = int64(min(rate, capacity) * 60)
			row.Errors = int64(rate*60) - row.Completed
			if row.Errors > 0 {
				row.P99MS = 12000 * (1 + float64(i))
			}
			if row.Completed == 0 {
				row.P50MS, row.P99MS = 0, 0
			}
			cost += 0.01 * float64(row.InstancesInService+row.InstancesPending)
			row.CostUSD = cost
			row.Utilization = 0.5
			r.Series = append(r.Series, row)
		}
	}
	r.Decisions = []reports.DecisionRecord{
		{Strategy: "asg", At: 0, From: 0, To: 4, ReachedAt: minute(1)},
		{Strategy: "asg", At: minute(9), From: 4, To: 12, ReachedAt: minute(12)},
		{Strategy: "asg", At: minute(17.5), From: 12, To: 10, ReachedAt: -1},
		{Strategy: "resize", At: minute(9.5), From: 1, To: 1, InstanceType: "m5.4xlarge", ReachedAt: minute(12)},
	}
	r.Events = []reports.EventRecord{
		{Strategy: "resize", At: minute(9.5), Kind: "resize", Detail: "stop/start resize m5.xlarge → m5.4xlarge"},
		{Strategy: "resize", At: minute(11.8), Kind: "resized", Detail: "now serving on m5.4xlarge"},
		{Strategy: "static", At: minute(5), Kind: "failure", Detail: "instance 3 failed"},
		{Strategy: "static", At: minute(15), Kind: "zone_down", Detail: "zone b is out"},
	}
	for i, name := range []string{"asg", "resize", "static"} {
		scale := 1 + float64(i)
		r.Distributions = append(r.Distributions, reports.LatencyCDF{Strategy: name, Points: []reports.CDFPoint{
			{LatencyMS: 10 * scale, Fraction: 0.01}, {LatencyMS: 40 * scale, Fraction: 0.5},
			{LatencyMS: 150 * scale, Fraction: 0.9}, {LatencyMS: 900 * scale, Fraction: 0.99}, {LatencyMS: 2500 * scale, Fraction: 1},
		}})
	}
	return r
}

func TestNames(t *testing.T) {
	want := []string{"traffic", "latency_p99", "instances", "supply_demand", "cost", "latency_cdf", "errors"}
	if got := charts.Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	for _, name := range want {
		if charts.Title(name) == "" || charts.Caption(name) == "" {
			t.Errorf("chart %s has no title or no caption", name)
		}
	}
	if charts.Title("nope") != "" || charts.Caption("nope") != "" {
		t.Error("an unknown chart has a title or a caption")
	}
}

// TestRenderEveryChart: every chart renders to PNG of the expected size
// and to well-formed SVG naming every strategy.
func TestRenderEveryChart(t *testing.T) {
	r := fixedResult()
	for _, name := range charts.Names() {
		t.Run(name, func(t *testing.T) {
			pngBytes := render(t, r, name, "png")
			checkPNG(t, pngBytes)
			if *pngDir != "" {
				if err := os.WriteFile(filepath.Join(*pngDir, name+".png"), pngBytes, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			svg := render(t, r, name, "svg")
			checkSVG(t, svg, r)
		})
	}
}

// render renders a chart or fails the test.
func render(t *testing.T, r *reports.Result, name, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := charts.Render(&buf, r, name, format); err != nil {
		t.Fatalf("Render(%s, %s): %v", name, format, err)
	}
	if buf.Len() == 0 {
		t.Fatalf("Render(%s, %s) wrote nothing", name, format)
	}
	return buf.Bytes()
}

// checkPNG decodes a PNG and checks its size.
func checkPNG(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if got := img.Bounds().Size(); got.X != wantWidthPx || got.Y != wantHeightPx {
		t.Errorf("PNG is %dx%d, want %dx%d", got.X, got.Y, wantWidthPx, wantHeightPx)
	}
}

// checkSVG parses an SVG as XML and checks its root and its text.
func checkSVG(t *testing.T, b []byte, r *reports.Result) {
	t.Helper()
	root, err := wellFormed(b)
	if err != nil {
		t.Fatalf("SVG is not well-formed XML: %v", err)
	}
	if root.Name.Local != "svg" || attr(root, "width") != "576pt" || attr(root, "height") != "324pt" {
		t.Errorf("SVG root <%s width=%q height=%q>, want <svg width=\"576pt\" height=\"324pt\">",
			root.Name.Local, attr(root, "width"), attr(root, "height"))
	}
	for _, s := range r.Strategies {
		if !bytes.Contains(b, []byte(">"+s.Name)) {
			t.Errorf("SVG does not name strategy %q", s.Name)
		}
	}
}

// wellFormed decodes every token of an XML document strictly and returns
// its root element.
func wellFormed(b []byte) (xml.StartElement, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root xml.StartElement
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if depth != 0 {
				return root, fmt.Errorf("%d elements left open", depth)
			}
			return root, nil
		}
		if err != nil {
			return root, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if root.Name.Local != "" {
					return root, fmt.Errorf("second root element <%s>", e.Name.Local)
				}
				root = e.Copy()
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

// attr returns the value of the attribute name of e.
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// TestRenderGoldenSVG pins each chart of the fixed run as SVG text.
func TestRenderGoldenSVG(t *testing.T) {
	r := fixedResult()
	for _, name := range charts.Names() {
		simtest.Golden(t, filepath.Join("testdata", name+".svg.golden"), render(t, r, name, "svg"), *update)
	}
}

// TestRenderDeterministic: the same result gives the same bytes.
func TestRenderDeterministic(t *testing.T) {
	for _, format := range []string{"png", "svg"} {
		a := render(t, fixedResult(), "traffic", format)
		b := render(t, fixedResult(), "traffic", format)
		if !bytes.Equal(a, b) {
			t.Errorf("two %s renderings of the same result differ", format)
		}
	}
}

// TestRenderMarksAndScales: the markers, the SLO and the log axis appear
// where the data calls for them, and not elsewhere.
func TestRenderMarksAndScales(t *testing.T) {
	r := fixedResult()
	traffic := string(render(t, r, "traffic", "svg"))
	for _, want := range []string{"scale-out decision", "scale-in decision", "resize decision", "instance failure",
		"zone outage", "until reached", "arrivals", "warm-up (not measured)", "time since start (hh:mm)", ">00:15<"} {
		if !strings.Contains(traffic, want) {
			t.Errorf("traffic chart lacks %q", want)
		}
	}
	p99 := string(render(t, r, "latency_p99", "svg"))
	if !strings.Contains(p99, "p99 latency (ms, log scale)") || !strings.Contains(p99, "SLO 300 ms") {
		t.Error("p99 chart of a wide range lacks its log axis or SLO line")
	}
	if cost := string(render(t, r, "cost", "svg")); strings.Contains(cost, "scale-out decision") {
		t.Error("cost chart has an event strip")
	}

	narrow := fixedResult()
	narrow.Decisions, narrow.Events = nil, nil
	for i := range narrow.Series {
		narrow.Series[i].P99MS = 100 + float64(i%7)
	}
	p99 = string(render(t, narrow, "latency_p99", "svg"))
	if strings.Contains(p99, "log scale") {
		t.Error("p99 chart of a narrow range is logarithmic")
	}
	if strings.Contains(p99, "scale-out decision") {
		t.Error("a run without decisions or events has an event strip")
	}
}

// TestRenderDegenerate: empty and partial results render without panic.
func TestRenderDegenerate(t *testing.T) {
	noCompletions := fixedResult()
	for i := range noCompletions.Series {
		if noCompletions.Series[i].Strategy == "static" {
			noCompletions.Series[i].Completed, noCompletions.Series[i].P50MS, noCompletions.Series[i].P99MS = 0, 0, 0
		}
	}
	noCompletions.Distributions[2].Points = nil
	noCapacity := fixedResult()
	noCapacity.ServiceMeanS = 0
	cases := map[string]*reports.Result{
		"empty":               {},
		"strategies only":     {Strategies: []reports.StrategySummary{{Name: "a"}, {Name: "b"}}, DurationS: 600},
		"no completions":      noCompletions,
		"no service time":     noCapacity,
		"one minute":          {Series: []reports.MinuteRow{{Strategy: "x", Arrivals: 10, Completed: 10, P99MS: 5}}},
		"series without name": {Series: []reports.MinuteRow{{Minute: 3, Arrivals: 10}}},
	}
	for _, name := range []string{"empty", "strategies only", "no completions", "no service time", "one minute", "series without name"} {
		r := cases[name]
		t.Run(name, func(t *testing.T) {
			for _, chart := range charts.Names() {
				checkPNG(t, render(t, r, chart, "png"))
				if _, err := wellFormed(render(t, r, chart, "svg")); err != nil {
					t.Errorf("%s: SVG is not well-formed: %v", chart, err)
				}
			}
		})
	}
	if svg := string(render(t, noCompletions, "latency_cdf", "svg")); !strings.Contains(svg, "static (no completions)") {
		t.Error("CDF legend does not say that static completed nothing")
	}
	if svg := string(render(t, noCapacity, "traffic", "svg")); !strings.Contains(svg, "Traffic and requests served") {
		t.Error("traffic chart without a service time does not fall back to requests served")
	}
}

func TestRenderErrors(t *testing.T) {
	var buf bytes.Buffer
	for _, tc := range []struct {
		r            *reports.Result
		name, format string
	}{
		{nil, "traffic", "svg"},
		{fixedResult(), "pie", "svg"},
		{fixedResult(), "traffic", "gif"},
	} {
		if err := charts.Render(&buf, tc.r, tc.name, tc.format); err == nil {
			t.Errorf("Render(%s, %s) with result %v: no error", tc.name, tc.format, tc.r != nil)
		}
	}
	if err := charts.Render(failingWriter{}, fixedResult(), "cost", "png"); err == nil {
		t.Error("Render to a failing writer: no error")
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// translucentBands returns, by fill colour, the x extent (min, max) of the
// widest translucent filled path of an SVG chart: a warm-up cut's band.
func translucentBands(svg string) map[string][2]float64 {
	re := regexp.MustCompile(`<path d="([^"]*)" style="fill:(#[0-9A-Fa-f]{6});fill-opacity:0\.[0-9]+"`)
	num := regexp.MustCompile(`[ML](-?[0-9.]+),`)
	out := map[string][2]float64{}
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range num.FindAllStringSubmatch(m[1], -1) {
			v, err := strconv.ParseFloat(x[1], 64)
			if err != nil {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if old, ok := out[m[2]]; !ok || hi-lo > old[1]-old[0] {
			out[m[2]] = [2]float64{lo, hi}
		}
	}
	return out
}

// TestRenderWarmupCuts: each strategy's own warm-up cut (warmup: auto) is
// a translucent band in its colour from the start to its cut, named in
// the legend; a strategy without a cut has none, and a run without cuts
// has no such band at all.
func TestRenderWarmupCuts(t *testing.T) {
	r := fixedResult()
	r.WarmupS = 0                    // warmup: auto has no scenario warm-up
	r.Strategies[0].WarmupCutS = 300 // asg: 5 minutes
	r.Strategies[2].WarmupCutS = 600 // static: 10 minutes
	for _, name := range []string{"traffic", "latency_p99", "instances", "cost", "errors"} {
		svg := string(render(t, r, name, "svg"))
		for _, want := range []string{">asg warm-up cut<", ">static warm-up cut<"} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s: the legend lacks %q", name, want)
			}
		}
		if strings.Contains(svg, "resize warm-up cut") || strings.Contains(svg, "warm-up (not measured)") {
			t.Errorf("%s: a band for a strategy without a cut, or for a scenario without a warm-up", name)
		}
		bands := translucentBands(svg)
		if len(bands) != 2 {
			t.Fatalf("%s: %d translucent colours, want one band per cut: %v", name, len(bands), bands)
		}
		var widths []float64
		for _, b := range bands {
			widths = append(widths, b[1]-b[0])
		}
		slices.Sort(widths)
		// Both bands start at the start of the run: their widths are as
		// the cuts, 5 and 10 minutes.
		if got := widths[0] / widths[1]; math.Abs(got-0.5) > 0.01 {
			t.Errorf("%s: band widths %v, ratio %.3f, want 0.5 (cuts of 5 and 10 minutes)", name, widths, got)
		}
	}
	if p99 := string(render(t, r, "latency_p99", "svg")); !strings.Contains(p99, ">asg<") {
		t.Error("the event strip does not name the strategies beside their cuts")
	}
	if bands := translucentBands(string(render(t, fixedResult(), "traffic", "svg"))); len(bands) != 0 {
		t.Errorf("a run without cuts has translucent bands %v", bands)
	}
	if *pngDir != "" {
		for _, name := range []string{"traffic", "cost"} {
			if err := os.WriteFile(filepath.Join(*pngDir, "cuts-"+name+".png"), render(t, r, name, "png"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSupplyDemandLegend: the demand's legend names the rule that sized
// it, the M/M/c p99 within the SLO or, where no fleet reaches that (a mean
// service time of 80 ms has a p99 of 368 ms on its own), at most 1% of
// requests waiting.
func TestSupplyDemandLegend(t *testing.T) {
	r := fixedResult()
	if svg := render(t, r, "supply_demand", "svg"); !bytes.Contains(svg, []byte("demand (M/M/c p99 ≤ SLO)")) {
		t.Error("the supply_demand chart of a reachable SLO does not name the p99 rule")
	}
	r.ServiceMeanS = 0.08
	if svg := render(t, r, "supply_demand", "svg"); !bytes.Contains(svg, []byte("demand (M/M/c: ≤ 1% wait)")) {
		t.Error("the supply_demand chart of an unreachable SLO does not name the 1% wait rule")
	}
}
