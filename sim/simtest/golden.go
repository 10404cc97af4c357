package simtest

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Golden compares got with the golden file at path and fails t on a
// difference. On a mismatch it writes got to path+".got" and reports the
// first differing line; on a match it removes a stale path+".got". With
// update set it writes got to path (creating its directory) instead of
// comparing. Each test package declares its own flag, typically
//
//	var update = flag.Bool("update", false, "rewrite golden files")
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("golden: %v", err)
	}
	if err == nil && bytes.Equal(got, want) {
		_ = os.Remove(path + ".got")
		return
	}
	if werr := os.WriteFile(path+".got", got, 0o644); werr != nil {
		t.Errorf("golden: %v", werr)
	}
	if err != nil {
		t.Errorf("golden file %s does not exist (wrote %s.got); run with -update to create it", path, path)
		return
	}
	line, w, g := firstDiff(want, got)
	t.Errorf("%s differs from golden at line %d (wrote %s.got; run with -update to accept):\n-want: %q\n+got:  %q",
		path, line, path, w, g)
}

// firstDiff returns the 1-based number of the first line at which a and b
// differ, and that line of each; a missing line is shown as "<EOF>".
func firstDiff(a, b []byte) (line int, la, lb string) {
	as, bs := bytes.SplitAfter(a, []byte("\n")), bytes.SplitAfter(b, []byte("\n"))
	for i := 0; i < max(len(as), len(bs)); i++ {
		if x, y := lineAt(as, i), lineAt(bs, i); x != y {
			return i + 1, x, y
		}
	}
	return 0, "", "" // a and b are equal
}

// lineAt returns lines[i], or "<EOF>" past the end.
func lineAt(lines [][]byte, i int) string {
	if i >= len(lines) || (i == len(lines)-1 && len(lines[i]) == 0) {
		return "<EOF>"
	}
	return string(lines[i])
}
