package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

// mmcRun runs the mmc scenario for five simulated minutes with extra flags
// and writes its JSON to dir/name.
func mmcRun(t *testing.T, dir, name string, extra ...string) string {
	t.Helper()
	out, _ := mustRun(t, append([]string{"run", "mmc", "--set", "duration=5m", "--set", "warmup=30s", "-o", "json"}, extra...)...)
	return writeJSON(t, dir, name, out)
}

// TestCheckCatchesRegression plants a regression (a fleet of 4 instead of
// 5: the queues saturate and p99 soars) and checks that an unchanged run
// passes.
func TestCheckCatchesRegression(t *testing.T) {
	dir := t.TempDir()
	base := mmcRun(t, dir, "base.json")
	same := mmcRun(t, dir, "same.json")
	smaller := mmcRun(t, dir, "smaller.json", "--set", "strategies.fixed.count=4")

	stdout, stderr, code := runCLI(t, "check", "--baseline", base, same)
	if code != exitOK || stderr != "" || !strings.Contains(stdout, "no regression in 3 checks") {
		t.Errorf("unchanged: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}

	stdout, stderr, code = runCLI(t, "check", "--baseline", base, smaller)
	if code != exitFail {
		t.Errorf("regression: exit %d, want 1", code)
	}
	if !strings.Contains(stdout, "latency_ms.p99") || !strings.Contains(stdout, "REGRESSION") ||
		!strings.Contains(stdout, "1 failure in 3 checks: fixed latency_ms.p99") {
		t.Errorf("regression: stdout:\n%s", stdout)
	}
	if stderr != "scalesim: check mmc: 1 of the comparisons failed: regression detected\n" {
		t.Errorf("regression: stderr %q", stderr)
	}

	// A generous absolute limit lets the same change pass.
	if _, _, code := runCLI(t, "check", "--baseline", base, smaller, "--max-regression", "latency_ms.p99=1h"); code != exitOK {
		t.Errorf("--max-regression latency_ms.p99=1h: exit %d, want 0", code)
	}
	md, _, code := runCLI(t, "check", "--baseline", base, smaller, "-o", "markdown")
	if code != exitFail {
		t.Errorf("markdown: exit %d", code)
	}
	golden(t, "check_mmc_markdown", md)
}

// TestCheckSweep compares sweeps point by point.
func TestCheckSweep(t *testing.T) {
	dir := t.TempDir()
	sweep := func(name, counts string) string {
		out, _ := mustRun(t, "sweep", "mmc", "--set", "duration=3m", "--set", "warmup=30s", "--vary", "strategies.fixed.count="+counts, "-o", "json")
		return writeJSON(t, dir, name, out)
	}
	base := sweep("base.json", "5,6")
	same := sweep("same.json", "5,6")
	fewer := sweep("fewer.json", "6")
	if _, _, code := runCLI(t, "check", "--baseline", base, same); code != exitOK {
		t.Errorf("unchanged sweep: exit %d", code)
	}
	stdout, _, code := runCLI(t, "check", "--baseline", base, fewer)
	if code != exitFail || !strings.Contains(stdout, "count=5") || !strings.Contains(stdout, "MISSING") {
		t.Errorf("a point missing: exit %d, stdout:\n%s", code, stdout)
	}
}

func TestBadCheckInput(t *testing.T) {
	dir := t.TempDir()
	base := mmcRun(t, dir, "base.json")
	other := writeJSON(t, dir, "other.json", strings.Replace(readFile(t, base), `"scenario": "mmc"`, `"scenario": "other"`, 1))
	sweepOut, _ := mustRun(t, "sweep", "mmc", "--set", "duration=1m", "--set", "warmup=0s", "--vary", "strategies.fixed.count=5", "-o", "json")
	sweep := writeJSON(t, dir, "sweep.json", sweepOut)
	junk := writeJSON(t, dir, "junk.json", `{"hello": "world"}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no baseline", []string{"check", base}, "check needs --baseline FILE"},
		{"no current", []string{"check", "--baseline", base}, "accepts 1 arg(s), received 0"},
		{"missing file", []string{"check", "--baseline", filepath.Join(dir, "nope.json"), base}, "nope.json: no such file or directory"},
		{"not a result", []string{"check", "--baseline", base, junk}, junk + `: not a scalesim result: it has neither "strategies"`},
		{"different scenarios", []string{"check", "--baseline", base, other}, `the baseline is scenario "mmc", the current result "other"`},
		{"run against sweep", []string{"check", "--baseline", base, sweep}, "is a run result but " + sweep + " is a sweep result"},
		{"bad key", []string{"check", "--baseline", base, base, "--max-regression", "p99=10%"}, `unknown figure "p99" (did you mean latency_ms.p99?)`},
		{"bad unit", []string{"check", "--baseline", base, base, "--max-regression", "latency_ms.p99=$3"}, "a dollar amount is a limit for cost_usd.* figures only"},
		{"wrong sign", []string{"check", "--baseline", base, base, "--max-regression", "availability.success_ratio=+0.01"}, "gets worse as it falls"},
		{"twice", []string{"check", "--baseline", base, base, "--max-regression", "cost_usd.total=1%", "--max-regression", "cost_usd.total=$1"}, "cost_usd.total has a limit already"},
		{"bad format", []string{"check", "--baseline", base, base, "-o", "json"}, `invalid value "json" for -o/--output: want table or markdown`},
	}
	for _, tt := range tests {
		stdout, stderr, code := runCLI(t, tt.args...)
		if code != exitInput || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stdout %.40q, stderr %q; want exit 2 and %q", tt.name, code, stdout, stderr, tt.want)
		}
	}
}

// TestCheckHelpNamesDefaults: the help's sentence on the limits applied
// without --max-regression names each of check's defaults, written as the
// report writes it (KEY +10%), so that it cannot drift from the table of
// figures.
func TestCheckHelpNamesDefaults(t *testing.T) {
	stdout, _, code := runCLI(t, "check", "--help")
	if code != exitOK {
		t.Fatalf("check --help: exit %d", code)
	}
	help := strings.Join(strings.Fields(stdout), " ")
	var want []string
	for _, l := range reports.DefaultLimits() {
		want = append(want, l.Key+" "+l.String())
	}
	if sentence := "Without --max-regression: " + strings.Join(want, ", ") + "."; !strings.Contains(help, sentence) {
		t.Errorf("check --help lacks %q:\n%s", sentence, stdout)
	}
}

// TestCheckOlderBaseline: a baseline written before some figures existed
// (its summaries lack served and elasticity) still checks against the
// default limits, but a limit on a figure it lacks is bad input naming the
// file and the fix, not a comparison with 0.
func TestCheckOlderBaseline(t *testing.T) {
	dir := t.TempDir()
	cur := mmcRun(t, dir, "current.json")
	var old map[string]any
	if err := json.Unmarshal([]byte(readFile(t, cur)), &old); err != nil {
		t.Fatal(err)
	}
	for _, s := range old["strategies"].([]any) {
		summary := s.(map[string]any)
		delete(summary, "elasticity")
		av := summary["availability"].(map[string]any)
		delete(av, "served")
		delete(av, "served_within_slo")
	}
	data, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	base := writeJSON(t, dir, "old.json", string(data))
	if stdout, stderr, code := runCLI(t, "check", "--baseline", base, cur); code != exitOK {
		t.Errorf("default limits: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	for _, key := range []string{"availability.served", "elasticity.over_provisioning_accuracy"} {
		stdout, stderr, code := runCLI(t, "check", "--baseline", base, cur, "--max-regression", key+"=0.01")
		want := "the baseline " + base + " has no " + key + ": a scalesim older than that figure wrote it"
		if code != exitInput || stdout != "" || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and one line containing %q", key, code, stdout, stderr, want)
		}
	}
}
