package strategies

import (
	"fmt"
	"math"
	"strconv"

	"github.com/scalesim/scalesim/sim"
)

// The Horizontal Pod Autoscaler's defaults, as kube-controller-manager and
// the autoscaling/v2 API set them (docs/kubernetes-behaviour.md §1).
const (
	// HPASyncPeriod is --horizontal-pod-autoscaler-sync-period.
	HPASyncPeriod = 15 * sim.Second
	// HPATolerance is --horizontal-pod-autoscaler-tolerance: no scaling
	// while the metric is within 10% of its target.
	HPATolerance = 0.1
	// HPACPUInitializationPeriod is
	// --horizontal-pod-autoscaler-cpu-initialization-period.
	HPACPUInitializationPeriod = 5 * sim.Minute
	// HPAInitialReadinessDelay is
	// --horizontal-pod-autoscaler-initial-readiness-delay.
	HPAInitialReadinessDelay = 30 * sim.Second
	// HPAScaleDownStabilization is
	// --horizontal-pod-autoscaler-downscale-stabilization, the scale-down
	// stabilisation window when behavior does not set one.
	HPAScaleDownStabilization = 300
	// HPAMaxStabilization and HPAMaxPeriod are the API's limits on
	// stabilizationWindowSeconds (one hour) and periodSeconds (30 min).
	HPAMaxStabilization = 3600
	HPAMaxPeriod        = 1800
)

// The metrics an HPA scales on.
const (
	// HPAMetricCPU is a Resource metric: CPU usage as a percentage of the
	// pods' CPU requests (target.averageUtilization).
	HPAMetricCPU = "cpu"
	// HPAMetricRequestsPerPod is a Pods metric: requests per second per
	// pod (target.averageValue), as a Prometheus adapter serves it.
	HPAMetricRequestsPerPod = "requests_per_pod"
	// HPAMetricInFlight is a Pods metric: requests in service per pod.
	HPAMetricInFlight = "in_flight"
)

// HPAMetrics lists the metrics an HPA scales on, in the order messages
// name them.
func HPAMetrics() []string {
	return []string{HPAMetricCPU, HPAMetricRequestsPerPod, HPAMetricInFlight}
}

// The values of selectPolicy and of a policy's type, spelled as
// autoscaling/v2 spells them.
const (
	SelectMax      = "Max"
	SelectMin      = "Min"
	SelectDisabled = "Disabled"
	PolicyPods     = "Pods"
	PolicyPercent  = "Percent"
)

// HPABehavior is an HPA's spec.behavior: how fast it may scale each way.
// Its keys are autoscaling/v2's own, camelCase as in a manifest, so a
// behavior block copied from one reads unchanged.
type HPABehavior struct {
	ScaleUp   *HPAScalingRules `yaml:"scaleUp,omitempty"`
	ScaleDown *HPAScalingRules `yaml:"scaleDown,omitempty"`
}

// HPAScalingRules is one direction's rules. A nil field takes the
// default of its direction (DefaultScaleUp, DefaultScaleDown).
type HPAScalingRules struct {
	// StabilizationWindowSeconds: the HPA takes the safest of the
	// recommendations it made over the window (the lowest for a scale-up,
	// the highest for a scale-down); 0 to HPAMaxStabilization.
	StabilizationWindowSeconds *int `yaml:"stabilizationWindowSeconds,omitempty"`
	// SelectPolicy picks among the policies: Max (the largest change,
	// the default), Min (the smallest) or Disabled (no scaling this way).
	SelectPolicy string `yaml:"selectPolicy,omitempty"`
	// Policies limit the change over a sliding period.
	Policies []HPAScalingPolicy `yaml:"policies,omitempty"`
	// Tolerance replaces the cluster's 10% for this direction
	// (autoscaling/v2 since Kubernetes 1.33, behind HPAConfigurableTolerance).
	Tolerance *float64 `yaml:"tolerance,omitempty"`
}

// HPAScalingPolicy allows a change of Value pods (type Pods) or Value
// percent of the pods at the period's start (type Percent) within any
// PeriodSeconds.
type HPAScalingPolicy struct {
	Type          string `yaml:"type"`
	Value         int    `yaml:"value"`
	PeriodSeconds int    `yaml:"periodSeconds"`
}

// DefaultScaleUp is the scale-up rules autoscaling/v2 fills in: no
// stabilisation, at most 4 pods or 100% more per 15 s, whichever is more.
func DefaultScaleUp() HPAScalingRules {
	w := 0
	return HPAScalingRules{StabilizationWindowSeconds: &w, SelectPolicy: SelectMax, Policies: []HPAScalingPolicy{
		{Type: PolicyPods, Value: 4, PeriodSeconds: 15},
		{Type: PolicyPercent, Value: 100, PeriodSeconds: 15},
	}}
}

