package scenarios

import (
	"compress/gzip"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// traceFS holds the scenario text at s.yaml beside a copy of
// testdata/traces, so a test can name any fixture relative to it.
func traceFS(t *testing.T, scenario string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{"s.yaml": {Data: []byte(scenario)}}
	src := os.DirFS("testdata/traces")
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// traceScenario is a small scenario replaying the workload given.
func traceScenario(workload string) string {
	return `name: tr
duration: 15m
workload: ` + workload + `
service:
  time: {dist: exponential, mean: 50ms}
strategies:
  - {name: one, type: static, instance_type: m5.large, count: 1}
  - {name: two, type: static, instance_type: m5.large, count: 2}
`
}

// TestTraceALBDirectory replays a directory of ALB logs as S3 delivers
// them (two nodes' files, gzipped and plain, out of order across files,
// AWS's test file and a hidden file beside them): the 15 requests the
// workloads package reads from it (workloads/alb_test.go), on every
// strategy, and the resolved scenario loads back.
func TestTraceALBDirectory(t *testing.T) {
	fsys := traceFS(t, traceScenario(`{type: trace, path: alb_dir, format: alb}`))
	sc, err := Load(fsys, "s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if tc := sc.workload.Trace; tc.Open != nil || tc.FS == nil || tc.Name != "alb_dir" || tc.Path != "alb_dir" || tc.Strict {
		t.Errorf("trace config: Open set %v, FS %v, Name %q, Path %q, Strict %v", tc.Open != nil, tc.FS != nil, tc.Name, tc.Path, tc.Strict)
	}
	res := run(t, sc, RunOptions{})
	for _, s := range res.Strategies {
		if s.Requests.Arrived != 15 || s.Requests.Completed != 15 {
			t.Errorf("%s: %d arrived, %d completed; want the logs' 15", s.Name, s.Requests.Arrived, s.Requests.Completed)
		}
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %q for clean logs", res.Warnings)
	}
	roundTrip(t, sc, fsys, "r.yaml")
	y, err := sc.YAML()
	if err != nil || !strings.Contains(string(y), "strict: false") {
		t.Errorf("the resolved alb trace does not state strict (%v):\n%s", err, y)
	}

	// A sub-folder reads only the files below it; another format refuses
	// a directory.
	sub, err := Load(fsys, "s.yaml", []string{"workload.path=alb_dir/AWSLogs"})
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, sub, RunOptions{Strategies: []string{"one"}}).Strategies[0].Requests.Arrived; got != 13 {
		t.Errorf("alb_dir/AWSLogs: %d arrivals, want 13", got)
	}
	_, err = Load(fsys, "s.yaml", []string{"workload.format=timestamps"})
	checkInputError(t, err, `s.yaml:3: workload.path: "alb_dir" is a directory; name a file (only an alb trace`)
}

// TestTraceALBMalformed: malformed log lines are skipped and reported once
// among the result's warnings (read at load time and again by each
// strategy's replay), or, with strict, stop the load at the file and line,
// inside a directory too.
func TestTraceALBMalformed(t *testing.T) {
	fsys := traceFS(t, traceScenario(`{type: trace, path: alb_malformed.log, format: alb}`))
	sc, err := Load(fsys, "s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{Replications: 2})
	want := `alb_malformed.log: skipped 4 malformed ALB log lines: alb_malformed.log:3 (6 fields,`
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], want) || !strings.HasSuffix(res.Warnings[0], "(strict makes them an error)") {
		t.Errorf("warnings %q, want one starting %q", res.Warnings, want)
	}
	for _, s := range res.Strategies {
		if s.Requests.Arrived != 4 {
			t.Errorf("%s: %d arrivals, want the 4 valid lines", s.Name, s.Requests.Arrived)
		}
	}

	_, err = Load(fsys, "s.yaml", []string{"workload.strict=true"})
	se := checkInputError(t, err, "alb_malformed.log:3: malformed ALB log line: 6 fields")
	if se.Hint == "" {
		t.Errorf("strict error %q has no hint", err)
	}
	_, err = Load(fsys, "s.yaml", []string{"workload.path=alb_bad", "workload.strict=true"})
	checkInputError(t, err, "alb_bad/logs/a.log:2: malformed ALB log line")
	sc, err = Load(fsys, "s.yaml", []string{"workload.path=alb_bad"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.traceWarnings) != 1 || !strings.Contains(sc.traceWarnings[0], "alb_bad/logs/a.log:2 (") {
		t.Errorf("load-time warnings %q, want alb_bad/logs/a.log:2 named", sc.traceWarnings)
	}
}

// TestTraceCloudWatch replays get-metric-statistics and get-metric-data
// exports: each period's arrivals match its recorded count within Poisson
// noise, the period is inferred or given, and an export of several
// metrics needs column.
func TestTraceCloudWatch(t *testing.T) {
	// Sum 3000 at 12:00, 6000 at 12:05, 9000 at 12:10, none at 12:15 and
	// 1500 at 12:20: 5-minute periods, given in no particular order.
	fsys := traceFS(t, traceScenario(`{type: trace, path: cw_statistics.json, format: cloudwatch, rate_scale: 0.5}`))
	sc, err := Load(fsys, "s.yaml", []string{"duration=25m"})
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{Strategies: []string{"two"}})
	periods := make([]float64, 5)
	for _, row := range res.Series {
		periods[row.Minute/5] += float64(row.Arrivals)
	}
	for k, want := range []float64{1500, 3000, 4500, 0, 750} {
		if math.Abs(periods[k]-want) > 5*math.Sqrt(want)+1e-9 {
			t.Errorf("period %d: %v arrivals, want %v within 5 standard deviations", k, periods[k], want)
		}
	}
	given, err := Load(fsys, "s.yaml", []string{"duration=25m", "workload.interval=5m"})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := jsonOf(t, res), jsonOf(t, run(t, given, RunOptions{Strategies: []string{"two"}})); a != b {
		t.Errorf("interval: 5m replays differently from the inferred period:\n%s\n%s", a, b)
	}
	roundTrip(t, sc, fsys, "r.yaml")
	roundTrip(t, given, fsys, "r.yaml")

	// Two metrics (RequestCount and TargetResponseTime): column picks one.
	// 3000, 60, (none), 300, 1200 and 600 per minute from 12:00.
	_, err = Load(fsys, "s.yaml", []string{"workload.path=cw_metric_data.json"})
	checkInputError(t, err, "cw_metric_data.json")
	md, err := Load(fsys, "s.yaml", []string{"workload.path=cw_metric_data.json", "workload.column=requests"})
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, md, RunOptions{Strategies: []string{"two"}})
	minutes := make([]float64, 6)
	for _, row := range got.Series[:6] {
		minutes[row.Minute] = float64(row.Arrivals)
	}
	for m, want := range []float64{1500, 30, 0, 150, 600, 300} {
		if math.Abs(minutes[m]-want) > 5*math.Sqrt(want)+1e-9 {
			t.Errorf("minute %d: %v arrivals, want %v within 5 standard deviations", m, minutes[m], want)
		}
	}
}

