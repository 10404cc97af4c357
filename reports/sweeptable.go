package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// sweepColumn is one column of the sweep table.
type sweepColumn struct {
	header string
	left   bool
	value  func(r SweepRow) string
}

// Sweep table layout.
const (
	maxVaryCell  = 20 // the widest a vary value is shown, in runes
	sweepMaxName = 18 // longer strategy names lose their middle to "…"
	sweepWidth   = 80 // header and footer lines wrap at this width
)

// WriteSweepTable writes s for people: a header naming the scenario and
// the grid, one row per point and strategy (the varied values, then the
// figures that have a sweep column in the table of figures: p99 latency,
// success ratio, SLO attainment, total cost and cost per million
// completed requests; "yes"/"no" for the --slo filter; "*" for the rows on
// the cost/p99 Pareto frontier), then the SLO answer. Figures are those
// of the JSON, rounded the same way first.
func WriteSweepTable(w io.Writer, s *Sweep) error {
	r := s.rounded()
	var b strings.Builder
	writeSweepHeader(&b, r)
	rows := r.Rows()
	if len(rows) == 0 {
		b.WriteString("\nno points in this shard\n")
	} else {
		b.WriteString("\n")
		writeSweepColumns(&b, sweepColumns(r), rows)
		b.WriteString("\n* on the Pareto frontier of cost against p99 latency: no other row is cheaper\n  without being slower\n")
	}
	if ls := sloAnswerLines(r); len(ls) > 0 {
		b.WriteString("\n")
		for _, l := range ls {
			sweepWrap(&b, l.text, l.indent, l.indent+"  ")
		}
	}
	for _, p := range r.Points {
		for _, msg := range p.Warnings {
			sweepWrap(&b, fmt.Sprintf("warning (point %d): %s", p.Index, msg), "", "  ")
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write sweep table: %w", err)
	}
	return nil
}

// writeSweepHeader writes the scenario line and one line per axis.
func writeSweepHeader(b *strings.Builder, s *Sweep) {
	total := GridSize(s.Grid, 1<<40)
	strats := 0
	if len(s.Points) > 0 {
		strats = len(s.Points[0].Strategies)
	}
	desc := fmt.Sprintf("sweep %s: %s × %s, seed %d, duration %s", s.Scenario, sweepPlural(total, "point"),
		sweepPlural(strats, "strategy"), s.Seed, fmtSeconds(s.DurationS))
	if s.WarmupS > 0 {
		desc += ", warm-up " + fmtSeconds(s.WarmupS)
	}
	if s.SLOLatencyMS > 0 {
		desc += ", SLO " + fmtSeconds(s.SLOLatencyMS/1e3)
	}
	if s.Replications > 1 {
		desc += fmt.Sprintf(", %d replications (means)", s.Replications)
	}
	if s.Shard != nil {
		desc += fmt.Sprintf("; shard %d/%d (%d of the points)", s.Shard.Index, s.Shard.Count, len(s.Points))
	}
	sweepWrap(b, desc, "", "  ")
	labels := axisLabels(s.Grid)
	for i, a := range s.Grid {
		line := labels[i]
		if labels[i] != a.Path {
			line += " = " + a.Path
		}
		sweepWrap(b, line+": "+strings.Join(a.Values, ", "), "  ", "    ")
	}
}

// plural formats "1 point", "3 points", "2 strategies".
func sweepPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return strconv.Itoa(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// axisLabels returns a short column label per axis: the shortest suffix of
// its path, in whole keys, that no other axis ends with.
func axisLabels(axes []Axis) []string {
	out := make([]string, len(axes))
	for i, a := range axes {
		keys := strings.Split(a.Path, ".")
		for n := 1; n <= len(keys); n++ {
			label := strings.Join(keys[len(keys)-n:], ".")
			clash := false
			for j, o := range axes {
				if j != i && (o.Path == label || strings.HasSuffix(o.Path, "."+label)) {
					clash = true
				}
			}
			if !clash || n == len(keys) {
				out[i] = label
				break
			}
		}
	}
	return out
}

// sweepColumns lists the table's columns for s.
func sweepColumns(s *Sweep) []sweepColumn {
	cols := []sweepColumn{{header: "point", value: func(r SweepRow) string { return strconv.Itoa(r.Point) }}}
	for i, label := range axisLabels(s.Grid) {
		cols = append(cols, sweepColumn{header: label, value: func(r SweepRow) string { return truncate(r.Vary[i].Value, maxVaryCell) }})
	}
	cols = append(cols, sweepColumn{header: "strategy", left: true, value: func(r SweepRow) string { return truncateMiddle(r.Summary.Name, sweepMaxName) }})
	for _, id := range SweepFigures() {
		f := id.def()
		cols = append(cols, sweepColumn{header: f.sweep, value: func(r SweepRow) string { return figureText(f, &r.Summary) }})
	}
	if len(s.SLO) > 0 {
		cols = append(cols, sweepColumn{header: "meets", value: func(r SweepRow) string {
			if rowMeets(s.SLO, r.Summary) {
				return "yes"
			}
			return "no"
		}})
	}
	pareto := s.onPareto()
	cols = append(cols, sweepColumn{header: " ", left: true, value: func(r SweepRow) string {
		if pareto[paretoKey{r.Point, r.Summary.Name}] {
			return "*"
		}
		return ""
	}})
	return cols
}

// rowMeets reports whether a row meets every clause (figures rounded as
// rendered); a row in which nothing completed meets none.
func rowMeets(slo []SLOClause, s StrategySummary) bool {
	if s.Requests.Completed == 0 {
		return false
	}
	for _, c := range slo {
		x, _ := Figure(s, c.Key)
		if !c.Met(roundSig(x, renderSigDigits)) {
			return false
		}
	}
	return true
}

// writeSweepColumns writes a header and one line per row, numbers
// right-aligned.
func writeSweepColumns(b *strings.Builder, cols []sweepColumn, rows []SweepRow) {
	t := Columns{Header: make([]string, len(cols)), Right: make([]bool, len(cols))}
	for j, c := range cols {
		t.Header[j], t.Right[j] = c.header, !c.left
	}
	for _, r := range rows {
		line := make([]string, len(cols))
		for j, c := range cols {
			line[j] = c.value(r)
		}
		t.Rows = append(t.Rows, line)
	}
	b.WriteString(t.String())
}

// SLOAnswerText is the answer to the sweep's --slo for people, one line
// per item, each ending in a newline (not wrapped), or "" without an SLO:
//
//	SLO latency_ms.p99<=300, availability.success_ratio>=0.999
//	  cheapest meeting it: point 4 (strategies.fixed.count=6), strategy fixed, $1.14
//
// or, when no row meets it, the nearest miss and each clause's gap.
func SLOAnswerText(s *Sweep) string {
	var b strings.Builder
	for _, l := range sloAnswerLines(s) {
		b.WriteString(l.indent + l.text + "\n")
	}
	return b.String()
}

// sloLine is one line of the SLO answer.
type sloLine struct{ indent, text string }

// sloAnswerLines returns the SLO answer's lines.
func sloAnswerLines(s *Sweep) []sloLine {
	if len(s.SLO) == 0 {
		return nil
	}
	clauses := make([]string, len(s.SLO))
	for i, c := range s.SLO {
		clauses[i] = c.String()
	}
	out := []sloLine{{"", "SLO " + strings.Join(clauses, ", ")}}
	a := s.SLOAnswer()
	if a == nil {
		return append(out, sloLine{"  ", "no row to judge (no point, or no request completed)"})
	}
	where := fmt.Sprintf("point %d (%s), strategy %s, %s", a.Point, pointVary(s, a.Point), a.Strategy, fmtUSD(a.CostUSD))
	if a.Met {
		return append(out, sloLine{"  ", "cheapest meeting it: " + where})
	}
	out = append(out, sloLine{"  ", "no row meets it; nearest miss: " + where})
	for _, g := range a.Gaps {
		out = append(out, sloLine{"    ", fmt.Sprintf("%s: %s, off by %s (%s)", g.Clause, formatFloat(g.Value), formatFloat(g.Gap), sweepPct(g.Relative))})
	}
	return out
}

// pointVary returns the vary values of grid point k.
func pointVary(s *Sweep, k int) string {
	for _, p := range s.Points {
		if p.Index == k {
			return p.Vary.String()
		}
	}
	return GridPoint(s.Grid, k).String()
}

// figureText formats figure f of s for people, or "-" when it has no
// value.
func figureText(f figureDef, s *StrategySummary) string {
	v, ok := f.value.get(s)
	if !ok {
		return "-"
	}
	return formatKind(f.notation, v)
}

// Wrap returns text word-wrapped to the reports' width of 80 runes, each
// line ending in a newline; a word is never cut.
func Wrap(text string) string {
	var b strings.Builder
	sweepWrap(&b, text, "", "")
	return b.String()
}

// sweepWrap writes text word-wrapped to sweepWidth runes, the first line
// prefixed with first and the others with rest.
func sweepWrap(b *strings.Builder, text, first, rest string) {
	prefix, line := first, ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(prefix+line)+1+utf8.RuneCountInString(word) <= sweepWidth:
			line += " " + word
		default:
			b.WriteString(prefix + line + "\n")
			prefix, line = rest, word
		}
	}
	b.WriteString(prefix + line + "\n")
}

