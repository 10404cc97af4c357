package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixedResult is a small hand-made Result: two strategies, three minutes
// each, floats with more digits than the output keeps, and a warning.
func fixedResult() *Result {
	return &Result{
		SchemaVersion: SchemaVersion,
		Scenario:      "golden-demo",
		Seed:          7,
		DurationS:     28800,
		WarmupS:       600,
		SLOLatencyMS:  300,
		Replications:  1,
		Strategies: []StrategySummary{
			{
				Name: "fixed",
				Type: "static",
				Requests: Requests{Arrived: 9870123, Completed: 9860000, Rejected: 10000,
					TimedOut: 100, Dropped: 0, InFlightAtEnd: 23},
				LatencyMS:      Latency{Mean: 51.234567891, P50: 35.0123, P90: 120.98765, P99: 250.5, P999: 1234.5678, Max: 4321.0987},
				ThroughputRPS:  Throughput{Mean: 349.99876, PeakMinute: 412.5},
				Availability:   Availability{SuccessRatio: 0.99897542, SLOAttainment: 0.9871234, MinutesMeetingSLO: 0.95, ServedWithinSLO: 0.9869, Served: 0.99871},
				CostUSD:        Cost{Total: 18.4321, Compute: 15.36, LoadBalancer: 3.0721, Stream: 0},
				Capacity:       Capacity{InstancesMin: 5, InstancesMax: 5, InstanceHours: 40, MeanUtilization: 0.7012345},
				ScalingActions: 0,
			},
			{
				Name: "asg",
				Type: "horizontal",
				Requests: Requests{Arrived: 9870123, Completed: 9870000, Rejected: 0,
					TimedOut: 0, Dropped: 100, InFlightAtEnd: 23},
				LatencyMS:      Latency{Mean: 48.1, P50: 33.3333333, P90: 99.99999, P99: 180.0004, P999: 310.2, Max: 999.9},
				ThroughputRPS:  Throughput{Mean: 350.35, PeakMinute: 420},
				Availability:   Availability{SuccessRatio: 0.99999987, SLOAttainment: 0.999, MinutesMeetingSLO: 1, ServedWithinSLO: 0.9989, Served: 0.99999},
				CostUSD:        Cost{Total: 0.123456789, Compute: 0.1, LoadBalancer: 0.023456789, Stream: 0},
				Capacity:       Capacity{InstancesMin: 2, InstancesMax: 12, InstanceHours: 55.55555, MeanUtilization: 0.5},
				ScalingActions: 37,
			},
		},
		Warnings: []string{
			"strategy asg: the fleet stayed at its maximum of 12 instances for 14 minutes; raise strategies.asg.max to let it scale further",
		},
		Series: []MinuteRow{
			{Strategy: "fixed", Minute: 0, Arrivals: 21000, Completed: 20990, Errors: 3, P50MS: 35.12345678, P99MS: 250.5, InstancesInService: 5, Utilization: 0.7123456789, CostUSD: 0.0384},
			{Strategy: "fixed", Minute: 1, Arrivals: 21010, Completed: 21005, Errors: 0, P50MS: 35, P99MS: 249.99, InstancesInService: 5, Utilization: 0.7, CostUSD: 0.0768},
			{Strategy: "fixed", Minute: 2, Arrivals: 20000, Completed: 20001, Errors: 1, P50MS: 34.5, P99MS: 240, InstancesInService: 5, Utilization: 0.69, CostUSD: 0.1152},
			{Strategy: "asg", Minute: 0, Arrivals: 21000, Completed: 20000, Errors: 0, P50MS: 30, P99MS: 200, InstancesInService: 2, InstancesPending: 3, Utilization: 0.95, CostUSD: 0.01536},
			{Strategy: "asg", Minute: 1, Arrivals: 21010, Completed: 21000, Errors: 0, P50MS: 31, P99MS: 190, InstancesInService: 5, InstancesPending: 0, Utilization: 0.6, CostUSD: 0.04},
			{Strategy: "asg", Minute: 2, Arrivals: 20000, Completed: 20000, Errors: 0, P50MS: 0, P99MS: 0, InstancesInService: 4, InstancesPending: 0, Utilization: 1.0 / 3, CostUSD: 1234567.891},
		},
	}
}

// renderer is one writer with its golden-file extension.
type renderer struct {
	ext   string
	write func(w io.Writer, r *Result) error
}

