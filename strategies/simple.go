package strategies

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// DefaultCooldown is the group's default cooldown, 300 s
// (docs/aws-behaviour.md §1.5). It applies only to simple scaling policies, and
// is the last fall-back of the instance warm-up (§1.3, InstanceWarmup).
const DefaultCooldown = 300 * sim.Second

// SimpleScaling is a simple scaling policy (docs/aws-behaviour.md §1.5): an
// alarm and one adjustment. After it acts it waits for the scaling
// activity to finish and then for the cooldown before it responds to its
// alarm again; when the cooldown ends with the alarm still in ALARM it
// acts again, as Auto Scaling re-invokes the action every minute. AWS
// starts the cooldown when the activity's last instance finishes (ASG
// ec2-auto-scaling-scaling-cooldowns): for a scale-out, when the last
// launched instance is InService (FleetView.Pending is zero; its warm-up
// and health checks may still run); for a scale-in behind a load
// balancer, when the last terminating instance has drained
// (FleetView.Draining is zero). The fleet view tells only whether
// instances are still pending, not since when, so the cooldown starts at
// the first decision that sees the activity finished: up to one decision
// interval after the last instance did.
//
// The adjustment applies to the desired capacity: the policy only acts
// once its previous activity is over, when desired and current capacity
// agree. An alarm above the threshold (> or >=) only scales out; one
// below (< or <=) only scales in. Warm-up does not apply to simple
// policies (§1.3).
type SimpleScaling struct {
	metric   Metric
	alarm    MetricAlarm
	cmp      Comparison
	adj      Adjustment
	cooldown sim.Duration
	feed     periodFeed
	latest   Period

	activity  Vote     // the direction of our unfinished activity; Hold for none
	coolUntil sim.Time // no action before this
}

// NewSimpleScaling returns the simple scaling policy c describes (Type
// simple); groupCooldown is the cooldown when c.Cooldown is not set.
// Errors are *FieldError naming the field.
func NewSimpleScaling(c PolicyConfig, groupCooldown sim.Duration) (*SimpleScaling, error) {
	a, err := newPolicyAlarm(c)
	if err != nil {
		return nil, err
	}
	if a.adjType == ExactCapacity && c.Adjustment < 0 {
		return nil, fieldErrorf("adjustment", "an exact capacity must be >= 0 (got %d)", c.Adjustment)
	}
	cd := groupCooldown
	if c.Cooldown != nil {
		cd = *c.Cooldown
		if cd < 0 || cd > MaxCooldown {
			return nil, fieldErrorf("cooldown", "must be from 0 to %v (got %v)", MaxCooldown, cd)
		}
	}
	return &SimpleScaling{metric: a.metric, alarm: a.alarm, cmp: a.cmp, cooldown: cd,
		adj: Adjustment{Type: a.adjType, Value: c.Adjustment, MinMagnitude: a.minMag}}, nil
}

// Name implements Policy, e.g. "simple scaling cpu > 80".
func (s *SimpleScaling) Name() string {
	return fmt.Sprintf("simple scaling %s %s %g", s.metric, symbol(s.cmp), s.alarm.Threshold())
}

// JointScaleIn implements Policy: false, a simple policy acts on its own
// alarm (docs/aws-behaviour.md §1.2).
func (s *SimpleScaling) JointScaleIn() bool { return false }

// Propose implements Policy.
func (s *SimpleScaling) Propose(obs Observation, b Bounds) Proposal {
	observe(&s.feed, &s.alarm, s.metric, &s.latest, obs.Periods)
	f := obs.Fleet
	switch {
	case s.activity == ScaleOut && f.Pending > 0:
		return Proposal{Reason: fmt.Sprintf("%s: waiting for the scale-out to finish (%d instances launching)", s.Name(), f.Pending)}
	case s.activity == ScaleIn && f.Draining > 0:
		return Proposal{Reason: fmt.Sprintf("%s: waiting for the scale-in to finish (%d instances draining)", s.Name(), f.Draining)}
	case s.activity != Hold:
		s.activity, s.coolUntil = Hold, obs.Now.Add(s.cooldown)
	}
	if obs.Now < s.coolUntil {
		return Proposal{Reason: fmt.Sprintf("%s: in cooldown for %v more", s.Name(), s.coolUntil.Sub(obs.Now))}
	}
	if s.alarm.State() != Alarm {
		return Proposal{Reason: fmt.Sprintf("%s: alarm %s", s.Name(), s.alarm.State())}
	}
	cur := f.Desired
	next := StepAdjustment(cur, s.adj)
	want := min(cur, next)
	if s.cmp.Above() {
		want = max(cur, next)
	}
	p := directed(cur, b.Clamp(want), fmt.Sprintf("%s: %s; %s", s.Name(), s.alarm.Describe(), describeAdjustment(cur, s.adj, next)))
	if p.Vote != Hold {
		s.activity = p.Vote
	}
	return p
}
