package models

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// State is where an instance is in its lifecycle.
type State uint8

// The lifecycle of an instance. A static fleet's instances start InService;
// launched instances go Pending → Booting → Loading → HealthCheck →
// InService, and leave through Draining → Terminated. From Booting on, an
// instance is running: billed, in service as its group counts it (its
// warm-up has started) and registered with the load balancer, whose
// health checks run while it boots and loads (docs/aws-behaviour.md §1.3).
const (
	Pending     State = iota // launch requested; EC2 has not reported it running
	Booting                  // running; the operating system is starting
	Loading                  // running; the model is loading
	HealthCheck              // the model is loaded; waiting for a passing health check
	InService                // healthy: routable
	Draining                 // deregistered; finishing in-flight work
	Terminated               // gone; no longer billed
	Failed                   // crashed; still registered until health checks notice
)

var stateNames = [...]string{"pending", "booting", "loading", "health_check", "in_service", "draining", "terminated", "failed"}

// String returns the state's name.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", s)
}

// allowed[from] lists the states an instance may move to from `from`.
var allowed = [...][]State{
	Pending:     {Booting, Terminated},
	Booting:     {Loading, Terminated},
	Loading:     {HealthCheck, Terminated},
	HealthCheck: {InService, Terminated},
	InService:   {Draining, Terminated, Failed},
	Draining:    {Terminated, Failed},
	Terminated:  nil,
	Failed:      {Terminated, Booting}, // replaced, or restarted in place
}

// canMove reports whether the lifecycle allows from → to.
func canMove(from, to State) bool {
	if int(from) >= len(allowed) {
		return false
	}
	for _, s := range allowed[from] {
		if s == to {
			return true
		}
	}
	return false
}

// instance is one modelled server: worker slots and a FIFO queue.
type instance struct {
	typ   InstanceType
	state State
	slots int32 // concurrent requests it serves
	busy  int32 // slots serving now

	queue  ring[int32] // FIFO of request handles, including abandoned ones
	queued int32       // live (not abandoned) requests in queue

	zone       int   // availability zone index
	inc        int64 // incarnation: bumped on restart, so stale failure events are ignored
	launchedAt sim.Time
	// inServiceAt is when it last became running and in service as its
	// group counts it: its warm-up counts from here.
	inServiceAt sim.Time
	detected    bool // a failure has been noticed by health checks
	fromPool    bool // taken from the warm pool: starts (System.poolStart) instead of booting
	billed      bool // its bill runs (a pod never is: its node is)

	// busyArea is the integral of busy over time, in slot-nanoseconds, up to
	// busySince; CPU metrics are read from it.
	busyArea  float64
	queueArea float64 // integral of queued, request-nanoseconds
	busySince sim.Time

	routed int64 // requests routed to it since the start

	// counters at the start of the open metric period
	periodBusy, periodQueue float64
	periodRouted            int64
}

// running reports whether the instance is running and in service as its
// group counts it, whether or not its model is loaded yet.
func (in *instance) running() bool { return in.state >= Booting && in.state <= InService }

// canServe reports whether the instance serves a request routed to it: its
// model is loaded and it has not failed.
func (in *instance) canServe() bool { return in.state == HealthCheck || in.state == InService }

// outstanding is what least_outstanding routing compares.
func (in *instance) outstanding() int32 { return in.busy + in.queued }

// move changes the lifecycle state, panicking on an impossible transition:
// that would be a bug in the model, never a consequence of input.
func (in *instance) move(to State) {
	if !canMove(in.state, to) {
		panic(fmt.Sprintf("models: invalid instance transition [%s → %s]", in.state, to))
	}
	in.state = to
}

// accrue brings busyArea up to now.
func (in *instance) accrue(now sim.Time) {
	dt := float64(now - in.busySince)
	in.busyArea += float64(in.busy) * dt
	in.queueArea += float64(in.queued) * dt
	in.busySince = now
}
