package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
	"github.com/scalesim/scalesim/workloads"
)

// DefaultTimeZone is the time zone of a scheduled action's recurrence
// when it sets none: UTC, as AWS names it (docs/aws-behaviour.md §1.6).
const DefaultTimeZone = "Etc/UTC"

// HorizontalSpec is a horizontal strategy's keys: an EC2 Auto Scaling
// group behind the load balancer (docs/aws-behaviour.md §1), its desired
// capacity moved by scaling policies and scheduled actions.
type HorizontalSpec struct {
	InstanceType string `yaml:"instance_type"` // required
	Min          int    `yaml:"min"`           // 0 to MaxFleet; required
	Max          int    `yaml:"max"`           // max(1, min) to MaxFleet; required
	// Initial is the instance count at time zero (min to max, default
	// min).
	Initial Initial `yaml:"initial"`
	// InstanceWarmup is the group's DefaultInstanceWarmup, 0 to 3600s; not
	// set by default, as in AWS (docs/aws-behaviour.md §1.3).
	InstanceWarmup *sim.Duration `yaml:"instance_warmup"`
	// DefaultCooldown is the group's default cooldown (default 300s, 0 to
	// strategies.MaxCooldown; §1.5).
	DefaultCooldown sim.Duration `yaml:"default_cooldown"`
	// WarmPool keeps pre-initialised, stopped instances beside the group,
	// which a scale-out takes before launching cold ones
	// (docs/aws-behaviour.md §1.11). Absent, the default, means no pool.
	WarmPool *WarmPoolSpec `yaml:"warm_pool"`
	// Policy and Policies are the group's scaling policies and scheduled
	// actions: one in policy, or several in policies; exactly one of the
	// two keys.
	Policy   PolicySpec   `yaml:"policy,omitempty"`
	Policies []PolicySpec `yaml:"policies,omitempty"`

	poolStart models.Sampler // warm_pool.start, built by Check
}

// WarmPoolSpec is a horizontal strategy's warm pool (docs/aws-behaviour.md
// §1.11). A launch takes a pool instance when one is ready: it only starts
// (Start) and passes the health checks, instead of booting and loading the
// model. The pool refills in the background, each refill running, and
// billed at the instance's price, for a boot and a model load before it
// stops.
type WarmPoolSpec struct {
	// Size is the number of instances kept ready, 0 to the group's max.
	// Required.
	Size int `yaml:"size"`
	// Start is the time from a pool instance's start to its model being
	// loaded, a distribution block like service.time (default
	// deterministic DefaultWarmPoolStart, 30s: AWS says pre-initialised
	// instances can serve in "as little as about 30 s", §1.11). Its mean is
	// at most MaxLifecycleMean.
	Start TimeSpec `yaml:"start"`
	// StoppedUSDHour is what one stopped pool instance costs per hour: its
	// EBS volumes, as AWS bills a stopped instance (§1.11). Default
	// DefaultWarmPoolStoppedUSDHour, 0.011; 0 to MaxPriceUSD.
	StoppedUSDHour float64 `yaml:"stopped_usd_hour"`
}

// flowStyle writes a warm pool on one line.
func (WarmPoolSpec) flowStyle() bool { return true }

// Initial is the value of a strategy's initial key: an instance count for a
// horizontal strategy, an instance type for a vertical one. It is kept as
// written and checked by the family.
type Initial string

