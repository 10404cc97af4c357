package scenarios

import (
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// Limits on every user-controlled size, checked by Load before anything is
// allocated. They keep a typo from asking for a year of simulation at a
// billion requests per second; raise one only with a reason.
const (
	// MaxRate is the largest arrival rate, in requests per second.
	MaxRate = 1e7
	// MaxDuration is the longest simulated span.
	MaxDuration = 366 * sim.Day
	// MaxStartYear bounds a scenario's start: it lies before January 1st
	// of this year, so that a run's instants stay within the range of
	// time.Time.UnixNano.
	MaxStartYear = 2200
	// MaxArrivals is the event budget: the most arrivals one run may expect
	// (the integral of the rate over the duration, per strategy and
	// replication).
	MaxArrivals = 2e10
	// MaxFleet is the largest instance count of any fleet (count, min, max,
	// consumers) and the most stream shards.
	MaxFleet = 10_000
	// MaxWorkersPerVCPU is the largest service.workers_per_vcpu.
	MaxWorkersPerVCPU = 1024
	// MaxWorkersPerGPU is the largest service.workers_per_gpu.
	MaxWorkersPerGPU = 1024
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
	// MinLadder and MaxLadder bound the instance types of a vertical
	// ladder: a ladder of one type could never resize.
	MinLadder = 2
	MaxLadder = 32
	// MaxZones is the most availability zones.
	MaxZones = 6
	// MaxZoneOutages is the most zone outages of one scenario.
	MaxZoneOutages = 100
	// MinInstanceMTBF and MaxInstanceMTBF bound failures.instance_mtbf
	// when it is not 0: a minute keeps a typo from failing every instance
	// every few seconds; ten years is beyond any run.
	MinInstanceMTBF = sim.Minute
	MaxInstanceMTBF = 10 * 366 * sim.Day
	// MaxLifecycleMean is the largest mean of instances.boot,
	// service.startup and a vertical strategy's stop_time.
	MaxLifecycleMean = sim.Hour
	// MinHealthInterval and MaxHealthInterval bound the health-check
	// interval, and MinHealthThreshold and MaxHealthThreshold its healthy
	// and unhealthy thresholds: the ALB's ranges (docs/aws-behaviour.md §3.4).
	MinHealthInterval  = 5 * sim.Second
	MaxHealthInterval  = 300 * sim.Second
	MinHealthThreshold = 2
	MaxHealthThreshold = 10
	// MaxDeregistrationDelay is the ALB's longest deregistration delay
	// (docs/aws-behaviour.md §3.3).
	MaxDeregistrationDelay = 3600 * sim.Second
	// MaxRecovery is the longest instances.recovery.
	MaxRecovery = sim.Hour
	// MaxMetricDelay is the longest metrics.delay.
	MaxMetricDelay = 15 * sim.Minute
	// MaxPriceUSD bounds the load balancer's prices per hour.
	MaxPriceUSD = 1000
	// MaxRequestsPerConnection bounds load_balancer.requests_per_connection.
	MaxRequestsPerConnection = 1e6
	// MaxBytesPerRequest bounds load_balancer.bytes_per_request.
	MaxBytesPerRequest = 1e9
	// MaxRulesPerRequest bounds load_balancer.rules_per_request.
	MaxRulesPerRequest = 1000
	// MaxShards is the most shards of a stream (a stream's limit in
	// provisioned mode, docs/aws-behaviour.md §5.3).
	MaxShards = 10_000
	// MaxRecordSize is the largest stream record: 1 MB (§5.1).
	MaxRecordSize = 1 << 20
	// MinPollInterval is the fastest a consumer may poll a shard: a shard
	// allows 5 GetRecords calls per second (§5.1), and the KCL advises
	// against polling faster than 200 ms (§5.4). MaxPollInterval is the
	// slowest.
	MinPollInterval = 200 * sim.Millisecond
	MaxPollInterval = 10 * sim.Second
	// MaxDeliveryLatency is the longest stream put-to-readable delay.
	MaxDeliveryLatency = 10 * sim.Second
	// MinRetention and MaxRetention bound a stream's retention: 24 h to
	// 365 days (§5.2).
	MinRetention = 24 * sim.Hour
	MaxRetention = 8760 * sim.Hour
	// MinCheckpointInterval and MaxCheckpointInterval bound how often a
	// stream's record processors checkpoint: 1 s to a day.
	MinCheckpointInterval = sim.Second
	MaxCheckpointInterval = 24 * sim.Hour
	// MinFailover and MaxFailover bound the time after which a failed
	// consumer's leases may be taken (the KCL's failoverTimeMillis).
	MinFailover = sim.Second
	MaxFailover = sim.Hour
	// MaxScale is the largest trace rate_scale and time_scale, as the
	// workloads package's trace validator checks them.
	MaxScale = workloads.MaxScale
	// MaxTraceInterval is the longest counts-trace interval.
	MaxTraceInterval = workloads.MaxTraceInterval
	// maxColumn is the largest 1-based CSV column index of a trace or a
	// samples file.
	maxColumn = workloads.MaxColumn
	// MaxReplications is the most replications RunOptions accepts.
	MaxReplications = 1000

	// DefaultSLOLatency is slo.latency when the file does not set it.
	DefaultSLOLatency = 300 * sim.Millisecond
	// DefaultSeed is seed when the file does not set it.
	DefaultSeed = 1
	// DefaultDiurnalPeriod is a diurnal workload's period when not set.
	DefaultDiurnalPeriod = 24 * sim.Hour
	// DefaultZones is zones when the file does not set it: instances
	// spread over three zones, as a production group usually does.
	DefaultZones = 3

	// DefaultPendingMedian and DefaultPendingP99 shape instances.pending's
	// default lognormal: field measurements put EC2's pending → running
	// at about 5-17 s (docs/aws-behaviour.md §1.12).
	DefaultPendingMedian = 15 * sim.Second
	DefaultPendingP99    = 30 * sim.Second
	// DefaultBootMedian and DefaultBootP99 shape instances.boot's default
	// lognormal, running to the operating system ready: field
	// measurements put it at about 20-25 s (§1.12).
	DefaultBootMedian = 25 * sim.Second
	DefaultBootP99    = 45 * sim.Second
	// DefaultEBSGB is instances.ebs_gb's default: the 8 GiB root volume of
	// the common Linux AMIs, billed as gp3.
	DefaultEBSGB = 8
	// GP3USDPerGBMonth is gp3's us-east-1 price per GB-month
	// (docs/aws-behaviour.md §6); a month is 730 hours.
	GP3USDPerGBMonth = 0.08
	// DefaultQueueLimit is service.queue_limit's default, a typical model
	// server's queue: TorchServe holds 100 requests per model
	// (job_queue_size) and answers 503 beyond (docs/aws-behaviour.md §3.5).
	DefaultQueueLimit = 100
	// DefaultIdleTimeout is load_balancer.idle_timeout's default, the
	// ALB's (§3.5).
	DefaultIdleTimeout = 60 * sim.Second
	// DefaultStartupMedian and DefaultStartupP99 shape service.startup's
	// default lognormal, the model load. A modelling default: AWS
	// publishes no figure, and real models take from seconds to many
	// minutes (§1.12, §7); set it from a measurement.
	DefaultStartupMedian = 30 * sim.Second
	DefaultStartupP99    = 90 * sim.Second
	// MaxIdleTimeout is the ALB's largest idle timeout (§3.5).
	MaxIdleTimeout = 4000 * sim.Second
	// MaxEBSGB is the largest instances.ebs_gb, gp3's largest volume (16 TiB).
	MaxEBSGB = 16384
	// DefaultHealthInterval, DefaultHealthyThreshold and
	// DefaultUnhealthyThreshold are the ALB's health-check defaults
	// (§3.4).
	DefaultHealthInterval     = 30 * sim.Second
	DefaultHealthyThreshold   = 5
	DefaultUnhealthyThreshold = 2
	// DefaultDeregistrationDelay is the ALB's default (§3.3).
	DefaultDeregistrationDelay = 300 * sim.Second
	// DefaultRecovery is instances.recovery's default: how long a failed
	// instance restarted in place waits before it boots again. A
	// modelling default; AWS gives no figure.
	DefaultRecovery = 2 * sim.Minute
	// DefaultStopTime is a stop/start resize's stop time: a modelling
	// default, a stop taking about 30-90 s (§4.1; AWS gives no figure).
	DefaultStopTime = 60 * sim.Second
	// DefaultRequestsPerConnection and DefaultBytesPerRequest are the load
	// balancer's traffic shape for LCU billing: a new connection per
	// request (no keep-alive) and 10 kB in and out.
	DefaultRequestsPerConnection = 1
	DefaultBytesPerRequest       = 10_000
	// DefaultWarmPoolStart is a warm pool's start time when not set: AWS
	// says pre-initialised instances can serve in "as little as about
	// 30 s" (docs/aws-behaviour.md §1.11).
	DefaultWarmPoolStart = 30 * sim.Second
	// DefaultWarmPoolStoppedUSDHour is the hourly cost of one stopped
	// warm-pool instance when not set. A modelling default: a stopped
	// instance is billed for its EBS volumes only (§1.11), and 100 GB of
	// gp3 at $0.08 per GB-month is $8 a month, about $0.011 an hour.
	DefaultWarmPoolStoppedUSDHour = 0.011
	// DefaultOnDemandShards is the shard count of an on-demand stream that
	// does not set one: a new on-demand stream's 4 MB/s write capacity is
	// four shards' worth (§5.3).
	DefaultOnDemandShards = 4

	maxNameLen        = 64  // strategy names
	maxScenarioName   = 128 // scenario name
	maxDescriptionLen = 200 // one line
)

// The values of service.on_client_timeout.
const (
	OnTimeoutServe = "serve" // the server still serves a request whose client left
	OnTimeoutSkip  = "skip"  // the server drops it from its queue
)
