package scenarios

import (
	"github.com/scalesim/scalesim/sim"
)

// Spec is a scenario file as plain data: one field per YAML key. Load fills
// it from the file (after --set overrides), checks every key and value, and
// applies the defaults, so the Spec held by a Scenario is fully resolved.
//
// Durations are written in Go syntax plus "d" for days ("50ms", "1h30m",
// "2d"); a bare number is an error, except 0.
type Spec struct {
	// Name identifies the scenario in results. Required; one line, at most
	// 128 bytes.
	Name string `yaml:"name"`
	// Description is a one-line summary (at most 200 bytes). Optional.
	Description string `yaml:"description"`
	// Seed seeds every random stream (default 1). Replication r uses Seed+r.
	Seed uint64 `yaml:"seed"`
	// Duration is the simulated span. Required; > 0 and at most MaxDuration.
	Duration sim.Duration `yaml:"duration"`
	// Start is the calendar instant of simulated time zero, RFC 3339
	// ("2026-01-10T00:00:00Z"), after 1970-01-01T00:00:00Z and before
	// MaxStartYear. Cron recurrences of scheduled actions follow it, and a
	// predictive policy's history is placed on the run's clock by it.
	// Default: for a trace workload whose times are date-times
	// (timestamps with date-times, alb, cloudwatch), the trace's instant at
	// its start cut (its first record's when the cut is 0), which the run's
	// time zero replays; otherwise strategies.DefaultEpochUnix, Monday
	// 2024-01-01T00:00:00Z. See Scenario.StartTime.
	Start string `yaml:"start"`
	// Warmup excludes requests that arrive before it from the results
	// (default 0; less than Duration). The file may instead say
	// "warmup: auto": then Warmup is 0 and WarmupAuto is set.
	Warmup sim.Duration `yaml:"warmup"`
	// WarmupAuto is set by "warmup: auto": Run detects each strategy's
	// initial transient with the MSER-5 rule and cuts it (see Run).
	WarmupAuto bool `yaml:"-"`
	// SLO is the service-level objective.
	SLO SLOSpec `yaml:"slo"`
	// Workload is the arrival process. Required.
	Workload WorkloadSpec `yaml:"workload"`
	// Service describes the served model.
	Service ServiceSpec `yaml:"service"`
	// Instances is the lifecycle of launched instances.
	Instances InstancesSpec `yaml:"instances"`
	// LoadBalancer describes the load balancer in front of the fleet.
	LoadBalancer LoadBalancerSpec `yaml:"load_balancer"`
	// Metrics is how metrics reach the scaling policies.
	Metrics MetricsSpec `yaml:"metrics"`
	// Zones is the number of availability zones instances spread over,
	// named a, b, c, ... (default DefaultZones; 1 to MaxZones).
	Zones int `yaml:"zones"`
	// Failures describes instance failures and zone outages (default none).
	Failures FailuresSpec `yaml:"failures"`
	// Strategies are the scaling strategies to compare, each run on the same
	// traffic. Required: 1 to MaxStrategies, names unique.
	Strategies []StrategySpec `yaml:"strategies"`
	// Lesson, optional, is a question the run answers, for teaching: the
	// report states it, each option's result and the answer the figures
	// give (see LessonSpec).
	Lesson *LessonSpec `yaml:"lesson"`
}

// SLOSpec is the service-level objective.
type SLOSpec struct {
	// Latency is the arrival-to-completion time a request must meet
	// (default DefaultSLOLatency; > 0 and at most MaxSLOLatency).
	Latency sim.Duration `yaml:"latency"`
}

