package workloads_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// The cw_*.json fixtures are shaped like the AWS CLI's output. The request
// counts of cw_metric_data.json (RequestCount, 1-minute period, listed
// newest first) are 3000, 60, -, 300, 1200, 600 from 12:00 UTC: 12:02 has
// no datapoint (no traffic).
var cwMinutes = []float64{3000, 60, 0, 300, 1200, 600}

func TestCloudWatchPeek(t *testing.T) {
	noon := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano()
	perMinute := workloads.TraceInfo{Format: "cloudwatch", Records: 5, Arrivals: 5160, MaxCount: 3000, Intervals: 6,
		Interval: sim.Minute, DateTime: true, First: noon, Last: noon + int64(5*sim.Minute), Span: 6 * sim.Minute}
	fiveMinutes := workloads.TraceInfo{Format: "cloudwatch", Records: 4, Arrivals: 19500, MaxCount: 9000, Intervals: 5,
		Interval: 5 * sim.Minute, DateTime: true, First: noon, Last: noon + int64(20*sim.Minute), Span: 25 * sim.Minute}
	cases := []struct {
		name string
		tc   workloads.TraceConfig
		want workloads.TraceInfo
	}{
		{"metric by Id", workloads.TraceConfig{Path: "testdata/cw_metric_data.json", Column: "requests"}, perMinute},
		{"metric by Label", workloads.TraceConfig{Path: "testdata/cw_metric_data.json", Column: "RequestCount"}, perMinute},
		{"metric by label, other case", workloads.TraceConfig{Path: "testdata/cw_metric_data.json", Column: "requestcount"}, perMinute},
		{"pages joined", workloads.TraceConfig{Path: "testdata/cw_paged.json"}, perMinute},
		{"+02:00 offsets, gzip, CRLF", workloads.TraceConfig{Path: "testdata/cw_zoned.json.gz"}, perMinute},
		{"get-metric-statistics, any order", workloads.TraceConfig{Path: "testdata/cw_statistics.json"}, fiveMinutes},
		{"statistic named", workloads.TraceConfig{Path: "testdata/cw_statistics.json", Column: "sum"}, fiveMinutes},
		{"interval given", workloads.TraceConfig{Path: "testdata/cw_statistics.json", Interval: 5 * sim.Minute}, fiveMinutes},
		{"epoch seconds", workloads.TraceConfig{Path: "testdata/cw_epoch.json"}, workloads.TraceInfo{Format: "cloudwatch",
			Records: 3, Arrivals: 12, MaxCount: 7, Intervals: 3, Interval: sim.Minute, DateTime: true,
			First: noon, Last: noon + int64(2*sim.Minute), Span: 3 * sim.Minute}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.tc.Format = "cloudwatch"
			got, err := peek(c.tc)
			if err != nil {
				t.Fatal(err)
			}
			if !slicesEqualInfo(got, c.want) {
				t.Errorf("Peek = %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func slicesEqualInfo(a, b workloads.TraceInfo) bool {
	return reflect.DeepEqual(a, b)
}

func TestCloudWatchWarnings(t *testing.T) {
	info, err := peek(workloads.TraceConfig{Path: "testdata/cw_partial.json", Format: "cloudwatch"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`testdata/cw_partial.json: MetricDataResults[0] (Id "m1"): StatusCode PartialData: the export holds only part of the requested range (fetch the other pages with NextToken)`,
		`testdata/cw_partial.json: CloudWatch says MaxMetricsExceeded: The maximum number of metrics was exceeded`,
		`testdata/cw_partial.json: the export has a NextToken: it is one page of a longer result`,
	}
	if !slices.Equal(info.Warnings, want) {
		t.Errorf("warnings\n%q\nwant\n%q", info.Warnings, want)
	}
	src := mustNew(t, traceCfg(workloads.TraceConfig{Path: "testdata/cw_partial.json", Format: "cloudwatch", RateScale: 1}), 1)
	if _, err := drain(t, src, 1000); err != nil {
		t.Fatal(err)
	}
	if w := src.(interface{ Warnings() []string }).Warnings(); !slices.Equal(w, want) {
		t.Errorf("source warnings %q", w)
	}
	info, err = peek(workloads.TraceConfig{Path: "testdata/cw_statistics.json", Format: "cloudwatch", Interval: sim.Minute})
	if err != nil || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0], "at least 5m0s apart but interval is 1m0s") {
		t.Errorf("interval below the spacing: %v, warnings %q", err, info.Warnings)
	}
}

func TestCloudWatchErrors(t *testing.T) {
	cw := func(path, column string, iv sim.Duration) workloads.TraceConfig {
		return workloads.TraceConfig{Path: path, Format: "cloudwatch", Column: column, Interval: iv}
	}
	inline := func(name, body string) workloads.TraceConfig {
		return workloads.TraceConfig{Path: name, Format: "cloudwatch", Open: openString(body)}
	}
	cases := []struct {
		name string
		tc   workloads.TraceConfig
		line int
		msg  string
		hint string
	}{
		{"several metrics", cw("testdata/cw_metric_data.json", "", 0), 0, "holds 2 metrics", `"requests" (label "RequestCount"), "latency" (label "TargetResponseTime")`},
		{"unknown metric", cw("testdata/cw_metric_data.json", "Errors", 0), 0, `no metric with Id or Label "Errors"`, `"requests"`},
		{"missing statistic", cw("testdata/cw_statistics.json", "Average", 0), 0, "Datapoints[0] has no Average statistic", "Sum"},
		{"syntax error", cw("testdata/cw_bad_syntax.json", "", 0), 3, "not a CloudWatch JSON export", "get-metric-data"},
		{"not an export", inline("x.json", `{"Foo": 1}`), 0, "no MetricDataResults or Datapoints", ""},
		{"empty file", cw("testdata/empty.txt", "", 0), 0, "not a CloudWatch JSON export", ""},
		{"no datapoints", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": [], "Values": []}]}`), 0, "no datapoints", ""},
		{"no metrics", inline("x.json", `{"MetricDataResults": []}`), 0, "no metric", ""},
		{"one datapoint", inline("x.json", `{"Label": "RequestCount", "Datapoints": [{"Timestamp": "2024-03-01T12:00:00Z", "Sum": 4}]}`), 0,
			"a single datapoint", "set interval"},
		{"uneven", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2024-03-01T12:00:00Z", "2024-03-01T12:01:00Z", "2024-03-01T12:02:30Z"], "Values": [1, 2, 3]}]}`), 0,
			"not evenly spaced: 2024-03-01T12:02:30Z is 1m30s after", "interval"},
		{"off the interval", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2024-03-01T12:00:00Z", "2024-03-01T12:01:30Z"], "Values": [1, 2]}]}`), 0,
			"", ""},
		{"negative", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2024-03-01T12:00:00Z", "2024-03-01T12:01:00Z"], "Values": [1, -2]}]}`), 0,
			"the datapoint at 2024-03-01T12:01:00Z is -2", "≥ 0"},
		{"conflicting duplicates", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2024-03-01T12:00:00Z", "2024-03-01T12:00:00Z"], "Values": [1, 2]}]}`), 0,
			"two datapoints at 2024-03-01T12:00:00Z", ""},
		{"lengths differ", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2024-03-01T12:00:00Z"], "Values": [1, 2]}]}`), 0,
			"1 timestamps but 2 values", ""},
		{"bad timestamp", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": ["yesterday"], "Values": [1]}]}`), 0,
			`timestamp "yesterday" is not a date-time`, ""},
		{"forbidden", inline("x.json", `{"MetricDataResults": [{"Id": "m1", "Timestamps": [], "Values": [], "StatusCode": "Forbidden"}]}`), 0,
			"StatusCode Forbidden", "permissions"},
		{"wrong type", inline("x.json", "{\n\"MetricDataResults\": [{\"Id\": \"m1\",\n \"Values\": [\"1\"]}]}"), 3, "cannot unmarshal", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "off the interval" {
				c.tc.Interval = sim.Minute
				c.msg, c.hint = "not a whole number of intervals (1m0s) after the first", "leave interval out"
			}
			_, err := drain(t, mustNew(t, traceCfg(c.tc), 1), 1e6)
			checkTraceError(t, "replay", err, c.tc.Path, c.line, c.msg, c.hint)
			_, err = peek(c.tc)
			checkTraceError(t, "Peek", err, c.tc.Path, c.line, c.msg, c.hint)
		})
	}
}

// TestCloudWatchReplay replays exports at a high rate scale and compares
// each period's arrivals with its recorded count: equal in expectation,
// within Poisson noise.
func TestCloudWatchReplay(t *testing.T) {
	const k = 20
	tc := workloads.TraceConfig{Path: "testdata/cw_metric_data.json", Format: "cloudwatch", Column: "requests", RateScale: k}
	obs := binCounts(t, mustNew(t, traceCfg(tc), 5), sim.Minute, 7)
	exp := make([]float64, 7)
	for i, c := range cwMinutes {
		exp[i] = c * k
	}
	checkCounts(t, obs, exp)

	// Five-minute periods, played at double speed and cut to [5m, 20m).
	tc = workloads.TraceConfig{Path: "testdata/cw_statistics.json", Format: "cloudwatch", RateScale: 3,
		TimeScale: 0.5, Start: 5 * sim.Minute, End: 20 * sim.Minute}
	obs = binCounts(t, mustNew(t, traceCfg(tc), 6), 150*sim.Second, 4)
	checkCounts(t, obs, []float64{6000 * 3, 9000 * 3, 0, 0})
}

// ReadMetricSeries gives an export's datapoints as recorded, in time
// order, with the period and the chosen metric's label.
func TestReadMetricSeries(t *testing.T) {
	noon := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		tc     workloads.TraceConfig
		label  string
		period sim.Duration
		first  workloads.MetricPoint
		n      int
	}{
		{"metric by Id", workloads.TraceConfig{Path: "testdata/cw_metric_data.json", Column: "requests"}, "RequestCount", sim.Minute,
			workloads.MetricPoint{At: noon, Value: 3000}, 5},
		{"other metric by label", workloads.TraceConfig{Path: "testdata/cw_metric_data.json", Column: "TargetResponseTime"}, "TargetResponseTime", sim.Minute,
			workloads.MetricPoint{At: noon, Value: 0.049}, 5},
		{"get-metric-statistics", workloads.TraceConfig{Path: "testdata/cw_statistics.json"}, "RequestCount", 5 * sim.Minute,
			workloads.MetricPoint{At: noon, Value: 3000}, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.tc.Open = fileOpener(c.tc.Path)
			c.tc.Format = "timestamps" // ignored: the export is read as cloudwatch
			got, err := workloads.ReadMetricSeries(c.tc)
			if err != nil {
				t.Fatal(err)
			}
			if got.Label != c.label || got.Period != c.period || len(got.Points) != c.n || got.Points[0] != c.first {
				t.Errorf("got label %q period %v %d points from %+v; want %q %v %d from %+v",
					got.Label, got.Period, len(got.Points), got.Points[0], c.label, c.period, c.n, c.first)
			}
			for i := 1; i < len(got.Points); i++ {
				if !got.Points[i].At.After(got.Points[i-1].At) {
					t.Errorf("points out of order at %d: %v after %v", i, got.Points[i].At, got.Points[i-1].At)
				}
			}
		})
	}
	_, err := workloads.ReadMetricSeries(workloads.TraceConfig{Path: "testdata/cw_bad_syntax.json", Open: fileOpener("testdata/cw_bad_syntax.json")})
	var te *workloads.TraceError
	if !errors.As(err, &te) {
		t.Errorf("bad JSON: got %v, want a *TraceError", err)
	}
}
