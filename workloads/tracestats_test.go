package workloads_test

import (
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func sameRates(t *testing.T, name string, got, want workloads.RateStats) {
	t.Helper()
	ok := got.Bin == want.Bin && got.Bins == want.Bins && got.PeakAt == want.PeakAt
	for _, p := range [][2]float64{{got.Mean, want.Mean}, {got.P50, want.P50}, {got.P95, want.P95}, {got.P99, want.P99},
		{got.Peak, want.Peak}, {got.PeakToMean, want.PeakToMean}, {got.Dispersion, want.Dispersion}} {
		ok = ok && near(p[0], p[1])
	}
	if !ok {
		t.Errorf("%s: rates %+v\nwant %+v", name, got, want)
	}
}

// TestStatsALB checks Stats on alb_basic.log by hand: arrivals at
// 22:22:48.100, 48.364, 49.000, 49.500 and 51.250.
func TestStatsALB(t *testing.T) {
	st, err := stats(workloads.TraceConfig{Path: "testdata/alb_basic.log", Format: "alb"})
	if err != nil {
		t.Fatal(err)
	}
	sec := func(s int) int64 { return time.Date(2018, 7, 2, 22, 22, s, 0, time.UTC).UnixNano() }
	if st.Info.Records != 5 || !near(st.MeanRate, 5/3.15) || len(st.Rates) != 2 {
		t.Fatalf("stats %+v", st)
	}
	// Seconds 48..51 hold 2, 2, 0, 1: mean 1.25, variance 2.25-1.5625.
	sameRates(t, "per second", st.Rates[0], workloads.RateStats{Bin: sim.Second, Bins: 4, Mean: 1.25, P50: 1, P95: 2, P99: 2,
		Peak: 2, PeakAt: sec(48), PeakToMean: 1.6, Dispersion: 0.6875 / 1.25})
	sameRates(t, "per minute", st.Rates[1], workloads.RateStats{Bin: sim.Minute, Bins: 1, Mean: 5, P50: 5, P95: 5, P99: 5,
		Peak: 5, PeakAt: sec(0), PeakToMean: 1})
	if st.LongestGap != 1750*sim.Millisecond || st.GapAt != sec(49)+5e8 {
		t.Errorf("longest gap %v at %d, want 1.75s at 49.5", st.LongestGap, st.GapAt)
	}
}

// TestStatsCounts checks Stats on counts: the gap file (per minute 5, 6,
// -, -, 7, 8) and a per-second list (3 0 2 1 4).
func TestStatsCounts(t *testing.T) {
	st, err := stats(workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute})
	if err != nil {
		t.Fatal(err)
	}
	y2k := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	mean := 26.0 / 6
	variance := (25+36+49+64)/6.0 - mean*mean
	if len(st.Rates) != 1 {
		t.Fatalf("rates %+v, want one per minute", st.Rates)
	}
	sameRates(t, "per minute", st.Rates[0], workloads.RateStats{Bin: sim.Minute, Bins: 6, Mean: mean, P50: 5, P95: 8, P99: 8,
		Peak: 8, PeakAt: y2k + int64(5*sim.Minute), PeakToMean: 8 / mean, Dispersion: variance / mean})
	if st.LongestGap != 2*sim.Minute || st.GapAt != y2k+int64(2*sim.Minute) || !near(st.MeanRate, 26.0/360) {
		t.Errorf("gap %v at %d, mean rate %v", st.LongestGap, st.GapAt, st.MeanRate)
	}

	st, err = stats(workloads.TraceConfig{Path: "testdata/counts_plain.txt", Format: "counts", Interval: sim.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rates) != 2 {
		t.Fatalf("rates %+v, want per second and per minute", st.Rates)
	}
	sameRates(t, "per second", st.Rates[0], workloads.RateStats{Bin: sim.Second, Bins: 5, Mean: 2, P50: 2, P95: 4, P99: 4,
		Peak: 4, PeakAt: int64(4 * sim.Second), PeakToMean: 2, Dispersion: (9 + 4 + 1 + 16 - 5*4) / 5.0 / 2})
	sameRates(t, "per minute", st.Rates[1], workloads.RateStats{Bin: sim.Minute, Bins: 1, Mean: 10, P50: 10, P95: 10, P99: 10,
		Peak: 10, PeakToMean: 1})
	if st.LongestGap != sim.Second || st.GapAt != int64(sim.Second) {
		t.Errorf("gap %v at %d, want 1s at 1s", st.LongestGap, st.GapAt)
	}

	// A CloudWatch export at 5 minutes is only resolved at 5 minutes.
	st, err = stats(workloads.TraceConfig{Path: "testdata/cw_statistics.json", Format: "cloudwatch"})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rates) != 1 || st.Rates[0].Bin != 5*sim.Minute || st.Rates[0].Bins != 5 || st.LongestGap != 5*sim.Minute {
		t.Errorf("cloudwatch stats %+v", st)
	}
}