// WorkloadSpec is an arrival process. Type selects which other keys apply
// (see workloadKeys); a key that does not belong to the type is an error.
// Rates are requests per second, 0 to MaxRate.
type WorkloadSpec struct {
	// Type is poisson | steps | diurnal | spike | ramp | mix | trace.
	Type string `yaml:"type"`

	Rate float64 `yaml:"rate"` // poisson: the constant rate; required

	// Steps (steps) is a piecewise-constant rate: the first At is 0 and the
	// Ats increase strictly.
	Steps []StepSpec `yaml:"steps"`

	// diurnal: Base + (Peak-Base)·(1+cos(2π(h-PeakHour)/P))/2 at hour h of
	// the period P (Period, default 24h). spike: Base, then a linear rise to
	// Peak over Rise starting At, Peak for Hold, a linear fall over Fall.
	Base     float64      `yaml:"base"`      // diurnal, spike (default 0)
	Peak     float64      `yaml:"peak"`      // diurnal, spike; required
	PeakHour float64      `yaml:"peak_hour"` // diurnal: hour of the peak, 0 <= h < period (default 0)
	Period   sim.Duration `yaml:"period"`    // diurnal (default 24h)
	At       sim.Duration `yaml:"at"`        // spike, ramp: when the change starts (default 0)
	Rise     sim.Duration `yaml:"rise"`      // spike (default 0)
	Hold     sim.Duration `yaml:"hold"`      // spike (default 0)
	Fall     sim.Duration `yaml:"fall"`      // spike (default 0)

	// ramp: From until At, then linear to To over Over, then To.
	From float64      `yaml:"from"` // required
	To   float64      `yaml:"to"`   // required
	Over sim.Duration `yaml:"over"` // default 0 (a step)

	// Components (mix) are summed: 1 to MaxMixComponents, nested at most
	// MaxMixDepth deep.
	Components []WorkloadSpec `yaml:"components"`

	// trace: recorded traffic read from Path, relative to the scenario
	// file; for a format that reads directories (alb), Path may be a
	// directory of logs as S3 delivers them (every file below it is read
	// and merged in time order). workloads.CheckTrace validates the
	// options against what the format takes (workloads.Options).
	Path   string `yaml:"path"`   // required
	Format string `yaml:"format"` // one of workloads.FormatNames(); required
	// Column is a CSV column name or 1-based index (timestamps, counts), or
	// a CloudWatch export's metric Id or Label, or statistic (default: the
	// reader's choice; see workloads.TraceConfig); not used by alb.
	Column string `yaml:"column"`
	// Interval is the span of one count: required for counts; optional for
	// cloudwatch (0, the default, takes the datapoints' period); not used
	// by timestamps and alb. At most MaxTraceInterval.
	Interval  sim.Duration `yaml:"interval"`
	RateScale float64      `yaml:"rate_scale"` // multiplies the rate (default 1; > 0, at most MaxScale)
	TimeScale float64      `yaml:"time_scale"` // stretches time (default 1; > 0, at most MaxScale)
	Start     sim.Duration `yaml:"start"`      // skip the trace's first Start (default 0)
	End       sim.Duration `yaml:"end"`        // stop End after the trace's beginning (0 = to the end)
	// Strict (alb only) makes a malformed log line an error naming its
	// file and line. By default such lines are skipped, counted, and
	// reported among the result's warnings.
	Strict bool `yaml:"strict"`
}

// StepSpec is one piece of a steps workload: Rate from At until the next step.
type StepSpec struct {
	At   sim.Duration `yaml:"at"`
	Rate float64      `yaml:"rate"`
}

