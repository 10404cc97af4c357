package workloads_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// The fixtures alb_*.log are written from the documented format
// (docs/aws-behaviour.md §3.7); alb_basic.log starts with the documentation's
// example line. Its five requests arrived (request_creation_time) at
// 22:22:48.364 (the example), 48.100 (a 503 with timings -1, logged after
// the example), 49.000, 49.500 (an h2 line with fields appended after
// classification_reason) and 51.250 (a 504: target timed out, timings -1).
var albBasic = ms(0, 264, 900, 1400, 3150)

func TestALBFixtures(t *testing.T) {
	dirFS := os.DirFS("testdata")
	// alb_dir holds two nodes' files (as S3 delivers them, gzipped, one
	// decompressed with CRLF), a file renamed so it sorts first but holds
	// the latest requests, AWS's test file and a hidden file.
	dirArrivals := func() []sim.Time {
		var out []sim.Time
		for _, s := range []float64{1.0, 1.5, 2.0, 2.5, 3.0, 200.0, 298.0, 299.0, 300.5, 301.0, 305.0, 420.0, 450.0, 600.0, 601.0} {
			out = append(out, sim.Time(math.Round((s-1)*1e9)))
		}
		return out
	}()
	cases := []struct {
		name string
		tc   workloads.TraceConfig
		want []sim.Time
	}{
		{"plain", workloads.TraceConfig{Path: "testdata/alb_basic.log"}, albBasic},
		{"gzip", workloads.TraceConfig{Path: "testdata/alb_basic.log.gz"}, albBasic},
		{"CRLF, no final newline", workloads.TraceConfig{Path: "testdata/alb_crlf.log"}, albBasic},
		{"one file through an FS", workloads.TraceConfig{Path: "alb_basic.log.gz", FS: dirFS}, albBasic},
		{"directory", workloads.TraceConfig{Path: "logs", FS: dirFS, Name: "alb_dir"}, dirArrivals},
		{"directory, sub-folder", workloads.TraceConfig{Path: "alb_dir/AWSLogs", FS: dirFS}, dirArrivals[:13]},
		{"window and scale", workloads.TraceConfig{Path: "testdata/alb_basic.log", Start: 500 * sim.Millisecond, End: 3 * sim.Second, TimeScale: 2},
			ms(800, 1800)},
		// 22:24:00 was released before the 10-minute WebSocket (22:20:00)
		// was logged at its end: it is replayed at 22:24:00.
		{"longer than the reorder window", workloads.TraceConfig{Path: "testdata/alb_late.log"},
			[]sim.Time{0, 0, sim.Time(5*sim.Minute + 59*sim.Second), sim.Time(11*sim.Minute + 59*sim.Second)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.tc.Format = "alb"
			got, err := drain(t, mustNew(t, traceCfg(c.tc), 1), 100)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("arrivals %v\nwant     %v", got, c.want)
			}
		})
	}
}

// TestALBPeek checks Peek's description, in UTC, and the warnings.
func TestALBPeek(t *testing.T) {
	utc := func(h, m, s, us int) int64 { return time.Date(2018, 7, 2, h, m, s, us*1000, time.UTC).UnixNano() }
	info, err := peek(workloads.TraceConfig{Path: "testdata/alb_basic.log.gz", Format: "alb"})
	if err != nil {
		t.Fatal(err)
	}
	want := workloads.TraceInfo{Format: "alb", Records: 5, Arrivals: 5, DateTime: true,
		First: utc(22, 22, 48, 100_000), Last: utc(22, 22, 51, 250_000), Span: 3150 * sim.Millisecond}
	if fmt.Sprint(info) != fmt.Sprint(want) {
		t.Errorf("Peek = %+v\nwant %+v", info, want)
	}
	info, err = peek(workloads.TraceConfig{Path: "testdata/alb_late.log", Format: "alb"})
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0], "1 request(s) lasted longer than the 5m0s reorder window") {
		t.Errorf("warnings %q, want one about 1 late request", info.Warnings)
	}
}

