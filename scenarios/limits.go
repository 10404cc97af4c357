package scenarios

import "github.com/scalesim/scalesim/sim"

// Limits on every user-controlled size, checked by Load before anything is
// allocated. They keep a typo from asking for a year of simulation at a
// billion requests per second; raise one only with a reason.
const (
	// MaxRate is the largest arrival rate, in requests per second.
	MaxRate = 1e7
	// MaxDuration is the longest simulated span.
	MaxDuration = 366 * sim.Day
	// MaxArrivals is the event budget: the most arrivals one run may expect
	// (the integral of the rate over the duration, per strategy and
	// replication).
	MaxArrivals = 2e10
	// MaxFleet is the largest instance count of any fleet (count, min, max,
	// consumers) and the most stream shards.
	MaxFleet = 10_000
	// MaxWorkersPerVCPU is the largest service.workers_per_vcpu.
	MaxWorkersPerVCPU = 1024
	// MaxQueueLimit is the largest per-instance queue bound.
	MaxQueueLimit = 10_000_000
	// MaxTimeout is the longest client timeout.
	MaxTimeout = sim.Day
	// MaxServiceMean is the largest mean service time.
	MaxServiceMean = sim.Hour
	// MaxSLOLatency is the largest slo.latency.
	MaxSLOLatency = sim.Hour
	// MaxEmpiricalSamples is the most recorded service times an empirical
	// distribution reads.
	MaxEmpiricalSamples = 10_000_000
	// MaxStrategies is the most strategies one scenario compares.
	MaxStrategies = 64
	// MaxSteps is the most steps of a steps workload.
	MaxSteps = 100_000
	// MaxMixComponents is the most components of one mix.
	MaxMixComponents = 16
	// MaxMixDepth is how deeply mixes may nest (a mix of mixes is depth 2).
	MaxMixDepth = 4
	// MaxLadder is the most instance types of a vertical ladder.
	MaxLadder = 32
	// MaxScale is the largest trace rate_scale and time_scale.
	MaxScale = 1e6
	// MaxTraceInterval is the longest counts-trace interval.
	MaxTraceInterval = sim.Day
	// MaxReplications is the most replications RunOptions accepts.
	MaxReplications = 1000

	// DefaultSLOLatency is slo.latency when the file does not set it.
	DefaultSLOLatency = 300 * sim.Millisecond
	// DefaultSeed is seed when the file does not set it.
	DefaultSeed = 1
	// DefaultDiurnalPeriod is a diurnal workload's period when not set.
	DefaultDiurnalPeriod = 24 * sim.Hour

	maxNameLen        = 64  // strategy names
	maxScenarioName   = 128 // scenario name
	maxDescriptionLen = 200 // one line
)