// TestTraceKeysByFormat: interval is required for counts, optional for
// cloudwatch and refused elsewhere; strict is for alb only, column for the
// others; the scales and the window are checked by the same validator as
// the workloads package's (workloads.CheckTrace), each problem placed at
// its key's line.
func TestTraceKeysByFormat(t *testing.T) {
	fsys := traceFS(t, traceScenario(`{type: trace, path: alb_malformed.log, format: alb}`))
	fsys["t.csv"] = &fstest.MapFile{Data: []byte("0\n1\n2\n")}
	cases := []struct {
		sets []string
		want string
	}{
		{[]string{"workload.interval=1m"},
			"--set workload.interval=1m: workload.interval: not used by format alb; only used with format counts or cloudwatch; remove it"},
		{[]string{"workload.path=t.csv", "workload.format=timestamps", "workload.interval=1s"},
			"--set workload.interval=1s: workload.interval: not used by format timestamps; only used with format counts or cloudwatch"},
		{[]string{"workload.path=cw_statistics.json", "workload.format=cloudwatch", "workload.interval=-5m"},
			"--set workload.interval=-5m: workload.interval: must be ≥ 0 (got -5m0s)"},
		{[]string{"workload.path=cw_statistics.json", "workload.format=cloudwatch", "workload.interval=2d"},
			"workload.interval: must be at most 1d (got 2d)"},
		{[]string{"workload.path=t.csv", "workload.format=counts"}, "s.yaml:3: workload.interval: required"},
		{[]string{"workload.path=t.csv", "workload.format=counts", "workload.interval=0s"}, "workload.interval: must be > 0"},
		{[]string{"workload.path=t.csv", "workload.format=counts", "workload.interval=1s", "workload.strict=true"},
			"--set workload.strict=true: workload.strict: not used by format counts; only used with format alb"},
		{[]string{"workload.strict=yes please"}, "workload.strict: want true or false"},
		{[]string{"workload.column=2"},
			"--set workload.column=2: workload.column: not used by format alb; only used with format timestamps, counts or cloudwatch; remove it"},
		{[]string{"workload.path=t.csv", "workload.format=timestamps", "workload.column=0"},
			"workload.column: a column index counts from 1 to 65536 (got 0); or name the column by its header"},
		{[]string{"workload.rate_scale=2e6"}, "workload.rate_scale: must be > 0 and at most 1e+06 (got 2e+06); 1 replays the trace as recorded"},
		{[]string{"workload.time_scale=0"}, "workload.time_scale: must be > 0 and at most 1e+06 (got 0)"},
		{[]string{"workload.start=-1s"}, "workload.start: must be ≥ 0 (got -1s)"},
		{[]string{"workload.start=2m", "workload.end=1m"}, "workload.end: must be after start (got start 2m0s, end 1m0s); 0 plays the trace to its end"},
		{[]string{"workload.end=400d"}, "workload.end: must be at most 366d (got 400d)"},
		{[]string{"workload.format=csv"}, `workload.format: unknown trace format "csv"; want timestamps, counts, alb or cloudwatch`},
	}
	for _, c := range cases {
		_, err := Load(fsys, "s.yaml", c.sets)
		checkInputError(t, err, "")
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v:\n  %v\nwant\n  %s", c.sets, err, c.want)
		}
	}
	// A problem the validator finds is placed at its key's own line.
	fsys["b.yaml"] = &fstest.MapFile{Data: []byte(traceScenario("\n  type: trace\n  path: t.csv\n  format: timestamps\n  rate_scale: 0\n"))}
	_, err := Load(fsys, "b.yaml", nil)
	checkInputError(t, err, "b.yaml:7: workload.rate_scale: must be > 0")
	for _, sets := range [][]string{
		{"workload.path=cw_statistics.json", "workload.format=cloudwatch", "workload.interval=0s"},
		{"workload.path=t.csv", "workload.format=counts", "workload.interval=1s"},
		{"workload.strict=false"},
	} {
		sc, err := Load(fsys, "s.yaml", sets)
		if err != nil {
			t.Errorf("%v: %v", sets, err)
			continue
		}
		roundTrip(t, sc, fsys, "r.yaml")
	}
}