// TestALBMalformed checks malformed lines are skipped and reported with
// their line numbers, or stop the read in strict mode.
func TestALBMalformed(t *testing.T) {
	tc := workloads.TraceConfig{Path: "testdata/alb_malformed.log", Format: "alb"}
	src := mustNew(t, traceCfg(tc), 1)
	got, err := drain(t, src, 100)
	if err != nil {
		t.Fatal(err)
	}
	// Valid lines 1, 2, 4 and 9: 48.364, 49.000, 49.500 and 48.100.
	if want := ms(0, 264, 900, 1400); !slices.Equal(got, want) {
		t.Errorf("arrivals %v, want %v", got, want)
	}
	w, ok := src.(interface{ Warnings() []string })
	if !ok {
		t.Fatalf("%T has no Warnings method", src)
	}
	want := []string{`testdata/alb_malformed.log: skipped 4 malformed ALB log lines: ` +
		`testdata/alb_malformed.log:3 (6 fields, want at least 22 (through request_creation_time)); ` +
		`testdata/alb_malformed.log:5 (2 fields, want at least 22 (through request_creation_time)); ` +
		`testdata/alb_malformed.log:6 (request_creation_time "2018-07-02T25:22:51.250000Z" is not an ISO 8601 date-time); ` +
		`testdata/alb_malformed.log:8 (field 13: unterminated quoted field) (strict makes them an error)`}
	if !slices.Equal(w.Warnings(), want) {
		t.Errorf("warnings\n%q\nwant\n%q", w.Warnings(), want)
	}
	info, err := peek(tc)
	if err != nil || !slices.Equal(info.Warnings, want) || info.Records != 4 {
		t.Errorf("Peek: %v, %d records, warnings %q", err, info.Records, info.Warnings)
	}

	tc.Strict = true
	got, err = drain(t, mustNew(t, traceCfg(tc), 1), 100)
	checkTraceError(t, "strict replay", err, tc.Path, 3, "malformed ALB log line: 6 fields", "without strict")
	if len(got) > 0 {
		t.Errorf("strict replay gave %d arrivals before the error", len(got))
	}
	_, err = peek(tc)
	checkTraceError(t, "strict Peek", err, tc.Path, 3, "malformed ALB log line", "")
}

func TestALBErrors(t *testing.T) {
	dirFS := os.DirFS("testdata")
	cases := []struct {
		name string
		tc   workloads.TraceConfig
		file string
		line int
		msg  string
		hint string
	}{
		{"truncated gzip", workloads.TraceConfig{Path: "testdata/alb_truncated.log.gz"}, "testdata/alb_truncated.log.gz", -1, "corrupt or truncated gzip", "gzip -t"},
		{"empty file", workloads.TraceConfig{Path: "testdata/empty.txt"}, "testdata/empty.txt", 0, "no valid ALB log line", "empty"},
		{"not a log", workloads.TraceConfig{Path: "testdata/ts_crlf.csv"}, "testdata/ts_crlf.csv", 0, "no valid ALB log line", "all 5 lines are malformed"},
		{"missing directory", workloads.TraceConfig{Path: "logs", FS: dirFS, Name: "nope"}, "logs", 0, "cannot open", "check the path"},
		{"truncated file in a directory", workloads.TraceConfig{Path: "logs", FS: fstest.MapFS{
			"a/ok.log":     {Data: []byte(albLine(0, 0))},
			"a/bad.log.gz": {Data: truncatedGzip()},
		}, Name: "a"}, "logs/bad.log.gz", -1, "corrupt or truncated gzip", ""},
		{"empty directory", workloads.TraceConfig{Path: "logs", FS: fstest.MapFS{"a/.keep": {}}, Name: "a"}, "logs", 0, "no log files", ""},
		{"bad name", workloads.TraceConfig{Path: "logs", FS: dirFS, Name: "../x"}, "", 0, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.tc.Format = "alb"
			if c.file == "" {
				if _, err := newSource(traceCfg(c.tc), rng(1)); err == nil {
					t.Error("New accepted an invalid name")
				}
				return
			}
			_, err := drain(t, mustNew(t, traceCfg(c.tc), 1), 1000)
			checkTraceError(t, "replay", err, c.file, c.line, c.msg, c.hint)
			_, err = peek(c.tc)
			checkTraceError(t, "Peek", err, c.file, c.line, c.msg, c.hint)
		})
	}
}

