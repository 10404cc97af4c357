package scenarios

import (
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
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
	// WorkersPerVCPU is how many requests one vCPU serves at once (default
	// 1; 1 to MaxWorkersPerVCPU).
	WorkersPerVCPU int `yaml:"workers_per_vcpu"`
	// QueueLimit bounds each instance's queue; 0 means unbounded (default 0;
	// at most MaxQueueLimit). It does not apply to stream consumers: a
	// consumer holds at most models.MaxRecordsPerGet (10,000) fetched
	// records and leaves the rest in the stream.
	QueueLimit int `yaml:"queue_limit"`
	// Timeout is how long a client waits; 0 means forever (default 0; at
	// most MaxTimeout). It does not apply to stream records: the producer
	// got its acknowledgement at the put, and a record waits in the stream
	// until a consumer serves it or the retention expires.
	Timeout sim.Duration `yaml:"timeout"`
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

// LoadBalancerSpec describes the Application Load Balancer in front of a
// static, horizontal or vertical fleet (a stream strategy has none) and
// what it costs (docs/aws-behaviour.md §3.6): an hourly charge plus LCU-hours.
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
}

// InstancesSpec is the lifecycle of an instance launched after time zero
// (a scale-out, a replacement, a resize, a restart): boot, model load
// (service.startup), health checks, and how it leaves.
type InstancesSpec struct {
	// Boot is the time from launch to the OS being ready, a distribution
	// block like service.time (default lognormal, median 40s, p99 75s:
	// field data put EC2 launch to OS ready at about 30-60 s,
	// docs/aws-behaviour.md §1.12). Its mean is at most MaxLifecycleMean.
	Boot TimeSpec `yaml:"boot"`
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
// §3.4). A launched instance serves after HealthyThreshold passing checks
// (Interval × HealthyThreshold, 150 s by default); a failed one is noticed
// after UnhealthyThreshold failing ones (60 s by default).
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

// StrategySpec is one scaling strategy. Type selects the keys that apply
// (see strategyKeys); a key of another type is an error.
type StrategySpec struct {
	// Name identifies the strategy: required, unique, [a-z0-9_-], at most
	// 64 bytes. --set names a strategy's fields by it
	// (strategies.NAME.count).
	Name string `yaml:"name"`
	// Type is static | horizontal | vertical | stream.
	Type string `yaml:"type"`

	InstanceType string `yaml:"instance_type"` // static, horizontal; required
	Count        int    `yaml:"count"`         // static: 1 to MaxFleet; required

	Min int `yaml:"min"` // horizontal: 0 to MaxFleet; required
	Max int `yaml:"max"` // horizontal: max(1, min) to MaxFleet; required
	// Initial is the starting point: horizontal, an instance count (min to
	// max, default min); vertical, a type of the ladder (default the first).
	Initial Initial `yaml:"initial"`
	// InstanceWarmup (horizontal) is the group's DefaultInstanceWarmup, 0
	// to 3600s; not set by default, as in AWS (docs/aws-behaviour.md §1.3).
	InstanceWarmup *sim.Duration `yaml:"instance_warmup"`
	// DefaultCooldown (horizontal) is the group's default cooldown
	// (default 300s, 0 to strategies.MaxCooldown; §1.5).
	DefaultCooldown sim.Duration `yaml:"default_cooldown"`
	// WarmPool (horizontal) keeps pre-initialised, stopped instances
	// beside the group, which a scale-out takes before launching cold
	// ones (docs/aws-behaviour.md §1.11). Absent, the default, means no pool.
	WarmPool *WarmPoolSpec `yaml:"warm_pool"`
	// Policy and Policies (horizontal) are the group's scaling policies
	// and scheduled actions: one in policy, or several in policies; exactly
	// one of the two keys.
	Policy   PolicySpec   `yaml:"policy"`
	Policies []PolicySpec `yaml:"policies"`

	// Ladder (vertical) lists the instance types to resize between, in
	// ascending vCPUs, MinLadder to MaxLadder known types; required.
	Ladder []string `yaml:"ladder"`
	// Resize (vertical) is stop_start (the default: stop, change type,
	// start; a full outage, docs/aws-behaviour.md §4.1) or blue_green (launch
	// the new type beside the old, shift traffic, drain the old).
	Resize string `yaml:"resize"`
	// StopTime (vertical) is how long stop_start takes to stop the
	// instance, a distribution block like service.time (default
	// deterministic 60s: stop takes about 30-90 s, §4.1).
	StopTime TimeSpec `yaml:"stop_time"`
	// ScaleUpCPU and ScaleDownCPU (vertical) are the CPU percentages above
	// which the instance grows a rung and below which it shrinks one
	// (defaults 70 and 30; 0 < down < up <= 100).
	ScaleUpCPU   float64 `yaml:"scale_up_cpu"`
	ScaleDownCPU float64 `yaml:"scale_down_cpu"`
	// UpDatapoints and DownDatapoints (vertical) are the alarms' M of M
	// one-minute datapoints (defaults 3 and 15; 1 to
	// strategies.MaxEvaluationPeriods).
	UpDatapoints   int `yaml:"up_datapoints"`
	DownDatapoints int `yaml:"down_datapoints"`
	// Cooldown (vertical) is the wait after a resize finishes (default
	// 300s; 0 to strategies.MaxCooldown).
	Cooldown sim.Duration `yaml:"cooldown"`

	// Shards (stream) is the number of shards, 1 to MaxShards; required
	// unless on_demand (then default DefaultOnDemandShards). Each shard is
	// read by one consumer, so consumers beyond the shard count stay idle.
	Shards int `yaml:"shards"`
	// OnDemand (stream) selects on-demand capacity mode: write capacity
	// adapts to the traffic (docs/aws-behaviour.md §5.3). Default false.
	OnDemand bool `yaml:"on_demand"`
	// RecordSize (stream) is the bytes per record (default 1024; 1 to
	// 1048576, the 1 MB record limit). A shard takes 1 MB/s or 1,000
	// records/s, whichever binds first (§5.1).
	RecordSize int `yaml:"record_size"`
	// PollInterval (stream) is the wait between GetRecords calls on a shard
	// (default 1s, the KCL's; 200ms to 10s: a shard allows 5 GetRecords
	// calls per second, so faster polling is throttled, §5.1, §5.4).
	PollInterval sim.Duration `yaml:"poll_interval"`
	// DeliveryLatency (stream) is the delay from put to readable (default
	// 200ms, §5.4; 0 to 10s).
	DeliveryLatency sim.Duration `yaml:"delivery_latency"`
	// Retention (stream) is how long a record waits before it is dropped
	// (default 24h; 24h to 8760h, §5.2).
	Retention sim.Duration `yaml:"retention"`
	// Consumers (stream) is the fixed fleet that reads the stream; required.
	Consumers ConsumersSpec `yaml:"consumers"`
}

// WarmPoolSpec is a horizontal strategy's warm pool (docs/aws-behaviour.md
// §1.11). A launch takes a pool instance when one is ready: it only starts
// (Start) and passes the health checks, instead of booting and loading the
// model. The pool refills in the background, each refill running, and
// billed at the instance's price, for a boot and a model load before it
// stops.
type WarmPoolSpec struct {
	// Size is the number of instances kept ready, 0 to the group's max.
	// Required.
	Size int `yaml:"size"`
	// Start is the time from a pool instance's start to its model being
	// loaded, a distribution block like service.time (default
	// deterministic DefaultWarmPoolStart, 30s: AWS says pre-initialised
	// instances can serve in "as little as about 30 s", §1.11). Its mean is
	// at most MaxLifecycleMean.
	Start TimeSpec `yaml:"start"`
	// StoppedUSDHour is what one stopped pool instance costs per hour: its
	// EBS volumes, as AWS bills a stopped instance (§1.11). Default
	// DefaultWarmPoolStoppedUSDHour, 0.011; 0 to MaxPriceUSD.
	StoppedUSDHour float64 `yaml:"stopped_usd_hour"`
}

// Initial is the value of a strategy's initial key: an instance count for a
// horizontal strategy, an instance type for a vertical one. It is kept as
// written and checked against the strategy's type.
type Initial string

// PolicySpec is one scaling policy or set of scheduled actions of a
// horizontal strategy. Its keys are exactly strategies.PolicyConfig's yaml
// names; Type selects which apply (see policyKeys):
//
//	target_tracking: metric, target, disable_scale_in, scale_in_factor,
//	                 high_datapoints, low_datapoints, estimated_instance_warmup
//	step:            metric, threshold, comparison, datapoints_to_alarm,
//	                 evaluation_periods, adjustment_type, steps,
//	                 min_adjustment_magnitude, estimated_instance_warmup
//	simple:          metric, threshold, comparison, datapoints_to_alarm,
//	                 evaluation_periods, adjustment_type, adjustment,
//	                 min_adjustment_magnitude, cooldown
//	scheduled:       actions
//	predictive:      metric, target, mode, scheduling_buffer_time,
//	                 lookback_days, max_capacity_breach_behavior,
//	                 max_capacity_buffer
//
// Metrics are cpu, request_count_per_target (requests_per_target is read
// as it), in_flight and queue_length. Load writes every default out, so a
// resolved policy states its alarm shapes.
type PolicySpec = strategies.PolicyConfig

// ConsumersSpec is a stream strategy's consumer fleet.
type ConsumersSpec struct {
	InstanceType string `yaml:"instance_type"` // required
	Count        int    `yaml:"count"`         // 1 to MaxFleet; required
}

// The keys each workload type, service-time distribution and strategy type
// takes (nil for an unknown one). Validation rejects any other key the file
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

func strategyKeys(typ string) []string {
	switch typ {
	case "static":
		return []string{"name", "type", "instance_type", "count"}
	case "horizontal":
		return []string{"name", "type", "instance_type", "min", "max", "initial", "instance_warmup", "default_cooldown", "warm_pool",
			"policy", "policies"}
	case "vertical":
		return []string{"name", "type", "ladder", "initial", "resize", "stop_time", "scale_up_cpu", "scale_down_cpu",
			"up_datapoints", "down_datapoints", "cooldown"}
	case "stream":
		return []string{"name", "type", "shards", "on_demand", "record_size", "poll_interval", "delivery_latency", "retention", "consumers"}
	}
	return nil
}

func policyKeys(typ string) []string {
	switch typ {
	case strategies.PolicyTargetTracking:
		return []string{"type", "metric", "target", "disable_scale_in", "scale_in_factor", "high_datapoints", "low_datapoints",
			"estimated_instance_warmup"}
	case strategies.PolicyStep:
		return []string{"type", "metric", "threshold", "comparison", "datapoints_to_alarm", "evaluation_periods",
			"adjustment_type", "steps", "min_adjustment_magnitude", "estimated_instance_warmup"}
	case strategies.PolicySimple:
		return []string{"type", "metric", "threshold", "comparison", "datapoints_to_alarm", "evaluation_periods",
			"adjustment_type", "adjustment", "min_adjustment_magnitude", "cooldown"}
	case strategies.PolicyScheduled:
		return []string{"type", "actions"}
	case strategies.PolicyPredictive:
		return []string{"type", "metric", "target", "mode", "scheduling_buffer_time", "lookback_days",
			"max_capacity_breach_behavior", "max_capacity_buffer"}
	}
	return nil
}

// The valid names of each kind, in the order messages list them.
func workloadTypes() []string {
	return []string{"poisson", "steps", "diurnal", "spike", "ramp", "mix", "trace"}
}
func distNames() []string {
	return []string{"exponential", "lognormal", "deterministic", "gamma", "empirical"}
}
func strategyTypes() []string { return []string{"static", "horizontal", "vertical", "stream"} }
func routingNames() []string  { return []string{"round_robin", "least_outstanding", "random"} }
func policyTypes() []string {
	return []string{"target_tracking", "step", "simple", "scheduled", "predictive"}
}
func policyMetrics() []string {
	return []string{"cpu", "request_count_per_target", "in_flight", "queue_length"}
}
func adjustmentTypes() []string {
	return []string{"change_in_capacity", "exact_capacity", "percent_change_in_capacity"}
}
func resizeModes() []string { return []string{"stop_start", "blue_green"} }
