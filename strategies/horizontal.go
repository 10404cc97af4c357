package strategies

import (
	"fmt"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// DefaultEvaluationInterval is how often a Horizontal group decides: alarms
// on periods of a minute or more are evaluated every minute, and Auto
// Scaling re-invokes an alarm's action every minute while it stays in
// ALARM (docs/aws-behaviour.md §1.5, §2.3).
const DefaultEvaluationInterval = sim.Minute

// Horizontal is an EC2 Auto Scaling group (docs/aws-behaviour.md §1): a desired
// capacity kept within [min, max], moved by one or more scaling policies
// and by scheduled actions.
//
// At each decision it first fires the scheduled actions that are due
// (§1.6), which set min, max or desired; then it asks every policy for a
// proposal and combines them as Auto Scaling does (§1.2, ASG
// as-scale-based-on-demand "Multiple dynamic scaling policies" and
// as-scaling-target-tracking):
//
//   - target tracking policies scale in together: their scale-in counts
//     only when every target tracking policy with scale-in enabled
//     proposes one (Policy.JointScaleIn), and then at the largest of their
//     capacities;
//   - step and simple policies act on their own alarms, in either
//     direction, whatever the others propose;
//   - of the policies that act at once, the one leaving the group with
//     the largest capacity wins, for scale-in as for scale-out, so a
//     scale-out beats a simultaneous scale-in;
//   - predictive policies hold a floor: the group takes the maximum of it
//     and what the dynamic policies want (§1.7).
//
// The result is clamped to [min, max] (§1.1).
type Horizontal struct {
	name, instanceType string
	bounds             Bounds
	initial            int
	policies           []Policy
	scheduled          *Scheduled // nil without scheduled actions
	warmup             sim.Duration
	maxOverride        int // the last decision's predictive max override
}

// NewHorizontal validates c, applies its defaults and returns the group.
// A validation error is a *FieldError whose Field is the key below the
// strategy ("max", "policies.1.target"), wrapped with the strategy's name.
func NewHorizontal(c HorizontalConfig) (*Horizontal, error) {
	h, err := newHorizontal(c)
	if err != nil {
		return nil, fmt.Errorf("horizontal strategy %s: %w", c.Name, err)
	}
	return h, nil
}

// checkGroup validates the group-level fields of c.
func checkGroup(c HorizontalConfig) error {
	switch {
	case c.Name == "":
		return fieldErrorf("name", "required")
	case c.InstanceType == "":
		return fieldErrorf("instance_type", "required")
	case c.Min < 0:
		return fieldErrorf("min", "must be >= 0 (got %d)", c.Min)
	case c.Max < max(1, c.Min):
		return fieldErrorf("max", "must be at least 1 and at least min (%d) (got %d)", c.Min, c.Max)
	case c.Initial != 0 && (c.Initial < c.Min || c.Initial > c.Max):
		return fieldErrorf("initial", "must be from min (%d) to max (%d) (got %d)", c.Min, c.Max, c.Initial)
	case len(c.Policies) == 0 || len(c.Policies) > MaxPolicies:
		return fieldErrorf("policies", "must have 1 to %d policies (got %d)", MaxPolicies, len(c.Policies))
	case c.DefaultInstanceWarmup != nil && (*c.DefaultInstanceWarmup < 0 || *c.DefaultInstanceWarmup > MaxInstanceWarmup):
		return fieldErrorf("instance_warmup", "must be from 0 to %v (got %v)", MaxInstanceWarmup, *c.DefaultInstanceWarmup)
	case c.DefaultCooldown != nil && (*c.DefaultCooldown < 0 || *c.DefaultCooldown > MaxCooldown):
		return fieldErrorf("default_cooldown", "must be from 0 to %v (got %v)", MaxCooldown, *c.DefaultCooldown)
	}
	return nil
}

func newHorizontal(c HorizontalConfig) (*Horizontal, error) {
	if err := checkGroup(c); err != nil {
		return nil, err
	}
	h := &Horizontal{name: c.Name, instanceType: c.InstanceType, bounds: Bounds{c.Min, c.Max}, initial: c.Initial}
	if h.initial == 0 {
		h.initial = c.Min
	}
	cooldown := DefaultCooldown
	if c.DefaultCooldown != nil {
		cooldown = *c.DefaultCooldown
	}
	var actions []ScheduledActionConfig
	warmed := false // some policy uses warm-up
	for i, pc := range c.Policies {
		at := fmt.Sprintf("policies.%d", i)
		if pc.EstimatedInstanceWarmup != nil && (*pc.EstimatedInstanceWarmup < 0 || *pc.EstimatedInstanceWarmup > MaxInstanceWarmup) {
			return nil, fieldErrorf(at+".estimated_instance_warmup", "must be from 0 to %v (got %v)", MaxInstanceWarmup, *pc.EstimatedInstanceWarmup)
		}
		var p Policy
		var err error
		switch pc.Type {
		case PolicyTargetTracking:
			p, err = NewTargetTracking(pc)
		case PolicyStep:
			p, err = NewStepScaling(pc)
		case PolicySimple:
			p, err = NewSimpleScaling(pc, cooldown)
		case PolicyPredictive:
			p, err = NewPredictive(pc)
		case PolicyScheduled:
			if _, err = NewScheduled(pc.Actions, c.EpochUnix); err == nil {
				actions = append(actions, pc.Actions...)
			}
		case "":
			err = fieldErrorf("type", "required: target_tracking, step, simple, scheduled or predictive")
		default:
			err = fieldErrorf("type", "unknown policy type %q: use target_tracking, step, simple, scheduled or predictive", pc.Type)
		}
		if err != nil {
			return nil, under(at, err)
		}
		if pc.Type == PolicyTargetTracking || pc.Type == PolicyStep {
			h.warmup = max(h.warmup, InstanceWarmup(pc.EstimatedInstanceWarmup, c.DefaultInstanceWarmup, cooldown))
			warmed = true
		}
		if p != nil {
			h.policies = append(h.policies, p)
		}
	}
	if !warmed && c.DefaultInstanceWarmup != nil {
		h.warmup = *c.DefaultInstanceWarmup
	}
	if len(actions) > 0 {
		s, err := NewScheduled(actions, c.EpochUnix)
		if err != nil {
			return nil, fieldErrorf("policies", "%v", err)
		}
		h.scheduled = s
	}
	return h, nil
}

// Name implements Strategy.
func (h *Horizontal) Name() string { return h.name }

// Interval implements Strategy: DefaultEvaluationInterval.
func (h *Horizontal) Interval() sim.Duration { return DefaultEvaluationInterval }

// InstanceWarmup is how long an instance's metrics stay out of the
// group's aggregate after it enters service: the largest warm-up the
// group's target tracking and step policies resolve by InstanceWarmup (AWS
// applies each policy's warm-up to the instances that policy launched,
// which the model cannot tell apart, so the longest is taken); without
// such policies, the group's DefaultInstanceWarmup, or 0 when that is not
// set either (simple and predictive policies use no warm-up, §1.3).
func (h *Horizontal) InstanceWarmup() sim.Duration { return h.warmup }

// Bounds returns the group's current min and max (scheduled actions change
// them).
func (h *Horizontal) Bounds() Bounds { return h.bounds }

// Initial implements Strategy: the initial capacity (default min).
// Scheduled actions due at time zero fire at the first decision.
func (h *Horizontal) Initial() Decision {
	return Decision{Desired: h.initial, InstanceType: h.instanceType,
		Reason: fmt.Sprintf("initial capacity %d (min %d, max %d)", h.initial, h.bounds.Min, h.bounds.Max)}
}

// Decide implements Strategy.
func (h *Horizontal) Decide(obs Observation) Decision {
	base := obs.Fleet.Desired
	var notes []string
	if h.scheduled != nil {
		h.bounds, base, notes = h.scheduled.Apply(obs.Now, h.bounds, base)
	}
	b := h.bounds
	base = min(max(base, b.Min), max(b.Max, h.maxOverride))
	o := obs
	o.Fleet.Desired = base

	props := make([]Proposal, len(h.policies))
	// acts is the acting proposal with the largest capacity so far;
	// jointIn the largest joint scale-in, counted only if no joint policy
	// disagrees (blocker).
	acts, jointIn, blocker, floorBy := -1, -1, -1, -1
	override := 0
	larger := func(i, j int) bool { return j < 0 || props[i].Desired > props[j].Desired }
	for i, p := range h.policies {
		pr := p.Propose(o, b)
		props[i] = pr
		switch {
		case p.JointScaleIn() && pr.Vote == ScaleIn:
			if larger(i, jointIn) {
				jointIn = i
			}
		case p.JointScaleIn() && blocker < 0:
			blocker = i
		}
		if pr.Vote != Hold && !(p.JointScaleIn() && pr.Vote == ScaleIn) && larger(i, acts) {
			acts = i
		}
		if pr.Floor > 0 && (floorBy < 0 || pr.Floor > props[floorBy].Floor) {
			floorBy = i
		}
		override = max(override, pr.MaxOverride)
	}
	h.maxOverride = override
	switch {
	case jointIn >= 0 && blocker < 0:
		if larger(jointIn, acts) {
			acts = jointIn
		}
	case jointIn >= 0 && props[blocker].Vote != ScaleOut:
		notes = append(notes, fmt.Sprintf("scale-in to %d (%s) held: %s does not agree",
			props[jointIn].Desired, h.policies[jointIn].Name(), h.policies[blocker].Name()))
	}
	want, by := base, -1
	if acts >= 0 {
		want, by = props[acts].Desired, acts
	}
	if floorBy >= 0 && props[floorBy].Floor > want {
		want, by = props[floorBy].Floor, floorBy
	}
	want = min(max(want, b.Min), max(b.Max, override))
	return Decision{Desired: want, InstanceType: h.instanceType, Reason: h.reason(obs.Fleet.Desired, want, by, props, notes)}
}

// reason is the decision's one line: the rule that set the capacity, or
// why nothing changed.
func (h *Horizontal) reason(before, want, by int, props []Proposal, notes []string) string {
	parts := notes
	switch {
	case by >= 0 && want != before:
		parts = append(parts, props[by].Reason)
	case want != before:
		parts = append(parts, fmt.Sprintf("desired %d→%d (min %d, max %d)", before, want, h.bounds.Min, h.bounds.Max))
	default:
		held := make([]string, 0, len(props))
		for _, p := range props {
			held = append(held, p.Reason)
		}
		parts = append(parts, fmt.Sprintf("hold at %d: %s", want, strings.Join(held, " | ")))
	}
	return strings.Join(parts, "; ")
}
