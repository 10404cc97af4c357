package reports

import (
	"io"
	"strings"
	"unicode/utf8"
)

// columnGap is the number of spaces between the columns of a plain-text
// table.
const columnGap = 2

// Columns is a plain-text table of rows under a header, every column as
// wide as its widest cell, columns columnGap spaces apart. It is the one
// column layout of the reports (sweep and check tables) and of the CLI's
// listings (catalog, trace statistics, fits).
type Columns struct {
	Header []string // none: no header line
	Rows   [][]string
	// Right marks the columns whose cells are right-aligned (numbers);
	// the others are left-aligned. Missing entries mean left.
	Right []bool
}

// String renders the table, one line per row after the header, each
// ending in a newline and without trailing spaces.
func (c Columns) String() string {
	lines := c.Rows
	if len(c.Header) > 0 {
		lines = append([][]string{c.Header}, c.Rows...)
	}
	var widths []int
	for _, line := range lines {
		for j, cell := range line {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], utf8.RuneCountInString(cell))
		}
	}
	var b, l strings.Builder
	for _, line := range lines {
		l.Reset()
		for j, cell := range line {
			if j > 0 {
				l.WriteString(strings.Repeat(" ", columnGap))
			}
			pad := strings.Repeat(" ", widths[j]-utf8.RuneCountInString(cell))
			if j < len(c.Right) && c.Right[j] {
				l.WriteString(pad + cell)
			} else {
				l.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	return b.String()
}

// WriteTo writes the table to w.
func (c Columns) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, c.String())
	return int64(n), err
}
