package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/scenarios"
	"github.com/scalesim/scalesim/sim/simtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/cli")

// runCLI runs the command line in-process and returns stdout, stderr and
// the exit status.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCLIEnv(t, nil, args...)
}

// runCLIEnv is runCLI in an environment holding the variables of env, a
// list of name, value pairs.
func runCLIEnv(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ios := testIO(env...)
	code = run(args, ios)
	return ios.Out.(*bytes.Buffer).String(), ios.Err.(*bytes.Buffer).String(), code
}

// golden compares got with testdata/cli/NAME.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	simtest.Golden(t, filepath.Join("testdata", "cli", name+".golden"), []byte(got), *update)
}

// lines splits s into its lines, without the final newline.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func TestUsageErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		name  string
		args  []string
		want  string // in the error line
		usage string // the command named in the help pointer; "" for none
	}{
		{"unknown flag", []string{"run", "--bogus"}, "unknown flag: --bogus", "scalesim run"},
		{"unknown shorthand", []string{"run", "-x"}, "unknown shorthand flag: 'x'", "scalesim run"},
		{"bad output", []string{"run", "-o", "xml"}, `invalid value "xml" for -o/--output: want table, json, csv or markdown`, "scalesim run"},
		{"replications 0", []string{"run", "--replications", "0"}, "--replications must be at least 1 (got 0)", "scalesim run"},
		{"replications not a number", []string{"run", "--replications", "many"}, `invalid argument "many"`, "scalesim run"},
		{"negative seed", []string{"run", "--seed", "-1"}, `invalid argument "-1"`, "scalesim run"},
		{"negative workers", []string{"run", "--workers", "-2"}, "--workers must be 0 (all cores) or more (got -2)", "scalesim run"},
		{"set without value", []string{"run", "--set", "workload.rate"}, `--set "workload.rate": want PATH=VALUE`, "scalesim run"},
		{"empty strategy", []string{"run", "--strategy", ""}, "--strategy needs a strategy name", "scalesim run"},
		{"two scenarios", []string{"run", "a", "b"}, "accepts at most 1 arg(s), received 2", "scalesim run"},
		{"unknown scenario", []string{"run", "nosuch"},
			"scenario nosuch: no such file or built-in scenario; run 'scalesim scenarios' to list the built-ins", ""},
		{"missing file", []string{"run", "missing.yaml"},
			"scenario missing.yaml: no such file or built-in scenario; run 'scalesim scenarios' to list the built-ins", ""},
		{"directory", []string{"run", "."}, "scenario .: is a directory, not a scenario file", ""},
		{"scenarios with args", []string{"scenarios", "extra"}, `unknown command "extra" for "scalesim scenarios"`, "scalesim scenarios"},
		{"catalog with args", []string{"catalog", "m5"}, `unknown command "m5" for "scalesim catalog"`, "scalesim catalog"},
		{"catalog bad output", []string{"catalog", "-o", "markdown"}, `invalid value "markdown" for -o/--output: want table, json or csv`, "scalesim catalog"},
		{"catalog unknown family", []string{"catalog", "--family", "zz9"}, `no instance family "zz9" in the catalog; families: c5,`, ""},
		{"validate without args", []string{"validate"}, "requires at least 1 arg(s), only received 0", "scalesim validate"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate" for "scalesim"`, "scalesim"},
		{"misspelt command", []string{"rn"}, `unknown command "rn" for "scalesim"; did you mean run?`, "scalesim"},
		{"root unknown flag", []string{"--bogus"}, "unknown flag: --bogus", "scalesim"},
		{"unknown help topic", []string{"help", "nosuch"}, `unknown help topic "nosuch"`, "scalesim help"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tt.args...)
			if code != exitInput {
				t.Errorf("exit status %d, want %d", code, exitInput)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			got := lines(stderr)
			want := 1
			if tt.usage != "" {
				want = 2
			}
			if len(got) != want {
				t.Fatalf("stderr has %d lines, want %d:\n%s", len(got), want, stderr)
			}
			if !strings.HasPrefix(got[0], "scalesim: ") || !strings.Contains(got[0], tt.want) {
				t.Errorf("error line = %q, want \"scalesim: ...%s...\"", got[0], tt.want)
			}
			if tt.usage != "" {
				if hint := fmt.Sprintf("Run '%s --help' for usage.", tt.usage); got[1] != hint {
					t.Errorf("second line = %q, want %q", got[1], hint)
				}
			}
		})
	}
}

