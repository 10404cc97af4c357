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
	// WorkersPerVCPU is the number of requests one vCPU serves at once (>= 1).
	WorkersPerVCPU int
	// QueueLimit bounds each instance's FIFO queue; 0 means unbounded.
	QueueLimit int
	// Timeout is how long a client waits before giving up; 0 means forever.
	Timeout sim.Duration
}

// Config is everything a System needs besides its traffic and strategy.
type Config struct {
	Horizon sim.Time      // the run stops here; requests still inside are InFlight
	Service ServiceConfig // the served model
	Routing Routing       // load-balancer algorithm
	Catalog *Catalog      // instance types and prices
	// Lifecycle holds the launch delays of instances added after time zero.
	Lifecycle LifecycleConfig
	// Monitor sets how metrics are published to the strategy.
	Monitor MonitorConfig
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
type LifecycleConfig struct {
	Boot        Sampler      // launch to OS ready
	Startup     Sampler      // model load
	HealthCheck sim.Duration // load-balancer interval × healthy threshold
}
