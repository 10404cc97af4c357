package models

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Event kinds, numbered in the order they run at the same instant: the
// sample that closes a minute runs before anything at the minute's first
// nanosecond, a completion before a timeout due at the same time (the client
// got its answer), and arrivals after both, so a freed slot is seen.
const (
	kindSample    sim.Kind = iota + 1 // close a sampling interval
	kindMetric                        // close a metric period (before the controller reads it)
	kindZone                          // a zone goes down (Arg 0) or comes back (Arg 1)
	kindFail                          // an instance crashes
	kindDetect                        // health checks notice a crashed instance
	kindLifecycle                     // an instance advances in its lifecycle
	kindDrainEnd                      // a deregistration delay ends
	kindDone                          // a request finishes service
	kindTimeout                       // a client gives up
	kindDoor                          // the front door's own event (stream consumers poll their shards)
	kindFleet                         // the mechanics' own event (a warm-pool instance finishes preparing)
	kindArrival                       // a request arrives
	kindControl                       // the strategy decides
)

// Request states.
const (
	reqFree      uint8 = iota // slot unused
	reqQueued                 // waiting in an instance's queue
	reqServing                // holding a worker slot
	reqAbandoned              // timed out while queued and skipped: still in the ring until popped
	reqOrphaned               // timed out while serving; the slot finishes the work
	reqStale                  // timed out while queued; the server will still serve it (ServeAbandoned)
	reqLost                   // dropped with its instance; its done event only frees the record
)

// request is one request's record in the slab; handles are slab indexes.
type request struct {
	arrived sim.Time
	demand  float64 // seconds of work on one slot
	inst    int32
	gen     uint32 // bumped on reuse, so stale timeouts are recognised
	state   uint8
}

// Arrivals is the traffic a System serves: arrival instants in
// non-decreasing order (workloads.Source satisfies it).
type Arrivals interface {
	Next() (sim.Time, bool)
	Err() error
}

// RunStats describes a finished run.
type RunStats struct {
	Events       uint64  // events processed
	Arrivals     int64   // requests that arrived (whole run, warm-up included)
	MeanInSystem float64 // time-average number of requests in the system
	CostUSD      float64 // cumulative cost at the horizon
}

// System is one strategy's world: its fleet, front door and meter, driven
// by the engine from one workload. Build one per (strategy, replication).
type System struct {
	cfg   Config
	eng   *sim.Engine
	src   Arrivals
	st    strategies.Strategy
	sink  Sink
	route *rand.Rand // routing stream (random routing)
	svc   *rand.Rand // service-demand stream
	boot  *rand.Rand // boot and model-load times

	streams  sim.Streams
	failRNG  []*rand.Rand // per-instance failure streams, by instance index
	zoneDown []bool
	zoneBuf  []int
	actions  int

	inst     []instance
	routable []int32 // in-service instances, in the order they entered service
	rr       int     // round-robin cursor
	desired  int
	itype    InstanceType

	reqs      []request
	free      []int32
	deadlines deadlines // the clients' deadlines, earliest first

	meter Meter
	mon   monitor
	door  door      // what requests meet first
	mech  mechanics // how instances come and go
	// poolStart is how long an instance taken from a warm pool takes to
	// start (a Group's; nil: no delay).
	poolStart Sampler

	// ledger
	arrivals, finished int64
	inSystem           int64
	areaInSystem       float64 // integral of inSystem, request-nanoseconds
	areaSince          sim.Time

	// utilisation over the current sampling interval
	busyTotal  int64
	slotsTotal int64
	busyArea   float64
	slotArea   float64
	utilSince  sim.Time
	lastSample sim.Time

	lastCost float64
	lastNow  sim.Time

	events EventSink     // the sink, if it listens to fleet events
	life   LifecycleSink // the sink, if it listens to instance lifecycles
}

