package models

import "github.com/scalesim/scalesim/sim"

// A Door is what requests meet first: a LoadBalancer, which routes each
// request to an in-service instance at once, or a Stream, which holds
// requests as records until the consumers fetch them. A strategy's family
// chooses its door; the System drives it without knowing which it is.
type Door interface {
	// open makes the door of System s.
	open(s *System) door
}

// door is an open Door: what the System asks of its front door.
type door interface {
	// start schedules the door's own events at time zero.
	start()
	// admit takes one arrival at now, whose service demand is demand
	// seconds: it routes it, holds it, or refuses it (Rejected).
	admit(now sim.Time, demand float64)
	// event handles one of the door's own events (kindDoor).
	event(ev sim.Event)
	// outcome settles request h, which left an instance at now with
	// outcome o: Completed, Dropped (lost with its instance) or InFlight
	// (at the horizon). The door reports it to the ledger, or keeps it.
	outcome(h int32, now sim.Time, o Outcome)
	// down is told that instance id failed at now.
	down(id int32, now sim.Time)
	// iteratorAge returns the largest GetRecords iterator age, in ms, and
	// the number of GetRecords calls since reader (ageSample or
	// agePeriod) last asked; a door without a stream has none.
	iteratorAge(reader int) (ms float64, calls int)
	// check verifies the door's own invariants (Config.Checks).
	check() error
	// accrue brings the door's bill up to now.
	accrue(now sim.Time)
	// costs returns the door's cumulative bill, as the load balancer's and
	// the stream's parts.
	costs() (loadBalancerUSD, streamUSD float64)
	// finish reports the requests the door still holds at the horizon.
	finish(horizon sim.Time)
}

// LoadBalancer is an Application Load Balancer in front of the fleet
// (docs/aws-behaviour.md §3): it routes each request to an in-service
// instance by Routing, holds none itself, and bills an hourly charge plus
// LCU-hours, an LCU being the largest of new connections/25 per second,
// processed GB per hour and rule evaluations/1,000 per second (§3.6).
type LoadBalancer struct {
	Routing         Routing // how a target is chosen
	HourlyUSD       float64 // per ALB-hour (ALBHourlyUSD)
	LCUHourUSD      float64 // per LCU-hour (ALBLCUHourUSD)
	RequestsPerConn float64 // requests per new connection (keep-alive); default 1
	BytesPerRequest float64 // request + response bytes processed; default 10,000
	RulesPerRequest float64 // rule evaluations beyond the 10 free ones; default 0
}

// open implements Door.
func (lb LoadBalancer) open(s *System) door { return &albDoor{s: s, cfg: lb} }

// albDoor is an open LoadBalancer.
type albDoor struct {
	s        *System
	cfg      LoadBalancer
	usd      float64  // cumulative bill
	since    sim.Time // of the last accrual
	arrivals int64    // the System's arrivals at the last accrual
}

// start implements door: the load balancer has no events of its own.
func (a *albDoor) start() {}

// admit implements door: the request goes to the target the routing
// algorithm picks, and is refused when there is none, when the target has
// crashed and health checks have not noticed yet, or when its queue is full.
func (a *albDoor) admit(now sim.Time, demand float64) {
	s := a.s
	target := s.pick(a.cfg.Routing)
	if target < 0 {
		s.leave(now, now, Rejected)
		return
	}
	in := &s.inst[target]
	in.routed++
	if in.state != InService {
		s.leave(now, now, Rejected) // a crashed target not yet noticed refuses it
		return
	}
	if in.busy >= in.slots && s.cfg.Service.QueueLimit > 0 && int(in.queued) >= s.cfg.Service.QueueLimit {
		s.leave(now, now, Rejected)
		return
	}
	h := s.newRequest(now, demand, target)
	if in.busy < in.slots {
		s.start(target, h, now)
	} else {
		s.reqs[h].state = reqQueued
		in.queue.push(h)
		in.accrue(now)
		in.queued++
	}
	if to := s.cfg.Service.Timeout; to > 0 {
		s.eng.Schedule(now.Add(to), kindTimeout, 0, int64(h)|int64(s.reqs[h].gen)<<32)
	}
}

// event implements door; the load balancer schedules none.
func (a *albDoor) event(sim.Event) {
	panic("models: an event for a load balancer, which schedules none")
}

// accrue implements door: the hourly charge plus LCU-hours since the last
// accrual, the LCU being the largest of its dimensions over that span.
func (a *albDoor) accrue(now sim.Time) {
	lb, s := &a.cfg, a.s
	dt := now.Sub(a.since).Seconds()
	if dt <= 0 {
		a.since, a.arrivals = now, s.arrivals
		return
	}
	reqs := float64(s.arrivals - a.arrivals)
	perConn := lb.RequestsPerConn
	if perConn <= 0 {
		perConn = 1
	}
	bytes := lb.BytesPerRequest
	if bytes <= 0 {
		bytes = 10_000
	}
	lcu := max(
		reqs/perConn/dt/25,              // new connections per second / 25
		reqs*bytes/1e9/(dt/3600),        // processed GB per hour
		reqs*lb.RulesPerRequest/dt/1000, // rule evaluations per second / 1,000
	)
	a.usd += (lb.HourlyUSD + lcu*lb.LCUHourUSD) * dt / 3600
	a.since, a.arrivals = now, s.arrivals
}

// costs implements door.
func (a *albDoor) costs() (float64, float64) { return a.usd, 0 }

// outcome implements door: the request leaves the system as it left its
// instance.
func (a *albDoor) outcome(h int32, now sim.Time, o Outcome) { a.s.leave(a.s.reqs[h].arrived, now, o) }

// down implements door: the load balancer learns of a failure from its
// health checks, not from the failure.
func (a *albDoor) down(int32, sim.Time) {}

// iteratorAge implements door: there is no stream.
func (a *albDoor) iteratorAge(int) (float64, int) { return 0, 0 }

// check implements door: the load balancer holds nothing to check.
func (a *albDoor) check() error { return nil }

// finish implements door: the load balancer holds no request.
func (a *albDoor) finish(sim.Time) {}
