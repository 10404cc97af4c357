package strategies

import "github.com/scalesim/scalesim/sim"

// Strategy is the policy of a scaling strategy: what it wants the fleet to
// be, given what a controller can observe. Each family of strategies has
// its own (Static, Horizontal, Vertical, Consumers); the mechanics that
// carry a decision out are the model's.
//
// The model calls Initial once at time zero and then Decide every Interval
// (never, if Interval is zero). Decide may keep internal state (alarm windows,
// cooldowns) but must depend only on the sequence of observations it has been
// given: same observations, same decisions.
type Strategy interface {
	// Name is the strategy's name in the scenario.
	Name() string
	// Interval is how often Decide is called; zero means never.
	Interval() sim.Duration
	// Initial is the fleet in service at time zero.
	Initial() Decision
	// Decide returns the desired state given what is observable now.
	Decide(obs Observation) Decision
}

// Observation is what a controller can see at one decision instant.
type Observation struct {
	Now     sim.Time  // the decision instant
	Periods []Period  // published metric periods, oldest first; only those already published by Now
	Fleet   FleetView // the fleet as the control plane reports it
	// Pods are a Kubernetes Deployment's pods, oldest first (nil for the
	// other families).
	Pods []PodView
}

// Period is one published metric datapoint covering [Start, End).
type Period struct {
	Start, End sim.Time
	// Instances is the number of in-service instances whose data the
	// aggregate covers (instances in warm-up are excluded); zero means the
	// period has no data ("missing data").
	Instances int
	CPU       float64 // mean busy share of worker slots, percent 0..100
	// RequestsPerTarget is the number of requests routed per covered
	// instance during the period, as ALBRequestCountPerTarget reports it.
	RequestsPerTarget float64
	InFlight          float64 // mean requests in service per covered instance
	QueueLength       float64 // mean queued requests per covered instance
	// IteratorAgeMS is a stream's GetRecords.IteratorAgeMilliseconds over
	// the period, its Maximum statistic: how far behind the newest record
	// the consumers read, in ms. GetRecordsCalls counts the calls; with
	// none (no stream, or no consumer reading) the metric has no data.
	IteratorAgeMS   float64
	GetRecordsCalls int
	// Backlog is the records written to a stream and not yet processed
	// at the period's end (0 without a stream), as its consumers would
	// publish it for scaling on the backlog per consumer
	// (docs/aws-behaviour.md §5.7).
	Backlog float64
	// Load is the period's totals over every in-service instance, those
	// in warm-up included: the group's whole load, which predictive
	// scaling forecasts from (docs/aws-behaviour.md §1.7).
	Load Load
}

// Load is a period's totals over every in-service instance, warm-up
// included.
type Load struct {
	Instances   int     // in-service instances the totals cover; zero means no data
	CPU         float64 // their busy shares of worker slots summed, percent each
	Requests    float64 // requests routed to them during the period
	InFlight    float64 // mean requests in service, summed over them
	QueueLength float64 // mean queued requests, summed over them
}

// FleetView is the fleet as the control plane sees it.
type FleetView struct {
	InstanceType string // current type (vertical strategies resize it)
	Desired      int    // the desired capacity last applied
	Pending      int    // launched; EC2 has not reported them running yet
	InService    int    // running and in service as the group counts them, serving or not
	Starting     int    // of InService, those not serving yet (booting, loading the model, awaiting health checks)
	Warming      int    // of InService, those still inside their warm-up
	Draining     int    // deregistered, finishing in-flight work
	// PodCPU is the CPU request, in cores, that a Kubernetes Deployment
	// gives new pods (its template, or the VPA's target); 0 otherwise.
	PodCPU float64
}

// Decision is a desired state. It is idempotent: returning the same decision
// twice changes nothing.
type Decision struct {
	Desired      int    // desired number of instances
	InstanceType string // desired instance type; empty keeps the current one
	Reason       string // one line on why, for the decision log
	// PodCPU is the CPU request, in cores, that new pods of a Kubernetes
	// Deployment get (the VPA's target); 0 keeps it.
	PodCPU float64
	// Update lists the pods (PodView.ID) the VPA updater moves to PodCPU
	// now: resized in place or evicted and recreated.
	Update []int
}