// NewSystem builds a system for one strategy. The streams rs supply the
// routing, service and boot randomness; the workload src was built from its
// own stream by the caller.
func NewSystem(cfg Config, src Arrivals, st strategies.Strategy, sink Sink, rs sim.Streams) (*System, error) {
	switch {
	case cfg.Horizon <= 0:
		return nil, errors.New("system: horizon must be positive")
	case cfg.Service.Demand == nil:
		return nil, errors.New("system: no service-time distribution")
	case cfg.Catalog == nil:
		return nil, errors.New("system: no instance catalog")
	case src == nil || st == nil || sink == nil:
		return nil, errors.New("system: workload, strategy and sink are required")
	case cfg.Fleet == nil || cfg.Door == nil:
		return nil, fmt.Errorf("system: strategy %s: fleet mechanics and a front door are required", st.Name())
	}
	if err := cfg.Service.checkSlots(); err != nil {
		return nil, fmt.Errorf("system: %w", err)
	}
	if cfg.SampleEvery <= 0 {
		cfg.SampleEvery = sim.Minute
	}
	if cfg.Monitor.Period <= 0 {
		cfg.Monitor.Period = DefaultMetricPeriod
	}
	if cfg.Zones < 1 {
		cfg.Zones = 1
	}
	s := &System{
		mon:   monitor{cfg: cfg.Monitor},
		cfg:   cfg,
		eng:   sim.NewEngine(1024),
		src:   src,
		st:    st,
		sink:  sink,
		route: rs.Stream(sim.StreamRouting),
		svc:   rs.Stream(sim.StreamService),
		boot:  rs.Stream(sim.StreamBoot),

		streams:  rs,
		zoneDown: make([]bool, cfg.Zones),
	}
	s.door = cfg.Door.open(s)
	s.mech = cfg.Fleet.build(s)
	s.events, _ = sink.(EventSink)
	s.life, _ = sink.(LifecycleSink)
	init := st.Initial()
	t, ok := cfg.Catalog.Lookup(init.InstanceType)
	if !ok {
		return nil, fmt.Errorf("system: strategy %s: unknown instance type %q", st.Name(), init.InstanceType)
	}
	if err := cfg.Service.checkType(t); err != nil {
		return nil, fmt.Errorf("system: strategy %s: %w", st.Name(), err)
	}
	s.itype = t
	s.desired = init.Desired
	if c, ok := s.mech.(cluster); ok {
		if err := c.start(init); err != nil {
			return nil, fmt.Errorf("system: strategy %s: %w", st.Name(), err)
		}
		return s, nil
	}
	for i := 0; i < init.Desired; i++ {
		id := s.addInstance(t, i%cfg.Zones, 0, true)
		s.door.register(id, 0, targetHealthy)
		s.enterService(id, 0)
	}
	return s, nil
}