// TestStatsPercentiles checks the histogram's nearest-rank percentiles
// against a sort, on counts up to 10^6: exact below 1024, within 0.2%
// above.
func TestStatsPercentiles(t *testing.T) {
	var b strings.Builder
	var counts []float64
	for i := range 1000 {
		c := float64((i*7919)%1000) * float64(1+(i%4)*333)
		counts = append(counts, c)
		b.WriteString(strconv.FormatFloat(c, 'f', -1, 64) + "\n")
	}
	st, err := stats(workloads.TraceConfig{Path: "gen", Format: "counts", Interval: sim.Second, Open: openString(b.String())})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(counts)
	r := st.Rates[0]
	for _, q := range []struct {
		p   float64
		got float64
	}{{0.50, r.P50}, {0.95, r.P95}, {0.99, r.P99}} {
		want := counts[int(math.Ceil(q.p*1000))-1]
		if tol := math.Max(0, want*0.002); math.Abs(q.got-want) > tol || want < 1024 && q.got != want {
			t.Errorf("p%.0f = %v, want %v", q.p*100, q.got, want)
		}
	}
	if r.Peak != counts[999] {
		t.Errorf("peak %v, want %v", r.Peak, counts[999])
	}
}

// TestBin checks the per-interval counts Bin hands out.
func TestBin(t *testing.T) {
	type bin struct {
		start int64
		n     float64
	}
	collectBins := func(tc workloads.TraceConfig, w sim.Duration) ([]bin, error) {
		var out []bin
		if tc.Open == nil && tc.FS == nil {
			tc.Open = fileOpener(tc.Path)
		}
		_, err := workloads.Bin(tc, w, func(s int64, n float64) error {
			out = append(out, bin{s, n})
			return nil
		})
		return out, err
	}
	sec := func(s int) int64 { return time.Date(2018, 7, 2, 22, 22, s, 0, time.UTC).UnixNano() }
	got, err := collectBins(workloads.TraceConfig{Path: "testdata/alb_basic.log", Format: "alb"}, sim.Second)
	if want := []bin{{sec(48), 2}, {sec(49), 2}, {sec(50), 0}, {sec(51), 1}}; err != nil || !slices.Equal(got, want) {
		t.Errorf("alb per second: %v, %v; want %v", got, err, want)
	}
	y2k := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	got, err = collectBins(workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute}, 2*sim.Minute)
	m := int64(sim.Minute)
	if want := []bin{{y2k, 11}, {y2k + 2*m, 0}, {y2k + 4*m, 15}}; err != nil || !slices.Equal(got, want) {
		t.Errorf("counts per 2 minutes: %v, %v; want %v", got, err, want)
	}
	_, err = collectBins(workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute}, 30*sim.Second)
	checkTraceError(t, "split counts", err, "testdata/counts_gap.csv", 0, "cannot count per 30s", "multiple of 1m0s")
	stop := errors.New("enough")
	n := 0
	_, err = workloads.Bin(workloads.TraceConfig{Path: "testdata/alb_basic.log", Format: "alb", Open: fileOpener("testdata/alb_basic.log")},
		sim.Millisecond, func(int64, float64) error {
			if n++; n == 3 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("Bin did not stop on the callback's error: %v after %d bins", err, n)
	}
}

