package strategies

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxEvaluationPeriods is the most datapoints an alarm's window holds.
// CloudWatch bounds an alarm's evaluation range to a day for periods under
// an hour: 1440 one-minute periods (docs/aws-behaviour.md §2.3).
const MaxEvaluationPeriods = 1440

// Comparison is how an alarm compares a datapoint with its threshold.
type Comparison int

// The CloudWatch comparison operators (docs/aws-behaviour.md §2.3).
const (
	GreaterThan        Comparison = iota + 1 // GreaterThanThreshold, ">"
	GreaterThanOrEqual                       // GreaterThanOrEqualToThreshold, ">="
	LessThan                                 // LessThanThreshold, "<"
	LessThanOrEqual                          // LessThanOrEqualToThreshold, "<="
)

// ParseComparison returns the comparison written s: ">", ">=", "<", "<="
// or CloudWatch's name (GreaterThanThreshold, ...).
func ParseComparison(s string) (Comparison, error) {
	switch s {
	case ">", "GreaterThanThreshold":
		return GreaterThan, nil
	case ">=", "GreaterThanOrEqualToThreshold":
		return GreaterThanOrEqual, nil
	case "<", "LessThanThreshold":
		return LessThan, nil
	case "<=", "LessThanOrEqualToThreshold":
		return LessThanOrEqual, nil
	}
	return 0, fmt.Errorf("unknown comparison %q: use >, >=, < or <=", s)
}

// Above reports whether the comparison breaches above the threshold.
func (c Comparison) Above() bool { return c == GreaterThan || c == GreaterThanOrEqual }

// Breaches reports whether value breaches threshold under c.
func (c Comparison) Breaches(value, threshold float64) bool {
	switch c {
	case GreaterThan:
		return value > threshold
	case GreaterThanOrEqual:
		return value >= threshold
	case LessThan:
		return value < threshold
	case LessThanOrEqual:
		return value <= threshold
	}
	return false
}

// String returns the operator's words, as used in decision reasons.
func (c Comparison) String() string {
	switch c {
	case GreaterThan:
		return "above"
	case GreaterThanOrEqual:
		return "at or above"
	case LessThan:
		return "below"
	case LessThanOrEqual:
		return "at or below"
	}
	return "Comparison(" + strconv.Itoa(int(c)) + ")"
}

// AlarmState is a CloudWatch alarm state.
type AlarmState int

// The three alarm states (docs/aws-behaviour.md §2.3).
const (
	InsufficientData AlarmState = iota // too few real datapoints to decide
	OK                                 // enough datapoints, fewer than M breaching
	Alarm                              // at least M of the last N datapoints breaching
)

// String returns CloudWatch's name of the state.
func (s AlarmState) String() string {
	switch s {
	case InsufficientData:
		return "INSUFFICIENT_DATA"
	case OK:
		return "OK"
	case Alarm:
		return "ALARM"
	}
	return "AlarmState(" + strconv.Itoa(int(s)) + ")"
}

// MetricAlarm is an M-of-N CloudWatch alarm over a sliding window of the
// last N datapoints (docs/aws-behaviour.md §2.3): it is in ALARM when at least M
// (DatapointsToAlarm) of the last N (EvaluationPeriods) datapoints breach
// the threshold, OK when fewer do, and INSUFFICIENT_DATA while the window
// holds fewer than N real datapoints. Missing data is treated as
// "missing", CloudWatch's default: it is never read as breaching or not
// breaching. A simplification: CloudWatch would widen the evaluation range
// to look past a gap, while here a missing datapoint keeps the alarm in
// INSUFFICIENT_DATA until N real datapoints follow it, so no action is
// taken on partial data.
//
// Feed it each new period once, with Observe. Its window is a slice: copy
// an alarm only before its first Observe.
type MetricAlarm struct {
	threshold  float64
	cmp        Comparison
	m, n       int
	win        []float64 // ring of the last n datapoints; NaN is missing
	next, size int
	state      AlarmState
}

