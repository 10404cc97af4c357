package strategies

import (
	"fmt"
	"math"
	"strconv"
)

// Target tracking defaults. AWS documents none of these numbers; they are
// field observations (docs/aws-behaviour.md §1.2), so each is a tunable field of
// PolicyConfig.
const (
	// DefaultHighDatapoints is AlarmHigh's shape: 3 of 3 one-minute
	// datapoints (unconfirmed, §1.2).
	DefaultHighDatapoints = 3
	// DefaultLowDatapoints is AlarmLow's shape: 15 of 15 one-minute
	// datapoints (unconfirmed, §1.2).
	DefaultLowDatapoints = 15
	// DefaultScaleInFactor places AlarmLow at 0.9 × target: AWS says only
	// that scale-in waits until the metric is clearly, "usually more than
	// about 10%", below target (unconfirmed, §1.2).
	DefaultScaleInFactor = 0.9
)

// TargetTracking is a target tracking scaling policy (docs/aws-behaviour.md
// §1.2). It owns two alarms on its metric: AlarmHigh (metric > target for
// 3 of 3 datapoints) and AlarmLow (metric < 0.9 × target for 15 of 15).
// While AlarmHigh is in ALARM it scales out to
// TargetTrackingDesired(capacity, metric, target); while AlarmLow is in
// ALARM it scales in to the same estimate if that is lower, unless scale-in
// is disabled or an instance is launching or warming up (§1.3: policy
// scale-in is blocked until warm-up ends, and a scale-in cannot start
// while a scale-out is in progress). Missing data leaves both alarms in
// INSUFFICIENT_DATA: no action (§1.2, §2.3). Auto Scaling re-invokes the
// action every minute while an alarm stays in ALARM; the proposal is the
// same for the same datapoint, so that is harmless.
//
// Which capacity the estimate scales. The metric is an average over the
// instances the datapoint covers: in service and past warm-up
// (Period.Instances). That is also what AWS calls the group's current
// capacity: "while scaling out, we do not consider instances that are
// warming up as part of the current capacity" (ASG
// as-scaling-simple-step, instance warm-up). So the estimate is
// ceil(Period.Instances × metric / target), metric and capacity from the
// same datapoint. Warming and launching instances count toward desired
// instead: the proposal is max(desired, estimate) on scale-out and
// min(desired, estimate) on scale-in, so an alarm re-invoked every minute
// while launched instances boot and warm does not add them again (§1.3).
// Scaling FleetView.Desired instead would stack: desired 6 → 9 on a
// datapoint of 6 instances at 75% (target 50), then 9 → 14 a minute later
// on the same load, because the new instances are not yet in the metric.
type TargetTracking struct {
	metric         Metric
	target         float64
	disableScaleIn bool
	high, low      MetricAlarm
	feed           periodFeed
	latest         Period // newest datapoint with data
}

// NewTargetTracking returns the target tracking policy c describes (Type
// target_tracking). Errors are *FieldError naming the field.
func NewTargetTracking(c PolicyConfig) (*TargetTracking, error) {
	m, err := parseAlarmMetric(c.Metric)
	if err != nil {
		return nil, &FieldError{Field: "metric", Msg: err.Error()}
	}
	if err := checkTarget(m, c.Target); err != nil {
		return nil, err
	}
	factor := c.ScaleInFactor
	if factor == 0 {
		factor = DefaultScaleInFactor
	}
	if !(factor > 0 && factor <= 1) {
		return nil, fieldErrorf("scale_in_factor", "must be in (0, 1] (got %v)", c.ScaleInFactor)
	}
	highN, err := datapoints("high_datapoints", c.HighDatapoints, DefaultHighDatapoints)
	if err != nil {
		return nil, err
	}
	lowN, err := datapoints("low_datapoints", c.LowDatapoints, DefaultLowDatapoints)
	if err != nil {
		return nil, err
	}
	t := &TargetTracking{metric: m, target: c.Target, disableScaleIn: c.DisableScaleIn}
	if t.high, err = NewMetricAlarm(c.Target, GreaterThan, highN, highN); err != nil {
		return nil, fmt.Errorf("target tracking AlarmHigh: %w", err)
	}
	if t.low, err = NewMetricAlarm(factor*c.Target, LessThan, lowN, lowN); err != nil {
		return nil, fmt.Errorf("target tracking AlarmLow: %w", err)
	}
	return t, nil
}

// checkTarget validates a per-instance target for metric m.
func checkTarget(m Metric, target float64) error {
	switch {
	case !(target > 0) || math.IsInf(target, 0):
		return fieldErrorf("target", "must be > 0 (got %v)", target)
	case m == MetricCPU && target > 100:
		return fieldErrorf("target", "cpu is a percentage: must be at most 100 (got %v)", target)
	}
	return nil
}

