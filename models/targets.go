package models

import (
	"math/rand/v2"

	"github.com/scalesim/scalesim/sim"
)

// Target health, as a target group reports it (docs/aws-behaviour.md §3.4).
type targetHealth uint8

const (
	targetUnregistered targetHealth = iota // not in the target group (or draining)
	targetInitial                          // registered, no check passed yet
	targetHealthy
	targetUnhealthy
)

// target is one instance as the load balancer's target group sees it.
type target struct {
	health targetHealth
	// gen counts the instance's registrations, so the checks of an earlier
	// registration find themselves stale.
	gen           int64
	passes, fails int // consecutive checks in a row
}

// defaults fills a HealthCheckConfig's unset fields with the ALB's defaults
// (docs/aws-behaviour.md §3.4).
func (h HealthCheckConfig) defaults() HealthCheckConfig {
	if h.Interval <= 0 {
		h.Interval = 30 * sim.Second
	}
	if h.HealthyThreshold <= 0 {
		h.HealthyThreshold = 5
	}
	if h.UnhealthyThreshold <= 0 {
		h.UnhealthyThreshold = 2
	}
	return h
}

// targets is a load balancer's target group: the health of every instance
// and the checks that move it.
type targets struct {
	s      *System
	cfg    HealthCheckConfig
	phase  *rand.Rand // where each registration's checks fall in the interval
	byInst []target   // by instance id
	// open lists the registered targets when every one of them is
	// unhealthy (the load balancer then fails open); openValid is false
	// when it must be rebuilt.
	open      []int32
	openValid bool
	openRR    int
}

// newTargets returns the empty target group of System s.
func newTargets(s *System, cfg HealthCheckConfig) targets {
	return targets{s: s, cfg: cfg.defaults(), phase: s.streams.Stream(sim.StreamHealth)}
}

// at returns instance id's target, growing the table as instances are added.
func (t *targets) at(id int32) *target {
	for int(id) >= len(t.byInst) {
		t.byInst = append(t.byInst, target{})
	}
	return &t.byInst[id]
}

// register adds instance id to the group at now in the given health, and
// starts its checks at a random point of the interval.
func (t *targets) register(id int32, now sim.Time, h targetHealth) {
	tg := t.at(id)
	if tg.health != targetUnregistered {
		return
	}
	tg.gen++
	tg.health, tg.passes, tg.fails = h, 0, 0
	t.openValid = false
	first := now.Add(sim.Duration(t.phase.Int64N(int64(t.cfg.Interval))))
	t.s.eng.Schedule(first, kindDoor, id, tg.gen)
}

// deregister removes instance id from the group: its checks stop.
func (t *targets) deregister(id int32) {
	tg := t.at(id)
	if tg.health == targetUnregistered {
		return
	}
	tg.health = targetUnregistered
	tg.gen++
	t.openValid = false
}

// check runs one health check of instance id (registration gen) at now and
// schedules the next. It passes when the instance's model is loaded and it
// has not failed.
func (t *targets) check(id int32, gen int64, now sim.Time) {
	tg := t.at(id)
	if tg.gen != gen || tg.health == targetUnregistered {
		return
	}
	if t.s.inst[id].canServe() {
		tg.passes, tg.fails = tg.passes+1, 0
	} else {
		tg.passes, tg.fails = 0, tg.fails+1
	}
	switch {
	case tg.health == targetInitial && tg.passes >= 1,
		tg.health == targetUnhealthy && tg.passes >= t.cfg.HealthyThreshold:
		tg.health = targetHealthy
		t.openValid = false
		t.s.targetHealthy(id, now)
	case tg.health != targetUnhealthy && tg.fails >= t.cfg.UnhealthyThreshold:
		tg.health = targetUnhealthy
		t.openValid = false
		t.s.targetUnhealthy(id, now)
	}
	// The calls above may have changed the fleet (a failed instance
	// replaced, deregistered): look the target up again.
	if tg = t.at(id); tg.gen == gen && tg.health != targetUnregistered {
		t.s.eng.Schedule(now.Add(t.cfg.Interval), kindDoor, id, gen)
	}
}

// failOpen picks a target when no registered target is healthy: if every
// registered target is unhealthy, the load balancer routes to all of them
// (docs/aws-behaviour.md §3.5), in turn; otherwise (none registered, or
// some still in their initial checks) there is none, -1.
func (t *targets) failOpen() int32 {
	if !t.openValid {
		t.open = t.open[:0]
		for id := range t.byInst {
			switch t.byInst[id].health {
			case targetInitial, targetHealthy:
				t.open = t.open[:0]
				t.openValid = true
				return -1
			case targetUnhealthy:
				t.open = append(t.open, int32(id))
			}
		}
		t.openValid = true
	}
	if len(t.open) == 0 {
		return -1
	}
	t.openRR = (t.openRR + 1) % len(t.open)
	return t.open[t.openRR]
}