// TestStatsWorldCup checks Stats against figures of the World Cup file
// found independently (its peak minute, 1998-07-07 21:41, and its longest
// run of missing minutes).
func TestStatsWorldCup(t *testing.T) {
	path := realTrace(t, "worldcup98_per_minute.csv.gz")
	st, err := stats(workloads.TraceConfig{Path: path, Format: "counts", Interval: sim.Minute})
	if err != nil {
		t.Fatal(err)
	}
	peakAt := time.Date(1998, 7, 7, 21, 41, 0, 0, time.UTC).UnixNano()
	r := st.Rates[0]
	if r.Bins != 125_310 || r.Peak != 229_426 || r.PeakAt != peakAt || st.Info.Arrivals != 1_352_804_107 {
		t.Errorf("per minute %+v", r)
	}
	// The longest run of missing minutes is 05-17 09:43 to 09:45.
	if gapAt := time.Date(1998, 5, 17, 9, 43, 0, 0, time.UTC).UnixNano(); st.LongestGap != 3*sim.Minute || st.GapAt != gapAt {
		t.Errorf("longest gap %v at %v, want 3m at 05-17 09:43", st.LongestGap, time.Unix(0, st.GapAt).UTC())
	}
}

// TestServiceTimes reads service times from ALB logs and duration files.
func TestServiceTimes(t *testing.T) {
	read := func(tc workloads.TraceConfig) ([]float64, workloads.ServiceTimeInfo, error) {
		if tc.Open == nil && tc.FS == nil {
			tc.Open = fileOpener(tc.Path)
		}
		var out []float64
		info, err := workloads.ServiceTimes(tc, func(s float64) error { out = append(out, s); return nil })
		return out, info, err
	}
	got, info, err := read(workloads.TraceConfig{Path: "testdata/alb_basic.log.gz", Format: "alb"})
	if err != nil || !slices.Equal(got, []float64{0.001, 0.042, 0.31}) || info.NotServed != 2 || info.Zero != 0 || info.Samples != 3 {
		t.Errorf("target_processing_time: %v, %+v, %v", got, info, err)
	}
	got, info, err = read(workloads.TraceConfig{Path: "testdata/alb_basic.log", Format: "alb", Column: "request_processing_time"})
	if err != nil || !slices.Equal(got, []float64{0.001}) || info.NotServed != 1 || info.Zero != 3 {
		t.Errorf("request_processing_time: %v, %+v, %v", got, info, err)
	}
	got, info, err = read(workloads.TraceConfig{Path: "logs", Format: "alb", FS: os.DirFS("testdata"), Name: "alb_dir"})
	if err != nil || info.Samples != 15 || len(got) != 15 {
		t.Errorf("directory: %d samples, %+v, %v", len(got), info, err)
	}
	_, info, err = read(workloads.TraceConfig{Path: "testdata/alb_malformed.log", Format: "alb"})
	if err != nil || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0], "skipped 4 malformed") {
		t.Errorf("malformed: %+v, %v", info, err)
	}
	_, _, err = read(workloads.TraceConfig{Path: "testdata/alb_basic.log", Format: "alb", Column: "latency"})
	checkTraceError(t, "unknown field", err, "testdata/alb_basic.log", 0, `no ALB timing field "latency"`, "target_processing_time")

	got, info, err = read(workloads.TraceConfig{Path: "d.csv", Column: "latency", Open: openString("id,latency\n1,42ms\n2,0.5\n3,1.5s\n4,0\n")})
	if err != nil || !slices.Equal(got, []float64{0.042, 0.5, 1.5}) || info.Zero != 1 {
		t.Errorf("CSV column: %v, %+v, %v", got, info, err)
	}
	got, _, err = read(workloads.TraceConfig{Path: "d.txt", Open: openString("# service times\n250us\n\n3\n")})
	if err != nil || !slices.Equal(got, []float64{0.00025, 3}) {
		t.Errorf("plain list: %v, %v", got, err)
	}
	_, _, err = read(workloads.TraceConfig{Path: "d.txt", Open: openString("1s\nfast\n")})
	checkTraceError(t, "bad value", err, "d.txt", 2, `cannot parse "fast" as a duration`, "42ms")
	_, _, err = read(workloads.TraceConfig{Path: "d.txt", Open: openString("1s\n-2s\n")})
	checkTraceError(t, "negative", err, "d.txt", 2, "negative", "")
}

