package strategies

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// DefaultAlarmDatapoints is the M of N of a step or simple policy's alarm
// when not set: 1 of 1. The user creates these alarms (docs/aws-behaviour.md
// §1.4) and CloudWatch has no default shape; one datapoint of one period
// is the console's starting point and the most responsive choice.
const DefaultAlarmDatapoints = 1

// StepBand is one step adjustment: the band of (metric − threshold) it
// covers, with −∞ and +∞ for open ends, and its adjustment. Above the
// threshold Lower is inclusive and Upper exclusive; below it the reverse
// (docs/aws-behaviour.md §1.4).
type StepBand struct {
	Lower, Upper float64
	Adjustment   int
}

// contains reports whether diff = metric − threshold falls in the band.
func (s StepBand) contains(diff float64, above bool) bool {
	if above {
		return s.Lower <= diff && diff < s.Upper
	}
	return s.Lower < diff && diff <= s.Upper
}

// format writes the band with its open and closed ends, e.g. "[10, 20)"
// above the threshold and "(−20, −10]" below it.
func (s StepBand) format(above bool) string {
	f := func(x float64) string {
		switch {
		case math.IsInf(x, 1):
			return "+∞"
		case math.IsInf(x, -1):
			return "−∞"
		}
		return strconv.FormatFloat(x, 'g', 6, 64)
	}
	if above {
		return "[" + f(s.Lower) + ", " + f(s.Upper) + ")"
	}
	return "(" + f(s.Lower) + ", " + f(s.Upper) + "]"
}

// StepScaling is a step scaling policy (docs/aws-behaviour.md §1.4): an alarm
// the user defines on a metric and a list of step adjustments keyed by how
// far the alarm's aggregated metric lies past the threshold. Auto Scaling
// applies the aggregation statistic (Average, its default) to the alarm's
// most recent datapoints, not to the newest one alone (ASG
// as-scaling-simple-step, "Step adjustments"): here the mean of the
// datapoints the alarm evaluates, its last EvaluationPeriods. It has no
// cooldown: while its alarm is in ALARM it acts at every decision (Auto
// Scaling re-invokes the action each minute, §1.5).
//
// An alarm that breaches above the threshold (> or >=) only scales out;
// one below (< or <=) only scales in. The adjustment applies to the
// current capacity and the result replaces the desired capacity only if it
// goes further. While scaling out, current capacity excludes instances in
// warm-up: AWS's example (§1.4, ASG as-scaling-simple-step "Instance
// warm-up"): 10 instances, desired already 11 with the 11th warming; a
// breach in the +10% band wants 10 + 1 = 11, so nothing changes (repeated
// alarms in the same band do not stack); a breach in the +30% band wants
// 10 + 3 = 13, so 2 more are added. As that capacity the policy takes the
// instances the newest datapoint covers (Period.Instances: in service and
// warmed up), so metric and capacity come from the same data; a new
// scale-out therefore needs the metric of non-warming instances past the
// threshold, as documented. While scaling in, current capacity counts the
// instances terminating (FleetView.Draining) besides those in service, so
// a breach re-invoked while an instance drains removes no more than the
// band asks (same page). Scale-in waits while instances launch or warm
// (§1.3; a scale-in cannot start while a scale-out is in progress, same
// page).
type StepScaling struct {
	metric  Metric
	alarm   MetricAlarm
	cmp     Comparison
	adjType AdjustmentType
	minMag  int
	steps   []StepBand // ascending, contiguous
	feed    periodFeed
	latest  Period
}

// NewStepScaling returns the step scaling policy c describes (Type step).
// Errors are *FieldError naming the field.
func NewStepScaling(c PolicyConfig) (*StepScaling, error) {
	a, err := newPolicyAlarm(c)
	if err != nil {
		return nil, err
	}
	s := &StepScaling{metric: a.metric, alarm: a.alarm, cmp: a.cmp, adjType: a.adjType, minMag: a.minMag}
	if s.steps, err = stepBands(c.Steps); err != nil {
		return nil, err
	}
	return s, nil
}

// policyAlarm is what step and simple policies share: a metric, an alarm
// on it and how adjustments are read.
type policyAlarm struct {
	metric  Metric
	alarm   MetricAlarm
	cmp     Comparison
	adjType AdjustmentType
	minMag  int
}

