package strategies

import (
	"fmt"
	"math"

	"github.com/scalesim/scalesim/sim"
)

// Consumers is the policy of a stream strategy: a fixed fleet of consumer
// instances reading a stream's shards, each shard read by the one consumer
// holding its lease, so at most as many consumers as shards ever work
// (docs/aws-behaviour.md §5.6). It never scales: the stream in front
// absorbs a burst up to its write limits and retention, and adds no
// processing capacity, so what the consumers cannot serve waits in the
// stream. ConsumerGroup is the policy of consumers that scale on the
// stream's lag.
type Consumers struct {
	fixedFleet
	shards int
}

// NewConsumers returns count consumers of instanceType reading shards
// shards (at least 1).
func NewConsumers(name, instanceType string, count, shards int) (*Consumers, error) {
	if shards < 1 {
		return nil, fmt.Errorf("stream strategy %s: shards must be at least 1, got %d", name, shards)
	}
	f, err := newFixedFleet("stream strategy", name, instanceType, count,
		fmt.Sprintf("%d consumers reading %d shards", count, shards))
	if err != nil {
		return nil, err
	}
	return &Consumers{fixedFleet: f, shards: shards}, nil
}

// Defaults of consumers that scale on the stream's lag
// (docs/aws-behaviour.md §5.7). The alarms are the user's own, so AWS
// gives them no shape: these are modelling defaults.
const (
	// DefaultIteratorAgeOutDatapoints is the scale-out alarm's M of M on
	// the iterator age: 1 of 1, as a step policy's alarm by default
	// (DefaultAlarmDatapoints).
	DefaultIteratorAgeOutDatapoints = DefaultAlarmDatapoints
	// DefaultIteratorAgeScaleInFactor places the iterator age's scale-in
	// alarm at 0.25 × target: consumers that are caught up read records
	// at most a poll interval and the delivery delay old (1.2 s by
	// default), below a quarter of any target of 5 s or more, while
	// consumers that fall behind soon pass it.
	DefaultIteratorAgeScaleInFactor = 0.25
	// DefaultConsumerInDatapoints is the scale-in alarm's M of M, the
	// stabilisation before consumers are removed: 15 of 15, as target
	// tracking's AlarmLow.
	DefaultConsumerInDatapoints = DefaultLowDatapoints
	// DefaultConsumerScaleInCooldown is the iterator age's scale-in
	// cooldown: the group's default cooldown, which a simple policy takes
	// when it sets none (§1.5).
	DefaultConsumerScaleInCooldown = DefaultCooldown
	// DefaultConsumerWarmup is the consumers' instance warm-up when the
	// scenario sets none: AWS's fall-back, the group's default cooldown
	// (§1.3).
	DefaultConsumerWarmup = DefaultCooldown
)

// The step adjustments of the iterator age's scale-out policy, in percent
// of the current capacity (at least one consumer), by how far the age lies
// past the target: below twice the target, up to four times it, beyond.
const (
	iteratorAgeStepNear = 20
	iteratorAgeStepFar  = 50
	iteratorAgeStepVery = 100
	// iteratorAgeStepIn is the scale-in policy's adjustment, percent.
	iteratorAgeStepIn = -10
)

// ConsumerScalingConfig configures consumers that scale on the stream's
// lag: an EC2 Auto Scaling group of consumer instances whose policies
// watch a stream metric (docs/aws-behaviour.md §5.7). It is plain data;
// NewConsumerGroup validates it.
type ConsumerScalingConfig struct {
	Name, InstanceType string
	// Shards is the stream's shard count, for the record of when the
	// consumers reached it; 0 for an on-demand stream, whose shards
	// change.
	Shards int
	// Metric is iterator_age or backlog_per_consumer.
	Metric string
	// Target is the metric's target: ms of iterator age, or records per
	// consumer; > 0.
	Target float64
	// Min, Max and Initial bound and start the group (1 <= Min <= Initial
	// <= Max).
	Min, Max, Initial int
	// InstanceWarmup is the policies' instance warm-up (0 to
	// MaxInstanceWarmup).
	InstanceWarmup sim.Duration
	// OutDatapoints and InDatapoints are the scale-out and scale-in
	// alarms' M of M (1 to MaxEvaluationPeriods).
	OutDatapoints, InDatapoints int
	// ScaleInFactor places the scale-in alarm at ScaleInFactor × Target,
	// in (0, 1).
	ScaleInFactor float64
	// ScaleInCooldown (iterator_age) is the scale-in policy's cooldown, 0
	// to MaxCooldown.
	ScaleInCooldown sim.Duration
}