// ServiceSpec describes the served model.
type ServiceSpec struct {
	// Time is the service-time distribution on one worker slot. Required.
	Time TimeSpec `yaml:"time"`
	// WorkersPerVCPU is how many requests one vCPU serves at once, for a
	// CPU-bound model: an instance's worker slots are its vCPUs × this
	// (default 1 when WorkersPerGPU is not set; 1 to MaxWorkersPerVCPU).
	WorkersPerVCPU int `yaml:"workers_per_vcpu,omitempty"`
	// WorkersPerGPU is how many requests one GPU serves at once, for a
	// GPU-bound model: an instance's worker slots are its GPUs × this, and
	// every instance type the strategies name must have GPUs (1 to
	// MaxWorkersPerGPU; not set by default). It excludes WorkersPerVCPU.
	WorkersPerGPU int `yaml:"workers_per_gpu,omitempty"`
	// QueueLimit bounds each instance's queue: a request that finds it full
	// is refused (503, counted rejected). 0 means unbounded (default
	// DefaultQueueLimit, 100, TorchServe's job_queue_size; at most
	// MaxQueueLimit). The queue counts requests whose client has left but
	// which the server still serves (OnClientTimeout serve). It does not
	// apply to stream consumers: a consumer holds at most
	// models.MaxRecordsPerGet (10,000) fetched records and leaves the rest
	// in the stream.
	QueueLimit int `yaml:"queue_limit"`
	// Timeout is how long a client waits; 0 means forever (default 0; at
	// most MaxTimeout). The load balancer's idle timeout, when shorter,
	// ends the wait first (504). Neither applies to stream records: the
	// producer got its acknowledgement at the put, and a record waits in
	// the stream until a consumer serves it or the retention expires.
	Timeout sim.Duration `yaml:"timeout"`
	// OnClientTimeout is what the server does with a queued request whose
	// client has left (timed out, or answered 504): serve (the default: a
	// server without deadline propagation serves it anyway, wasting the
	// work) or skip (it drops it from its queue at once).
	OnClientTimeout string `yaml:"on_client_timeout"`
	// Startup is the model-load time of a launched instance, after boot
	// and before health checks, a distribution block like Time (default
	// lognormal, median 30s, p99 90s: a modelling default; AWS publishes
	// no figure, docs/aws-behaviour.md §1.12). Its mean is at most
	// MaxLifecycleMean.
	Startup TimeSpec `yaml:"startup"`
}

// TimeSpec is a service-time distribution. Dist selects the keys that apply
// (see timeKeys). Every time is > 0 and the distribution's mean is at most
// MaxServiceMean.
type TimeSpec struct {
	// Dist is exponential | lognormal | deterministic | gamma | empirical.
	Dist   string       `yaml:"dist"`
	Mean   sim.Duration `yaml:"mean"`   // exponential, gamma
	Median sim.Duration `yaml:"median"` // lognormal
	P99    sim.Duration `yaml:"p99"`    // lognormal; > median
	Value  sim.Duration `yaml:"value"`  // deterministic
	CV     float64      `yaml:"cv"`     // gamma: coefficient of variation, (0, 5]
	// Path (empirical) names a file of recorded service times relative to
	// the scenario file: one per line, or one CSV column (Column, a header
	// name or 1-based index); each a duration ("42ms") or a number of
	// seconds. At most MaxEmpiricalSamples.
	Path   string `yaml:"path"`
	Column string `yaml:"column"`
}

// LoadBalancerSpec describes the Application Load Balancer in front of the
// fleets of the families whose door it is (a stream has none) and what it
// costs (docs/aws-behaviour.md §3.6): an hourly charge plus LCU-hours.
type LoadBalancerSpec struct {
	// Routing is round_robin | least_outstanding | random (default round_robin).
	Routing string `yaml:"routing"`
	// HourlyUSD is the price of an ALB-hour (default models.ALBHourlyUSD,
	// 0.0225; 0 to MaxPriceUSD).
	HourlyUSD float64 `yaml:"hourly_usd"`
	// LCUHourUSD is the price of an LCU-hour (default models.ALBLCUHourUSD,
	// 0.008; 0 to MaxPriceUSD).
	LCUHourUSD float64 `yaml:"lcu_hour_usd"`
	// RequestsPerConnection is how many requests a client sends per new
	// connection, keep-alive included (default 1; 1 to
	// MaxRequestsPerConnection). New connections are one LCU dimension.
	RequestsPerConnection float64 `yaml:"requests_per_connection"`
	// BytesPerRequest is the request plus response bytes the ALB processes
	// (default 10,000; 0 to MaxBytesPerRequest).
	BytesPerRequest float64 `yaml:"bytes_per_request"`
	// RulesPerRequest is the listener rules evaluated per request beyond
	// the 10 free ones (default 0; 0 to MaxRulesPerRequest).
	RulesPerRequest float64 `yaml:"rules_per_request"`
	// IdleTimeout is how long the ALB waits for a target's response before
	// it answers the client 504, counted timed_out (default 60s, 0s to
	// 4000s; 0s turns it off; docs/aws-behaviour.md §3.5).
	IdleTimeout sim.Duration `yaml:"idle_timeout"`
}