func newPolicyAlarm(c PolicyConfig) (policyAlarm, error) {
	var pa policyAlarm
	var err error
	if pa.metric, err = parseAlarmMetric(c.Metric); err != nil {
		return pa, &FieldError{Field: "metric", Msg: err.Error()}
	}
	if c.Comparison == "" {
		return pa, fieldErrorf("comparison", "required: >, >=, < or <=")
	}
	if pa.cmp, err = ParseComparison(c.Comparison); err != nil {
		return pa, &FieldError{Field: "comparison", Msg: err.Error()}
	}
	if math.IsNaN(c.Threshold) || math.IsInf(c.Threshold, 0) {
		return pa, fieldErrorf("threshold", "must be a finite number (got %v)", c.Threshold)
	}
	n := c.EvaluationPeriods
	if n == 0 {
		n = max(DefaultAlarmDatapoints, c.DatapointsToAlarm)
	}
	if n < 1 || n > MaxEvaluationPeriods {
		return pa, fieldErrorf("evaluation_periods", "must be from 1 to %d (got %d)", MaxEvaluationPeriods, c.EvaluationPeriods)
	}
	m := c.DatapointsToAlarm
	if m == 0 {
		m = n // CloudWatch: DatapointsToAlarm defaults to EvaluationPeriods
	}
	if m < 1 || m > n {
		return pa, fieldErrorf("datapoints_to_alarm", "must be from 1 to evaluation_periods (%d) (got %d)", n, c.DatapointsToAlarm)
	}
	if c.AdjustmentType == "" {
		return pa, fieldErrorf("adjustment_type", "required: change_in_capacity, exact_capacity or percent_change_in_capacity")
	}
	if pa.adjType, err = ParseAdjustmentType(c.AdjustmentType); err != nil {
		return pa, &FieldError{Field: "adjustment_type", Msg: err.Error()}
	}
	if c.MinAdjustmentMagnitude < 0 {
		return pa, fieldErrorf("min_adjustment_magnitude", "must be >= 0 (got %d)", c.MinAdjustmentMagnitude)
	}
	if c.MinAdjustmentMagnitude > 0 && pa.adjType != PercentChangeInCapacity {
		return pa, fieldErrorf("min_adjustment_magnitude", "applies only to percent_change_in_capacity (adjustment_type is %s)", pa.adjType)
	}
	pa.minMag = c.MinAdjustmentMagnitude
	if pa.alarm, err = NewMetricAlarm(c.Threshold, pa.cmp, m, n); err != nil {
		return pa, &FieldError{Field: "evaluation_periods", Msg: err.Error()}
	}
	return pa, nil
}

// stepBands validates step adjustments as Auto Scaling does
// (ASG as-scaling-simple-step): at most MaxStepAdjustments; no step open
// at both ends; at most one open lower and one open upper bound; a
// negative lower bound needs an open lower bound somewhere, a positive
// upper bound an open upper bound; no overlap and no gap.
func stepBands(cs []StepConfig) ([]StepBand, error) {
	if len(cs) == 0 || len(cs) > MaxStepAdjustments {
		return nil, fieldErrorf("steps", "must have 1 to %d step adjustments (got %d)", MaxStepAdjustments, len(cs))
	}
	type indexed struct {
		StepBand
		i int
	}
	bands := make([]indexed, len(cs))
	openLow, openHigh, negLow, posHigh := -1, -1, false, false
	for i, c := range cs {
		f := func(k string) string { return "steps." + strconv.Itoa(i) + "." + k }
		b := StepBand{Lower: math.Inf(-1), Upper: math.Inf(1), Adjustment: c.Adjustment}
		if c.Lower == nil && c.Upper == nil {
			return nil, fieldErrorf(f("lower"), "a step needs a lower or an upper bound")
		}
		if c.Lower != nil {
			if math.IsNaN(*c.Lower) || math.IsInf(*c.Lower, 0) {
				return nil, fieldErrorf(f("lower"), "must be finite (got %v); leave it out for −∞", *c.Lower)
			}
			b.Lower, negLow = *c.Lower, negLow || *c.Lower < 0
		} else if openLow >= 0 {
			return nil, fieldErrorf(f("lower"), "only one step may leave its lower bound out (step %d does too)", openLow)
		} else {
			openLow = i
		}
		if c.Upper != nil {
			if math.IsNaN(*c.Upper) || math.IsInf(*c.Upper, 0) {
				return nil, fieldErrorf(f("upper"), "must be finite (got %v); leave it out for +∞", *c.Upper)
			}
			b.Upper, posHigh = *c.Upper, posHigh || *c.Upper > 0
		} else if openHigh >= 0 {
			return nil, fieldErrorf(f("upper"), "only one step may leave its upper bound out (step %d does too)", openHigh)
		} else {
			openHigh = i
		}
		if b.Lower >= b.Upper {
			return nil, fieldErrorf(f("upper"), "must be above lower (%v) (got %v)", b.Lower, b.Upper)
		}
		bands[i] = indexed{b, i}
	}
	if negLow && openLow < 0 {
		return nil, fieldErrorf("steps", "a step has a negative lower bound, so one step must leave its lower bound out (−∞)")
	}
	if posHigh && openHigh < 0 {
		return nil, fieldErrorf("steps", "a step has a positive upper bound, so one step must leave its upper bound out (+∞)")
	}
	sort.SliceStable(bands, func(i, j int) bool { return bands[i].Lower < bands[j].Lower })
	out := make([]StepBand, len(bands))
	for k, b := range bands {
		if k > 0 && b.Lower != bands[k-1].Upper {
			what := "overlaps"
			if b.Lower > bands[k-1].Upper {
				what = "leaves a gap after"
			}
			return nil, fieldErrorf("steps."+strconv.Itoa(b.i)+".lower",
				"step %s %s step %d %s", b.format(true), what, bands[k-1].i, bands[k-1].format(true))
		}
		out[k] = b.StepBand
	}
	return out, nil
}

