package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// strategy checks strategy i's type-specific keys and fills its defaults.
func (v *validator) strategy(st *StrategySpec, p string, i int) error {
	if st.Type == "" {
		return v.err(child(p, "type"), "required", "want "+orList(strategyTypes()))
	}
	keys := strategyKeys(st.Type)
	if keys == nil {
		return v.err(child(p, "type"), fmt.Sprintf("unknown strategy type %q", clip(st.Type)), didYouMean(st.Type, strategyTypes()))
	}
	if err := v.unused(p, reflect.TypeFor[StrategySpec](), keys, "a "+st.Type+" strategy"); err != nil {
		return err
	}
	switch st.Type {
	case "static":
		if err := v.instanceType(child(p, "instance_type"), st.InstanceType); err != nil {
			return err
		}
		if err := v.required(child(p, "count"), "set the number of instances, e.g. count: 4"); err != nil {
			return err
		}
		return v.count(child(p, "count"), st.Count, 1, MaxFleet, "")
	case "horizontal":
		return v.horizontal(st, p, i)
	case "vertical":
		return v.vertical(st, p, i)
	}
	return v.stream(st, p)
}

// horizontal checks Auto Scaling group i, then builds it once so that
// whatever strategies.NewHorizontal rejects is reported at load time.
func (v *validator) horizontal(st *StrategySpec, p string, i int) error {
	if err := v.instanceType(child(p, "instance_type"), st.InstanceType); err != nil {
		return err
	}
	for _, k := range []string{"min", "max"} {
		if err := v.required(child(p, k), "a horizontal strategy takes instance_type, min, max and policy (or policies)"); err != nil {
			return err
		}
	}
	if err := v.count(child(p, "min"), st.Min, 0, MaxFleet, ""); err != nil {
		return err
	}
	if st.Max < st.Min {
		return v.err(child(p, "max"), fmt.Sprintf("must be at least min (%d) (got %d)", st.Min, st.Max), "raise max or lower min")
	}
	if err := v.count(child(p, "max"), st.Max, max(1, st.Min), MaxFleet, "max must be ≥ min and ≥ 1"); err != nil {
		return err
	}
	if !v.has(child(p, "initial")) {
		st.Initial = Initial(strconv.Itoa(st.Min))
	}
	n, err := strconv.Atoi(string(st.Initial))
	if err != nil {
		return v.err(child(p, "initial"), fmt.Sprintf("want a whole number of instances (got %q)", clip(string(st.Initial))), "a horizontal strategy starts from a count, e.g. initial: 2")
	}
	if err := v.count(child(p, "initial"), n, st.Min, st.Max, "initial lies between min and max"); err != nil {
		return err
	}
	st.Initial = Initial(strconv.Itoa(n))
	if st.InstanceWarmup != nil {
		if err := v.between(child(p, "instance_warmup"), *st.InstanceWarmup, 0, strategies.MaxInstanceWarmup,
			"AWS's DefaultInstanceWarmup ranges over 0s to 3600s; leave it out for not set"); err != nil {
			return err
		}
	}
	v.defaultDuration(child(p, "default_cooldown"), &st.DefaultCooldown, strategies.DefaultCooldown)
	if err := v.between(child(p, "default_cooldown"), st.DefaultCooldown, 0, strategies.MaxCooldown, "AWS's default is 300s"); err != nil {
		return err
	}
	if err := v.warmPool(st, p, i); err != nil {
		return err
	}
	if err := v.policies(st, p); err != nil {
		return err
	}
	if _, err := strategies.NewHorizontal(horizontalConfig(*st)); err != nil {
		return v.strategyError(p, err, len(st.Policies) == 0)
	}
	return nil
}

