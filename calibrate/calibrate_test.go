package calibrate_test

import (
	"bytes"
	"context"
	"math"
	"testing"
	"time"

	"github.com/scalesim/scalesim/calibrate"
	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/scenarios"
)

// small is the built-in default scenario cut to an hour and a tenth of
// its traffic, on a group of m5.large that scales out and in during it.
func small(extra ...string) func([]string) (*scenarios.Scenario, error) {
	sets := append([]string{
		"duration=70m", "workload.base=30", "workload.peak=240", "workload.at=10m", "workload.hold=15m",
		"strategies.asg.instance_type=m5.large", "strategies.asg.min=1", "strategies.asg.max=12",
		"strategies.asg.policy.target=50",
	}, extra...)
	return func(more []string) (*scenarios.Scenario, error) {
		return scenarios.Builtin("default", append(append([]string(nil), sets...), more...))
	}
}

var epoch = time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)

// recordOf runs the asg strategy of load and returns its record as AWS
// would print it: written in both formats and read back, as a user's
// files are read.
func recordOf(t *testing.T, load func([]string) (*scenarios.Scenario, error)) (*records.Record, *reports.Result) {
	t.Helper()
	sc, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), sc, scenarios.RunOptions{Strategies: []string{"asg"}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	made := calibrate.FromRun(res, "asg", epoch)
	read := &records.Record{}
	for _, f := range records.Formats() {
		var buf bytes.Buffer
		if err := f.Write(&buf, made); err != nil {
			t.Fatalf("write %s: %v", f.Name, err)
		}
		if err := f.Read(f.Name+".json", &buf, read); err != nil {
			t.Fatalf("read %s back: %v", f.Name, err)
		}
	}
	return read, res
}

// TestSelfConsistency: a scenario calibrated against the record of its
// own run reproduces it: no capacity error, every decision matched at the
// same instant, and the launch times are the run's pending times.
func TestSelfConsistency(t *testing.T) {
	rec, res := recordOf(t, small())
	c, err := calibrate.Calibrate(context.Background(), calibrate.Input{Load: small(), Strategy: "asg", Record: rec,
		Options: calibrate.Options{Start: epoch}})
	if err != nil {
		t.Fatal(err)
	}
	cmp := c.Comparison
	if cmp.Capacity == nil || cmp.Capacity.Source != string(records.GroupDesiredCapacity) || cmp.Capacity.MAEInstances != 0 ||
		cmp.Capacity.MinutesEqualShare != 1 || cmp.Capacity.Minutes != 70 {
		t.Errorf("capacity %+v, want no error over 70 minutes of GroupDesiredCapacity", cmp.Capacity)
	}
	if cmp.InService == nil || cmp.InService.MAEInstances != 0 {
		t.Errorf("in service %+v, want no error", cmp.InService)
	}
	d := cmp.Decisions
	if d.Recorded < 2 || d.Matched != d.Recorded || d.Simulated != d.Recorded || d.TimingErrorS.P90 != 0 {
		t.Errorf("decisions %+v, want at least 2, all matched at 0 s", d)
	}
	if len(cmp.Series) != len(records.Metrics()) {
		t.Errorf("%d series compared, want all %d", len(cmp.Series), len(records.Metrics()))
	}
	for _, s := range cmp.Series {
		if s.MAE != 0 {
			t.Errorf("%s: mean error %g, want 0", s.Metric, s.MAE)
		}
	}
	launches := 0
	for _, in := range res.Instances {
		if in.Running >= 0 {
			launches++
		}
	}
	lc := c.Lifecycle
	if lc.LaunchS.N != launches || launches < 2 || lc.FailedLaunches != 0 {
		t.Errorf("launch stats %+v (failed %d), want %d launches", lc.LaunchS, lc.FailedLaunches, launches)
	}
	// instances.pending defaults to lognormal, median 15 s, p99 30 s.
	if lc.LaunchS.Median < 8 || lc.LaunchS.Median > 25 {
		t.Errorf("launch median %gs, want near the 15 s pending time", lc.LaunchS.Median)
	}
	if !bytes.Contains([]byte(c.Verdict), []byte("reproduces")) {
		t.Errorf("verdict %q", c.Verdict)
	}
}

