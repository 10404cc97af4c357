package strategies

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// Vertical defaults. AWS has no managed vertical scaling of EC2: these
// mirror target tracking's alarms (docs/aws-behaviour.md §1.2, unconfirmed
// there too) and simple scaling's cooldown (§1.5), and are tunable.
const (
	// DefaultScaleUpCPU is the CPU percentage above which the instance
	// grows one rung.
	DefaultScaleUpCPU = 70.0
	// DefaultScaleDownCPU is the CPU percentage below which it shrinks one
	// rung.
	DefaultScaleDownCPU = 30.0
	// DefaultUpDatapoints is the up alarm's M of M, as AlarmHigh's 3 of 3.
	DefaultUpDatapoints = 3
	// DefaultDownDatapoints is the down alarm's M of M, as AlarmLow's 15 of 15.
	DefaultDownDatapoints = 15
	// DefaultVerticalCooldown is the wait after a resize has finished
	// before the next, DefaultCooldown's 300 s: long enough for the
	// resized instance's datapoints to fill the up alarm's window.
	DefaultVerticalCooldown = DefaultCooldown
)

// VerticalConfig configures a Vertical strategy. Plain data with
// YAML-style tags; NewVertical validates it and applies the defaults.
type VerticalConfig struct {
	Name string `yaml:"name"` // strategy name; required
	// Ladder lists the instance types from smallest to largest, no
	// repeats; required. Whether the catalog knows them, and their order,
	// is the caller's to check.
	Ladder []string `yaml:"ladder"`
	// Initial is the starting rung's type; "" means Ladder[0].
	Initial string `yaml:"initial"`
	// ScaleUpCPU and ScaleDownCPU are the alarm thresholds in percent,
	// 0 <= down < up <= 100; 0 means DefaultScaleUpCPU (70) and
	// DefaultScaleDownCPU (30).
	ScaleUpCPU   float64 `yaml:"scale_up_cpu"`
	ScaleDownCPU float64 `yaml:"scale_down_cpu"`
	// UpDatapoints and DownDatapoints are the alarms' M of M, 1 to
	// MaxEvaluationPeriods; 0 means 3 and 15.
	UpDatapoints   int `yaml:"up_datapoints"`
	DownDatapoints int `yaml:"down_datapoints"`
	// Cooldown is the wait after a resize finishes, 0 to MaxCooldown; nil
	// means DefaultVerticalCooldown (300 s).
	Cooldown *sim.Duration `yaml:"cooldown"`
}

// Vertical resizes a single instance along a ladder of instance types
// (docs/aws-behaviour.md §4). It grows one rung when CPU is above ScaleUpCPU for
// 3 of 3 datapoints and shrinks one rung when it is below ScaleDownCPU for
// 15 of 15. A resize stops the instance (§4.1: a full outage), so after
// deciding one it does nothing until the fleet shows the new type with no
// instance pending or draining, then waits the cooldown. Datapoints from
// before the resize describe another instance type: the alarms restart
// from the first period that begins after the decision. At the top of the
// ladder an up alarm cannot be served; the decision keeps the type, its
// reason says "ceiling", and CeilingHits counts those decisions.
type Vertical struct {
	name           string
	ladder         []string
	rung           int
	up, down       MetricAlarm
	cooldown       sim.Duration
	feed           periodFeed
	resizing       bool     // a resize was decided and has not been seen finished
	since          sim.Time // ignore periods starting before this
	coolUntil      sim.Time
	ceilingHits    int
	upCPU, downCPU float64
}

// NewVertical validates c, applies its defaults and returns the strategy.
// A validation error is a *FieldError wrapped with the strategy's name.
func NewVertical(c VerticalConfig) (*Vertical, error) {
	v, err := newVertical(c)
	if err != nil {
		return nil, fmt.Errorf("vertical strategy %s: %w", c.Name, err)
	}
	return v, nil
}

