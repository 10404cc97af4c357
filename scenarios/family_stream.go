package scenarios

import (
	"fmt"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// StreamSpec is a stream strategy's keys: a Kinesis-style stream in front
// of its consumers (docs/aws-behaviour.md §5). The stream absorbs bursts
// up to its write limits and retention and adds no processing capacity;
// the consumers read it as the Kinesis Client Library does (one lease per
// shard, checkpoints, failover). A fixed fleet of consumers restarts a
// failed one in place; consumers that autoscale are an Auto Scaling group
// (§5.7), which replaces it.
type StreamSpec struct {
	// Shards is the number of shards, 1 to MaxShards; required unless
	// on_demand (then default DefaultOnDemandShards, the shards it starts
	// with). Each shard is read by one consumer, which holds its lease, so
	// consumers beyond the shard count stay idle.
	Shards int `yaml:"shards"`
	// OnDemand selects on-demand capacity mode: write capacity adapts to
	// the traffic and shards split as it grows, so reads scale too
	// (docs/aws-behaviour.md §5.3). Default false.
	OnDemand bool `yaml:"on_demand"`
	// RecordSize is the bytes per record (default 1024; 1 to 1048576, the
	// 1 MB record limit). A shard takes 1 MB/s or 1,000 records/s,
	// whichever binds first (§5.1).
	RecordSize int `yaml:"record_size"`
	// PollInterval is the wait between GetRecords calls on a shard
	// (default 1s, the KCL's; 200ms to 10s: a shard allows 5 GetRecords
	// calls per second, so faster polling is throttled, §5.1, §5.4).
	PollInterval sim.Duration `yaml:"poll_interval"`
	// DeliveryLatency is the delay from put to readable (default 200ms,
	// §5.4; 0 to 10s).
	DeliveryLatency sim.Duration `yaml:"delivery_latency"`
	// Retention is how long a record waits before it is dropped (default
	// 24h; 24h to 8760h, §5.2).
	Retention sim.Duration `yaml:"retention"`
	// Consumers are the instances that read the stream, a fixed fleet or
	// one that autoscales; required.
	Consumers ConsumersSpec `yaml:"consumers"`
}

// ConsumersSpec is a stream strategy's consumer fleet and how it reads
// the stream (docs/aws-behaviour.md §5.6).
type ConsumersSpec struct {
	InstanceType string `yaml:"instance_type"` // required
	// Count is the number of consumers, 1 to MaxFleet; required unless
	// they autoscale, and then the count at time zero, from
	// autoscale.min (the default) to autoscale.max.
	Count int `yaml:"count"`
	// PerShardConcurrency is how many of a shard's records its record
	// processor works on at once, in order (default 1; at most one
	// consumer's worker slots, since one consumer holds the shard's lease).
	PerShardConcurrency int `yaml:"per_shard_concurrency"`
	// CheckpointInterval is how often a record processor checkpoints
	// (default 60s; MinCheckpointInterval to MaxCheckpointInterval).
	CheckpointInterval sim.Duration `yaml:"checkpoint_interval"`
	// Failover is how long after a consumer fails its leases may be taken
	// by another, the KCL's failoverTimeMillis (default 10s; MinFailover
	// to MaxFailover).
	Failover sim.Duration `yaml:"failover"`
	// Autoscale makes the consumers an EC2 Auto Scaling group that scales
	// on the stream's lag (docs/aws-behaviour.md §5.7). Absent, the
	// default, the consumers are a fixed fleet.
	Autoscale *AutoscaleSpec `yaml:"autoscale"`

	slots int // worker slots of one consumer, set by Check
}

// AutoscaleSpec is how a stream's consumers scale on the stream's lag: an
// EC2 Auto Scaling group of consumer instances whose policies watch a
// stream metric, published each minute after the scenario's metrics.delay
// (docs/aws-behaviour.md §5.7):
//
//	iterator_age          alarms on GetRecords.IteratorAgeMilliseconds
//	                      (Maximum): above target, a step policy adds 20% of
//	                      the consumers (under 2 × target), 50% (under
//	                      4 × target) or 100%, at least one; below
//	                      scale_in_factor × target for scale_in_datapoints,
//	                      a simple policy removes 10%, at least one, then
//	                      waits scale_in_cooldown
//	backlog_per_consumer  target tracking on the records not yet processed
//	                      per consumer, as AWS scales queue workers on the
//	                      backlog per instance
type AutoscaleSpec struct {
	// Metric is iterator_age or backlog_per_consumer; required.
	Metric string `yaml:"metric"`
	// Target is the metric's target: milliseconds of iterator age (above a
	// caught-up consumer's, poll_interval + delivery_latency, and at most
	// the retention), or records per consumer (at most MaxBacklogTarget);
	// required.
	Target float64 `yaml:"target"`
	// Min and Max bound the consumers: 1 <= min <= max <= MaxFleet, and
	// min consumers have a worker slot for every shard's lease; required.
	Min int `yaml:"min"`
	Max int `yaml:"max"`
	// InstanceWarmup is the policies' instance warm-up: a new consumer
	// counts in the capacity a scale-out starts from (and in the consumers
	// the backlog is divided by, whose scale-in waits for it) only after
	// it (default 300s, AWS's fall-back, the group's default cooldown,
	// §1.3; 0s to 3600s).
	InstanceWarmup sim.Duration `yaml:"instance_warmup"`
	// ScaleOutDatapoints is the scale-out alarm's M of M one-minute
	// datapoints (default 1 on iterator_age, a step alarm's; 3 on
	// backlog_per_consumer, target tracking's AlarmHigh).
	ScaleOutDatapoints int `yaml:"scale_out_datapoints"`
	// ScaleInDatapoints is the scale-in alarm's M of M: the metric stays
	// low this many minutes before consumers are removed (default 15).
	ScaleInDatapoints int `yaml:"scale_in_datapoints"`
	// ScaleInFactor places the scale-in alarm at this fraction of target,
	// in (0, 1) (default 0.25 on iterator_age; 0.9 on
	// backlog_per_consumer, target tracking's).
	ScaleInFactor float64 `yaml:"scale_in_factor"`
	// ScaleInCooldown (iterator_age only) is the scale-in policy's
	// cooldown: after removing consumers it waits this long, once they
	// have left, before it acts again (default 300s, the group's default
	// cooldown, §1.5; 0s to strategies.MaxCooldown). Target tracking, on
	// backlog_per_consumer, has none.
	ScaleInCooldown *sim.Duration `yaml:"scale_in_cooldown"`
}

// flowStyle writes autoscaling on one line.
func (AutoscaleSpec) flowStyle() bool { return true }

// flowStyle writes fixed consumers on one line (consumers that
// autoscale take a block, their autoscale key on a line of its own).
func (cs ConsumersSpec) flowStyle() bool { return cs.Autoscale == nil }

// Check implements FamilySpec: the stream's shards, record size, polling,
// delivery and retention, and its consumers.
func (s *StreamSpec) Check(c *Checker) error {
	if !c.Has("shards") {
		if !s.OnDemand {
			return c.Error("shards", "required", "set the number of shards, e.g. shards: 4 (each takes 1,000 records/s), or on_demand: true")
		}
		s.Shards = DefaultOnDemandShards
	}
	if err := c.Count("shards", s.Shards, 1, MaxShards, "each shard takes 1,000 records/s or 1 MB/s"); err != nil {
		return err
	}
	c.DefaultInt("record_size", &s.RecordSize, models.DefaultRecordBytes)
	if err := c.Count("record_size", s.RecordSize, 1, MaxRecordSize, "bytes per record; a record holds at most 1 MB (1048576)"); err != nil {
		return err
	}
	durations := []struct {
		key         string
		d           *sim.Duration
		def, lo, hi sim.Duration
		hint        string
	}{
		{"poll_interval", &s.PollInterval, models.DefaultPollInterval, MinPollInterval, MaxPollInterval,
			"a shard allows 5 GetRecords calls per second, so consumers poll at most every 200ms (the KCL: 1s)"},
		{"delivery_latency", &s.DeliveryLatency, models.DefaultDelivery, 0, MaxDeliveryLatency,
			"put to readable takes about 200ms for a shared-throughput consumer"},
		{"retention", &s.Retention, models.DefaultRetention, MinRetention, MaxRetention,
			"Kinesis keeps records 24h (the default) to 8760h (365 days)"},
	}
	for _, d := range durations {
		c.DefaultDuration(d.key, d.d, d.def)
		if err := c.Between(d.key, *d.d, d.lo, d.hi, d.hint); err != nil {
			return err
		}
	}
	if err := c.Required("consumers", "add consumers: {instance_type: m5.xlarge, count: 2}"); err != nil {
		return err
	}
	if err := c.InstanceType("consumers.instance_type", s.Consumers.InstanceType); err != nil {
		return err
	}
	if s.Consumers.Autoscale == nil {
		if err := c.Required("consumers.count", "set the number of consumer instances, e.g. count: 2"); err != nil {
			return err
		}
		if err := c.Count("consumers.count", s.Consumers.Count, 1, MaxFleet, ""); err != nil {
			return err
		}
	}
	if err := s.Consumers.check(c); err != nil {
		return err
	}
	return s.checkAutoscale(c)
}

// check validates how the consumers read the stream: the per-shard
// concurrency against one consumer's worker slots, the checkpoint interval
// and the failover time.
func (cs *ConsumersSpec) check(c *Checker) error {
	t, _ := c.Catalog().Lookup(cs.InstanceType)
	cs.slots = c.SlotSizing().Slots(t)
	c.DefaultInt("consumers.per_shard_concurrency", &cs.PerShardConcurrency, 1)
	if cs.PerShardConcurrency > cs.slots {
		return c.Error("consumers.per_shard_concurrency",
			fmt.Sprintf("%d is more than the %d worker slots of one %s consumer, which alone holds a shard's lease",
				cs.PerShardConcurrency, cs.slots, cs.InstanceType),
			fmt.Sprintf("set it to at most %d, or choose a consumers.instance_type with more vCPUs", cs.slots))
	}
	if err := c.Count("consumers.per_shard_concurrency", cs.PerShardConcurrency, 1, cs.slots,
		"records of one shard processed at once, in order"); err != nil {
		return err
	}
	c.DefaultDuration("consumers.checkpoint_interval", &cs.CheckpointInterval, models.DefaultCheckpointInterval)
	if err := c.Between("consumers.checkpoint_interval", cs.CheckpointInterval, MinCheckpointInterval, MaxCheckpointInterval,
		"how often a record processor records its progress (AWS's KCL tutorial: 60s)"); err != nil {
		return err
	}
	c.DefaultDuration("consumers.failover", &cs.Failover, models.DefaultFailover)
	return c.Between("consumers.failover", cs.Failover, MinFailover, MaxFailover,
		"how long a failed consumer's leases stay its own (the KCL's failoverTimeMillis: 10s)")
}

// Plan implements FamilySpec: fixed consumers behind the stream, or an
// Auto Scaling group of them that scales on the stream's lag.
func (s *StreamSpec) Plan(env PlanEnv) (Plan, error) {
	door := models.Stream{Shards: s.Shards, OnDemand: s.OnDemand, RecordBytes: s.RecordSize,
		PollInterval: s.PollInterval, Delivery: s.DeliveryLatency, Retention: s.Retention,
		PerShardConcurrency: s.Consumers.PerShardConcurrency, CheckpointInterval: s.Consumers.CheckpointInterval,
		Failover: s.Consumers.Failover}
	if a := s.Consumers.Autoscale; a != nil {
		g, err := strategies.NewConsumerGroup(s.scalingConfig(env.Name))
		if err != nil {
			return Plan{}, err
		}
		return Plan{Policy: g, Fleet: models.Group{Max: a.Max}, Door: door, MetricWarmup: g.InstanceWarmup()}, nil
	}
	pol, err := strategies.NewConsumers(env.Name, s.Consumers.InstanceType, s.Consumers.Count, s.Shards)
	if err != nil {
		return Plan{}, err
	}
	return Plan{Policy: pol, Fleet: models.Consumers{}, Door: door}, nil
}

// backlogNote begins the note on the records left in the stream.
const backlogNote = "backlog: "

// Notes implements FamilySpec: a backlog left in the stream (1% of
// arrivals or more); for fixed consumers, shards no consumer has a slot to
// read and consumers without a shard to read; for consumers that
// autoscale, when the shards, not the consumers, were the limit.
func (s *StreamSpec) Notes(policy strategies.Strategy, sum *reports.StrategySummary) []string {
	var out []string
	if r := sum.Requests; r.Arrived > 0 && r.InFlightAtEnd*100 >= r.Arrived {
		out = append(out, fmt.Sprintf(backlogNote+"%d records (%.0f%% of arrivals) were still waiting in the stream at the end; "+
			"they count as not served (availability.served), though success_ratio, which counts finished requests only, leaves them out", r.InFlightAtEnd, 100*float64(r.InFlightAtEnd)/float64(r.Arrived)))
	}
	notes := []string{s.unreadNote(), s.idleNote()}
	if g, ok := policy.(*strategies.ConsumerGroup); ok {
		notes = s.scalingNotes(g)
	}
	for _, note := range notes {
		if note != "" {
			out = append(out, note)
		}
	}
	return out
}

// unreadNote remarks on shards whose lease no fixed consumer has a worker
// slot for (a consumer holds at most one lease per slot), or is "".
func (s *StreamSpec) unreadNote() string {
	leases := s.Consumers.Count * s.Consumers.slots
	if s.Consumers.slots == 0 || leases >= s.Shards {
		return ""
	}
	return fmt.Sprintf("unread shards: %d consumers of %d worker slots hold at most %d leases, one per slot, so %d of the %d shards are never read",
		s.Consumers.Count, s.Consumers.slots, leases, s.Shards-leases, s.Shards)
}

// idleNote remarks on fixed consumers beyond the shard count, or is "".
func (s *StreamSpec) idleNote() string {
	if s.Consumers.Count <= s.Shards {
		return ""
	}
	return fmt.Sprintf("idle consumers: %d consumers read %d shards, one consumer per shard, so %d never get a record",
		s.Consumers.Count, s.Shards, s.Consumers.Count-s.Shards)
}

// Story implements FamilySpec: the records still in the stream's backlog
// at the end, whenever there are any (they are what a stream is for),
// retelling its backlog note with the numbers formatted, and the records
// processed twice after a failover.
func (s *StreamSpec) Story(sum *reports.StrategySummary) *reports.Story {
	st := &reports.Story{}
	if n := sum.Requests.InFlightAtEnd; n > 0 {
		what := "records were still in the stream's backlog"
		if n == 1 {
			what = "record was still in the stream's backlog"
		}
		st.Sentences = []string{fmt.Sprintf("%s %s when the run ended (%s of arrivals).", reports.FormatCount(n), what,
			reports.FormatPercent(float64(n)/float64(max(sum.Requests.Arrived, 1))))}
	}
	if n := sum.Requests.Reprocessed; n > 0 {
		what := "records were processed twice"
		if n == 1 {
			what = "record was processed twice"
		}
		st.Sentences = append(st.Sentences, fmt.Sprintf("%s %s: the consumer that takes over a failed one's leases "+
			"reads again from the last checkpoint (Kinesis delivers records at least once).", reports.FormatCount(n), what))
	}
	for _, note := range sum.Notes {
		if strings.HasPrefix(note, backlogNote) {
			st.Retold = append(st.Retold, note)
		}
	}
	return st
}