// NewMetricAlarm returns an alarm in INSUFFICIENT_DATA that goes to ALARM
// when datapoints of the last evaluationPeriods breach threshold under cmp.
func NewMetricAlarm(threshold float64, cmp Comparison, datapoints, evaluationPeriods int) (MetricAlarm, error) {
	switch {
	case cmp < GreaterThan || cmp > LessThanOrEqual:
		return MetricAlarm{}, fmt.Errorf("alarm: invalid comparison %d", cmp)
	case math.IsNaN(threshold) || math.IsInf(threshold, 0):
		return MetricAlarm{}, fmt.Errorf("alarm: threshold must be finite, got %v", threshold)
	case evaluationPeriods < 1 || evaluationPeriods > MaxEvaluationPeriods:
		return MetricAlarm{}, fmt.Errorf("alarm: evaluation periods must be from 1 to %d, got %d", MaxEvaluationPeriods, evaluationPeriods)
	case datapoints < 1 || datapoints > evaluationPeriods:
		return MetricAlarm{}, fmt.Errorf("alarm: datapoints to alarm must be from 1 to the evaluation periods (%d), got %d", evaluationPeriods, datapoints)
	}
	return MetricAlarm{threshold: threshold, cmp: cmp, m: datapoints, n: evaluationPeriods,
		win: make([]float64, evaluationPeriods)}, nil
}

// Observe adds the next datapoint, missing unless ok, and returns the
// alarm's new state.
func (a *MetricAlarm) Observe(value float64, ok bool) AlarmState {
	if !ok || math.IsNaN(value) {
		value = math.NaN()
	}
	a.win[a.next] = value
	a.next = (a.next + 1) % a.n
	a.size = min(a.size+1, a.n)
	a.state = a.evaluate()
	return a.state
}

// Reset empties the window: the alarm returns to INSUFFICIENT_DATA.
func (a *MetricAlarm) Reset() {
	a.next, a.size, a.state = 0, 0, InsufficientData
}

// State returns the state after the last Observe.
func (a *MetricAlarm) State() AlarmState { return a.state }

// Threshold returns the alarm's threshold.
func (a *MetricAlarm) Threshold() float64 { return a.threshold }

// Latest returns the newest datapoint and whether it is real.
func (a *MetricAlarm) Latest() (float64, bool) {
	if a.size == 0 {
		return 0, false
	}
	v := a.win[(a.next+a.n-1)%a.n]
	return v, !math.IsNaN(v)
}

func (a *MetricAlarm) evaluate() AlarmState {
	if a.size < a.n {
		return InsufficientData
	}
	breaching := 0
	for _, v := range a.win {
		if math.IsNaN(v) {
			return InsufficientData
		}
		if a.cmp.Breaches(v, a.threshold) {
			breaching++
		}
	}
	if breaching >= a.m {
		return Alarm
	}
	return OK
}

// Evaluated returns how many datapoints the alarm evaluates, its
// EvaluationPeriods.
func (a *MetricAlarm) Evaluated() int { return a.n }

// Mean returns the mean of the real datapoints in the window, the Average
// statistic over the datapoints the alarm evaluates, or NaN when it holds
// none.
func (a *MetricAlarm) Mean() float64 {
	var sum float64
	n := 0
	for _, v := range a.values() {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// values returns the window's datapoints, oldest first.
func (a *MetricAlarm) values() []float64 {
	out := make([]float64, 0, a.size)
	for i := a.size; i > 0; i-- {
		out = append(out, a.win[(a.next+a.n-i)%a.n])
	}
	return out
}

// Describe summarises the window for a decision reason, e.g.
// "3 of 3 datapoints above 50 (72.1, 80.4, 77.9)".
func (a *MetricAlarm) Describe() string {
	vals := a.values()
	breaching := 0
	parts := make([]string, len(vals))
	for i, v := range vals {
		if math.IsNaN(v) {
			parts[i] = "missing"
			continue
		}
		if a.cmp.Breaches(v, a.threshold) {
			breaching++
		}
		parts[i] = strconv.FormatFloat(v, 'f', 1, 64)
	}
	const shown = 5 // long windows (15 of 15) show their newest values only
	if len(parts) > shown {
		parts = append([]string{"…"}, parts[len(parts)-shown:]...)
	}
	return fmt.Sprintf("%d of %d datapoints %s %s (%s)", breaching, a.n, a.cmp,
		strconv.FormatFloat(a.threshold, 'g', 6, 64), strings.Join(parts, ", "))
}
