package reports

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes r as GitHub-flavoured markdown: a one-line header
// naming the scenario, seed and duration, then one table of the same
// figures as WriteTable with strategies as columns, then the warnings as a
// list.
func WriteMarkdown(w io.Writer, r *Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**: %s\n\n", mdEscape(r.Scenario), runDescription(r))
	b.WriteString("| |")
	for _, s := range r.Strategies {
		b.WriteString(" " + mdEscape(s.Name) + " |")
	}
	b.WriteString("\n| --- |")
	b.WriteString(strings.Repeat(" ---: |", len(r.Strategies)))
	b.WriteString("\n")
	for _, row := range figureRows(r.Strategies) {
		switch {
		case row.section:
			b.WriteString("| **" + mdEscape(row.label) + "** |")
			b.WriteString(strings.Repeat(" |", len(r.Strategies)))
		case row.sub:
			b.WriteString("| &nbsp;&nbsp;" + mdEscape(row.label) + " |")
		default:
			b.WriteString("| " + mdEscape(row.label) + " |")
		}
		for _, v := range row.values {
			b.WriteString(" " + mdEscape(v) + " |")
		}
		b.WriteString("\n")
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n**Warnings**\n\n")
		for _, msg := range r.Warnings {
			b.WriteString("- " + mdEscape(msg) + "\n")
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
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
