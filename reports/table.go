package reports

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Table layout limits.
const (
	tableWidth        = 80 // no line is wider, in runes
	tableGap          = 2  // spaces between columns
	tableMaxColumns   = 4  // strategies side by side in one block
	tableMaxNameRunes = 18 // longer strategy names lose their middle to "…"
)

// WriteTable writes r for people: the scenario, seed and duration, then
// the figures of every strategy with strategies side by side as columns,
// in blocks of at most four that fit an 80-column terminal, then the
// warnings. Counts have thousand separators, latencies and rates three
// significant digits, ratios are percentages.
func WriteTable(w io.Writer, r *Result) error {
	var b strings.Builder
	b.WriteString(truncate("scenario "+r.Scenario, tableWidth) + "\n")
	writeWrapped(&b, runDescription(r), "", "  ")
	rows := figureRows(r.Strategies)
	labelW := 0
	for _, row := range rows {
		labelW = max(labelW, utf8.RuneCountInString(tableLabel(row)))
	}
	for _, blk := range tableBlocks(r.Strategies, rows, labelW) {
		b.WriteString("\n")
		writeTableBlock(&b, r.Strategies, rows, labelW, blk)
	}
	if len(r.Strategies) == 0 {
		b.WriteString("\nno strategies\n")
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\nwarnings:\n")
		for _, msg := range r.Warnings {
			writeWrapped(&b, msg, "  - ", "    ")
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// tableLabel is a row's label with its indentation.
func tableLabel(row figureRow) string {
	if row.sub {
		return "  " + row.label
	}
	return row.label
}

// tableBlock is a run of strategies shown side by side: [from, to), with
// the width of each column.
type tableBlock struct {
	from, to int
	widths   []int
}

// tableBlocks splits the strategies into blocks that fit tableWidth.
func tableBlocks(strats []StrategySummary, rows []figureRow, labelW int) []tableBlock {
	var blocks []tableBlock
	cur := tableBlock{}
	used := labelW
	for i := range strats {
		w := utf8.RuneCountInString(truncateMiddle(strats[i].Name, tableMaxNameRunes))
		for _, row := range rows {
			if !row.section {
				w = max(w, utf8.RuneCountInString(row.values[i]))
			}
		}
		full := len(cur.widths) == tableMaxColumns || used+tableGap+w > tableWidth
		if len(cur.widths) > 0 && full {
			blocks = append(blocks, cur)
			cur, used = tableBlock{from: i}, labelW
		}
		cur.to = i + 1
		cur.widths = append(cur.widths, w)
		used += tableGap + w
	}
	if len(cur.widths) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// writeTableBlock writes the header and figure rows of one block.
func writeTableBlock(b *strings.Builder, strats []StrategySummary, rows []figureRow, labelW int, blk tableBlock) {
	cells := make([]string, 0, len(blk.widths))
	for i := blk.from; i < blk.to; i++ {
		cells = append(cells, truncateMiddle(strats[i].Name, tableMaxNameRunes))
	}
	writeTableLine(b, "", labelW, cells, blk.widths)
	for _, row := range rows {
		if row.section {
			b.WriteString(row.label + "\n")
			continue
		}
		writeTableLine(b, tableLabel(row), labelW, row.values[blk.from:blk.to], blk.widths)
	}
}

// writeTableLine writes a left-aligned label and right-aligned cells.
func writeTableLine(b *strings.Builder, label string, labelW int, cells []string, widths []int) {
	b.WriteString(label)
	b.WriteString(strings.Repeat(" ", labelW-utf8.RuneCountInString(label)))
	for i, c := range cells {
		b.WriteString(strings.Repeat(" ", tableGap+widths[i]-utf8.RuneCountInString(c)))
		b.WriteString(c)
	}
	b.WriteString("\n")
}

// writeWrapped writes text word-wrapped to tableWidth runes, the first line
// prefixed with first and the others with rest. A word longer than a line
// is cut.
func writeWrapped(b *strings.Builder, text, first, rest string) {
	prefix := first
	line := ""
	flush := func() {
		b.WriteString(prefix + line + "\n")
		prefix, line = rest, ""
	}
	longest := max(utf8.RuneCountInString(first), utf8.RuneCountInString(rest))
	for _, word := range strings.Fields(text) {
		room := tableWidth - utf8.RuneCountInString(prefix)
		word = truncate(word, tableWidth-longest)
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= room:
			line += " " + word
		default:
			flush()
			line = word
		}
	}
	if line != "" || prefix == first {
		flush()
	}
}
