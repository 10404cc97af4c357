package workloads_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// Real traces are the ones the built-in scenarios replay, embedded in the
// repository with their notices (scenarios/builtin/traces/NOTICE.md).
const realTraces = "../scenarios/builtin/traces/"

// realTrace returns the path of an embedded real trace; a missing one is a
// broken checkout, so the test fails.
func realTrace(t *testing.T, name string) string {
	t.Helper()
	path := realTraces + name
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("real trace %s: %v", name, err)
	}
	return path
}

func traceCfg(tc workloads.TraceConfig) workloads.Config {
	return workloads.Config{Type: "trace", Trace: &tc}
}

// drain reads a source to its end (or max arrivals), checking order.
func drain(t *testing.T, src workloads.Source, max int) ([]sim.Time, error) {
	t.Helper()
	var out []sim.Time
	for len(out) < max {
		at, ok := src.Next()
		if !ok {
			break
		}
		if len(out) > 0 && at < out[len(out)-1] {
			t.Fatalf("arrival %d at %v after one at %v", len(out), at, out[len(out)-1])
		}
		out = append(out, at)
	}
	return out, src.Err()
}

func ms(v ...float64) []sim.Time {
	out := make([]sim.Time, len(v))
	for i, x := range v {
		out[i] = sim.Time(math.Round(x * 1e6))
	}
	return out
}

// TestTimestampFixtures replays small files of every accepted shape and
// compares the arrivals with hand-computed instants.
func TestTimestampFixtures(t *testing.T) {
	cases := []struct {
		name string
		tc   workloads.TraceConfig
		want []sim.Time
	}{
		{"CRLF, header, 7 digits, no final newline", workloads.TraceConfig{Path: "testdata/ts_crlf.csv"},
			[]sim.Time{0, 52_000_000, 52_000_000, 1_520_040_100}},
		{"column by name", workloads.TraceConfig{Path: "testdata/ts_crlf.csv", Column: "TIMESTAMP"},
			[]sim.Time{0, 52_000_000, 52_000_000, 1_520_040_100}},
		{"column by name, other case", workloads.TraceConfig{Path: "testdata/ts_crlf.csv", Column: "timestamp"},
			[]sim.Time{0, 52_000_000, 52_000_000, 1_520_040_100}},
		{"column by index", workloads.TraceConfig{Path: "testdata/ts_crlf.csv", Column: "1"},
			[]sim.Time{0, 52_000_000, 52_000_000, 1_520_040_100}},
		{"seconds, blank line, comment", workloads.TraceConfig{Path: "testdata/ts_seconds.txt"}, ms(0, 500, 1250, 3000)},
		{"RFC 3339 with zones", workloads.TraceConfig{Path: "testdata/ts_rfc3339.txt"}, ms(0, 1000, 2500, 3000)},
		{"gzip", workloads.TraceConfig{Path: "testdata/ts_gzip.csv.gz"}, ms(0, 1000, 2000, 3000, 4000)},
		{"gzip by magic, not name", workloads.TraceConfig{Path: "testdata/ts_gzip_noext.dat"}, ms(0, 1000, 2000, 3000, 4000)},
		{"window", workloads.TraceConfig{Path: "testdata/ts_seconds.txt", Start: 400 * sim.Millisecond, End: 2 * sim.Second}, ms(100, 850)},
		{"window at a record", workloads.TraceConfig{Path: "testdata/ts_seconds.txt", Start: 500 * sim.Millisecond, End: 3 * sim.Second}, ms(0, 750)},
		{"window and time scale", workloads.TraceConfig{Path: "testdata/ts_seconds.txt", Start: 400 * sim.Millisecond, End: 2 * sim.Second, TimeScale: 2}, ms(200, 1700)},
		{"time scale", workloads.TraceConfig{Path: "testdata/ts_gzip.csv.gz", TimeScale: 0.25}, ms(0, 250, 500, 750, 1000)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.tc.Format = "timestamps"
			got, err := drain(t, mustNew(t, traceCfg(c.tc), 1), 100)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("arrivals %v, want %v", got, c.want)
			}
		})
	}
}