// ConsumerGroup is the policy of a stream strategy whose consumers scale
// on the stream's lag: an EC2 Auto Scaling group of consumer instances
// (docs/aws-behaviour.md §5.7), its policies the ones AWS documents for
// each metric:
//
//   - iterator_age: alarms on the stream's GetRecords.IteratorAgeMilliseconds
//     (Maximum, over the periods published so far). A step scaling policy
//     scales out: above Target for OutDatapoints of OutDatapoints, it adds
//     20% of the capacity while the age is under twice the target, 50%
//     under four times it, 100% beyond (at least one consumer). A simple
//     scaling policy scales in: below ScaleInFactor × Target for
//     InDatapoints, it removes 10% (at least one), then waits for
//     ScaleInCooldown. The iterator age tells how far behind the consumers
//     are, not how many would do: it is not proportional to them, so
//     target tracking does not fit it, and consumers that are caught up
//     read the same low age however many they are, so each scale-in is a
//     guess the cooldown lets the metric check.
//   - backlog_per_consumer: target tracking on the records not yet
//     processed per consumer, as AWS scales queue workers on the backlog
//     per instance: AlarmHigh OutDatapoints of OutDatapoints above
//     Target, AlarmLow InDatapoints below ScaleInFactor × Target.
//
// The group's own rules apply (§1.3 to §1.5): the capacity a scale-out
// starts from leaves warming consumers out; target tracking's scale-in
// waits while consumers launch or warm up, the simple policy's while its
// last removal is under way and for its cooldown after. Beside the decisions it records when the
// consumers serving held every shard's lease while the metric, above its
// target, kept growing: more consumers would then sit idle, one lease per
// shard, and only more shards would help.
type ConsumerGroup struct {
	group  *Horizontal
	metric Metric
	target float64
	shards int
	feed   periodFeed
	// latest and prev are the two newest datapoints with data; n counts
	// them up to 2; from is when the newest one's period began.
	latest, prev float64
	n            int
	from         sim.Time
	// full is the first decision of the current run of decisions at
	// which the consumers serving held every shard's lease; -1 outside
	// one.
	full sim.Time
	// shard limit: when every shard's lease was first held, and the
	// decisions since at which the metric was above its target and still
	// growing
	limitAt      sim.Time
	limitMinutes int
	peak         int // the largest desired capacity
}

// NewConsumerGroup validates c and returns the group. A validation error
// is a *FieldError naming the key below autoscale ("target",
// "scale_in_factor"), wrapped with the strategy's name.
func NewConsumerGroup(c ConsumerScalingConfig) (*ConsumerGroup, error) {
	g, err := newConsumerGroup(c)
	if err != nil {
		return nil, fmt.Errorf("stream strategy %s: %w", c.Name, err)
	}
	return g, nil
}

func newConsumerGroup(c ConsumerScalingConfig) (*ConsumerGroup, error) {
	m, err := ParseStreamMetric(c.Metric)
	switch {
	case err != nil:
		return nil, &FieldError{Field: "metric", Msg: err.Error()}
	case !(c.Target > 0) || math.IsInf(c.Target, 0):
		return nil, fieldErrorf("target", "must be > 0 (got %v)", c.Target)
	case c.Min < 1:
		return nil, fieldErrorf("min", "must be at least 1 (got %d)", c.Min)
	case !(c.ScaleInFactor > 0 && c.ScaleInFactor < 1):
		return nil, fieldErrorf("scale_in_factor", "must be in (0, 1) (got %v)", c.ScaleInFactor)
	case c.Shards < 0:
		return nil, fieldErrorf("shards", "must be >= 0 (got %d)", c.Shards)
	case c.OutDatapoints < 1 || c.OutDatapoints > MaxEvaluationPeriods:
		return nil, fieldErrorf("scale_out_datapoints", "must be from 1 to %d (got %d)", MaxEvaluationPeriods, c.OutDatapoints)
	case c.InDatapoints < 1 || c.InDatapoints > MaxEvaluationPeriods:
		return nil, fieldErrorf("scale_in_datapoints", "must be from 1 to %d (got %d)", MaxEvaluationPeriods, c.InDatapoints)
	case c.ScaleInCooldown < 0 || c.ScaleInCooldown > MaxCooldown:
		return nil, fieldErrorf("scale_in_cooldown", "must be from 0 to %v (got %v)", MaxCooldown, c.ScaleInCooldown)
	}
	warm := c.InstanceWarmup
	hc := HorizontalConfig{Name: c.Name, InstanceType: c.InstanceType, Min: c.Min, Max: c.Max, Initial: c.Initial,
		Policies: consumerPolicies(m, c), DefaultInstanceWarmup: &warm}
	h, err := newHorizontal(hc)
	if err != nil {
		return nil, err
	}
	return &ConsumerGroup{group: h, metric: m, target: c.Target, shards: c.Shards, full: -1}, nil
}