// albLine writes a log line for a request that arrived at second s (after
// 2024-01-01 00:00:00 UTC) and took d seconds.
func albLine(s, d float64) string {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	at := t0.Add(time.Duration(math.Round(s*1e6)) * time.Microsecond)
	done := at.Add(time.Duration(math.Round(d*1e6)) * time.Microsecond)
	const f = "2006-01-02T15:04:05.000000Z"
	return fmt.Sprintf(`https %s app/lb/50dc6c495c0c9188 10.1.2.3:5123 10.0.0.7:8080 0.000 %.3f 0.000 200 200 512 1024 "POST https://api.example.com:443/v1/predict HTTP/1.1" "client/1.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/73e2d6bc24d8a067 "Root=1-65920000-0123456789abcdef01234567" "api.example.com" "-" 0 %s "forward" "-" "-" "10.0.0.7:8080" "200" "-" "-"`+"\n",
		done.Format(f), d, at.Format(f))
}

func truncatedGzip() []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for i := range 200 {
		_, _ = zw.Write([]byte(albLine(float64(i), 0.1)))
	}
	_ = zw.Close()
	return b.Bytes()[:b.Len()/2]
}

// TestALBMergeMatchesSort builds random S3-style log directories (several
// nodes, a file per node per 5 minutes, each sorted by completion time,
// some gzipped) and checks the replay yields exactly the sorted arrivals:
// the merge against a naive sort.
func TestALBMergeMatchesSort(t *testing.T) {
	for seed := range uint64(6) {
		r := rand.New(rand.NewPCG(seed, 99))
		fsys, arrivals := randomLogDir(r, 1+int(seed%4), 20+r.IntN(400))
		slices.Sort(arrivals)
		tc := workloads.TraceConfig{Path: "logs", Format: "alb", FS: fsys, Name: "logs"}
		got, err := drain(t, mustNew(t, traceCfg(tc), 1), 1e6)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(got) != len(arrivals) {
			t.Fatalf("seed %d: %d arrivals, want %d", seed, len(got), len(arrivals))
		}
		for i := range got {
			if want := sim.Time(arrivals[i] - arrivals[0]); got[i] != want {
				t.Fatalf("seed %d: arrival %d at %v, want %v", seed, i, got[i], want)
			}
		}
		info, err := peek(tc)
		if err != nil || info.Records != int64(len(arrivals)) || len(info.Warnings) != 0 {
			t.Errorf("seed %d: Peek %+v, %v", seed, info, err)
		}
	}
}

