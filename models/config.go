package models

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// Routing is a load-balancer algorithm.
type Routing uint8

// The routing algorithms of the load balancer.
const (
	RoundRobin       Routing = iota // ALB default: each target in turn
	LeastOutstanding                // fewest requests in service or queued
	Random                          // uniformly at random (from the routing stream)
)

// ParseRouting maps a scenario's routing name to a Routing.
func ParseRouting(s string) (Routing, error) {
	switch s {
	case "round_robin", "":
		return RoundRobin, nil
	case "least_outstanding":
		return LeastOutstanding, nil
	case "random":
		return Random, nil
	}
	return 0, fmt.Errorf("unknown routing %q (want round_robin, least_outstanding or random)", s)
}

// String returns the routing's scenario name.
func (r Routing) String() string {
	switch r {
	case LeastOutstanding:
		return "least_outstanding"
	case Random:
		return "random"
	}
	return "round_robin"
}

// ServiceConfig describes the served model.
type ServiceConfig struct {
	// Demand draws each request's work in seconds on one worker slot. It is
	// drawn at arrival, in arrival order, from the "service" stream, so every
	// strategy sees the same demands.
	Demand Sampler
	// WorkersPerVCPU is the number of requests one vCPU serves at once: a
	// CPU-bound model's slots. Exactly one of it and WorkersPerGPU is set
	// (>= 1); Slots applies it.
	WorkersPerVCPU int
	// WorkersPerGPU is the number of requests one GPU serves at once: a
	// GPU-bound model's slots, on instance types with GPUs only.
	WorkersPerGPU int
	// QueueLimit bounds each instance's FIFO queue; 0 means unbounded. A
	// request that finds the queue full is refused (a model server answers
	// 503), and the queue counts requests whose client has already left
	// but which the server will still serve (OnTimeout ServeAbandoned).
	QueueLimit int
	// Timeout is how long a client waits before giving up; 0 means forever.
	// The load balancer's idle timeout (LoadBalancer.IdleTimeout), when
	// shorter, ends the wait first.
	Timeout sim.Duration
	// OnTimeout is what a server does with a queued request whose client
	// has left: it serves it anyway (the default, a server that is not told
	// the client's deadline) or skips it.
	OnTimeout AbandonPolicy
}

// AbandonPolicy is what a server does with a queued request whose client
// has given up (a client timeout, or a 504 from the load balancer).
type AbandonPolicy uint8

// The abandon policies.
const (
	// ServeAbandoned serves the request when its turn comes, as a server
	// without deadline propagation does: the work is wasted, and the
	// request keeps its place in the queue until then.
	ServeAbandoned AbandonPolicy = iota
	// SkipAbandoned drops the request from the queue as soon as its client
	// leaves, as a server that checks each request's deadline does.
	SkipAbandoned
)

// Config is everything a System needs besides its traffic and strategy.
type Config struct {
	Horizon sim.Time      // the run stops here; requests still inside are InFlight
	Service ServiceConfig // the served model
	Catalog *Catalog      // instance types and prices
	// Fleet is how the strategy's instances come and go: a Group, one
	// Resizable instance, or a stream's Consumers. Required.
	Fleet Mechanics
	// Door is what requests meet first: a LoadBalancer that routes each to
	// an instance, or a Stream that holds them for the consumers. Required.
	Door Door
	// Lifecycle holds the launch delays of instances added after time zero.
	Lifecycle LifecycleConfig
	// Monitor sets how metrics are published to the strategy.
	Monitor MonitorConfig
	// Zones is the number of availability zones instances spread over (>= 1).
	Zones int
	// Failures describes instance failures and zone outages.
	Failures FailureConfig
	// RootVolumeUSDHour is what one running instance's EBS root volume
	// costs per hour, billed with the instance (0: nothing).
	RootVolumeUSDHour float64
	// MaxHeld is the most requests the system may hold at once, in
	// instances and in the front door, counting abandoned requests a server
	// still holds; 0 means no limit. A run that needs more stops with a
	// *HeldLimitError rather than exhaust memory.
	MaxHeld int64
	// SampleEvery is the fleet-sampling interval passed to Sink.Sampled
	// (default one minute).
	SampleEvery sim.Duration
	// Checks makes the system verify its invariants after every event
	// (request ledger, clock, worker occupancy, cost); tests set it.
	Checks bool
	// Progress, if set, is called with the simulated time now and then (about
	// every million events) so a caller can show progress. It must not
	// affect the run.
	Progress func(now sim.Time)
}

// LifecycleConfig holds the delays a launched instance goes through before
// it serves. Samplers draw seconds from the "boot" stream; nil means no delay.
//
// A launched instance is pending until EC2 reports it running (Pending);
// it is then in service as its group counts it, billed, registered with
// the load balancer, and its warm-up starts (docs/aws-behaviour.md §1.3).
// Its operating system (Boot) and model (Startup) start after that, while
// the load balancer's health checks already run: the door decides when it
// serves (LoadBalancer's health checks; a stream's consumer serves once
// its model is loaded).
type LifecycleConfig struct {
	Pending Sampler // launch to EC2 reporting the instance running
	Boot    Sampler // running to the operating system ready
	Startup Sampler // model load, after the operating system
	// Unhealthy is how long a stream consumer's failure takes to be
	// noticed (a load balancer's targets are noticed by its own health
	// checks instead).
	Unhealthy sim.Duration
	// Deregistration is the load balancer's deregistration delay: a
	// draining instance is terminated when idle or after this long, and
	// requests still inside it are then lost (default 300 s, §3.3).
	Deregistration sim.Duration
	// Recovery is how long a failed instance that its mechanics restart
	// in place (Resizable, Consumers) waits before it boots again.
	Recovery sim.Duration
}

// WarmPoolConfig keeps pre-initialised, stopped instances beside a group
// (docs/aws-behaviour.md §1.11): a launch takes one from the pool when it can,
// which then only starts (Start) and passes health checks instead of
// booting and loading the model; the pool refills in the background, each
// refill running (and billed) for a boot and model load before it stops.
// Stopped pool instances cost StoppedUSDHour each (EBS only).
type WarmPoolConfig struct {
	Size           int     // instances kept ready; 0 = no pool
	Start          Sampler // pool instance start to model loaded (seconds; default none)
	StoppedUSDHour float64 // per stopped pool instance
}

// ResizeMode is how a Resizable instance changes its type.
type ResizeMode uint8

// The resize modes.
const (
	// StopStart stops the instance, changes its type and starts it again, as
	// EC2 requires for EBS-backed instances: everything inside is lost and
	// nothing is served until stop, boot, model load and health checks are
	// done (docs/aws-behaviour.md §4.1).
	StopStart ResizeMode = iota
	// BlueGreen launches the new type beside the old one, shifts traffic once
	// it is healthy, then drains and terminates the old one: no downtime,
	// both billed meanwhile.
	BlueGreen
)

// ZoneOutage takes one availability zone down: every instance in it fails
// at At and no instance can launch there until At+For.
type ZoneOutage struct {
	Zone int
	At   sim.Time
	For  sim.Duration
}

// FailureConfig describes what breaks. Failures are drawn from streams no
// strategy touches: instance i's failure times come from its own stream, so
// the k-th instance of every strategy fails at the same times.
type FailureConfig struct {
	InstanceMTBF sim.Duration // mean time between failures of one instance; 0 = never
	ZoneOutages  []ZoneOutage
}

// Default load-balancer prices, us-east-1 (docs/aws-behaviour.md §3.6, secondary sources).
const (
	ALBHourlyUSD  = 0.0225
	ALBLCUHourUSD = 0.008
)
