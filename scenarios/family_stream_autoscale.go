package scenarios

import (
	"errors"
	"fmt"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// MaxBacklogTarget is the largest target of backlog_per_consumer, in
// records per consumer.
const MaxBacklogTarget = 1e9

// autoscaleKey is where a stream strategy's consumers autoscale.
const autoscaleKey = "consumers.autoscale"

// scaleKey is the path of key below autoscale.
func scaleKey(key string) string { return autoscaleKey + "." + key }

// streamMetrics are the metrics consumers may scale on, in the order
// messages list them.
func streamMetrics() []string {
	return []string{string(strategies.MetricIteratorAge), string(strategies.MetricBacklogPerConsumer)}
}

// checkAutoscale checks the consumers' autoscaling, when they have it, and
// fills in its defaults and the initial count: its metric and target, its
// bounds against the shards, and its alarms (docs/aws-behaviour.md §5.7).
func (s *StreamSpec) checkAutoscale(c *Checker) error {
	a := s.Consumers.Autoscale
	if a == nil {
		return nil
	}
	if err := c.Required(scaleKey("metric"), "want iterator_age or backlog_per_consumer"); err != nil {
		return err
	}
	if err := c.OneOf(scaleKey("metric"), "stream metric", a.Metric, streamMetrics()); err != nil {
		return err
	}
	age := a.Metric == string(strategies.MetricIteratorAge)
	if err := s.checkTarget(c, age); err != nil {
		return err
	}
	if err := s.checkBounds(c); err != nil {
		return err
	}
	c.DefaultDuration(scaleKey("instance_warmup"), &a.InstanceWarmup, strategies.DefaultConsumerWarmup)
	if err := c.Between(scaleKey("instance_warmup"), a.InstanceWarmup, 0, strategies.MaxInstanceWarmup,
		"how long a new consumer stays out of the capacity a scale-out counts (AWS's fall-back: 300s)"); err != nil {
		return err
	}
	out, factor := strategies.DefaultHighDatapoints, strategies.DefaultScaleInFactor
	if age {
		out, factor = strategies.DefaultIteratorAgeOutDatapoints, strategies.DefaultIteratorAgeScaleInFactor
	}
	if err := c.datapoints(scaleKey("scale_out_datapoints"), &a.ScaleOutDatapoints, out); err != nil {
		return err
	}
	if err := c.datapoints(scaleKey("scale_in_datapoints"), &a.ScaleInDatapoints, strategies.DefaultConsumerInDatapoints); err != nil {
		return err
	}
	c.DefaultFloat(scaleKey("scale_in_factor"), &a.ScaleInFactor, factor)
	if !(a.ScaleInFactor > 0 && a.ScaleInFactor < 1) {
		return c.Error(scaleKey("scale_in_factor"), fmt.Sprintf("must be above 0 and below 1 (got %s)", num(a.ScaleInFactor)),
			fmt.Sprintf("consumers are removed once the metric stays below this fraction of target (default %s)", num(factor)))
	}
	if err := s.checkCooldown(c, age); err != nil {
		return err
	}
	if floor := s.caughtUpAgeMS(); age && a.ScaleInFactor*a.Target <= floor {
		return c.Error(scaleKey("scale_in_factor"),
			fmt.Sprintf("the scale-in alarm at %s ms can never fire: caught-up consumers read records up to %s ms old (poll_interval + delivery_latency)",
				num(a.ScaleInFactor*a.Target), num(floor)),
			fmt.Sprintf("raise scale_in_factor above %s, or target", num(floor/a.Target)))
	}
	if _, err := strategies.NewConsumerGroup(s.scalingConfig(c.Name())); err != nil {
		return c.FieldError(underAutoscale(err), nil) // the checks above leave it nothing to refuse
	}
	return nil
}

// checkCooldown checks the iterator age's scale-in cooldown, filling in
// its default; target tracking on the backlog has none.
func (s *StreamSpec) checkCooldown(c *Checker, age bool) error {
	a := s.Consumers.Autoscale
	key := scaleKey("scale_in_cooldown")
	if !age {
		if a.ScaleInCooldown != nil {
			return c.Error(key, "not used with metric backlog_per_consumer: target tracking scales in without a cooldown",
				"remove scale_in_cooldown; scale_in_datapoints sets how long the backlog stays low before consumers leave")
		}
		return nil
	}
	if a.ScaleInCooldown == nil {
		d := strategies.DefaultConsumerScaleInCooldown
		a.ScaleInCooldown = &d
	}
	return c.Between(key, *a.ScaleInCooldown, 0, strategies.MaxCooldown,
		"the wait after consumers are removed before more may be (default 300s)")
}

// caughtUpAgeMS is the largest iterator age of consumers that keep up, in
// ms: a record waits at most the delivery delay and one poll interval.
func (s *StreamSpec) caughtUpAgeMS() float64 {
	return float64(s.PollInterval+s.DeliveryLatency) / float64(sim.Millisecond)
}

// checkTarget checks the autoscaling target: above 0; for the iterator
// age, above a caught-up consumer's and within the retention.
func (s *StreamSpec) checkTarget(c *Checker, age bool) error {
	a := s.Consumers.Autoscale
	key := scaleKey("target")
	hint := "records written and not yet processed per consumer, e.g. target: 1000"
	if age {
		hint = "milliseconds of GetRecords.IteratorAgeMilliseconds, e.g. target: 30000 for 30 s behind"
	}
	if err := c.Required(key, hint); err != nil {
		return err
	}
	if !(a.Target > 0) {
		return c.Error(key, fmt.Sprintf("must be > 0 (got %s)", num(a.Target)), hint)
	}
	if !age {
		return c.Number(key, a.Target, 0, MaxBacklogTarget, hint)
	}
	if floor := s.caughtUpAgeMS(); a.Target <= floor {
		return c.Error(key, fmt.Sprintf("%s ms is no lag: caught-up consumers read records up to %s ms old (poll_interval + delivery_latency), so the alarm would never end",
			num(a.Target), num(floor)), fmt.Sprintf("set a target above %s, e.g. target: 30000 for 30 s behind", num(floor)))
	}
	retention := float64(s.Retention) / float64(sim.Millisecond)
	return c.Number(key, a.Target, 0, retention, "a record older than the retention is gone: keep the target within it")
}

// checkBounds checks the autoscaling bounds and fills in the initial
// count: min consumers must have a worker slot for every shard's lease,
// or the shards they cannot hold go unread, unseen by the iterator age.
func (s *StreamSpec) checkBounds(c *Checker) error {
	a := s.Consumers.Autoscale
	for _, k := range []string{"min", "max"} {
		if err := c.Required(scaleKey(k), "consumers that autoscale take metric, target, min and max"); err != nil {
			return err
		}
	}
	if err := c.Count(scaleKey("min"), a.Min, 1, MaxFleet, "at least one consumer reads the stream"); err != nil {
		return err
	}
	if a.Max < a.Min {
		return c.Error(scaleKey("max"), fmt.Sprintf("must be at least min (%d) (got %d)", a.Min, a.Max), "raise max or lower min")
	}
	if err := c.Count(scaleKey("max"), a.Max, a.Min, MaxFleet,
		fmt.Sprintf("consumers beyond the shard count (%d) sit idle, one lease per shard", s.Shards)); err != nil {
		return err
	}
	if slots := s.Consumers.slots; a.Min*slots < s.Shards {
		need := (s.Shards + slots - 1) / slots
		return c.Error(scaleKey("min"),
			fmt.Sprintf("%d consumers of %d worker slots hold at most %d of the %d shards' leases: the others are never read, and the iterator age never sees them",
				a.Min, slots, a.Min*slots, s.Shards),
			fmt.Sprintf("raise min to %d, or use fewer shards", need))
	}
	if !c.Has("consumers.count") {
		s.Consumers.Count = a.Min
	}
	return c.Count("consumers.count", s.Consumers.Count, a.Min, a.Max, "with autoscale, count is the consumers at time zero, from min to max")
}

// underAutoscale places an error of strategies.NewConsumerGroup under the
// autoscale key.
func underAutoscale(err error) error {
	var fe *strategies.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	return &strategies.FieldError{Field: scaleKey(fe.Field), Msg: fe.Msg}
}

// scalingConfig converts the checked keys of strategy name's autoscaling
// for the strategies package. An on-demand stream's shards change, so it
// gives none.
func (s *StreamSpec) scalingConfig(name string) strategies.ConsumerScalingConfig {
	a := s.Consumers.Autoscale
	shards := s.Shards
	if s.OnDemand {
		shards = 0
	}
	cfg := strategies.ConsumerScalingConfig{Name: name, InstanceType: s.Consumers.InstanceType, Shards: shards,
		Metric: a.Metric, Target: a.Target, Min: a.Min, Max: a.Max, Initial: s.Consumers.Count,
		InstanceWarmup: a.InstanceWarmup, OutDatapoints: a.ScaleOutDatapoints, InDatapoints: a.ScaleInDatapoints,
		ScaleInFactor: a.ScaleInFactor}
	if a.ScaleInCooldown != nil {
		cfg.ScaleInCooldown = *a.ScaleInCooldown
	}
	return cfg
}

// The notes' beginnings on consumers that autoscale.
const (
	shardLimitNote = "shards are the limit: "
	idleGroupNote  = "idle consumers: "
)

// scalingNotes remarks on consumers that autoscale: when they held every
// shard's lease and the metric still grew above its target (more
// consumers would sit idle), and when the group asked for more consumers
// than shards.
func (s *StreamSpec) scalingNotes(g *strategies.ConsumerGroup) []string {
	a := s.Consumers.Autoscale
	var out []string
	if at, n, ok := g.ShardLimit(); ok {
		what := "the iterator age"
		if a.Metric == string(strategies.MetricBacklogPerConsumer) {
			what = "the backlog per consumer"
		}
		minutes := "minutes"
		if n == 1 {
			minutes = "minute"
		}
		out = append(out, fmt.Sprintf(shardLimitNote+"consumers reached the shard count (%d) at %s and %s kept growing above its target (%s) for %d %s; "+
			"more consumers would sit idle, one lease per shard: add shards (or raise per_shard_concurrency)",
			s.Shards, reports.FormatClock(at), what, num(a.Target), n, minutes))
	}
	if peak := g.Peak(); !s.OnDemand && peak > s.Shards {
		out = append(out, fmt.Sprintf(idleGroupNote+"the group asked for up to %d consumers for %d shards; the %d beyond the shard count got no record",
			peak, s.Shards, peak-s.Shards))
	}
	return out
}
