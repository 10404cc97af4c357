package workloads_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// TestFormats checks the registry: every format has a distinct name and
// can be looked up by it, the formats that take an interval are the ones of
// counts, the writable ones round-trip (TestRoundTrip*), and every format a
// CheckTrace message lists is one of them.
func TestFormats(t *testing.T) {
	names := workloads.FormatNames()
	if len(names) == 0 || len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
		t.Fatalf("format names %q: want distinct names", names)
	}
	for _, f := range workloads.Formats() {
		g, ok := workloads.LookupFormat(f.Name)
		if !ok || g.Name != f.Name || g.Options != f.Options {
			t.Errorf("LookupFormat(%q) = %+v, %v", f.Name, g, ok)
		}
		if takes := f.Options.Interval != workloads.Unused; takes != f.Counts() {
			t.Errorf("%s: takes an interval %v, holds counts %v", f.Name, takes, f.Counts())
		}
	}
	if _, ok := workloads.LookupFormat("csv"); ok {
		t.Error(`LookupFormat("csv") found a format`)
	}
	if got := workloads.WritableNames(); !slices.Equal(got, []string{"timestamps", "counts"}) {
		t.Errorf("writable formats %q, want timestamps and counts (the ones convert writes)", got)
	}
}

// TestCheckTrace checks the validator's verdicts, key by key; given (a
// scenario's view of the keys its file sets) tells an option set to its
// zero value from one not set.
func TestCheckTrace(t *testing.T) {
	ts := workloads.TraceConfig{Path: "t.csv", Format: "timestamps"}
	with := func(f func(*workloads.TraceConfig)) workloads.TraceConfig { c := ts; f(&c); return c }
	keys := func(k ...string) func(string) bool { return func(key string) bool { return slices.Contains(k, key) } }
	cases := []struct {
		name  string
		cfg   workloads.TraceConfig
		given func(string) bool
		key   string // "" for no problem
		msg   string
	}{
		{"plain", ts, nil, "", ""},
		{"no format", with(func(c *workloads.TraceConfig) { c.Format = "" }), nil, "format", "required"},
		{"unknown format", with(func(c *workloads.TraceConfig) { c.Format = "parquet" }), nil, "format", `unknown trace format "parquet"`},
		{"column 0", with(func(c *workloads.TraceConfig) { c.Column = " 0 " }), nil, "column", "counts from 1 to 65536 (got 0)"},
		{"column 65537", with(func(c *workloads.TraceConfig) { c.Column = "65537" }), nil, "column", "(got 65537)"},
		{"column name", with(func(c *workloads.TraceConfig) { c.Column = "TIMESTAMP" }), nil, "", ""},
		{"column on alb", workloads.TraceConfig{Format: "alb", Column: "x"}, nil, "column", "not used by format alb"},
		{"interval on timestamps", with(func(c *workloads.TraceConfig) { c.Interval = sim.Second }), nil, "interval", "not used by format timestamps"},
		{"interval 0 set on timestamps", ts, keys("interval"), "interval", "not used by format timestamps"},
		{"counts without interval", workloads.TraceConfig{Format: "counts"}, nil, "interval", "required"},
		{"counts interval 0 set", workloads.TraceConfig{Format: "counts"}, keys("interval"), "interval", "must be > 0 (got 0s)"},
		{"counts interval -1s", workloads.TraceConfig{Format: "counts", Interval: -sim.Second}, nil, "interval", "must be > 0 (got -1s)"},
		{"counts interval 2d", workloads.TraceConfig{Format: "counts", Interval: 2 * sim.Day}, nil, "interval", "must be at most 1d (got 2d)"},
		{"counts interval 1d", workloads.TraceConfig{Format: "counts", Interval: sim.Day}, nil, "", ""},
		{"cloudwatch interval 0", workloads.TraceConfig{Format: "cloudwatch"}, keys("interval"), "", ""},
		{"cloudwatch interval -5m", workloads.TraceConfig{Format: "cloudwatch", Interval: -5 * sim.Minute}, nil, "interval", "must be ≥ 0 (got -5m0s)"},
		{"strict on counts", workloads.TraceConfig{Format: "counts", Interval: sim.Second, Strict: true}, nil, "strict", "not used by format counts"},
		{"strict false set on counts", workloads.TraceConfig{Format: "counts", Interval: sim.Second}, keys("strict", "interval"), "strict", "not used by format counts"},
		{"strict on alb", workloads.TraceConfig{Format: "alb", Strict: true}, nil, "", ""},
		{"rate_scale 1e6", with(func(c *workloads.TraceConfig) { c.RateScale = 1e6 }), nil, "", ""},
		{"rate_scale above 1e6", with(func(c *workloads.TraceConfig) { c.RateScale = 1.5e6 }), nil, "rate_scale", "must be > 0 and at most 1e+06 (got 1.5e+06)"},
		{"rate_scale NaN", with(func(c *workloads.TraceConfig) { c.RateScale = math.NaN() }), nil, "rate_scale", "(got NaN)"},
		{"rate_scale 0 set", ts, keys("rate_scale"), "rate_scale", "(got 0)"},
		{"time_scale -1", with(func(c *workloads.TraceConfig) { c.TimeScale = -1 }), nil, "time_scale", "(got -1)"},
		{"time_scale +Inf", with(func(c *workloads.TraceConfig) { c.TimeScale = math.Inf(1) }), nil, "time_scale", "(got +Inf)"},
		{"start < 0", with(func(c *workloads.TraceConfig) { c.Start = -sim.Second }), nil, "start", "must be ≥ 0 (got -1s)"},
		{"end before start", with(func(c *workloads.TraceConfig) { c.Start, c.End = sim.Hour, sim.Minute }), nil, "end", "must be after start"},
		{"window", with(func(c *workloads.TraceConfig) { c.Start, c.End = sim.Minute, sim.Hour }), nil, "", ""},
	}
	for _, c := range cases {
		err := workloads.CheckTrace(c.cfg, c.given)
		var oe *workloads.OptionError
		switch {
		case c.key == "" && err != nil:
			t.Errorf("%s: %v, want no problem", c.name, err)
		case c.key == "":
		case !errors.As(err, &oe):
			t.Errorf("%s: %v (%T), want an *OptionError", c.name, err, err)
		case oe.Key != c.key || !strings.Contains(oe.Msg, c.msg) || oe.Hint == "" || oe.File != c.cfg.Path:
			t.Errorf("%s: key %q, message %q, hint %q, file %q; want key %q, a message with %q, a hint",
				c.name, oe.Key, oe.Msg, oe.Hint, oe.File, c.key, c.msg)
		}
	}
	err := workloads.CheckTrace(workloads.TraceConfig{Path: "c.txt", Format: "counts", Interval: sim.Second, Strict: true}, nil)
	if want := "trace c.txt: strict: not used by format counts; only used with format alb (other formats always stop at a malformed line); remove it"; err == nil || err.Error() != want {
		t.Errorf("rendering: %v\nwant %s", err, want)
	}
}