// TestSensitivity: the record of a group that tracks 70% CPU, replayed by
// one that tracks 30%, shows the difference.
func TestSensitivity(t *testing.T) {
	rec, _ := recordOf(t, small("strategies.asg.policy.target=70"))
	maxErr := 0.25
	c, err := calibrate.Calibrate(context.Background(), calibrate.Input{Load: small("strategies.asg.policy.target=30"), Strategy: "asg",
		Record: rec, Options: calibrate.Options{Start: epoch, MaxCapacityError: &maxErr}})
	if err != nil {
		t.Fatal(err)
	}
	if e := c.Comparison.Capacity; e == nil || e.MAEInstances < 0.5 || e.MinutesEqualShare > 0.9 {
		t.Errorf("capacity %+v, want a clear error", e)
	}
	if c.Gate == nil || c.Gate.Passed {
		t.Errorf("gate %+v, want failed", c.Gate)
	}
	if !bytes.Contains([]byte(c.Verdict), []byte("differs")) {
		t.Errorf("verdict %q", c.Verdict)
	}
}

// TestWithoutMetrics: activities alone give the capacity, rebuilt from the
// causes.
func TestWithoutMetrics(t *testing.T) {
	rec, _ := recordOf(t, small())
	rec.Series = nil
	c, err := calibrate.Calibrate(context.Background(), calibrate.Input{Load: small(), Strategy: "asg", Record: rec,
		Options: calibrate.Options{Start: epoch}})
	if err != nil {
		t.Fatal(err)
	}
	if e := c.Comparison.Capacity; e == nil || e.Source != "activities" || e.MAEInstances != 0 {
		t.Errorf("capacity %+v, want rebuilt from the activities with no error", e)
	}
	if c.Comparison.InService != nil || len(c.Comparison.Series) != 0 {
		t.Errorf("no metrics were given: %+v", c.Comparison)
	}
}

// TestApplyFit runs the scenario again with the launch time fitted to a
// record whose launches took about a minute.
func TestApplyFit(t *testing.T) {
	rec, _ := recordOf(t, small("instances.pending={dist: lognormal, median: 60s, p99: 90s}"))
	c, err := calibrate.Calibrate(context.Background(), calibrate.Input{Load: small(), Strategy: "asg", Record: rec,
		Options: calibrate.Options{Start: epoch, ApplyFit: true}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Fitted == nil || c.Lifecycle.Suggested == nil {
		t.Fatalf("no fitted comparison: %+v", c.Lifecycle.Suggested)
	}
	// Launches a minute long put instances in service later than the
	// scenario's 15 s do: the fitted run follows the record more closely.
	if a, b := c.Comparison.InService, c.Fitted.InService; a == nil || b == nil || !(b.MAEInstances < a.MAEInstances) {
		t.Errorf("in-service error as written %+v, fitted %+v: want the fitted one smaller", a, b)
	}
	if m := c.Lifecycle.LaunchS.Median; math.Abs(m-60) > 15 {
		t.Errorf("launch median %gs, want about 60 s", m)
	}
	if !bytes.Contains([]byte(c.Lifecycle.Suggested.YAML), []byte("instances:\n  pending: {dist: ")) {
		t.Errorf("suggested %q", c.Lifecycle.Suggested.YAML)
	}
}

// TestNotAGroup: a vertical strategy has no group to compare.
func TestNotAGroup(t *testing.T) {
	rec, _ := recordOf(t, small())
	_, err := calibrate.Calibrate(context.Background(), calibrate.Input{Load: small(), Strategy: "resize", Record: rec,
		Options: calibrate.Options{Start: epoch}})
	if !scenarios.IsInputError(err) {
		t.Fatalf("err %v, want an input error", err)
	}
}
