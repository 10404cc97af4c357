package strategies

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/scalesim/scalesim/sim"
)

// DefaultEpochUnix is the calendar instant of simulated time zero when a
// scenario sets none: Monday 2024-01-01 00:00:00 UTC, in Unix seconds. A
// run therefore starts at midnight on a Monday, the first of a month.
const DefaultEpochUnix int64 = 1704067200

// cronSearchYears bounds Next's search: an expression that matches no
// date within it (such as "0 0 30 2 *", February 30th) never fires.
const cronSearchYears = 5

// Cron is a parsed 5-field cron expression, evaluated on the wall clock of
// a time zone: UTC, the default of scheduled actions, or the IANA zone
// given with In, daylight saving included (docs/aws-behaviour.md §1.6). It
// is a value: copy it freely.
type Cron struct {
	expr             string
	minute, hour     uint64 // bit i: minute i, hour i
	dom, month, dow  uint64 // bit i: day i (1..31), month i (1..12), weekday i (0 = Sunday)
	domStar, dowStar bool   // the day field began with '*'
	epochUnix        int64  // Unix seconds of sim time zero
	loc              *time.Location
}

// cronField describes one field of the expression.
type cronField struct {
	name     string
	lo, hi   int
	names    []string // names for lo, lo+1, ... (months, weekdays), or nil
	sevenSun bool     // day-of-week: 7 is Sunday too
}

// cronFields returns the five fields' descriptions.
func cronFields() [5]cronField {
	return [5]cronField{
		{name: "minute", lo: 0, hi: 59},
		{name: "hour", lo: 0, hi: 23},
		{name: "day-of-month", lo: 1, hi: 31},
		{name: "month", lo: 1, hi: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
		{name: "day-of-week", lo: 0, hi: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, sevenSun: true},
	}
}

// ParseCron parses a 5-field cron expression: minute (0-59), hour (0-23),
// day of month (1-31), month (1-12 or JAN-DEC) and day of week (0-7 or
// SUN-SAT, 0 and 7 both Sunday). Each field is *, a value, a range a-b, a
// step */n, a-b/n or a/n (a to the field's end), or a comma-separated list
// of these. As in Unix cron, when both day fields are restricted a day
// matching either fires; when one of them begins with *, both must match.
// Simulated time zero is DefaultEpochUnix (see WithEpoch), and the
// expression is read in UTC (see In).
func ParseCron(expr string) (Cron, error) {
	fields := strings.Fields(expr)
	if len(fields) != 5 {
		return Cron{}, fmt.Errorf("cron %q: want 5 fields (minute hour day-of-month month day-of-week), got %d", expr, len(fields))
	}
	c := Cron{expr: strings.Join(fields, " "), epochUnix: DefaultEpochUnix}
	desc := cronFields()
	sets := [5]*uint64{&c.minute, &c.hour, &c.dom, &c.month, &c.dow}
	for i, f := range fields {
		set, err := parseCronField(f, desc[i])
		if err != nil {
			return Cron{}, fmt.Errorf("cron %q: %s: %w", expr, desc[i].name, err)
		}
		*sets[i] = set
	}
	if c.dow&(1<<7) != 0 {
		c.dow = c.dow&^(1<<7) | 1
	}
	c.domStar, c.dowStar = fields[2][0] == '*', fields[4][0] == '*'
	return c, nil
}

// parseCronField returns the set of values field f allows.
func parseCronField(s string, f cronField) (uint64, error) {
	var set uint64
	for _, part := range strings.Split(s, ",") {
		if part == "" {
			return 0, fmt.Errorf("empty list item in %q", s)
		}
		rng, stepStr, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepStr)
			if err != nil || n < 1 || n > f.hi {
				return 0, fmt.Errorf("step %q in %q must be a whole number from 1 to %d", stepStr, part, f.hi)
			}
			step = n
		}
		lo, hi := f.lo, f.hi
		if f.sevenSun {
			hi = 6 // "*" is Sunday to Saturday once
		}
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			var err error
			if lo, err = cronValue(a, f); err != nil {
				return 0, err
			}
			if hi, err = cronValue(b, f); err != nil {
				return 0, err
			}
			if lo > hi {
				return 0, fmt.Errorf("range %q runs backwards", rng)
			}
		default:
			v, err := cronValue(rng, f)
			if err != nil {
				return 0, err
			}
			lo, hi = v, v
			if hasStep {
				hi = f.hi // a/n: from a to the end
			}
		}
		for v := lo; v <= hi; v += step {
			set |= 1 << uint(v)
		}
	}
	return set, nil
}