// writeStamps writes instants with a TimestampsWriter.
func writeStamps(t testing.TB, ns []int64, dateTime bool) []byte {
	t.Helper()
	var b bytes.Buffer
	w := workloads.NewTimestampsWriter(&b)
	for _, x := range ns {
		if err := w.Write(x, dateTime); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readStamps reads a timestamps file back through the timestamps reader.
func readStamps(t testing.TB, data []byte) ([]int64, bool) {
	t.Helper()
	var got []int64
	dateTime := false
	_, err := workloads.Instants(workloads.TraceConfig{Path: "rt.csv", Format: "timestamps", Open: openBytes(data)},
		func(ns int64, dt bool) error { got, dateTime = append(got, ns), dt; return nil })
	if err != nil {
		t.Fatalf("reading back %q: %v", clip(data), err)
	}
	return got, dateTime
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// TestRoundTripTimestamps writes instants and reads them back: the same
// instants, to the nanosecond, date-times or plain seconds.
func TestRoundTripTimestamps(t *testing.T) {
	at := func(y int, mo time.Month, d, h, mi, s, ns int) int64 {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC).UnixNano()
	}
	cases := []struct {
		name     string
		ns       []int64
		dateTime bool
	}{
		{"microseconds", []int64{at(2018, 7, 2, 22, 22, 48, 100_000), at(2018, 7, 2, 22, 22, 48, 100_000), at(2018, 7, 2, 22, 23, 0, 0)}, true},
		{"nanoseconds", []int64{at(2024, 2, 29, 23, 59, 59, 999_999_999), at(2024, 3, 1, 0, 0, 0, 1)}, true},
		{"before 1970", []int64{at(1969, 12, 31, 23, 59, 59, 500_000_000), at(1970, 1, 1, 0, 0, 0, 0)}, true},
		{"the reader's first year", []int64{at(1678, 1, 1, 0, 0, 0, 0), at(1678, 1, 1, 0, 0, 0, 1)}, true},
		{"the reader's last year", []int64{at(2261, 12, 31, 23, 59, 59, 999_999_999)}, true},
		{"plain seconds", []int64{0, 500_000_000, 30e9, 61e9 + 1}, false},
		{"negative plain seconds", []int64{-8_999_999_999_999_999_999 / 1000 * 1000, -1_500_000_000, -1, 0, 1}, false},
		{"one", []int64{42}, false},
	}
	for _, c := range cases {
		data := writeStamps(t, c.ns, c.dateTime)
		got, dateTime := readStamps(t, data)
		if !slices.Equal(got, c.ns) || dateTime != c.dateTime {
			t.Errorf("%s: wrote %v (date-times %v) as\n%s\nread back %v (date-times %v)", c.name, c.ns, c.dateTime, data, got, dateTime)
		}
	}
}

// FuzzRoundTripTimestamps writes fuzzed sorted instants, within what the
// reader takes, and reads them back.
func FuzzRoundTripTimestamps(f *testing.F) {
	f.Add(int64(1530570168100000000), []byte{0, 1, 200, 7}, true)
	f.Add(int64(-5), []byte{3, 3, 0, 255}, false)
	f.Add(int64(math.MinInt64), []byte{9}, true)
	f.Fuzz(func(t *testing.T, first int64, gaps []byte, dateTime bool) {
		lo, hi := int64(-8_999_999_999_999_999_999), int64(8_999_999_999_999_999_999) // plain seconds: |s| < 9e9
		if dateTime {
			lo, hi = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano(), time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()-1
		}
		ns := []int64{min(max(first, lo), hi)}
		for _, g := range gaps {
			gap := int64(g) * int64(g) * int64(g) * 997 // 0 to about 16 ms, odd nanoseconds
			if ns[len(ns)-1] > hi-gap {
				break
			}
			ns = append(ns, ns[len(ns)-1]+gap)
		}
		got, dt := readStamps(t, writeStamps(t, ns, dateTime))
		if !slices.Equal(got, ns) || dt != dateTime {
			t.Fatalf("wrote %v (date-times %v), read back %v (%v)", ns, dateTime, got, dt)
		}
	})
}

// writeCountsCSV writes consecutive intervals of width from first with a
// CountsWriter.
func writeCountsCSV(t testing.TB, first int64, width sim.Duration, counts []float64, dateTime bool) []byte {
	t.Helper()
	var b bytes.Buffer
	w := workloads.NewCountsWriter(&b, dateTime, width)
	for i, n := range counts {
		if err := w.Write(first+int64(i)*int64(width), n); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if w.Rows() != int64(len(counts)) {
		t.Fatalf("Rows() = %d after %d rows", w.Rows(), len(counts))
	}
	return b.Bytes()
}

type countBin struct {
	start int64
	n     float64
}

// readCountsCSV reads a counts CSV back through the counts reader, per
// interval of width.
func readCountsCSV(t testing.TB, data []byte, width sim.Duration) ([]countBin, workloads.TraceInfo) {
	t.Helper()
	var got []countBin
	info, err := workloads.Bin(workloads.TraceConfig{Path: "rt.csv", Format: "counts", Interval: width, Open: openBytes(data)}, width,
		func(start int64, n float64) error { got = append(got, countBin{start, n}); return nil })
	if err != nil {
		t.Fatalf("reading back %q: %v", clip(data), err)
	}
	return got, info
}

// checkCountsRoundTrip writes counts and reads them back: the same counts,
// from the same start for date-times, from 0 otherwise.
func checkCountsRoundTrip(t testing.TB, first int64, width sim.Duration, counts []float64, dateTime bool) {
	t.Helper()
	data := writeCountsCSV(t, first, width, counts, dateTime)
	got, info := readCountsCSV(t, data, width)
	origin := int64(0)
	if dateTime {
		origin = first
	}
	want := make([]countBin, len(counts))
	for i, n := range counts {
		want[i] = countBin{origin + int64(i)*int64(width), n}
	}
	if !slices.Equal(got, want) || info.DateTime != dateTime {
		t.Fatalf("wrote %v from %d per %v (date-times %v) as\n%s\nread back %v (date-times %v)", counts, first, width, dateTime, clip(data), got, info.DateTime)
	}
}

// TestRoundTripCounts writes counts and reads them back: the same counts
// per interval.
func TestRoundTripCounts(t *testing.T) {
	y2k := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	cases := []struct {
		name     string
		first    int64
		width    sim.Duration
		counts   []float64
		dateTime bool
	}{
		{"per minute", y2k, sim.Minute, []float64{5, 0, 0, 7, 1e12}, true},
		{"fractions", y2k + 500_000_000, 250 * sim.Millisecond, []float64{0.5, 1e-9, 3, 0}, true},
		{"before 1970", -int64(sim.Hour), sim.Hour, []float64{1, 2}, true},
		{"relative minutes", 7e9, 2 * sim.Minute, []float64{0, 0, 4, 0.125}, false},
		{"relative seconds", 0, 1500 * sim.Millisecond, []float64{1, 2, 3}, false},
		{"one", y2k, sim.Day, []float64{42}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkCountsRoundTrip(t, c.first, c.width, c.counts, c.dateTime) })
	}
}

// FuzzRoundTripCounts writes fuzzed counts (any float64 a counts file
// takes), over fuzzed intervals, and reads them back.
func FuzzRoundTripCounts(f *testing.F) {
	f.Add(int64(946684800e9), uint32(60_000), []byte{0, 0, 0, 0, 0, 0, 0x14, 0x40, 1, 2, 3, 4, 5, 6, 7, 8}, true)
	f.Add(int64(0), uint32(1), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f}, false)
	f.Fuzz(func(t *testing.T, first int64, widthMs uint32, raw []byte, dateTime bool) {
		width := sim.Duration(widthMs%uint32(sim.Day/sim.Millisecond)+1) * sim.Millisecond
		var counts []float64
		for i := 0; i+8 <= len(raw) && len(counts) < 64; i += 8 {
			v := math.Abs(math.Float64frombits(uint64(raw[i]) | uint64(raw[i+1])<<8 | uint64(raw[i+2])<<16 | uint64(raw[i+3])<<24 |
				uint64(raw[i+4])<<32 | uint64(raw[i+5])<<40 | uint64(raw[i+6])<<48 | uint64(raw[i+7])<<56))
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			counts = append(counts, math.Mod(v, 1e12+1))
		}
		if len(counts) == 0 {
			counts = []float64{0}
		}
		lo := time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
		hi := time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano() - int64(len(counts))*int64(width)
		checkCountsRoundTrip(t, min(max(first, lo), hi), width, counts, dateTime)
	})
}

// TestConversion converts the ALB directory fixture to timestamps and to
// counts through the registry's writers: read back, the same arrivals as
// the logs hold, and the same arrivals per interval as Bin counts.
func TestConversion(t *testing.T) {
	logs := workloads.TraceConfig{Path: "logs", Format: "alb", FS: os.DirFS("testdata"), Name: "alb_dir"}
	var want []int64
	if _, err := workloads.Instants(logs, func(ns int64, _ bool) error { want = append(want, ns); return nil }); err != nil {
		t.Fatal(err)
	}
	c, err := workloads.NewConversion(logs, "timestamps", 0)
	if err != nil || c.Rows() != -1 {
		t.Fatalf("NewConversion to timestamps: %v, rows %d", err, c.Rows())
	}
	var b bytes.Buffer
	n, info, err := c.Write(&b)
	if err != nil || n != int64(len(want)) || info.Records != n {
		t.Fatalf("to timestamps: %d rows, %+v, %v", n, info, err)
	}
	if got, dt := readStamps(t, b.Bytes()); !slices.Equal(got, want) || !dt {
		t.Errorf("timestamps read back %v, want %v", got, want)
	}

	c, err = workloads.NewConversion(logs, "counts", 2*sim.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var bins []countBin
	if _, err := workloads.Bin(logs, 2*sim.Minute, func(s int64, n float64) error { bins = append(bins, countBin{s, n}); return nil }); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	n, _, err = c.Write(&b)
	if err != nil || n != int64(len(bins)) || c.Rows() < n || c.Info().Records != 15 {
		t.Fatalf("to counts: %d rows (Rows %d), want %d: %v", n, c.Rows(), len(bins), err)
	}
	if got, _ := readCountsCSV(t, b.Bytes(), 2*sim.Minute); !slices.Equal(got, bins) {
		t.Errorf("counts read back %v, want %v", got, bins)
	}
	for _, bad := range []struct {
		to string
		iv sim.Duration
	}{{"alb", 0}, {"csv", 0}, {"counts", 0}, {"timestamps", sim.Minute}} {
		if _, err := workloads.NewConversion(logs, bad.to, bad.iv); err == nil {
			t.Errorf("NewConversion to %s, interval %v: no error", bad.to, bad.iv)
		}
	}
}
