package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/bundle"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/scenarios"
)

// shortDefault shortens the built-in default scenario to 10 simulated
// minutes at half its traffic that still hold its spike, and three of its
// strategies.
func shortDefault() []string {
	return []string{"default", "--set", "duration=10m", "--set", "warmup=1m",
		"--set", "workload.at=2m", "--set", "workload.hold=3m", "--set", "workload.fall=1m",
		"--set", "workload.base=150", "--set", "workload.peak=1200",
		"--strategy", "asg", "--strategy", "resize", "--strategy", "static-avg"}
}

// TestRunBundle writes the bundle of a replicated run with comparisons,
// with 1 and then 2 workers: every file is there and not empty, and
// neither the table on stdout nor any file of the bundle (summary.json
// included) depends on the worker count. The table is pinned by a golden
// file.
func TestRunBundle(t *testing.T) {
	dirs := [2]string{filepath.Join(t.TempDir(), "bundle"), filepath.Join(t.TempDir(), "again")}
	var tables [2]string
	for i, dir := range dirs {
		args := append(append([]string{"run"}, shortDefault()...), "--replications", "2", "--out", dir, "--workers", strconv.Itoa(i+1))
		stdout, stderr, code := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr)
		}
		if want := "scalesim: wrote summary.json, timeseries.csv, scenario.yaml, decisions.csv, events.csv, report.html, " +
			strconv.Itoa(2*len(charts.Names())) + " chart files in charts/, 4 AWS record files in aws/ to " + dir + "\n"; stderr != want {
			t.Errorf("stderr = %q, want %q", stderr, want)
		}
		tables[i] = stdout
	}
	if tables[0] != tables[1] {
		t.Errorf("--workers 1 and 2 print different tables:\n%s\n---\n%s", tables[0], tables[1])
	}
	if !strings.Contains(tables[0], "\nvs asg ") {
		t.Errorf("no comparison block in:\n%s", tables[0])
	}
	golden(t, "run_default_10m_compared_table", tables[0])

	var r reports.Result
	summary, err := os.ReadFile(filepath.Join(dirs[0], "summary.json"))
	if err != nil || json.Unmarshal(summary, &r) != nil || r.Baseline != "asg" || len(r.Comparisons) != 2 || r.Replications != 2 {
		t.Fatalf("summary.json: %v; baseline %q, %d comparisons, %d replications", err, r.Baseline, len(r.Comparisons), r.Replications)
	}
	want := []string{"summary.json", "timeseries.csv", "scenario.yaml", "decisions.csv", "events.csv", "report.html"}
	for _, name := range charts.Names() {
		want = append(want, "charts/"+name+".png", "charts/"+name+".svg")
	}
	for _, name := range want {
		b, err := os.ReadFile(filepath.Join(dirs[0], filepath.FromSlash(name)))
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v, %d bytes", name, err, len(b))
			continue
		}
		if again, _ := os.ReadFile(filepath.Join(dirs[1], filepath.FromSlash(name))); !bytes.Equal(b, again) {
			t.Errorf("%s differs between --workers 1 and 2", name)
		}
		switch {
		case name == "decisions.csv" && !bytes.HasPrefix(b, []byte("strategy,time_s,time,from,to,instance_type,in_service,pending,reached_s,reason\nasg,")):
			t.Errorf("decisions.csv starts %.120q", b)
		case name == "events.csv" && !bytes.HasPrefix(b, []byte("strategy,time_s,time,kind,detail\n")):
			t.Errorf("events.csv starts %.60q", b)
		case strings.HasSuffix(name, ".png") && !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
			t.Errorf("%s is not a PNG", name)
		case strings.HasSuffix(name, ".svg") && !bytes.Contains(b[:min(len(b), 200)], []byte("<svg")):
			t.Errorf("%s is not an SVG: %.60q", name, b)
		case name == "report.html":
			for _, s := range r.Strategies {
				if !bytes.Contains(b, []byte(s.Name)) {
					t.Errorf("report.html does not mention %s", s.Name)
				}
			}
		}
	}
	entries, err := os.ReadDir(filepath.Join(dirs[0], "charts"))
	if err != nil || len(entries) != 2*len(charts.Names()) {
		t.Errorf("charts/ holds %d files (%v), want %d", len(entries), err, 2*len(charts.Names()))
	}
}