// datapoints returns an alarm's M of M, defaulting 0 to def.
func datapoints(field string, n, def int) (int, error) {
	if n == 0 {
		return def, nil
	}
	if n < 1 || n > MaxEvaluationPeriods {
		return 0, fieldErrorf(field, "must be from 1 to %d (got %d)", MaxEvaluationPeriods, n)
	}
	return n, nil
}

// Name implements Policy.
func (t *TargetTracking) Name() string { return "target tracking " + string(t.metric) }

// JointScaleIn implements Policy: true unless scale-in is disabled. Target
// tracking policies scale in together: only when every one of them with
// scale-in enabled wants to (docs/aws-behaviour.md §1.2).
func (t *TargetTracking) JointScaleIn() bool { return !t.disableScaleIn }

// Propose implements Policy.
func (t *TargetTracking) Propose(obs Observation, b Bounds) Proposal {
	t.feed.each(obs.Periods, func(p Period, gap bool) {
		if gap {
			t.high.Reset()
			t.low.Reset()
		}
		ok := t.metric.Has(p)
		v := t.metric.Value(p)
		t.high.Observe(v, ok)
		t.low.Observe(v, ok)
		if ok {
			t.latest = p
		}
	})
	cur := obs.Fleet.Desired
	switch {
	case t.high.State() == Alarm:
		est, formula := t.estimate()
		want := b.Clamp(max(cur, est))
		return propose(cur, want, t.reason("AlarmHigh", &t.high, formula, cur, want, b))
	case t.low.State() == Alarm:
		if t.disableScaleIn {
			return Proposal{Reason: t.Name() + ": AlarmLow in ALARM but scale-in is disabled"}
		}
		if f := obs.Fleet; f.Warming > 0 || f.Pending > 0 {
			return Proposal{Reason: fmt.Sprintf("%s: AlarmLow in ALARM, scale-in blocked while %d instances launch and %d warm up",
				t.Name(), f.Pending, f.Warming)}
		}
		est, formula := t.estimate()
		want := b.Clamp(min(cur, est))
		return propose(cur, want, t.reason("AlarmLow", &t.low, formula, cur, want, b))
	}
	return Proposal{Reason: fmt.Sprintf("%s: AlarmHigh %s, AlarmLow %s", t.Name(), t.high.State(), t.low.State())}
}

// estimate applies the formula to the newest datapoint.
func (t *TargetTracking) estimate() (int, string) {
	v := t.metric.Value(t.latest)
	est := TargetTrackingDesired(t.latest.Instances, v, t.target)
	return est, fmt.Sprintf("ceil(%d × %s / %s) = %d", t.latest.Instances,
		strconv.FormatFloat(v, 'f', 1, 64), strconv.FormatFloat(t.target, 'g', 6, 64), est)
}

// reason is the one-line account of an alarm's action.
func (t *TargetTracking) reason(name string, a *MetricAlarm, formula string, cur, want int, b Bounds) string {
	s := fmt.Sprintf("%s: %s %s; %s", t.Name(), name, a.Describe(), formula)
	switch {
	case want == cur && cur == b.Max && name == "AlarmHigh":
		return s + fmt.Sprintf("; desired stays %d (max)", cur)
	case want == cur && cur == b.Min && name == "AlarmLow":
		return s + fmt.Sprintf("; desired stays %d (min)", cur)
	case want == cur:
		return s + fmt.Sprintf("; desired stays %d", cur)
	case want == b.Max && want > cur:
		return s + fmt.Sprintf(" → desired %d→%d (max)", cur, want)
	case want == b.Min && want < cur:
		return s + fmt.Sprintf(" → desired %d→%d (min)", cur, want)
	}
	return s + fmt.Sprintf(" → desired %d→%d", cur, want)
}

// TargetTrackingDesired returns the capacity that brings metric back to
// target: ceil(current × metric / target) (docs/aws-behaviour.md §1.2; the
// formula is inferred, not documented). Rounding up adds 2 instances when
// 1.5 are missing and removes 1 when 1.5 are surplus, both as documented.
// A product within one part in 10⁹ of an integer counts as that integer,
// so 10 × 55 / 55 is 10, not 11. Non-positive current or target, or a
// metric that is not a finite non-negative number, return current
// unchanged.
func TargetTrackingDesired(current int, metric, target float64) int {
	if current <= 0 || !(target > 0) || !(metric >= 0) || math.IsInf(metric, 0) || math.IsInf(target, 0) {
		return max(current, 0)
	}
	return ceilRatio(float64(current)*metric, target)
}

// ceilRatio returns ceil(x / y) for x >= 0, y > 0, treating a quotient
// within one part in 10⁹ of an integer as that integer and saturating at
// math.MaxInt32.
func ceilRatio(x, y float64) int {
	q := x / y
	if q > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(math.Ceil(q - 1e-9*max(1, q)))
}