// builtinFiles copies the files the built-in scenarios name (builtin/,
// without the scenarios) into a MapFS rooted where they resolve.
func builtinFiles(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(builtinFS, builtinDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(builtinFS, p)
		fsys[strings.TrimPrefix(p, builtinDir+"/")] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// embeddedTrace reads a trace file of the built-ins, gunzipped if need be.
func embeddedTrace(t *testing.T, name string) string {
	t.Helper()
	f, err := builtinFS.Open(builtinDir + "/traces/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestTraceBuiltins replays 15 minutes of each built-in trace scenario, as
// shortSets cuts them (with no warm-up), and compares the arrivals with
// the trace file read here independently: exactly the recorded requests
// for the Azure timestamps; the recorded counts times rate_scale, within
// Poisson noise, for the World Cup and NASA counts. Every strategy sees
// the same arrivals (common random numbers).
func TestTraceBuiltins(t *testing.T) {
	const window = 15 * time.Minute
	cases := []struct {
		name string
		want func() (n float64, exact bool)
	}{
		{"azure-llm", func() (float64, bool) {
			rows := strings.Split(embeddedTrace(t, "azure_llm_2023_code.csv"), "\r\n")[1:]
			var first time.Time
			n := 0
			for i, r := range rows {
				at, err := time.Parse("2006-01-02 15:04:05.0000000", strings.Split(r, ",")[0])
				if err != nil {
					t.Fatalf("azure row %d: %v", i+2, err)
				}
				if i == 0 {
					first = at
				}
				if at.Sub(first) < window {
					n++
				}
			}
			return float64(n), true
		}},
		{"worldcup98", func() (float64, bool) {
			from := time.Date(1998, 7, 7, 20, 30, 0, 0, time.UTC)
			var sum float64
			for _, r := range strings.Split(strings.TrimSpace(embeddedTrace(t, "worldcup98_per_minute.csv.gz")), "\n")[1:] {
				f := strings.Split(r, ",")
				at, err := time.Parse(time.DateTime, f[0])
				if err != nil {
					t.Fatal(err)
				}
				if !at.Before(from) && at.Before(from.Add(window)) {
					n, err := strconv.ParseFloat(f[1], 64)
					if err != nil {
						t.Fatal(err)
					}
					sum += n
				}
			}
			return sum * 0.05, false
		}},
		{"nasa-launch", func() (float64, bool) {
			values := strings.Fields(embeddedTrace(t, "nasa_http_jul1995_per_second.txt.gz"))
			first := 297 * 3600 // value i is 1995-07-01 00:00:01 EDT + i s
			var sum float64
			for _, v := range values[first : first+int(window/time.Second)] {
				n, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatal(err)
				}
				sum += n
			}
			return sum * 50, false
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Builtin(c.name, append(shortSets(c.name), "warmup=0s"))
			if err != nil {
				t.Fatal(err)
			}
			res := run(t, sc, RunOptions{Workers: 2})
			exp, exact := c.want()
			got := res.Strategies[0].Requests.Arrived
			for _, s := range res.Strategies[1:] {
				if s.Requests.Arrived != got {
					t.Errorf("%s saw %d arrivals, %s %d", s.Name, s.Requests.Arrived, res.Strategies[0].Name, got)
				}
			}
			switch {
			case exact && float64(got) != exp:
				t.Errorf("%d arrivals, want the trace's %v", got, exp)
			case !exact && math.Abs(float64(got)-exp) > 5*math.Sqrt(exp):
				t.Errorf("%d arrivals, want %v within 5 standard deviations", got, exp)
			}
			if len(res.Warnings) != 0 {
				t.Errorf("warnings %q", res.Warnings)
			}
		})
	}
}

// TestTraceLoadFile reads traces through LoadFile's file system (the
// operating system's, from its root): a counts file beside the scenario's
// directory ("../"), and an ALB log directory by absolute path.
func TestTraceLoadFile(t *testing.T) {
	dir := t.TempDir()
	logs, err := filepath.Abs("testdata/traces/alb_dir")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"s/counts.yaml": traceScenario(`{type: trace, path: ../c.txt, format: counts, interval: 1m}`),
		"s/alb.yaml":    traceScenario(`{type: trace, path: "` + filepath.ToSlash(logs) + `", format: alb}`),
		"c.txt":         "60 0 120\n",
	}
	if err := os.MkdirAll(filepath.Join(dir, "s"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		want float64
	}{{"counts.yaml", 180}, {"alb.yaml", 15}} {
		name, want := c.name, c.want
		sc, err := LoadFile(filepath.Join(dir, "s", name), nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := float64(run(t, sc, RunOptions{Strategies: []string{"two"}}).Strategies[0].Requests.Arrived)
		if name == "alb.yaml" && got != want || math.Abs(got-want) > 5*math.Sqrt(want) {
			t.Errorf("%s: %v arrivals, want %v", name, got, want)
		}
	}
}
