package calibrate

import (
	"math"
	"testing"
	"time"

	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
)

var t0 = time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func change(d time.Duration, from, to int) records.Change {
	return records.Change{At: at(d), From: from, To: to, Trigger: "a monitor alarm A in state ALARM triggered policy P"}
}

func decided(d time.Duration, from, to int) reports.DecisionRecord {
	return reports.DecisionRecord{Strategy: "asg", At: sim.Time(d), From: from, To: to, Reason: "r"}
}

// TestMatchDecisions: each recorded change goes to the nearest simulated
// change in the same direction within the window, one to one.
func TestMatchDecisions(t *testing.T) {
	ck := clock{start: t0, span: 2 * time.Hour}
	cases := []struct {
		name              string
		rec               []records.Change
		sim               []reports.DecisionRecord
		matched           int
		median, p90       float64
		unmatchedRecorded int
	}{
		{"identical", []records.Change{change(10*time.Minute, 2, 4), change(50*time.Minute, 4, 3)},
			[]reports.DecisionRecord{decided(10*time.Minute, 2, 4), decided(50*time.Minute, 4, 3)}, 2, 0, 0, 0},
		{"late by 90 s and 30 s", []records.Change{change(10*time.Minute, 2, 4), change(50*time.Minute, 4, 3)},
			[]reports.DecisionRecord{decided(11*time.Minute+30*time.Second, 2, 5), decided(50*time.Minute+30*time.Second, 5, 3)}, 2, 60, 84, 0},
		{"opposite direction never matches", []records.Change{change(10*time.Minute, 2, 4)},
			[]reports.DecisionRecord{decided(10*time.Minute, 4, 2)}, 0, 0, 0, 1},
		{"outside the window", []records.Change{change(10*time.Minute, 2, 4)},
			[]reports.DecisionRecord{decided(16*time.Minute, 2, 4)}, 0, 0, 0, 1},
		{"one simulated change serves one recorded change", []records.Change{change(10*time.Minute, 2, 4), change(12*time.Minute, 4, 6)},
			[]reports.DecisionRecord{decided(11*time.Minute+50*time.Second, 2, 6)}, 1, 10, 10, 1},
		{"outside the run is left out", []records.Change{change(-10*time.Minute, 2, 4), change(3*time.Hour, 4, 6)},
			nil, 0, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, m := matchDecisions(ck, c.rec, c.sim, DefaultMatchWindow)
			if m.Matched != c.matched || m.TimingErrorS.Median != c.median || m.TimingErrorS.P90 != c.p90 {
				t.Errorf("matched %d, median %g, p90 %g; want %d, %g, %g", m.Matched, m.TimingErrorS.Median, m.TimingErrorS.P90, c.matched, c.median, c.p90)
			}
			if got := m.Recorded - m.Matched; got != c.unmatchedRecorded {
				t.Errorf("%d recorded changes unmatched, want %d", got, c.unmatchedRecorded)
			}
			for i := 1; i < len(rows); i++ {
				if rowTime(rows[i]) < rowTime(rows[i-1]) {
					t.Errorf("rows out of time order: %v", rows)
				}
			}
		})
	}
}

// TestRecordedChangesOncePerCause: the launches of one decision repeat
// its cause; the change counts once.
func TestRecordedChangesOncePerCause(t *testing.T) {
	c := change(10*time.Minute, 2, 4)
	rec := &records.Record{Activities: []records.Activity{
		{Kind: records.Launch, Change: &c}, {Kind: records.Launch, Change: &c},
		{Kind: records.Launch}, // a replacement: no change
	}}
	if got := recordedChanges(rec); len(got) != 1 {
		t.Fatalf("got %d changes, want 1: %v", len(got), got)
	}
}