func TestDetectFormat(t *testing.T) {
	cases := []struct {
		tc     workloads.TraceConfig
		format string
		iv     sim.Duration
		err    string
	}{
		{workloads.TraceConfig{Path: "testdata/alb_basic.log"}, "alb", 0, ""},
		{workloads.TraceConfig{Path: "testdata/alb_crlf.log"}, "alb", 0, ""},
		{workloads.TraceConfig{Path: "testdata/alb_basic.log.gz"}, "alb", 0, ""},
		{workloads.TraceConfig{Path: "logs", FS: os.DirFS("testdata"), Name: "alb_dir"}, "alb", 0, ""},
		{workloads.TraceConfig{Path: "testdata/cw_metric_data.json"}, "cloudwatch", 0, ""},
		{workloads.TraceConfig{Path: "testdata/cw_zoned.json.gz"}, "cloudwatch", 0, ""},
		{workloads.TraceConfig{Path: "testdata/counts_gap.csv"}, "counts", sim.Minute, ""},
		{workloads.TraceConfig{Path: "testdata/counts_plain.txt"}, "counts", 0, ""},
		{workloads.TraceConfig{Path: "testdata/ts_crlf.csv"}, "timestamps", 0, ""},
		{workloads.TraceConfig{Path: "testdata/ts_rfc3339.txt"}, "timestamps", 0, ""},
		{workloads.TraceConfig{Path: "testdata/ts_gzip.csv.gz"}, "", 0, "cannot tell timestamps in seconds from counts"},
		{workloads.TraceConfig{Path: "hourly.csv", Open: openString("timestamp,views\n2026-03-04 00:00:00,13427339\n" +
			"2026-03-04 01:00:00,13728695\n2026-03-04 03:00:00,14098703\n")}, "counts", sim.Hour, ""},
		{workloads.TraceConfig{Path: "spaced.txt", Open: openString("0 3 1\n4\n")}, "counts", 0, ""},
		{workloads.TraceConfig{Path: "uneven.csv", Open: openString("t,n\n2026-03-04 00:00:00,1\n2026-03-04 00:00:02,1\n2026-03-04 00:00:05,1\n")}, "timestamps", 0, ""},
		{workloads.TraceConfig{Path: "header.csv", Open: openString("t,n\n")}, "", 0, "cannot tell the trace's format"},
		{workloads.TraceConfig{Path: "testdata/ts_seconds.txt"}, "", 0, "cannot tell timestamps in seconds from counts"},
		{workloads.TraceConfig{Path: "testdata/empty.txt"}, "", 0, "empty"},
		{workloads.TraceConfig{Path: "testdata/nope.txt"}, "", 0, "cannot open"},
	}
	for _, c := range cases {
		tc := c.tc
		if tc.FS == nil && tc.Open == nil {
			tc.Open = fileOpener(tc.Path)
		}
		f, iv, err := workloads.DetectFormat(tc)
		if c.err != "" {
			var te *workloads.TraceError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: %v, want a *TraceError with %q", c.tc.Path, err, c.err)
			}
			continue
		}
		if err != nil || f != c.format || iv != c.iv {
			t.Errorf("%s: %q %v %v, want %q %v", c.tc.Path, f, iv, err, c.format, c.iv)
		}
	}
	// The real traces: the embedded copies.
	for name, want := range map[string]string{"worldcup98_per_minute.csv.gz": "counts 1m0s",
		"nasa_http_jul1995_per_second.txt.gz": "counts 0s", "azure_llm_2023_code.csv": "timestamps 0s"} {
		path := realTrace(t, name)
		f, iv, err := workloads.DetectFormat(workloads.TraceConfig{Path: path, Open: fileOpener(path)})
		if got := f + " " + iv.String(); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
}

// stats is workloads.Stats with disk access.
func stats(tc workloads.TraceConfig) (workloads.TraceStats, error) {
	if tc.Open == nil && tc.FS == nil && tc.Path != "" {
		tc.Open = fileOpener(tc.Path)
	}
	return workloads.Stats(tc)
}

// TestDetectServiceTimes: an ALB log is read for its timings; anything
// else is a file of durations.
func TestDetectServiceTimes(t *testing.T) {
	for _, tc := range []struct {
		path, want string
	}{
		{"testdata/alb_basic.log", "alb"},
		{"testdata/alb_basic.log.gz", "alb"},
		{"testdata/counts_gap.csv", workloads.DurationsFormat},
	} {
		if got := workloads.DetectServiceTimes(workloads.TraceConfig{Path: tc.path, Open: fileOpener(tc.path)}); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.path, got, tc.want)
		}
	}
}