// PolicySpec is one scaling policy or set of scheduled actions of a
// horizontal strategy. Its keys are exactly strategies.PolicyConfig's yaml
// names; Type selects which apply (see policyKeys):
//
//	target_tracking: metric, target, disable_scale_in, scale_in_factor,
//	                 high_datapoints, low_datapoints, estimated_instance_warmup
//	step:            metric, threshold, comparison, datapoints_to_alarm,
//	                 evaluation_periods, adjustment_type, steps,
//	                 min_adjustment_magnitude, estimated_instance_warmup
//	simple:          metric, threshold, comparison, datapoints_to_alarm,
//	                 evaluation_periods, adjustment_type, adjustment,
//	                 min_adjustment_magnitude, cooldown
//	scheduled:       actions: each at or recurrence (with time_zone),
//	                 and min, max, desired
//	predictive:      metric, target, mode, scheduling_buffer_time,
//	                 lookback_days, max_capacity_breach_behavior,
//	                 max_capacity_buffer, history: {path, column}
//
// A predictive policy's history (none by default) is a CloudWatch
// get-metric-data export of the group's total load before the scenario's
// start, read relative to the scenario file: for request_count_per_target
// the target group's RequestCount Sum per period, for cpu the group's
// CPUUtilization Sum (CPU percent summed over instances, AWS's
// ASGTotalCPUUtilization). With 24 hours of it or more the policy
// forecasts from the first hour (docs/aws-behaviour.md §1.7).
//
// A predictive policy's mode is forecast_only unless forecast_and_scale
// is asked for, as in AWS: forecast_only never changes the capacity, and
// the run's notes say so.
//
// Metrics are cpu, request_count_per_target (requests_per_target is read
// as it), in_flight and queue_length. Load writes every default out, so a
// resolved policy states its alarm shapes.
type PolicySpec = strategies.PolicyConfig

// Check implements FamilySpec: the group's bounds, warm pool and policies,
// then the group is built once so that whatever strategies.NewHorizontal
// rejects is reported at load time.
func (h *HorizontalSpec) Check(c *Checker) error {
	if err := c.InstanceType("instance_type", h.InstanceType); err != nil {
		return err
	}
	for _, k := range []string{"min", "max"} {
		if err := c.Required(k, "a horizontal strategy takes instance_type, min, max and policy (or policies)"); err != nil {
			return err
		}
	}
	if err := c.Count("min", h.Min, 0, MaxFleet, ""); err != nil {
		return err
	}
	if h.Max < h.Min {
		return c.Error("max", fmt.Sprintf("must be at least min (%d) (got %d)", h.Min, h.Max), "raise max or lower min")
	}
	if err := c.Count("max", h.Max, max(1, h.Min), MaxFleet, "max must be ≥ min and ≥ 1"); err != nil {
		return err
	}
	if !c.Has("initial") {
		h.Initial = Initial(strconv.Itoa(h.Min))
	}
	n, err := strconv.Atoi(string(h.Initial))
	if err != nil {
		return c.Error("initial", fmt.Sprintf("want a whole number of instances (got %q)", clip(string(h.Initial))), "a horizontal strategy starts from a count, e.g. initial: 2")
	}
	if err := c.Count("initial", n, h.Min, h.Max, "initial lies between min and max"); err != nil {
		return err
	}
	h.Initial = Initial(strconv.Itoa(n))
	if h.InstanceWarmup != nil {
		if err := c.Between("instance_warmup", *h.InstanceWarmup, 0, strategies.MaxInstanceWarmup,
			"AWS's DefaultInstanceWarmup ranges over 0s to 3600s; leave it out for not set"); err != nil {
			return err
		}
	}
	c.DefaultDuration("default_cooldown", &h.DefaultCooldown, strategies.DefaultCooldown)
	if err := c.Between("default_cooldown", h.DefaultCooldown, 0, strategies.MaxCooldown, "AWS's default is 300s"); err != nil {
		return err
	}
	if err := h.checkWarmPool(c); err != nil {
		return err
	}
	if err := h.checkPolicies(c); err != nil {
		return err
	}
	if _, err := strategies.NewHorizontal(h.config(c.name, c.Start())); err != nil {
		if len(h.Policies) == 0 {
			err = underPolicy(err)
		}
		return c.FieldError(err, horizontalHint)
	}
	return nil
}

// underPolicy renames the field of a *strategies.FieldError about the
// first policy ("policies.0.target") to the key the file wrote it under
// when it has one policy ("policy.target").
func underPolicy(err error) error {
	var fe *strategies.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	switch {
	case fe.Field == "policies" || fe.Field == "policies.0":
		return &strategies.FieldError{Field: "policy", Msg: fe.Msg}
	case strings.HasPrefix(fe.Field, "policies.0."):
		return &strategies.FieldError{Field: "policy." + strings.TrimPrefix(fe.Field, "policies.0."), Msg: fe.Msg}
	}
	return err
}

