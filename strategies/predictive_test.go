package strategies

import (
	"errors"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// loadTicks returns one tick per minute for the given hours, 4 instances
// sharing load(h) requests per minute in hour h.
func loadTicks(hours int, load func(h int) float64) []tick {
	out := make([]tick, 0, hours*60)
	for h := range hours {
		for range 60 {
			out = append(out, tick{inst: 4, rpt: load(h) / 4})
		}
	}
	return out
}

// dayProfile is 100 requests per minute except 200 at 01:00 and 300 at 02:00.
func dayProfile(h int) float64 {
	switch h % 24 {
	case 1:
		return 200
	case 2:
		return 300
	}
	return 100
}

// predictive is a forecast_and_scale policy on requests per target
// (target 100 a minute) with the given scheduling buffer.
func predictive(buffer *sim.Duration) PolicyConfig {
	return PolicyConfig{Type: PolicyPredictive, Metric: "request_count_per_target", Target: 100, SchedulingBufferTime: buffer,
		Mode: ForecastAndScale}
}

func TestPredictiveSequences(t *testing.T) {
	cases := []struct {
		name   string
		policy PolicyConfig
		ticks  []tick
		want   []int // desired per minute
	}{
		{
			// Minute 1495 is 24:55: the first forecast with 24 h of history,
			// for 25:00 (day 1 01:00) from day 0 01:00: 200/min ÷ 100 = 2.
			// 25:55 forecasts 3 for 02:00; 26:55 forecasts 1 for 03:00 but
			// predictive scaling never scales in.
			name:   "no action before 24 h of history, then the same hour yesterday at hh:55, never in",
			policy: predictive(nil), ticks: loadTicks(27, dayProfile),
			want: seqInts(ints(1494, 1), ints(60, 2), ints(66, 3)),
			// Reference: docs/aws-behaviour.md §1.7 (≥24 h history; SchedulingBufferTime 300 s; never scales in)
		},
		{
			// AWS: "ForecastOnly (default)", ec2-auto-scaling-predictive-scaling,
			// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html
			name:   "without a mode the policy only forecasts: it never acts",
			policy: PolicyConfig{Type: PolicyPredictive, Metric: "request_count_per_target", Target: 100}, ticks: loadTicks(27, dayProfile),
			want: ints(27*60, 1),
			// Reference: docs/aws-behaviour.md §1.7 (ForecastOnly is the default mode)
		},
		{
			// Day 0 01:00: 2 instances past warm-up and 2 warming, each
			// routed 100 requests a minute: the load is 400, forecast 4 (the
			// warmed instances alone would say 200, 2).
			name: "the forecast counts the load of instances in warm-up", policy: predictive(nil),
			ticks: seq(loadTicks(1, dayProfile), repeat(60, tick{inst: 2, warm: 2, rpt: 100}), loadTicks(26, dayProfile)[120:]),
			want:  seqInts(ints(1494, 1), ints(66, 4)),
			// Reference: docs/aws-behaviour.md §1.7 (the load metric is the group's total)
		},
		{
			name: "scheduling buffer 0 acts on the hour", policy: predictive(ptr(sim.Duration(0))), ticks: loadTicks(26, dayProfile),
			want: seqInts(ints(1499, 1), ints(60, 2), ints(1, 3)),
			// Reference: docs/aws-behaviour.md §1.7 (SchedulingBufferTime range 0–3600 s)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := group(t, 1, 50, 1, c.policy)
			ds := drive(t, h, c.ticks)
			checkDesired(t, ds, c.want)
		})
	}
}

func TestPredictiveForecastMean(t *testing.T) {
	// Day 0 01:00 carries 200/min, day 1 01:00 600/min: the forecast for
	// day 2 01:00, made at 48:55, is their mean, 400/min → 4, while the
	// forecast for day 2 00:00 (made at 47:55) is 100 → 1.
	h := group(t, 1, 50, 1, predictive(nil))
	ticks := loadTicks(49, func(h int) float64 {
		if h == 25 {
			return 600
		}
		return dayProfile(h)
	})
	ds := drive(t, h, ticks)
	// at 24:55 → 2 (day 0 01:00); at 25:55 → 3 (02:00); at 48:55 → 4.
	if got := ds[48*60+55-1]; got.Desired != 4 || !strings.Contains(got.Reason, "forecast for day 2 01:00 from 2 day(s) of that hour: load 400.0") {
		t.Errorf("at 48:55: %d %q", got.Desired, got.Reason)
	}
	if got := ds[48*60+55-2].Desired; got != 3 {
		t.Errorf("at 48:54: %d, want 3", got)
	}
	// Reference: docs/aws-behaviour.md §1.7 (forecast from the look-back window)
}