// InstancesSpec is the lifecycle of an instance launched after time zero
// (a scale-out, a replacement, a resize, a restart): boot, model load
// (service.startup), health checks, and how it leaves.
type InstancesSpec struct {
	// Pending is the time from launch until EC2 reports the instance
	// running, a distribution block like service.time (default lognormal,
	// median 15s, p99 30s: field data, docs/aws-behaviour.md §1.12). The
	// instance is then in service as its group counts it: billed,
	// registered with the load balancer, its warm-up started (§1.3). Its
	// mean is at most MaxLifecycleMean.
	Pending TimeSpec `yaml:"pending"`
	// Boot is the time from running to the operating system being ready
	// (default lognormal, median 25s, p99 45s, §1.12); the model load
	// (service.startup) follows. Both overlap the health checks. Its mean
	// is at most MaxLifecycleMean.
	Boot TimeSpec `yaml:"boot"`
	// EBSGB is the size of each instance's EBS root volume in GiB, billed
	// as gp3 while the instance runs (default 8; 0 to MaxEBSGB).
	EBSGB float64 `yaml:"ebs_gb"`
	// HealthCheck is the load balancer's target health check.
	HealthCheck HealthCheckSpec `yaml:"health_check"`
	// DeregistrationDelay is how long a removed instance drains before it
	// is terminated; requests still inside are then lost (default 300s,
	// 0 to 3600s, docs/aws-behaviour.md §3.3).
	DeregistrationDelay sim.Duration `yaml:"deregistration_delay"`
	// Recovery is how long a failed instance that is restarted in place
	// (the vertical strategy's one instance, a stream consumer) waits
	// before it boots again (default 2m, 0 to 1h). AWS gives no figure:
	// this is a modelling default (a stop/start cycle and the operator or
	// auto-recovery noticing).
	Recovery sim.Duration `yaml:"recovery"`
}

// HealthCheckSpec is an ALB target group's health check (docs/aws-behaviour.md
// §3.4), run every Interval from a random point. A newly registered
// instance serves after its first passing check (its model loaded), unless
// UnhealthyThreshold checks fail first; it is then unhealthy and needs
// HealthyThreshold passing checks in a row. A failed instance is noticed
// after UnhealthyThreshold failing ones (30-60 s by default). When every
// registered target is unhealthy, the load balancer routes to all of them.
type HealthCheckSpec struct {
	Interval           sim.Duration `yaml:"interval"`            // default 30s; 5s to 300s
	HealthyThreshold   int          `yaml:"healthy_threshold"`   // default 5; 2 to 10
	UnhealthyThreshold int          `yaml:"unhealthy_threshold"` // default 2; 2 to 10
}

// MetricsSpec is how CloudWatch-like metrics reach the scaling policies.
type MetricsSpec struct {
	// Period is 1m (detailed monitoring, the default) or 5m (basic
	// monitoring), docs/aws-behaviour.md §2.1.
	Period sim.Duration `yaml:"period"`
	// Delay is how long after a period ends its datapoint can be read
	// (default models.DefaultMetricDelay, 60s; 0 to MaxMetricDelay).
	Delay sim.Duration `yaml:"delay"`
}

// FailuresSpec describes what breaks during the run. Failures are drawn
// from streams no strategy touches, so every strategy faces the same ones.
type FailuresSpec struct {
	// InstanceMTBF is the mean time between failures of one instance
	// (exponential); 0, the default, means instances never fail; else at
	// least MinInstanceMTBF and at most MaxInstanceMTBF.
	InstanceMTBF sim.Duration `yaml:"instance_mtbf"`
	// ZoneOutages take whole availability zones down (at most
	// MaxZoneOutages; outages of one zone may not overlap).
	ZoneOutages []OutageSpec `yaml:"zone_outages"`
}

