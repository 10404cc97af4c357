package sim

import "fmt"

// Engine holds the simulated clock and the pending events. It is not safe for
// concurrent use; a run owns its engine.
type Engine struct {
	now  Time
	seq  uint64
	q    queue
	done uint64

	// feed is the next event of an ordered external stream (such as a
	// workload's arrivals), kept beside the heap: a stream of n events then
	// costs n comparisons instead of n pushes and pops.
	feed    Event
	hasFeed bool
}

// NewEngine returns an engine at time zero with room for capacity pending
// events before its queue first grows.
func NewEngine(capacity int) *Engine {
	return &Engine{q: queue{ev: make([]Event, 0, max(capacity, 16))}}
}

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Pending returns the number of scheduled events not yet run, the feed's
// included.
func (e *Engine) Pending() int {
	if e.hasFeed {
		return e.q.len() + 1
	}
	return e.q.len()
}

// Processed returns the number of events delivered so far.
func (e *Engine) Processed() uint64 { return e.done }

// Schedule queues an event of kind k at time at. Scheduling in the past is a
// programming error and panics: it would make the clock go back.
func (e *Engine) Schedule(at Time, k Kind, obj int32, arg int64) {
	if at < e.now {
		panic(fmt.Sprintf("sim: event kind %d scheduled at %d, before now %d", k, at, e.now))
	}
	e.seq++
	e.q.push(Event{At: at, Kind: k, Obj: obj, Arg: arg, key: uint64(k)<<seqBits | e.seq&seqMask})
}

// Feed sets the next event of the engine's one external stream: an ordered
// source of events (arrivals, say) whose next event is known one at a time.
// It is delivered in its place among scheduled events, exactly as if it had
// been scheduled, and replaces any earlier feed event not yet delivered. The
// stream's kind should belong to it alone.
func (e *Engine) Feed(at Time, k Kind, obj int32, arg int64) {
	if at < e.now {
		panic(fmt.Sprintf("sim: feed event kind %d at %d, before now %d", k, at, e.now))
	}
	e.seq++
	e.feed = Event{At: at, Kind: k, Obj: obj, Arg: arg, key: uint64(k)<<seqBits | e.seq&seqMask}
	e.hasFeed = true
}

// Next removes the earliest event at or before until, advances the clock to
// it and returns it. It returns false, leaving the event queued and the clock
// at until, when none is due by then.
func (e *Engine) Next(until Time) (Event, bool) {
	fromFeed := e.hasFeed && (e.q.len() == 0 || less(&e.feed, e.q.peek()))
	var ev Event
	switch {
	case fromFeed:
		if e.feed.At > until {
			return e.idle(until)
		}
		ev = e.feed
		e.hasFeed = false
	case e.q.len() == 0 || e.q.peek().At > until:
		return e.idle(until)
	default:
		ev = e.q.pop()
	}
	e.now = ev.At
	e.done++
	return ev, true
}

// idle moves the clock to until when nothing is due before it.
func (e *Engine) idle(until Time) (Event, bool) {
	if until > e.now {
		e.now = until
	}
	return Event{}, false
}

// Handler receives events from Run.
type Handler interface {
	// Handle reacts to ev; it may read e.Now and schedule further events.
	Handle(e *Engine, ev Event)
}

// Run delivers events in order until none is due at or before until, and
// returns the number delivered. Models on a hot path may call Next in their
// own loop instead, to switch on the kind without an interface call.
func (e *Engine) Run(until Time, h Handler) uint64 {
	start := e.done
	for {
		ev, ok := e.Next(until)
		if !ok {
			return e.done - start
		}
		h.Handle(e, ev)
	}
}
