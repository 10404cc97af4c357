package reports

import (
	"bytes"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// replicated builds n replications of fixedResult's two strategies whose
// p99 latencies are known: fixed 100..104 and asg 2, 4, 3, 5, 1 ms above
// (differences of mean 3, s = 1.5811, t(0.975, 4) = 2.776445: half-width
// 1.96324), costs varying a little, then aggregates and compares them.
func replicated(t *testing.T) *Result {
	t.Helper()
	r := fixedResult()
	var reps [][]StrategySummary
	for i, d := range []float64{2, 4, 3, 5, 1} {
		a, b := r.Strategies[0], r.Strategies[1]
		a.LatencyMS.P99 = 100 + float64(i)
		b.LatencyMS.P99 = a.LatencyMS.P99 + d
		a.CostUSD.Total += 0.01 * float64(i)
		b.CostUSD.Total += 0.001 * float64(i%2)
		b.ScalingActions += i % 3
		reps = append(reps, []StrategySummary{a, b})
	}
	agg, err := Aggregate(reps)
	if err != nil {
		t.Fatal(err)
	}
	r.Strategies = agg
	r.Replications = len(reps)
	r.Baseline = "fixed"
	deltas, err := CompareToBaseline([]StrategySummary{reps[0][0], reps[1][0], reps[2][0], reps[3][0], reps[4][0]},
		[]StrategySummary{reps[0][1], reps[1][1], reps[2][1], reps[3][1], reps[4][1]})
	if err != nil {
		t.Fatal(err)
	}
	r.Comparisons = []Comparison{{Strategy: "asg", Deltas: deltas}}
	r.Strategies[1].Notes = []string{"ceiling: the fleet stayed at its maximum of 12 instances for 14 minutes"}
	return r
}

// TestComparisonCellByHand: the p99 cell of the compared strategy shows
// the hand-computed paired difference, rounded as the table rounds it.
func TestComparisonCellByHand(t *testing.T) {
	r := replicated(t)
	d, ok := deltaOf(r, "asg", "latency_ms.p99")
	if !ok {
		t.Fatal("no p99 delta")
	}
	if d.Diff != 3 || math.Abs(d.HalfWidth-1.96324) > 1e-5 || d.Baseline != 102 || d.Value != 105 || !d.Significant {
		t.Fatalf("delta %+v, want 102 → 105, diff 3 ± 1.96324, significant", d)
	}
	var p99 figureRow
	for _, row := range figureRows(r) {
		if row.label == "p99" {
			p99 = row
		}
	}
	// 3/102 = 2.94% → "+2.9%"; 1.96324/102 = 1.925% → "±1.9%". The value
	// 105's own half-width: values 102, 105, 105, 108, 105 have s =
	// 2.12132, so 2.776445 × 2.12132 / √5 = 2.63396, 2.509% of 105 → "±2.5%".
	want := figureCell{value: "105", hw: "±2.5%", delta: "+2.9% ±1.9%", tone: -1, significant: true}
	if p99.cells[1] != want {
		t.Errorf("asg p99 cell %+v, want %+v", p99.cells[1], want)
	}
	// The baseline has no delta; its own half-width is that of 100..104:
	// 1.96324 / 102 = 1.925% → "±1.9%".
	if got := p99.cells[0]; got.delta != "" || got.hw != "±1.9%" || got.value != "102" {
		t.Errorf("fixed p99 cell %+v", got)
	}
}

func TestFormatDelta(t *testing.T) {
	cases := []struct {
		name     string
		d        Delta
		kind     Notation
		worse    Direction
		want     string
		wantTone int
	}{
		{"relative, worse", Delta{Baseline: 200, Diff: 24, HalfWidth: 6, Replications: 5, Significant: true}, NotationSig3, HigherWorse, "+12% ±3.0%", -1},
		{"relative, better", Delta{Baseline: 200, Diff: -24, HalfWidth: 6, Replications: 5, Significant: true}, NotationSig3, HigherWorse, "-12% ±3.0%", 1},
		{"more is better", Delta{Baseline: 200, Diff: 24, HalfWidth: 6, Replications: 5, Significant: true}, NotationSig3, LowerWorse, "+12% ±3.0%", 1},
		{"neither", Delta{Baseline: 200, Diff: 24, HalfWidth: 6, Replications: 5, Significant: true}, NotationCount, EitherWorse, "+12% ±3.0%", 0},
		{"not significant", Delta{Baseline: 200, Diff: 2, HalfWidth: 6, Replications: 5}, NotationSig3, HigherWorse, "~", 0},
		{"one replication", Delta{Baseline: 200, Diff: 24, Replications: 1}, NotationSig3, HigherWorse, "+12%", 0},
		{"ratio in points", Delta{Baseline: 0.9, Diff: -0.0125, HalfWidth: 0.003, Replications: 3, Significant: true}, NotationPercent, LowerWorse, "-1.25pp ±0.30pp", -1},
		{"baseline zero", Delta{Baseline: 0, Diff: 37, HalfWidth: 4, Replications: 3, Significant: true}, NotationCount, EitherWorse, "+37 ±4", 0},
		{"money from zero", Delta{Baseline: 0, Diff: 0.5, HalfWidth: 0.1, Replications: 3, Significant: true}, NotationUSD, HigherWorse, "+$0.500 ±$0.100", -1},
		{"factor", Delta{Baseline: 10, Diff: 402, HalfWidth: 3, Replications: 3, Significant: true}, NotationSig3, HigherWorse, "×41.2 ±0.300", -1},
		{"small", Delta{Baseline: 1000, Diff: 1.234, HalfWidth: 0.5, Replications: 3, Significant: true}, NotationSig3, HigherWorse, "+0.12% ±0.05%", -1},
		{"zero change", Delta{Baseline: 5, Diff: 0, Replications: 1}, NotationCount, EitherWorse, "0%", 0},
	}
	for _, c := range cases {
		got, tone := formatDelta(c.d, c.kind, c.worse)
		if got != c.want || tone != c.wantTone {
			t.Errorf("%s: got %q tone %d, want %q tone %d", c.name, got, tone, c.want, c.wantTone)
		}
	}
}

func TestFormatHalfWidth(t *testing.T) {
	cases := []struct {
		kind  Notation
		v, hw float64
		want  string
	}{
		{NotationSig3, 1030, 3.89, "±0.38%"},
		{NotationSig3, 1030, 0, ""},
		{NotationSig3, 1.88, 6.76e-16, ""}, // rounding noise of a constant figure
		{NotationPercent, 0.7543, 0.0074, "±0.74pp"},
		{NotationCount, 0, 1.43, "±1.43"},
		{NotationUSD, 6.61, 0.0162, "±0.25%"},
		{NotationCount, 1, 1.43, "±143%"},
	}
	for _, c := range cases {
		if got := formatHalfWidth(c.kind, c.v, c.hw); got != c.want {
			t.Errorf("formatHalfWidth(%v, %v, %v) = %q, want %q", c.kind, c.v, c.hw, got, c.want)
		}
	}
}

func TestCompareToBaselineCostPerMillion(t *testing.T) {
	base := []StrategySummary{
		{CostUSD: Cost{Total: 2}, Requests: Requests{Completed: 1_000_000}},
		{CostUSD: Cost{Total: 3}, Requests: Requests{Completed: 1_000_000}},
	}
	other := []StrategySummary{
		{CostUSD: Cost{Total: 2}, Requests: Requests{Completed: 500_000}},
		{CostUSD: Cost{Total: 4}, Requests: Requests{Completed: 1_000_000}},
	}
	deltas, err := CompareToBaseline(base, other)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range deltas {
		keys = append(keys, d.Key)
	}
	if !slices.Equal(keys, ComparedKeys()) {
		t.Fatalf("keys %q, want %q", keys, ComparedKeys())
	}
	// Per million: base 2 and 3, other 4 and 4: differences 2 and 1.
	d := deltas[slices.Index(keys, CostPerMillion.Key())]
	if d.Baseline != 2.5 || d.Value != 4 || d.Diff != 1.5 || d.Replications != 2 {
		t.Errorf("per-million delta %+v, want 2.5 → 4, diff 1.5", d)
	}
	// t(0.975, 1) = 12.7062047, s = 0.7071068: half-width 6.3531.
	if math.Abs(d.HalfWidth-6.3531024) > 1e-6 || d.Significant {
		t.Errorf("per-million half-width %v, significant %v; want 6.3531024, false", d.HalfWidth, d.Significant)
	}
	other[0].Requests.Completed = 0
	deltas, err = CompareToBaseline(base, other)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deltas {
		if d.Key == CostPerMillion.Key() {
			t.Error("per-million compared although a replication completed nothing")
		}
	}
	if len(deltas) != len(ComparedKeys())-1 {
		t.Errorf("%d deltas, want %d", len(deltas), len(ComparedKeys())-1)
	}
}

func TestGoldenCompared(t *testing.T) {
	r := replicated(t)
	for _, c := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"compared.table", func(b *bytes.Buffer) error { return WriteTable(b, r) }},
		{"compared.color.table", func(b *bytes.Buffer) error { return WriteTableOptions(b, r, TableOptions{Color: true}) }},
		{"compared.md", func(b *bytes.Buffer) error { return WriteMarkdown(b, r) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.name, buf.Bytes())
		})
	}
}