// Run simulates up to the horizon and reports every request to the sink.
func (s *System) Run() (RunStats, error) {
	eng := s.eng
	horizon := s.cfg.Horizon
	if at, ok := s.src.Next(); ok {
		eng.Feed(at, kindArrival, 0, 0)
	} else if err := s.src.Err(); err != nil {
		return RunStats{}, fmt.Errorf("workload: %w", err)
	}
	eng.Schedule(sim.Time(s.cfg.SampleEvery), kindSample, 0, 0)
	s.door.start()
	for _, z := range s.cfg.Failures.ZoneOutages {
		eng.Schedule(z.At, kindZone, int32(z.Zone), 0)
		eng.Schedule(z.At.Add(z.For), kindZone, int32(z.Zone), 1)
	}
	if iv := s.st.Interval(); iv > 0 {
		eng.Schedule(sim.Time(iv), kindControl, 0, 0)
		eng.Schedule(sim.Time(s.cfg.Monitor.Period), kindMetric, 0, 0)
	}
	const progressEvery = 1 << 20
	for {
		ev, ok := eng.Next(horizon)
		if !ok {
			break
		}
		switch ev.Kind {
		case kindArrival:
			if err := s.arrive(ev.At); err != nil {
				return RunStats{}, err
			}
		case kindDone:
			s.done(ev.Obj, int32(ev.Arg), ev.At)
		case kindTimeout:
			s.expire(ev.At)
		case kindSample:
			s.sample(ev.At)
			if next := ev.At.Add(s.cfg.SampleEvery); next <= horizon {
				eng.Schedule(next, kindSample, 0, 0)
			}
		case kindMetric:
			s.closePeriod(ev.At)
			eng.Schedule(ev.At.Add(s.cfg.Monitor.Period), kindMetric, 0, 0)
		case kindLifecycle:
			s.advance(ev.Obj, ev.Arg, ev.At)
		case kindFail:
			s.fail(ev.Obj, ev.Arg, ev.At)
		case kindDetect:
			s.detect(ev.Obj, ev.Arg, ev.At)
		case kindDrainEnd:
			s.drainEnd(ev.Obj, ev.Arg, ev.At)
		case kindZone:
			s.zoneEvent(int(ev.Obj), ev.Arg == 1, ev.At)
		case kindDoor:
			s.door.event(ev)
		case kindFleet:
			s.mech.event(ev)
		case kindControl:
			s.control(ev.At)
		default:
			panic(fmt.Sprintf("models: unknown event kind %d", ev.Kind))
		}
		if s.cfg.Checks {
			if err := s.check(ev.At); err != nil {
				return RunStats{}, fmt.Errorf("invariant broken at %v after event kind %d: %w", ev.At, ev.Kind, err)
			}
		}
		if s.cfg.Progress != nil && eng.Processed()%progressEvery == 0 {
			s.cfg.Progress(ev.At)
		}
	}
	return s.finish(horizon), nil
}

// arrive handles one arrival and schedules the next.
func (s *System) arrive(now sim.Time) error {
	if next, ok := s.src.Next(); ok {
		if next < now {
			return fmt.Errorf("workload: arrival at %v before the previous one at %v", next, now)
		}
		s.eng.Feed(next, kindArrival, 0, 0)
	} else if err := s.src.Err(); err != nil {
		return fmt.Errorf("workload: %w", err)
	}
	// The demand is drawn for every arrival, in arrival order, whatever
	// happens next: common random numbers across strategies.
	demand := s.cfg.Service.Demand.Sample(s.svc)
	s.arrivals++
	s.sink.Arrived(now)
	s.countIn(now, 1)
	s.door.admit(now, demand)
	return s.checkHeld(now)
}

// deliver hands a record fetched from the stream to consumer id and
// returns its request: it is served at once on a free slot or waits in the
// consumer's buffer. Its latency counts from the put.
func (s *System) deliver(id int32, arrived sim.Time, demand float64, now sim.Time) int32 {
	in := &s.inst[id]
	h := s.newRequest(arrived, demand, id)
	if in.busy < in.slots {
		s.start(id, h, now)
		return h
	}
	s.enqueue(id, h, now)
	return h
}

// enqueue puts request h at the back of instance id's queue.
func (s *System) enqueue(id, h int32, now sim.Time) {
	in := &s.inst[id]
	s.reqs[h].state = reqQueued
	in.queue.push(h)
	in.accrue(now)
	in.queued++
}

// newRequest takes a slot in the request slab.
func (s *System) newRequest(now sim.Time, demand float64, target int32) int32 {
	var h int32
	if n := len(s.free); n > 0 {
		h = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		s.reqs = append(s.reqs, request{})
		h = int32(len(s.reqs) - 1)
	}
	r := &s.reqs[h]
	r.arrived, r.demand, r.inst, r.state = now, demand, target, reqServing
	return h
}

// release returns a request's slot to the slab.
func (s *System) release(h int32) {
	r := &s.reqs[h]
	r.state = reqFree
	r.gen++
	s.free = append(s.free, h)
}

