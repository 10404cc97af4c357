package strategies

import (
	"fmt"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // time zones of scheduled actions, wherever the host has no tz database

	"github.com/scalesim/scalesim/sim"
)

// Scheduled holds a group's scheduled actions (docs/aws-behaviour.md §1.6):
// each sets any of min, max and desired capacity once at a time, or on
// every occurrence of a cron schedule. An action fires at the first
// decision at or after its time (decisions come every minute, so an
// action on a whole minute fires on time; AWS allows itself up to 2
// minutes). Actions due at the same decision fire in time order, ties in
// configuration order; a recurring action whose occurrences were all
// missed between two decisions fires once.
type Scheduled struct {
	actions []scheduledAction
	last    sim.Time // the previous decision instant; actions due after it are pending
	started bool
}

type scheduledAction struct {
	name              string
	once              bool
	at                sim.Time // once: when
	cron              Cron     // recurring
	next              sim.Time // next time it is due (sim.Never when spent)
	min, max, desired *int     // nil: left unchanged
}

// NewScheduled validates and returns the actions cs, with cron schedules
// counted from the Unix second epochUnix at simulated time zero (0 means
// DefaultEpochUnix). Errors are *FieldError naming the field below
// "actions".
func NewScheduled(cs []ScheduledActionConfig, epochUnix int64) (*Scheduled, error) {
	if len(cs) == 0 || len(cs) > MaxScheduledActions {
		return nil, fieldErrorf("actions", "must have 1 to %d scheduled actions (got %d)", MaxScheduledActions, len(cs))
	}
	if epochUnix == 0 {
		epochUnix = DefaultEpochUnix
	}
	s := &Scheduled{actions: make([]scheduledAction, len(cs))}
	for i, c := range cs {
		a, err := newScheduledAction(c, epochUnix)
		if err != nil {
			return nil, under(fmt.Sprintf("actions.%d", i), err)
		}
		if a.name == "" {
			a.name = fmt.Sprintf("action %d", i)
		}
		s.actions[i] = a
	}
	return s, nil
}

func newScheduledAction(c ScheduledActionConfig, epochUnix int64) (scheduledAction, error) {
	a := scheduledAction{name: c.Name}
	switch {
	case c.At != nil && c.Recurrence != "":
		return a, fieldErrorf("recurrence", "set either at or recurrence, not both")
	case c.At != nil:
		if *c.At < 0 {
			return a, fieldErrorf("at", "must be >= 0 (got %v)", *c.At)
		}
		if c.TimeZone != "" {
			return a, fieldErrorf("time_zone", "applies to recurrence only (at is an offset from the start of the run)")
		}
		a.once, a.at, a.next = true, sim.Time(*c.At), sim.Time(*c.At)
	case c.Recurrence != "":
		cr, err := ParseCron(c.Recurrence)
		if err != nil {
			return a, &FieldError{Field: "recurrence", Msg: err.Error()}
		}
		loc, err := timeZone(c.TimeZone)
		if err != nil {
			return a, err
		}
		a.cron = cr.WithEpoch(epochUnix).In(loc)
		a.next = a.cron.Next(-1)
	default:
		return a, fieldErrorf("at", "a scheduled action needs at (a time) or recurrence (a cron expression)")
	}
	for _, v := range []struct {
		field string
		src   *int
		dst   **int
	}{{"min", c.Min, &a.min}, {"max", c.Max, &a.max}, {"desired", c.Desired, &a.desired}} {
		if v.src == nil {
			continue
		}
		if *v.src < 0 {
			return a, fieldErrorf(v.field, "must be >= 0 (got %d)", *v.src)
		}
		n := *v.src // a copy: the config's pointers are not kept
		*v.dst = &n
	}
	if a.min == nil && a.max == nil && a.desired == nil {
		return a, fieldErrorf("desired", "a scheduled action sets at least one of min, max and desired")
	}
	if a.min != nil && a.max != nil && *a.min > *a.max {
		return a, fieldErrorf("min", "must be at most max (%d) (got %d)", *a.max, *a.min)
	}
	return a, nil
}

// timeZone returns the IANA time zone named name: UTC for "", "UTC" and
// "Etc/UTC". The host's own zone ("Local") is refused: a run must not
// depend on the machine it runs on.
func timeZone(name string) (*time.Location, error) {
	switch name {
	case "", "UTC", "Etc/UTC":
		return time.UTC, nil
	case "Local":
		return nil, fieldErrorf("time_zone", `"Local" is the host's own zone, which would make results depend on the machine`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fieldErrorf("time_zone", "unknown IANA time zone %q", name)
	}
	return loc, nil
}

// Apply fires the actions due after the previous call and at or before
// now, starting from bounds b and desired capacity desired, and returns
// the new bounds, the new desired capacity and one reason per action
// fired (none when nothing was due). The caller clamps the desired
// capacity into the new bounds. An action whose min
// would exceed the max in force (or the reverse) fails, as AWS rejects
// it, and changes nothing.
func (s *Scheduled) Apply(now sim.Time, b Bounds, desired int) (Bounds, int, []string) {
	if s.started && now <= s.last {
		return b, desired, nil
	}
	s.last, s.started = now, true
	type due struct {
		at sim.Time
		i  int
	}
	var fire []due
	for i := range s.actions {
		if s.actions[i].next <= now {
			fire = append(fire, due{s.actions[i].next, i})
		}
	}
	sort.SliceStable(fire, func(x, y int) bool { return fire[x].at < fire[y].at })
	var reasons []string
	for _, d := range fire {
		a := &s.actions[d.i]
		if a.once {
			a.next = sim.Never
		} else {
			a.next = a.cron.Next(now)
		}
		nb := b
		if a.min != nil {
			nb.Min = *a.min
		}
		if a.max != nil {
			nb.Max = *a.max
		}
		if nb.Min > nb.Max {
			reasons = append(reasons, fmt.Sprintf("scheduled %s failed: min %d above max %d", a.name, nb.Min, nb.Max))
			continue
		}
		b = nb
		var set []string
		if a.min != nil {
			set = append(set, fmt.Sprintf("min %d", *a.min))
		}
		if a.max != nil {
			set = append(set, fmt.Sprintf("max %d", *a.max))
		}
		if a.desired != nil {
			desired = *a.desired
			set = append(set, fmt.Sprintf("desired %d", *a.desired))
		}
		when := fmt.Sprintf("at %v", a.at)
		if !a.once {
			when = fmt.Sprintf("(%s)", a.cron)
		}
		reasons = append(reasons, fmt.Sprintf("scheduled %s %s: %s", a.name, when, strings.Join(set, ", ")))
	}
	return b, desired, reasons
}