// DefaultScaleDown is the scale-down rules autoscaling/v2 fills in: a 300 s
// stabilisation window, then up to 100% fewer per 15 s.
func DefaultScaleDown() HPAScalingRules {
	w := HPAScaleDownStabilization
	return HPAScalingRules{StabilizationWindowSeconds: &w, SelectPolicy: SelectMax, Policies: []HPAScalingPolicy{
		{Type: PolicyPercent, Value: 100, PeriodSeconds: 15},
	}}
}

// Resolved returns the rules with every unset field taken from def, as
// the API server's defaulting does (a field set replaces the default's).
func (r *HPAScalingRules) Resolved(def HPAScalingRules) HPAScalingRules {
	if r == nil {
		return def
	}
	out := def
	if r.StabilizationWindowSeconds != nil {
		out.StabilizationWindowSeconds = r.StabilizationWindowSeconds
	}
	if r.SelectPolicy != "" {
		out.SelectPolicy = r.SelectPolicy
	}
	if r.Policies != nil {
		out.Policies = r.Policies
	}
	if r.Tolerance != nil {
		out.Tolerance = r.Tolerance
	}
	return out
}

// check validates resolved rules; field prefixes the FieldError paths.
func (r HPAScalingRules) check(field string) error {
	if w := *r.StabilizationWindowSeconds; w < 0 || w > HPAMaxStabilization {
		return fieldErrorf(field+".stabilizationWindowSeconds", "must be from 0 to %d (got %d)", HPAMaxStabilization, w)
	}
	switch r.SelectPolicy {
	case SelectMax, SelectMin, SelectDisabled:
	default:
		return fieldErrorf(field+".selectPolicy", "unknown selectPolicy %q: want Max, Min or Disabled", r.SelectPolicy)
	}
	if len(r.Policies) == 0 && r.SelectPolicy != SelectDisabled {
		return fieldErrorf(field+".policies", "must list at least one policy unless selectPolicy is Disabled")
	}
	for i, p := range r.Policies {
		f := field + ".policies." + strconv.Itoa(i)
		if p.Type != PolicyPods && p.Type != PolicyPercent {
			return fieldErrorf(f+".type", "unknown policy type %q: want Pods or Percent", p.Type)
		}
		if p.Value <= 0 {
			return fieldErrorf(f+".value", "must be greater than 0 (got %d)", p.Value)
		}
		if p.PeriodSeconds <= 0 || p.PeriodSeconds > HPAMaxPeriod {
			return fieldErrorf(f+".periodSeconds", "must be from 1 to %d (got %d)", HPAMaxPeriod, p.PeriodSeconds)
		}
	}
	if r.Tolerance != nil && !(*r.Tolerance >= 0 && *r.Tolerance < 1) {
		return fieldErrorf(field+".tolerance", "must be at least 0 and below 1 (got %v)", *r.Tolerance)
	}
	return nil
}

// HPAConfig configures a Horizontal Pod Autoscaler.
type HPAConfig struct {
	Metric string  // HPAMetricCPU, HPAMetricRequestsPerPod or HPAMetricInFlight
	Target float64 // cpu: percent of the request, a whole number from 1 to 100; else the per-pod value
	// Min and Max are minReplicas and maxReplicas (1 <= Min <= Max).
	Min, Max int
	Behavior HPABehavior
}

// HPA is a Horizontal Pod Autoscaler as kube-controller-manager runs it
// (docs/kubernetes-behaviour.md §1): every 15 s it reads the pods' metrics,
// proposes ceil(ready pods × metric / target) unless the ratio is within
// the tolerance (replica_calculator.go, with its handling of pending,
// not-yet-ready and unmeasured pods), stabilises the proposal over the
// recommendations of the window, limits the change by the behavior's
// policies over the scale events of their periods, and bounds it by
// minReplicas and maxReplicas (horizontal.go).
type HPA struct {
	cfg        HPAConfig
	up, down   HPAScalingRules
	recs       []timedCount // proposals, for the stabilisation windows
	upEvents   []timedCount // scale-ups, for the policies' periods
	downEvents []timedCount
}

// timedCount is a count at an instant: a recommendation, or a scale
// event's change.
type timedCount struct {
	at sim.Time
	n  int
}

