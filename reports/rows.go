package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// figureRow is one line of the human-readable reports (table, markdown): a
// label and one cell per strategy. A section row has a label and no cells;
// sub marks a figure listed under a section.
type figureRow struct {
	label   string
	section bool
	sub     bool
	cells   []figureCell
}

// figureCell is one strategy's figure: the value, its 95% half-width
// ("" without replications), and, for a strategy compared with the
// baseline, the formatted difference with its tone (+1 better, -1 worse,
// 0 neither or not significant).
type figureCell struct {
	value       string
	hw          string
	delta       string
	tone        int
	significant bool // the delta is significant (replications > 1)
	text        bool // a word, not a number: aligned with the column's end
}

// figureRows formats the figures of r's strategies, one cell per strategy;
// half-widths appear with replications, deltas for the strategies that
// have a comparison.
func figureRows(r *Result) []figureRow {
	var rows []figureRow
	for _, rr := range ReportRows(r) {
		if rr.Heading {
			rows = append(rows, figureRow{label: rr.Label, section: true})
			continue
		}
		cells := make([]figureCell, len(r.Strategies))
		for i := range r.Strategies {
			if rr.Type {
				cells[i] = figureCell{value: r.Strategies[i].Type, text: true}
				continue
			}
			cells[i] = figureCellOf(r, i, rr.Figure.def())
		}
		rows = append(rows, figureRow{label: rr.Label, sub: rr.Sub, cells: cells})
	}
	return rows
}

// figureCellOf formats figure f of strategy i.
func figureCellOf(r *Result, i int, f figureDef) figureCell {
	s := &r.Strategies[i]
	v, ok := f.value.get(s)
	if !ok {
		return figureCell{value: "-"}
	}
	c := figureCell{value: formatKind(f.notation, v)}
	if hw, ok := s.CI95HalfWidth[f.key]; ok && r.Replications > 1 && !f.chosen {
		c.hw = formatHalfWidth(f.notation, v, hw)
	}
	if d, ok := deltaOf(r, s.Name, f.key); ok {
		c.delta, c.tone = formatDelta(d, f.notation, f.worse)
		c.significant = d.Replications > 1 && d.Significant
	}
	return c
}

// deltaOf finds strategy name's comparison delta for key.
func deltaOf(r *Result, name, key string) (Delta, bool) {
	if key == "" {
		return Delta{}, false
	}
	for _, c := range r.Comparisons {
		if c.Strategy != name {
			continue
		}
		for _, d := range c.Deltas {
			if d.Key == key {
				return d, true
			}
		}
	}
	return Delta{}, false
}

// formatKind formats a figure's value.
func formatKind(k Notation, v float64) string {
	switch k {
	case NotationCount:
		return fmtCount(int64(math.Round(v)))
	case NotationPercent:
		return fmtPercent(v)
	case NotationUSD:
		return fmtUSD(v)
	case NotationSpan:
		return fmtSeconds(v)
	}
	return fmtSig3(v)
}

// formatSpread formats a half-width or an absolute difference (without its
// sign) of a figure: a ratio in percentage points, money in dollars,
// anything else to three significant digits.
func formatSpread(k Notation, v float64) string {
	v = math.Abs(v)
	switch k {
	case NotationPercent:
		return fmtPoints(v)
	case NotationUSD:
		return fmtUSD(v)
	case NotationSpan:
		return fmtSeconds(v)
	case NotationCount:
		if v == math.Trunc(v) && v < 1e15 {
			return fmtCount(int64(v))
		}
	}
	return fmtSig3(v)
}

// negligible is the relative size below which a half-width is rounding
// noise of a constant figure and is not shown.
const negligible = 1e-9

// formatHalfWidth formats the 95% half-width hw of a figure of value v as
// benchstat does, relative to the value ("±0.4%"); a ratio's in percentage
// points ("±0.74pp"); a figure of value 0 in its own unit. A half-width
// that is zero or rounding noise is left out ("").
func formatHalfWidth(k Notation, v, hw float64) string {
	switch {
	case math.IsNaN(hw) || hw <= negligible*math.Abs(v) || hw < 1e-12:
		return ""
	case k == NotationPercent || v == 0:
		return "±" + formatSpread(k, hw)
	}
	return "±" + fmtRelative(hw/math.Abs(v))
}

// fmtPoints formats a difference of ratios in percentage points: 2
// decimals, as the percentages themselves, "pp" after.
func fmtPoints(v float64) string { return fmtFixed(v*100, 2) + "pp" }

