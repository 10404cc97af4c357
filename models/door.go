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
	// down is told that instance id crashed at now: the door decides what
	// that stops and when it is noticed (System.targetUnhealthy, or a
	// kindDetect event).
	down(id int32, now sim.Time)
	// iteratorAge returns the largest GetRecords iterator age, in ms, and
	// the number of GetRecords calls since reader (ageSample or
	// agePeriod) last asked; a door without a stream has none.
	iteratorAge(reader int) (ms float64, calls int)
	// backlog is the number of records written to the stream and not
	// yet processed now; a door without a stream has none.
	backlog() int64
	// servingSlots is how many of the total worker slots in service can
	// work now: all of them behind a load balancer; a stream's consumer
	// works on at most PerShardConcurrency records per lease it holds.
	servingSlots(total int64) int64
	// check verifies the door's own invariants (Config.Checks).
	check() error
	// accrue brings the door's bill up to now.
	accrue(now sim.Time)
	// costs returns the door's cumulative bill, as the load balancer's and
	// the stream's parts.
	costs() (loadBalancerUSD, streamUSD float64)
	// finish reports the requests the door still holds at the horizon.
	finish(horizon sim.Time)
	// held is the number of requests the door holds now.
	held() int64

	// register is told that instance id is running and joins the door at
	// now, in health h as a load balancer would first see it.
	register(id int32, now sim.Time, h targetHealth)
	// deregister is told that instance id leaves the door (draining or
	// terminated).
	deregister(id int32)
	// loaded is told that instance id's model is loaded at now: the door
	// decides when it serves (System.enterService).
	loaded(id int32, now sim.Time)
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
	// IdleTimeout is how long the load balancer waits for a target's
	// response before it answers the client 504 (§3.5); 0 means never.
	IdleTimeout sim.Duration
	// Health is the target group's health check (§3.4).
	Health HealthCheckConfig
}

// HealthCheckConfig is a target group's health check (docs/aws-behaviour.md
// §3.4): every Interval from a random phase, each target is checked; a new
// target is healthy after one passing check, or unhealthy after
// UnhealthyThreshold failing ones first; a healthy target turns unhealthy
// after UnhealthyThreshold failing checks in a row, and an unhealthy one
// healthy after HealthyThreshold passing ones. A check passes when the
// instance's model is loaded and it has not failed.
type HealthCheckConfig struct {
	Interval           sim.Duration // default 30 s
	HealthyThreshold   int          // default 5
	UnhealthyThreshold int          // default 2
}

// open implements Door.
func (lb LoadBalancer) open(s *System) door {
	return &albDoor{s: s, cfg: lb, targets: newTargets(s, lb.Health)}
}

// albDoor is an open LoadBalancer.
type albDoor struct {
	s        *System
	cfg      LoadBalancer
	targets  targets
	usd      float64  // cumulative bill
	since    sim.Time // of the last accrual
	arrivals int64    // the System's arrivals at the last accrual
}

// start implements door: health checks start as targets register.
func (a *albDoor) start() {}

// admit implements door: the request goes to the healthy target the
// routing algorithm picks, or, when every registered target is unhealthy,
// to one of those (the load balancer fails open, §3.5). It is refused when
// there is none, when the target cannot serve (crashed and not yet
// noticed, or still loading its model), or when the target's queue is
// full. The client waits at most the shorter of its own timeout and the
// load balancer's idle timeout (504).
func (a *albDoor) admit(now sim.Time, demand float64) {
	s := a.s
	target := s.pick(a.cfg.Routing)
	if target < 0 {
		target = a.targets.failOpen()
	}
	if target < 0 {
		s.leave(now, now, Rejected)
		return
	}
	in := &s.inst[target]
	in.routed++
	if !in.canServe() {
		s.leave(now, now, Rejected)
		return
	}
	if in.busy >= in.slots && s.cfg.Service.QueueLimit > 0 && in.queue.len() >= s.cfg.Service.QueueLimit {
		s.leave(now, now, Rejected)
		return
	}
	h := s.newRequest(now, demand, target)
	to := waitLimit(s.cfg.Service.Timeout, a.cfg.IdleTimeout)
	if in.busy < in.slots {
		s.start(target, h, now)
		if to <= 0 || sim.FromSeconds(demand) <= to {
			return // it completes in time: no deadline to keep
		}
	} else {
		s.enqueue(target, h, now)
	}
	if to > 0 {
		s.expireAt(h, now.Add(to))
	}
}

// waitLimit is how long a client waits: the shorter of its own timeout
// and the load balancer's idle timeout, each 0 when off; 0 means forever.
func waitLimit(client, idle sim.Duration) sim.Duration {
	switch {
	case client <= 0:
		return idle
	case idle <= 0:
		return client
	}
	return min(client, idle)
}

// event implements door: a target's health check.
func (a *albDoor) event(ev sim.Event) { a.targets.check(ev.Obj, ev.Arg, ev.At) }

// held implements door: the load balancer holds no request.
func (a *albDoor) held() int64 { return 0 }

// register implements door.
func (a *albDoor) register(id int32, now sim.Time, h targetHealth) { a.targets.register(id, now, h) }

// deregister implements door.
func (a *albDoor) deregister(id int32) { a.targets.deregister(id) }

// loaded implements door: the target's next passing check decides.
func (a *albDoor) loaded(int32, sim.Time) {}

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

// backlog implements door: there is no stream.
func (a *albDoor) backlog() int64 { return 0 }

// servingSlots implements door: every slot in service can serve.
func (a *albDoor) servingSlots(total int64) int64 { return total }

// check implements door: the load balancer holds nothing to check.
func (a *albDoor) check() error { return nil }

// finish implements door: the load balancer holds no request.
func (a *albDoor) finish(sim.Time) {}