// ansi matches the escapes of the coloured table.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestColorOnlyAddsEscapes(t *testing.T) {
	r := replicated(t)
	var plain, color bytes.Buffer
	if err := WriteTable(&plain, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteTableOptions(&color, r, TableOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Error("WriteTable wrote an escape")
	}
	if !strings.Contains(color.String(), ansiRed+"+2.9% ±1.9%"+ansiReset) {
		t.Errorf("the worse p99 is not red:\n%q", color.String())
	}
	if got := ansi.ReplaceAllString(color.String(), ""); got != plain.String() {
		t.Errorf("colour changed more than escapes:\n%s\n---\n%s", got, plain.String())
	}
}

// TestComparedTablesFit80Columns: with comparisons and replications, wide
// figures and many strategies still give lines of at most 80 runes, and
// each compared strategy gets its changes, side by side or in the "vs"
// block.
func TestComparedTablesFit80Columns(t *testing.T) {
	for _, n := range []int{2, 3, 5} {
		r := wideResult(n)
		r.Baseline = r.Strategies[0].Name
		for i := range r.Strategies {
			r.Strategies[i].CI95HalfWidth = map[string]float64{"latency_ms.p99": 123456.7, "cost_usd.total": 1.5, "availability.success_ratio": 0.0123}
		}
		for _, s := range r.Strategies[1:] {
			var deltas []Delta
			for _, k := range ComparedKeys() {
				d := Delta{Key: k, Baseline: 3e9, Value: 3, Diff: -3e9 + 3, HalfWidth: 1.5e7, Replications: 30, Significant: true}
				if strings.HasPrefix(k, "availability.") {
					d = Delta{Key: k, Baseline: 0.9999, Value: 0.4999, Diff: -0.5, HalfWidth: 0.0123, Replications: 30, Significant: true}
				}
				deltas = append(deltas, d)
			}
			r.Comparisons = append(r.Comparisons, Comparison{Strategy: s.Name, Deltas: deltas})
		}
		var buf bytes.Buffer
		if err := WriteTableOptions(&buf, r, TableOptions{Color: true}); err != nil {
			t.Fatal(err)
		}
		out := ansi.ReplaceAllString(buf.String(), "")
		for i, line := range strings.Split(out, "\n") {
			if w := utf8.RuneCountInString(line); w > tableWidth {
				t.Errorf("%d strategies: line %d is %d runes: %q", n, i+1, w, line)
			}
			if strings.HasSuffix(line, " ") {
				t.Errorf("%d strategies: line %d has trailing spaces: %q", n, i+1, line)
			}
		}
		// Every compared strategy shows each change once.
		if got, want := strings.Count(out, "-100% ±0.50%"), (len(ComparedKeys())-4)*(n-1); got != want {
			t.Errorf("%d strategies: %d relative changes shown, want %d\n%s", n, got, want, out)
		}
		if got, want := strings.Count(out, "-50.00pp ±1.23pp"), 4*(n-1); got != want {
			t.Errorf("%d strategies: %d ratio changes shown, want %d\n%s", n, got, want, out)
		}
	}
}

