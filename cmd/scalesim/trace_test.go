package main

import (
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// The fixtures in testdata/trace are copies of workloads/testdata ones:
// alb_basic.log starts with the ALB documentation's example line;
// cw_metric_data.json is a get-metric-data export of two metrics.

func TestTraceGoldens(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"trace_stats_alb", []string{"trace", "stats", "testdata/trace/alb_basic.log"}},
		{"trace_stats_alb_dir_json", []string{"trace", "stats", "testdata/trace/alb_dir", "-o", "json"}},
		{"trace_stats_cloudwatch", []string{"trace", "stats", "testdata/trace/cw_metric_data.json", "--column", "RequestCount"}},
		{"trace_stats_cloudwatch_json", []string{"trace", "stats", "testdata/trace/cw_statistics.json", "-o", "json"}},
		{"trace_convert_alb_dir", []string{"trace", "convert", "testdata/trace/alb_dir", "--to", "counts", "--interval", "1m"}},
		{"trace_convert_cloudwatch", []string{"trace", "convert", "testdata/trace/cw_statistics.json", "--interval", "10m"}},
		{"trace_fit_alb_dir", []string{"trace", "fit", "testdata/trace/alb_dir"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, c.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			golden(t, c.name, stdout)
		})
	}
}

// TestTraceStatsWorldCup runs stats on the World Cup 98 trace the
// built-in scenarios replay.
func TestTraceStatsWorldCup(t *testing.T) {
	stdout, stderr, code := runCLI(t, "trace", "stats", "../../scenarios/builtin/traces/worldcup98_per_minute.csv.gz")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden(t, "trace_stats_worldcup", stdout)
}

// TestTraceWarnings checks malformed ALB lines are reported on stderr (and
// in JSON), and that --strict makes the first an error.
func TestTraceWarnings(t *testing.T) {
	stdout, stderr, code := runCLI(t, "trace", "stats", "testdata/trace/alb_malformed.log", "-o", "json")
	if code != 0 || !strings.HasPrefix(stderr, "scalesim: warning: testdata/trace/alb_malformed.log: skipped 4 malformed ALB log lines: testdata/trace/alb_malformed.log:3 (") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	var out struct{ Warnings []string }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || len(out.Warnings) != 1 {
		t.Errorf("JSON warnings %q (%v)", out.Warnings, err)
	}
	_, stderr, code = runCLI(t, "trace", "stats", "testdata/trace/alb_malformed.log", "--strict")
	want := "scalesim: testdata/trace/alb_malformed.log:3: malformed ALB log line: 6 fields, want at least 22 (through request_creation_time); fix or remove the line; without strict, malformed lines are skipped and reported\n"
	if code != exitInput || stderr != want {
		t.Errorf("--strict: exit %d, stderr %q\nwant %q", code, stderr, want)
	}
}

