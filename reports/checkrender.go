package reports

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// checkCells returns the header and cells of a check report's table: one
// line per row, with the point column only for sweeps and the noise
// column only when some row has one.
func checkCells(r *CheckReport) (header []string, cells [][]string, right []bool) {
	noise := false
	for _, row := range r.Rows {
		noise = noise || row.HasNoise
	}
	if r.Sweep {
		header, right = append(header, "point"), append(right, false)
	}
	header = append(header, "strategy", "figure", "baseline", "current", "change")
	right = append(right, false, false, true, true, true)
	if noise {
		header, right = append(header, "noise ±"), append(right, true)
	}
	header, right = append(header, "limit", "verdict"), append(right, true, false)
	for _, row := range r.Rows {
		var line []string
		if r.Sweep {
			line = append(line, row.Point)
		}
		strat := row.Strategy
		if strat == "" {
			strat = "(whole point)"
		}
		if row.Key == "" {
			line = append(line, strat, "-", "-", "-", "-")
			if noise {
				line = append(line, "-")
			}
			line = append(line, "-", row.Verdict.String())
			cells = append(cells, line)
			continue
		}
		line = append(line, strat, row.Key, formatFloat(row.Base), formatFloat(row.Current), checkChange(row))
		if noise {
			n := "-"
			if row.HasNoise {
				n = formatFloat(row.Noise)
			}
			line = append(line, n)
		}
		line = append(line, row.Limit.String(), row.Verdict.String())
		cells = append(cells, line)
	}
	return header, cells, right
}

// checkChange formats a row's change: "+50 (+23.8%)", or without the
// percentage when the baseline is 0.
func checkChange(row CheckRow) string {
	ch := roundSig(row.Change(), renderSigDigits)
	s := formatFloat(ch)
	if ch > 0 {
		s = "+" + s
	}
	if row.Base != 0 {
		pct := fmtFixed(100*ch/math.Abs(row.Base), 1)
		if ch > 0 {
			pct = "+" + pct
		}
		s += " (" + pct + "%)"
	}
	return s
}

// checkSummary is the report's verdict in one sentence.
func checkSummary(r *CheckReport) string {
	checks := 0
	var failed []string
	for _, row := range r.Rows {
		if row.Key != "" {
			checks++
		}
		if !row.Verdict.Failed() {
			continue
		}
		what := strings.TrimSpace(row.Point + " " + row.Strategy + " " + row.Key)
		if row.Verdict == VerdictMissing {
			what += " (missing)"
		}
		failed = append(failed, what)
	}
	if len(failed) == 0 {
		return fmt.Sprintf("no regression in %s", sweepPlural(checks, "check"))
	}
	head := fmt.Sprintf("%s in %s: ", sweepPlural(len(failed), "failure"), sweepPlural(checks, "check"))
	return head + strings.Join(failed, "; ")
}

// checkLimits lists the limits applied: "latency_ms.p99 +10%, ...".
func checkLimits(r *CheckReport) string {
	parts := make([]string, len(r.Limits))
	for i, l := range r.Limits {
		parts[i] = l.Key + " " + l.String()
	}
	return strings.Join(parts, ", ")
}

// WriteCheckTable writes the report for a terminal: the scenario and the
// limits, one line per strategy and figure (baseline, current, change,
// the noise when both sides have replications, limit, verdict), the
// notes, and a one-line summary.
func WriteCheckTable(w io.Writer, r *CheckReport) error {
	var b strings.Builder
	sweepWrap(&b, "check "+r.Scenario+": current result against the baseline", "", "  ")
	sweepWrap(&b, "limits: "+checkLimits(r), "", "  ")
	b.WriteString("\n")
	header, cells, right := checkCells(r)
	b.WriteString(Columns{Header: header, Rows: cells, Right: right}.String())
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			sweepWrap(&b, n, "note: ", "      ")
		}
	}
	b.WriteString("\n")
	sweepWrap(&b, checkSummary(r), "", "  ")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write check table: %w", err)
	}
	return nil
}

// WriteCheckMarkdown writes the report as GitHub-flavoured markdown, for a
// pull-request comment: a heading, the summary in bold, the limits, a
// table of the same columns as WriteCheckTable, and the notes.
func WriteCheckMarkdown(w io.Writer, r *CheckReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### scalesim check: %s\n\n", checkMD(r.Scenario))
	mark := "✅"
	if r.Failures() > 0 {
		mark = "❌"
	}
	fmt.Fprintf(&b, "%s **%s**\n\n", mark, checkMD(checkSummary(r)))
	fmt.Fprintf(&b, "Limits: %s.\n\n", checkMD(checkLimits(r)))
	header, cells, right := checkCells(r)
	b.WriteString("|")
	for _, h := range header {
		b.WriteString(" " + checkMD(h) + " |")
	}
	b.WriteString("\n|")
	for _, rt := range right {
		if rt {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for i, line := range cells {
		b.WriteString("|")
		for j, c := range line {
			if j == len(line)-1 && r.Rows[i].Verdict.Failed() {
				c = "**" + c + "**"
				b.WriteString(" " + c + " |")
				continue
			}
			b.WriteString(" " + checkMD(c) + " |")
		}
		b.WriteString("\n")
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			b.WriteString("- " + checkMD(n) + "\n")
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write check markdown: %w", err)
	}
	return nil
}

// checkMD makes s safe inside markdown text and table cells.
func checkMD(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '|', '\\', '*', '_', '`', '<', '>', '[', ']', '$':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