// regularTrace is a timestamps file with one record per second.
func regularTrace(n int) func() (io.ReadCloser, error) {
	var b strings.Builder
	for i := range n {
		b.WriteString(strconv.Itoa(i) + "\n")
	}
	s := b.String()
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}

// TestTimestampRateScale checks that rate_scale k gives floor(k) or
// floor(k)+1 arrivals per record, with frac(k) the mean excess, and spreads
// the copies uniformly up to the next record.
func TestTimestampRateScale(t *testing.T) {
	const n = 2000
	for _, k := range []float64{2.5, 0.3, 3} {
		tc := workloads.TraceConfig{Path: "regular", Format: "timestamps", RateScale: k, Open: regularTrace(n + 1)}
		got, err := drain(t, mustNew(t, traceCfg(tc), 11), 1e6)
		if err != nil {
			t.Fatal(err)
		}
		perSecond := make([]int, n+1)
		var offsets []float64 // position of copies beyond the first within their second
		for i, at := range got {
			s := int64(at) / int64(sim.Second)
			perSecond[s]++
			if i > 0 && int64(got[i-1])/int64(sim.Second) == s {
				offsets = append(offsets, float64(int64(at)%int64(sim.Second))/1e9)
			}
		}
		whole, frac := math.Modf(k)
		for s, c := range perSecond[:n] {
			if c != int(whole) && c != int(whole)+1 {
				t.Fatalf("k=%v: second %d has %d arrivals, want %v or %v", k, s, c, whole, whole+1)
			}
		}
		total := float64(len(got) - perSecond[n])
		if sd := math.Sqrt(n * frac * (1 - frac)); math.Abs(total-k*n) > 4*sd+1e-9 {
			t.Errorf("k=%v: %v arrivals over %d records, want %v ± %.1f", k, total, n, k*n, 4*sd)
		}
		if len(offsets) > 1000 {
			mean := 0.0
			for _, o := range offsets {
				mean += o / float64(len(offsets))
			}
			// Uniform on (0, 1): mean 1/2, standard error sqrt(1/12/m).
			if se := math.Sqrt(1 / 12.0 / float64(len(offsets))); math.Abs(mean-0.5) > 4*se {
				t.Errorf("k=%v: copies sit %.3f s after their record on average, want 0.5", k, mean)
			}
		}
	}
}

