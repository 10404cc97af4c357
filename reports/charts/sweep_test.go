package charts_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
)

// paretoSweep is a 2 × 2 sweep of two strategies with a latency SLO and a
// cost SLO.
func paretoSweep() *reports.Sweep {
	grid := []reports.Axis{{Path: "strategies.fixed.count", Values: []string{"4", "6"}}, {Path: "workload.rate", Values: []string{"300", "350"}}}
	s := &reports.Sweep{Scenario: "tiny", DurationS: 600, SLOLatencyMS: 300, Replications: 1, Grid: grid,
		SLO: []reports.SLOClause{{Key: "latency_ms.p99", Op: "<=", Value: 300}, {Key: "cost_usd.total", Op: "<=", Value: 0.08}}}
	costs := []float64{0.044, 0.045, 0.063, 0.064}
	p99s := []float64{1300, 18000, 260, 300}
	for k := range 4 {
		mk := func(name string, f float64) reports.StrategySummary {
			return reports.StrategySummary{Name: name, Requests: reports.Requests{Arrived: 100, Completed: 100},
				LatencyMS: reports.Latency{P99: p99s[k] * f}, CostUSD: reports.Cost{Total: costs[k] * f}}
		}
		s.Points = append(s.Points, reports.SweepPoint{Index: k, Vary: reports.GridPoint(grid, k),
			Strategies: []reports.StrategySummary{mk("fixed", 1), mk("big<&>", 1.3)}})
	}
	return s
}

func renderSweep(t *testing.T, s *reports.Sweep, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := charts.RenderSweep(&buf, s, format); err != nil {
		t.Fatalf("RenderSweep(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestRenderSweep(t *testing.T) {
	s := paretoSweep()
	svg := renderSweep(t, s, "svg")
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
	}
	for _, want := range []string{"Cost against p99 latency: tiny", ">fixed<", ">big&lt;&amp;&gt;<", ">Pareto frontier<",
		">SLO p99 &lt;= 300 ms<", ">SLO cost &lt;= $0.08<", "total cost (USD)", "p99 latency (ms, log scale)"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if again := renderSweep(t, s, "svg"); !bytes.Equal(again, svg) {
		t.Error("the same sweep gives different SVG bytes")
	}
	img, err := png.Decode(bytes.NewReader(renderSweep(t, s, "png")))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 768 || got.Y != 432 {
		t.Errorf("PNG is %v, want 768×432", got)
	}

	// Without --slo the scenario's slo.latency is the line; a narrow
	// latency range keeps a linear axis.
	s.SLO = nil
	for i := range s.Points {
		for j := range s.Points[i].Strategies {
			s.Points[i].Strategies[j].LatencyMS.P99 = 200 + float64(10*i+j)
		}
	}
	svg = renderSweep(t, s, "svg")
	if !bytes.Contains(svg, []byte(">slo.latency 300 ms<")) || bytes.Contains(svg, []byte("log scale")) {
		t.Error("without an SLO clause: want the scenario's slo.latency line and a linear axis")
	}
}

func TestRenderSweepDegenerate(t *testing.T) {
	empty := &reports.Sweep{Scenario: "empty"}
	if svg := renderSweep(t, empty, "svg"); !bytes.Contains(svg, []byte("empty")) {
		t.Error("an empty sweep (a shard without points) renders without its title")
	}
	one := paretoSweep()
	one.Points = one.Points[:1]
	one.Points[0].Strategies = one.Points[0].Strategies[:1]
	renderSweep(t, one, "png")
	if err := charts.RenderSweep(io.Discard, paretoSweep(), "gif"); err == nil || !strings.Contains(err.Error(), `unknown format "gif"`) {
		t.Errorf("format gif: error %v", err)
	}
	if err := charts.RenderSweep(io.Discard, nil, "svg"); err == nil {
		t.Error("a nil sweep: want an error")
	}
}