// start puts request h on a free worker slot of instance id.
func (s *System) start(id, h int32, now sim.Time) {
	in := &s.inst[id]
	in.accrue(now)
	s.accrueUtil(now)
	in.busy++
	s.busyTotal++
	if r := &s.reqs[h]; r.state == reqStale {
		r.state = reqOrphaned // its client has left: the work is wasted
	} else {
		r.state = reqServing
	}
	d := sim.FromSeconds(s.reqs[h].demand)
	if d < 1 {
		d = 1
	}
	s.eng.Schedule(now.Add(d), kindDone, id, int64(h))
}

// done finishes request h on instance id and starts the next queued one.
func (s *System) done(id, h int32, now sim.Time) {
	r := &s.reqs[h]
	switch r.state {
	case reqLost:
		s.release(h) // its instance failed or was stopped; counters were reset then
		return
	case reqServing:
		s.door.outcome(h, now, Completed)
	}
	// An orphaned request already counted as timed out; its slot is freed now.
	s.release(h)
	in := &s.inst[id]
	in.accrue(now)
	s.accrueUtil(now)
	in.busy--
	s.busyTotal--
	s.startQueued(id, now)
	if in.state == Draining && in.busy == 0 && in.queued == 0 {
		s.terminate(id, now)
	}
}

// startQueued starts instance id's next queued request whose client has
// not left, if any, and reports whether it did.
func (s *System) startQueued(id int32, now sim.Time) bool {
	in := &s.inst[id]
	for in.queue.len() > 0 {
		next := in.queue.pop()
		if s.reqs[next].state == reqAbandoned {
			s.release(next)
			continue
		}
		in.queued--
		s.start(id, next, now)
		return true
	}
	return false
}

// timeout makes the client of request h give up, if it is still waiting.
func (s *System) timeout(h int32, gen uint32, now sim.Time) {
	r := &s.reqs[h]
	if r.gen != gen {
		return // finished and reused
	}
	switch r.state {
	case reqQueued:
		s.leave(r.arrived, now, TimedOut)
		in := &s.inst[r.inst]
		if s.cfg.Service.OnTimeout == ServeAbandoned {
			r.state = reqStale // the server does not know; it keeps its place
			return
		}
		r.state = reqAbandoned
		in.accrue(now)
		in.queued--
		// Clients give up in the order they came, so the abandoned ones
		// gather at the front: let them go now, which keeps the queue no
		// longer than the timeout's worth of arrivals.
		for in.queue.len() > 0 && s.reqs[*in.queue.front()].state == reqAbandoned {
			s.release(in.queue.pop())
		}
	case reqServing:
		r.state = reqOrphaned
		s.leave(r.arrived, now, TimedOut)
	}
}

// leave records that a request left the system.
func (s *System) leave(arrived, now sim.Time, o Outcome) {
	s.finished++
	s.countIn(now, -1)
	s.sink.Finished(arrived, now, o)
}

// countIn updates the number of requests in the system and its integral.
func (s *System) countIn(now sim.Time, delta int64) {
	s.areaInSystem += float64(s.inSystem) * float64(now-s.areaSince)
	s.areaSince = now
	s.inSystem += delta
}

// pick chooses the target of a new request by routing, or -1 when none
// is routable.
func (s *System) pick(routing Routing) int32 {
	n := len(s.routable)
	if n == 0 {
		return -1
	}
	switch routing {
	case Random:
		return s.routable[s.route.IntN(n)]
	case LeastOutstanding:
		// Scan from the round-robin cursor so ties rotate fairly.
		best := int32(-1)
		bestOut := int32(1<<31 - 1)
		for i := 0; i < n; i++ {
			id := s.routable[(s.rr+i)%n]
			if o := s.inst[id].outstanding(); o < bestOut {
				best, bestOut = id, o
			}
		}
		s.rr = (s.rr + 1) % n
		return best
	default:
		if s.rr >= n {
			s.rr = 0
		}
		id := s.routable[s.rr]
		s.rr++
		return id
	}
}
