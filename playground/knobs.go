package playground

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/scenarios"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Knob is one slider of the playground: a value of the scenario that the
// page lets a person change. A value other than the scenario's own becomes
// --set flags (see Sets).
type Knob struct {
	// ID names the knob in requests and in the page's address: the --set
	// path it changes ("workload.peak", "strategies.asg.min"), or, for a
	// knob that changes several keys, the section that holds them
	// ("service.time").
	ID string `json:"id"`
	// Group is the heading the page shows the knob under: "Traffic" for
	// the workload and the service, else the strategy's name and family.
	Group string `json:"group"`
	// Label names the knob ("Peak traffic"); Unit is what its value
	// counts ("req/s"), empty for none.
	Label string `json:"label"`
	Unit  string `json:"unit,omitempty"`
	// Min, Max and Step are the slider's range and step; Value is the
	// scenario's own value.
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Step  float64 `json:"step"`
	Value float64 `json:"value"`
	// Labels, when set, name the values of a knob of choices: value i is
	// Labels[i].
	Labels []string `json:"labels,omitempty"`
	// Disabled, when set, tells why the knob does not apply to the
	// scenario; it then takes no value.
	Disabled string `json:"disabled,omitempty"`

	sets func(v float64) []string // the --set flags of value v
}

// TrafficGroup is the group of the knobs of the workload and the service.
const TrafficGroup = "Traffic"

// kind is one sort of knob. A scenario-wide kind (scenario set) gives one
// knob, disabled when it does not apply; a per-strategy kind (strategy
// set) gives one knob for each strategy of the family it applies to.
type kind struct {
	scenario func(sc *scenarios.Scenario) Knob
	strategy func(sc *scenarios.Scenario, cat *models.Catalog, st scenarios.StrategySpec) (Knob, bool)
}

// kinds lists the sorts of knob in the order the page shows them.
func kinds() []kind {
	return []kind{
		{scenario: peakTraffic},
		{scenario: serviceTime},
		{strategy: asgMin},
		{strategy: asgMax},
		{strategy: asgTarget},
		{strategy: warmPool},
		{strategy: ladderTop},
		{strategy: streamConsumers},
	}
}

// Knobs returns the knobs of sc: the scenario-wide ones, then each
// strategy's, in scenario order.
func Knobs(sc *scenarios.Scenario) ([]Knob, error) {
	cat, err := models.DefaultCatalog()
	if err != nil {
		return nil, fmt.Errorf("playground knobs: %w", err)
	}
	var out []Knob
	for _, k := range kinds() {
		if k.scenario != nil {
			out = append(out, k.scenario(sc))
		}
	}
	for _, st := range sc.Spec.Strategies {
		for _, k := range kinds() {
			if k.strategy == nil {
				continue
			}
			if kn, ok := k.strategy(sc, cat, st); ok {
				kn.Group = st.Name + " (" + st.Type + ")"
				out = append(out, kn)
			}
		}
	}
	return out, nil
}