// NewHPA returns the autoscaler c describes, its behavior defaulted.
// Errors are *FieldError naming the key below hpa.
func NewHPA(c HPAConfig) (*HPA, error) {
	switch c.Metric {
	case HPAMetricCPU:
		if c.Target < 1 || c.Target > 100 || c.Target != math.Trunc(c.Target) {
			return nil, fieldErrorf("target", "cpu is a whole percentage of the request from 1 to 100 (got %v)", c.Target)
		}
	case HPAMetricRequestsPerPod, HPAMetricInFlight:
		if !(c.Target > 0) || math.IsInf(c.Target, 0) {
			return nil, fieldErrorf("target", "must be > 0 (got %v)", c.Target)
		}
	default:
		return nil, fieldErrorf("metric", "unknown metric %q: want cpu, requests_per_pod or in_flight", c.Metric)
	}
	if c.Min < 1 || c.Max < c.Min {
		return nil, fmt.Errorf("hpa: replicas %d to %d: want 1 <= min <= max", c.Min, c.Max)
	}
	h := &HPA{cfg: c, up: c.Behavior.ScaleUp.Resolved(DefaultScaleUp()), down: c.Behavior.ScaleDown.Resolved(DefaultScaleDown())}
	if err := h.up.check("behavior.scaleUp"); err != nil {
		return nil, err
	}
	if err := h.down.check("behavior.scaleDown"); err != nil {
		return nil, err
	}
	return h, nil
}

// Metric returns the metric the HPA scales on.
func (h *HPA) Metric() string { return h.cfg.Metric }

// Replicas returns the replica count the HPA sets at now, when the
// Deployment's spec.replicas is current, and a line on why. Call it once
// per sync period: it records its proposal and, when the count changes,
// the scale event.
func (h *HPA) Replicas(now sim.Time, current int, pods []PodView) (int, string) {
	c := h.cfg
	var desired int
	var why string
	switch {
	case current > c.Max:
		desired, why = c.Max, fmt.Sprintf("current replicas %d above maxReplicas", current)
	case current < c.Min:
		desired, why = c.Min, fmt.Sprintf("current replicas %d below minReplicas", current)
	default:
		prop, err := h.propose(now, current, pods)
		if err != nil {
			return current, "HPA: " + err.Error()
		}
		desired, why = h.normalize(now, current, prop.replicas)
		why = prop.describe(c) + why
	}
	h.upEvents, h.downEvents = recent(h.upEvents, now), recent(h.downEvents, now)
	if desired > current {
		h.upEvents = append(h.upEvents, timedCount{now, desired - current})
	} else if desired < current {
		h.downEvents = append(h.downEvents, timedCount{now, current - desired})
	}
	return desired, fmt.Sprintf("HPA: desired replicas %d → %d (%s)", current, desired, why)
}

// proposal is the replica calculator's answer.
type proposal struct {
	replicas int
	value    float64 // the metric: utilisation percent (cpu) or the per-pod average
	ready    int     // pods whose metric counted
}

// describe names the metric against its target: "cpu 87% of 50%".
func (p proposal) describe(c HPAConfig) string {
	if c.Metric == HPAMetricCPU {
		return fmt.Sprintf("cpu %s%% of %s%%", num3(p.value), num3(c.Target))
	}
	return fmt.Sprintf("%s %s per pod, target %s", c.Metric, num3(p.value), num3(c.Target))
}

// num3 writes x with at most three decimals.
func num3(x float64) string { return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64) }

// The pods of one proposal, grouped as groupPods groups them.
type podGroups struct {
	ready   []PodView // counted: their metrics make the ratio
	ignored []PodView // pending, or (cpu) unready or too new
	missing []PodView // running without a metric
}

// group sorts pods as replica_calculator.go's groupPods does: a pending
// pod is ignored; a running one without a sample is missing; for cpu, a
// pod is ignored while it is unready, or, within the CPU initialization
// period after it started, until a whole metric window was collected
// after it became ready; after that period, only if it is unready and
// has never been ready (its Ready condition last changed within the
// initial readiness delay of its start).
func (h *HPA) group(now sim.Time, pods []PodView) podGroups {
	var g podGroups
	for _, p := range pods {
		switch {
		case !p.Running:
			g.ignored = append(g.ignored, p)
			continue
		case !p.Metric.OK:
			g.missing = append(g.missing, p)
			continue
		}
		if h.cfg.Metric == HPAMetricCPU {
			var ignore bool
			if p.StartTime.Add(HPACPUInitializationPeriod) > now {
				ignore = !p.Ready || p.Metric.At < p.ReadyChanged.Add(p.Metric.Window)
			} else {
				ignore = !p.Ready && p.StartTime.Add(HPAInitialReadinessDelay) > p.ReadyChanged
			}
			if ignore {
				g.ignored = append(g.ignored, p)
				continue
			}
		}
		g.ready = append(g.ready, p)
	}
	return g
}