// OutageSpec is one zone outage: every instance in Zone fails at At and
// nothing launches there until At+For. An outage that outlasts the run
// keeps the zone down to the end.
type OutageSpec struct {
	Zone string       `yaml:"zone"` // a letter from a to the zones-th letter
	At   sim.Duration `yaml:"at"`   // from the start of the run; before duration
	For  sim.Duration `yaml:"for"`  // > 0
}

// StrategySpec is one scaling strategy: its name, its type (which names
// its family, see Schema) and the family's own keys. A key of another
// family is an error.
type StrategySpec struct {
	// Name identifies the strategy: required, unique, [a-z0-9_-], at most
	// 64 bytes. --set names a strategy's fields by it
	// (strategies.NAME.count).
	Name string `yaml:"name"`
	// Type names the strategy's family: static | horizontal | vertical |
	// stream with the default schema.
	Type string `yaml:"type"`
	// Spec holds the family's keys, decoded into the family's struct
	// (StaticSpec, HorizontalSpec, VerticalSpec, StreamSpec, ...); nil
	// when the type names no family.
	Spec FamilySpec `yaml:"-"`

	misplaced []string // keys of other families the file set, in order
}

// The keys each workload type and service-time distribution takes (nil for
// an unknown one). Validation rejects any other key the file
// sets, and YAML() writes exactly these, so a resolved scenario loads back
// unchanged.

func workloadKeys(typ string) []string {
	switch typ {
	case "poisson":
		return []string{"type", "rate"}
	case "steps":
		return []string{"type", "steps"}
	case "diurnal":
		return []string{"type", "base", "peak", "peak_hour", "period"}
	case "spike":
		return []string{"type", "base", "peak", "at", "rise", "hold", "fall"}
	case "ramp":
		return []string{"type", "from", "to", "at", "over"}
	case "mix":
		return []string{"type", "components"}
	case "trace":
		return []string{"type", "path", "format", "column", "interval", "rate_scale", "time_scale", "start", "end", "strict"}
	}
	return nil
}

func timeKeys(dist string) []string {
	switch dist {
	case "exponential":
		return []string{"dist", "mean"}
	case "lognormal":
		return []string{"dist", "median", "p99"}
	case "deterministic":
		return []string{"dist", "value"}
	case "gamma":
		return []string{"dist", "mean", "cv"}
	case "empirical":
		return []string{"dist", "path", "column"}
	}
	return nil
}

// PeakRate returns the key of a workload's busiest rate (below
// "workload"), that rate and the lowest the workload's own keys let it be
// set to (its base), or false for a workload without one such key (steps,
// ramp, mix, trace): a spike's or diurnal workload's peak, a poisson
// workload's rate.
func (w WorkloadSpec) PeakRate() (key string, peak, floor float64, ok bool) {
	switch w.Type {
	case "spike", "diurnal":
		return "peak", w.Peak, w.Base, true
	case "poisson":
		return "rate", w.Rate, 0, true
	}
	return "", 0, 0, false
}

// Scale returns the keys of a service-time distribution's durations (below
// "service.time") and their values, the centre first: scaling them all
// alike scales the distribution and keeps its shape. False for recorded
// samples (empirical), which have none.
func (t TimeSpec) Scale() (keys []string, times []sim.Duration, ok bool) {
	switch t.Dist {
	case "lognormal":
		return []string{"median", "p99"}, []sim.Duration{t.Median, t.P99}, true
	case "exponential", "gamma":
		return []string{"mean"}, []sim.Duration{t.Mean}, true
	case "deterministic":
		return []string{"value"}, []sim.Duration{t.Value}, true
	}
	return nil, nil, false
}

// The valid names of each kind, in the order messages list them.
func workloadTypes() []string {
	return []string{"poisson", "steps", "diurnal", "spike", "ramp", "mix", "trace"}
}
func distNames() []string {
	return []string{"exponential", "lognormal", "deterministic", "gamma", "empirical"}
}
func routingNames() []string { return []string{"round_robin", "least_outstanding", "random"} }