// horizontalHint is the advice given with an error of the strategies
// package about a horizontal strategy's key.
func horizontalHint(key string) string {
	switch key {
	case "steps", "lower", "upper", "adjustment":
		return "steps cover metric − threshold without gaps or overlaps; leave lower out for −∞ and upper for +∞"
	case "actions", "at", "recurrence", "min", "max", "desired", "name":
		return `each action sets at (a time) or recurrence (a cron line such as "0 9 * * 1-5") and at least one of min, max and desired`
	case "time_zone":
		return "a recurrence's time_zone is an IANA name such as America/New_York or Europe/Paris; leave it out for UTC"
	case "target":
		return "cpu is a percentage of busy worker slots; request_count_per_target counts requests per instance per minute"
	case "history":
		return "export at least 24 h of the group's load up to the scenario's start (up to 14 days), or move start to the export's end"
	}
	return ""
}

// checkWarmPool checks the group's warm pool, when it has one, filling its
// defaults and building its start-time sampler.
func (h *HorizontalSpec) checkWarmPool(c *Checker) error {
	wp := h.WarmPool
	if wp == nil {
		return nil
	}
	if err := c.Required("warm_pool.size", fmt.Sprintf("set the instances kept ready, 0 to max (%d), e.g. size: 2", h.Max)); err != nil {
		return err
	}
	if err := c.Count("warm_pool.size", wp.Size, 0, h.Max, "a pool holds at most the group's max instances"); err != nil {
		return err
	}
	start, err := c.Dist("warm_pool.start", &wp.Start, &TimeSpec{Dist: "deterministic", Value: DefaultWarmPoolStart}, MaxLifecycleMean)
	if err != nil {
		return err
	}
	h.poolStart = start
	c.DefaultFloat("warm_pool.stopped_usd_hour", &wp.StoppedUSDHour, DefaultWarmPoolStoppedUSDHour)
	return c.Number("warm_pool.stopped_usd_hour", wp.StoppedUSDHour, 0, MaxPriceUSD,
		"US dollars per hour for a stopped instance's EBS volumes; 100 GB of gp3 is about 0.011")
}

// checkPolicies checks the group's policy or policies: exactly one of the
// two keys.
func (h *HorizontalSpec) checkPolicies(c *Checker) error {
	v, p := c.v, c.path
	one, many := child(p, "policy"), child(p, "policies")
	switch {
	case v.has(one) && v.has(many):
		return v.err(many, "set policy or policies, not both", "list every policy under policies, or keep the one under policy")
	case v.has(one):
		h.Policies = nil
		return v.policy(&h.Policy, one, h.DefaultCooldown)
	case !v.has(many):
		return v.err(one, "required", "add policy: {type: target_tracking, metric: cpu, target: 50}")
	}
	h.Policy = PolicySpec{}
	if len(h.Policies) == 0 || len(h.Policies) > strategies.MaxPolicies {
		return v.err(many, fmt.Sprintf("must list 1 to %d policies (got %d)", strategies.MaxPolicies, len(h.Policies)),
			"AWS allows 50 scaling policies per group")
	}
	for j := range h.Policies {
		if err := v.policy(&h.Policies[j], item(many, j), h.DefaultCooldown); err != nil {
			return err
		}
	}
	return nil
}

// policy checks one scaling policy at path p, filling its defaults; group
// is the group's default cooldown, a simple policy's default.
func (v *validator) policy(pol *PolicySpec, p string, group sim.Duration) error {
	if err := v.oneOf(child(p, "type"), "policy type", pol.Type, policyTypes()); err != nil {
		return err
	}
	if err := v.unused(p, reflect.TypeFor[PolicySpec](), policyKeys(pol.Type), "a "+pol.Type+" policy"); err != nil {
		return err
	}
	switch pol.Type {
	case strategies.PolicyTargetTracking:
		return v.targetTracking(pol, p)
	case strategies.PolicyStep, strategies.PolicySimple:
		return v.alarmPolicy(pol, p, group)
	case strategies.PolicyScheduled:
		return v.scheduled(pol, p)
	}
	return v.predictive(pol, p)
}

