package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutFile: a file is written whole, its directory made, no temporary
// file left; gzipped by name when asked; untouched until commit and
// removed by abort; an error names the flag and the file.
func TestOutFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "b.json")
	if err := writeOut("--output-file", name, []byte("x")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if b, err := os.ReadFile(name); err != nil || string(b) != "x" || len(entries) != 1 {
		t.Errorf("file %q, %v; %d entries (no temporary file may remain)", b, err, len(entries))
	}

	// Replaced only at commit; an aborted write leaves the old file.
	f, err := createOut("--out", name, true)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("new"))
	if b, _ := os.ReadFile(name); string(b) != "x" {
		t.Errorf("before commit the file reads %q, want the old x", b)
	}
	f.abort()
	if entries, _ := os.ReadDir(filepath.Dir(name)); len(entries) != 1 {
		t.Errorf("%d entries after abort, want the old file alone", len(entries))
	}

	// Gzipped by its name.
	gz := filepath.Join(dir, "c.csv.gz")
	if f, err = createOut("--out", gz, true); err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("time\n1\n"))
	if err := f.commit(); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	zr, err := gzip.NewReader(r)
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	if b, _ := io.ReadAll(zr); string(b) != "time\n1\n" {
		t.Errorf("gzipped content %q", b)
	}

	err = writeOut("--output-file", filepath.Join(name, "under-a-file"), nil)
	if err == nil || !strings.Contains(err.Error(), "--output-file "+filepath.Join(name, "under-a-file")) {
		t.Errorf("writing under a file: %v, want an error naming the flag and the file", err)
	}

	// A commit that fails (the name is a directory) leaves nothing.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeOut("--out", sub, []byte("x")); err == nil || !strings.Contains(err.Error(), "--out "+sub) {
		t.Errorf("writing over a directory: %v, want an error naming the flag and the file", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 { // a, c.csv.gz, sub
		t.Errorf("%d entries after a failed commit, want 3 (no temporary file)", len(entries))
	}

	// A name that is no regular file is written directly, and kept.
	if err := writeOut("--out", os.DevNull, []byte("x")); err != nil {
		t.Errorf("writing to %s: %v", os.DevNull, err)
	}
	if _, err := os.Stat(os.DevNull); err != nil {
		t.Errorf("%s is gone: %v", os.DevNull, err)
	}
}
