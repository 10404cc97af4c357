package reports

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// leaf is a numeric field of StrategySummary: its JSON key path and field
// index.
type leaf struct {
	key   string
	index []int
}

// numericLeaves lists the int and float fields of t, recursing into nested
// structs, keyed by their JSON names joined with dots, in field order.
func numericLeaves(t reflect.Type) []leaf {
	var out []leaf
	var walk func(t reflect.Type, prefix string, index []int)
	walk = func(t reflect.Type, prefix string, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			idx := append(append([]int(nil), index...), i)
			switch f.Type.Kind() {
			case reflect.Struct:
				walk(f.Type, prefix+name+".", idx)
			case reflect.Int, reflect.Int64, reflect.Float64:
				out = append(out, leaf{key: prefix + name, index: idx})
			}
		}
	}
	walk(t, "", nil)
	return out
}

// TestFigureTableMatchesSummary: every numeric field of StrategySummary has
// exactly one stored row of the table, in the same order, and the row
// reads and writes that field (not a neighbour); the FigureID constants
// follow the rows. A new field fails here until it has its row.
func TestFigureTableMatchesSummary(t *testing.T) {
	table := figureDefs
	if len(table) != int(figureCount) {
		t.Fatalf("%d rows for %d FigureID constants", len(table), figureCount)
	}
	var stored []figureDef
	for i, f := range table {
		if f.id != FigureID(i) {
			t.Errorf("row %d (%s) has id %d: rows and constants are out of step", i, f.key, f.id)
		}
		if f.stored() {
			stored = append(stored, f)
		}
	}
	leaves := numericLeaves(reflect.TypeFor[StrategySummary]())
	var leafKeys, rowKeys []string
	for _, l := range leaves {
		leafKeys = append(leafKeys, l.key)
	}
	for _, f := range stored {
		rowKeys = append(rowKeys, f.key)
	}
	if !slices.Equal(leafKeys, rowKeys) {
		t.Fatalf("numeric fields of StrategySummary:\n  %q\nstored rows of the table:\n  %q", leafKeys, rowKeys)
	}
	for i, l := range leaves {
		f := stored[i]
		var s StrategySummary
		field := reflect.ValueOf(&s).Elem().FieldByIndex(l.index)
		if field.CanInt() {
			field.SetInt(int64(7 + i))
		} else {
			field.SetFloat(7.5 + float64(i))
		}
		want := field.Convert(reflect.TypeFor[float64]()).Float()
		if got, ok := f.value.get(&s); !ok || got != want {
			t.Errorf("%s reads %v, want the field's %v", f.key, got, want)
		}
		if f.value.integer != field.CanInt() {
			t.Errorf("%s: integer %v, but the field is %s", f.key, f.value.integer, field.Kind())
		}
		f.value.set(&s, 2*want)
		if got := field.Convert(reflect.TypeFor[float64]()).Float(); got != 2*want {
			t.Errorf("%s writes %v into its field, want %v", f.key, got, 2*want)
		}
	}
}

// TestFigureRows: every row is complete, keys are unique, and the notation
// and unit agree.
func TestFigureRows(t *testing.T) {
	seen := map[string]bool{}
	notations := map[unit][]Notation{
		unitCount: {NotationCount}, unitMS: {NotationSig3}, unitPerSecond: {NotationSig3}, unitHours: {NotationSig3},
		unitRatio: {NotationPercent}, unitUSD: {NotationUSD}, unitSeconds: {NotationSpan},
	}
	for _, f := range figureDefs {
		if f.key == "" || f.label == "" || f.value.get == nil {
			t.Errorf("row %d is incomplete: %+v", f.id, f)
		}
		if seen[f.key] {
			t.Errorf("key %s appears twice", f.key)
		}
		seen[f.key] = true
		if !slices.Contains(notations[f.unit], f.notation) {
			t.Errorf("%s: notation %d does not suit unit %d", f.key, f.notation, f.unit)
		}
		if id, ok := FigureOf(f.key); !ok || id != f.id {
			t.Errorf("FigureOf(%s) = %d, %v", f.key, id, ok)
		}
		if f.chosen && f.compared {
			t.Errorf("%s is chosen, not measured: comparing it across replications means nothing", f.key)
		}
	}
	if _, ok := FigureOf("latency_ms.p42"); ok {
		t.Error("FigureOf found a key that names no figure")
	}
}