// renderers returns the four writers.
func renderers() []renderer {
	return []renderer{{"json", WriteJSON}, {"table", WriteTable}, {"csv", WriteCSV}, {"md", WriteMarkdown}}
}

func TestGoldenFixed(t *testing.T) {
	for _, rd := range renderers() {
		t.Run(rd.ext, func(t *testing.T) {
			r := fixedResult()
			var buf bytes.Buffer
			if err := rd.write(&buf, r); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r, fixedResult()) {
				t.Error("the writer changed its Result")
			}
			checkGolden(t, "fixed."+rd.ext, buf.Bytes())
		})
	}
}

// keyPaths returns the dotted paths of every object key in v; array
// elements are walked with the path of their array.
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out[prefix+k] = true
			keyPaths(e, prefix+k+".", out)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, prefix, out)
		}
	}
}

func TestJSONKeysMatchContract(t *testing.T) {
	example, err := os.ReadFile("testdata/contract_example.json")
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(example, &want); err != nil {
		t.Fatal(err)
	}
	wantKeys := map[string]bool{}
	keyPaths(want, "", wantKeys)
	// Keys the project adds to the contract (docs/outputs.md allows additions).
	for _, k := range []string{"warmup_s", "slo_latency_ms",
		"strategies.availability.served_within_slo", "strategies.availability.served", "strategies.elasticity",
		"strategies.elasticity.under_provisioning_accuracy", "strategies.elasticity.over_provisioning_accuracy",
		"strategies.elasticity.under_provisioning_timeshare", "strategies.elasticity.over_provisioning_timeshare",
		"strategies.elasticity.instability"} {
		wantKeys[k] = true
	}

	r := fixedResult()
	r.Warnings = nil // omitted when empty, like ci95_half_width
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	gotKeys := map[string]bool{}
	keyPaths(got, "", gotKeys)
	for k := range wantKeys {
		if !gotKeys[k] {
			t.Errorf("contract key %q missing", k)
		}
	}
	for k := range gotKeys {
		if !wantKeys[k] {
			t.Errorf("key %q is not in the contract", k)
		}
	}
	// The same types as the example: numbers stay numbers, arrays arrays.
	if _, ok := got.(map[string]any)["strategies"].([]any); !ok {
		t.Error("strategies is not an array")
	}
}

// TestJSONRoundTrip writes a result whose floats carry more digits than
// the output keeps and reads it back: every float of the summaries, the
// half-widths and the comparisons has at most 6 significant digits and
// lies within rounding of the original; everything else comes back as it
// was.
func TestJSONRoundTrip(t *testing.T) {
	r := fixedResult()
	r.Strategies[1].CI95HalfWidth = map[string]float64{"latency_ms.p99": 1.23456789, "cost_usd.total": 0.5}
	r.Strategies[1].WarmupCutS = 600
	r.Baseline = "fixed"
	r.Comparisons = []Comparison{{Strategy: "asg", Deltas: []Delta{
		{Key: "latency_ms.p99", Baseline: 250.5, Value: 180.0004, Diff: -70.4996, HalfWidth: 3.14159265, Replications: 3, Significant: true},
	}}}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) || !bytes.Contains(buf.Bytes(), []byte("\n  \"scenario\"")) {
		t.Errorf("want 2-space indentation and a trailing newline, got %q", buf.String()[:40])
	}
	var back Result
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	// rounded checks one float read back against the original and puts the
	// original in its place, so that the rest can be compared whole.
	rounded := func(what string, got *float64, orig float64) {
		t.Helper()
		if n := significantDigits(*got); n > 6 {
			t.Errorf("%s = %v: %d significant digits, want at most 6", what, *got, n)
		}
		if math.Abs(*got-orig) > 5e-6*math.Abs(orig) {
			t.Errorf("%s = %v, want %v rounded to 6 significant digits", what, *got, orig)
		}
		*got = orig
	}
	if len(back.Strategies) != len(r.Strategies) || len(back.Comparisons) != 1 || len(back.Comparisons[0].Deltas) != 1 {
		t.Fatalf("read back %d strategies, %d comparisons", len(back.Strategies), len(back.Comparisons))
	}
	for i := range r.Strategies {
		orig := reflect.ValueOf(&r.Strategies[i]).Elem()
		got := reflect.ValueOf(&back.Strategies[i]).Elem()
		for _, l := range numericLeaves(orig.Type()) {
			if f := got.FieldByIndex(l.index); f.Kind() == reflect.Float64 {
				rounded(r.Strategies[i].Name+" "+l.key, f.Addr().Interface().(*float64), orig.FieldByIndex(l.index).Float())
			}
		}
		for k, v := range back.Strategies[i].CI95HalfWidth {
			rounded("ci95 "+k, &v, r.Strategies[i].CI95HalfWidth[k])
			back.Strategies[i].CI95HalfWidth[k] = v
		}
	}
	d, od := &back.Comparisons[0].Deltas[0], r.Comparisons[0].Deltas[0]
	for _, x := range []struct {
		name string
		got  *float64
		orig float64
	}{{"baseline", &d.Baseline, od.Baseline}, {"value", &d.Value, od.Value}, {"diff", &d.Diff, od.Diff}, {"half_width", &d.HalfWidth, od.HalfWidth}} {
		rounded("delta "+x.name, x.got, x.orig)
	}
	want := *r
	want.Series = nil
	if !reflect.DeepEqual(&back, &want) {
		t.Errorf("round trip, floats aside:\n got %+v\nwant %+v", back, want)
	}
	// Two values rounded by hand.
	var again Result
	_ = json.Unmarshal(buf.Bytes(), &again)
	if got := again.Strategies[1].CI95HalfWidth["latency_ms.p99"]; got != 1.23457 {
		t.Errorf("ci95 rounded to %v, want 1.23457", got)
	}
	if again.Strategies[0].LatencyMS.Mean != 51.2346 {
		t.Errorf("mean rounded to %v, want 51.2346", again.Strategies[0].LatencyMS.Mean)
	}
}