// TestTraceBadInput checks each kind of bad input exits 2 with one line
// (two for a usage error: the message and the pointer to --help).
func TestTraceBadInput(t *testing.T) {
	dir := t.TempDir()
	nums := filepath.Join(dir, "nums.txt")
	if err := os.WriteFile(nums, []byte("1\n2\n3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	counts := filepath.Join(dir, "counts.txt")
	if err := os.WriteFile(counts, []byte("1 2 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"trace", "stats", "testdata/trace/nope.log"}, "scalesim: trace testdata/trace/nope.log: no such file or directory", false},
		{[]string{"trace", "stats", nums}, "cannot tell timestamps in seconds from counts; give it: timestamps, counts, alb or cloudwatch", false},
		{[]string{"trace", "stats", counts}, "is a counts trace without a time column: give the span of one count with --interval", true},
		{[]string{"trace", "stats", "testdata/trace/cw_metric_data.json"}, "holds 2 metrics; which one counts the requests?; set column to one of the Ids", false},
		{[]string{"trace", "stats", "testdata/trace/alb_basic.log", "--format", "csv"}, `invalid value "csv" for --format`, true},
		{[]string{"trace", "stats", "testdata/trace/alb_basic.log", "--format", "cloudwatch"}, "testdata/trace/alb_basic.log:1: not a CloudWatch JSON export", false},
		{[]string{"trace", "stats", "testdata/trace/alb_basic.log", "-o", "csv"}, `invalid value "csv" for -o/--output`, true},
		{[]string{"trace", "stats", counts, "--format", "counts", "--interval", "-1s"}, `invalid argument "-1s" for "--interval"`, true},
		{[]string{"trace", "plot", "testdata/trace/alb_basic.log", "--out", filepath.Join(dir, "x.jpg")}, "want a .png or .svg file", true},
		{[]string{"trace", "plot", "testdata/trace/alb_basic.log"}, "plot needs --out", true},
		{[]string{"trace", "plot", "testdata/trace/cw_statistics.json", "--out", filepath.Join(dir, "x.svg"), "--interval", "1m"}, "choose a multiple of it", true},
		{[]string{"trace", "convert", "testdata/trace/alb_basic.log", "--interval", "1ns"}, "choose a longer interval", true},
		{[]string{"trace", "convert", "testdata/trace/alb_basic.log", "--to", "json"}, `invalid value "json" for --to`, true},
		{[]string{"trace", "convert", "testdata/trace/alb_basic.log", "--to", "timestamps", "--interval", "1m"}, "--interval sets the span of a count: it has no use with --to timestamps", true},
		{[]string{"trace", "convert", "testdata/trace/cw_statistics.json", "--to", "timestamps"}, "a cloudwatch trace holds counts per interval, not the instants of requests; convert it to counts instead", false},
		{[]string{"trace", "convert", "testdata/trace/alb_malformed.log", "--to", "timestamps", "--strict", "--out", filepath.Join(dir, "strict.csv")}, "malformed ALB log line", false},
		{[]string{"trace", "convert", "testdata/trace/cw_statistics.json", "--interval", "1m"}, "cannot count per 1m0s: the trace holds counts per 5m0s; choose a multiple of 5m0s", false},
		{[]string{"trace", "fit", "testdata/trace/cw_metric_data.json"}, `cannot parse "{" as a duration`, false},
		{[]string{"trace", "fit", "testdata/trace/alb_basic.log", "--column", "bogus"}, `no ALB timing field "bogus"`, false},
		{[]string{"trace", "fit", "testdata/trace/alb_basic.log", "--format", "counts"}, `fit reads alb or durations`, true},
		{[]string{"trace", "stats"}, "accepts 1 arg(s), received 0", true},
		// The trace validator's problems name the flag.
		{[]string{"trace", "stats", "testdata/trace/alb_basic.log", "--column", "x"}, "--column: not used by format alb; only used with format timestamps, counts or cloudwatch", true},
		{[]string{"trace", "stats", nums, "--format", "timestamps", "--column", "0"}, "--column: a column index counts from 1 to 65536 (got 0)", true},
		{[]string{"trace", "stats", "testdata/trace/cw_statistics.json", "--interval", "2d"}, "--interval: must be at most 1d (got 2d)", true},
		{[]string{"trace", "convert", "testdata/trace/alb_basic.log", "--input-interval", "1m"}, "--input-interval: not used by format alb", true},
		{[]string{"trace", "plot", nums, "--format", "timestamps", "--strict", "--out", filepath.Join(dir, "x.svg")}, "--strict: not used by format timestamps; only used with format alb", true},
	}
	for _, c := range cases {
		stdout, stderr, code := runCLI(t, c.args...)
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		wantLines := 1
		if c.usage {
			wantLines = 2
		}
		if code != exitInput || stdout != "" || len(lines) != wantLines || !strings.Contains(lines[0], c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %d line(s) with %q", c.args, code, stdout, stderr, wantLines, c.want)
		}
	}
}

// TestTraceConvertRoundTrip converts an ALB directory to counts and reads
// the result back: the same arrivals per minute.
func TestTraceConvertRoundTrip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "counts.csv")
	stdout, stderr, code := runCLI(t, "trace", "convert", "testdata/trace/alb_dir", "--interval", "2m", "--out", out)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "wrote 6 intervals of 2m0s to "+out) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// Arrivals at 1, 1.5, 2, 2.5, 3, 200, 298, 299, 300.5, 301, 305, 420,
	// 450, 600 and 601 s after 22:20.
	want := "period,count\n2018-07-02 22:20:00,5\n2018-07-02 22:22:00,1\n2018-07-02 22:24:00,5\n2018-07-02 22:26:00,2\n2018-07-02 22:28:00,0\n2018-07-02 22:30:00,2\n"
	if string(data) != want {
		t.Errorf("counts:\n%s\nwant\n%s", data, want)
	}
	info, err := workloads.Peek(workloads.TraceConfig{Path: out, Format: "counts", Interval: 2 * sim.Minute, FS: os.DirFS(filepath.Dir(out)), Name: "counts.csv"})
	if err != nil || info.Arrivals != 15 || info.Intervals != 6 || !info.DateTime {
		t.Errorf("reading it back: %+v, %v", info, err)
	}
	// Relative times: a list of plain-number timestamps.
	ts := filepath.Join(t.TempDir(), "ts.txt")
	if err := os.WriteFile(ts, []byte("0.5\n30\n61\n200.25\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code = runCLI(t, "trace", "convert", ts, "--format", "timestamps", "--interval", "1m")
	if want := "minute,count\n0,2\n1,1\n2,0\n3,1\n"; code != 0 || stdout != want {
		t.Errorf("relative convert: exit %d\n%s\nwant\n%s", code, stdout, want)
	}
}

// TestTraceConvertTimestamps converts an ALB directory to a timestamps
// file, plain and gzipped, and reads it back: the same arrivals, to the
// nanosecond, as reading the logs. A conversion that fails leaves no file.
func TestTraceConvertTimestamps(t *testing.T) {
	dir := t.TempDir()
	logs := workloads.TraceConfig{Path: "alb_dir", Format: "alb", FS: os.DirFS("testdata/trace"), Name: "alb_dir"}
	var want []int64
	if _, err := workloads.Instants(logs, func(ns int64, _ bool) error { want = append(want, ns); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"arrivals.csv", "arrivals.csv.gz"} {
		out := filepath.Join(dir, name)
		stdout, stderr, code := runCLI(t, "trace", "convert", "testdata/trace/alb_dir", "--to", "timestamps", "--out", out)
		if code != 0 || stdout != "" || !strings.Contains(stderr, fmt.Sprintf("wrote %d arrivals to %s; replay it with format: timestamps", len(want), out)) {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
		}
		var got []int64
		info, err := workloads.Instants(workloads.TraceConfig{Path: out, Format: "timestamps", FS: os.DirFS(dir), Name: name},
			func(ns int64, dateTime bool) error {
				if !dateTime {
					t.Fatalf("%s: read back as plain seconds", name)
				}
				got = append(got, ns)
				return nil
			})
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("%s read back: %v (%d arrivals, want %d)\n%v\n%v", name, err, len(got), len(want), got, want)
		}
		if len(info.Warnings) != 0 {
			t.Errorf("%s: warnings %v", name, info.Warnings)
		}
	}
	stdout, _, code := runCLI(t, "trace", "convert", "testdata/trace/alb_basic.log", "--to", "timestamps")
	if first := strings.SplitN(stdout, "\n", 3); code != 0 || len(first) < 3 || first[0] != "time" || first[1] != "2018-07-02T22:22:48.100000Z" {
		t.Errorf("to stdout: exit %d, %q", code, stdout)
	}
	// Relative seconds stay seconds, to the nanosecond.
	ts := filepath.Join(dir, "ts.txt")
	if err := os.WriteFile(ts, []byte("0.5\n30\n61.000000001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code = runCLI(t, "trace", "convert", ts, "--format", "timestamps", "--to", "timestamps")
	if want := "time\n0.500000000\n30.000000000\n61.000000001\n"; code != 0 || stdout != want {
		t.Errorf("relative: exit %d\n%s\nwant\n%s", code, stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "strict.csv")); !os.IsNotExist(err) {
		t.Errorf("a failed conversion left its file: %v", err)
	}
	stdout, stderr, code := runCLI(t, "trace", "convert", "testdata/trace/alb_malformed.log", "--to", "timestamps", "--strict", "--out", filepath.Join(dir, "strict.csv"))
	if _, err := os.Stat(filepath.Join(dir, "strict.csv")); code != exitInput || !os.IsNotExist(err) {
		t.Errorf("strict on a malformed log: exit %d, %q %q; the file: %v", code, stdout, stderr, err)
	}
}

// TestTracePlot draws the rate of the ALB directory as SVG and PNG.
func TestTracePlot(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "rate.svg")
	if _, stderr, code := runCLI(t, "trace", "plot", "testdata/trace/alb_dir", "--out", svg, "--interval", "1m"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, "<svg") || !strings.Contains(s, "Arrival rate, averaged per 1m0s: alb_dir") ||
		!strings.Contains(s, "requests per second") || !strings.Contains(s, "time (UTC)") {
		t.Errorf("the SVG lacks its title or labels (%d bytes)", len(b))
	}
	pngPath := filepath.Join(dir, "rate.png")
	if _, stderr, code := runCLI(t, "trace", "plot", "testdata/trace/cw_statistics.json", "--out", pngPath); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() < 700 || r.Dy() < 400 {
		t.Errorf("PNG is %v", r)
	}
}

// TestTraceFit fits samples drawn from a known lognormal, written as Go
// durations in a CSV column, and checks the printed block recovers the
// median and p99; --empirical writes the samples back.
func TestTraceFit(t *testing.T) {
	const median, p99 = 0.042, 0.31
	s, err := models.NewSampler(models.DistConfig{Dist: models.DistLognormal, Median: median, P99: p99})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	var b strings.Builder
	b.WriteString("id,latency\n")
	const n = 20_000
	for i := range n {
		fmt.Fprintf(&b, "%d,%v\n", i, sim.FromSeconds(s.Sample(r)))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "latency.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "trace", "fit", path, "--column", "latency", "-o", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var out struct {
		Samples int64
		Best    string
		YAML    string
		Fits    []struct {
			Dist    string
			MedianS float64 `json:"median_s"`
			P99     float64 `json:"p99_s"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Samples != n || out.Best != "lognormal" || out.Fits[0].Dist != "lognormal" || !strings.HasPrefix(out.YAML, "time: {dist: lognormal, median: ") {
		t.Fatalf("fit %s", stdout)
	}
	// ln(median) has standard error sigma/sqrt(n); 4 of them.
	sigma := math.Log(p99/median) / 2.3263478740408408
	if got := out.Fits[0].MedianS; math.Abs(math.Log(got/median)) > 4*sigma/math.Sqrt(n) {
		t.Errorf("median %v, want %v", got, median)
	}
	if got := out.Fits[0].P99; math.Abs(math.Log(got/p99)) > 4*sigma*math.Sqrt(1/float64(n)+2.33*2.33/(2*n)) {
		t.Errorf("p99 %v, want %v", got, p99)
	}

	emp := filepath.Join(dir, "samples.txt")
	stdout, stderr, code = runCLI(t, "trace", "fit", "testdata/trace/alb_basic.log", "--empirical", emp)
	if code != 0 || stdout != "service:\n  time: {dist: empirical, path: "+emp+"}\n" || !strings.Contains(stderr, "wrote 3 durations") {
		t.Errorf("--empirical: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if data, err := os.ReadFile(emp); err != nil || string(data) != "1ms\n42ms\n310ms\n" {
		t.Errorf("samples file %q, %v", data, err)
	}
}