func newVertical(c VerticalConfig) (*Vertical, error) {
	if c.Name == "" {
		return nil, fieldErrorf("name", "required")
	}
	if len(c.Ladder) == 0 {
		return nil, fieldErrorf("ladder", "required: instance types from smallest to largest")
	}
	v := &Vertical{name: c.Name, ladder: append([]string(nil), c.Ladder...), rung: -1,
		upCPU: DefaultScaleUpCPU, downCPU: DefaultScaleDownCPU, cooldown: DefaultVerticalCooldown}
	for i, t := range c.Ladder {
		if t == "" {
			return nil, fieldErrorf(fmt.Sprintf("ladder.%d", i), "empty instance type")
		}
		for j := range i {
			if c.Ladder[j] == t {
				return nil, fieldErrorf(fmt.Sprintf("ladder.%d", i), "%s repeats ladder.%d", t, j)
			}
		}
		if t == c.Initial || (c.Initial == "" && i == 0) {
			v.rung = i
		}
	}
	if v.rung < 0 {
		return nil, fieldErrorf("initial", "%q is not in the ladder", c.Initial)
	}
	if c.ScaleUpCPU != 0 {
		v.upCPU = c.ScaleUpCPU
	}
	if c.ScaleDownCPU != 0 {
		v.downCPU = c.ScaleDownCPU
	}
	if !(v.upCPU > 0 && v.upCPU <= 100) {
		return nil, fieldErrorf("scale_up_cpu", "must be a percentage in (0, 100] (got %v)", c.ScaleUpCPU)
	}
	if !(v.downCPU >= 0 && v.downCPU < v.upCPU) {
		return nil, fieldErrorf("scale_down_cpu", "must be from 0 to below scale_up_cpu (%v) (got %v)", v.upCPU, c.ScaleDownCPU)
	}
	upN, err := datapoints("up_datapoints", c.UpDatapoints, DefaultUpDatapoints)
	if err != nil {
		return nil, err
	}
	downN, err := datapoints("down_datapoints", c.DownDatapoints, DefaultDownDatapoints)
	if err != nil {
		return nil, err
	}
	if c.Cooldown != nil {
		if *c.Cooldown < 0 || *c.Cooldown > MaxCooldown {
			return nil, fieldErrorf("cooldown", "must be from 0 to %v (got %v)", MaxCooldown, *c.Cooldown)
		}
		v.cooldown = *c.Cooldown
	}
	if v.up, err = NewMetricAlarm(v.upCPU, GreaterThan, upN, upN); err != nil {
		return nil, err
	}
	if v.down, err = NewMetricAlarm(v.downCPU, LessThan, downN, downN); err != nil {
		return nil, err
	}
	return v, nil
}

// Name implements Strategy.
func (v *Vertical) Name() string { return v.name }

// Interval implements Strategy: alarms are evaluated every minute.
func (v *Vertical) Interval() sim.Duration { return DefaultEvaluationInterval }

// Initial implements Strategy: one instance of the initial rung.
func (v *Vertical) Initial() Decision {
	return Decision{Desired: 1, InstanceType: v.ladder[v.rung], Reason: "initial type " + v.ladder[v.rung]}
}

// CeilingHits returns how many decisions found the up alarm in ALARM at
// the top of the ladder: minutes the instance needed a larger type that
// the ladder does not have.
func (v *Vertical) CeilingHits() int { return v.ceilingHits }

// Decide implements Strategy.
func (v *Vertical) Decide(obs Observation) Decision {
	v.feed.each(obs.Periods, func(p Period, gap bool) {
		if p.Start < v.since {
			return
		}
		if gap {
			v.up.Reset()
			v.down.Reset()
		}
		ok := hasData(p)
		v.up.Observe(p.CPU, ok)
		v.down.Observe(p.CPU, ok)
	})
	cur := v.ladder[v.rung]
	hold := func(format string, args ...any) Decision {
		return Decision{Desired: 1, InstanceType: cur, Reason: fmt.Sprintf("vertical "+format, args...)}
	}
	f := obs.Fleet
	if v.resizing {
		if (f.InstanceType != "" && f.InstanceType != cur) || f.Pending > 0 || f.Starting > 0 || f.Draining > 0 {
			return hold("%s: resize to %s in progress", cur, cur)
		}
		v.resizing, v.coolUntil = false, obs.Now.Add(v.cooldown)
	}
	top := v.rung == len(v.ladder)-1
	if v.up.State() == Alarm && top {
		v.ceilingHits++
		return hold("%s: ceiling: up alarm %s at the top of the ladder", cur, v.up.Describe())
	}
	if obs.Now < v.coolUntil {
		return hold("%s: in cooldown for %v more", cur, v.coolUntil.Sub(obs.Now))
	}
	switch {
	case v.up.State() == Alarm:
		return v.resize(obs.Now, v.rung+1, "up alarm "+v.up.Describe())
	case v.down.State() == Alarm && v.rung > 0:
		return v.resize(obs.Now, v.rung-1, "down alarm "+v.down.Describe())
	case v.down.State() == Alarm:
		return hold("%s: down alarm %s at the bottom of the ladder", cur, v.down.Describe())
	}
	return hold("%s: up alarm %s, down alarm %s", cur, v.up.State(), v.down.State())
}

// resize moves to rung and restarts the alarms.
func (v *Vertical) resize(now sim.Time, rung int, why string) Decision {
	from := v.ladder[v.rung]
	v.rung, v.resizing, v.since = rung, true, now
	v.up.Reset()
	v.down.Reset()
	return Decision{Desired: 1, InstanceType: v.ladder[rung],
		Reason: fmt.Sprintf("vertical %s: %s → resize %s→%s", from, why, from, v.ladder[rung])}
}
