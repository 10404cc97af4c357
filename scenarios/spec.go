package scenarios

import "github.com/scalesim/scalesim/sim"

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
	// (default 0; less than Duration).
	Warmup sim.Duration `yaml:"warmup"`
	// SLO is the service-level objective.
	SLO SLOSpec `yaml:"slo"`
	// Workload is the arrival process. Required.
	Workload WorkloadSpec `yaml:"workload"`
	// Service describes the served model.
	Service ServiceSpec `yaml:"service"`
	// LoadBalancer describes the load balancer in front of the fleet.
	LoadBalancer LoadBalancerSpec `yaml:"load_balancer"`
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

	// trace: recorded traffic read from Path, relative to the scenario file.
	Path      string       `yaml:"path"`       // required
	Format    string       `yaml:"format"`     // timestamps | counts | alb | cloudwatch; required
	Column    string       `yaml:"column"`     // CSV column name or 1-based index (default: the reader's choice)
	Interval  sim.Duration `yaml:"interval"`   // counts: the span of one count; required for counts
	RateScale float64      `yaml:"rate_scale"` // multiplies the rate (default 1; > 0, at most MaxScale)
	TimeScale float64      `yaml:"time_scale"` // stretches time (default 1; > 0, at most MaxScale)
	Start     sim.Duration `yaml:"start"`      // skip the trace's first Start (default 0)
	End       sim.Duration `yaml:"end"`        // stop End after the trace's beginning (0 = to the end)
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
	// at most MaxQueueLimit).
	QueueLimit int `yaml:"queue_limit"`
	// Timeout is how long a client waits; 0 means forever (default 0; at
	// most MaxTimeout).
	Timeout sim.Duration `yaml:"timeout"`
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

// LoadBalancerSpec describes the load balancer.
type LoadBalancerSpec struct {
	// Routing is round_robin | least_outstanding | random (default round_robin).
	Routing string `yaml:"routing"`
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
	Initial Initial    `yaml:"initial"`
	Policy  PolicySpec `yaml:"policy"` // horizontal; required

	Ladder []string `yaml:"ladder"` // vertical: 1 to MaxLadder known types, no repeats; required

	Shards    int           `yaml:"shards"`    // stream: 1 to MaxShards; required
	Consumers ConsumersSpec `yaml:"consumers"` // stream; required
}

// Initial is the value of a strategy's initial key: an instance count for a
// horizontal strategy, an instance type for a vertical one. It is kept as
// written and checked against the strategy's type.
type Initial string

// PolicySpec is a horizontal strategy's scaling policy.
type PolicySpec struct {
	// Type is target_tracking | step | simple | scheduled | predictive.
	Type string `yaml:"type"`
	// Metric (target_tracking) is cpu | requests_per_target | in_flight |
	// queue_length.
	Metric string `yaml:"metric"`
	// Target (target_tracking) is the metric's target value: > 0, and at
	// most 100 for cpu (a percentage).
	Target float64 `yaml:"target"`
}

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
		return []string{"type", "path", "format", "column", "interval", "rate_scale", "time_scale", "start", "end"}
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
		return []string{"name", "type", "instance_type", "min", "max", "initial", "policy"}
	case "vertical":
		return []string{"name", "type", "ladder", "initial"}
	case "stream":
		return []string{"name", "type", "shards", "consumers"}
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
func traceFormats() []string  { return []string{"timestamps", "counts", "alb", "cloudwatch"} }
func policyTypes() []string {
	return []string{"target_tracking", "step", "simple", "scheduled", "predictive"}
}
func policyMetrics() []string {
	return []string{"cpu", "requests_per_target", "in_flight", "queue_length"}
}
