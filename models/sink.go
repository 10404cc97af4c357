package models

import (
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Outcome is how a request left the system (or that it had not by the end).
type Outcome uint8

// The outcomes of a request. Every arrival ends in exactly one of them.
const (
	Completed Outcome = iota // served; the client got its answer
	Rejected                 // refused at the door: queue full, no healthy target, throttled
	TimedOut                 // the client gave up waiting
	Dropped                  // lost inside: an instance died holding it, a record expired
	InFlight                 // still inside the system at the horizon
)

// String returns the outcome's name as used in reports.
func (o Outcome) String() string {
	switch o {
	case Completed:
		return "completed"
	case Rejected:
		return "rejected"
	case TimedOut:
		return "timed_out"
	case Dropped:
		return "dropped"
	case InFlight:
		return "in_flight_at_end"
	}
	return "unknown"
}

// FleetSample is the fleet's state over one sampling interval (a minute),
// reported at its end.
type FleetSample struct {
	Start, End  sim.Time
	InService   int     // routable instances at End
	Pending     int     // launched, not yet in service at End
	Slots       int     // worker slots of the in-service instances at End
	Utilization float64 // busy share of in-service worker slots over the interval, 0..1
	CostUSD     float64 // cumulative cost of every kind up to End
	ComputeUSD  float64 // cumulative compute cost up to End
	LBUSD       float64 // cumulative load-balancer cost up to End
	StreamUSD   float64 // cumulative stream cost up to End
	InstanceSec float64 // cumulative billed instance-seconds up to End
	// IteratorAgeMS is a stream's GetRecords.IteratorAgeMilliseconds over
	// the interval, its maximum as CloudWatch publishes it: the age of the
	// last record a GetRecords call returned. 0 when no call was made (no
	// stream, or no consumer reading).
	IteratorAgeMS float64
}

// Sink receives a run's results as they happen. Calls arrive in
// non-decreasing time order except Finished, whose at may be the request's
// own completion instant; Finished is called once per arrival.
type Sink interface {
	// Arrived records an arrival at t.
	Arrived(t sim.Time)
	// Finished records that the request that arrived at arrived left at at
	// with outcome o. For InFlight, at is the horizon.
	Finished(arrived, at sim.Time, o Outcome)
	// Sampled records the fleet over one sampling interval.
	Sampled(s FleetSample)
	// Decided records a strategy decision that changed the desired state.
	Decided(t sim.Time, d strategies.Decision, before strategies.FleetView)
}

// EventSink is an optional extension of Sink: a sink that implements it
// also hears what happened to the fleet (failures, outages, resizes), for
// timelines and narratives.
type EventSink interface {
	// FleetEvent records that something of kind happened at t; detail is
	// one line for people.
	FleetEvent(t sim.Time, kind, detail string)
}

// RepeatSink is an optional extension of Sink: a sink that implements it
// also hears of every stream record a consumer processed again after its
// first completion (read again from a checkpoint after a failover). Such a
// record was Finished once, at its first completion; these are extra work,
// outside the request ledger.
type RepeatSink interface {
	// Reprocessed records that the record that arrived at arrived was
	// processed again, finishing at at.
	Reprocessed(arrived, at sim.Time)
}

// Fleet event kinds.
const (
	EventFailure     = "failure"    // an instance crashed
	EventDetected    = "detected"   // health checks noticed a crash
	EventZoneDown    = "zone_down"  // an availability zone went out
	EventZoneUp      = "zone_up"    // it came back
	EventResize      = "resize"     // a vertical resize started
	EventResized     = "resized"    // the new type is in service
	EventLaunchReady = "in_service" // a launched instance entered service
	EventRebalance   = "rebalance"  // an instance launched or leaving to balance the zones
)
