package scenarios

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
)

// historyFS holds the scenario text at s.yaml beside a copy of
// testdata/history and testdata/traces.
func historyFS(t *testing.T, scenario string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{"s.yaml": {Data: []byte(scenario)}}
	for _, dir := range []string{"history", "traces"} {
		src := os.DirFS("testdata")
		err := fs.WalkDir(src, dir, func(p string, d fs.DirEntry, err error) error {
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
	}
	return fsys
}

// predictScenario runs two hours from 2026-01-10 00:00 UTC: 100 requests a
// minute, then 1000 from 01:00, as on the two days of
// testdata/history/requests_2d.json (RequestCount Sum per hour: 6000,
// 60000 at 01:00). policy is the group's one policy.
func predictScenario(policy string) string {
	return `name: predict
duration: 2h
start: 2026-01-10T00:00:00Z
workload: {type: steps, steps: [{at: 0s, rate: 1.6667}, {at: 1h, rate: 16.667}]}
service: {time: {dist: exponential, mean: 50ms}}
strategies:
  - name: asg
    type: horizontal
    instance_type: m5.large
    min: 1
    max: 20
    policy: ` + policy + `
`
}

const predictPolicy = `{type: predictive, metric: request_count_per_target, target: 100, mode: forecast_and_scale,
              history: {path: history/requests_2d.json, column: RequestCount}}`

func loadHistory(t *testing.T, scenario string, sets ...string) (*Scenario, error) {
	t.Helper()
	return Load(historyFS(t, scenario), "s.yaml", sets)
}

// runDecisions runs sc once and returns its scaling decisions.
func runDecisions(t *testing.T, sc *Scenario) ([]reports.DecisionRecord, *reports.Result) {
	t.Helper()
	res, err := Run(context.Background(), sc, RunOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res.Decisions, res
}

// A predictive policy with two days of recorded load forecasts from the
// run's first hour: at 00:55 (the 300 s scheduling buffer) it raises the
// group to the 01:00 forecast, 60000 requests an hour = 1000 a minute ÷
// target 100 = 10 instances, before the load arrives; without history it
// has less than 24 h of data and never forecasts in a 2-hour run
// (docs/aws-behaviour.md §1.7,
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html).
func TestPredictiveHistoryScenario(t *testing.T) {
	sc, err := loadHistory(t, predictScenario(predictPolicy))
	if err != nil {
		t.Fatal(err)
	}
	ds, res := runDecisions(t, sc)
	if len(ds) == 0 || ds[0].To != 10 || ds[0].At < sim.Time(55*sim.Minute) || ds[0].At >= sim.Time(sim.Hour) {
		t.Fatalf("want the first decision at 00:55-01:00 raising desired to 10, got %+v", ds)
	}
	if !strings.Contains(ds[0].Reason, "from 2 day(s) of that hour: load 1000.0") {
		t.Errorf("reason %q", ds[0].Reason)
	}
	if !anyContains(res.Warnings, "history/requests_2d.json: 1 datapoint(s) at or after the scenario's start (2026-01-10T00:00:00Z) left out") {
		t.Errorf("warnings %q lack the datapoint at time zero", res.Warnings)
	}
	// The resolved scenario states the history and loads back to it.
	y, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(y), "history: {path: history/requests_2d.json, column: RequestCount}") {
		t.Errorf("resolved YAML lacks the history:\n%s", y)
	}
	if _, err := loadHistory(t, string(y)); err != nil {
		t.Errorf("resolved YAML does not load back: %v", err)
	}

	without, err := loadHistory(t, predictScenario(predictPolicy), "strategies.asg.policy.history=null")
	if err != nil {
		t.Fatal(err)
	}
	if ds, _ := runDecisions(t, without); len(ds) != 0 {
		t.Errorf("without history: decisions %+v, want none (no forecast before 24 h)", ds)
	}
}

// A cpu policy's history is the group's CPU percent summed over its
// instances (ASGTotalCPUUtilization): 500 at 01:00 ÷ target 50 = 10.
func TestPredictiveHistoryCPU(t *testing.T) {
	sc, err := loadHistory(t, predictScenario(`{type: predictive, metric: cpu, target: 50, mode: forecast_and_scale,
              history: {path: history/cpu_2d.json}}`))
	if err != nil {
		t.Fatal(err)
	}
	if ds, _ := runDecisions(t, sc); len(ds) == 0 || ds[0].To != 10 || ds[0].At >= sim.Time(sim.Hour) {
		t.Fatalf("want desired 10 before 01:00, got %+v", ds)
	}
}

func anyContains(ws []string, s string) bool {
	for _, w := range ws {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}

func TestPredictiveHistoryErrors(t *testing.T) {
	cases := []struct {
		name   string
		policy string
		sets   []string
		want   string
	}{
		{"missing file", `{type: predictive, metric: cpu, target: 50, history: {path: history/nope.json}}`, nil,
			`s.yaml:12: strategies.asg.policy.history.path: cannot open "history/nope.json": no such file`},
		{"no path", `{type: predictive, metric: cpu, target: 50, history: {column: x}}`, nil,
			`s.yaml:12: strategies.asg.policy.history.path: required`},
		{"wrong metric", `{type: predictive, metric: request_count_per_target, target: 100, history: {path: history/cpu_2d.json}}`, nil,
			`s.yaml:12: strategies.asg.policy.history: history/cpu_2d.json holds CPUUtilization, not the group's total load`},
		{"per-target requests for cpu", `{type: predictive, metric: cpu, target: 50, history: {path: history/requests_2d.json}}`, nil,
			`holds RequestCount, a request count, not the group's total load for a cpu policy`},
		{"no history for in_flight", `{type: predictive, metric: in_flight, target: 5, history: {path: history/cpu_2d.json}}`, nil,
			`a predictive policy on in_flight takes no history`},
		{"under 24 h before time zero", predictPolicy, []string{"start=2026-01-08T20:00:00Z"},
			`s.yaml:13: strategies.asg.policy.history: history/requests_2d.json holds 20h0m0s of load in the 14 days before time zero; a forecast needs 1d`},
		{"all of it after time zero", predictPolicy, []string{"start=2026-01-01T00:00:00Z"},
			`holds 0s of load`},
		{"not an export", `{type: predictive, metric: cpu, target: 50, history: {path: traces/alb_malformed.log}}`, nil,
			`traces/alb_malformed.log:1: not a CloudWatch JSON export`},
		{"unknown metric column", `{type: predictive, metric: cpu, target: 50, history: {path: history/cpu_2d.json, column: nope}}`, nil,
			`no metric with Id or Label "nope"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadHistory(t, predictScenario(c.policy), c.sets...)
			if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v\nwant one input-error line containing %s", err, c.want)
			}
		})
	}
}

func TestStart(t *testing.T) {
	cases := []struct {
		name     string
		scenario string
		sets     []string
		want     string
	}{
		{"default without a trace: strategies.DefaultEpochUnix", predictScenario(`{type: target_tracking, metric: cpu, target: 50}`),
			[]string{"start=null"}, "2024-01-01T00:00:00Z"},
		{"as written, with its offset", predictScenario(`{type: target_tracking, metric: cpu, target: 50}`),
			[]string{"start=2026-01-10T08:30:00.5+01:00"}, "2026-01-10T08:30:00.5+01:00"},
		{"a date-time trace's first datapoint", traceScenario(`{type: trace, path: traces/cw_metric_data.json, format: cloudwatch, column: requests}`),
			nil, "2024-03-01T12:00:00Z"},
		{"a date-time trace's instant at its start cut", traceScenario(`{type: trace, path: traces/cw_metric_data.json, format: cloudwatch, column: requests, start: 2m}`),
			nil, "2024-03-01T12:02:00Z"},
		{"set over a trace's", traceScenario(`{type: trace, path: traces/cw_metric_data.json, format: cloudwatch, column: requests}`),
			[]string{"start=2025-06-01T00:00:00Z"}, "2025-06-01T00:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := loadHistory(t, c.scenario, c.sets...)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := time.Parse(time.RFC3339Nano, c.want)
			if sc.Spec.Start != c.want || !sc.StartTime().Equal(want) {
				t.Errorf("start %q (%v), want %q", sc.Spec.Start, sc.StartTime(), c.want)
			}
			y, err := sc.YAML()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(y), "\nstart: "+c.want+"\n") {
				t.Errorf("resolved YAML does not state start: %s", c.want)
			}
			if back, err := loadHistory(t, string(y)); err != nil || back.Spec.Start != c.want {
				t.Errorf("resolved YAML loads back to %v, %v", back, err)
			}
		})
	}
	for _, c := range []struct{ value, want string }{
		{"2026-01-10", `s.yaml:3: start: "2026-01-10" is not an RFC 3339 date-time`},
		{"tomorrow", `s.yaml:3: start: "tomorrow" is not an RFC 3339 date-time`},
		{"1960-01-01T00:00:00Z", `s.yaml:3: start: must be after 1970-01-01T00:00:00Z and before 2200-01-01T00:00:00Z`},
	} {
		t.Run(c.value, func(t *testing.T) {
			text := strings.Replace(predictScenario(`{type: target_tracking, metric: cpu, target: 50}`), "2026-01-10T00:00:00Z", c.value, 1)
			_, err := loadHistory(t, text)
			if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "RFC 3339 instant") {
				t.Errorf("got %v, want %s", err, c.want)
			}
		})
	}
}

// A scheduled action's cron recurrence follows the scenario's start: "0 9
// * * *" with start 08:00 fires one hour into the run.
func TestStartCron(t *testing.T) {
	sc, err := loadHistory(t, predictScenario(`{type: scheduled, actions: [{recurrence: "0 9 * * *", min: 3}]}`),
		"start=2026-01-10T08:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := runDecisions(t, sc)
	if len(ds) != 1 || ds[0].At != sim.Time(sim.Hour) || ds[0].To != 3 {
		t.Errorf("decisions %+v, want desired 3 at 1h", ds)
	}
}
