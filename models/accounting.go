package models

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

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
	s.door.accrue(now)
	s.mech.accrue(now)
	compute := s.meter.CostAt(now) + s.mech.costUSD()
	lbUSD, streamUSD := s.door.costs()
	cost := compute + lbUSD + streamUSD
	age, _ := s.door.iteratorAge(ageSample)
	s.lastCost = cost
	fs := FleetSample{
		Start:       s.lastSample,
		End:         now,
		InService:   v.InService - v.Starting, // serving
		Pending:     v.Pending + v.Starting,   // launched, not serving yet
		Slots:       int(s.door.servingSlots(s.slotsTotal)),
		Utilization: util,
		CostUSD:     cost,
		ComputeUSD:  compute,
		LBUSD:       lbUSD,
		StreamUSD:   streamUSD,
		InstanceSec: s.meter.InstanceSecondsAt(now),

		Desired:        s.desired,
		GroupInService: v.InService,
		GroupPending:   v.Pending,

		IteratorAgeMS: age,
	}
	if c, ok := s.mech.(cluster); ok {
		c.sampleNodes(now, &fs)
	}
	s.sink.Sampled(fs)
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
			s.door.outcome(int32(h), horizon, InFlight)
		}
	}
	s.countIn(horizon, 0)
	s.door.finish(horizon)
	st := RunStats{
		Events:   s.eng.Processed(),
		Arrivals: s.arrivals,
		CostUSD:  s.lastCost,
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
		if in.busy < in.slots && in.queued > 0 && in.canServe() {
			return fmt.Errorf("instance %d: %d requests queued while %d of %d slots idle", i, in.queued, in.slots-in.busy, in.slots)
		}
		busy += int64(in.busy)
	}
	if busy != s.busyTotal {
		return fmt.Errorf("busy workers %d != fleet total %d", busy, s.busyTotal)
	}
	if err := s.door.check(); err != nil {
		return err
	}
	lbUSD, streamUSD := s.door.costs()
	if c := s.meter.CostAt(now) + s.mech.costUSD() + lbUSD + streamUSD; c < 0 || c < s.lastCost-1e-9 {
		return fmt.Errorf("cost %v negative or below the earlier %v", c, s.lastCost)
	} else {
		s.lastCost = c
	}
	return nil
}
