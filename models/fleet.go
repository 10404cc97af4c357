package models

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// addInstance launches an instance of type t at now, billed from now.
func (s *System) addInstance(t InstanceType, now sim.Time) int32 {
	id := int32(len(s.inst))
	s.inst = append(s.inst, instance{
		typ:        t,
		state:      Pending,
		slots:      int32(t.VCPUs * s.cfg.Service.WorkersPerVCPU),
		launchedAt: now,
		busySince:  now,
	})
	s.meter.Start(id, now, t.PriceUSDHour)
	return id
}

// enterService makes instance id routable at now.
func (s *System) enterService(id int32, now sim.Time) {
	in := &s.inst[id]
	for in.state != InService {
		in.move(in.state + 1)
	}
	in.readyAt = now
	s.accrueUtil(now)
	s.slotsTotal += int64(in.slots)
	s.routable = append(s.routable, id)
}

// leaveService removes instance id from the routable set at now.
func (s *System) leaveService(id int32, now sim.Time) {
	s.accrueUtil(now)
	s.slotsTotal -= int64(s.inst[id].slots)
	for i, r := range s.routable {
		if r == id {
			s.routable = append(s.routable[:i], s.routable[i+1:]...)
			if s.rr > i {
				s.rr--
			}
			break
		}
	}
}

// advance moves a launching instance to its next lifecycle stage and
// schedules the one after; the delays come from the boot stream.
func (s *System) advance(id int32, now sim.Time) {
	in := &s.inst[id]
	var next sim.Duration
	switch in.state {
	case Pending:
		in.move(Booting)
		next = s.delay(s.cfg.Lifecycle.Boot)
	case Booting:
		in.move(Loading)
		next = s.delay(s.cfg.Lifecycle.Startup)
	case Loading:
		in.move(HealthCheck)
		next = s.cfg.Lifecycle.HealthCheck
	case HealthCheck:
		s.enterService(id, now)
		return
	case Draining, Terminated:
		return // scaled in before it was ready
	default:
		panic(fmt.Sprintf("models: lifecycle event for instance in state %s", in.state))
	}
	s.eng.Schedule(now.Add(next), kindLifecycle, id, 0)
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
	d := s.st.Decide(obs)
	s.apply(now, d, obs.Fleet)
	s.eng.Schedule(now.Add(s.st.Interval()), kindControl, 0, 0)
}

// view is the fleet as the control plane reports it.
func (s *System) view() strategies.FleetView {
	v := strategies.FleetView{InstanceType: s.itype.Name, Desired: s.desired}
	for i := range s.inst {
		switch s.inst[i].state {
		case Pending, Booting, Loading, HealthCheck:
			v.Pending++
		case InService:
			v.InService++
			if s.inst[i].readyAt.Add(s.cfg.Monitor.Warmup) > s.eng.Now() {
				v.Warming++
			}
		case Draining:
			v.Draining++
		}
	}
	return v
}

// apply reconciles the fleet with a decision: launch to grow, drain the
// newest instances to shrink.
func (s *System) apply(now sim.Time, d strategies.Decision, before strategies.FleetView) {
	if d.Desired == s.desired && (d.InstanceType == "" || d.InstanceType == s.itype.Name) {
		return
	}
	s.sink.Decided(now, d, before)
	s.desired = d.Desired
	active := before.Pending + before.InService
	for ; active < d.Desired; active++ {
		id := s.addInstance(s.itype, now)
		s.eng.Schedule(now, kindLifecycle, id, 0)
	}
	for i := len(s.inst) - 1; i >= 0 && active > d.Desired; i-- {
		switch s.inst[i].state {
		case Pending, Booting, Loading, HealthCheck:
			s.terminate(int32(i), now)
			active--
		case InService:
			s.drain(int32(i), now)
			active--
		}
	}
}

// drain deregisters instance id: new requests go elsewhere, in-flight and
// queued ones finish, then it terminates.
func (s *System) drain(id int32, now sim.Time) {
	s.leaveService(id, now)
	in := &s.inst[id]
	in.move(Draining)
	if in.busy == 0 && in.queued == 0 {
		s.terminate(id, now)
	}
}

// terminate stops instance id and its billing.
func (s *System) terminate(id int32, now sim.Time) {
	in := &s.inst[id]
	if in.state == InService {
		s.leaveService(id, now)
	}
	in.move(Terminated)
	s.meter.Stop(id, now)
}

// accrueUtil brings the fleet's busy and slot integrals up to now.
func (s *System) accrueUtil(now sim.Time) {
	dt := float64(now - s.utilSince)
	s.busyArea += float64(s.busyTotal) * dt
	s.slotArea += float64(s.slotsTotal) * dt
	s.utilSince = now
}

// sample closes a sampling interval and reports it to the sink.
func (s *System) sample(now sim.Time) {
	s.accrueUtil(now)
	util := 0.0
	if s.slotArea > 0 {
		util = s.busyArea / s.slotArea
	}
	v := s.view()
	cost := s.meter.CostAt(now)
	s.lastCost = cost
	s.sink.Sampled(FleetSample{
		Start:       s.lastSample,
		End:         now,
		InService:   v.InService,
		Pending:     v.Pending,
		Slots:       int(s.slotsTotal),
		Utilization: util,
		CostUSD:     cost,
		ComputeUSD:  cost,
		InstanceSec: s.meter.InstanceSecondsAt(now),
	})
	s.busyArea, s.slotArea = 0, 0
	s.lastSample = now
}

// finish closes the run at the horizon: a last partial sample, and every
// request still inside reported as in flight.
func (s *System) finish(horizon sim.Time) RunStats {
	if s.lastSample < horizon {
		s.sample(horizon)
	}
	for h := range s.reqs {
		switch s.reqs[h].state {
		case reqQueued, reqServing:
			s.leave(s.reqs[h].arrived, horizon, InFlight)
		}
	}
	s.countIn(horizon, 0)
	st := RunStats{
		Events:   s.eng.Processed(),
		Arrivals: s.arrivals,
		CostUSD:  s.meter.CostAt(horizon),
	}
	if horizon > 0 {
		st.MeanInSystem = s.areaInSystem / float64(horizon)
	}
	return st
}

// check verifies the model's invariants after an event at now.
func (s *System) check(now sim.Time) error {
	if now < s.lastNow {
		return fmt.Errorf("clock went back from %v to %v", s.lastNow, now)
	}
	s.lastNow = now
	if s.arrivals != s.finished+s.inSystem {
		return fmt.Errorf("ledger: arrived %d != finished %d + in system %d", s.arrivals, s.finished, s.inSystem)
	}
	var busy int64
	for i := range s.inst {
		in := &s.inst[i]
		if in.busy < 0 || in.busy > in.slots {
			return fmt.Errorf("instance %d: %d busy workers for %d slots", i, in.busy, in.slots)
		}
		if in.queued < 0 || int(in.queued) > in.queue.len() {
			return fmt.Errorf("instance %d: %d queued, ring holds %d", i, in.queued, in.queue.len())
		}
		if in.busy < in.slots && in.queued > 0 && in.state == InService {
			return fmt.Errorf("instance %d: %d requests queued while %d of %d slots idle", i, in.queued, in.slots-in.busy, in.slots)
		}
		busy += int64(in.busy)
	}
	if busy != s.busyTotal {
		return fmt.Errorf("busy workers %d != fleet total %d", busy, s.busyTotal)
	}
	if c := s.meter.CostAt(now); c < 0 || c < s.lastCost {
		return fmt.Errorf("cost %v negative or below the earlier %v", c, s.lastCost)
	} else {
		s.lastCost = c
	}
	return nil
}