// factorFrom is the ratio to the baseline from which a change is written
// as a factor ("×41.2") rather than a percentage ("+4,020%").
const factorFrom = 10

// formatDelta formats a comparison as benchstat does: the change with its
// 95% half-width ("+12% ±3%"), or "~" when the interval includes zero.
// The change is relative to the baseline, except for ratios (percentage
// points) and when the baseline is 0 (the absolute difference); from ten
// times the baseline it is a factor with the half-width of the factor
// ("×41.2 ±0.3"). With one replication there is no interval and no claim
// of significance: the bare change is shown. tone is +1 for a significant
// improvement, -1 for a significant worsening (as the figure's direction
// worse says), 0 otherwise.
func formatDelta(d Delta, k Notation, worse Direction) (string, int) {
	if d.Replications > 1 && !d.Significant {
		return "~", 0
	}
	rel := d.Relative()
	var change, hw string
	if k == NotationPercent || math.IsNaN(rel) || math.IsInf(rel, 0) {
		change = signed(formatSpread(k, d.Diff), d.Diff)
		hw = formatSpread(k, d.HalfWidth)
	} else if rel >= factorFrom-1 {
		change = "×" + fmtSig3(1+rel)
		hw = fmtSig3(d.HalfWidth / math.Abs(d.Baseline))
	} else {
		change = signed(fmtRelative(rel), rel)
		hw = fmtRelative(d.HalfWidth / math.Abs(d.Baseline))
	}
	if d.Replications < 2 {
		return change, 0
	}
	tone := 0
	if worse != EitherWorse && d.Diff != 0 {
		tone = 1
		if (d.Diff > 0) == (worse == HigherWorse) {
			tone = -1
		}
	}
	return change + " ±" + hw, tone
}

// signed puts the sign of v before s: "+12%", "-3.1%"; zero has none.
func signed(s string, v float64) string {
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "-" + s
	}
	return s
}

// fmtRelative formats a fraction as a percentage without its sign: two
// decimals below 1%, one below 10%, whole percents above, three
// significant digits from 1,000%: 0.12%, 3.4%, 12%, 1,230%; <0.01% for
// what would print as 0.00%.
func fmtRelative(x float64) string {
	p := math.Abs(x) * 100
	switch {
	case p == 0:
		return "0%"
	case p >= 999.5:
		return fmtSig3(p) + "%"
	case p >= 9.95:
		return fmtFixed(p, 0) + "%"
	case p >= 0.995:
		return fmtFixed(p, 1) + "%"
	case p < 0.005:
		return "<0.01%"
	}
	return fmtFixed(p, 2) + "%"
}

// comparisonLegend explains the deltas: what they are relative to, over
// how many replications, and what "~" means.
func comparisonLegend(r *Result) string {
	if len(r.Comparisons) == 0 {
		return ""
	}
	n := 0
	for _, c := range r.Comparisons {
		for _, d := range c.Deltas {
			n = max(n, d.Replications)
		}
	}
	if n < 2 {
		return fmt.Sprintf("Changes vs %s: relative (pp: percentage points; ×: times the baseline), from one replication, so "+
			"without a confidence interval; --replications 5 or more tells which differences are significant.", r.Baseline)
	}
	return fmt.Sprintf("Changes vs %s: relative (pp: percentage points; ×: times the baseline) ± 95%% half-width, paired over "+
		"%d replications on common random numbers; ~ means no significant difference.", r.Baseline, n)
}

// runDescription is the one-line description of a run: seed, duration,
// warm-up, SLO and, when more than one, replications.
func runDescription(r *Result) string {
	parts := []string{
		"seed " + strconv.FormatUint(r.Seed, 10),
		"duration " + fmtSeconds(r.DurationS),
	}
	if r.WarmupS > 0 {
		parts = append(parts, "warm-up "+fmtSeconds(r.WarmupS))
	}
	if r.SLOLatencyMS > 0 {
		parts = append(parts, "SLO "+fmtSeconds(r.SLOLatencyMS/1e3))
	}
	if r.Replications > 1 {
		parts = append(parts, strconv.Itoa(r.Replications)+" replications (means ± 95% half-width)")
	}
	return strings.Join(parts, ", ")
}

// notesOf lists every strategy's notes as "name: note" lines, strategies
// in order.
func notesOf(r *Result) []string {
	var out []string
	for _, s := range r.Strategies {
		for _, n := range s.Notes {
			out = append(out, s.Name+": "+n)
		}
	}
	return out
}
