// Package caltest holds a hand-made calibration for the tests of the
// packages that render one (reports/charts, reports/html,
// reports/bundle), so that each tests the same small case.
package caltest

import (
	"math"

	"github.com/scalesim/scalesim/reports"
)

// Fixture returns a small calibration over thirty minutes, with a
// --apply-fit re-run and a failed gate. The record scales out 2→4 at
// 10m10s, in 4→3 at 19m50s and out 3→5 at 25m; the simulation scales
// out at 10m55s (matched, +45s), in at 18m50s (matched, −60s) and out
// 3→4 at 28m20s (unmatched), beside its initial 0→2 at time zero. The
// record has no minutes 8 and 9. Causes, notes and the verdict carry
// characters HTML must escape.
func Fixture() *reports.Calibration {
	recDesired := steps(30, map[int]float64{0: 2, 10: 4, 19: 3, 25: 5})
	recInService := steps(30, map[int]float64{0: 2, 12: 4, 20: 3, 28: 5})
	for _, m := range []int{8, 9} {
		recDesired[m], recInService[m] = math.NaN(), math.NaN()
	}
	simDesired := steps(30, map[int]float64{0: 2, 10: 4, 18: 3, 28: 4})
	simInService := steps(30, map[int]float64{0: 2, 13: 4, 19: 3})
	fitDesired := steps(30, map[int]float64{0: 2, 10: 4, 19: 3, 28: 4})
	fitInService := steps(30, map[int]float64{0: 2, 12: 4, 19: 3, 29: 4})
	c := &reports.Calibration{
		SchemaVersion: 1, Scenario: "asg-record <prod>", Strategy: "asg",
		Start: "2026-03-02T09:00:00Z",
		Lifecycle: reports.CalLifecycle{
			LaunchS:        reports.DurationStats{N: 12, Median: 95.5, P90: 140, P99: 181.2, Mean: 101.25},
			TerminateS:     reports.DurationStats{N: 5, Median: 30, P90: 44, P99: 45.6, Mean: 33},
			FailedLaunches: 2,
			FailureReasons: []reports.CalReason{{Reason: "InsufficientInstanceCapacity <us-east-1a>", Count: 2}},
			Suggested: &reports.CalSuggested{LaunchDist: "lognormal", LaunchKS: 0.0812,
				YAML: "lifecycle:\n  launch: lognormal(mean=101s, sd=30s)\n  terminate: 33s\n"},
		},
		Recorded: reports.CalRecorded{Activities: 19, Decisions: 3, Minutes: 28,
			Series: []string{"GroupDesiredCapacity", "GroupInServiceInstances", "CPUUtilization"}},
		Comparison: comparison(0.39, 0.71, 2, 52.5, 60),
		Verdict:    "capacity off by 0.39 instances on average & 2 of 3 decisions matched: the gate fails on timing",
		Notes:      []string{`minutes 8–9 are missing from the record ("gap")`, "launch times < 60s were left out"},
		Decisions: []reports.CalDecision{
			{Simulated: point(0, 0, 2, "initial capacity")},
			{Recorded: point(610, 2, 4, `Policy "scale-out <cpu>" & alarm High-CPU`), Simulated: point(655, 2, 4, "target tracking: CPU 71% > 50%"), ErrorS: 45},
			{Recorded: point(1190, 4, 3, "Policy scale-in"), Simulated: point(1130, 4, 3, "target tracking: CPU 31% < 45%"), ErrorS: -60},
			{Recorded: point(1500, 3, 5, "a user request update of group")},
			{Simulated: point(1700, 3, 4, "target tracking: CPU 62% > 50%")},
		},
		FitDecided: []reports.CalDecisionPoint{*point(0, 0, 2, "initial capacity"), *point(620, 2, 4, "target tracking"),
			*point(1150, 4, 3, "target tracking"), *point(1690, 3, 4, "target tracking")},
	}
	fitted := comparison(0.21, 0.86, 1, 20, 40)
	c.Fitted = &fitted
	maxCap, maxTiming := 0.5, 30.0
	c.Gate = &reports.CalGate{MaxCapacityError: &maxCap, MaxTimingErrorS: &maxTiming, Passed: false,
		Failures: []string{"timing error p90 60s > 30s"}}
	for m := range 30 {
		c.Minutes = append(c.Minutes, reports.CalMinute{Minute: m, RecordedDesired: recDesired[m], SimDesired: simDesired[m],
			RecordedInService: recInService[m], SimInServ: simInService[m]})
		c.FitMinutes = append(c.FitMinutes, reports.CalMinute{Minute: m, RecordedDesired: recDesired[m], SimDesired: fitDesired[m],
			RecordedInService: recInService[m], SimInServ: fitInService[m]})
	}
	return c
}

// steps returns n minutes' values, each the value of the latest minute at
// or before it in at.
func steps(n int, at map[int]float64) []float64 {
	out := make([]float64, n)
	v := 0.0
	for m := range out {
		if x, ok := at[m]; ok {
			v = x
		}
		out[m] = v
	}
	return out
}

// point is a desired-capacity change at secs from time zero.
func point(secs float64, from, to int, why string) *reports.CalDecisionPoint {
	t := "2026-03-02T09:00:00Z"
	if secs > 0 {
		t = "2026-03-02T09:" + two(int(secs)/60) + ":" + two(int(secs)%60) + "Z"
	}
	return &reports.CalDecisionPoint{AtS: secs, Time: t, From: from, To: to, Why: why}
}

// two formats 0–59 with two digits.
func two(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// comparison is a comparison with the given desired-capacity error and
// timing errors; the rest is fixed.
func comparison(mae, equal, maxErr, median, p90 float64) reports.CalComparison {
	cmp := reports.CalComparison{
		Capacity:  &reports.CapacityError{Source: "GroupDesiredCapacity", Minutes: 28, MAEInstances: mae, MinutesEqualShare: equal, MaxAbsError: maxErr},
		InService: &reports.CapacityError{Source: "GroupInServiceInstances", Minutes: 28, MAEInstances: mae + 0.1, MinutesEqualShare: equal - 0.1, MaxAbsError: maxErr},
		Series: []reports.SeriesError{{Metric: "CPUUtilization", Unit: "%", Points: 28, RecordedMean: 48.2,
			SimulatedMean: 51.7, MAE: 6.1, MaxAbsError: 19.4}},
		Decisions: reports.DecisionMatches{Recorded: 3, Simulated: 3, Matched: 2, WindowS: 300},
	}
	cmp.Decisions.TimingErrorS.Median, cmp.Decisions.TimingErrorS.P90 = median, p90
	return cmp
}