// significantDigits counts the significant digits of x's shortest
// decimal form.
func significantDigits(x float64) int {
	s := strconv.FormatFloat(math.Abs(x), 'e', -1, 64)
	mant, _, _ := strings.Cut(s, "e")
	return len(strings.ReplaceAll(mant, ".", ""))
}

func TestJSONEmptyAndNaN(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, &Result{SchemaVersion: 1}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"strategies": []`) {
		t.Errorf("no strategies should render as [], got\n%s", buf.String())
	}
	r := fixedResult()
	r.Strategies[0].LatencyMS.P99 = math.NaN()
	buf.Reset()
	if err := WriteJSON(&buf, r); err == nil {
		t.Error("NaN: want an error")
	}
	if buf.Len() != 0 {
		t.Error("NaN: nothing should be written")
	}
}

// wideResult returns a Result with n strategies whose names and figures are
// as wide as plausible.
func wideResult(n int) *Result {
	r := &Result{Scenario: strings.Repeat("very-long-scenario-name-", 5), Seed: math.MaxUint64,
		DurationS: 400 * 86400, WarmupS: 3600, SLOLatencyMS: 250, Replications: 30,
		Warnings: []string{strings.Repeat("averyveryverylongwordwithoutspaces", 4) + " and then some ordinary words to wrap around the edge of the terminal"}}
	for i := range n {
		r.Strategies = append(r.Strategies, StrategySummary{
			Name:           "strategy-with-a-long-name-" + strconv.Itoa(i),
			Type:           "horizontal",
			Requests:       Requests{Arrived: 864_000_000_000, Completed: 863_999_999_999, Rejected: 1_000_000, TimedOut: 999_999_999, InFlightAtEnd: 12_345},
			LatencyMS:      Latency{Mean: 123456.789, P50: 99999.9, P90: 1e6, P99: 1.5e7, P999: 3e7, Max: 3.456e10},
			ThroughputRPS:  Throughput{Mean: 1e7, PeakMinute: 2.5e7},
			Availability:   Availability{SuccessRatio: 0.999999, SLOAttainment: 0.5, MinutesMeetingSLO: 0.001},
			CostUSD:        Cost{Total: 12_345_678.91, Compute: 12_000_000, LoadBalancer: 345_678.91},
			Capacity:       Capacity{InstancesMin: 100, InstancesMax: 10000, InstanceHours: 9_600_000.5, MeanUtilization: 0.333},
			ScalingActions: 123456,
		})
	}
	return r
}

func TestTableFits80Columns(t *testing.T) {
	for _, n := range []int{1, 2, 4, 7} {
		var buf bytes.Buffer
		if err := WriteTable(&buf, wideResult(n)); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(buf.String(), "\n") {
			if w := utf8.RuneCountInString(line); w > 80 {
				t.Errorf("%d strategies: line %d is %d runes: %q", n, i+1, w, line)
			}
			if strings.HasSuffix(line, " ") {
				t.Errorf("%d strategies: line %d has trailing spaces: %q", n, i+1, line)
			}
		}
		// Every strategy heads exactly one column.
		fields := strings.Fields(buf.String())
		for i := range n {
			name := truncateMiddle("strategy-with-a-long-name-"+strconv.Itoa(i), tableMaxNameRunes)
			if c := countOf(fields, name); c != 1 {
				t.Errorf("%d strategies: %q heads %d columns, want 1", n, name, c)
			}
		}
		if got := strings.Count(buf.String(), "scaling actions"); got < (n+3)/4 {
			t.Errorf("%d strategies: %d blocks, want at least %d", n, got, (n+3)/4)
		}
	}
}

// countOf returns how many elements of xs equal x.
func countOf(xs []string, x string) int {
	n := 0
	for _, e := range xs {
		if e == x {
			n++
		}
	}
	return n
}

func TestTableSideBySide(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, fixedResult()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	find := func(prefix string) []string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return strings.Fields(strings.TrimPrefix(l, prefix))
			}
		}
		t.Fatalf("no line starting with %q in\n%s", prefix, buf.String())
		return nil
	}
	for _, c := range []struct {
		prefix string
		want   []string
	}{
		{"  arrived", []string{"9,870,123", "9,870,123"}},
		{"  p99.9", []string{"1,230", "310"}},
		{"  success (finished)", []string{"99.90%", ">99.99%"}},
		{"  total", []string{"$18.43", "$0.123"}},
		{"  per 1M completed", []string{"$1.87", "$0.0125"}},
		{"scaling actions", []string{"0", "37"}},
	} {
		if got := find(c.prefix); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.prefix, got, c.want)
		}
	}
}

func TestCSVContract(t *testing.T) {
	r := fixedResult()
	// Rows given out of strategy order come out in strategy order.
	slices.Reverse(r.Series)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := "strategy,minute,arrivals,completed,errors,p50_ms,p99_ms,instances_in_service,instances_pending,utilization,cost_usd,iterator_age_ms,nodes_in_service,nodes_pending"
	if got := strings.Join(recs[0], ","); got != header {
		t.Errorf("header %q, want %q", got, header)
	}
	if len(recs) != 1+len(r.Series) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(r.Series))
	}
	var order []string
	for _, rec := range recs[1:] {
		order = append(order, rec[0]+rec[1])
	}
	if want := []string{"fixed2", "fixed1", "fixed0", "asg2", "asg1", "asg0"}; !slices.Equal(order, want) {
		t.Errorf("row order %v, want %v", order, want)
	}
}

func TestFormatters(t *testing.T) {
	cases := []struct{ got, want string }{
		{fmtCount(0), "0"},
		{fmtCount(999), "999"},
		{fmtCount(1000), "1,000"},
		{fmtCount(-1234567), "-1,234,567"},
		{fmtSig3(0), "0"},
		{fmtSig3(0.12345), "0.123"},
		{fmtSig3(12.345), "12.3"},
		{fmtSig3(99.96), "100"},
		{fmtSig3(1234.5), "1,230"},
		{fmtSig3(0.00012345), "0.000123"},
		{fmtFixed(-0.001, 2), "0.00"},
		{fmtPercent(1), "100.00%"},
		{fmtPercent(0.99999), ">99.99%"},
		{fmtPercent(0.5), "50.00%"},
		{fmtUSD(0), "$0.00"},
		{fmtUSD(0.0123456), "$0.0123"},
		{fmtUSD(1234.567), "$1,234.57"},
		{fmtSeconds(28800), "8h"},
		{fmtSeconds(1200), "20m"},
		{fmtSeconds(5400), "1h30m"},
		{fmtSeconds(90), "1m30s"},
		{fmtSeconds(0.3), "300ms"},
		{fmtSeconds(2 * 86400), "2d"},
		{fmtSeconds(0), "0s"},
		{formatFloat(1.0 / 3), "0.333333"},
		{formatFloat(1234567.891), "1234570"},
		{formatFloat(math.Copysign(0, -1)), "0"},
		{truncate("abcdef", 4), "abc…"},
		{truncate("abc", 4), "abc"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorsAreReturned(t *testing.T) {
	r := fixedResult()
	for _, w := range []func() error{
		func() error { return WriteJSON(failWriter{}, r) },
		func() error { return WriteTable(failWriter{}, r) },
		func() error { return WriteCSV(failWriter{}, r) },
		func() error { return WriteMarkdown(failWriter{}, r) },
	} {
		if err := w(); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("got %v, want the writer's error", err)
		}
	}
}