func TestRunPrecisionCLI(t *testing.T) {
	base := []string{"run", "mmc", "--set", "duration=2m", "--set", "warmup=30s", "-o", "json"}
	stdout, stderr, code := runCLI(t, append(base, "--precision", "50%")...)
	var r reports.Result
	if code != 0 || json.Unmarshal([]byte(stdout), &r) != nil {
		t.Fatalf("±50%%: exit %d, stderr %q", code, stderr)
	}
	if r.Replications != 3 || strings.Contains(stderr, "warning") {
		t.Errorf("±50%%: %d replications, stderr %q; want 3 and no warning", r.Replications, stderr)
	}
	stdout, stderr, code = runCLI(t, append(base, "--precision", "0.0001%", "--max-replications", "4")...)
	if code != 0 || json.Unmarshal([]byte(stdout), &r) != nil {
		t.Fatalf("±0.0001%%: exit %d, stderr %q", code, stderr)
	}
	if r.Replications != 4 || !strings.Contains(stderr, "scalesim: warning: precision: stopped at 4 replications") ||
		len(r.Warnings) != 1 {
		t.Errorf("±0.0001%%: %d replications, warnings %q, stderr %q", r.Replications, r.Warnings, stderr)
	}
}

func TestRunBaselineCLI(t *testing.T) {
	stdout, stderr, code := runCLI(t, "run", "default", "--baseline", "nosuch")
	if code != exitInput || stdout != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, exitInput)
	}
	if !strings.Contains(stderr, `no strategy "nosuch" among those run (asg, asg-sale, resize, kinesis, static-avg)`) {
		t.Errorf("stderr %q does not name the strategies", stderr)
	}
}

func TestRunExplain(t *testing.T) {
	args := append(append([]string{"run"}, shortDefault()...), "--strategy", "asg", "--strategy", "resize", "--explain", "-o", "json")
	stdout, stderr, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if !json.Valid([]byte(stdout)) {
		t.Error("--explain spoilt the JSON on stdout")
	}
	lines := lines(stderr)
	var scale, reached, resize bool
	for _, l := range lines {
		if !strings.HasPrefix(l, "[asg] ") && !strings.HasPrefix(l, "[resize] ") {
			t.Errorf("stderr line %q is not an explanation", l)
		}
		scale = scale || strings.HasPrefix(l, "[asg] ") && strings.Contains(l, " scale 6→")
		reached = reached || strings.Contains(l, " reached")
		resize = resize || strings.HasPrefix(l, "[resize] ") && strings.Contains(l, " resize to m5.4xlarge: ")
	}
	if !scale || !reached || !resize {
		t.Errorf("want an asg scale-out, a capacity reached and a resize among:\n%s", stderr)
	}
	for i := 1; i < len(lines); i++ {
		if lines[i][strings.Index(lines[i], "] ")+2:][:8] < lines[i-1][strings.Index(lines[i-1], "] ")+2:][:8] {
			t.Errorf("lines out of time order: %q after %q", lines[i], lines[i-1])
		}
	}
}

func TestRunColor(t *testing.T) {
	args := []string{"run", "mmc", "--set", "duration=2m", "--set", "warmup=30s"}
	noColor := ""
	tty := func(extra ...string) string {
		ios := testIO("NO_COLOR", noColor)
		ios.OutIsTTY = true
		if code := run(append(args, extra...), ios); code != 0 {
			t.Fatalf("exit %d: %s", code, ios.Err.(*bytes.Buffer))
		}
		return ios.Out.(*bytes.Buffer).String()
	}
	if out := tty(); !strings.Contains(out, "\x1b[1mfixed\x1b[0m") {
		t.Errorf("terminal without NO_COLOR: no colour:\n%q", out)
	}
	if out := tty("-o", "json"); strings.Contains(out, "\x1b") {
		t.Error("JSON coloured")
	}
	if out, _, _ := runCLI(t, args...); strings.Contains(out, "\x1b") {
		t.Error("not a terminal, yet coloured")
	}
	noColor = "1"
	if out := tty(); strings.Contains(out, "\x1b") {
		t.Error("NO_COLOR=1, yet coloured")
	}
}

// BenchmarkWriteBundle measures writing the report bundle of the default
// scenario (one replication), the run itself excluded: compare it with
// BenchmarkRunDefault for the bundle's overhead.
func BenchmarkWriteBundle(b *testing.B) {
	sc, err := scenarios.Builtin("default", nil)
	if err != nil {
		b.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), sc, scenarios.RunOptions{})
	if err != nil {
		b.Fatal(err)
	}
	y, err := sc.YAML()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for b.Loop() {
		files, err := bundle.Run(res, y)
		if _, err := writeBundle("report bundle", dir, files, err); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunDefault runs the default scenario (one replication), as
// scalesim run does before it renders anything.
func BenchmarkRunDefault(b *testing.B) {
	sc, err := scenarios.Builtin("default", nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := scenarios.Run(context.Background(), sc, scenarios.RunOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