// randomLogDir returns a directory of nodes' log files covering an hour,
// with n requests per node per 5 minutes on average, and the arrivals (ns
// since 2024-01-01) they hold. Requests last up to 4 minutes (within the
// reorder window) and are logged in the file of the 5 minutes they ended
// in, in completion order.
func randomLogDir(r *rand.Rand, nodes, n int) (fstest.MapFS, []int64) {
	type req struct{ at, d float64 }
	fsys := fstest.MapFS{}
	var arrivals []int64
	for node := range nodes {
		files := map[int][]req{}
		for range 12 * n {
			q := req{at: r.Float64() * 3600, d: r.ExpFloat64() * 0.2}
			if r.IntN(50) == 0 {
				q.d = r.Float64() * 240
			}
			slot := int((q.at + q.d) / 300)
			files[slot] = append(files[slot], q)
			arrivals = append(arrivals, int64(math.Round(q.at*1e6))*1000)
		}
		for slot, reqs := range files {
			done := func(q req) float64 { return math.Round(q.at*1e6) + math.Round(q.d*1e6) }
			slices.SortStableFunc(reqs, func(a, b req) int { return int(done(a) - done(b)) })
			var b strings.Builder
			for _, q := range reqs {
				b.WriteString(albLine(q.at, q.d))
			}
			name := fmt.Sprintf("logs/2024/01/01/123456789012_elasticloadbalancing_us-east-1_app.lb.x_20240101T%02d%02dZ_10.0.0.%d_%x.log",
				(slot+1)*5/60, (slot+1)*5%60, node, r.Uint32())
			data := []byte(b.String())
			if r.IntN(2) == 0 {
				var gz bytes.Buffer
				zw := gzip.NewWriter(&gz)
				_, _ = zw.Write(data)
				_ = zw.Close()
				data, name = gz.Bytes(), name+".gz"
			}
			fsys[name] = &fstest.MapFile{Data: data}
		}
	}
	return fsys, arrivals
}

// TestALBDirectoryFS checks the directory walk's rules with fstest.
func TestALBDirectoryFS(t *testing.T) {
	fsys := fstest.MapFS{
		"logs/b.log":                     {Data: []byte(albLine(2, 0.1))},
		"logs/a/x.log":                   {Data: []byte(albLine(1, 0.1))},
		"logs/ELBAccessLogTestFile":      {Data: []byte("Enable AccessLog for ELB: lb at 2024-01-01T00:00:00.000Z\n")},
		"logs/.hidden":                   {Data: []byte("junk\n")},
		"logs/.git/objects/aa":           {Data: []byte("junk\n")},
		"logs/c.log":                     {Data: []byte("")},
		"logs/d/e/f.log":                 {Data: []byte(albLine(0, 5) + albLine(3, 0))},
		"elsewhere/not-read.log":         {Data: []byte("junk\n")},
		"logs/sub/link-like-but-regular": {Data: []byte(albLine(4, 0)), Mode: fs.ModePerm},
	}
	tc := workloads.TraceConfig{Path: "s3", Format: "alb", FS: fsys, Name: "logs"}
	got, err := drain(t, mustNew(t, traceCfg(tc), 1), 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := ms(0, 1000, 2000, 3000, 4000); !slices.Equal(got, want) {
		t.Errorf("arrivals %v, want %v", got, want)
	}
}

// TestWarnerInterface checks every trace source, and a mix holding one,
// reports warnings through Warner.
func TestWarnerInterface(t *testing.T) {
	alb := workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{Path: "testdata/alb_malformed.log", Format: "alb"}}
	cases := []workloads.Config{
		alb,
		{Type: "mix", Components: []workloads.Config{{Type: "poisson", Rate: 1}, alb}},
		{Type: "trace", Trace: &workloads.TraceConfig{Path: "testdata/cw_partial.json", Format: "cloudwatch"}},
	}
	for i, cfg := range cases {
		src := mustNew(t, cfg, 1)
		for n := 0; n < 100; n++ {
			if _, ok := src.Next(); !ok {
				break
			}
		}
		w, ok := src.(workloads.Warner)
		if !ok || len(w.Warnings()) == 0 {
			t.Errorf("case %d: %T: no warnings (Warner %v)", i, src, ok)
		}
	}
	for _, cfg := range []workloads.Config{
		{Type: "trace", Trace: &workloads.TraceConfig{Path: "testdata/ts_seconds.txt", Format: "timestamps"}},
		{Type: "trace", Trace: &workloads.TraceConfig{Path: "testdata/alb_basic.log", Format: "alb"}},
	} {
		src := mustNew(t, cfg, 1)
		_, _ = drain(t, src, 100)
		if w := src.(workloads.Warner).Warnings(); w != nil {
			t.Errorf("%s: warnings %q, want none", cfg.Trace.Path, w)
		}
	}
}
