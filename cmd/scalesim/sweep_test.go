package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/scenarios"
)

// sweepArgs is a small sweep of the built-in mmc scenario: 3 × 2 points of
// three simulated minutes.
func sweepArgs(extra ...string) []string {
	return append([]string{"sweep", "mmc", "--set", "duration=3m", "--set", "warmup=30s",
		"--vary", "strategies.fixed.count=4..6", "--vary", "workload.rate=300,350"}, extra...)
}

// mustRun runs the command line and fails unless it exits 0.
func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	return mustRunEnv(t, nil, args...)
}

// mustRunEnv is mustRun in an environment holding the variables of env, a
// list of name, value pairs.
func mustRunEnv(t *testing.T, env []string, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := runCLIEnv(t, env, args...)
	if code != 0 {
		t.Fatalf("scalesim %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout, stderr
}

func TestNewCmdSweep(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(o *sweepOptions) string
	}{
		{"defaults", []string{"mmc", "--vary", "workload.rate=1,2"}, func(o *sweepOptions) string {
			if o.Output != "table" || o.Replications != 1 || o.Seed != nil || o.shard.Count != 0 || len(o.axes) != 1 || !o.ref.Builtin {
				return fmt.Sprintf("%+v", o)
			}
			return ""
		}},
		{"all flags", []string{"mmc", "--vary", "workload.rate=1..3", "--vary", "service.timeout=1s,2s", "--seed", "4",
			"-o", "csv", "--replications", "3", "--workers", "2", "--strategy", "fixed", "--set", "duration=1m",
			"--slo", "latency_ms.p99<=300", "--shard", "2/5", "--out", "dir", "--output-file", "f.json", "--no-progress"},
			func(o *sweepOptions) string {
				ok := o.Output == "csv" && o.Replications == 3 && o.Workers == 2 && *o.Seed == 4 &&
					slices.Equal(o.Strategies, []string{"fixed"}) && slices.Equal(o.Sets, []string{"duration=1m"}) &&
					len(o.axes) == 2 && slices.Equal(o.axes[0].Values, []string{"1", "2", "3"}) && len(o.slo) == 1 &&
					o.shard.Index == 2 && o.shard.Count == 5 && o.OutDir == "dir" && o.OutputFile == "f.json" && o.NoProgress
				if !ok {
					return fmt.Sprintf("%+v", o)
				}
				return ""
			}},
	}
	for _, tt := range tests {
		var got *sweepOptions
		cmd := newSweepCmd(testIO(), func(o *sweepOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if msg := tt.check(got); msg != "" {
			t.Errorf("%s: options %s", tt.name, msg)
		}
	}
}

// TestSweepGolden pins the table (with an SLO answer), the CSV and the
// JSON of a small sweep.
func TestSweepGolden(t *testing.T) {
	slo := []string{"--slo", "latency_ms.p99<=300,availability.success_ratio>=0.999"}
	table, stderr := mustRun(t, sweepArgs(slo...)...)
	if stderr != "" {
		t.Errorf("table: stderr %q", stderr)
	}
	golden(t, "sweep_mmc_table", table)
	csv, stderr := mustRun(t, sweepArgs(append(slo, "-o", "csv")...)...)
	golden(t, "sweep_mmc_csv", csv)
	if !strings.HasPrefix(stderr, "scalesim: SLO latency_ms.p99<=300, availability.success_ratio>=0.999\nscalesim: cheapest meeting it: point ") {
		t.Errorf("csv: the SLO answer is not on stderr: %q", stderr)
	}
	js, _ := mustRun(t, "sweep", "mmc", "--set", "duration=3m", "--set", "warmup=30s", "--vary", "strategies.fixed.count=5,6", "-o", "json")
	golden(t, "sweep_mmc_json", js)
}

// TestSweepMatchesRun: every point's strategies are, byte for byte, those
// of `scalesim run` with the same --set flags.
func TestSweepMatchesRun(t *testing.T) {
	js, _ := mustRun(t, sweepArgs("-o", "json", "--replications", "2")...)
	var sweep struct {
		Points []struct {
			Vary       json.RawMessage
			Strategies json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(js), &sweep); err != nil {
		t.Fatal(err)
	}
	if len(sweep.Points) != 6 {
		t.Fatalf("%d points, want 6", len(sweep.Points))
	}
	k := 0
	for _, count := range []string{"4", "5", "6"} {
		for _, rate := range []string{"300", "350"} {
			out, _ := mustRun(t, "run", "mmc", "--set", "duration=3m", "--set", "warmup=30s", "--replications", "2",
				"--set", "strategies.fixed.count="+count, "--set", "workload.rate="+rate, "-o", "json")
			var res struct{ Strategies json.RawMessage }
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			if got, want := compact(t, sweep.Points[k].Strategies), compact(t, res.Strategies); got != want {
				t.Errorf("point %d (count %s, rate %s):\nsweep %s\n  run %s", k, count, rate, got, want)
			}
			if vary := compact(t, sweep.Points[k].Vary); vary != `{"strategies.fixed.count":`+count+`,"workload.rate":`+rate+`}` {
				t.Errorf("point %d: vary %s", k, vary)
			}
			k++
		}
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSweepWorkers: 1, 2 and 4 worker threads print the same bytes.
func TestSweepWorkers(t *testing.T) {
	want, _ := mustRun(t, sweepArgs("-o", "json", "--workers", "1")...)
	for _, w := range []string{"2", "4"} {
		if got, _ := mustRun(t, sweepArgs("-o", "json", "--workers", w)...); got != want {
			t.Errorf("--workers %s differs from --workers 1", w)
		}
	}
}

// TestSweepShardsMerge: the parts of N shards, merged, print exactly what
// the unsharded sweep prints, for N = 1, 2, 3 and 7 (more than the 6
// points).
func TestSweepShardsMerge(t *testing.T) {
	slo := "latency_ms.p99<=400"
	whole, _ := mustRun(t, sweepArgs("-o", "json", "--slo", slo)...)
	if strings.Contains(whole, `"shard"`) {
		t.Error("the unsharded sweep carries shard metadata")
	}
	dir := t.TempDir()
	for _, n := range []int{1, 2, 3, 7} {
		var parts []string
		for i := n; i >= 1; i-- {
			name := filepath.Join(dir, fmt.Sprintf("n%d-part-%d.json", n, i))
			_, stderr := mustRun(t, sweepArgs("-o", "json", "--slo", slo, "--shard", fmt.Sprintf("%d/%d", i, n), "--output-file", name)...)
			if i > 6 && !strings.Contains(stderr, fmt.Sprintf("shard %d/%d holds none of the 6 points", i, n)) {
				t.Errorf("empty shard %d/%d: stderr %q", i, n, stderr)
			}
			parts = append(parts, name)
		}
		merged, _ := mustRun(t, append([]string{"merge"}, parts...)...)
		if merged != whole {
			t.Errorf("N=%d: merged output differs from the unsharded sweep", n)
		}
	}
}

// TestSweepShardFromEnvironment: an Indexed Job's JOB_COMPLETION_INDEX
// (0-based) and SCALESIM_SHARDS select the shard; --shard wins over them.
func TestSweepShardFromEnvironment(t *testing.T) {
	want, _ := mustRun(t, sweepArgs("-o", "json", "--shard", "2/3")...)
	job := []string{scenarios.EnvCompletionIndex, "1", scenarios.EnvShards, "3"}
	for _, extra := range [][]string{nil, {"--shard", "auto"}} {
		if got, _ := mustRunEnv(t, job, sweepArgs(append(extra, "-o", "json")...)...); got != want {
			t.Errorf("%v: JOB_COMPLETION_INDEX=1 SCALESIM_SHARDS=3 differs from --shard 2/3", extra)
		}
	}
	one, _ := mustRunEnv(t, job, sweepArgs("-o", "json", "--shard", "1/1")...)
	if !strings.Contains(one, `"count": 1`) {
		t.Error("--shard 1/1 does not override the environment")
	}
}

func TestSweepOutDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bundle")
	stdout, stderr := mustRun(t, sweepArgs("-o", "json", "--out", dir, "--slo", "latency_ms.p99<=300")...)
	js, err := os.ReadFile(filepath.Join(dir, "sweep.json"))
	if err != nil || string(js) != stdout {
		t.Errorf("sweep.json differs from stdout (%v)", err)
	}
	for _, name := range []string{"sweep.csv", "charts/pareto.svg", "charts/pareto.png"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() < 100 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(stderr, "wrote sweep.json, sweep.csv, charts/pareto.svg, charts/pareto.png") {
		t.Errorf("stderr %q", stderr)
	}
}

// writeJSON writes text to dir/name and returns the path.
func writeJSON(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBadSweepMergeInput: bad --vary, --slo and --shard values, and merge
// inputs that do not belong together, exit 2 with a message saying why.
func TestBadSweepMergeInput(t *testing.T) {
	dir := t.TempDir()
	part := func(name string, args ...string) string {
		out, _ := mustRun(t, args...)
		return writeJSON(t, dir, name, out)
	}
	p1 := part("p1.json", sweepArgs("-o", "json", "--shard", "1/3")...)
	p2 := part("p2.json", sweepArgs("-o", "json", "--shard", "2/3")...)
	p3 := part("p3.json", sweepArgs("-o", "json", "--shard", "3/3")...)
	q2 := part("q2.json", sweepArgs("-o", "json", "--shard", "2/3", "--seed", "9")...)
	d2 := part("d2.json", "sweep", "default", "--set", "duration=3m", "--set", "warmup=0s", "--vary", "strategies.asg.max=10,20", "-o", "json", "--shard", "2/3", "--strategy", "static-avg")
	h2 := part("h2.json", sweepArgs("-o", "json", "--shard", "2/2")...)
	run := part("run.json", "run", "mmc", "--set", "duration=1m", "--set", "warmup=0s", "-o", "json")
	junk := writeJSON(t, dir, "junk.json", "not json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"vary without =", sweepArgs("--vary", "workload.peak"), "--vary workload.peak: want PATH=V1,V2,..."},
		{"vary bad range", sweepArgs("--vary", "service.timeout=80..40/10"), `range "80..40/10": the start is above the end`},
		{"vary zero step", sweepArgs("--vary", "service.timeout=1..4/0"), "the step must be > 0"},
		{"vary empty value", sweepArgs("--vary", "service.timeout=1s,,2s"), "an empty value"},
		{"vary unknown path", sweepArgs("--vary", "strategies.fixd.count=1,2"), `--vary strategies.fixd.count (value 1): no strategy named "fixd"`},
		{"vary bad value", sweepArgs("--vary", "service.timeout=fast"), "--vary service.timeout (value fast)"},
		{"vary twice", sweepArgs("--vary", "workload.rate=1,2"), "--vary workload.rate: the path is varied twice"},
		{"no vary", []string{"sweep", "mmc"}, "sweep needs at least one --vary"},
		{"no scenario", []string{"sweep", "--vary", "workload.rate=1"}, "accepts 1 arg(s), received 0"},
		{"slo key", sweepArgs("--slo", "latency.p99<=300"), `unknown figure "latency.p99" (did you mean latency_ms.p99?)`},
		{"slo operator", sweepArgs("--slo", "latency_ms.p99=>300"), `unknown operator "=>"; use <=, <, >= or >`},
		{"slo value", sweepArgs("--slo", "latency_ms.p99<=fast"), `"fast" is not a number of milliseconds`},
		{"shard zero", sweepArgs("--shard", "0/3"), "--shard 0/3: I must be from 1 to 3 (got 0)"},
		{"shard over", sweepArgs("--shard", "4/3"), "--shard 4/3: I must be from 1 to 3 (got 4)"},
		{"shard form", sweepArgs("--shard", "2"), "--shard 2: want I/N"},
		{"shard auto outside a job", sweepArgs("--shard", "auto"), "--shard auto: JOB_COMPLETION_INDEX is not set"},
		{"bad format", sweepArgs("-o", "markdown"), `invalid value "markdown" for -o/--output: want table, json or csv`},
		{"merge different scenarios", []string{"merge", p1, d2, p3}, fmt.Sprintf(`different scenarios: %s is a sweep of "mmc", %s of "default"`, p1, d2)},
		{"merge different flags", []string{"merge", p1, q2, p3}, "were run with different --vary, --set, --seed"},
		{"merge different counts", []string{"merge", p1, h2}, fmt.Sprintf("different shard counts: %s is shard 1/3, %s is shard 2/2", p1, h2)},
		{"merge overlapping", []string{"merge", p1, p2, p2, p3}, fmt.Sprintf("overlapping shards: %s and %s are both shard 2/3", p2, p2)},
		{"merge missing", []string{"merge", p3, p1}, "missing shards: 2/3 (got 2 of 3 parts)"},
		{"merge a run result", []string{"merge", p1, run}, run + ": a run result (scalesim run -o json), not a sweep"},
		{"merge junk", []string{"merge", junk}, junk + ": not JSON"},
		{"merge no file", []string{"merge", filepath.Join(dir, "nope.json")}, "nope.json: no such file or directory"},
		{"merge nothing", []string{"merge"}, "requires at least 1 arg(s)"},
	}
	for _, tt := range tests {
		stdout, stderr, code := runCLI(t, tt.args...)
		if code != exitInput || stdout != "" || !strings.Contains(stderr, "scalesim: ") || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stdout %.40q, stderr %q; want exit 2 and %q", tt.name, code, stdout, stderr, tt.want)
		}
	}
	_, stderr, code := runCLIEnv(t, []string{scenarios.EnvCompletionIndex, "0"}, sweepArgs()...)
	if code != exitInput || !strings.Contains(stderr, "JOB_COMPLETION_INDEX=0 is set (a Kubernetes Indexed Job), but SCALESIM_SHARDS is not") {
		t.Errorf("index without count: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runCLIEnv(t, []string{scenarios.EnvCompletionIndex, "0", scenarios.EnvShards, "x"}, sweepArgs()...); code != exitInput || !strings.Contains(stderr, "do not make a shard") {
		t.Errorf("bad SCALESIM_SHARDS: exit %d, stderr %q", code, stderr)
	}
}

// TestSweepIgnoresProcessEnvironment: the commands read the environment
// they are given, never the process's: an Indexed Job's variables set in
// the process do not shard a sweep run with an empty environment.
func TestSweepIgnoresProcessEnvironment(t *testing.T) {
	t.Setenv(scenarios.EnvCompletionIndex, "0") // without SCALESIM_SHARDS: refused if read
	out, _ := mustRun(t, "sweep", "mmc", "--set", "duration=1m", "--set", "warmup=0s", "--vary", "workload.rate=300", "-o", "json")
	if strings.Contains(out, `"shard"`) {
		t.Error("the process environment sharded the sweep")
	}
}
