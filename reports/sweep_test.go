package reports

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim/simtest"
)

// row builds a strategy summary with the figures the sweep reports use.
func row(name string, cost, p99, success float64) StrategySummary {
	return StrategySummary{
		Name: name, Type: "static",
		Requests:  Requests{Arrived: 1000, Completed: int64(1000 * success), Rejected: 1000 - int64(1000*success)},
		LatencyMS: Latency{Mean: p99 / 3, P50: p99 / 4, P90: p99 / 2, P99: p99, P999: p99 * 1.5, Max: p99 * 2},
		Availability: Availability{SuccessRatio: success, SLOAttainment: success * 0.99, MinutesMeetingSLO: success,
			ServedWithinSLO: success * 0.98, Served: success * 0.999},
		CostUSD:  Cost{Total: cost, Compute: cost * 0.9, LoadBalancer: cost * 0.1},
		Capacity: Capacity{InstancesMin: 2, InstancesMax: 4, InstanceHours: 3.3333333, MeanUtilization: 0.612345678},
	}
}

// testSweep is a 3 × 2 grid with two strategies per point. Costs and p99s
// are chosen so the frontier is known by hand:
//
//	point  vary         a (cost, p99)   b (cost, p99)
//	0      n=2 t=100ms  (2, 900)        (2.5, 950)
//	1      n=2 t=1s     (2, 800)        (2.5, 800)
//	2      n=4 t=100ms  (4, 300)        (3, 500)
//	3      n=4 t=1s     (4, 300)        (3.5, 400)
//	4      n=6 t=100ms  (6, 200)        (6, 250)
//	5      n=6 t=1s     (6.0000001, 200) (nothing completes)
//
// Frontier, cheapest first: 1/a (2, 800), 2/b (3, 500), 3/b (3.5, 400),
// 2/a and 3/a (4, 300: equal, both kept), 4/a (6, 200), and 5/a, whose
// cost rounds to 6 at 6 significant digits (equal to 4/a, so kept).
func testSweep() *Sweep {
	grid := []Axis{{Path: "strategies.a.count", Values: []string{"2", "4", "6"}}, {Path: "service.timeout", Values: []string{"100ms", "1s"}}}
	costs := [][2]float64{{2, 2.5}, {2, 2.5}, {4, 3}, {4, 3.5}, {6, 6}, {6.0000001, 7}}
	p99s := [][2]float64{{900, 950}, {800, 800}, {300, 500}, {300, 400}, {200, 250}, {200, 100}}
	s := &Sweep{Scenario: "test", Seed: 7, DurationS: 3600, WarmupS: 300, SLOLatencyMS: 300, Replications: 1, Grid: grid}
	for k := range 6 {
		p := SweepPoint{Index: k, Vary: GridPoint(grid, k),
			Strategies: []StrategySummary{row("a", costs[k][0], p99s[k][0], 0.9995), row("b", costs[k][1], p99s[k][1], 0.998)}}
		if k == 5 {
			p.Strategies[1].Requests = Requests{Arrived: 10, Rejected: 10}
		}
		s.Points = append(s.Points, p)
	}
	return s
}

func TestGridPoint(t *testing.T) {
	grid := []Axis{{Path: "a", Values: []string{"1", "2"}}, {Path: "b", Values: []string{"x", "y", "z"}}}
	want := []string{"a=1, b=x", "a=1, b=y", "a=1, b=z", "a=2, b=x", "a=2, b=y", "a=2, b=z"}
	if n := GridSize(grid, 100); n != 6 {
		t.Fatalf("GridSize = %d, want 6", n)
	}
	for k, w := range want {
		if got := GridPoint(grid, k).String(); got != w {
			t.Errorf("point %d = %q, want %q", k, got, w)
		}
	}
	if n := GridSize([]Axis{{Values: make([]string, 1000)}, {Values: make([]string, 1000)}}, 10_000); n != 10_001 {
		t.Errorf("GridSize saturates at limit+1: got %d", n)
	}
}

func TestPareto(t *testing.T) {
	got := testSweep().Pareto()
	want := []ParetoPoint{
		{1, "a", 2, 800}, {2, "b", 3, 500}, {3, "b", 3.5, 400},
		{2, "a", 4, 300}, {3, "a", 4, 300}, {4, "a", 6, 200}, {5, "a", 6, 200},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Pareto =\n%v\nwant\n%v", got, want)
	}
	if got := (&Sweep{}).Pareto(); got == nil || len(got) != 0 {
		t.Errorf("empty sweep: Pareto = %#v, want an empty, non-nil slice", got)
	}
}

