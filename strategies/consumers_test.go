package strategies

import (
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// lagTick is one minute of a consumer group's test: the stream datapoint
// published for the minute that just ended, and the consumers the control
// plane shows.
type lagTick struct {
	age     float64 // Period.IteratorAgeMS; < 0: no GetRecords call, no data
	backlog float64 // Period.Backlog
	inst    int     // Period.Instances: consumers in service past warm-up
	// starting, pending and warming are the fleet view's Starting,
	// Pending and Warming; its Desired is the last decision's and its
	// InService that desired capacity less the pending consumers.
	starting, pending, warming int
}

// lagTicks returns n ticks of age over inst consumers.
func lagTicks(n int, age float64, inst int) []lagTick {
	out := make([]lagTick, n)
	for i := range out {
		out[i] = lagTick{age: age, inst: inst}
	}
	return out
}

// driveLag plays ticks against g as drive does: tick i publishes the
// period [i, i+1) minutes and decides at i+1 minutes.
func driveLag(t *testing.T, g *ConsumerGroup, ticks []lagTick) []Decision {
	t.Helper()
	last := g.Initial()
	var periods []Period
	out := make([]Decision, len(ticks))
	for i, tk := range ticks {
		start := sim.Time(i) * sim.Time(sim.Minute)
		p := Period{Start: start, End: start.Add(sim.Minute), Instances: tk.inst, Backlog: tk.backlog}
		if tk.age >= 0 {
			p.IteratorAgeMS, p.GetRecordsCalls = tk.age, 60
		}
		periods = append(periods, p)
		f := FleetView{InstanceType: last.InstanceType, Desired: last.Desired, Pending: tk.pending,
			InService: max(last.Desired-tk.pending, 0), Starting: tk.starting, Warming: tk.warming}
		d := g.Decide(Observation{Now: start.Add(sim.Minute), Periods: periods, Fleet: f})
		out[i], last = d, d
	}
	return out
}

// ageGroup is consumers that scale on an iterator age of 10 s: min 2, max
// 20, 10 initially, on 16 shards, scale-in at 2.5 s after 3 datapoints,
// then a 5-minute cooldown.
func ageGroup(t *testing.T, outPoints int) *ConsumerGroup {
	t.Helper()
	g, err := NewConsumerGroup(ConsumerScalingConfig{Name: "kds", InstanceType: "m5.xlarge", Shards: 16,
		Metric: "iterator_age", Target: 10_000, Min: 2, Max: 20, Initial: 10, OutDatapoints: outPoints, InDatapoints: 3,
		ScaleInFactor: DefaultIteratorAgeScaleInFactor, ScaleInCooldown: 5 * sim.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestConsumerGroupIteratorAge: the step policy on the iterator age adds
// 20%, 50% or 100% of the consumers past warm-up by how far the age lies
// beyond the target (under 2×, under 4×, beyond; at least one), the
// simple policy removes 10% (at least one) once the age stays under a
// quarter of the target for its datapoints, then waits for its cooldown;
// a period without GetRecords calls has no data.
// Reference: docs/aws-behaviour.md §1.4 (step adjustments, warm-up), §1.5
// (cooldown), §5.7.
func TestConsumerGroupIteratorAge(t *testing.T) {
	cases := []struct {
		name      string
		out       int // the scale-out alarm's datapoints
		ticks     []lagTick
		want      []int
		reasonHas string // in the last decision's reason
	}{
		{
			name: "an age under twice the target adds 20%", out: 1,
			ticks: lagTicks(1, 15_000, 10), want: []int{12},
			reasonHas: "step scaling iterator_age > 10000: 1 of 1 datapoints above 10000 (15000.0); step [0, 10000): +20% of 10 = +2 (capacity 12) → desired 10→12",
		},
		{
			name: "under four times it adds 50%", out: 1,
			ticks: lagTicks(1, 35_000, 10), want: []int{15}, reasonHas: "step [10000, 30000): +50% of 10",
		},
		{
			name: "beyond it doubles, within max", out: 1,
			ticks: lagTicks(1, 90_000, 12), want: []int{20}, reasonHas: "+100% of 12 = +12 (capacity 24) → desired 10→20",
		},
		{
			name: "at least one consumer", out: 1,
			ticks: lagTicks(1, 12_000, 3), want: []int{10}, reasonHas: "+20% of 3 = +1 (capacity 4); desired stays 10",
		},
		{
			name: "the same band again adds nothing while the new consumers warm up", out: 1,
			ticks: []lagTick{{age: 15_000, inst: 10}, {age: 15_000, inst: 10, warming: 2}}, want: []int{12, 12},
		},
		{
			name: "three datapoints wanted: the third scales out", out: 3,
			ticks: lagTicks(3, 15_000, 10), want: []int{10, 10, 12},
		},
		{
			name: "no GetRecords call: no data, no action", out: 1,
			ticks: lagTicks(4, -1, 10), want: []int{10, 10, 10, 10}, reasonHas: "alarm INSUFFICIENT_DATA",
		},
		{
			name: "caught up: 10% less after 3 low datapoints, then the cooldown", out: 1,
			ticks: lagTicks(12, 400, 10), want: []int{10, 10, 9, 9, 9, 9, 9, 9, 8, 8, 8, 8}, reasonHas: "in cooldown",
			// The cooldown runs from the decision that finds the scale-in
			// over (4 min), so the next comes at 9 min.
		},
		{
			name: "an age between the alarms does nothing", out: 1,
			ticks: lagTicks(5, 5_000, 10), want: []int{10, 10, 10, 10, 10},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := driveLag(t, ageGroup(t, c.out), c.ticks)
			checkDesired(t, ds, c.want)
			checkLastReason(t, ds, c.reasonHas)
		})
	}
}

// TestConsumerGroupBacklog: on backlog_per_consumer the group tracks its
// target: AlarmHigh after 3 datapoints sizes it to the backlog over the
// target, AlarmLow after its datapoints brings it down to the same
// estimate, at min at least.
// Reference: docs/aws-behaviour.md §1.2, §5.7.
func TestConsumerGroupBacklog(t *testing.T) {
	g, err := NewConsumerGroup(ConsumerScalingConfig{Name: "kds", InstanceType: "m5.xlarge", Shards: 16,
		Metric: "backlog_per_consumer", Target: 1000, Min: 2, Max: 20, Initial: 4, OutDatapoints: 3, InDatapoints: 2,
		ScaleInFactor: DefaultScaleInFactor})
	if err != nil {
		t.Fatal(err)
	}
	high := lagTick{age: 60_000, backlog: 12_000, inst: 4} // 3,000 a consumer
	low := lagTick{age: 300, backlog: 600, inst: 12}       // 50 a consumer
	ds := driveLag(t, g, []lagTick{high, high, high, low, low})
	checkDesired(t, ds, []int{4, 4, 12, 12, 2})
	if r := ds[2].Reason; !strings.Contains(r, "target tracking backlog_per_consumer: AlarmHigh 3 of 3 datapoints above 1000 (3000.0, 3000.0, 3000.0); ceil(4 × 3000.0 / 1000) = 12") {
		t.Errorf("scale-out reason %q", r)
	}
}

// TestConsumerGroupShardLimit: the group records the first decision at
// which the consumers serving (in service and not starting) held every
// shard's lease while the metric, above its target, grew, on a datapoint
// whose period began once they did (the metric is published late), and
// for how many decisions; consumers still starting do not count, nor does
// a metric that falls (a backlog worked off) or is low. Peak is the largest
// desired capacity.
// Reference: one lease per shard, docs/aws-behaviour.md §5.6, §5.7.
func TestConsumerGroupShardLimit(t *testing.T) {
	g := ageGroup(t, 1)
	ticks := []lagTick{
		{age: 90_000, inst: 10},               // → 20
		{age: 95_000, inst: 10, starting: 10}, // 10 serving of 16 shards
		{age: 99_000, inst: 20, starting: 4},  // 16 serving from 3 min, on a period from 2 min
		{age: 120_000, inst: 20},              // growing, on a period from 3 min: the limit
		{age: 130_000, inst: 20},              // growing
		{age: 60_000, inst: 20},               // falling: worked off, not the limit
		{age: 61_000, inst: 20, starting: 10}, // growing, but 10 serving
		{age: 62_000, inst: 20},               // growing, but the period began before 16 served again
		{age: 400, inst: 20},                  // caught up
		{age: -1, inst: 20},                   // no data: the last datapoints still count
	}
	driveLag(t, g, ticks)
	at, n, ok := g.ShardLimit()
	if !ok || at != sim.Time(3*sim.Minute) || n != 2 {
		t.Errorf("shard limit at %v for %d decisions (ok %v), want from 3m (16 serving) for 2", at, n, ok)
	}
	if g.Peak() != 20 {
		t.Errorf("peak %d, want 20", g.Peak())
	}
	if _, _, ok := ageGroup(t, 1).ShardLimit(); ok {
		t.Error("a group that never decided reports a shard limit")
	}
}

// TestConsumerGroupValidation: bad settings are *FieldError naming the
// key below autoscale, with the strategy named.
func TestConsumerGroupValidation(t *testing.T) {
	ok := ConsumerScalingConfig{Name: "kds", InstanceType: "m5.xlarge", Shards: 4, Metric: "iterator_age", Target: 10_000,
		Min: 2, Max: 8, OutDatapoints: 1, InDatapoints: 15, ScaleInFactor: 0.25, ScaleInCooldown: DefaultCooldown}
	if _, err := NewConsumerGroup(ok); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(*ConsumerScalingConfig)
		want string
	}{
		{"unknown metric", func(c *ConsumerScalingConfig) { c.Metric = "cpu" }, `metric: unknown stream metric "cpu"`},
		{"target 0", func(c *ConsumerScalingConfig) { c.Target = 0 }, "target: must be > 0"},
		{"negative target", func(c *ConsumerScalingConfig) { c.Target = -5 }, "target: must be > 0"},
		{"min 0", func(c *ConsumerScalingConfig) { c.Min = 0 }, "min: must be at least 1"},
		{"min above max", func(c *ConsumerScalingConfig) { c.Min = 9 }, "max: must be at least 1 and at least min (9)"},
		{"initial outside", func(c *ConsumerScalingConfig) { c.Initial = 9 }, "initial: must be from min (2) to max (8)"},
		{"factor 1", func(c *ConsumerScalingConfig) { c.ScaleInFactor = 1 }, "scale_in_factor: must be in (0, 1)"},
		{"cooldown", func(c *ConsumerScalingConfig) { c.ScaleInCooldown = -1 }, "scale_in_cooldown: must be from 0"},
		{"datapoints", func(c *ConsumerScalingConfig) { c.InDatapoints = 0 }, "scale_in_datapoints: must be from 1 to 1440 (got 0)"},
		{"out datapoints", func(c *ConsumerScalingConfig) { c.OutDatapoints = 1441 }, "scale_out_datapoints: must be from 1 to 1440"},
	} {
		cfg := ok
		c.edit(&cfg)
		_, err := NewConsumerGroup(cfg)
		if err == nil || !strings.HasPrefix(err.Error(), "stream strategy kds: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