// sample is one pod's metric and request in the calculator's integer
// units: millicores, or milli-units of a per-pod metric.
type sample struct{ value, request int64 }

// milli converts a quantity to milli-units as resource.Quantity's
// MilliValue does (rounding up).
func milli(x float64) int64 { return int64(math.Ceil(x*1000 - 1e-9)) }

// propose is the replica calculator: GetResourceReplicas for cpu,
// calcPlainMetricReplicas for a per-pod metric.
func (h *HPA) propose(now sim.Time, current int, pods []PodView) (proposal, error) {
	if len(pods) == 0 {
		return proposal{}, fmt.Errorf("no pods returned by selector while calculating replica count")
	}
	g := h.group(now, pods)
	if len(g.ready) == 0 {
		return proposal{}, fmt.Errorf("did not receive metrics for any ready pods")
	}
	samples := make(map[int]sample, len(pods))
	for _, p := range g.ready {
		samples[p.ID] = h.sample(p)
	}
	ratio, value := h.ratio(samples)
	prop := proposal{replicas: current, value: value, ready: len(g.ready)}
	rebalance := len(g.ignored) > 0 && ratio > 1
	if !rebalance && len(g.missing) == 0 {
		if !h.within(ratio) {
			prop.replicas = int(math.Ceil(ratio * float64(len(g.ready))))
		}
		return prop, nil
	}
	// Fill in the unknown: missing pods at 100% of their request (cpu) or
	// at the target on a scale-down, 0 on a scale-up; ignored pods at 0
	// on a scale-up. At a cpu ratio of exactly 1 the controller fills in
	// nothing (GetResourceReplicas tests < 1 and > 1), so the ratio stays 1.
	if len(g.missing) > 0 && !(h.cfg.Metric == HPAMetricCPU && ratio == 1) {
		for _, p := range g.missing {
			s := sample{request: milli(p.CPU)}
			if ratio < 1 {
				if h.cfg.Metric == HPAMetricCPU {
					s.value = s.request
				} else {
					s.value = milli(h.cfg.Target)
				}
			}
			samples[p.ID] = s
		}
	}
	if rebalance {
		for _, p := range g.ignored {
			samples[p.ID] = sample{request: milli(p.CPU)}
		}
	}
	newRatio, _ := h.ratio(samples)
	if h.within(newRatio) || ratio < 1 && newRatio > 1 || ratio > 1 && newRatio < 1 {
		return prop, nil // too small a change, or one that would reverse the direction
	}
	n := int(math.Ceil(newRatio * float64(len(samples))))
	if newRatio < 1 && n > current || newRatio > 1 && n < current {
		return prop, nil
	}
	prop.replicas = n
	return prop, nil
}

// sample reads pod p's metric in the calculator's units.
func (h *HPA) sample(p PodView) sample {
	switch h.cfg.Metric {
	case HPAMetricCPU:
		return sample{value: milli(p.Metric.CPU), request: milli(p.CPU)}
	case HPAMetricRequestsPerPod:
		return sample{value: milli(p.Metric.RequestsPerSecond)}
	}
	return sample{value: milli(p.Metric.InFlight)}
}

// ratio is the usage ratio of the samples and the metric's value: for cpu,
// the utilisation as a whole percentage of the requests summed
// (GetResourceUtilizationRatio, which truncates it), over the target; for
// a per-pod metric, the integer mean in milli-units over the target
// (GetMetricUtilizationRatio).
func (h *HPA) ratio(samples map[int]sample) (ratio, value float64) {
	var total, requests int64
	for _, s := range samples {
		total += s.value
		requests += s.request
	}
	if h.cfg.Metric == HPAMetricCPU {
		if requests == 0 {
			return 0, 0
		}
		util := total * 100 / requests
		return float64(util) / h.cfg.Target, float64(util)
	}
	mean := total / int64(len(samples))
	return float64(mean) / float64(milli(h.cfg.Target)), float64(mean) / 1000
}

// tolerance is the tolerance for a proposal in the direction of ratio:
// the behavior's, or the cluster's 10%.
func (h *HPA) tolerance(ratio float64) float64 {
	r := h.down
	if ratio > 1 {
		r = h.up
	}
	if r.Tolerance != nil {
		return *r.Tolerance
	}
	return HPATolerance
}