// Sets returns the --set flags that give the knobs the values (knob ID to
// value), in the knobs' order. A knob left out, or given its own value
// (within half a step), adds none. A value for no knob, for a disabled
// knob, outside a knob's range or between the choices of a knob of
// choices is an error.
func Sets(knobs []Knob, values map[string]float64) ([]string, error) {
	ids := make([]string, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	slices.Sort(ids) // the first unknown one named is always the same
	for _, id := range ids {
		if !slices.ContainsFunc(knobs, func(k Knob) bool { return k.ID == id }) {
			return nil, fmt.Errorf("no knob %q in this scenario", id)
		}
	}
	var sets []string
	for _, k := range knobs {
		v, ok := values[k.ID]
		if !ok || math.Abs(v-k.Value) < k.Step/2 {
			continue
		}
		switch {
		case k.Disabled != "":
			return nil, fmt.Errorf("knob %s does not apply: %s", k.ID, k.Disabled)
		case math.IsNaN(v) || v < k.Min || v > k.Max:
			return nil, fmt.Errorf("knob %s: %s is outside its range, %s to %s", k.ID, number(v), number(k.Min), number(k.Max))
		case k.Labels != nil && v != math.Trunc(v):
			return nil, fmt.Errorf("knob %s: %s is not one of its choices, 0 to %d", k.ID, number(v), len(k.Labels)-1)
		}
		sets = append(sets, k.sets(v)...)
	}
	return sets, nil
}

// peakTraffic is the busiest arrival rate: a spike's or diurnal
// workload's peak, or a poisson workload's rate (WorkloadSpec.PeakRate).
func peakTraffic(sc *scenarios.Scenario) Knob {
	w := sc.Spec.Workload
	k := Knob{ID: "workload.peak", Group: TrafficGroup, Label: "Peak traffic", Unit: "req/s"}
	key, peak, lo, ok := w.PeakRate()
	if !ok {
		k.Disabled = "the workload is " + article(w.Type) + " " + w.Type + "; this knob sets the peak of a spike or diurnal workload, or a poisson workload's rate"
		return k
	}
	k.ID, k.Value = "workload."+key, peak
	k.Min, k.Max, k.Step = span(lo, 4*k.Value, k.Value) // a peak below the base would be a dip
	k.sets = func(v float64) []string { return []string{k.ID + "=" + number(v)} }
	return k
}

// serviceTime is the service-time distribution's centre (median, mean or
// value), in milliseconds; a change scales every time of the distribution
// alike, keeping its shape (TimeSpec.Scale).
func serviceTime(sc *scenarios.Scenario) Knob {
	t := sc.Spec.Service.Time
	k := Knob{ID: "service.time", Group: TrafficGroup, Label: "Service time", Unit: "ms"}
	keys, times, ok := t.Scale()
	if !ok {
		k.Disabled = "the service times are recorded samples (" + t.Dist + "), not a distribution to scale"
		return k
	}
	k.Label += ", " + keys[0]
	k.Value = times[0].Milliseconds()
	k.Min, k.Max, k.Step = span(k.Value/5, 5*k.Value, k.Value)
	k.sets = func(v float64) []string {
		f := v / k.Value
		out := make([]string, len(keys))
		for i, key := range keys {
			us := math.Max(1, math.Round(float64(times[i])*f/1e3)) // whole microseconds
			out[i] = "service.time." + key + "=" + sim.Duration(us*1e3).String()
		}
		return out
	}
	return k
}

// horizontalKnob is a knob of one horizontal strategy's key (its path
// below the strategy), an instance count unless fill says otherwise, or
// false for a strategy of another family.
func horizontalKnob(st scenarios.StrategySpec, key, label string, fill func(h *scenarios.HorizontalSpec, k *Knob)) (Knob, bool) {
	h, ok := st.Spec.(*scenarios.HorizontalSpec)
	if !ok {
		return Knob{}, false
	}
	k := Knob{ID: strategyPath(st, key), Label: label, Unit: "instances", Step: 1, Max: fleetTop(h.Max)}
	fill(h, &k)
	if k.sets == nil && k.Disabled == "" {
		k.sets = func(v float64) []string { return []string{k.ID + "=" + number(v)} }
	}
	return k, true
}

// asgMin is an Auto Scaling group's minimum size.
func asgMin(_ *scenarios.Scenario, _ *models.Catalog, st scenarios.StrategySpec) (Knob, bool) {
	return horizontalKnob(st, "min", "ASG min", func(h *scenarios.HorizontalSpec, k *Knob) {
		k.Value = float64(h.Min)
	})
}

// asgMax is an Auto Scaling group's maximum size.
func asgMax(_ *scenarios.Scenario, _ *models.Catalog, st scenarios.StrategySpec) (Knob, bool) {
	return horizontalKnob(st, "max", "ASG max", func(h *scenarios.HorizontalSpec, k *Knob) {
		k.Min, k.Value = 1, float64(h.Max)
	})
}

// asgTarget is the target of a group's one target-tracking policy: its
// policy, or the one target-tracking policy among its policies (beside
// scheduled actions, say).
func asgTarget(_ *scenarios.Scenario, _ *models.Catalog, st scenarios.StrategySpec) (Knob, bool) {
	return horizontalKnob(st, "policy.target", "ASG target", func(h *scenarios.HorizontalSpec, k *Knob) {
		p, key, why := oneTargetTracking(h)
		if why != "" {
			k.Disabled = why
			return
		}
		k.ID = strategyPath(st, key)
		k.Label += " (" + strings.ReplaceAll(p.Metric, "_", " ") + ")"
		k.Value, k.Unit = p.Target, "per instance"
		k.Min, k.Max, k.Step = span(p.Target/5, 5*p.Target, p.Target)
		if strategies.Metric(p.Metric) == strategies.MetricCPU {
			k.Unit = "% CPU"
			k.Min, k.Max, k.Step = grid(5, 100, p.Target, 1)
		}
	})
}

// oneTargetTracking returns a group's one target-tracking policy and the
// key of its target below the strategy, or why there is no single one.
func oneTargetTracking(h *scenarios.HorizontalSpec) (p scenarios.PolicySpec, key, why string) {
	if len(h.Policies) == 0 {
		if h.Policy.Type != strategies.PolicyTargetTracking {
			return p, "", "the group's policy is " + h.Policy.Type + ", not target_tracking"
		}
		return h.Policy, "policy.target", ""
	}
	found := -1
	for i, q := range h.Policies {
		if q.Type == strategies.PolicyTargetTracking {
			if found >= 0 {
				return p, "", "the group has more than one target-tracking policy"
			}
			found = i
		}
	}
	if found < 0 {
		return p, "", "the group has no target-tracking policy"
	}
	return h.Policies[found], "policies." + strconv.Itoa(found) + ".target", ""
}

// warmPool is the size of a group's warm pool; for a group without one,
// a size above 0 adds one.
func warmPool(_ *scenarios.Scenario, _ *models.Catalog, st scenarios.StrategySpec) (Knob, bool) {
	return horizontalKnob(st, "warm_pool.size", "Warm pool", func(h *scenarios.HorizontalSpec, k *Knob) {
		if h.WarmPool != nil {
			k.Value = float64(h.WarmPool.Size)
		}
	})
}

// ladderTop is the largest type a vertical strategy may resize to: a
// rung of its ladder from its initial type up, or a larger size of its
// top rung's family from the catalog (a knob of choices).
func ladderTop(sc *scenarios.Scenario, cat *models.Catalog, st scenarios.StrategySpec) (Knob, bool) {
	v, ok := st.Spec.(*scenarios.VerticalSpec)
	if !ok {
		return Knob{}, false
	}
	start := max(0, slices.Index(v.Ladder, string(v.Initial)))
	procs := func(name string) int {
		it, _ := cat.Lookup(name)
		if sc.Spec.Service.WorkersPerGPU > 0 {
			return it.GPUs
		}
		return it.VCPUs
	}
	unit := "vCPUs"
	if sc.Spec.Service.WorkersPerGPU > 0 {
		unit = "GPUs"
	}
	choices := slices.Clone(v.Ladder[start:])
	top, _ := cat.Lookup(v.Ladder[len(v.Ladder)-1])
	for _, it := range cat.Family(top.Family) {
		if start+len(choices) >= scenarios.MaxLadder {
			break
		}
		if procs(it.Name) > procs(choices[len(choices)-1]) {
			choices = append(choices, it.Name)
		}
	}
	k := Knob{ID: strategyPath(st, "ladder"), Label: "Ladder top", Step: 1,
		Min: float64(max(0, scenarios.MinLadder-1-start)), Max: float64(len(choices) - 1),
		Value: float64(len(v.Ladder) - 1 - start)}
	for _, name := range choices {
		k.Labels = append(k.Labels, fmt.Sprintf("%s · %d %s", name, procs(name), unit))
	}
	k.sets = func(x float64) []string {
		ladder := append(slices.Clone(v.Ladder[:start]), choices[:int(x)+1]...)
		return []string{k.ID + "=[" + strings.Join(ladder, ", ") + "]"}
	}
	return k, true
}

// streamConsumers is the number of a stream's consumer instances, or,
// when they scale on the stream's lag, the most they may scale to (from
// their minimum up).
func streamConsumers(_ *scenarios.Scenario, _ *models.Catalog, st scenarios.StrategySpec) (Knob, bool) {
	s, ok := st.Spec.(*scenarios.StreamSpec)
	if !ok {
		return Knob{}, false
	}
	k := Knob{ID: strategyPath(st, "consumers.count"), Label: "Stream consumers", Unit: "instances",
		Min: 1, Max: fleetTop(s.Consumers.Count), Step: 1, Value: float64(s.Consumers.Count)}
	if a := s.Consumers.Autoscale; a != nil {
		k = Knob{ID: strategyPath(st, "consumers.autoscale.max"), Label: "Stream consumers, max", Unit: "instances",
			Min: float64(max(a.Min, s.Consumers.Count)), Max: fleetTop(a.Max), Step: 1, Value: float64(a.Max)}
	}
	k.sets = func(v float64) []string { return []string{k.ID + "=" + number(v)} }
	return k, true
}

// strategyPath is the --set path of key below strategy st.
func strategyPath(st scenarios.StrategySpec, key string) string {
	return "strategies." + st.Name + "." + key
}

// fleetTop is the top of an instance count's slider for a fleet of n at
// most: three times n, at least 10, at most scenarios.MaxFleet.
func fleetTop(n int) float64 { return float64(min(max(3*n, 10), scenarios.MaxFleet)) }

// span returns a slider's range over about [lo, hi] for the value v: some
// 200 steps of 1, 2 or 5 times a power of ten, on a grid through v (a
// range slider's values are its minimum plus whole steps), from above 0.
func span(lo, hi, v float64) (minV, maxV, step float64) {
	hi = math.Max(hi, v)
	step = niceStep((hi - lo) / 200)
	return grid(lo, hi, v, step)
}

// grid returns the range from about lo to hi, in steps of step through v:
// the least value at least lo (and above 0), the greatest at most hi.
func grid(lo, hi, v, step float64) (minV, maxV, stepOut float64) {
	minV = v - math.Floor((v-lo)/step+1e-9)*step
	if minV <= 0 {
		minV += step
	}
	maxV = v + math.Floor((hi-v)/step+1e-9)*step
	return round(minV), round(maxV), step
}

// niceStep returns the least of 1, 2 or 5 times a power of ten that is at
// least x.
func niceStep(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x*(1-1e-12) {
			return round(m * p)
		}
	}
	return 10 * p
}

// round drops the floating-point noise of a value on a decimal grid.
func round(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return v
}

// number writes v as a --set value: the shortest decimal, no exponent.
func number(v float64) string { return strconv.FormatFloat(round(v), 'f', -1, 64) }

// article is "a" or "an" for word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
