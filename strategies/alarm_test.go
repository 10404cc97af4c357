package strategies

import (
	"math"
	"testing"
)

func TestMetricAlarm(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name   string
		m, n   int
		cmp    Comparison
		values []float64 // NaN is a missing datapoint
		want   []AlarmState
	}{
		{"3 of 3 above", 3, 3, GreaterThan, []float64{60, 60, 60, 40, 60},
			[]AlarmState{InsufficientData, InsufficientData, Alarm, OK, OK}},
		// Reference: docs/aws-behaviour.md §2.3 (M of N over the last N datapoints)
		{"2 of 3 need not be consecutive", 2, 3, GreaterThan, []float64{60, 40, 60, 60, 40, 40},
			[]AlarmState{InsufficientData, InsufficientData, Alarm, Alarm, Alarm, OK}},
		// Reference: docs/aws-behaviour.md §2.3 ("breaching points need not be consecutive")
		{"missing datapoints keep it in INSUFFICIENT_DATA for N more", 1, 2, LessThan, []float64{10, nan, 10, 10},
			[]AlarmState{InsufficientData, InsufficientData, InsufficientData, Alarm}},
		// Reference: docs/aws-behaviour.md §1.2, §2.3 (missing data → INSUFFICIENT_DATA, no action)
		{"equal is not greater", 1, 1, GreaterThan, []float64{50}, []AlarmState{OK}},
		{"equal is greater-or-equal", 1, 1, GreaterThanOrEqual, []float64{50}, []AlarmState{Alarm}},
		{"equal is less-or-equal", 1, 1, LessThanOrEqual, []float64{50}, []AlarmState{Alarm}},
		// Reference: docs/aws-behaviour.md §2.3 (comparison operators)
	}
	for _, c := range cases {
		a, err := NewMetricAlarm(50, c.cmp, c.m, c.n)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i, v := range c.values {
			if got := a.Observe(v, !math.IsNaN(v)); got != c.want[i] {
				t.Errorf("%s: after datapoint %d (%v): %v, want %v", c.name, i, v, got, c.want[i])
			}
		}
	}
}

func TestMetricAlarmDescribeAndReset(t *testing.T) {
	a, err := NewMetricAlarm(50, GreaterThan, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{40, 72.1, 80.4, 77.9} {
		a.Observe(v, true)
	}
	if got, want := a.Describe(), "3 of 3 datapoints above 50 (72.1, 80.4, 77.9)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if v, ok := a.Latest(); !ok || v != 77.9 {
		t.Errorf("Latest = %v, %v", v, ok)
	}
	a.Reset()
	if a.State() != InsufficientData || a.Observe(90, true) != InsufficientData {
		t.Errorf("after Reset the window should refill: state %v", a.State())
	}
	for _, bad := range [][2]int{{0, 3}, {4, 3}, {1, 0}, {1, MaxEvaluationPeriods + 1}} {
		if _, err := NewMetricAlarm(50, GreaterThan, bad[0], bad[1]); err == nil {
			t.Errorf("NewMetricAlarm(M=%d, N=%d) succeeded", bad[0], bad[1])
		}
	}
	if _, err := ParseComparison("=="); err == nil {
		t.Error("ParseComparison(==) succeeded")
	}
	// Reference: docs/aws-behaviour.md §2.3
}