// warmPool checks horizontal strategy i's warm pool, when it has one,
// filling its defaults and building its start-time sampler.
func (v *validator) warmPool(st *StrategySpec, p string, i int) error {
	wp := st.WarmPool
	if wp == nil {
		return nil
	}
	pp := child(p, "warm_pool")
	if err := v.required(child(pp, "size"), fmt.Sprintf("set the instances kept ready, 0 to max (%d), e.g. size: 2", st.Max)); err != nil {
		return err
	}
	if err := v.count(child(pp, "size"), wp.Size, 0, st.Max, "a pool holds at most the group's max instances"); err != nil {
		return err
	}
	start, err := v.dist(child(pp, "start"), &wp.Start, &TimeSpec{Dist: "deterministic", Value: DefaultWarmPoolStart}, MaxLifecycleMean)
	if err != nil {
		return err
	}
	v.sc.poolStart[i] = start
	v.defaultFloat(child(pp, "stopped_usd_hour"), &wp.StoppedUSDHour, DefaultWarmPoolStoppedUSDHour)
	return v.number(child(pp, "stopped_usd_hour"), wp.StoppedUSDHour, 0, MaxPriceUSD,
		"US dollars per hour for a stopped instance's EBS volumes; 100 GB of gp3 is about 0.011")
}