// metric checks a policy's metric and its target, when it takes one.
func (v *validator) metric(pol *PolicySpec, p string, target bool) error {
	if err := v.required(child(p, "metric"), "want "+orList(policyMetrics())); err != nil {
		return err
	}
	m, err := strategies.ParseMetric(pol.Metric)
	if err != nil {
		return v.err(child(p, "metric"), fmt.Sprintf("unknown metric %q", clip(pol.Metric)), didYouMean(pol.Metric, policyMetrics()))
	}
	pol.Metric = string(m) // requests_per_target is read as request_count_per_target
	if !target {
		return nil
	}
	if err := v.required(child(p, "target"), "set the metric's target value, e.g. target: 50"); err != nil {
		return err
	}
	hi := 1e12
	if m == strategies.MetricCPU {
		hi = 100
	}
	if !(pol.Target > 0 && pol.Target <= hi) {
		return v.err(child(p, "target"), fmt.Sprintf("must be > 0 and at most %s (got %s)", num(hi), num(pol.Target)),
			"cpu is a percentage of busy worker slots; request_count_per_target counts requests per instance per minute")
	}
	return nil
}

// warmup checks an optional policy warm-up.
func (v *validator) warmup(pol *PolicySpec, p string) error {
	if pol.EstimatedInstanceWarmup == nil {
		return nil
	}
	return v.between(child(p, "estimated_instance_warmup"), *pol.EstimatedInstanceWarmup, 0, strategies.MaxInstanceWarmup,
		"leave it out to use the group's instance_warmup")
}

func (v *validator) targetTracking(pol *PolicySpec, p string) error {
	if err := v.metric(pol, p, true); err != nil {
		return err
	}
	v.defaultFloat(child(p, "scale_in_factor"), &pol.ScaleInFactor, strategies.DefaultScaleInFactor)
	if !(pol.ScaleInFactor > 0 && pol.ScaleInFactor <= 1) {
		return v.err(child(p, "scale_in_factor"), fmt.Sprintf("must be in (0, 1] (got %s)", num(pol.ScaleInFactor)),
			"scale-in waits for the metric below this fraction of target (default 0.9)")
	}
	if err := v.datapoints(child(p, "high_datapoints"), &pol.HighDatapoints, strategies.DefaultHighDatapoints); err != nil {
		return err
	}
	if err := v.datapoints(child(p, "low_datapoints"), &pol.LowDatapoints, strategies.DefaultLowDatapoints); err != nil {
		return err
	}
	return v.warmup(pol, p)
}

// alarmPolicy checks a step or simple policy: a user-defined alarm and
// its adjustments.
func (v *validator) alarmPolicy(pol *PolicySpec, p string, group sim.Duration) error {
	if err := v.metric(pol, p, false); err != nil {
		return err
	}
	if err := v.required(child(p, "threshold"), "set the alarm threshold in the metric's unit, e.g. threshold: 60"); err != nil {
		return err
	}
	if !finite(pol.Threshold) {
		return v.err(child(p, "threshold"), fmt.Sprintf("must be a finite number (got %s)", num(pol.Threshold)), "set the alarm threshold in the metric's unit")
	}
	if _, err := strategies.ParseComparison(pol.Comparison); err != nil {
		hint := `want ">", ">=", "<" or "<=", quoted: comparison: ">"`
		if pol.Comparison == "" {
			return v.err(child(p, "comparison"), "required", hint)
		}
		return v.err(child(p, "comparison"), fmt.Sprintf("unknown comparison %q", clip(pol.Comparison)), hint)
	}
	dp, ep := child(p, "datapoints_to_alarm"), child(p, "evaluation_periods")
	if !v.has(ep) {
		pol.EvaluationPeriods = max(strategies.DefaultAlarmDatapoints, pol.DatapointsToAlarm)
	}
	if !v.has(dp) {
		pol.DatapointsToAlarm = pol.EvaluationPeriods // CloudWatch's default: M = N
	}
	if err := v.count(ep, pol.EvaluationPeriods, 1, strategies.MaxEvaluationPeriods, "the alarm looks at the last N datapoints"); err != nil {
		return err
	}
	if err := v.count(dp, pol.DatapointsToAlarm, 1, pol.EvaluationPeriods, "M of N: at most evaluation_periods"); err != nil {
		return err
	}
	if err := v.oneOf(child(p, "adjustment_type"), "adjustment type", pol.AdjustmentType, adjustmentTypes()); err != nil {
		return err
	}
	if err := v.count(child(p, "min_adjustment_magnitude"), pol.MinAdjustmentMagnitude, 0, MaxFleet, "0 means no floor"); err != nil {
		return err
	}
	if pol.Type == strategies.PolicyStep {
		if err := v.required(child(p, "steps"), "add steps: [{lower: 0, upper: 10, adjustment: 1}, {lower: 10, adjustment: 3}]"); err != nil {
			return err
		}
		return v.warmup(pol, p)
	}
	if err := v.required(child(p, "adjustment"), "set the adjustment, e.g. adjustment: 2"); err != nil {
		return err
	}
	if err := v.count(child(p, "adjustment"), pol.Adjustment, -MaxFleet, MaxFleet, "instances, an exact capacity or a percentage"); err != nil {
		return err
	}
	if pol.Cooldown == nil {
		cd := group
		pol.Cooldown = &cd
	}
	return v.between(child(p, "cooldown"), *pol.Cooldown, 0, strategies.MaxCooldown, "leave it out for the group's default_cooldown")
}