// TestDesiredFromChanges rebuilds desired capacity from the causes: the
// From of the first change before it, each To after.
func TestDesiredFromChanges(t *testing.T) {
	ck := clock{start: t0, span: 5 * time.Minute}
	rows := make([]reports.MinuteRow, 5)
	for m, d := range []int{2, 2, 4, 4, 3} {
		rows[m].Desired = d
	}
	got := desiredFromChanges(ck, []records.Change{change(90*time.Second, 2, 4), change(4*time.Minute+30*time.Second, 4, 3)}, rows)
	want := []float64{2, 4, 4, 4, 3}
	for m, w := range want {
		if got.recorded[m] != w {
			t.Errorf("minute %d: recorded %g, want %g", m, got.recorded[m], w)
		}
	}
	// Minute 1 ends at 2:00, after the change at 1:30: 4 against the run's 2.
	if e := got.capacity; e.MAEInstances != 0.4 || e.MaxAbsError != 2 || e.MinutesEqualShare != 0.8 {
		t.Errorf("capacity error %+v, want mae 0.4, max 2, equal 0.8", *e)
	}
	if desiredFromChanges(ck, nil, rows) != nil {
		t.Error("no change: want no rebuilt capacity")
	}
}

// TestCompareSeriesPeriods: a one-minute gauge is set beside the minute
// it starts; a five-minute RequestCount sums five minutes of arrivals.
func TestCompareSeriesPeriods(t *testing.T) {
	ck := clock{start: t0, span: 10 * time.Minute}
	rows := make([]reports.MinuteRow, 10)
	for m := range rows {
		rows[m].Desired = 3
		rows[m].Arrivals = 100
	}
	gauge := records.Series{Metric: records.GroupDesiredCapacity}
	for m := -2; m < 12; m++ {
		gauge.Points = append(gauge.Points, records.Point{At: at(time.Duration(m) * time.Minute), Value: 3})
	}
	comps := comparables()
	got, outside := compareSeries(ck, gauge, comps[0], rows)
	if got.err.Points != 10 || outside != 4 || got.capacity.MAEInstances != 0 || got.capacity.MinutesEqualShare != 1 {
		t.Errorf("gauge: %d points, %d outside, %+v", got.err.Points, outside, got.capacity)
	}
	counts := records.Series{Metric: records.RequestCount, Points: []records.Point{{At: at(0), Value: 500}, {At: at(5 * time.Minute), Value: 400}}}
	got, _ = compareSeries(ck, counts, comps[4], rows)
	if got.err.Points != 2 || got.err.SimulatedMean != 500 || got.err.MAE != 50 || got.err.MaxAbsError != 100 {
		t.Errorf("counts: %+v", got.err)
	}
	if !math.IsNaN(nanSlice(1)[0]) {
		t.Error("nanSlice")
	}
}

// TestLifecycle measures successful launches and terminations, and keeps
// failed launches apart with their reasons.
func TestLifecycle(t *testing.T) {
	var acts []records.Activity
	for i, s := range []int{40, 50, 60, 45, 55} {
		acts = append(acts, records.Activity{Kind: records.Launch, Status: records.StatusSuccessful,
			Start: at(time.Duration(i) * time.Hour), End: at(time.Duration(i)*time.Hour + time.Duration(s)*time.Second)})
	}
	acts = append(acts,
		records.Activity{Kind: records.Terminate, Status: records.StatusSuccessful, Start: at(0), End: at(5 * time.Minute)},
		records.Activity{Kind: records.Launch, Status: records.StatusFailed, Start: at(time.Hour),
			StatusMessage: "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity."},
		records.Activity{Kind: records.Launch, Status: records.StatusInProgress, Start: at(2 * time.Hour)},
	)
	lc, flow, _ := Lifecycle(&records.Record{Activities: acts})
	if lc.LaunchS.N != 5 || lc.LaunchS.Median != 50 || lc.LaunchS.Mean != 50 {
		t.Errorf("launch %+v, want n 5, median 50, mean 50", lc.LaunchS)
	}
	if lc.TerminateS.N != 1 || lc.TerminateS.Median != 300 {
		t.Errorf("terminate %+v", lc.TerminateS)
	}
	if lc.FailedLaunches != 1 || len(lc.FailureReasons) != 1 ||
		lc.FailureReasons[0].Reason != "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a)" {
		t.Errorf("failures %d %+v", lc.FailedLaunches, lc.FailureReasons)
	}
	if lc.Suggested == nil || flow == "" {
		t.Fatalf("no suggestion: %+v", lc.Suggested)
	}
	if want := "instances:\n  pending: "; len(lc.Suggested.YAML) < len(want) || lc.Suggested.YAML[:len(want)] != want {
		t.Errorf("suggested YAML %q", lc.Suggested.YAML)
	}
}