// consumerPolicies returns the group's policies for metric m.
func consumerPolicies(m Metric, c ConsumerScalingConfig) []PolicyConfig {
	if m == MetricBacklogPerConsumer {
		return []PolicyConfig{{Type: PolicyTargetTracking, Metric: string(m), Target: c.Target,
			ScaleInFactor: c.ScaleInFactor, HighDatapoints: c.OutDatapoints, LowDatapoints: c.InDatapoints}}
	}
	t, cd := c.Target, c.ScaleInCooldown
	f := func(x float64) *float64 { return &x }
	return []PolicyConfig{
		{Type: PolicyStep, Metric: string(m), Threshold: t, Comparison: ">",
			EvaluationPeriods: c.OutDatapoints, DatapointsToAlarm: c.OutDatapoints,
			AdjustmentType: string(PercentChangeInCapacity), MinAdjustmentMagnitude: 1,
			Steps: []StepConfig{
				{Lower: f(0), Upper: f(t), Adjustment: iteratorAgeStepNear},
				{Lower: f(t), Upper: f(3 * t), Adjustment: iteratorAgeStepFar},
				{Lower: f(3 * t), Adjustment: iteratorAgeStepVery},
			}},
		{Type: PolicySimple, Metric: string(m), Threshold: c.ScaleInFactor * t, Comparison: "<",
			EvaluationPeriods: c.InDatapoints, DatapointsToAlarm: c.InDatapoints,
			AdjustmentType: string(PercentChangeInCapacity), Adjustment: iteratorAgeStepIn, MinAdjustmentMagnitude: 1,
			Cooldown: &cd},
	}
}

// Name implements Strategy.
func (g *ConsumerGroup) Name() string { return g.group.Name() }

// Interval implements Strategy: the group's.
func (g *ConsumerGroup) Interval() sim.Duration { return g.group.Interval() }

// InstanceWarmup is how long a new consumer stays out of the capacity a
// scale-out starts from (and out of the per-consumer backlog).
func (g *ConsumerGroup) InstanceWarmup() sim.Duration { return g.group.InstanceWarmup() }

// Initial implements Strategy: the initial consumers.
func (g *ConsumerGroup) Initial() Decision {
	d := g.group.Initial()
	g.peak = d.Desired
	b := g.group.Bounds()
	d.Reason = fmt.Sprintf("initial consumers %d (min %d, max %d)", d.Desired, b.Min, b.Max)
	return d
}

// Decide implements Strategy: the group's decision; it notes whether
// every shard's lease was held while the metric, above its target, still
// grew: consumers on every shard falling further behind.
func (g *ConsumerGroup) Decide(obs Observation) Decision {
	g.feed.each(obs.Periods, func(p Period, _ bool) {
		if g.metric.Has(p) {
			g.prev, g.latest, g.n, g.from = g.latest, g.metric.Value(p), min(g.n+1, 2), p.Start
		}
	})
	d := g.group.Decide(obs)
	g.peak = max(g.peak, d.Desired)
	switch serving := obs.Fleet.InService - obs.Fleet.Starting; {
	case g.shards == 0 || serving < g.shards:
		g.full = -1
	case g.full < 0:
		g.full = obs.Now
	}
	// The datapoint must cover a span when every lease was held already,
	// not the minutes the last consumers were still taking theirs.
	growing := g.n == 2 && g.latest > g.target && g.latest > g.prev
	if g.full >= 0 && g.from >= g.full && growing {
		if g.limitMinutes == 0 {
			g.limitAt = g.full
		}
		g.limitMinutes++
	}
	return d
}

// ShardLimit reports when the consumers serving first held every shard's
// lease (as the decisions saw them) in a run of decisions at which the
// metric, above its target, had grown since the datapoint before, on a
// datapoint whose period began once they did; and at how many decisions
// (one a minute) that was so. ok is false when it never was, or the shard
// count is unknown. A metric that falls is a backlog being worked off:
// the consumers, not the shards, had been short.
func (g *ConsumerGroup) ShardLimit() (at sim.Time, minutes int, ok bool) {
	return g.limitAt, g.limitMinutes, g.limitMinutes > 0
}

// Peak returns the largest desired capacity so far.
func (g *ConsumerGroup) Peak() int { return g.peak }