// policies checks a horizontal strategy's policy or policies: exactly one
// of the two keys.
func (v *validator) policies(st *StrategySpec, p string) error {
	one, many := child(p, "policy"), child(p, "policies")
	switch {
	case v.has(one) && v.has(many):
		return v.err(many, "set policy or policies, not both", "list every policy under policies, or keep the one under policy")
	case v.has(one):
		st.Policies = nil
		return v.policy(&st.Policy, one, st.DefaultCooldown)
	case !v.has(many):
		return v.err(one, "required", "add policy: {type: target_tracking, metric: cpu, target: 50}")
	}
	st.Policy = PolicySpec{}
	if len(st.Policies) == 0 || len(st.Policies) > strategies.MaxPolicies {
		return v.err(many, fmt.Sprintf("must list 1 to %d policies (got %d)", strategies.MaxPolicies, len(st.Policies)),
			"AWS allows 50 scaling policies per group")
	}
	for j := range st.Policies {
		if err := v.policy(&st.Policies[j], item(many, j), st.DefaultCooldown); err != nil {
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

// datapoints defaults and checks an alarm's M of M at path.
func (v *validator) datapoints(path string, n *int, def int) error {
	v.defaultInt(path, n, def)
	return v.count(path, *n, 1, strategies.MaxEvaluationPeriods, "datapoints are one metric period each")
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

// scheduled checks scheduled actions; their times and cron lines are
// checked by strategies.NewHorizontal.
func (v *validator) scheduled(pol *PolicySpec, p string) error {
	ap := child(p, "actions")
	if err := v.required(ap, `add actions: [{at: 1h, desired: 10}, {recurrence: "0 9 * * 1-5", min: 4}]`); err != nil {
		return err
	}
	for j, a := range pol.Actions {
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
		pol.Mode = strategies.ForecastAndScale
	}
	if err := v.oneOf(child(p, "mode"), "mode", pol.Mode, []string{strategies.ForecastAndScale, strategies.ForecastOnly}); err != nil {
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
	return v.count(child(p, "max_capacity_buffer"), pol.MaxCapacityBuffer, 0, 100, "a percentage above the forecast")
}

// vertical checks a resize ladder and its alarms, then builds the strategy
// once so that whatever strategies.NewVertical rejects is reported at load
// time.
func (v *validator) vertical(st *StrategySpec, p string, i int) error {
	lp := child(p, "ladder")
	if err := v.required(lp, "list the instance types to resize between, smallest first"); err != nil {
		return err
	}
	if len(st.Ladder) < MinLadder || len(st.Ladder) > MaxLadder {
		return v.err(lp, fmt.Sprintf("must list %d to %d instance types (got %d)", MinLadder, MaxLadder, len(st.Ladder)), "list the sizes to resize between, smallest first")
	}
	prev := 0
	for j, name := range st.Ladder {
		if err := v.instanceType(item(lp, j), name); err != nil {
			return err
		}
		t, _ := v.cat.Lookup(name)
		if t.VCPUs <= prev {
			return v.err(item(lp, j), fmt.Sprintf("the ladder must ascend by vCPUs: %s has %d, %s before it %d", name, t.VCPUs, st.Ladder[j-1], prev),
				"list the types smallest first, one per size (see scalesim catalog)")
		}
		prev = t.VCPUs
	}
	if !v.has(child(p, "initial")) {
		st.Initial = Initial(st.Ladder[0])
	}
	if !slices.Contains(st.Ladder, string(st.Initial)) {
		return v.err(child(p, "initial"), fmt.Sprintf("%q is not on the ladder", clip(string(st.Initial))), "start from one of "+orList(st.Ladder))
	}
	if !v.has(child(p, "resize")) {
		st.Resize = "stop_start"
	}
	if err := v.oneOf(child(p, "resize"), "resize mode", st.Resize, resizeModes()); err != nil {
		return err
	}
	stop, err := v.dist(child(p, "stop_time"), &st.StopTime, &TimeSpec{Dist: "deterministic", Value: DefaultStopTime}, MaxLifecycleMean)
	if err != nil {
		return err
	}
	v.sc.stopTime[i] = stop
	v.defaultFloat(child(p, "scale_up_cpu"), &st.ScaleUpCPU, strategies.DefaultScaleUpCPU)
	v.defaultFloat(child(p, "scale_down_cpu"), &st.ScaleDownCPU, strategies.DefaultScaleDownCPU)
	if !(st.ScaleUpCPU > 0 && st.ScaleUpCPU <= 100) {
		return v.err(child(p, "scale_up_cpu"), fmt.Sprintf("must be a percentage in (0, 100] (got %s)", num(st.ScaleUpCPU)), "the instance grows a rung above it (default 70)")
	}
	if !(st.ScaleDownCPU > 0 && st.ScaleDownCPU < st.ScaleUpCPU) {
		return v.err(child(p, "scale_down_cpu"), fmt.Sprintf("must be above 0 and below scale_up_cpu (%s) (got %s)", num(st.ScaleUpCPU), num(st.ScaleDownCPU)),
			"the instance shrinks a rung below it (default 30); a small value such as 1 nearly never shrinks")
	}
	if err := v.datapoints(child(p, "up_datapoints"), &st.UpDatapoints, strategies.DefaultUpDatapoints); err != nil {
		return err
	}
	if err := v.datapoints(child(p, "down_datapoints"), &st.DownDatapoints, strategies.DefaultDownDatapoints); err != nil {
		return err
	}
	v.defaultDuration(child(p, "cooldown"), &st.Cooldown, strategies.DefaultVerticalCooldown)
	if err := v.between(child(p, "cooldown"), st.Cooldown, 0, strategies.MaxCooldown, "the wait after a resize (default 300s)"); err != nil {
		return err
	}
	if _, err := strategies.NewVertical(verticalConfig(*st)); err != nil {
		return v.strategyError(p, err, false)
	}
	return nil
}

// stream checks a Kinesis-style stream and its consumers.
func (v *validator) stream(st *StrategySpec, p string) error {
	sp := child(p, "shards")
	if !v.has(sp) {
		if !st.OnDemand {
			return v.err(sp, "required", "set the number of shards, e.g. shards: 4 (each takes 1,000 records/s), or on_demand: true")
		}
		st.Shards = DefaultOnDemandShards
	}
	if err := v.count(sp, st.Shards, 1, MaxShards, "each shard takes 1,000 records/s or 1 MB/s"); err != nil {
		return err
	}
	v.defaultInt(child(p, "record_size"), &st.RecordSize, models.DefaultRecordBytes)
	if err := v.count(child(p, "record_size"), st.RecordSize, 1, MaxRecordSize, "bytes per record; a record holds at most 1 MB (1048576)"); err != nil {
		return err
	}
	durations := []struct {
		key         string
		d           *sim.Duration
		def, lo, hi sim.Duration
		hint        string
	}{
		{"poll_interval", &st.PollInterval, models.DefaultPollInterval, MinPollInterval, MaxPollInterval,
			"a shard allows 5 GetRecords calls per second, so consumers poll at most every 200ms (the KCL: 1s)"},
		{"delivery_latency", &st.DeliveryLatency, models.DefaultDelivery, 0, MaxDeliveryLatency,
			"put to readable takes about 200ms for a shared-throughput consumer"},
		{"retention", &st.Retention, models.DefaultRetention, MinRetention, MaxRetention,
			"Kinesis keeps records 24h (the default) to 8760h (365 days)"},
	}
	for _, d := range durations {
		v.defaultDuration(child(p, d.key), d.d, d.def)
		if err := v.between(child(p, d.key), *d.d, d.lo, d.hi, d.hint); err != nil {
			return err
		}
	}
	cp := child(p, "consumers")
	if err := v.required(cp, "add consumers: {instance_type: m5.xlarge, count: 2}"); err != nil {
		return err
	}
	if err := v.instanceType(child(cp, "instance_type"), st.Consumers.InstanceType); err != nil {
		return err
	}
	if err := v.required(child(cp, "count"), "set the number of consumer instances, e.g. count: 2"); err != nil {
		return err
	}
	return v.count(child(cp, "count"), st.Consumers.Count, 1, MaxFleet, "")
}

// strategyError maps an error of strategies.NewHorizontal or NewVertical
// to an *Error at the line of the field it names. single says the
// strategy wrote its one policy under policy rather than policies.
func (v *validator) strategyError(p string, err error, single bool) error {
	var fe *strategies.FieldError
	if !errors.As(err, &fe) {
		return v.err(p, oneLine(err.Error()), "check the strategy's keys against the README")
	}
	path, leaf := fieldPath(fe.Field, single)
	return v.err(child(p, path), oneLine(fe.Msg), fieldHint(leaf))
}

// fieldPath turns a strategies.FieldError field ("policies.0.steps.2.lower")
// into the scenario's path below the strategy ("policy.steps[2].lower" when
// the one policy was written under policy) and its last key.
func fieldPath(field string, single bool) (path, leaf string) {
	for _, k := range strings.Split(field, ".") {
		if _, err := strconv.Atoi(k); err == nil && path != "" {
			path += "[" + k + "]"
			continue
		}
		if k == "default_instance_warmup" {
			k = "instance_warmup"
		}
		path, leaf = child(path, k), k
	}
	if single && (path == "policies" || strings.HasPrefix(path, "policies[0]")) {
		path = "policy" + strings.TrimPrefix(strings.TrimPrefix(path, "policies"), "[0]")
	}
	return path, leaf
}

// fieldHint is the advice given with an error about a strategy's key.
func fieldHint(key string) string {
	switch key {
	case "steps", "lower", "upper", "adjustment":
		return "steps cover metric − threshold without gaps or overlaps; leave lower out for −∞ and upper for +∞"
	case "actions", "at", "recurrence", "min", "max", "desired", "name":
		return `each action sets at (a time) or recurrence (a cron line such as "0 9 * * 1-5") and at least one of min, max and desired`
	case "target":
		return "cpu is a percentage of busy worker slots; request_count_per_target counts requests per instance per minute"
	case "ladder", "initial":
		return "list the ladder's types smallest first and start from one of them"
	}
	return "see the strategy keys in the README"
}

// horizontalConfig converts a validated horizontal strategy.
func horizontalConfig(st StrategySpec) strategies.HorizontalConfig {
	n, _ := strconv.Atoi(string(st.Initial))
	pols := st.Policies
	if len(pols) == 0 {
		pols = []PolicySpec{st.Policy}
	}
	cd := st.DefaultCooldown
	return strategies.HorizontalConfig{Name: st.Name, InstanceType: st.InstanceType, Min: st.Min, Max: st.Max, Initial: n,
		Policies: pols, DefaultInstanceWarmup: st.InstanceWarmup, DefaultCooldown: &cd}
}

// verticalConfig converts a validated vertical strategy.
func verticalConfig(st StrategySpec) strategies.VerticalConfig {
	cd := st.Cooldown
	return strategies.VerticalConfig{Name: st.Name, Ladder: st.Ladder, Initial: string(st.Initial),
		ScaleUpCPU: st.ScaleUpCPU, ScaleDownCPU: st.ScaleDownCPU,
		UpDatapoints: st.UpDatapoints, DownDatapoints: st.DownDatapoints, Cooldown: &cd}
}