func TestReportError(t *testing.T) {
	cmd := &cobra.Command{Use: "scalesim"}
	tests := []struct {
		name      string
		err       error
		wantCode  int
		wantLines []string
	}{
		{"regression", fmt.Errorf("2 limits exceeded: %w", errRegression), exitFail,
			[]string{"scalesim: 2 limits exceeded: regression detected"}},
		{"other", errors.New("disk full"), exitFail, []string{"scalesim: disk full"}},
		{"scenario error", fmt.Errorf("wrapped: %w", &scenarios.Error{File: "a.yaml", Line: 3, Path: "workload.rate", Msg: "must be > 0"}),
			exitInput, []string{"scalesim: wrapped: a.yaml:3: workload.rate: must be > 0"}},
		{"usage", usageErrorf("bad flag"), exitInput,
			[]string{"scalesim: bad flag", "Run 'scalesim --help' for usage."}},
		{"input", &inputError{errors.New("no such thing")}, exitInput, []string{"scalesim: no such thing"}},
		{"reported", &reportedError{code: exitInput}, exitInput, nil},
		{"interrupted", fmt.Errorf("run: %w", context.Canceled), exitFail, []string{"scalesim: interrupted"}},
		{"multi-line", errors.Join(errors.New("first"), errors.New("second")), exitFail,
			[]string{"scalesim: first", "scalesim: second"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if code := reportError(&buf, cmd, tt.err); code != tt.wantCode {
				t.Errorf("code = %d, want %d", code, tt.wantCode)
			}
			if got := lines(buf.String()); strings.Join(got, "\n") != strings.Join(tt.wantLines, "\n") {
				t.Errorf("stderr = %q, want %q", got, tt.wantLines)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{}, {"--help"}, {"run", "--help"}, {"help", "run"}, {"help", "completion", "bash"}, {"help"}} {
		stdout, stderr, code := runCLI(t, args...)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") || !strings.Contains(stdout, "Examples:") {
			t.Errorf("scalesim %q: exit %d, stderr %q, stdout:\n%s", args, code, stderr, stdout)
		}
	}
}

// TestEveryCommandHasExample walks the command tree.
func TestEveryCommandHasExample(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.Hidden && c.Example == "" {
			t.Errorf("%q has no Example", c.CommandPath())
		}
		if !c.Hidden && c.Short == "" {
			t.Errorf("%q has no Short description", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(testIO()))
}

func TestScenariosCmd(t *testing.T) {
	stdout, stderr, code := runCLI(t, "scenarios")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	names := map[string]bool{}
	for _, l := range lines(stdout) {
		names[strings.Fields(l)[0]] = true
	}
	for _, want := range []string{"default", "mmc"} {
		if !names[want] {
			t.Errorf("scenarios does not list %q:\n%s", want, stdout)
		}
	}
	golden(t, "scenarios", stdout)
}

func TestVersionCmd(t *testing.T) {
	stdout, stderr, code := runCLI(t, "version")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "scalesim ") || !strings.HasSuffix(stdout, "\n") {
		t.Errorf("exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	flagOut, _, code := runCLI(t, "--version")
	if code != 0 || flagOut != stdout {
		t.Errorf("--version: exit %d, %q; want %q", code, flagOut, stdout)
	}
}

func TestCompletion(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, name := range []string{"b.yaml", "a.yml", "notes.txt"} {
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir("sub", 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		want    []string // completions, in order, before the ":directive" line
		notWant []string
	}{
		{[]string{"__complete", "run", ""}, []string{"default\t", "mmc\t", "a.yml", "b.yaml", "sub" + string(filepath.Separator)}, []string{"notes.txt"}},
		{[]string{"__complete", "run", "mm"}, []string{"mmc\t"}, []string{"default", "a.yml"}},
		{[]string{"__complete", "validate", "x.yaml", "b"}, []string{"b.yaml"}, []string{"default"}},
		{[]string{"__complete", "run", "-o", ""}, []string{"table", "json", "csv", "markdown"}, nil},
		{[]string{"__complete", "catalog", "--output", ""}, []string{"table", "json", "csv"}, []string{"markdown"}},
		{[]string{"__complete", "catalog", "--family", ""}, []string{"c5", "m5"}, nil},
		{[]string{"__complete", "run", "mmc", "--strategy", ""}, []string{"fixed\n"}, nil},
	}
	for _, tt := range tests {
		stdout, _, code := runCLI(t, tt.args...)
		if code != 0 {
			t.Errorf("%q: exit %d", tt.args, code)
			continue
		}
		at := 0
		for _, w := range tt.want {
			i := strings.Index(stdout[at:], w)
			if i < 0 {
				t.Errorf("%q: no %q after offset %d in:\n%s", tt.args, w, at, stdout)
				break
			}
			at += i + len(w)
		}
		for _, nw := range tt.notWant {
			if strings.Contains(stdout, nw) {
				t.Errorf("%q: unexpected %q in:\n%s", tt.args, nw, stdout)
			}
		}
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		stdout, stderr, code := runCLI(t, "completion", shell)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "scalesim") {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes", shell, code, stderr, len(stdout))
		}
	}
}

func TestPrintWarnings(t *testing.T) {
	var buf bytes.Buffer
	printWarnings(&buf, []string{"replication 2 hit the event budget", "two\nlines"})
	want := "scalesim: warning: replication 2 hit the event budget\nscalesim: warning: two\nscalesim: warning: lines\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
