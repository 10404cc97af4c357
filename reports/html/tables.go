package html

import (
	"math"

	"github.com/scalesim/scalesim/reports"
)

// tableRows formats the comparison table: the rows of the terminal table
// (reports.ReportRows), each strategy's value as the terminal writes it,
// with its 95% half-width apart; hasCI reports whether any cell carries
// one.
func tableRows(r *reports.Result) (rows []row, hasCI bool) {
	for _, rr := range reports.ReportRows(r) {
		rw := row{Label: rr.Label, Section: rr.Heading, Sub: rr.Sub}
		if rr.Heading {
			rows = append(rows, rw)
			continue
		}
		for i := range r.Strategies {
			s := &r.Strategies[i]
			if rr.Type {
				rw.Cells = append(rw.Cells, cell{Value: s.Type})
				continue
			}
			c := figureCell(s, rr.Figure)
			hasCI = hasCI || c.CI != ""
			rw.Cells = append(rw.Cells, c)
		}
		rows = append(rows, rw)
	}
	return rows, hasCI
}

// headlineRows formats the table of headline figures: a column per figure
// of reports.SweepFigures, a row per strategy (its type, then the
// figures), the cells as in the comparison table.
func headlineRows(r *reports.Result) (cols []column, rows []row) {
	figures := reports.SweepFigures()
	for _, id := range figures {
		title := id.Label()
		if s := id.Section(); s != "" {
			title = s + ": " + title
		}
		cols = append(cols, column{Label: id.SweepLabel(), Title: title})
	}
	for i := range r.Strategies {
		s := &r.Strategies[i]
		rw := row{Label: s.Name, Cells: []cell{{Value: s.Type}}}
		for _, id := range figures {
			rw.Cells = append(rw.Cells, figureCell(s, id))
		}
		rows = append(rows, rw)
	}
	return cols, rows
}

// figureCell formats figure id of s as the terminal writes it ("-" when
// it has no value), with its 95% half-width when s has one.
func figureCell(s *reports.StrategySummary, id reports.FigureID) cell {
	c := cell{Value: "-"}
	if v, ok := id.Value(s); ok {
		c.Value = id.Text(v)
	}
	if hw, ok := s.CI95HalfWidth[id.Key()]; ok && !id.Chosen() {
		c.CI = "± " + spread(id.Notation(), hw)
	}
	return c
}

// deltaRows lays out the comparisons: one row per compared figure, in the
// table's order (then any other keys in the order given), one column per
// compared strategy.
func deltaRows(r *reports.Result) (baseline string, compared []string, rows []deltaRow) {
	if len(r.Comparisons) == 0 {
		return "", nil, nil
	}
	var keys []string
	seen := map[string]bool{} // membership only, never ranged over
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	present := map[string]bool{}
	for _, c := range r.Comparisons {
		compared = append(compared, c.Strategy)
		for _, d := range c.Deltas {
			present[d.Key] = true
		}
	}
	for _, rr := range reports.ReportRows(r) {
		if !rr.Type && !rr.Heading && present[rr.Figure.Key()] {
			add(rr.Figure.Key())
		}
	}
	for _, c := range r.Comparisons {
		for _, d := range c.Deltas {
			add(d.Key)
		}
	}
	for _, k := range keys {
		label, n := deltaLabel(k)
		dr := deltaRow{Label: label}
		for _, c := range r.Comparisons {
			dr.Cells = append(dr.Cells, deltaFor(c, k, n))
		}
		rows = append(rows, dr)
	}
	return r.Baseline, compared, rows
}

// deltaLabel names the figure key in the differences table, with its
// section ("latency (ms): p99"), and returns its notation; a key that
// names no figure is shown as it is, to three significant digits.
func deltaLabel(key string) (string, reports.Notation) {
	id, ok := reports.FigureOf(key)
	if !ok {
		return key, reports.NotationSig3
	}
	label := id.Label()
	if s := id.Section(); s != "" {
		label = s + ": " + label
	}
	return label, id.Notation()
}

// deltaFor formats comparison c's difference in key.
func deltaFor(c reports.Comparison, key string, n reports.Notation) deltaCell {
	for _, d := range c.Deltas {
		if d.Key != key {
			continue
		}
		dc := deltaCell{Diff: signed(spread(n, math.Abs(d.Diff)), d.Diff), Significant: d.Significant}
		if d.Replications > 1 {
			dc.HalfWidth = "± " + spread(n, d.HalfWidth)
		}
		if rel := d.Relative(); !math.IsNaN(rel) && !math.IsInf(rel, 0) && n != reports.NotationPercent {
			dc.Relative = signed(reports.FormatSig3(math.Abs(rel)*100)+"%", rel)
		}
		return dc
	}
	return deltaCell{Missing: true}
}

// spread formats the size of a half-width or a difference (not negative)
// of a figure in notation n: a ratio in percentage points, money in
// dollars, a span as the table writes it, anything else to three
// significant digits.
func spread(n reports.Notation, v float64) string {
	switch n {
	case reports.NotationPercent:
		return reports.FormatSig3(v*100) + " pp"
	case reports.NotationUSD:
		return reports.FormatUSD(v)
	}
	return reports.FormatSig3(v)
}

// signed puts the sign of v before s, the size of v: "+12", "−3.4 pp"
// (a minus sign, not a hyphen); zero has none.
func signed(s string, v float64) string {
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + s
	}
	return s
}

// singleReplicationDeltas reports whether the comparisons rest on one
// replication (no interval can be given).
func singleReplicationDeltas(r *reports.Result) bool {
	for _, c := range r.Comparisons {
		for _, d := range c.Deltas {
			if d.Replications > 1 {
				return false
			}
		}
	}
	return len(r.Comparisons) > 0
}
