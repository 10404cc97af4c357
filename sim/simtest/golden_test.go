package simtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.TB.Fatalf("unexpected Fatalf: "+format, args...)
}

func TestGoldenUpdateThenMatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.golden")
	content := []byte("a\nb\n")
	rec := &recorder{TB: t}
	Golden(rec, path, content, true)
	if got, err := os.ReadFile(path); err != nil || string(got) != string(content) {
		t.Fatalf("after update the golden holds %q (err %v), want %q", got, err, content)
	}
	if err := os.WriteFile(path+".got", []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	Golden(rec, path, content, false)
	if len(rec.errors) != 0 {
		t.Errorf("matching content failed: %q", rec.errors)
	}
	if _, err := os.Stat(path + ".got"); !os.IsNotExist(err) {
		t.Errorf("stale %s.got still there after a match (stat err %v)", path, err)
	}
}

func TestGoldenMismatch(t *testing.T) {
	tests := []struct {
		name, want, got string
		line            int
		wantLine        string
		gotLine         string
	}{
		{"changed line", "a\nb\nc\n", "a\nB\nc\n", 2, `"b\n"`, `"B\n"`},
		{"extra line", "a\n", "a\nb\n", 2, `"<EOF>"`, `"b\n"`},
		{"missing newline", "a\nb\n", "a\nb", 2, `"b\n"`, `"b"`},
		{"first line", "x", "y", 1, `"x"`, `"y"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.golden")
			if err := os.WriteFile(path, []byte(tc.want), 0o644); err != nil {
				t.Fatal(err)
			}
			rec := &recorder{TB: t}
			Golden(rec, path, []byte(tc.got), false)
			if len(rec.errors) != 1 {
				t.Fatalf("got %d failures %q, want 1", len(rec.errors), rec.errors)
			}
			msg := rec.errors[0]
			for _, part := range []string{fmt.Sprintf("line %d ", tc.line), "-want: " + tc.wantLine, "+got:  " + tc.gotLine, "-update"} {
				if !strings.Contains(msg, part) {
					t.Errorf("failure message %q lacks %q", msg, part)
				}
			}
			if got, err := os.ReadFile(path + ".got"); err != nil || string(got) != tc.got {
				t.Errorf("%s.got holds %q (err %v), want %q", path, got, err, tc.got)
			}
			if got, _ := os.ReadFile(path); string(got) != tc.want {
				t.Errorf("golden changed to %q without -update", got)
			}
		})
	}
}

func TestGoldenMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.golden")
	rec := &recorder{TB: t}
	Golden(rec, path, []byte("new\n"), false)
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "does not exist") {
		t.Errorf("failures %q, want one saying the golden does not exist", rec.errors)
	}
	if got, err := os.ReadFile(path + ".got"); err != nil || string(got) != "new\n" {
		t.Errorf("%s.got holds %q (err %v), want %q", path, got, err, "new\n")
	}
}