// within reports whether a usage ratio lies inside the tolerance band, as
// the controller's Tolerances.isWithin tests it: 1 − down ≤ ratio ≤ 1 + up,
// bounds included (so 55% of a 50% target, a ratio of exactly 1.1, is
// no change, though 1.1 − 1 is a hair above 0.1 in floating point).
func (h *HPA) within(ratio float64) bool {
	return 1-h.tolerance(0) <= ratio && ratio <= 1+h.tolerance(2)
}

// normalize applies the behavior to a proposal, as
// normalizeDesiredReplicasWithBehaviors does: it records the proposal,
// stabilises it over the windows, limits the change by the policies, and
// bounds it by minReplicas and maxReplicas. It returns the replica count
// and what limited it, if anything ("; …").
func (h *HPA) normalize(now sim.Time, current, proposed int) (int, string) {
	upFrom := now.Add(-sim.Duration(*h.up.StabilizationWindowSeconds) * sim.Second)
	downFrom := now.Add(-sim.Duration(*h.down.StabilizationWindowSeconds) * sim.Second)
	upRec, downRec := proposed, proposed
	kept := h.recs[:0]
	for _, r := range h.recs {
		if r.at > upFrom {
			upRec = min(upRec, r.n)
		}
		if r.at > downFrom {
			downRec = max(downRec, r.n)
		}
		if r.at > upFrom || r.at > downFrom {
			kept = append(kept, r)
		}
	}
	h.recs = append(kept, timedCount{now, proposed})
	stable := min(max(current, upRec), downRec)
	note := ""
	if stable != proposed {
		note = fmt.Sprintf("; stabilised at %d, the safest recommendation of the window", stable)
	}
	c := h.cfg
	switch {
	case stable > current:
		limit := max(h.upLimit(now, current), current)
		if top := min(c.Max, limit); stable > top {
			if top == c.Max && limit >= c.Max {
				return top, note + "; maxReplicas"
			}
			return top, note + fmt.Sprintf("; scale-up limited to %d by the behavior's policies", top)
		}
	case stable < current:
		limit := min(h.downLimit(now, current), current)
		if bottom := max(c.Min, limit); stable < bottom {
			if bottom == c.Min && limit <= c.Min {
				return bottom, note + "; minReplicas"
			}
			return bottom, note + fmt.Sprintf("; scale-down limited to %d by the behavior's policies", bottom)
		}
	}
	return stable, note
}

// recent drops the events no policy period can reach any more.
func recent(events []timedCount, now sim.Time) []timedCount {
	from := now.Add(-HPAMaxPeriod * sim.Second)
	i := 0
	for i < len(events) && events[i].at <= from {
		i++
	}
	return events[i:]
}

// changed sums the scale events after now − period.
func changed(events []timedCount, now sim.Time, periodSeconds int) int {
	from := now.Add(-sim.Duration(periodSeconds) * sim.Second)
	n := 0
	for _, e := range events {
		if e.at > from {
			n += e.n
		}
	}
	return n
}

// upLimit is calculateScaleUpLimitWithScalingRules: the most replicas the
// policies allow, each from the count at its period's start.
func (h *HPA) upLimit(now sim.Time, current int) int { return h.limit(now, current, h.up, true) }

// downLimit is calculateScaleDownLimitWithBehaviors: the fewest replicas
// the policies allow.
func (h *HPA) downLimit(now sim.Time, current int) int { return h.limit(now, current, h.down, false) }

// limit is the bound rules r put on a change from current, up or down:
// each policy allows its change from the count at its period's start,
// and selectPolicy Max takes the largest change (Min the smallest).
func (h *HPA) limit(now sim.Time, current int, r HPAScalingRules, up bool) int {
	if r.SelectPolicy == SelectDisabled {
		return current
	}
	highest := up == (r.SelectPolicy != SelectMin) // the highest count, or the lowest
	result, first := 0, true
	for _, p := range r.Policies {
		start := current - changed(h.upEvents, now, p.PeriodSeconds) + changed(h.downEvents, now, p.PeriodSeconds)
		var proposed int
		switch {
		case p.Type == PolicyPods && up:
			proposed = start + p.Value
		case p.Type == PolicyPods:
			proposed = start - p.Value
		case up: // rounded up, or a small count would never grow
			proposed = int(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		default:
			proposed = int(float64(start) * (1 - float64(p.Value)/100))
		}
		if first || highest && proposed > result || !highest && proposed < result {
			result, first = proposed, false
		}
	}
	return result
}