// scheduled checks scheduled actions, writing a recurrence's time zone
// out (Etc/UTC unless set, as in AWS); their times, cron lines and time
// zones are checked by strategies.NewHorizontal.
func (v *validator) scheduled(pol *PolicySpec, p string) error {
	ap := child(p, "actions")
	if err := v.required(ap, `add actions: [{at: 1h, desired: 10}, {recurrence: "0 9 * * 1-5", min: 4}]`); err != nil {
		return err
	}
	for j, a := range pol.Actions {
		if a.Recurrence != "" && a.TimeZone == "" {
			pol.Actions[j].TimeZone = DefaultTimeZone
		}
		for _, f := range []struct {
			key string
			n   *int
		}{{"min", a.Min}, {"max", a.Max}, {"desired", a.Desired}} {
			if f.n != nil {
				if err := v.count(child(item(ap, j), f.key), *f.n, 0, MaxFleet, "an instance count"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (v *validator) predictive(pol *PolicySpec, p string) error {
	if err := v.metric(pol, p, true); err != nil {
		return err
	}
	if !v.has(child(p, "mode")) {
		pol.Mode = strategies.ForecastOnly // AWS's default: forecasts, never scales
	}
	if err := v.oneOf(child(p, "mode"), "mode", pol.Mode, []string{strategies.ForecastOnly, strategies.ForecastAndScale}); err != nil {
		return err
	}
	if pol.SchedulingBufferTime == nil {
		d := strategies.DefaultSchedulingBuffer
		pol.SchedulingBufferTime = &d
	}
	if err := v.between(child(p, "scheduling_buffer_time"), *pol.SchedulingBufferTime, 0, strategies.MaxSchedulingBuffer-1,
		"capacity launches this long before each hour, under an hour (default 300s)"); err != nil {
		return err
	}
	v.defaultInt(child(p, "lookback_days"), &pol.LookbackDays, strategies.DefaultLookbackDays)
	if err := v.count(child(p, "lookback_days"), pol.LookbackDays, 1, strategies.MaxLookbackDays, "AWS looks back 14 days"); err != nil {
		return err
	}
	if !v.has(child(p, "max_capacity_breach_behavior")) {
		pol.MaxCapacityBreachBehavior = strategies.HonorMaxCapacity
	}
	if err := v.oneOf(child(p, "max_capacity_breach_behavior"), "behaviour", pol.MaxCapacityBreachBehavior,
		[]string{strategies.HonorMaxCapacity, strategies.IncreaseMaxCapacity}); err != nil {
		return err
	}
	if err := v.count(child(p, "max_capacity_buffer"), pol.MaxCapacityBuffer, 0, 100, "a percentage above the forecast"); err != nil {
		return err
	}
	return v.history(pol, p)
}

// history reads a predictive policy's history, a CloudWatch export of the
// group's total load metric, onto the run's clock: a datapoint at calendar
// instant T is at simulated time T − start. Datapoints at or after time
// zero (the run supplies its own load) and more than 14 days before it
// (AWS's look-back) are left out with a warning; strategies.NewHorizontal
// then requires 24 hours of what is left.
func (v *validator) history(pol *PolicySpec, p string) error {
	h := pol.History
	if h == nil {
		return nil
	}
	hp := child(p, "history")
	m := strategies.Metric(pol.Metric)
	if m != strategies.MetricRequestCountPerTarget && m != strategies.MetricCPU {
		return v.err(hp, fmt.Sprintf("a predictive policy on %s takes no history", m),
			"history is the group's total load, for request_count_per_target or cpu, AWS's predictive load metrics; remove history")
	}
	fp, display, err := v.resolvePath(child(hp, "path"), h.Path, false)
	if err != nil {
		return err
	}
	series, err := workloads.ReadMetricSeries(workloads.TraceConfig{Path: display, Column: h.Column, FS: v.fsys, Name: fp})
	if err != nil {
		return v.traceError(err, display, hp)
	}
	if wrong, want := wrongLoadMetric(m, series.Label); wrong != "" {
		return v.err(hp, fmt.Sprintf("%s holds %s, not the group's total load for a %s policy", clip(display), wrong, m),
			"export "+want+" (column picks one metric of the export by Id or Label)")
	}
	for _, w := range series.Warnings {
		v.sc.traceWarnings = addWarning(v.sc.traceWarnings, w)
	}
	start := v.sc.start
	h.Points = h.Points[:0]
	var late, old int
	for _, pt := range series.Points {
		at := sim.Time(pt.At.Sub(start))
		switch {
		case at >= 0:
			late++
			continue
		case at < -sim.Time(strategies.MaxLookbackDays*sim.Day):
			old++
			continue
		}
		load := pt.Value // cpu: the sum over instances of CPU percent
		if m == strategies.MetricRequestCountPerTarget {
			load *= float64(sim.Minute) / float64(series.Period) // a period's requests → per minute
		}
		h.Points = append(h.Points, strategies.LoadPoint{Start: at, Span: series.Period, Load: load})
	}
	at := start.Format(time.RFC3339)
	if late > 0 {
		v.sc.traceWarnings = addWarning(v.sc.traceWarnings, fmt.Sprintf(
			"%s: %d datapoint(s) at or after the scenario's start (%s) left out of the history: the run supplies its own load from time zero", display, late, at))
	}
	if old > 0 {
		v.sc.traceWarnings = addWarning(v.sc.traceWarnings, fmt.Sprintf(
			"%s: %d datapoint(s) more than %d days before the scenario's start (%s) left out of the history, as AWS looks back %d days",
			display, old, strategies.MaxLookbackDays, at, strategies.MaxLookbackDays))
	}
	return nil
}

// wrongLoadMetric returns the kind of metric label names when it is
// recognisably not the total load a predictive policy on m forecasts
// from, and what to export instead; "" when it may be right (a custom
// label says nothing).
func wrongLoadMetric(m strategies.Metric, label string) (wrong, want string) {
	is := func(names ...string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(label, n) })
	}
	if m == strategies.MetricRequestCountPerTarget {
		switch {
		case is("RequestCountPerTarget"):
			return "RequestCountPerTarget, a per-instance average", requestHistory
		case is("CPUUtilization"):
			return "CPUUtilization", requestHistory
		}
		return "", ""
	}
	if is("RequestCount", "RequestCountPerTarget") {
		return label + ", a request count", cpuHistory
	}
	return "", ""
}

// What a predictive policy's history exports, by metric.
const (
	requestHistory = "the target group's RequestCount (AWS/ApplicationELB) with the Sum statistic: the group's requests per period"
	cpuHistory     = "the group's CPUUtilization (AWS/EC2, AutoScalingGroupName) with the Sum statistic at the instances' monitoring period: CPU percent summed over instances"
)

// config converts the checked keys of strategy name for the strategies
// package; start is the calendar instant of time zero, which cron
// schedules follow (to the whole second).
func (h *HorizontalSpec) config(name string, start time.Time) strategies.HorizontalConfig {
	n, _ := strconv.Atoi(string(h.Initial))
	cd := h.DefaultCooldown
	return strategies.HorizontalConfig{Name: name, InstanceType: h.InstanceType, Min: h.Min, Max: h.Max, Initial: n,
		Policies: h.policies(), DefaultInstanceWarmup: h.InstanceWarmup, DefaultCooldown: &cd, EpochUnix: start.Unix()}
}

// policies returns the group's policies, from policies or policy.
func (h *HorizontalSpec) policies() []PolicySpec {
	if len(h.Policies) == 0 {
		return []PolicySpec{h.Policy}
	}
	return h.Policies
}

// Plan implements FamilySpec: the group's policies over an Auto Scaling
// group (with its warm pool) behind the load balancer; metrics leave out
// instances in their warm-up.
func (h *HorizontalSpec) Plan(env PlanEnv) (Plan, error) {
	g, err := strategies.NewHorizontal(h.config(env.Name, env.Start))
	if err != nil {
		return Plan{}, err
	}
	var pool models.WarmPoolConfig
	if wp := h.WarmPool; wp != nil {
		pool = models.WarmPoolConfig{Size: wp.Size, Start: h.poolStart, StoppedUSDHour: wp.StoppedUSDHour}
	}
	return Plan{Policy: g, Fleet: models.Group{WarmPool: pool, Max: h.Max}, Door: env.LoadBalancer, MetricWarmup: g.InstanceWarmup()}, nil
}

// forecastOnlyNote begins the note on a predictive policy that never acts.
const forecastOnlyNote = "forecast only: "

// Notes implements FamilySpec: a predictive policy in forecast_only mode,
// AWS's default, which forecasts but never scales.
func (h *HorizontalSpec) Notes(strategies.Strategy, *reports.StrategySummary) []string {
	var out []string
	for i, pol := range h.policies() {
		if pol.Type == strategies.PolicyPredictive && pol.Mode == strategies.ForecastOnly {
			out = append(out, fmt.Sprintf(forecastOnlyNote+"predictive policy %d (%s) is in forecast_only mode, AWS's default: "+
				"it forecasts but never changed the capacity; set mode: forecast_and_scale for it to act", i+1, pol.Metric))
		}
	}
	return out
}

// Story implements FamilySpec: the default story.
func (h *HorizontalSpec) Story(*reports.StrategySummary) *reports.Story { return nil }

// policyKeys returns the keys of a policy of type typ (nil for an unknown
// one).
func policyKeys(typ string) []string {
	switch typ {
	case strategies.PolicyTargetTracking:
		return []string{"type", "metric", "target", "disable_scale_in", "scale_in_factor", "high_datapoints", "low_datapoints",
			"estimated_instance_warmup"}
	case strategies.PolicyStep:
		return []string{"type", "metric", "threshold", "comparison", "datapoints_to_alarm", "evaluation_periods",
			"adjustment_type", "steps", "min_adjustment_magnitude", "estimated_instance_warmup"}
	case strategies.PolicySimple:
		return []string{"type", "metric", "threshold", "comparison", "datapoints_to_alarm", "evaluation_periods",
			"adjustment_type", "adjustment", "min_adjustment_magnitude", "cooldown"}
	case strategies.PolicyScheduled:
		return []string{"type", "actions"}
	case strategies.PolicyPredictive:
		return []string{"type", "metric", "target", "mode", "scheduling_buffer_time", "lookback_days",
			"max_capacity_breach_behavior", "max_capacity_buffer", "history"}
	}
	return nil
}

// The names of a policy's types, metrics and adjustment types, in the
// order messages list them.
func policyTypes() []string {
	return []string{"target_tracking", "step", "simple", "scheduled", "predictive"}
}
func policyMetrics() []string {
	return []string{"cpu", "request_count_per_target", "in_flight", "queue_length"}
}
func adjustmentTypes() []string {
	return []string{"change_in_capacity", "exact_capacity", "percent_change_in_capacity"}
}
