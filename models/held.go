package models

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// heldCheckEvery is how many arrivals pass between two checks of the
// held-requests budget: a run may overshoot MaxHeld by at most this many.
const heldCheckEvery = 256

// HeldLimitError stops a run that holds more requests at once than its
// budget (Config.MaxHeld): without a queue limit or a timeout, an
// overloaded fleet's queues would grow until memory runs out.
type HeldLimitError struct {
	Strategy string
	At       sim.Time // when the budget was exceeded
	Held     int64    // requests held then
	Limit    int64    // the budget
}

// Error says which strategy, when, and which limits would bound the run.
func (e *HeldLimitError) Error() string {
	return fmt.Sprintf("strategy %s holds %d requests at once at minute %d, over the budget of %d (--max-in-flight): "+
		"set service.queue_limit, service.timeout or load_balancer.idle_timeout (with service.on_client_timeout: skip), "+
		"or raise --max-in-flight if the machine has the memory",
		e.Strategy, e.Held, int64(e.At/sim.Time(sim.Minute)), e.Limit)
}

// held is the number of requests the system holds now: every request
// record in use (abandoned ones a server still holds included) and what
// the front door holds.
func (s *System) held() int64 {
	return int64(len(s.reqs)-len(s.free)) + s.door.held()
}

// checkHeld returns a *HeldLimitError when the system holds more requests
// than its budget; it looks only every heldCheckEvery arrivals.
func (s *System) checkHeld(now sim.Time) error {
	if s.cfg.MaxHeld <= 0 || s.arrivals%heldCheckEvery != 0 {
		return nil
	}
	if n := s.held(); n > s.cfg.MaxHeld {
		return &HeldLimitError{Strategy: s.st.Name(), At: now, Held: n, Limit: s.cfg.MaxHeld}
	}
	return nil
}
