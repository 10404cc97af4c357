package models

import "github.com/scalesim/scalesim/sim"

// deadline is when the client of request h (in its generation gen) gives
// up if it has no answer by then.
type deadline struct {
	at  sim.Time
	h   int32
	gen uint32
}

// deadlines holds the clients' deadlines in the order they fall: every
// client of a System waits the same time (its own timeout or the load
// balancer's idle timeout), so deadlines come in the order requests
// arrive, and one scheduled event, for the earliest, serves them all.
type deadlines struct {
	ring  ring[deadline]
	armed bool // an event is scheduled for the front deadline
}

// expireAt gives request h's client until at.
func (s *System) expireAt(h int32, at sim.Time) {
	d := &s.deadlines
	s.dropAnswered()
	d.ring.push(deadline{at: at, h: h, gen: s.reqs[h].gen})
	if !d.armed {
		d.armed = true
		s.eng.Schedule(at, kindTimeout, 0, 0)
	}
}

// expire lets every client whose deadline has come give up, and schedules
// the event for the next deadline of a request still unanswered: the
// deadlines of requests answered since are dropped unseen, so most
// requests cost no event at all.
func (s *System) expire(now sim.Time) {
	d := &s.deadlines
	for d.ring.len() > 0 && d.ring.front().at <= now {
		x := d.ring.pop()
		s.timeout(x.h, x.gen, now)
	}
	s.dropAnswered()
	d.armed = d.ring.len() > 0
	if d.armed {
		s.eng.Schedule(d.ring.front().at, kindTimeout, 0, 0)
	}
}

// dropAnswered drops the earliest deadlines of requests answered (their
// records freed) before them, so the FIFO holds little more than the
// requests still waiting.
func (s *System) dropAnswered() {
	d := &s.deadlines
	for d.ring.len() > 0 && s.reqs[d.ring.front().h].gen != d.ring.front().gen {
		d.ring.pop()
	}
}