// TestTraceErrors checks each kind of bad file gives a *TraceError with the
// right line, from both the replay and Peek.
func TestTraceErrors(t *testing.T) {
	longLine := func() (io.ReadCloser, error) {
		return io.NopCloser(io.MultiReader(strings.NewReader("1\n2\n"), bytes.NewReader(bytes.Repeat([]byte("9"), 1<<20+10)))), nil
	}
	cases := []struct {
		name string
		tc   workloads.TraceConfig
		line int
		msg  string // substring of the message
		hint string // substring of the hint
	}{
		{"missing file", workloads.TraceConfig{Path: "testdata/no-such-file.csv", Format: "timestamps"}, 0, "cannot open", "check the path"},
		{"empty file", workloads.TraceConfig{Path: "testdata/empty.txt", Format: "timestamps"}, 0, "no records", "empty"},
		{"header only", workloads.TraceConfig{Path: "testdata/header_only.csv", Format: "timestamps"}, 0, "no records", ""},
		{"empty counts", workloads.TraceConfig{Path: "testdata/empty.txt", Format: "counts", Interval: sim.Second}, 0, "no records", ""},
		{"unsorted", workloads.TraceConfig{Path: "testdata/unsorted.txt", Format: "timestamps"}, 4, `timestamp "2.5" is earlier than the one on line 3`, "sort"},
		{"bad value", workloads.TraceConfig{Path: "testdata/ts_badvalue.csv", Format: "timestamps"}, 3, `cannot parse "2023-11-16 18:17:0x"`, "RFC 3339"},
		{"mixed forms", workloads.TraceConfig{Path: "mixed", Format: "timestamps", Open: openString("1\n2024-01-01 00:00:00\n")}, 2, "mixes", ""},
		{"truncated gzip", workloads.TraceConfig{Path: "testdata/truncated.csv.gz", Format: "timestamps"}, -1, "corrupt or truncated gzip", "gzip -t"},
		{"column not found", workloads.TraceConfig{Path: "testdata/ts_crlf.csv", Format: "timestamps", Column: "arrival"}, 1, `column "arrival" not found`, `"TIMESTAMP", "ContextTokens", "GeneratedTokens"`},
		{"column out of range", workloads.TraceConfig{Path: "testdata/ts_crlf.csv", Format: "timestamps", Column: "4"}, 1, "column 4 requested", ""},
		{"column not timestamps", workloads.TraceConfig{Path: "testdata/ts_crlf.csv", Format: "timestamps", Column: "2"}, 3, "earlier", ""},
		{"line too long", workloads.TraceConfig{Path: "long", Format: "timestamps", Open: longLine}, 3, "longer than 1048576 bytes", ""},
		{"negative count", workloads.TraceConfig{Path: "testdata/counts_negative.csv", Format: "counts", Interval: sim.Minute}, 3, `count "-1" is negative`, "≥ 0"},
		{"NaN count", workloads.TraceConfig{Path: "testdata/counts_nan.txt", Format: "counts", Interval: sim.Second}, 2, `count "NaN" is not a finite number`, ""},
		{"Inf count", workloads.TraceConfig{Path: "inf", Format: "counts", Interval: sim.Second, Open: openString("period,count\n2000-01-01 00:00:00,+Inf\n")}, 2, "not a finite number", ""},
		{"count not a number", workloads.TraceConfig{Path: "x", Format: "counts", Interval: sim.Second, Open: openString("1 2 3\n4 5x\n")}, 2, `cannot parse "5x"`, ""},
		{"counts unsorted", workloads.TraceConfig{Path: "testdata/counts_unsorted.csv", Format: "counts", Interval: sim.Minute}, 4, "not in a later interval than line 3", "increasing time"},
		{"counts duplicate interval", workloads.TraceConfig{Path: "dup", Format: "counts", Interval: sim.Hour, Open: openString("t,n\n2000-01-01 00:00:00,1\n2000-01-01 00:10:00,1\n")}, 3, "later interval", ""},
		{"counts column not found", workloads.TraceConfig{Path: "testdata/counts_header.txt", Format: "counts", Interval: sim.Second, Column: "hits"}, 1, `column "hits" not found`, `"requests"`},
		{"counts column, no header", workloads.TraceConfig{Path: "testdata/counts_plain.txt", Format: "counts", Interval: sim.Second, Column: "hits"}, 1, "no header", ""},
		{"counts column index, plain list", workloads.TraceConfig{Path: "testdata/counts_plain.txt", Format: "counts", Interval: sim.Second, Column: "2"}, 1, "plain list", ""},
		{"counts CSV column not found", workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute, Column: "hits"}, 1, `column "hits"`, `"period", "count"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := drain(t, mustNew(t, traceCfg(c.tc), 1), 1e6)
			checkTraceError(t, "replay", err, c.tc.Path, c.line, c.msg, c.hint)
			if c.line > 0 && c.tc.Format == "timestamps" && len(got) >= max(c.line, 2) {
				t.Errorf("replay gave %d arrivals before failing at line %d", len(got), c.line)
			}
			_, err = peek(c.tc)
			checkTraceError(t, "Peek", err, c.tc.Path, c.line, c.msg, c.hint)
		})
	}
}

func openString(s string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}

// checkTraceError checks err is a *TraceError at line (any line > 0 when
// line is -1) whose message and hint hold the given substrings.
func checkTraceError(t *testing.T, who string, err error, file string, line int, msg, hint string) {
	t.Helper()
	var te *workloads.TraceError
	if !errors.As(err, &te) {
		t.Fatalf("%s: error %v (%T), want a *TraceError", who, err, err)
	}
	if te.File != file || (line >= 0 && te.Line != line) || (line < 0 && te.Line <= 0) {
		t.Errorf("%s: error at %s:%d, want %s:%d: %v", who, te.File, te.Line, file, line, err)
	}
	if !strings.Contains(te.Msg, msg) || !strings.Contains(te.Hint, hint) {
		t.Errorf("%s: error %q, want message with %q and hint with %q", who, err, msg, hint)
	}
}

func TestTraceErrorRendering(t *testing.T) {
	cases := []struct {
		err  workloads.TraceError
		want string
	}{
		{workloads.TraceError{File: "a.csv", Line: 4, Msg: "bad", Hint: "fix it"}, "a.csv:4: bad; fix it"},
		{workloads.TraceError{File: "a.csv", Msg: "bad"}, "a.csv: bad"},
		{workloads.TraceError{Line: 2, Msg: "bad", Hint: "fix it"}, "line 2: bad; fix it"},
		{workloads.TraceError{Msg: "bad"}, "bad"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
	_, err := peek(workloads.TraceConfig{Path: "testdata/unsorted.txt", Format: "timestamps"})
	if want := `testdata/unsorted.txt:4: timestamp "2.5" is earlier than the one on line 3; sort the file by time`; err == nil || err.Error() != want {
		t.Errorf("unsorted file: %v\nwant %s", err, want)
	}
	_, err = peek(workloads.TraceConfig{Path: "testdata/no-such-file.csv", Format: "timestamps"})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want it to wrap fs.ErrNotExist", err)
	}
}

func TestPeekFixtures(t *testing.T) {
	y2000 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	cases := []struct {
		tc   workloads.TraceConfig
		want workloads.TraceInfo
	}{
		{workloads.TraceConfig{Path: "testdata/ts_seconds.txt", Format: "timestamps"},
			workloads.TraceInfo{Format: "timestamps", Records: 4, Arrivals: 4, First: 100e9, Last: 103e9, Span: 3 * sim.Second}},
		{workloads.TraceConfig{Path: "testdata/ts_rfc3339.txt", Format: "timestamps"},
			workloads.TraceInfo{Format: "timestamps", Records: 4, Arrivals: 4, DateTime: true,
				First: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano(), Last: time.Date(2024, 3, 1, 12, 0, 3, 0, time.UTC).UnixNano(), Span: 3 * sim.Second}},
		{workloads.TraceConfig{Path: "testdata/counts_plain.txt", Format: "counts", Interval: sim.Second},
			workloads.TraceInfo{Format: "counts", Records: 5, Arrivals: 10, MaxCount: 4, Intervals: 5, Interval: sim.Second, First: 0, Last: 4e9, Span: 5 * sim.Second}},
		{workloads.TraceConfig{Path: "testdata/counts_header.txt", Format: "counts", Interval: sim.Second, Column: "requests"},
			workloads.TraceInfo{Format: "counts", Records: 2, Arrivals: 3, MaxCount: 2, Intervals: 2, Interval: sim.Second, First: 0, Last: 1e9, Span: 2 * sim.Second}},
		{workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute},
			workloads.TraceInfo{Format: "counts", Records: 4, Arrivals: 26, MaxCount: 8, Intervals: 6, Interval: sim.Minute, DateTime: true,
				First: y2000, Last: y2000 + int64(5*sim.Minute), Span: 6 * sim.Minute}},
	}
	for _, c := range cases {
		got, err := peek(c.tc)
		if err != nil {
			t.Errorf("Peek(%s): %v", c.tc.Path, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Peek(%s) = %+v\nwant %+v", c.tc.Path, got, c.want)
		}
	}
}

// TestCountsGap replays a counts CSV with missing rows: the missing
// minutes get no arrivals, the others their count times the rate scale.
func TestCountsGap(t *testing.T) {
	const k = 500
	tc := workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute, RateScale: k}
	obs := binCounts(t, mustNew(t, traceCfg(tc), 3), sim.Minute, 7)
	checkCounts(t, obs, []float64{5 * k, 6 * k, 0, 0, 7 * k, 8 * k, 0})

	// Cut mid-interval with a time scale: [90 s, 270 s) of trace time is
	// half of minute 1 (rate 6k/min), then nothing, then half of minute 4
	// (rate 7k/min), played twice as slowly.
	tc.Start, tc.End, tc.TimeScale = 90*sim.Second, 270*sim.Second, 2
	obs = binCounts(t, mustNew(t, traceCfg(tc), 4), sim.Minute, 8)
	checkCounts(t, obs, []float64{3 * k, 0, 0, 0, 0, 3.5 * k, 0, 0})
}

// TestAzureTimestamps replays the Azure LLM code trace (CRLF, 7 fractional
// digits, column TIMESTAMP) in full.
func TestAzureTimestamps(t *testing.T) {
	path := realTrace(t, "azure_llm_2023_code.csv")
	tc := workloads.TraceConfig{Path: path, Format: "timestamps", Column: "TIMESTAMP"}
	got, err := drain(t, mustNew(t, traceCfg(tc), 1), 1e6)
	if err != nil {
		t.Fatal(err)
	}
	// 2023-11-16 18:17:03.9799600 to 19:14:19.9280160.
	const span = sim.Time(57*sim.Minute + 15*sim.Second + 948_056*sim.Microsecond)
	if len(got) != 8819 || got[0] != 0 || got[len(got)-1] != span {
		t.Errorf("%d arrivals from %v to %v, want 8819 from 0 to %v", len(got), got[0], got[len(got)-1], span)
	}
	info, err := peek(tc)
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2023, 11, 16, 18, 17, 3, 979_960_000, time.UTC).UnixNano()
	if info.Records != 8819 || info.Span != sim.Duration(span) || info.First != first || !info.DateTime {
		t.Errorf("Peek = %+v, want 8819 records over %v from %d", info, span, first)
	}
}

// worldcupMinutes reads the World Cup file independently of the package:
// the count of each minute since the first row.
func worldcupMinutes(t *testing.T, path string) (map[int64]float64, time.Time) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	counts := make(map[int64]float64, len(rows))
	var t0 time.Time
	for i, r := range rows[1:] {
		at, err := time.Parse(time.DateTime, r[0])
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			t0 = at
		}
		n, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		counts[int64(at.Sub(t0)/time.Minute)] = n
	}
	return counts, t0
}

// TestWorldCupCounts replays windows of the World Cup per-minute counts and
// compares each minute's arrivals with the file's count times the rate
// scale: a busy evening (the Brazil–Netherlands semi-final), and a quiet
// morning holding eight of the file's missing (zero) minutes.
func TestWorldCupCounts(t *testing.T) {
	path := realTrace(t, "worldcup98_per_minute.csv.gz")
	tc := workloads.TraceConfig{Path: path, Format: "counts", Interval: sim.Minute}
	info, err := peek(tc)
	if err != nil {
		t.Fatal(err)
	}
	if info.Records != 125_300 || info.Arrivals != 1_352_804_107 || info.Intervals != 125_310 || info.MaxCount != 229_426 {
		t.Errorf("Peek = %+v, want 125300 rows totalling 1352804107 over 125310 minutes, peak 229426", info)
	}
	counts, t0 := worldcupMinutes(t, path)
	windows := []struct {
		from time.Time
		k    float64
	}{
		{time.Date(1998, 7, 7, 19, 0, 0, 0, time.UTC), 0.004},
		{time.Date(1998, 5, 17, 6, 0, 0, 0, time.UTC), 1},
	}
	for i, w := range windows {
		first := int64(w.from.Sub(t0) / time.Minute)
		const minutes = 240
		tc := tc
		tc.RateScale, tc.Start, tc.End = w.k, sim.Duration(first)*sim.Minute, sim.Duration(first+minutes)*sim.Minute
		obs := binCounts(t, mustNew(t, traceCfg(tc), uint64(20+i)), sim.Minute, minutes)
		exp := make([]float64, minutes)
		zeros := 0
		for m := range exp {
			exp[m] = counts[first+int64(m)] * w.k
			if _, ok := counts[first+int64(m)]; !ok {
				zeros++
			}
		}
		if i == 1 && zeros != 8 {
			t.Fatalf("the quiet window holds %d missing minutes, want 8", zeros)
		}
		checkCounts(t, obs, exp)
	}
}

// TestNASACounts replays four hours of the NASA per-second counts (a single
// line of 2.4 million numbers) around the STS-70 launch and compares each
// minute's arrivals with the file's counts.
func TestNASACounts(t *testing.T) {
	path := realTrace(t, "nasa_http_jul1995_per_second.txt.gz")
	tc := workloads.TraceConfig{Path: path, Format: "counts", Interval: sim.Second}
	info, err := peek(tc)
	if err != nil {
		t.Fatal(err)
	}
	if info.Records != 2_381_544 || info.Arrivals != 1_891_713 || info.MaxCount != 20 || info.Span != 2_381_544*sim.Second {
		t.Errorf("Peek = %+v, want 2381544 seconds totalling 1891713, peak 20", info)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	values := strings.Fields(string(raw))
	// Value 0 is 1995-07-01 00:00:01 local; start at 07-13 08:00:00.
	first := int64(12*86400 + 8*3600 - 1)
	const minutes = 240
	tc.Start, tc.End = sim.Duration(first)*sim.Second, sim.Duration(first+60*minutes)*sim.Second
	obs := binCounts(t, mustNew(t, traceCfg(tc), 30), sim.Minute, minutes)
	exp := make([]float64, minutes)
	for s := range int64(60 * minutes) {
		n, err := strconv.ParseFloat(values[first+s], 64)
		if err != nil {
			t.Fatal(err)
		}
		exp[s/60] += n
	}
	checkCounts(t, obs, exp)
}

// TestByteOrderMark replays files that start with a UTF-8 byte-order mark,
// as Windows tools write them, plain and gzipped, in each line format: the
// mark is not part of the first record.
func TestByteOrderMark(t *testing.T) {
	alb, err := os.ReadFile("testdata/alb_basic.log")
	if err != nil {
		t.Fatal(err)
	}
	bom := "\xef\xbb\xbf"
	cases := []struct {
		name, format, data string
		want               []sim.Time
	}{
		{"timestamps", "timestamps", bom + "0.5\n1.25\n", ms(0, 750)},
		{"counts", "counts", bom + "2\n0\n", nil},
		{"alb", "alb", bom + string(alb), albBasic},
	}
	for _, c := range cases {
		for _, gz := range []bool{false, true} {
			data := []byte(c.data)
			if gz {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				_, _ = zw.Write(data)
				_ = zw.Close()
				data = b.Bytes()
			}
			tc := workloads.TraceConfig{Path: "bom", Format: c.format, Open: openBytes(data)}
			if c.format == "counts" {
				tc.Interval = sim.Second
			}
			got, err := drain(t, mustNew(t, traceCfg(tc), 1), 100)
			if err != nil {
				t.Fatalf("%s (gzip %v): %v", c.name, gz, err)
			}
			if c.want == nil {
				if len(got) == 0 {
					t.Fatalf("%s (gzip %v): no arrivals", c.name, gz)
				}
				continue
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s (gzip %v): %v, want %v", c.name, gz, got, c.want)
			}
		}
	}
}