// TestLayout: the reports for people show every figure once, each
// section's figures together under one heading.
func TestLayout(t *testing.T) {
	l := layout()
	sorted := slices.Clone(l)
	slices.Sort(sorted)
	if !slices.Equal(sorted, Figures()) {
		t.Fatalf("layout %v is not a permutation of the figures %v", l, Figures())
	}
	done := map[section]bool{}
	for i, id := range l {
		s := id.def().section
		if i > 0 && l[i-1].def().section != s && done[s] {
			t.Errorf("%s: section %q appears in two places", id.Key(), s.heading())
		}
		done[s] = true
	}
	r := &Result{Strategies: []StrategySummary{{Name: "a"}, {Name: "b"}}}
	var labels []string
	for _, row := range ReportRows(r) {
		labels = append(labels, row.Label)
	}
	// Without a warm-up cut the row is left out; headings come once.
	want := []string{"type", "requests", "arrived", "completed", "rejected", "timed out", "dropped", "in flight at end",
		"latency (ms)", "mean", "p50", "p90", "p99", "p99.9", "max", "throughput (req/s)", "mean", "peak minute",
		"availability", "served within SLO", "served", "success (finished)", "in SLO (finished)",
		"minutes meeting SLO", "cost", "total", "compute",
		"load balancer", "stream", "per 1M completed", "capacity", "instance-hours", "instances min", "instances max",
		"mean utilisation", "scaling actions", "elasticity", "accuracy (under)", "accuracy (over)",
		"timeshare (under)", "timeshare (over)", "instability"}
	if !slices.Equal(labels, want) {
		t.Errorf("rows\n  %q\nwant\n  %q", labels, want)
	}
	r.Strategies[1].WarmupCutS = 600
	if rows := ReportRows(r); rows[1].Label != "warm-up cut" || rows[1].Sub || rows[1].Figure != WarmupCut {
		t.Errorf("with a warm-up cut, row 1 is %+v", rows[1])
	}
}

// TestComparedKeys: the comparisons follow the reports' order, so that
// the JSON's deltas stay in the order they always had.
func TestComparedKeys(t *testing.T) {
	want := []string{"latency_ms.p50", "latency_ms.p99", "latency_ms.p999", "throughput_rps.mean",
		"availability.served_within_slo", "availability.served", "availability.success_ratio", "availability.slo_attainment", "cost_usd.total", CostPerMillion.Key(),
		"capacity.instance_hours", "capacity.instances_max", "scaling_actions"}
	if got := ComparedKeys(); !slices.Equal(got, want) {
		t.Errorf("ComparedKeys() = %q, want %q", got, want)
	}
}

// TestSweepFigures: the headline figures are the sweep table's columns,
// in its order, each with its header.
func TestSweepFigures(t *testing.T) {
	var keys, labels []string
	for _, id := range SweepFigures() {
		keys, labels = append(keys, id.Key()), append(labels, id.SweepLabel())
	}
	wantKeys := []string{"latency_ms.p99", "availability.served_within_slo", "availability.served", "cost_usd.total", CostPerMillion.Key()}
	wantLabels := []string{"p99 ms", "in SLO", "served", "cost", "per 1M"}
	if !slices.Equal(keys, wantKeys) || !slices.Equal(labels, wantLabels) {
		t.Errorf("SweepFigures() = %q headed %q, want %q headed %q", keys, labels, wantKeys, wantLabels)
	}
	if l := LatencyP50.SweepLabel(); l != "" {
		t.Errorf("p50 has sweep label %q, want none", l)
	}
}

// TestDefaultLimits: check's defaults, read from the table.
func TestDefaultLimits(t *testing.T) {
	want := []Limit{
		{Key: "latency_ms.p99", Value: 0.10, Relative: true, Text: "10%"},
		{Key: "availability.success_ratio", Value: 0.001, Text: "0.001"},
		{Key: "cost_usd.total", Value: 0.05, Relative: true, Text: "5%"},
	}
	if got := DefaultLimits(); !slices.Equal(got, want) {
		t.Errorf("DefaultLimits() = %+v, want %+v", got, want)
	}
	for _, f := range figureDefs {
		if f.limit == "" {
			continue
		}
		if _, err := parseAllowance(f.key, f.limit); err != nil {
			t.Errorf("%s: default limit %q does not parse: %v", f.key, f.limit, err)
		}
	}
}