// sweepPct formats a relative gap as a percentage with one decimal.
func sweepPct(x float64) string { return fmtFixed(100*x, 1) + "%" }

// WriteSweepCSV writes one row per point and strategy: point, the varied
// values (one column per axis, headed by its path), strategy, type, every
// figure of the summary (headed by its key, as FigureKeys), pareto
// (true/false) and, with an SLO, slo_met (true/false). Floats are rounded
// to 6 significant digits, counts are exact.
func WriteSweepCSV(w io.Writer, s *Sweep) error {
	r := s.rounded()
	cw := csv.NewWriter(w)
	header := []string{"point"}
	for _, a := range r.Grid {
		header = append(header, a.Path)
	}
	header = append(header, "strategy", "type")
	var stored []figureDef
	for _, f := range figureDefs {
		if f.stored() {
			stored = append(stored, f)
			header = append(header, f.key)
		}
	}
	header = append(header, "pareto")
	if len(r.SLO) > 0 {
		header = append(header, "slo_met")
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write sweep csv: %w", err)
	}
	pareto := r.onPareto()
	for _, row := range r.Rows() {
		rec := []string{strconv.Itoa(row.Point)}
		for _, v := range row.Vary {
			rec = append(rec, v.Value)
		}
		rec = append(rec, row.Summary.Name, row.Summary.Type)
		for _, f := range stored {
			v, _ := f.value.get(&row.Summary)
			if f.value.integer {
				rec = append(rec, strconv.FormatInt(int64(v), 10))
			} else {
				rec = append(rec, formatFloat(v))
			}
		}
		rec = append(rec, strconv.FormatBool(pareto[paretoKey{row.Point, row.Summary.Name}]))
		if len(r.SLO) > 0 {
			rec = append(rec, strconv.FormatBool(rowMeets(r.SLO, row.Summary)))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write sweep csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write sweep csv: %w", err)
	}
	return nil
}
