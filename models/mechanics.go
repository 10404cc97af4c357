package models

import (
	"fmt"
	"slices"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Mechanics is how a strategy's instances come and go: what the System
// does with a changed desired state, with an instance that health checks
// found failed, and with one that enters service. A strategy's family
// chooses its mechanics (Group, Resizable, Consumers or Kube); the System
// drives them without knowing which they are.
type Mechanics interface {
	// build makes the mechanics of System s.
	build(s *System) mechanics
}

// mechanics is built Mechanics: what the System asks of them.
type mechanics interface {
	// apply carries out a decision that changed the desired state;
	// s.desired already holds d.Desired.
	apply(now sim.Time, d strategies.Decision)
	// launch starts one instance of the current type, or reports false
	// when no zone can take it.
	launch(now sim.Time) bool
	// surge is how many instances the mechanics keep above the desired
	// capacity for now (a rebalance's launches not yet in service).
	surge() int
	// loaded is told that instance id's model is loaded at now (before the
	// front door decides whether it serves).
	loaded(id int32, now sim.Time)
	// inService is told that instance id entered service at now.
	inService(id int32, now sim.Time)
	// detected is told that health checks took the failed instance id out
	// of service at now.
	detected(id int32, now sim.Time)
	// zoneChanged is told that a zone went out (its instances failed or
	// were lost) or came back at now.
	zoneChanged(now sim.Time)
	// event handles one of the mechanics' own events (kindFleet).
	event(ev sim.Event)
	// accrue brings the mechanics' own bill up to now; costUSD returns it.
	accrue(now sim.Time)
	costUSD() float64
}

// cluster is implemented by mechanics that run pods on nodes (Kube): the
// System asks them for what only a cluster has.
type cluster interface {
	// start places the initial fleet (init.Desired pods) at time zero.
	start(init strategies.Decision) error
	// podViews returns the pods as the controllers see them at now.
	podViews(now sim.Time) []strategies.PodView
	// adjust adds what the instances do not show to the fleet's view: the
	// pods no node has taken yet, and the pods' CPU request.
	adjust(v *strategies.FleetView)
	// sampleNodes fills in the sample's node counts at now.
	sampleNodes(now sim.Time, fs *FleetSample)
}

// Group is an EC2 Auto Scaling group (docs/aws-behaviour.md §1): it
// launches and terminates instances until the active ones match the
// desired capacity, and replaces a failed instance with a new one. A
// static fleet is run as a group whose desired capacity never changes.
type Group struct {
	// WarmPool is the group's warm pool; a Size of 0 means none.
	WarmPool WarmPoolConfig
	// Max is the group's maximum capacity, which rebalancing across zones
	// may exceed by max(1, Max/10) for a while (§1.9); 0 takes the desired
	// capacity of the moment.
	Max int
}

// build implements Mechanics.
func (g Group) build(s *System) mechanics {
	s.poolStart = g.WarmPool.Start
	return &group{s: s, cfg: g.WarmPool, max: g.Max, pool: warmPool{ready: g.WarmPool.Size}} // the pool is prepared before the run
}

// group is a built Group.
type group struct {
	s    *System
	cfg  WarmPoolConfig
	max  int
	pool warmPool
	// moving lists the instances a rebalance launched that are not in
	// service yet: each, once in service, lets one instance of the fullest
	// zone go.
	moving []int32
}

// warmPool tracks the pool's ready and preparing instances and its bill.
type warmPool struct {
	ready, preparing int
	costUSD          float64 // stopped-instance charges and refill runs so far
	since            sim.Time
}

// apply implements mechanics: launch or terminate to the desired count.
func (g *group) apply(now sim.Time, d strategies.Decision) {
	g.s.keepType(d, "an Auto Scaling group")
	g.s.reconcile(now)
}

// launch implements mechanics: a launch takes a pre-initialised instance
// from the warm pool when one is ready (docs/aws-behaviour.md §1.11),
// which then only starts, and the pool refills in the background.
func (g *group) launch(now sim.Time) bool {
	id, ok := g.s.launchInstance(now, CauseCapacity)
	if ok && g.pool.ready > 0 {
		g.pool.ready--
		g.s.inst[id].fromPool = true
		g.refill(now)
	}
	return ok
}

// keepType panics when d asks mechanics that cannot change type (what)
// for another one: the strategy's family paired a resizing policy with
// them, a programming error.
func (s *System) keepType(d strategies.Decision, what string) {
	if d.InstanceType != "" && d.InstanceType != s.itype.Name {
		panic(fmt.Sprintf("models: strategy %s asked %s for type %s, which they cannot change to", s.st.Name(), what, d.InstanceType))
	}
}

// refill starts preparing one pool instance: it runs a boot and a model
// load, billed as a running instance (60 s minimum), then stops.
func (g *group) refill(now sim.Time) {
	s := g.s
	prep := s.delay(s.cfg.Lifecycle.Pending) + s.delay(s.cfg.Lifecycle.Boot) + s.delay(s.cfg.Lifecycle.Startup)
	g.pool.preparing++
	g.pool.costUSD += s.itype.PriceUSDHour * max(prep, BillingMinimum).Hours()
	s.eng.Schedule(now.Add(prep), kindFleet, 0, 0)
}

// loaded implements mechanics: nothing to do.
func (g *group) loaded(int32, sim.Time) {}

// inService implements mechanics: a rebalance's launch in service lets
// an instance of the fullest zone go.
func (g *group) inService(id int32, now sim.Time) {
	s := g.s
	s.readyEvent(id, now)
	i := slices.Index(g.moving, id)
	if i < 0 {
		return
	}
	g.moving = slices.Delete(g.moving, i, i+1)
	victim := s.victim(now)
	v := &s.inst[victim]
	s.event(now, EventRebalance, fmt.Sprintf("instance %d (zone %c) leaves to balance the zones", victim, 'a'+rune(v.zone)))
	s.retire(victim, now, CauseRebalance)
	// A scale-in may have taken another of the rebalance's launches
	// meanwhile: trim what is then above the target.
	s.reconcile(now)
	g.rebalance(now)
}

// detected implements mechanics: the failed instance is terminated and a
// replacement launched.
func (g *group) detected(id int32, now sim.Time) {
	g.s.terminating(id, now, CauseHealth)
	g.s.terminate(id, now)
	g.s.reconcile(now)
}

// zoneChanged implements mechanics: launches lost with a zone start again
// elsewhere, missing capacity is launched when a zone returns, and then
// the zones are balanced.
func (g *group) zoneChanged(now sim.Time) {
	g.s.reconcile(now)
	g.rebalance(now)
}

// rebalance evens out the instances across the zones that are up, as a
// group does when a zone comes back (docs/aws-behaviour.md §1.9): it
// launches in the emptiest zones first, and terminates one instance of the
// fullest zone as each launch enters service. Meanwhile the group may hold
// up to max(1, 10% of its maximum) instances more than its maximum.
func (g *group) rebalance(now sim.Time) {
	s := g.s
	if g.settle(); len(g.moving) > 0 {
		return // one rebalance at a time
	}
	counts := slices.Clone(s.zoneCounts())
	moves := 0
	for {
		lo, hi := -1, -1
		for z := range counts {
			if s.zoneDown[z] {
				continue
			}
			if lo < 0 || counts[z] < counts[lo] {
				lo = z
			}
			if hi < 0 || counts[z] > counts[hi] {
				hi = z
			}
		}
		if lo < 0 || counts[hi]-counts[lo] <= 1 {
			break
		}
		counts[hi]--
		counts[lo]++
		moves++
	}
	limit := g.max
	if limit <= 0 {
		limit = s.desired
	}
	limit += max(1, limit/10)
	for n := min(moves, limit-s.activeCount()); n > 0; n-- {
		id, ok := s.launchInstance(now, CauseRebalance)
		if !ok {
			return
		}
		g.moving = append(g.moving, id)
		s.event(now, EventRebalance, fmt.Sprintf("instance %d launched in zone %c to balance the zones", id, 'a'+rune(s.inst[id].zone)))
	}
}

// surge implements mechanics: the rebalance's launches not yet in service.
func (g *group) surge() int {
	g.settle()
	return len(g.moving)
}

// settle forgets the rebalance launches that were lost (terminated or
// failed before they entered service): nothing will leave for them.
func (g *group) settle() {
	s := g.s
	g.moving = slices.DeleteFunc(g.moving, func(id int32) bool {
		st := s.inst[id].state
		return st == Terminated || st == Failed
	})
}

// event implements mechanics: a pool instance has finished preparing.
func (g *group) event(ev sim.Event) {
	g.accrue(ev.At)
	g.pool.preparing--
	g.pool.ready++
}

// accrue implements mechanics: the stopped pool instances' charge.
func (g *group) accrue(now sim.Time) {
	g.pool.costUSD += float64(g.pool.ready) * g.cfg.StoppedUSDHour * now.Sub(g.pool.since).Hours()
	g.pool.since = now
}

// costUSD implements mechanics.
func (g *group) costUSD() float64 { return g.pool.costUSD }

// Resizable is one instance whose type changes along a ladder
// (docs/aws-behaviour.md §4): by Mode, stopping it and starting it again
// as the new type, or launching the new type beside it. A failed instance
// is restarted in place.
type Resizable struct {
	Mode ResizeMode
	// StopTime is how long a stop/start resize takes to stop the instance
	// before it starts again (seconds from the boot stream; nil = 0).
	StopTime Sampler
}

// build implements Mechanics.
func (r Resizable) build(s *System) mechanics { return &resizable{s: s, cfg: r} }

// resizable is a built Resizable.
type resizable struct {
	s        *System
	cfg      Resizable
	resizing bool // a resize is under way
}

// apply implements mechanics: a new type is a resize.
func (r *resizable) apply(now sim.Time, d strategies.Decision) {
	s := r.s
	if d.InstanceType == "" || d.InstanceType == s.itype.Name {
		s.reconcile(now)
		return
	}
	t, ok := s.cfg.Catalog.Lookup(d.InstanceType)
	if !ok {
		panic(fmt.Sprintf("models: strategy %s chose unknown instance type %q", s.st.Name(), d.InstanceType))
	}
	r.resize(now, t)
}

// resize changes the instance type.
func (r *resizable) resize(now sim.Time, t InstanceType) {
	s := r.s
	mode := "stop/start"
	if r.cfg.Mode == BlueGreen {
		mode = "blue/green"
	}
	s.event(now, EventResize, fmt.Sprintf("%s resize %s → %s", mode, s.itype.Name, t.Name))
	r.resizing = true
	s.itype = t
	if r.cfg.Mode == BlueGreen {
		s.launchInstance(now, CauseCapacity) // the old one drains when this one is healthy
		return
	}
	// Stop/start: everything inside is lost, billing stops while stopped,
	// and the instance starts again (a new 60 s minimum) as the new type.
	stop := s.delay(r.cfg.StopTime)
	for i := range s.inst {
		in := &s.inst[i]
		if in.state == Terminated || in.state == Draining {
			continue
		}
		zone := in.zone
		s.dropAll(int32(i), now)
		s.terminate(int32(i), now)
		// The stopped instance stays registered, and its health checks
		// fail: it is an unhealthy target until its model is loaded again
		// and it passes the healthy threshold (docs/aws-behaviour.md §3.4).
		id := s.addInstance(t, zone, now, false)
		s.door.register(id, now, targetUnhealthy)
		s.eng.Schedule(now.Add(stop+s.delay(s.cfg.Lifecycle.Pending)), kindLifecycle, id, s.inst[id].inc)
	}
}

// launch implements mechanics.
func (r *resizable) launch(now sim.Time) bool {
	_, ok := r.s.launchInstance(now, CauseCapacity)
	return ok
}

// surge implements mechanics: a resizable instance keeps none.
func (r *resizable) surge() int { return 0 }

// loaded implements mechanics: a stop/start resize's instance serves as
// soon as its model is up. It is the only target, unhealthy since it was
// stopped, so the load balancer fails open to it (docs/aws-behaviour.md
// §3.5) before its health checks pass: the resize is over.
func (r *resizable) loaded(id int32, now sim.Time) {
	s := r.s
	if r.resizing && r.cfg.Mode == StopStart && s.inst[id].typ.Name == s.itype.Name {
		r.resizing = false
		s.event(now, EventResized, "now serving on "+s.itype.Name+" (fail-open: its health checks have not passed yet)")
	}
}

// inService implements mechanics: the resized type in service ends the
// resize; blue/green then shifts traffic off the old instance.
func (r *resizable) inService(id int32, now sim.Time) {
	s := r.s
	in := &s.inst[id]
	if now > 0 && r.resizing && in.typ.Name == s.itype.Name {
		r.resizing = false
		s.event(now, EventResized, "now serving on "+in.typ.Name)
	} else {
		s.readyEvent(id, now)
	}
	if r.cfg.Mode != BlueGreen {
		return
	}
	for i := range s.inst {
		if old := &s.inst[i]; int32(i) != id && old.state == InService && old.typ.Name != in.typ.Name {
			s.drain(int32(i), now)
		}
	}
}

// detected implements mechanics: the instance is restarted in place.
func (r *resizable) detected(id int32, now sim.Time) { r.s.restart(id, now) }

// zoneChanged implements mechanics: the one instance waits for its zone.
func (r *resizable) zoneChanged(sim.Time) {}

// event implements mechanics; a resizable instance schedules none.
func (r *resizable) event(sim.Event) {
	panic("models: an event for a resizable instance, which schedules none")
}

// accrue implements mechanics: nothing beyond the instance's own bill.
func (r *resizable) accrue(sim.Time) {}

// costUSD implements mechanics.
func (r *resizable) costUSD() float64 { return 0 }

// Consumers are a stream's consumer instances: a fleet of the desired
// count whose failed instances are restarted in place (docs/aws-behaviour.md
// §5), as a consumer application on its own instance would be.
type Consumers struct{}

// build implements Mechanics.
func (Consumers) build(s *System) mechanics { return consumers{s} }

// consumers is built Consumers.
type consumers struct{ s *System }

// apply implements mechanics: launch or terminate to the desired count.
func (c consumers) apply(now sim.Time, d strategies.Decision) {
	c.s.keepType(d, "stream consumers")
	c.s.reconcile(now)
}

// launch implements mechanics.
func (c consumers) launch(now sim.Time) bool {
	_, ok := c.s.launchInstance(now, CauseCapacity)
	return ok
}

// loaded implements mechanics: nothing to do.
func (c consumers) loaded(int32, sim.Time) {}

// surge implements mechanics: consumers keep none.
func (c consumers) surge() int { return 0 }

// inService implements mechanics.
func (c consumers) inService(id int32, now sim.Time) { c.s.readyEvent(id, now) }

// detected implements mechanics: the consumer is restarted in place.
func (c consumers) detected(id int32, now sim.Time) { c.s.restart(id, now) }

// zoneChanged implements mechanics: consumers wait for their zone.
func (c consumers) zoneChanged(sim.Time) {}

// event implements mechanics; consumers schedule none.
func (c consumers) event(sim.Event) {
	panic("models: an event for stream consumers, which schedule none")
}

// accrue implements mechanics: nothing beyond the instances' own bills.
func (c consumers) accrue(sim.Time) {}

// costUSD implements mechanics.
func (c consumers) costUSD() float64 { return 0 }