// TestWarmupCutRow: the table shows the warm-up each strategy's cut chose
// when there is one, and no such row otherwise; notes are listed.
func TestWarmupCutRow(t *testing.T) {
	r := fixedResult()
	var buf bytes.Buffer
	if err := WriteTable(&buf, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "warm-up cut") || strings.Contains(buf.String(), "notes:") {
		t.Errorf("a warm-up cut row or notes without either:\n%s", buf.String())
	}
	r.Strategies[1].WarmupCutS = 900
	r.Strategies[0].Notes = []string{"warm-up: MSER-5 found no initial transient to cut (warmup: auto)"}
	buf.Reset()
	if err := WriteTable(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`\nwarm-up cut +0s +15m\n`).MatchString(buf.String()) {
		t.Errorf("no warm-up cut row of 0s and 15m in:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "\nnotes:\n  - fixed: warm-up: MSER-5 found no initial transient to cut (warmup: auto)\n") {
		t.Errorf("notes not listed:\n%s", buf.String())
	}
}

// TestJSONComparisons: the comparisons are in the JSON, rounded like every
// other float, and the Result is left as it was.
func TestJSONComparisons(t *testing.T) {
	r := replicated(t)
	r.Comparisons[0].Deltas[0].Diff = 1.0 / 3
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"baseline": "fixed"`, `"key": "cost_usd.per_million_completed"`, `"diff": 0.333333,`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	if r.Comparisons[0].Deltas[0].Diff != 1.0/3 {
		t.Error("WriteJSON rounded the Result itself")
	}
}
