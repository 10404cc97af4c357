package strategies

import (
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/sim"
)

// at returns the sim time d days, h hours and m minutes after time zero
// (Monday 2024-01-01 00:00 UTC by default).
func at(d, h, m int) sim.Time {
	return sim.Time(sim.Duration(d)*sim.Day + sim.Duration(h)*sim.Hour + sim.Duration(m)*sim.Minute)
}

func TestCronNext(t *testing.T) {
	cases := []struct {
		expr  string
		after sim.Time
		want  sim.Time
	}{
		{"*/15 * * * *", 0, at(0, 0, 15)},
		{"*/15 * * * *", -1, 0}, // time zero itself
		{"*/15 * * * *", at(0, 0, 14) + sim.Time(59*sim.Second), at(0, 0, 15)},
		{"*/15 * * * *", at(0, 0, 15), at(0, 0, 30)},
		{"*/15 * * * *", at(0, 0, 45), at(0, 1, 0)},
		{"0 9 * * 1-5", 0, at(0, 9, 0)},               // Monday 09:00
		{"0 9 * * 1-5", at(0, 9, 0), at(1, 9, 0)},     // Tuesday
		{"0 9 * * 1-5", at(4, 9, 0), at(7, 9, 0)},     // Friday → next Monday
		{"0 9 * * MON-fri", at(4, 9, 0), at(7, 9, 0)}, // names
		{"30 2 1 * *", 0, at(0, 2, 30)},               // 1 January
		{"30 2 1 * *", at(0, 2, 30), at(31, 2, 30)},   // 1 February
		{"0 0 13 * 5", 0, at(4, 0, 0)},                // Friday 5 January (day fields OR'd)
		{"0 0 13 * 5", at(4, 0, 0), at(11, 0, 0)},     // Friday 12
		{"0 0 13 * 5", at(11, 0, 0), at(12, 0, 0)},    // Saturday 13
		{"0 12 * * 0", 0, at(6, 12, 0)},               // Sunday 7 January
		{"0 12 * * 7", 0, at(6, 12, 0)},               // 7 is Sunday too
		{"0 0 * 3 *", 0, at(60, 0, 0)},                // 1 March 2024 (leap year)
		{"5,10-12 8 * * *", at(0, 8, 10), at(0, 8, 11)},
		{"5,10-12 8 * * *", at(0, 8, 12), at(1, 8, 5)},
		{"10/20 * * * *", 0, at(0, 0, 10)},
		{"10/20 * * * *", at(0, 0, 50), at(0, 1, 10)},
		{"0-30/10 1 * * *", at(0, 1, 30), at(1, 1, 0)},
		{"0 0 30 2 *", 0, sim.Never}, // 30 February never comes
	}
	for _, c := range cases {
		cr, err := ParseCron(c.expr)
		if err != nil {
			t.Errorf("ParseCron(%q): %v", c.expr, err)
			continue
		}
		if got := cr.Next(c.after); got != c.want {
			t.Errorf("ParseCron(%q).Next(%v) = %v, want %v", c.expr, c.after, got, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.6 (5-field cron, UTC)
}

func TestCronEpoch(t *testing.T) {
	cr, err := ParseCron("0 9 * * 1-5")
	if err != nil {
		t.Fatal(err)
	}
	// Saturday 2024-01-06 00:00 UTC: the next weekday 09:00 is Monday, two
	// days and nine hours on.
	sat := cr.WithEpoch(DefaultEpochUnix + 5*86400)
	if got, want := sat.Next(-1), at(2, 9, 0); got != want {
		t.Errorf("Next from a Saturday epoch = %v, want %v", got, want)
	}
	// Reference: docs/aws-behaviour.md §1.6
}

func TestParseCronErrors(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"", "want 5 fields"},
		{"* * * *", "want 5 fields (minute hour day-of-month month day-of-week), got 4"},
		{"* * * * * *", "got 6"},
		{"60 * * * *", "minute: 60 is out of range 0-59"},
		{"* 24 * * *", "hour: 24 is out of range 0-23"},
		{"* * 0 * *", "day-of-month: 0 is out of range 1-31"},
		{"* * * 13 *", "month: 13 is out of range 1-12"},
		{"0 9 * * 1-8", "day-of-week: 8 is out of range 0-7"},
		{"*/0 * * * *", `minute: step "0"`},
		{"5-1 * * * *", `minute: range "5-1" runs backwards`},
		{"a * * * *", `minute: "a" is not a number`},
		{"* * * foo *", `month: "foo" is neither a number nor a name`},
		{"1,,2 * * * *", "minute: empty list item"},
	}
	for _, c := range cases {
		_, err := ParseCron(c.expr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseCron(%q) error %v, want one containing %q", c.expr, err, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.6
}

func TestScheduledActions(t *testing.T) {
	cases := []struct {
		name    string
		actions []ScheduledActionConfig
		minutes int
		want    []int // desired per minute
		bounds  Bounds
	}{
		{
			name:    "a one-time action fires at its minute",
			actions: []ScheduledActionConfig{{At: ptr(3 * sim.Minute), Desired: ptr(8)}},
			minutes: 4, want: []int{2, 2, 8, 8}, bounds: Bounds{1, 20},
			// Reference: docs/aws-behaviour.md §1.6
		},
		{
			name:    "a recurring action raises min, which raises desired",
			actions: []ScheduledActionConfig{{Recurrence: "3 * * * *", Min: ptr(5)}},
			minutes: 4, want: []int{2, 2, 5, 5}, bounds: Bounds{5, 20},
			// Reference: docs/aws-behaviour.md §1.1 (scheduled actions are clamped like policies), §1.6
		},
		{
			name:    "an occurrence at time zero fires at the first decision",
			actions: []ScheduledActionConfig{{Recurrence: "*/30 * * * *", Desired: ptr(4)}},
			minutes: 2, want: []int{4, 4}, bounds: Bounds{1, 20},
			// Reference: docs/aws-behaviour.md §1.6 (actions may run late, up to 2 minutes)
		},
		{
			name: "lowering max lowers desired; later action in the same minute wins",
			actions: []ScheduledActionConfig{
				{At: ptr(2 * sim.Minute), Desired: ptr(10)},
				{At: ptr(2 * sim.Minute), Max: ptr(6)},
			},
			minutes: 2, want: []int{2, 6}, bounds: Bounds{1, 6},
			// Reference: docs/aws-behaviour.md §1.1, §1.6 (order is guaranteed within a group)
		},
		{
			name:    "an action whose min exceeds the max in force fails",
			actions: []ScheduledActionConfig{{At: ptr(sim.Minute), Min: ptr(30)}},
			minutes: 1, want: []int{2}, bounds: Bounds{1, 20},
			// Reference: docs/aws-behaviour.md §1.1 (min <= desired <= max)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := group(t, 1, 20, 2,
				PolicyConfig{Type: PolicyScheduled, Actions: c.actions},
				ttCPU(50)) // no data: the policy holds
			checkDesired(t, drive(t, h, repeat(c.minutes, tick{})), c.want)
			if h.Bounds() != c.bounds {
				t.Errorf("bounds %+v, want %+v", h.Bounds(), c.bounds)
			}
		})
	}
}

func TestScheduledValidation(t *testing.T) {
	cases := []struct {
		a    ScheduledActionConfig
		want string
	}{
		{ScheduledActionConfig{Desired: ptr(3)}, "policies.0.actions.0.at: a scheduled action needs at"},
		{ScheduledActionConfig{At: ptr(sim.Minute), Recurrence: "* * * * *", Desired: ptr(3)}, "actions.0.recurrence: set either"},
		{ScheduledActionConfig{Recurrence: "* * *", Desired: ptr(3)}, "actions.0.recurrence: cron"},
		{ScheduledActionConfig{At: ptr(sim.Minute)}, "actions.0.desired: a scheduled action sets at least one"},
		{ScheduledActionConfig{At: ptr(sim.Minute), Min: ptr(5), Max: ptr(2)}, "actions.0.min: must be at most max (2)"},
		{ScheduledActionConfig{At: ptr(sim.Minute), Desired: ptr(-1)}, "actions.0.desired: must be >= 0"},
	}
	for _, c := range cases {
		_, err := NewHorizontal(HorizontalConfig{Name: "asg", InstanceType: "m5.large", Min: 1, Max: 10,
			Policies: []PolicyConfig{{Type: PolicyScheduled, Actions: []ScheduledActionConfig{c.a}}}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one containing %q", c.a, err, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.6
}

// A recurrence read in an IANA time zone follows its daylight saving
// (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html:
// in America/New_York an 8:00 action runs at 8:00 UTC-5 before daylight
// saving starts and at 8:00 UTC-4 after). In 2024 New York's clocks went
// forward at 02:00 on Sunday 10 March (day 69 of the default epoch) and
// back at 02:00 on Sunday 3 November (day 307).
func TestCronTimeZone(t *testing.T) {
	ny, err := timeZone("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	kolkata, err := timeZone("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		expr  string
		loc   *time.Location
		after sim.Time
		want  sim.Time
	}{
		{"08:00 EST is 13:00 UTC", "0 8 * * *", ny, at(67, 0, 0), at(67, 13, 0)},
		{"the day before the change, still EST", "0 8 * * *", ny, at(67, 13, 0), at(68, 13, 0)},
		{"the day of the change, 08:00 EDT is 12:00 UTC", "0 8 * * *", ny, at(68, 13, 0), at(69, 12, 0)},
		{"02:30 is skipped that night: fires as the clock jumps to 03:00 EDT", "30 2 * * *", ny, at(68, 12, 0), at(69, 7, 0)},
		{"02:30 EDT the next night", "30 2 * * *", ny, at(69, 7, 0), at(70, 6, 30)},
		{"every 15 minutes through the skipped hour: 01:45 EST", "*/15 * * * *", ny, at(69, 6, 30), at(69, 6, 45)},
		{"the skipped 02:00–02:45 fire once, at 03:00 EDT", "*/15 * * * *", ny, at(69, 6, 45), at(69, 7, 0)},
		{"then 03:15 EDT", "*/15 * * * *", ny, at(69, 7, 0), at(69, 7, 15)},
		{"01:30 occurs twice in November: the first, EDT", "30 1 * * *", ny, at(306, 12, 0), at(307, 5, 30)},
		{"and not again at 01:30 EST", "30 1 * * *", ny, at(307, 5, 30), at(308, 6, 30)},
		{"inside the repeated hour, times already passed once do not fire again", "*/15 * * * *", ny, at(307, 6, 40), at(307, 7, 0)},
		{"a zone without daylight saving, half an hour off UTC", "0 9 * * *", kolkata, -1, at(0, 3, 30)},
		{"a weekday schedule in local days: Monday 00:30 in Kolkata is Sunday 19:00 UTC", "30 0 * * 1", kolkata, at(1, 0, 0), at(6, 19, 0)},
	}
	for _, c := range cases {
		cr, err := ParseCron(c.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := cr.In(c.loc).Next(c.after); got != c.want {
			t.Errorf("%s: %q in %v .Next(%v) = %v, want %v", c.name, c.expr, c.loc, c.after, got, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.6 (IANA time zones, daylight saving included)
}

// TestScheduledTimeZoneTimeline plays a group whose run starts on Friday
// 8 March 2024 through New York's change to daylight saving: an action at
// 08:00 and one at 09:00 New York time move desired capacity at 13:00 and
// 14:00 UTC on Friday and Saturday, and at 12:00 and 13:00 UTC on Sunday.
func TestScheduledTimeZoneTimeline(t *testing.T) {
	const friday = 1709856000 // 2024-03-08 00:00 UTC
	h, err := NewHorizontal(HorizontalConfig{Name: "asg", InstanceType: "m5.large", Min: 1, Max: 20, Initial: 2, EpochUnix: friday,
		Policies: []PolicyConfig{{Type: PolicyScheduled, Actions: []ScheduledActionConfig{
			{Name: "morning", Recurrence: "0 8 * * *", TimeZone: "America/New_York", Desired: ptr(10)},
			{Name: "later", Recurrence: "0 9 * * *", TimeZone: "America/New_York", Desired: ptr(2)},
		}}, ttCPU(50)}})
	if err != nil {
		t.Fatal(err)
	}
	ds := drive(t, h, repeat(3*24*60, tick{}))
	want := make([]int, len(ds))
	for i := range want {
		now := sim.Time(i+1) * sim.Time(sim.Minute)
		want[i] = 2
		for _, w := range [][2]sim.Time{{at(0, 13, 0), at(0, 14, 0)}, {at(1, 13, 0), at(1, 14, 0)}, {at(2, 12, 0), at(2, 13, 0)}} {
			if now >= w[0] && now < w[1] {
				want[i] = 10
			}
		}
	}
	checkDesired(t, ds, want)
	if r := ds[at(2, 12, 0)/sim.Time(sim.Minute)-1].Reason; !strings.Contains(r, "scheduled morning (0 8 * * * America/New_York): desired 10") {
		t.Errorf("reason at Sunday 12:00 UTC: %q", r)
	}
	// Reference: docs/aws-behaviour.md §1.6 (IANA time zones, daylight saving included)
}

func TestScheduledTimeZoneValidation(t *testing.T) {
	cases := []struct {
		a    ScheduledActionConfig
		want string
	}{
		{ScheduledActionConfig{Recurrence: "0 9 * * *", TimeZone: "America/NewYork", Desired: ptr(3)}, `actions.0.time_zone: unknown IANA time zone "America/NewYork"`},
		{ScheduledActionConfig{Recurrence: "0 9 * * *", TimeZone: "Local", Desired: ptr(3)}, `actions.0.time_zone: "Local" is the host's own zone`},
		{ScheduledActionConfig{At: ptr(sim.Hour), TimeZone: "Europe/Paris", Desired: ptr(3)}, "actions.0.time_zone: applies to recurrence only"},
		{ScheduledActionConfig{Recurrence: "0 9 * * *", TimeZone: "Etc/UTC", Desired: ptr(3)}, ""},
		{ScheduledActionConfig{Recurrence: "0 9 * * *", TimeZone: "Europe/Paris", Desired: ptr(3)}, ""},
	}
	for _, c := range cases {
		_, err := NewHorizontal(HorizontalConfig{Name: "asg", InstanceType: "m5.large", Min: 1, Max: 10,
			Policies: []PolicyConfig{{Type: PolicyScheduled, Actions: []ScheduledActionConfig{c.a}}}})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", c.a, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: error %v, want one containing %q", c.a, err, c.want)
		}
	}
	// Reference: docs/aws-behaviour.md §1.6 (IANA time zones; AWS's default Etc/UTC)
}

// FuzzCronNext checks Next on any expression that parses, in zones with
// and without daylight saving: the next firing lies after the instant
// asked about, and asking again from just before it finds it again.
func FuzzCronNext(f *testing.F) {
	f.Add("*/15 * * * *", uint8(1), int64(at(69, 6, 40)))
	f.Add("30 2 * * *", uint8(1), int64(at(68, 12, 0)))
	f.Add("30 1 * * 0", uint8(2), int64(at(300, 0, 0)))
	f.Add("0 9 * * 1-5", uint8(3), int64(-1))
	zones := []string{"", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"}
	f.Fuzz(func(t *testing.T, expr string, zone uint8, after int64) {
		cr, err := ParseCron(expr)
		if err != nil {
			return
		}
		loc, err := timeZone(zones[int(zone)%len(zones)])
		if err != nil {
			t.Fatal(err)
		}
		cr = cr.In(loc)
		a := sim.Time(after % int64(400*sim.Day))
		n := cr.Next(a)
		if n == sim.Never {
			return
		}
		if n <= a {
			t.Fatalf("%q in %v: Next(%v) = %v, not after it", expr, loc, a, n)
		}
		if again := cr.Next(n - 1); again != n {
			t.Fatalf("%q in %v: Next(%v) = %v but Next(%v) = %v", expr, loc, a, n, n-1, again)
		}
	})
}