func TestPredictiveMaxCapacity(t *testing.T) {
	big := func(int) float64 { return 5000 } // 50 instances' worth
	cases := []struct {
		name   string
		policy PolicyConfig
		want   int
	}{
		{"honor max capacity", predictive(nil), 40},
		{"increase max capacity by the buffer", PolicyConfig{Type: PolicyPredictive, Metric: "request_count_per_target", Target: 100,
			Mode: ForecastAndScale, MaxCapacityBreachBehavior: IncreaseMaxCapacity, MaxCapacityBuffer: 10}, 50},
	}
	for _, c := range cases {
		h := group(t, 1, 40, 1, c.policy)
		ds := drive(t, h, loadTicks(25, big)[:24*60+55])
		if got := ds[len(ds)-1].Desired; got != c.want {
			t.Errorf("%s: desired %d, want %d (%s)", c.name, got, c.want, ds[len(ds)-1].Reason)
		}
	}
	// Reference: docs/aws-behaviour.md §1.7 (MaxCapacityBreachBehavior, MaxCapacityBuffer)
}

// seqInts concatenates int lists.
func seqInts(parts ...[]int) []int {
	var out []int
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// history returns hourly load points for the hours from−1 back to from−n
// of the run's clock, each 5 minutes long (12 an hour), at dayProfile of
// the hour of day.
func history(from, n int) *HistoryConfig {
	h := &HistoryConfig{Path: "history.json"}
	for k := from - n; k < from; k++ {
		for m := range 12 {
			start := sim.Time(k)*sim.Time(sim.Hour) + sim.Time(m)*sim.Time(5*sim.Minute)
			h.Points = append(h.Points, LoadPoint{Start: start, Span: 5 * sim.Minute, Load: dayProfile((k%24 + 24) % 24)})
		}
	}
	return h
}

// withHistory is predictive(nil) with h as its history.
func withHistory(h *HistoryConfig) PolicyConfig {
	p := predictive(nil)
	p.History = h
	return p
}

// AWS forecasts from the group's load metric history, up to 14 days of it,
// and needs at least 24 hours: "Predictive scaling requires 24 hours of
// metric history before it can generate forecasts", and the capacity
// forecast is the load forecast over the target,
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html
// Recorded history before time zero counts as the run's own would.
func TestPredictiveHistory(t *testing.T) {
	flat := loadTicks(2, func(int) float64 { return 100 }) // the run itself never sees the 01:00 peak
	after := history(0, 23)                                // and a point after time zero, which does not count
	after.Points = append(after.Points, LoadPoint{Start: sim.Time(2 * sim.Hour), Span: 5 * sim.Minute, Load: 100})
	old := history(-14*24, 48) // entirely more than 14 days back
	cases := []struct {
		name   string
		policy PolicyConfig
		want   []int
	}{
		{
			// 00:55 forecasts 01:00 from the 01:00 of the two recorded
			// days, 200/min ÷ 100 = 2; 01:55 forecasts 02:00, 300 → 3.
			name: "a 2-day history forecasts from the first hour: ceil(load/target)", policy: withHistory(history(0, 48)),
			want: seqInts(ints(54, 1), ints(60, 2), ints(6, 3)),
			// Reference: docs/aws-behaviour.md §1.7 (history)
		},
		{
			name: "without history, no forecast in a 2-hour run", policy: predictive(nil),
			want: ints(120, 1),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := drive(t, group(t, 1, 50, 1, c.policy), flat)
			checkDesired(t, ds, c.want)
			if c.policy.History != nil && !strings.Contains(ds[54].Reason, "forecast for day 0 01:00 from 2 day(s) of that hour: load 200.0") {
				t.Errorf("at 00:55: %q", ds[54].Reason)
			}
		})
	}
	for _, c := range []struct {
		name string
		h    *HistoryConfig
		want string
	}{
		{"under 24 h", history(0, 23), "history.json holds 23h0m0s of load in the 14 days before time zero; a forecast needs 1d"},
		{"points after time zero do not count", after, "holds 23h0m0s of load"},
		{"older than 14 days", old, "history.json holds 0s of load"},
		{"none", &HistoryConfig{Path: "history.json"}, "history.json holds 0s of load"},
		{"out of order", &HistoryConfig{Path: "history.json", Points: []LoadPoint{{Start: -10, Span: 1, Load: 1}, {Start: -20, Span: 1, Load: 1}}},
			"not after period 0"},
		{"negative load", &HistoryConfig{Path: "history.json", Points: []LoadPoint{{Start: -10, Span: 1, Load: -1}}}, "finite load ≥ 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewHorizontal(HorizontalConfig{Name: "asg", InstanceType: "m5.xlarge", Min: 1, Max: 5, Policies: []PolicyConfig{withHistory(c.h)}})
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "policies.0.history" || !strings.Contains(fe.Msg, c.want) {
				t.Errorf("got %v, want policies.0.history: …%s…", err, c.want)
			}
		})
	}
}