func TestParseSLO(t *testing.T) {
	good := []struct {
		in   string
		want []SLOClause
	}{
		{"latency_ms.p99<=300", []SLOClause{{"latency_ms.p99", "<=", 300}}},
		{" latency_ms.p99 < 250ms , availability.success_ratio>=0.999", []SLOClause{{"latency_ms.p99", "<", 250}, {"availability.success_ratio", ">=", 0.999}}},
		{"cost_usd.total>1e-3", []SLOClause{{"cost_usd.total", ">", 0.001}}},
		{"latency_ms.p999<=1.5s", []SLOClause{{"latency_ms.p999", "<=", 1500}}},
	}
	for _, tt := range good {
		got, err := ParseSLO(tt.in)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseSLO(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	// String reads back exactly, beyond the 6 digits of the JSON figures.
	for _, in := range []string{"latency_ms.p99<=300.1234567", "cost_usd.total<0.000001", "availability.success_ratio>=0.99999"} {
		c, err := ParseSLO(in)
		if err != nil || len(c) != 1 || c[0].String() != in {
			t.Errorf("ParseSLO(%q) = %v, %v; want it to render back as it was", in, c, err)
		}
	}
	bad := []struct{ in, want string }{
		{"", "empty clause"},
		{"latency_ms.p99<=300,", "empty clause"},
		{"latency_ms.p99", "no operator"},
		{"latency_ms.p99==300", `unknown operator "=="`},
		{"latency_ms.p99=<300", `unknown operator "=<"`},
		{"latency_ms.p99!=300", `unknown operator "!="`},
		{"latency.p99<=300", `unknown figure "latency.p99" (did you mean latency_ms.p99?)`},
		{"p99<=300", `unknown figure "p99" (did you mean latency_ms.p99?)`},
		{"<=300", "no figure key"},
		{"latency_ms.p99<=", "no value"},
		{"latency_ms.p99<=fast", `"fast" is not a number of milliseconds`},
		{"availability.success_ratio>=99.9%", `"99.9%" is not a number`},
		{"cost_usd.total<=NaN", "not a finite number"},
	}
	for _, tt := range bad {
		_, err := ParseSLO(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSLO(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestSLOClause(t *testing.T) {
	tests := []struct {
		c        SLOClause
		x        float64
		met      bool
		gap      float64
		rendered string
	}{
		{SLOClause{"latency_ms.p99", "<=", 300}, 300, true, 0, "latency_ms.p99<=300"},
		{SLOClause{"latency_ms.p99", "<", 300}, 300, false, 0, "latency_ms.p99<300"},
		{SLOClause{"latency_ms.p99", "<=", 300}, 340, false, 40, "latency_ms.p99<=300"},
		{SLOClause{"availability.success_ratio", ">=", 0.999}, 0.998, false, 0.001, "availability.success_ratio>=0.999"},
		{SLOClause{"availability.success_ratio", ">", 0.5}, 0.75, true, 0, "availability.success_ratio>0.5"},
	}
	for _, tt := range tests {
		if got := tt.c.Met(tt.x); got != tt.met {
			t.Errorf("%v Met(%v) = %v", tt.c, tt.x, got)
		}
		if got := tt.c.Gap(tt.x); fmt.Sprintf("%.9f", got) != fmt.Sprintf("%.9f", tt.gap) {
			t.Errorf("%v Gap(%v) = %v, want %v", tt.c, tt.x, got, tt.gap)
		}
		if got := tt.c.String(); got != tt.rendered {
			t.Errorf("String = %q, want %q", got, tt.rendered)
		}
	}
}

func TestSLOAnswer(t *testing.T) {
	s := testSweep()
	if s.SLOAnswer() != nil {
		t.Error("no SLO: want a nil answer")
	}
	// Rows meeting p99 <= 400 and success >= 0.999 (only a has 0.9995):
	// 2/a, 3/a (4), 4/a, 5/a (6): the cheapest is 2/a, the earlier of two
	// at $4.
	s.SLO = []SLOClause{{"latency_ms.p99", "<=", 400}, {"availability.success_ratio", ">=", 0.999}}
	got := s.SLOAnswer()
	want := SLOAnswer{Met: true, Point: 2, Strategy: "a", CostUSD: 4}
	if got == nil || got.Met != want.Met || got.Point != want.Point || got.Strategy != want.Strategy || got.CostUSD != want.CostUSD || len(got.Gaps) != 0 {
		t.Errorf("answer = %+v, want %+v", got, want)
	}
	// p99 <= 150: nobody meets it. Relative gaps: a at 200 → 50/150 = 1/3
	// (4/a and 5/a, $6); b at 4 → 100/150 for p99 and (0.999−0.998)/0.999
	// for success. Nearest: 4/a (the earlier of two at $6, equal scores).
	s.SLO = []SLOClause{{"latency_ms.p99", "<=", 150}, {"availability.success_ratio", ">=", 0.999}}
	got = s.SLOAnswer()
	if got == nil || got.Met || got.Point != 4 || got.Strategy != "a" || len(got.Gaps) != 1 {
		t.Fatalf("answer = %+v, want the nearest miss 4/a with one gap", got)
	}
	if g := got.Gaps[0]; g.Clause != "latency_ms.p99<=150" || g.Value != 200 || g.Gap != 50 || fmt.Sprintf("%.6f", g.Relative) != "0.333333" {
		t.Errorf("gap = %+v, want latency_ms.p99<=150 at 200, gap 50, relative 1/3", g)
	}
	text := SLOAnswerText(s)
	wantText := "SLO latency_ms.p99<=150, availability.success_ratio>=0.999\n" +
		"  no row meets it; nearest miss: point 4 (strategies.a.count=6, service.timeout=100ms), strategy a, $6.00\n" +
		"    latency_ms.p99<=150: 200, off by 50 (33.3%)\n"
	if text != wantText {
		t.Errorf("SLOAnswerText =\n%s\nwant\n%s", text, wantText)
	}
}

func writeSweepJSON(t *testing.T, s *Sweep) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSweepJSON(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSweepJSONGoldenAndRoundTrip(t *testing.T) {
	s := testSweep()
	s.SLO = []SLOClause{{"latency_ms.p99", "<=", 400}}
	s.Points[1].Warnings = []string{"a <warning> & more"}
	out := writeSweepJSON(t, s)
	simtest.Golden(t, filepath.Join("testdata", "sweep.json.golden"), out, *update)
	back, err := ReadSweep(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if again := writeSweepJSON(t, back); !bytes.Equal(again, out) {
		t.Errorf("read and written again, the JSON differs:\n%s", again)
	}
	// Vary values: numbers as JSON numbers, the rest as strings, in order.
	if !bytes.Contains(out, []byte(`"vary": {
        "strategies.a.count": 2,
        "service.timeout": "1s"
      }`)) {
		t.Error("vary of point 1 not rendered in grid order with typed values")
	}
}

func TestSweepTableAndCSVGolden(t *testing.T) {
	s := testSweep()
	s.SLO = []SLOClause{{"latency_ms.p99", "<=", 400}, {"availability.success_ratio", ">=", 0.999}}
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer, *Sweep) error
	}{
		{"sweep.txt", func(b *bytes.Buffer, s *Sweep) error { return WriteSweepTable(b, s) }},
		{"sweep.csv", func(b *bytes.Buffer, s *Sweep) error { return WriteSweepCSV(b, s) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b, s); err != nil {
			t.Fatal(err)
		}
		simtest.Golden(t, filepath.Join("testdata", f.name+".golden"), b.Bytes(), *update)
	}
}

// shard returns shard i/n of s as the sweep command writes it.
func shard(s *Sweep, i, n int) *Sweep {
	c := *s
	c.Shard = &ShardInfo{Index: i, Count: n, PointsTotal: len(s.Points), GridHash: "0123456789abcdef"}
	c.Points = nil
	for _, p := range s.Points {
		if c.Shard.Holds(p.Index) {
			c.Points = append(c.Points, p)
		}
	}
	return &c
}

// reread writes s as JSON and reads it back, as merge does with files.
func reread(t *testing.T, s *Sweep) *Sweep {
	t.Helper()
	back, err := ReadSweep(bytes.NewReader(writeSweepJSON(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func TestMergeSweeps(t *testing.T) {
	s := testSweep()
	s.SLO = []SLOClause{{"latency_ms.p99", "<=", 400}}
	whole := writeSweepJSON(t, s)
	for _, n := range []int{1, 2, 3, 7} {
		var parts []SweepPart
		for i := n; i >= 1; i-- { // any order
			parts = append(parts, SweepPart{Name: fmt.Sprintf("part-%d.json", i), Sweep: reread(t, shard(s, i, n))})
		}
		merged, err := MergeSweeps(parts)
		if err != nil {
			t.Fatalf("N=%d: %v", n, err)
		}
		if got := writeSweepJSON(t, merged); !bytes.Equal(got, whole) {
			t.Errorf("N=%d: merged JSON differs from the whole sweep's:\n%s", n, got)
		}
	}
	merged, err := MergeSweeps([]SweepPart{{"whole.json", reread(t, s)}})
	if err != nil || !bytes.Equal(writeSweepJSON(t, merged), whole) {
		t.Errorf("a single whole sweep: %v", err)
	}
}

func TestMergeSweepsRefuses(t *testing.T) {
	s := testSweep()
	part := func(i, n int) *Sweep { return reread(t, shard(s, i, n)) }
	other := part(2, 3)
	other.Scenario = "other"
	rehashed := part(2, 3)
	rehashed.Shard.GridHash = "fedcba9876543210"
	tests := []struct {
		name  string
		parts []SweepPart
		want  string
	}{
		{"none", nil, "no parts"},
		{"different scenarios", []SweepPart{{"a.json", part(1, 3)}, {"b.json", other}, {"c.json", part(3, 3)}},
			`different scenarios: a.json is a sweep of "test", b.json of "other"`},
		{"different grids", []SweepPart{{"a.json", part(1, 3)}, {"b.json", rehashed}, {"c.json", part(3, 3)}},
			"different sweeps of \"test\": a.json (grid_hash 0123456789abcdef, 6 points) and b.json (grid_hash fedcba9876543210, 6 points)"},
		{"different counts", []SweepPart{{"a.json", part(1, 3)}, {"b.json", part(2, 2)}},
			"different shard counts: a.json is shard 1/3, b.json is shard 2/2"},
		{"overlap", []SweepPart{{"a.json", part(1, 3)}, {"b.json", part(2, 3)}, {"c.json", part(2, 3)}},
			"overlapping shards: b.json and c.json are both shard 2/3"},
		{"missing", []SweepPart{{"a.json", part(2, 7)}, {"b.json", part(5, 7)}},
			"missing shards: 1/7, 3/7, 4/7, 6/7, 7/7 (got 2 of 7 parts)"},
		{"whole and part", []SweepPart{{"a.json", part(1, 2)}, {"w.json", reread(t, s)}},
			"w.json is a whole sweep, not a shard"},
	}
	for _, tt := range tests {
		_, err := MergeSweeps(tt.parts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestReadSweepRefuses(t *testing.T) {
	s := testSweep()
	good := string(writeSweepJSON(t, s))
	swapped := strings.Replace(good, `"strategies.a.count": 4`, `"strategies.a.count": 5`, 1)
	tests := []struct{ name, in, want string }{
		{"not JSON", "hello", "not JSON"},
		{"run result", `{"schema_version": 1, "scenario": "x", "strategies": []}`, "a run result (scalesim run -o json), not a sweep"},
		{"other JSON", `{"a": 1}`, "not a scalesim sweep result"},
		{"schema", strings.Replace(good, `"schema_version": 1`, `"schema_version": 2`, 1), "schema_version 2"},
		{"point off the grid", swapped, "point 2 varies strategies.a.count=5, service.timeout=100ms, but grid point 2 is strategies.a.count=4"},
		{"numbers as strings", strings.Replace(good, `"strategies.a.count": 4,`, `"strategies.a.count": "4",`, 1), `value "4" is a number written as a string`},
		{"bad shard", strings.Replace(good, `"replications": 1,`, `"replications": 1, "shard": {"index": 3, "count": 2, "points_total": 6, "grid_hash": "x"},`, 1), "shard 3/2 is not a valid shard"},
	}
	for _, tt := range tests {
		_, err := ReadSweep(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}
