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
	tableGap          = 2  // spaces between columns, and before a delta
	tableMaxColumns   = 4  // strategies side by side in one block
	tableMaxNameRunes = 18 // longer strategy names lose their middle to "…"
)

// ANSI escapes of the coloured table.
const (
	ansiBold  = "\x1b[1m"
	ansiGreen = "\x1b[32m"
	ansiRed   = "\x1b[31m"
	ansiReset = "\x1b[0m"
)

// TableOptions adjusts WriteTableOptions.
type TableOptions struct {
	// Color adds ANSI colours: strategy names in bold, significant
	// improvements over the baseline in green, significant worsenings in
	// red. Meant for terminals only; the caller decides (and honours
	// NO_COLOR).
	Color bool
}

// WriteTable writes r for people, without colour: see WriteTableOptions.
func WriteTable(w io.Writer, r *Result) error {
	return WriteTableOptions(w, r, TableOptions{})
}

// WriteTableOptions writes r for people: the scenario, seed and duration,
// then the figures of every strategy with strategies side by side as
// columns, in blocks of at most four that fit an 80-column terminal, then
// the verdict (the narrative's last paragraph: the cheapest strategy that
// met the SLO in nearly every minute, or the one closest), the notes and
// the warnings, then the lesson when the scenario asks a question
// (LessonParagraphs). Counts have thousand separators, latencies
// and rates three significant digits, ratios are percentages. With
// replications each figure is followed by its 95% half-width.
//
// With comparisons (r.Comparisons), each compared figure of a strategy is
// followed by its change from the baseline, benchstat style: "+12% ±3%",
// or "~" when the difference is not significant. When the strategies do
// not fit side by side with their changes, the changes go in a block of
// their own, headed "vs BASELINE".
func WriteTableOptions(w io.Writer, r *Result, opts TableOptions) error {
	var b strings.Builder
	b.WriteString(truncate("scenario "+r.Scenario, tableWidth) + "\n")
	writeWrapped(&b, runDescription(r), "", "  ")
	tw := tableWriter{b: &b, color: opts.Color}
	rows := figureRows(r)
	labelW := 0
	for _, row := range rows {
		labelW = max(labelW, utf8.RuneCountInString(tableLabel(row)))
	}
	inline := len(r.Comparisons) > 0
	cols := tableColumns(r, rows, inline)
	if inline && !fitsOneBlock(cols, labelW) {
		inline = false
		cols = tableColumns(r, rows, false)
	}
	for _, blk := range tableBlocks(cols, labelW) {
		b.WriteString("\n")
		tw.block("", rows, labelW, blk)
	}
	if len(r.Strategies) == 0 {
		b.WriteString("\nno strategies\n")
	}
	if len(r.Comparisons) > 0 && !inline {
		vsRows, vsCols := deltaColumns(r, rows)
		head := truncate("vs "+r.Baseline, labelW)
		for _, blk := range tableBlocks(vsCols, labelW) {
			b.WriteString("\n")
			tw.block(head, vsRows, labelW, blk)
		}
	}
	if legend := comparisonLegend(r); legend != "" {
		b.WriteString("\n")
		writeWrapped(&b, legend, "", "")
	}
	if v := verdict(r); v != "" {
		b.WriteString("\n")
		writeWrapped(&b, v, "", "")
	}
	writeList(&b, "notes:", notesOf(r))
	writeList(&b, "warnings:", r.Warnings)
	for _, p := range LessonParagraphs(r) {
		b.WriteString("\n")
		writeWrapped(&b, p.String(), "", "")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// writeList writes a headed list of wrapped items, after a blank line;
// nothing when there are no items.
func writeList(b *strings.Builder, head string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString("\n" + head + "\n")
	for _, msg := range items {
		writeWrapped(b, msg, "  - ", "    ")
	}
}

// tableLabel is a row's label with its indentation.
func tableLabel(row figureRow) string {
	if row.sub {
		return "  " + row.label
	}
	return row.label
}

// tableColumn is one strategy's column: its heading, its cells (one per
// row, as in the rows given to the block) and the widths of its parts:
// the value, the half-width and the delta, each right-aligned. A part of
// width 0 is not shown.
type tableColumn struct {
	name                 string
	cells                []figureCell
	wValue, wHW, wDelta  int
	wText                int // the widest word (text cells share the value's place)
	width                int
	showValue, showDelta bool
}

// measure sets the widths of c's parts and of the column.
func (c *tableColumn) measure() {
	for _, cell := range c.cells {
		if cell.text {
			c.wText = max(c.wText, utf8.RuneCountInString(cell.value))
			continue
		}
		if c.showValue {
			c.wValue = max(c.wValue, utf8.RuneCountInString(cell.value))
			c.wHW = max(c.wHW, utf8.RuneCountInString(cell.hw))
		}
		if c.showDelta {
			c.wDelta = max(c.wDelta, utf8.RuneCountInString(cell.delta))
		}
	}
	inner := c.wValue
	if c.wHW > 0 {
		inner += 1 + c.wHW
	}
	inner = max(inner, c.wText)
	if c.wDelta > 0 {
		if inner > 0 {
			inner += tableGap
		}
		inner += c.wDelta
	}
	c.width = max(c.width, utf8.RuneCountInString(c.name), inner)
}

// tableColumns lays out one column per strategy over rows; with deltas,
// the strategies compared with the baseline show their changes too.
func tableColumns(r *Result, rows []figureRow, deltas bool) []tableColumn {
	cols := make([]tableColumn, len(r.Strategies))
	for i, s := range r.Strategies {
		c := tableColumn{name: truncateMiddle(s.Name, tableMaxNameRunes), showValue: true, showDelta: deltas}
		for _, row := range rows {
			if row.section {
				c.cells = append(c.cells, figureCell{})
				continue
			}
			c.cells = append(c.cells, row.cells[i])
		}
		c.measure()
		cols[i] = c
	}
	return cols
}

// deltaColumns lays out the "vs BASELINE" block: the compared figures
// (with their section headings) as rows and one column of changes per
// compared strategy.
func deltaColumns(r *Result, rows []figureRow) ([]figureRow, []tableColumn) {
	var keep []int
	pendingSection := -1
	for i, row := range rows {
		if row.section {
			pendingSection = i
			continue
		}
		if !row.sub {
			pendingSection = -1
		}
		has := false
		for _, c := range row.cells {
			has = has || c.delta != ""
		}
		if !has {
			continue
		}
		if pendingSection >= 0 {
			keep = append(keep, pendingSection)
			pendingSection = -1
		}
		keep = append(keep, i)
	}
	out := make([]figureRow, len(keep))
	for k, i := range keep {
		out[k] = rows[i]
	}
	var cols []tableColumn
	for i, s := range r.Strategies {
		if s.Name == r.Baseline {
			continue
		}
		c := tableColumn{name: truncateMiddle(s.Name, tableMaxNameRunes), showDelta: true}
		for _, row := range out {
			if row.section {
				c.cells = append(c.cells, figureCell{})
				continue
			}
			c.cells = append(c.cells, row.cells[i])
		}
		c.measure()
		cols = append(cols, c)
	}
	return out, cols
}

// fitsOneBlock reports whether every column fits side by side.
func fitsOneBlock(cols []tableColumn, labelW int) bool {
	used := labelW
	for _, c := range cols {
		used += tableGap + c.width
	}
	return len(cols) <= tableMaxColumns && used <= tableWidth
}

// tableBlock is a run of columns shown side by side.
type tableBlock []tableColumn

// tableBlocks splits the columns into blocks that fit tableWidth.
func tableBlocks(cols []tableColumn, labelW int) []tableBlock {
	var blocks []tableBlock
	var cur tableBlock
	used := labelW
	for _, c := range cols {
		full := len(cur) == tableMaxColumns || used+tableGap+c.width > tableWidth
		if len(cur) > 0 && full {
			blocks = append(blocks, cur)
			cur, used = nil, labelW
		}
		cur = append(cur, c)
		used += tableGap + c.width
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// tableWriter writes table lines, with or without colour.
type tableWriter struct {
	b     *strings.Builder
	color bool
}

// paint wraps s in an ANSI escape when colouring.
func (t tableWriter) paint(code, s string) string {
	if !t.color || s == "" || code == "" {
		return s
	}
	return code + s + ansiReset
}

// block writes the heading (head in the label column, then the column
// names) and the rows of one block.
func (t tableWriter) block(head string, rows []figureRow, labelW int, blk tableBlock) {
	var line strings.Builder
	line.WriteString(head)
	pad(&line, labelW-utf8.RuneCountInString(head))
	for _, c := range blk {
		pad(&line, tableGap+c.width-utf8.RuneCountInString(c.name))
		line.WriteString(t.paint(ansiBold, c.name))
	}
	t.end(&line)
	for i, row := range rows {
		if row.section {
			t.b.WriteString(row.label + "\n")
			continue
		}
		label := tableLabel(row)
		line.WriteString(label)
		pad(&line, labelW-utf8.RuneCountInString(label))
		for _, c := range blk {
			t.cell(&line, c, c.cells[i])
		}
		t.end(&line)
	}
}

// cell writes one cell of column c, right-aligned in the column.
func (t tableWriter) cell(line *strings.Builder, c tableColumn, cell figureCell) {
	type part struct {
		text  string
		width int
		sep   int
		code  string
	}
	parts := []part{{cell.value, c.wValue, 0, ""}, {cell.hw, c.wHW, 1, ""}, {cell.delta, c.wDelta, tableGap, ""}}
	switch {
	case cell.tone > 0:
		parts[2].code = ansiGreen
	case cell.tone < 0:
		parts[2].code = ansiRed
	}
	if !c.showValue {
		parts[0].text, parts[1].text = "", ""
	}
	if !c.showDelta {
		parts[2].text = ""
	}
	if cell.text { // aligned with the values, before any delta
		after := 0
		if c.wDelta > 0 && (c.wValue > 0 || c.wHW > 0) {
			after = tableGap + c.wDelta
		}
		pad(line, tableGap+c.width-after-utf8.RuneCountInString(cell.value))
		line.WriteString(cell.value)
		pad(line, after)
		return
	}
	inner := 0
	for _, p := range parts {
		if p.width > 0 {
			if inner > 0 {
				inner += p.sep
			}
			inner += p.width
		}
	}
	pad(line, tableGap+c.width-inner)
	first := true
	for _, p := range parts {
		if p.width == 0 {
			continue
		}
		if !first {
			pad(line, p.sep)
		}
		first = false
		pad(line, p.width-utf8.RuneCountInString(p.text))
		line.WriteString(t.paint(p.code, p.text))
	}
}

// end writes line without its trailing spaces and a newline, and resets it.
func (t tableWriter) end(line *strings.Builder) {
	t.b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	line.Reset()
}

// pad writes n spaces (none if n <= 0).
func pad(b *strings.Builder, n int) {
	if n > 0 {
		b.WriteString(strings.Repeat(" ", n))
	}
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
