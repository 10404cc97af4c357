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
	Slots       int     // worker slots of the in-service instances that can work at End (a stream consumer's: at most per_shard_concurrency per lease it holds)
	Utilization float64 // busy share of in-service worker slots over the interval, 0..1
	CostUSD     float64 // cumulative cost of every kind up to End
	ComputeUSD  float64 // cumulative compute cost up to End
	LBUSD       float64 // cumulative load-balancer cost up to End
	StreamUSD   float64 // cumulative stream cost up to End
	InstanceSec float64 // cumulative billed instance-seconds up to End
	// Desired, GroupInService and GroupPending are the fleet at End as an
	// Auto Scaling group's metrics count it (GroupDesiredCapacity,
	// GroupInServiceInstances, GroupPendingInstances): in service from the
	// moment EC2 reports an instance running, serving or not yet
	// (docs/aws-behaviour.md §1.3), pending before that.
	Desired, GroupInService, GroupPending int
	// IteratorAgeMS is a stream's GetRecords.IteratorAgeMilliseconds over
	// the interval, its maximum as CloudWatch publishes it: the age of the
	// last record a GetRecords call returned. 0 when no call was made (no
	// stream, or no consumer reading).
	IteratorAgeMS float64
	// Nodes and NodesPending are a Kubernetes strategy's nodes at End:
	// Ready, and launched but not yet Ready. NodeSec is their cumulative
	// billed node-seconds (also in InstanceSec). All 0 for the other
	// families.
	Nodes, NodesPending int
	NodeSec             float64
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

// LifecycleSink is an optional extension of Sink: a sink that implements
// it also hears each launched instance's life as an Auto Scaling group's
// scaling activities record it: the launch, the moment EC2 reports it
// running (the group's InService, which ends a launch activity), the
// start of its termination (draining included) and its end. Instances of
// the initial fleet are not launched and are not reported.
type LifecycleSink interface {
	// InstanceLaunched records that instance id was launched in zone
	// (0 for a, 1 for b, ...) at t, for cause.
	InstanceLaunched(t sim.Time, id int32, zone int, cause LifecycleCause)
	// InstanceRunning records that instance id is running at t.
	InstanceRunning(t sim.Time, id int32)
	// InstanceTerminating records that instance id starts to leave at t,
	// for cause: it drains, then it is terminated.
	InstanceTerminating(t sim.Time, id int32, cause LifecycleCause)
	// InstanceTerminated records that instance id was terminated at t.
	InstanceTerminated(t sim.Time, id int32)
}

// LifecycleCause is why an instance was launched or terminated, in the
// terms of a scaling activity's cause.
type LifecycleCause uint8

// The causes of launches and terminations.
const (
	// CauseCapacity: a difference between desired and actual capacity (a
	// scaling decision, or capacity lost and launched again).
	CauseCapacity LifecycleCause = iota
	// CauseHealth: the instance failed (or its zone went out) and is
	// replaced.
	CauseHealth
	// CauseRebalance: balancing the instances across the zones.
	CauseRebalance
)

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