// cronValue parses one value or name of field f.
func cronValue(s string, f cronField) (int, error) {
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return f.lo + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		if f.names != nil {
			return 0, fmt.Errorf("%q is neither a number nor a name (%s-%s)", s, f.names[0], f.names[len(f.names)-1])
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v < f.lo || v > f.hi {
		return 0, fmt.Errorf("%d is out of range %d-%d", v, f.lo, f.hi)
	}
	return v, nil
}

// String returns the expression, fields separated by single spaces,
// followed by its time zone unless that is UTC.
func (c Cron) String() string {
	if c.loc == nil || c.loc == time.UTC {
		return c.expr
	}
	return c.expr + " " + c.loc.String()
}

// In returns c read on the wall clock of loc instead of UTC. A local time
// that occurs twice, in the hour repeated when daylight saving ends, fires
// once, at its first occurrence; one the clock skips, in the hour lost
// when daylight saving starts, fires when the clock jumps past it (so
// "30 2 * * *" in America/New_York fires at 03:00 EDT on the day the clocks
// go forward). AWS documents only that schedules adjust for daylight
// saving; these two rules are the simulator's.
func (c Cron) In(loc *time.Location) Cron {
	c.loc = loc
	return c
}

// WithEpoch returns c with simulated time zero at the Unix second
// epochUnix (UTC) instead of DefaultEpochUnix.
func (c Cron) WithEpoch(epochUnix int64) Cron {
	c.epochUnix = epochUnix
	return c
}

// Next returns the first instant strictly after after at which c fires,
// on a whole minute of its time zone's calendar, or sim.Never if it fires
// on no date in the following five years.
//
// It steps through the wall clock's dates and times as such, held in a
// UTC time.Time so that no minute is skipped or repeated, and turns the
// first match into an instant with instant.
func (c Cron) Next(after sim.Time) sim.Time {
	if c.minute == 0 {
		return sim.Never // the zero Cron
	}
	loc := c.loc
	if loc == nil {
		loc = time.UTC
	}
	sec := floorDiv(int64(after), int64(sim.Second))
	t := time.Unix(c.epochUnix+sec, 0).In(loc)
	t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute()+1, 0, 0, time.UTC)
	limit := t.Year() + cronSearchYears
	for t.Year() <= limit {
		switch {
		case c.month&(1<<uint(t.Month())) == 0:
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		case !c.dayMatches(t):
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
		case c.hour&(1<<uint(t.Hour())) == 0:
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, time.UTC)
		case c.minute&(1<<uint(t.Minute())) == 0:
			// jump to the next allowed minute of this hour, or the next hour
			rest := c.minute >> uint(t.Minute())
			if rest == 0 {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, time.UTC)
			} else {
				t = t.Add(time.Duration(bits.TrailingZeros64(rest)) * time.Minute)
			}
		default:
			s := instant(t, loc) - c.epochUnix
			if s > math.MaxInt64/int64(sim.Second) {
				return sim.Never
			}
			if at := sim.Time(s * int64(sim.Second)); at > after {
				return at
			}
			t = t.Add(time.Minute) // the first occurrence of a repeated time is past
		}
	}
	return sim.Never
}

// instant returns the Unix second at which the wall clock of loc reads
// wall (a date and time held in a UTC time.Time): the earlier of the two
// when the clock reads it twice, and the moment the clock jumps when it
// skips it. The zone's offsets a day either side of wall are tried, which
// covers every transition but two within a day of each other.
func instant(wall time.Time, loc *time.Location) int64 {
	naive := wall.Unix()
	found, best := false, int64(0)
	for _, probe := range [2]int64{naive - 86400, naive + 86400} {
		_, off := time.Unix(probe, 0).In(loc).Zone()
		u := naive - int64(off)
		if l := time.Unix(u, 0).In(loc); sameClock(l, wall) && (!found || u < best) {
			found, best = true, u
		}
	}
	if found {
		return best
	}
	// Skipped: read with the offset before the jump, wall lies past it;
	// the zone in force there began at the jump.
	_, off := time.Unix(naive-86400, 0).In(loc).Zone()
	start, _ := time.Unix(naive-int64(off), 0).In(loc).ZoneBounds()
	return start.Unix()
}

// sameClock reports whether t's wall clock, in its own zone, reads the
// same minute as wall's.
func sameClock(t, wall time.Time) bool {
	return t.Year() == wall.Year() && t.YearDay() == wall.YearDay() && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
}

// dayMatches applies Unix cron's day rule to t.
func (c Cron) dayMatches(t time.Time) bool {
	dom := c.dom&(1<<uint(t.Day())) != 0
	dow := c.dow&(1<<uint(t.Weekday())) != 0
	if c.domStar || c.dowStar {
		return dom && dow
	}
	return dom || dow
}

// floorDiv is a/b rounded toward −∞ (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
