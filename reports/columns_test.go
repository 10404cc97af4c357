package reports

import "testing"

// TestColumns: columns as wide as their widest cell (in runes), two spaces
// apart, numbers right-aligned, no trailing spaces; no header line without
// a header.
func TestColumns(t *testing.T) {
	c := Columns{
		Header: []string{"NAME", "N", "NOTE"},
		Rows:   [][]string{{"µs", "1", "a"}, {"longer", "1000", ""}},
		Right:  []bool{false, true},
	}
	want := "NAME       N  NOTE\n" +
		"µs         1  a\n" +
		"longer  1000\n"
	if got := c.String(); got != want {
		t.Errorf("with a header\n got %q\nwant %q", got, want)
	}
	c.Header = nil
	if got, want := c.String(), "µs         1  a\nlonger  1000\n"; got != want {
		t.Errorf("without a header\n got %q\nwant %q", got, want)
	}
}
