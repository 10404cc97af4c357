package models

import (
	"fmt"
	"strconv"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// addInstance creates an instance of type t in zone at now. Instances in
// the initial fleet are billed from now; launched ones from the moment EC2
// reports them running, not while they are pending (docs/aws-behaviour.md §6).
func (s *System) addInstance(t InstanceType, zone int, now sim.Time, billNow bool) int32 {
	id := int32(len(s.inst))
	s.inst = append(s.inst, instance{
		typ:        t,
		state:      Pending,
		slots:      int32(s.cfg.Service.Slots(t)),
		zone:       zone,
		launchedAt: now,
		busySince:  now,
	})
	if billNow {
		s.startBilling(id, now)
	}
	s.scheduleFailure(id, now)
	return id
}

// startBilling starts instance id's bill at now: its type's price and its
// EBS root volume's.
func (s *System) startBilling(id int32, now sim.Time) {
	s.meter.Start(id, now, s.inst[id].typ.PriceUSDHour+s.cfg.RootVolumeUSDHour)
	s.inst[id].billed = true
}

// launchInstance starts a new instance of the current type in the
// emptiest healthy zone, for cause; it returns false when every zone is
// down.
func (s *System) launchInstance(now sim.Time, cause LifecycleCause) (int32, bool) {
	zone := s.pickZone()
	if zone < 0 {
		return -1, false
	}
	id := s.addInstance(s.itype, zone, now, false)
	if s.life != nil {
		s.life.InstanceLaunched(now, id, zone, cause)
	}
	s.eng.Schedule(now.Add(s.delay(s.cfg.Lifecycle.Pending)), kindLifecycle, id, s.inst[id].inc)
	return id, true
}

// pickZone returns the healthy zone with the fewest active instances (ASG
// launches balance zones, docs/aws-behaviour.md §1.9), or -1 if all are down.
func (s *System) pickZone() int {
	counts := s.zoneCounts()
	best := -1
	for z := range counts {
		if s.zoneDown[z] {
			continue
		}
		if best < 0 || counts[z] < counts[best] {
			best = z
		}
	}
	return best
}

// zoneCounts counts active (launching or in-service) instances per zone.
func (s *System) zoneCounts() []int {
	counts := s.zoneBuf[:0]
	for range s.zoneDown {
		counts = append(counts, 0)
	}
	for i := range s.inst {
		if s.inst[i].active() {
			counts[s.inst[i].zone]++
		}
	}
	s.zoneBuf = counts
	return counts
}

// activeCount is the number of active instances.
func (s *System) activeCount() int {
	n := 0
	for i := range s.inst {
		if s.inst[i].active() {
			n++
		}
	}
	return n
}

// active reports whether an instance counts toward capacity as the control
// plane sees it: launching, in service, or failed but not yet noticed.
func (in *instance) active() bool {
	return in.state <= InService || in.state == Failed && !in.detected
}

// enterService makes instance id routable at now: its target turned
// healthy (or, a stream's consumer, its model is loaded).
func (s *System) enterService(id int32, now sim.Time) {
	in := &s.inst[id]
	for in.state != InService {
		in.move(in.state + 1)
	}
	s.accrueUtil(now)
	s.slotsTotal += int64(in.slots)
	s.routable = append(s.routable, id)
	s.mech.inService(id, now)
}

// readyEvent tells an event-listening sink that instance id entered
// service, unless it did so at time zero (the initial fleet).
func (s *System) readyEvent(id int32, now sim.Time) {
	if now > 0 {
		in := &s.inst[id]
		s.event(now, EventLaunchReady, fmt.Sprintf("instance %d (%s, zone %c) in service", id, in.typ.Name, 'a'+rune(in.zone)))
	}
}

// leaveService removes instance id from the routable set at now.
func (s *System) leaveService(id int32, now sim.Time) {
	for i, r := range s.routable {
		if r == id {
			s.accrueUtil(now)
			s.slotsTotal -= int64(s.inst[id].slots)
			s.routable = append(s.routable[:i], s.routable[i+1:]...)
			if s.rr > i {
				s.rr--
			}
			return
		}
	}
}

// advance moves a launching instance to its next lifecycle stage and
// schedules the one after; the delays come from the boot stream. When EC2
// reports it running, the instance is in service as its group counts it:
// billed, registered with the front door, and its warm-up starts; its
// operating system and model start after that (docs/aws-behaviour.md
// §1.3), and once the model is loaded the door decides when it serves.
func (s *System) advance(id int32, inc int64, now sim.Time) {
	in := &s.inst[id]
	if in.inc != inc {
		return // a stale event from before a restart
	}
	var next sim.Duration
	switch in.state {
	case Pending:
		in.move(Booting)
		in.inServiceAt = now
		if s.life != nil {
			s.life.InstanceRunning(now, id)
		}
		s.startBilling(id, now)
		s.door.register(id, now, targetInitial)
		if in.fromPool {
			in.move(Loading) // pre-initialised: only its application starts
			next = s.delay(s.poolStart)
			break
		}
		next = s.delay(s.cfg.Lifecycle.Boot)
	case Failed:
		if s.zoneDown[in.zone] {
			// Its zone is out: try again when the next health check would.
			s.eng.Schedule(now.Add(30*sim.Second), kindLifecycle, id, inc)
			return
		}
		in.move(Booting) // restarted in place: still billed, still registered
		in.inServiceAt = now
		next = s.delay(s.cfg.Lifecycle.Boot)
	case Booting:
		in.move(Loading)
		next = s.delay(s.cfg.Lifecycle.Startup)
	case Loading:
		in.move(HealthCheck)
		s.mech.loaded(id, now)
		s.door.loaded(id, now)
		return
	default:
		return // scaled in or failed before it was ready, or already serving
	}
	s.eng.Schedule(now.Add(next), kindLifecycle, id, inc)
}

// targetHealthy is the load balancer finding instance id healthy at now:
// a loaded instance starts serving.
func (s *System) targetHealthy(id int32, now sim.Time) {
	if s.inst[id].state == HealthCheck {
		s.enterService(id, now)
	}
}

// targetUnhealthy is the load balancer finding instance id unhealthy at
// now: a crashed instance is noticed (one still starting just waits for
// its checks to pass).
func (s *System) targetUnhealthy(id int32, now sim.Time) {
	if in := &s.inst[id]; in.state == Failed && !in.detected {
		s.detect(id, in.inc, now)
	}
}

// delay draws a lifecycle delay in whole nanoseconds; nil means none.
func (s *System) delay(d Sampler) sim.Duration {
	if d == nil {
		return 0
	}
	return sim.FromSeconds(d.Sample(s.boot))
}

// control asks the strategy for its desired state and applies it.
func (s *System) control(now sim.Time) {
	obs := strategies.Observation{Now: now, Periods: s.mon.visible(now), Fleet: s.view()}
	if c, ok := s.mech.(cluster); ok {
		obs.Pods = c.podViews(now)
	}
	d := s.st.Decide(obs)
	s.apply(now, d, obs.Fleet)
	s.eng.Schedule(now.Add(s.st.Interval()), kindControl, 0, 0)
}

// view is the fleet as the control plane reports it: pending until EC2
// reports an instance running, in service from then on (starting until
// the load balancer finds it healthy), warming for the warm-up after that.
func (s *System) view() strategies.FleetView {
	v := strategies.FleetView{InstanceType: s.itype.Name, Desired: s.desired}
	now := s.eng.Now()
	for i := range s.inst {
		in := &s.inst[i]
		switch {
		case in.state == Pending:
			v.Pending++
		case in.running():
			v.InService++
			if in.state != InService {
				v.Starting++
			}
			if in.inServiceAt.Add(s.cfg.Monitor.Warmup) > now {
				v.Warming++
			}
		case in.state == Draining:
			v.Draining++
		}
	}
	if c, ok := s.mech.(cluster); ok {
		c.adjust(&v)
	}
	return v
}

// apply records a decision that changes the desired state and reconciles
// the fleet with it.
func (s *System) apply(now sim.Time, d strategies.Decision, before strategies.FleetView) {
	resize := d.InstanceType != "" && d.InstanceType != s.itype.Name || len(d.Update) > 0
	if d.Desired == s.desired && !resize {
		if d.PodCPU > 0 && d.PodCPU != before.PodCPU {
			s.mech.apply(now, d) // a new request for the pods to come: not an action
		}
		return
	}
	s.sink.Decided(now, d, before)
	s.actions++
	s.desired = d.Desired
	s.mech.apply(now, d)
}

// reconcile launches or terminates instances until the active count equals
// the desired capacity.
func (s *System) reconcile(now sim.Time) {
	active := s.activeCount()
	for ; active < s.desired+s.mech.surge(); active++ {
		if !s.mech.launch(now) {
			break // every zone is down; retried when one returns
		}
	}
	// The surge is asked again after each retirement: the victim may be
	// one of the instances it counted.
	for ; active > s.desired+s.mech.surge(); active-- {
		s.retire(s.victim(now), now, CauseCapacity)
	}
}

// victim picks the instance to remove on scale-in by the default
// termination policy (docs/aws-behaviour.md §1.9): the zone with the most active
// instances, then the instance closest to its next billing hour; remaining
// ties go to the newest instance (AWS picks at random; a fixed rule keeps
// runs reproducible).
func (s *System) victim(now sim.Time) int32 {
	counts := s.zoneCounts()
	zone := 0
	for z := range counts {
		if counts[z] > counts[zone] {
			zone = z
		}
	}
	best := int32(-1)
	var bestLeft sim.Duration
	for i := len(s.inst) - 1; i >= 0; i-- {
		in := &s.inst[i]
		if !in.active() || in.zone != zone {
			continue
		}
		left := sim.Hour - now.Sub(in.launchedAt)%sim.Hour
		if best < 0 || left < bestLeft {
			best, bestLeft = int32(i), left
		}
	}
	if best < 0 {
		panic("models: scale-in with no active instance")
	}
	return best
}

// retire removes an instance for cause (a scale-in, a rebalance): a
// launching one is terminated, an in-service one drains first.
func (s *System) retire(id int32, now sim.Time, cause LifecycleCause) {
	s.terminating(id, now, cause)
	if s.inst[id].state == InService {
		s.drain(id, now)
		return
	}
	s.terminate(id, now)
}

// drain deregisters instance id: new requests go elsewhere, in-flight and
// queued ones finish, then it terminates, at the latest after the
// deregistration delay.
func (s *System) drain(id int32, now sim.Time) { s.drainFor(id, now, s.cfg.Lifecycle.Deregistration) }

// drainFor drains instance id, terminating it at the latest after grace.
func (s *System) drainFor(id int32, now sim.Time, grace sim.Duration) {
	s.leaveService(id, now)
	s.door.deregister(id)
	in := &s.inst[id]
	in.move(Draining)
	if in.busy == 0 && in.queued == 0 {
		s.terminate(id, now)
		return
	}
	s.eng.Schedule(now.Add(grace), kindDrainEnd, id, in.inc)
}

// drainEnd ends a deregistration delay: what is still inside is lost.
func (s *System) drainEnd(id int32, inc int64, now sim.Time) {
	if in := &s.inst[id]; in.inc == inc && in.state == Draining {
		s.dropAll(id, now)
		s.terminate(id, now)
	}
}

// terminate stops instance id and its billing; anything still inside is
// lost.
func (s *System) terminate(id int32, now sim.Time) {
	in := &s.inst[id]
	if in.busy > 0 || in.queue.len() > 0 {
		s.dropAll(id, now)
	}
	s.leaveService(id, now)
	s.door.deregister(id)
	in.move(Terminated)
	in.inc++
	if in.billed {
		in.billed = false
		s.meter.Stop(id, now)
	}
	if s.life != nil {
		s.life.InstanceTerminated(now, id)
	}
}

// terminating tells a lifecycle-listening sink that instance id starts to
// leave at now, for cause.
func (s *System) terminating(id int32, now sim.Time, cause LifecycleCause) {
	if s.life != nil {
		s.life.InstanceTerminating(now, id, cause)
	}
}

// dropAll loses every request inside instance id: those queued or in
// service are Dropped; their pending events find them gone.
func (s *System) dropAll(id int32, now sim.Time) {
	in := &s.inst[id]
	in.accrue(now)
	s.accrueUtil(now)
	for in.queue.len() > 0 {
		h := in.queue.pop()
		if s.reqs[h].state == reqQueued {
			s.door.outcome(h, now, Dropped)
		} // an abandoned or stale request has already left
		s.release(h)
	}
	for h := range s.reqs {
		r := &s.reqs[h]
		if r.inst != id {
			continue
		}
		switch r.state {
		case reqServing:
			s.door.outcome(int32(h), now, Dropped)
			r.state = reqLost
		case reqOrphaned:
			r.state = reqLost
		}
	}
	s.busyTotal -= int64(in.busy)
	in.busy, in.queued = 0, 0
}

// scheduleFailure draws instance id's next failure from its own stream.
func (s *System) scheduleFailure(id int32, now sim.Time) {
	mtbf := s.cfg.Failures.InstanceMTBF
	if mtbf <= 0 {
		return
	}
	if int(id) >= len(s.failRNG) {
		s.failRNG = append(s.failRNG, s.streams.Stream(sim.StreamFailures+"/"+strconv.Itoa(int(id))))
	}
	at := now.Add(sim.FromSeconds(s.failRNG[id].ExpFloat64() * mtbf.Seconds()))
	s.eng.Schedule(at, kindFail, id, s.inst[id].inc)
}

// fail crashes instance id: what is inside is lost, and the load balancer
// keeps sending it requests (refused) until health checks notice.
func (s *System) fail(id int32, inc int64, now sim.Time) {
	in := &s.inst[id]
	if in.inc != inc {
		return
	}
	switch in.state {
	case InService, Draining:
	case Terminated, Failed:
		return
	default:
		// A launching instance that fails is simply launched again later.
		s.scheduleFailure(id, now)
		return
	}
	draining := in.state == Draining
	when := ""
	if draining {
		when = " while draining"
	}
	s.event(now, EventFailure, fmt.Sprintf("instance %d (%s, zone %c) failed%s", id, in.typ.Name, 'a'+rune(in.zone), when))
	if draining {
		// Already deregistered, so no health check will notice: it was
		// being terminated anyway, and what it held is lost.
		s.terminate(id, now)
		return
	}
	s.dropAll(id, now)
	in.move(Failed)
	in.detected = false
	s.door.down(id, now)
}

// detect is the health checks noticing a failed instance: it leaves the
// load balancer, and the mechanics replace it or restart it in place.
func (s *System) detect(id int32, inc int64, now sim.Time) {
	in := &s.inst[id]
	if in.inc != inc || in.state != Failed {
		return
	}
	s.leaveService(id, now)
	in.detected = true
	s.event(now, EventDetected, fmt.Sprintf("health checks took instance %d out of service", id))
	s.mech.detected(id, now)
}

// restart starts failed instance id again in place, after the recovery
// wait: a new incarnation, still billed.
func (s *System) restart(id int32, now sim.Time) {
	in := &s.inst[id]
	in.inc++
	s.scheduleFailure(id, now)
	s.eng.Schedule(now.Add(s.cfg.Lifecycle.Recovery), kindLifecycle, id, in.inc)
}

// zoneEvent takes a zone down (every instance in it fails; launching ones
// are lost) or brings it back; the mechanics then launch what is missing,
// or wait.
func (s *System) zoneEvent(zone int, up bool, now sim.Time) {
	if zone >= len(s.zoneDown) {
		return
	}
	s.zoneDown[zone] = !up
	if up {
		s.event(now, EventZoneUp, fmt.Sprintf("zone %c is back", 'a'+rune(zone)))
	} else {
		s.event(now, EventZoneDown, fmt.Sprintf("zone %c is out", 'a'+rune(zone)))
	}
	if up {
		s.mech.zoneChanged(now)
		return
	}
	for i := range s.inst {
		in := &s.inst[i]
		if in.zone != zone {
			continue
		}
		switch in.state {
		case InService, Draining:
			s.fail(int32(i), in.inc, now)
		case Pending, Booting, Loading, HealthCheck:
			s.terminating(int32(i), now, CauseHealth)
			s.terminate(int32(i), now)
		}
	}
	s.mech.zoneChanged(now)
}

// event tells an event-listening sink what happened.
func (s *System) event(now sim.Time, kind, detail string) {
	if s.events != nil {
		s.events.FleetEvent(now, kind, detail)
	}
}

// setSlots changes instance id's worker slots to n at now, in place: the
// slots gained start queued requests. The requests in service must fit n.
func (s *System) setSlots(id, n int32, now sim.Time) {
	in := &s.inst[id]
	if in.busy > n {
		panic(fmt.Sprintf("models: instance %d shrunk to %d slots with %d requests in service", id, n, in.busy))
	}
	in.accrue(now)
	if in.state == InService {
		s.accrueUtil(now)
		s.slotsTotal += int64(n - in.slots)
	}
	in.slots = n
	for in.busy < in.slots && in.canServe() && s.startQueued(id, now) {
	}
}
