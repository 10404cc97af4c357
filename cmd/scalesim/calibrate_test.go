package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

// smallDefault cuts the built-in default scenario to 70 minutes and a tenth
// of its traffic, on a group that scales out and in during it.
var smallDefault = []string{
	"--set", "duration=70m", "--set", "workload.base=30", "--set", "workload.peak=240", "--set", "workload.at=10m",
	"--set", "workload.hold=15m", "--set", "strategies.asg.instance_type=m5.large", "--set", "strategies.asg.min=1",
	"--set", "strategies.asg.max=12", "--set", "start=2026-01-10T00:00:00Z",
}

// recordRun runs smallDefault with --out and returns the bundle's
// directory, which holds aws/asg-activities.json and aws/asg-metrics.json.
func recordRun(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	args := append(append([]string{"run", "default", "--strategy", "asg", "-o", "json", "--out", dir}, smallDefault...), extra...)
	if _, stderr, code := runCLI(t, args...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"asg-activities.json", "asg-metrics.json"} {
		if _, err := os.Stat(filepath.Join(dir, "aws", f)); err != nil {
			t.Fatalf("the bundle lacks aws/%s: %v", f, err)
		}
	}
	return dir
}

func calibrateJSON(t *testing.T, stdout string) reports.Calibration {
	t.Helper()
	var c reports.Calibration
	if err := json.Unmarshal([]byte(stdout), &c); err != nil {
		t.Fatalf("calibrate -o json: %v\n%s", err, stdout)
	}
	return c
}

// TestCalibrateOwnRun: a run's bundle holds its group's record in AWS's
// shapes, and calibrating the bundle's scenario against it reproduces it;
// a different policy fails the gate with exit 1.
func TestCalibrateOwnRun(t *testing.T) {
	dir := recordRun(t)
	act, met := filepath.Join(dir, "aws", "asg-activities.json"), filepath.Join(dir, "aws", "asg-metrics.json")
	stdout, stderr, code := runCLI(t, "calibrate", filepath.Join(dir, "scenario.yaml"), "--strategy", "asg",
		"--activities", act, "--metrics", met, "-o", "json", "--max-capacity-error", "0", "--max-timing-error", "0s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	c := calibrateJSON(t, stdout)
	if c.Start != "2026-01-10T00:00:00Z" || c.Comparison.Capacity == nil || c.Comparison.Capacity.MAEInstances != 0 ||
		c.Comparison.Decisions.Matched != c.Comparison.Decisions.Recorded || c.Gate == nil || !c.Gate.Passed {
		t.Errorf("own run: start %s, capacity %+v, decisions %+v, gate %+v", c.Start, c.Comparison.Capacity, c.Comparison.Decisions, c.Gate)
	}

	out := t.TempDir()
	stdout, stderr, code = runCLI(t, "calibrate", filepath.Join(dir, "scenario.yaml"), "--strategy", "asg", "--activities", act,
		"--set", "strategies.asg.policy.target=80", "--max-capacity-error", "0.5", "--out", out)
	if code != 1 {
		t.Fatalf("another policy: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "outside the calibration limits") || !strings.Contains(stdout, "The simulation differs from the record") {
		t.Errorf("stdout %q\nstderr %q", stdout, stderr)
	}
	for _, f := range []string{"calibration.json", "decisions.csv", "calibration.html", "charts/capacity_desired.svg", "charts/capacity_in_service.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("--out: %s: %v", f, err)
		}
	}
}

// TestCalibrateRecordedFixtures reads activities in the shapes the AWS CLI
// prints (two pages, a failed and a cancelled launch, one in progress): the
// four successful launches are measured, the failure is counted apart.
func TestCalibrateRecordedFixtures(t *testing.T) {
	fixtures := filepath.Join("..", "..", "records", "testdata")
	stdout, stderr, code := runCLI(t, append([]string{"calibrate", "default", "--strategy", "asg",
		"--activities", filepath.Join(fixtures, "activities_page1.json"), "--activities", filepath.Join(fixtures, "activities_page2.json"),
		"--start", "2026-01-10T01:45:00Z", "-o", "json"}, smallDefault[:len(smallDefault)-2]...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lc := calibrateJSON(t, stdout).Lifecycle
	// 32.585 s, 31.585 s, 31.85 s and 31.91 s from StartTime to EndTime.
	if lc.LaunchS.N != 4 || lc.LaunchS.Median != 31.88 || lc.FailedLaunches != 1 ||
		len(lc.FailureReasons) != 1 || !strings.Contains(lc.FailureReasons[0].Reason, "capacity") {
		t.Errorf("lifecycle %+v", lc)
	}
	if lc.TerminateS.N != 2 || lc.Suggested == nil {
		t.Errorf("terminations %+v, suggested %+v", lc.TerminateS, lc.Suggested)
	}
}

func TestCalibrateInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\n  \"Activities\": [\n    {\"StartTime\": \"yesterday\"}\n  ]\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join("..", "..", "records", "testdata", "activities_page1.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no strategy", []string{"calibrate", "default", "--activities", good}, "--strategy is required"},
		{"no activities", []string{"calibrate", "default", "--strategy", "asg"}, "--activities is required"},
		{"bad start", []string{"calibrate", "default", "--strategy", "asg", "--activities", good, "--start", "noon"}, `--start "noon" is not an RFC 3339 instant`},
		{"no start", []string{"calibrate", "default", "--strategy", "asg", "--activities", good}, "--start is required"},
		{"missing file", []string{"calibrate", "default", "--strategy", "asg", "--activities", filepath.Join(dir, "none.json")}, "none.json: no such file"},
		{"bad file", []string{"calibrate", "default", "--strategy", "asg", "--activities", bad}, bad + ":3: "},
		{"unknown strategy", []string{"calibrate", "default", "--strategy", "nosuch", "--activities", good, "--start", "2026-01-10T00:00:00Z"}, `no strategy "nosuch"`},
		{"not a group", []string{"calibrate", "default", "--strategy", "resize", "--activities", good, "--start", "2026-01-10T00:00:00Z"}, "is not an Auto Scaling group"},
		{"bad limit", []string{"calibrate", "default", "--strategy", "asg", "--activities", good, "--max-capacity-error", "lots"}, "--max-capacity-error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, append(tc.args, "--set", "duration=10m")...)
			if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, tc.want)
			}
			if strings.Contains(stderr, "panic") {
				t.Errorf("panic: %s", stderr)
			}
		})
	}
}
