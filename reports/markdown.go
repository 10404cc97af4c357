package reports

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes r as GitHub-flavoured markdown, fit to paste into a
// pull-request comment: a one-line header naming the scenario, seed and
// duration, the lesson when the scenario asks a question
// (LessonParagraphs), the verdict (the last line of Narrative), then one table of
// the same figures as WriteTable with strategies as columns. With
// comparisons, the baseline's column is marked and every other strategy's
// compared figures are followed by their change from it in parentheses,
// in bold when significant ("180 (**-28% ±3%**)", "250 (~)"), with a
// line explaining them under the table. Then the notes and the warnings
// as lists.
func WriteMarkdown(w io.Writer, r *Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**: %s\n\n", mdEscape(r.Scenario), runDescription(r))
	for _, p := range LessonParagraphs(r) {
		b.WriteString("**" + mdEscape(p.Lead) + "** " + mdEscape(p.Text) + "\n\n")
	}
	if v := markdownVerdict(r); v != "" {
		b.WriteString(v + "\n\n")
	}
	b.WriteString("| |")
	for _, s := range r.Strategies {
		name := mdEscape(s.Name)
		if len(r.Comparisons) > 0 && s.Name == r.Baseline {
			name += " (baseline)"
		}
		b.WriteString(" " + name + " |")
	}
	b.WriteString("\n| --- |")
	b.WriteString(strings.Repeat(" ---: |", len(r.Strategies)))
	b.WriteString("\n")
	for _, row := range figureRows(r) {
		switch {
		case row.section:
			b.WriteString("| **" + mdEscape(row.label) + "** |")
			b.WriteString(strings.Repeat(" |", len(r.Strategies)))
		case row.sub:
			b.WriteString("| &nbsp;&nbsp;" + mdEscape(row.label) + " |")
		default:
			b.WriteString("| " + mdEscape(row.label) + " |")
		}
		for _, c := range row.cells {
			b.WriteString(" " + markdownCell(c) + " |")
		}
		b.WriteString("\n")
	}
	if legend := comparisonLegend(r); legend != "" {
		b.WriteString("\n" + mdEscape(legend) + "\n")
	}
	writeMarkdownList(&b, "Notes", notesOf(r))
	writeMarkdownList(&b, "Warnings", r.Warnings)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}

// markdownCell formats one figure: value, half-width, change.
func markdownCell(c figureCell) string {
	s := mdEscape(c.value)
	if c.hw != "" {
		s += " " + mdEscape(c.hw)
	}
	if c.delta != "" {
		d := mdEscape(c.delta)
		if c.significant {
			d = "**" + d + "**"
		}
		s += " (" + d + ")"
	}
	return s
}

// markdownVerdict is the narrative's verdict in bold type, or "".
func markdownVerdict(r *Result) string {
	if len(r.Strategies) == 0 {
		return ""
	}
	lines := Narrative(r)
	if len(lines) == 0 {
		return ""
	}
	rest, ok := strings.CutPrefix(lines[len(lines)-1], "Verdict:")
	if !ok {
		return ""
	}
	return "**Verdict:** " + mdEscape(strings.TrimSpace(rest))
}

// writeMarkdownList writes a headed list after a blank line; nothing when
// there are no items.
func writeMarkdownList(b *strings.Builder, head string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString("\n**" + head + "**\n\n")
	for _, msg := range items {
		b.WriteString("- " + mdEscape(msg) + "\n")
	}
}

// mdEscape makes s safe inside a markdown table cell: one line, with the
// characters that markdown or the table would interpret escaped.
func mdEscape(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '|', '\\', '*', '_', '`', '<', '[', ']':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
