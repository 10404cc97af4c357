package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/name.golden. With -update it
// rewrites the golden file; on a mismatch it writes testdata/name.got
// beside it.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -update to create it): %v", err)
	}
	gotPath := filepath.Join("testdata", name+".got")
	if !bytes.Equal(got, want) {
		if err := os.WriteFile(gotPath, got, 0o644); err != nil {
			t.Errorf("write %s: %v", gotPath, err)
		}
		t.Errorf("%s differs from %s; see %s (go test -update accepts it)", name, path, gotPath)
		return
	}
	_ = os.Remove(gotPath)
}
