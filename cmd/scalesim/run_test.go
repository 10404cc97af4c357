package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

func TestNewCmdRun(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("mmc", []byte("name: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("default", 0o755); err != nil { // a directory is not a scenario file
		t.Fatal(err)
	}
	seed := func(n uint64) *uint64 { return &n }
	cores := runtime.GOMAXPROCS(0)
	base := runOptions{runFlags: runFlags{Output: "table", Replications: 1, Workers: cores,
		ref: scenarioRef{Arg: "default", Builtin: true}}}
	tests := []struct {
		name    string
		args    []string
		want    func(o *runOptions)
		wantErr string // a usage error containing this
	}{
		{"no argument runs default", nil, func(*runOptions) {}, ""},
		{"built-in name over a directory", []string{"default"}, func(o *runOptions) {
			o.Scenario = "default"
		}, ""},
		{"existing file wins over built-in", []string{"mmc"}, func(o *runOptions) {
			o.Scenario, o.ref = "mmc", scenarioRef{Arg: "mmc"}
		}, ""},
		{"seed", []string{"--seed", "9"}, func(o *runOptions) { o.Seed = seed(9) }, ""},
		{"seed zero is set", []string{"--seed=0"}, func(o *runOptions) { o.Seed = seed(0) }, ""},
		{"output", []string{"-o", "json"}, func(o *runOptions) { o.Output = "json" }, ""},
		{"output long", []string{"--output=markdown"}, func(o *runOptions) { o.Output = "markdown" }, ""},
		{"out dir", []string{"--out", "rep"}, func(o *runOptions) { o.OutDir = "rep" }, ""},
		{"strategies repeat", []string{"--strategy", "asg", "--strategy", "fixed,b"}, func(o *runOptions) {
			o.Strategies = []string{"asg", "fixed,b"}
		}, ""},
		{"replications", []string{"--replications", "5"}, func(o *runOptions) { o.Replications = 5 }, ""},
		{"sets in order", []string{"--set", "workload.rate=500", "--set", "strategies.asg.max=60"}, func(o *runOptions) {
			o.Sets = []string{"workload.rate=500", "strategies.asg.max=60"}
		}, ""},
		{"set value with comma and equals", []string{"--set", "strategies.resize.ladder=[a, b]", "--set", "name=a=b"}, func(o *runOptions) {
			o.Sets = []string{"strategies.resize.ladder=[a, b]", "name=a=b"}
		}, ""},
		{"workers", []string{"--workers", "3"}, func(o *runOptions) { o.Workers = 3 }, ""},
		{"workers zero means all cores", []string{"--workers", "0"}, func(*runOptions) {}, ""},
		{"no progress", []string{"--no-progress"}, func(o *runOptions) { o.NoProgress = true }, ""},
		{"hidden checks", []string{"--checks"}, func(o *runOptions) { o.Checks = true }, ""},
		{"baseline", []string{"--baseline", "fixed"}, func(o *runOptions) { o.Baseline = "fixed" }, ""},
		{"precision percent", []string{"--precision", "2%"}, func(o *runOptions) { o.PrecisionArg, o.Precision = "2%", 0.02 }, ""},
		{"precision fraction", []string{"--precision=0.005"}, func(o *runOptions) { o.PrecisionArg, o.Precision = "0.005", 0.005 }, ""},
		{"precision with max", []string{"--precision", "0.5%", "--max-replications", "20"}, func(o *runOptions) {
			o.PrecisionArg, o.Precision, o.MaxReplications = "0.5%", 0.005, 20
		}, ""},
		{"explain", []string{"--explain"}, func(o *runOptions) { o.Explain = true }, ""},
		{"bad output", []string{"-o", "yaml"}, nil, `invalid value "yaml" for -o/--output`},
		{"precision word", []string{"--precision", "tight"}, nil, `--precision "tight": want a percentage such as 2%`},
		{"precision zero", []string{"--precision", "0%"}, nil, `--precision "0%": must be more than 0`},
		{"precision over 100%", []string{"--precision", "150%"}, nil, `--precision "150%": must be more than 0 and at most 100%`},
		{"precision negative", []string{"--precision=-0.02"}, nil, `must be more than 0`},
		{"precision NaN", []string{"--precision", "NaN"}, nil, `want a percentage`},
		{"max replications alone", []string{"--max-replications", "9"}, nil, "--max-replications only applies with --precision"},
		{"max replications below replications", []string{"--precision", "2%", "--max-replications", "3", "--replications", "5"}, nil,
			"--max-replications 3 is fewer than --replications 5"},
		{"max replications over the limit", []string{"--precision", "2%", "--max-replications", "1001"}, nil, "--max-replications must be from 1 to 1000"},
		{"replications zero", []string{"--replications", "0"}, nil, "--replications must be at least 1"},
		{"replications negative", []string{"--replications=-3"}, nil, "--replications must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *runOptions
			ios := testIO()
			cmd := newRunCmd(ios, func(o *runOptions) error { got = o; return nil })
			cmd.SetArgs(append([]string{}, tt.args...)) // nil would mean os.Args
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tt.wantErr != "" {
				var ue *usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a usage error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := base
			want.IO = ios
			tt.want(&want)
			if msg := diffRunOptions(got, &want); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// diffRunOptions describes how got differs from want, or returns "".
func diffRunOptions(got, want *runOptions) string {
	var d []string
	check := func(name string, eq bool, g, w any) {
		if !eq {
			d = append(d, name+": got "+jsonString(g)+", want "+jsonString(w))
		}
	}
	check("Scenario", got.Scenario == want.Scenario, got.Scenario, want.Scenario)
	check("Seed", (got.Seed == nil) == (want.Seed == nil) && (got.Seed == nil || *got.Seed == *want.Seed), got.Seed, want.Seed)
	check("Output", got.Output == want.Output, got.Output, want.Output)
	check("OutDir", got.OutDir == want.OutDir, got.OutDir, want.OutDir)
	check("Strategies", slices.Equal(got.Strategies, want.Strategies), got.Strategies, want.Strategies)
	check("Replications", got.Replications == want.Replications, got.Replications, want.Replications)
	check("Sets", slices.Equal(got.Sets, want.Sets), got.Sets, want.Sets)
	check("Workers", got.Workers == want.Workers, got.Workers, want.Workers)
	check("NoProgress", got.NoProgress == want.NoProgress, got.NoProgress, want.NoProgress)
	check("Checks", got.Checks == want.Checks, got.Checks, want.Checks)
	check("Baseline", got.Baseline == want.Baseline, got.Baseline, want.Baseline)
	check("PrecisionArg", got.PrecisionArg == want.PrecisionArg, got.PrecisionArg, want.PrecisionArg)
	check("Precision", got.Precision == want.Precision, got.Precision, want.Precision)
	check("MaxReplications", got.MaxReplications == want.MaxReplications, got.MaxReplications, want.MaxReplications)
	check("Explain", got.Explain == want.Explain, got.Explain, want.Explain)
	check("Color", got.Color == want.Color, got.Color, want.Color)
	check("ref", got.ref == want.ref, got.ref, want.ref)
	check("IO", got.IO.Out == want.IO.Out && got.IO.Err == want.IO.Err && got.IO.Schema == want.IO.Schema, "streams", "testIO streams")
	return strings.Join(d, "\n")
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestRunJSON(t *testing.T) {
	stdout, stderr, code := runCLI(t, "run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	var got struct {
		SchemaVersion int              `json:"schema_version"`
		Scenario      string           `json:"scenario"`
		DurationS     float64          `json:"duration_s"`
		Strategies    []map[string]any `json:"strategies"`
	}
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("stdout holds more than one JSON value (%v):\n%s", err, stdout)
	}
	if got.SchemaVersion != 1 || got.DurationS != 120 || len(got.Strategies) == 0 {
		t.Errorf("schema_version %d, duration_s %v, %d strategies; want 1, 120, >0",
			got.SchemaVersion, got.DurationS, len(got.Strategies))
	}
	if strings.Contains(stderr, "\r") {
		t.Errorf("progress drawn on a non-terminal stderr: %q", stderr)
	}
}

func TestRunCSVHeader(t *testing.T) {
	stdout, stderr, code := runCLI(t, "run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "csv")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	const header = "strategy,minute,arrivals,completed,errors,p50_ms,p99_ms,instances_in_service,instances_pending,utilization,cost_usd,iterator_age_ms,nodes_in_service,nodes_pending"
	if got := lines(stdout); len(got) < 2 || got[0] != header {
		t.Errorf("csv starts %q, want header %q and rows", got[:min(1, len(got))], header)
	}
}

// TestRunGolden pins every output format of a short deterministic run.
func TestRunGolden(t *testing.T) {
	for _, format := range resultFormats() {
		t.Run(format, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "run", "mmc", "--set", "duration=3m", "--set", "warmup=30s", "-o", format)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			golden(t, "run_mmc_3m_"+format, stdout)
		})
	}
}

// TestRunWorkersIndependent checks that the worker count does not change
// the output.
func TestRunWorkersIndependent(t *testing.T) {
	one, _, c1 := runCLI(t, "run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "json", "--workers", "1", "--replications", "2")
	two, _, c2 := runCLI(t, "run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "json", "--workers", "2", "--replications", "2")
	if c1 != 0 || c2 != 0 || one != two {
		t.Errorf("--workers 1 and 2 differ (exit %d, %d):\n%s\n---\n%s", c1, c2, one, two)
	}
}

func TestRunSeed(t *testing.T) {
	a, _, _ := runCLI(t, "run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "json", "--seed", "11")
	b, _, _ := runCLI(t, "run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "json", "--seed", "12")
	var ra, rb reports.Result
	if err := json.Unmarshal([]byte(a), &ra); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &rb); err != nil {
		t.Fatal(err)
	}
	if ra.Seed != 11 || rb.Seed != 12 || a == b {
		t.Errorf("seeds %d and %d; outputs equal: %v", ra.Seed, rb.Seed, a == b)
	}
}

func TestRunOutDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "bundle")
	stdout, stderr, code := runCLI(t, "run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "json", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	summary, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(summary) != stdout {
		t.Errorf("summary.json differs from the -o json output")
	}
	csv, err := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
	if err != nil || !bytes.HasPrefix(csv, []byte("strategy,minute,")) {
		t.Errorf("timeseries.csv: %v, starts %.30q", err, csv)
	}
	if y, err := os.ReadFile(filepath.Join(dir, "scenario.yaml")); err == nil {
		// The effective scenario must be loadable again and give the same result.
		again, stderr2, code2 := runCLI(t, "run", filepath.Join(dir, "scenario.yaml"), "-o", "json")
		if code2 != 0 || again != stdout {
			t.Errorf("re-running scenario.yaml: exit %d, stderr %q, same output %v\n%s", code2, stderr2, again == stdout, y)
		}
	}
	if !strings.Contains(stderr, "wrote summary.json, timeseries.csv") {
		t.Errorf("stderr = %q, want a line naming the files written", stderr)
	}
}

const goodScenario = `name: tiny
duration: 2m
slo:
  latency: 300ms
workload:
  type: poisson
  rate: 20
service:
  time: {dist: exponential, mean: 50ms}
strategies:
  - name: fixed
    type: static
    instance_type: m5.large
    count: 2
`

func TestValidateCmd(t *testing.T) {
	t.Chdir(t.TempDir())
	bad := strings.Replace(goodScenario, "slo:", "colour: blue\nslo:", 1) // line 3
	for name, text := range map[string]string{"good.yaml": goodScenario, "bad.yaml": bad} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	stdout, stderr, code := runCLI(t, "validate", "good.yaml", "mmc")
	if code != 0 || stdout != "OK  good.yaml\nOK  mmc\n" || stderr != "" {
		t.Errorf("valid: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	stdout, stderr, code = runCLI(t, "validate", "bad.yaml", "good.yaml", "nosuch.yaml")
	if code != exitInput {
		t.Errorf("invalid: exit %d, want %d", code, exitInput)
	}
	if stdout != "OK  good.yaml\n" {
		t.Errorf("invalid: stdout %q, want only good.yaml", stdout)
	}
	errs := lines(stderr)
	if len(errs) != 2 ||
		!strings.HasPrefix(errs[0], "scalesim: bad.yaml:3") || !strings.Contains(errs[0], "colour") ||
		!strings.HasPrefix(errs[1], "scalesim: scenario nosuch.yaml: no such file") {
		t.Errorf("invalid: stderr lines %q, want bad.yaml:3 (colour) then nosuch.yaml", errs)
	}

	// --set applies to every scenario.
	stdout, stderr, code = runCLI(t, "validate", "good.yaml", "--set", "workload.rate=-5")
	if code != exitInput || stdout != "" || !strings.Contains(stderr, "workload.rate") {
		t.Errorf("--set: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