// TestMinuteColumns: the time series has the columns of docs/outputs.md,
// and each figure that names a per-minute column has exactly that one.
func TestMinuteColumns(t *testing.T) {
	want := []string{"strategy", "minute", "arrivals", "completed", "errors", "p50_ms", "p99_ms",
		"instances_in_service", "instances_pending", "utilization", "cost_usd", "iterator_age_ms", "nodes_in_service", "nodes_pending"}
	header := csvHeader()
	if !slices.Equal(header, want) {
		t.Errorf("header %q, want %q", header, want)
	}
	for _, f := range figureDefs {
		if f.minute != "" && slices.Index(header, f.minute) < 0 {
			t.Errorf("%s names per-minute column %q, which the CSV lacks", f.key, f.minute)
		}
	}
	byFigure := map[string]string{"arrivals": "requests.arrived", "completed": "requests.completed",
		"p50_ms": "latency_ms.p50", "p99_ms": "latency_ms.p99", "utilization": "capacity.mean_utilization", "cost_usd": "cost_usd.total"}
	for col, key := range byFigure {
		if id, _ := FigureOf(key); id.def().minute != col {
			t.Errorf("%s's per-minute column is %q, want %q", key, id.def().minute, col)
		}
	}
}

// TestDerivedFigure: the cost per million completed requests has no
// value when nothing completed, and is not a stored figure.
func TestDerivedFigure(t *testing.T) {
	s := StrategySummary{Requests: Requests{Completed: 2_000_000}, CostUSD: Cost{Total: 3}}
	if v, ok := CostPerMillion.Value(&s); !ok || v != 1.5 {
		t.Errorf("per million = %v, %v; want 1.5", v, ok)
	}
	s.Requests.Completed = 0
	if _, ok := CostPerMillion.Value(&s); ok {
		t.Error("per million has a value although nothing completed")
	}
	if slices.Contains(FigureKeys(), CostPerMillion.Key()) {
		t.Error("the derived figure is among the stored ones")
	}
	if _, err := Figure(s, CostPerMillion.Key()); err == nil {
		t.Error("Figure reads a derived figure as if it were stored")
	}
	for _, id := range []FigureID{-1, figureCount} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "no figure") {
					t.Errorf("FigureID(%d): recovered %v, want a panic: no such figure is a programming error", id, r)
				}
			}()
			_ = id.Key()
		}()
	}
}

// TestFigureKeysWrittenOnce: outside the table (figures.go), no source
// file of the module spells a figure's key as a string literal or in a
// comment between quotes; code names a figure by its FigureID.
func TestFigureKeysWrittenOnce(t *testing.T) {
	var keys []string
	for _, f := range figureDefs {
		keys = append(keys, f.key)
	}
	root := filepath.Join("..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			filepath.ToSlash(path) == "../reports/figures.go" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return err
		}
		text := []byte(string(src))
		ast.Inspect(file, func(n ast.Node) bool {
			if f, ok := n.(*ast.Field); ok && f.Tag != nil {
				// A struct tag is the JSON carrier's field name (the
				// top-level scaling_actions is one), not a use of a key.
				from, to := fset.Position(f.Tag.Pos()).Offset, fset.Position(f.Tag.End()).Offset
				copy(text[from:to], strings.Repeat(" ", to-from))
				return true
			}
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if v, err := strconv.Unquote(lit.Value); err == nil && slices.Contains(keys, v) {
					t.Errorf("%s: figure key %s written as a string; use its FigureID", fset.Position(lit.Pos()), lit.Value)
				}
			}
			return true
		})
		for _, k := range keys {
			if strings.Contains(string(text), strconv.Quote(k)) {
				t.Errorf("%s names %s between quotes; refer to its FigureID", path, strconv.Quote(k))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