// Name implements Policy, e.g. "step scaling cpu > 50".
func (s *StepScaling) Name() string {
	return fmt.Sprintf("step scaling %s %s %s", s.metric, symbol(s.cmp), strconv.FormatFloat(s.alarm.Threshold(), 'g', 6, 64))
}

// JointScaleIn implements Policy: false, a step policy acts on its own
// alarm (docs/aws-behaviour.md §1.2).
func (s *StepScaling) JointScaleIn() bool { return false }

// Propose implements Policy.
func (s *StepScaling) Propose(obs Observation, b Bounds) Proposal {
	observe(&s.feed, &s.alarm, s.metric, &s.latest, obs.Periods)
	cur := obs.Fleet.Desired
	if s.alarm.State() != Alarm {
		return Proposal{Reason: fmt.Sprintf("%s: alarm %s", s.Name(), s.alarm.State())}
	}
	diff := s.alarm.Mean() - s.alarm.Threshold()
	var band StepBand
	found := false
	for _, st := range s.steps {
		if st.contains(diff, s.cmp.Above()) {
			band, found = st, true
			break
		}
	}
	head := fmt.Sprintf("%s: %s", s.Name(), s.alarm.Describe())
	if !found {
		return Proposal{Reason: fmt.Sprintf("%s; no step covers metric − threshold = %.1f", head, diff)}
	}
	adj := Adjustment{Type: s.adjType, Value: band.Adjustment, MinMagnitude: s.minMag}
	f := obs.Fleet
	capacity := s.latest.Instances
	if !s.cmp.Above() {
		capacity = max(f.InService-f.Warming, 0) + f.Draining
	}
	next := StepAdjustment(capacity, adj)
	step := fmt.Sprintf("step %s: %s", band.format(s.cmp.Above()), describeAdjustment(capacity, adj, next))
	if s.alarm.Evaluated() > 1 {
		step = fmt.Sprintf("mean %s; %s", strconv.FormatFloat(s.alarm.Mean(), 'f', 1, 64), step)
	}
	if s.cmp.Above() {
		return directed(cur, b.Clamp(max(cur, next)), head+"; "+step)
	}
	if next < cur && (f.Pending > 0 || f.Warming > 0) {
		return Proposal{Reason: fmt.Sprintf("%s; %s; scale-in blocked while %d instances launch and %d warm up",
			head, step, f.Pending, f.Warming)}
	}
	if f.Draining > 0 {
		step += fmt.Sprintf(", counting %d terminating", f.Draining)
	}
	return directed(cur, b.Clamp(min(cur, next)), head+"; "+step)
}

// observe feeds the new periods to a policy's single alarm.
func observe(f *periodFeed, a *MetricAlarm, m Metric, latest *Period, ps []Period) {
	f.each(ps, func(p Period, gap bool) {
		if gap {
			a.Reset()
		}
		ok := m.Has(p)
		a.Observe(m.Value(p), ok)
		if ok {
			*latest = p
		}
	})
}

// directed is propose with the outcome appended to the reason.
func directed(cur, want int, reason string) Proposal {
	if want == cur {
		return propose(cur, want, fmt.Sprintf("%s; desired stays %d", reason, cur))
	}
	return propose(cur, want, fmt.Sprintf("%s → desired %d→%d", reason, cur, want))
}

// describeAdjustment writes what an adjustment does to capacity.
func describeAdjustment(capacity int, a Adjustment, next int) string {
	switch a.Type {
	case ExactCapacity:
		return fmt.Sprintf("exact capacity %d", a.Value)
	case PercentChangeInCapacity:
		return fmt.Sprintf("%+d%% of %d = %+d (capacity %d)", a.Value, capacity, next-capacity, next)
	}
	return fmt.Sprintf("%+d of %d (capacity %d)", a.Value, capacity, next)
}

// symbol returns a comparison's operator.
func symbol(c Comparison) string {
	switch c {
	case GreaterThan:
		return ">"
	case GreaterThanOrEqual:
		return ">="
	case LessThan:
		return "<"
	case LessThanOrEqual:
		return "<="
	}
	return "?"
}
