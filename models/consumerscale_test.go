package models_test

import (
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Timeline tests of stream consumers that scale on the stream's lag: an
// EC2 Auto Scaling group of consumers with alarms on the stream's
// GetRecords.IteratorAgeMilliseconds (docs/aws-behaviour.md §5.7), the
// metric published a minute after its period ends (§2.2) and new
// consumers reading once EC2 has them running and their application is
// up (§1.3).
//
// The stream has 8 shards whose processors work on 4 records at a time,
// 0.1 s each: 40 records/s a shard. A t.c4 consumer has 4 worker slots,
// so it serves 40 records/s however many leases it holds, and 8 consumers,
// one per shard, serve the 320/s the shards allow. Traffic is 40/s, then
// 300/s from 10 to 30 minutes, then 40/s again until 90 minutes: two
// consumers (80/s) fall 220 records/s behind during the step, and work
// the backlog off at 40/s afterwards, too slowly to finish.

// lagTraffic is the traffic step of these tests.
func lagTraffic() *stepArrivals {
	return &stepArrivals{at: []sim.Time{0, sim.Time(10 * sim.Minute), sim.Time(30 * sim.Minute)}, rates: []float64{40, 300, 40}}
}

// Settings of the consumers that scale.
const (
	lagTarget   = 10_000.0 // ms of iterator age
	lagWarmup   = time60s
	lagCooldown = 300 * sim.Second
	lagInPoints = 15
	time60s     = 60 * sim.Second
)

// lagLife is the consumers' launch: 15 s pending, 40 s boot, 30 s
// application start; a consumer reads 85 s after its launch.
func lagLife(t *testing.T) models.LifecycleConfig {
	return models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 40), Startup: det(t, 30),
		Unhealthy: 60 * sim.Second, Recovery: 30 * sim.Second}
}

// lagRun runs st behind the 8-shard stream on fleet for 90 minutes and
// returns the sink; the ledger must balance.
func lagRun(t *testing.T, st strategies.Strategy, fleet models.Mechanics, warmup sim.Duration) *streamSink {
	t.Helper()
	cfg := models.Config{
		Horizon:     sim.Time(90 * sim.Minute),
		Service:     models.ServiceConfig{Demand: det(t, 0.1)},
		Zones:       1,
		SampleEvery: 10 * sim.Second,
		Monitor:     models.MonitorConfig{Delay: 60 * sim.Second, Warmup: warmup},
		Lifecycle:   lagLife(t),
		Fleet:       fleet,
		Door:        models.Stream{Shards: 8, PerShardConcurrency: 4},
	}
	return streamRun(t, st, cfg, lagTraffic())
}

// lagGroup returns the consumers that scale on the iterator age: 2 to 8
// t.c4, a target of 10 s, recorded.
func lagGroup(t *testing.T) (*recording, *strategies.ConsumerGroup) {
	t.Helper()
	g, err := strategies.NewConsumerGroup(strategies.ConsumerScalingConfig{
		Name: "scaled", InstanceType: "t.c4", Shards: 8, Metric: "iterator_age", Target: lagTarget,
		Min: 2, Max: 8, InstanceWarmup: lagWarmup, OutDatapoints: 1, InDatapoints: lagInPoints,
		ScaleInFactor: strategies.DefaultIteratorAgeScaleInFactor, ScaleInCooldown: lagCooldown,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &recording{Strategy: g}, g
}

// TestScaledConsumersDrainWhatFixedOnesCannot: on the same traffic step,
// two fixed consumers end the run with most of the step's excess still in
// the stream and its records answered tens of minutes late; consumers
// that scale on the iterator age drain it, and their p99 is a fraction of
// the fixed ones'.
// References: GetRecords.IteratorAgeMilliseconds, "Monitor the Amazon
// Kinesis Data Streams service with Amazon CloudWatch",
// https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html;
// step scaling, https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html;
// docs/aws-behaviour.md §5.7.
func TestScaledConsumersDrainWhatFixedOnesCannot(t *testing.T) {
	fixed, err := strategies.NewConsumers("fixed", "t.c4", 2, 8)
	if err != nil {
		t.Fatal(err)
	}
	fs := lagRun(t, fixed, models.Consumers{}, 0)
	rec, g := lagGroup(t)
	ss := lagRun(t, rec, models.Group{Max: 8}, g.InstanceWarmup())
	left := func(s *streamSink) int64 { return s.outcomes[models.InFlight] }
	// 220/s over 20 minutes is 264,000 records behind; 60 minutes at 40/s
	// net works off 144,000 of them.
	if n := left(fs); n < 100_000 {
		t.Errorf("fixed consumers left %d records in the stream, want about 120,000", n)
	}
	if n := left(ss); n > 1_000 {
		t.Errorf("consumers that scale left %d records in the stream, want the backlog drained (under 1,000)", n)
	}
	fp99, sp99 := fs.quantile(0.99), ss.quantile(0.99)
	if fp99 < 1800 || sp99 > fp99/4 {
		t.Errorf("p99 %.0f s fixed, %.0f s scaled: want the fixed one past 30 minutes and the scaled one under a quarter of it", fp99, sp99)
	}
	if len(ss.decided) == 0 || ss.decided[0].d.Desired <= 2 {
		t.Fatalf("decisions %+v: want a scale-out first", ss.decided)
	}
	t.Logf("fixed: %d left, p99 %.0f s; scaled: %d left, p99 %.0f s, %d decisions", left(fs), fp99, left(ss), sp99, len(ss.decided))
}

// TestConsumersScaleOutAfterTheAlarm: the first scale-out comes at the
// first decision that can read a period whose iterator age is above the
// target (one datapoint, published a minute after its period ends), not
// before; its consumers read only after their launch (15 s pending, 40 s
// boot, 30 s application start).
// References: step scaling and its alarm, https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html;
// CloudWatch's publication delay, docs/aws-behaviour.md §2.2; the launch,
// §1.3; the iterator age, §5.6, §5.7.
func TestConsumersScaleOutAfterTheAlarm(t *testing.T) {
	rec, g := lagGroup(t)
	s := lagRun(t, rec, models.Group{Max: 8}, g.InstanceWarmup())
	out := s.decided[0]
	first := sim.Time(-1)
	var breach strategies.Period
	for _, obs := range rec.seen {
		if n := len(obs.Periods); n > 0 {
			if p := obs.Periods[n-1]; p.GetRecordsCalls > 0 && p.IteratorAgeMS > lagTarget {
				first, breach = obs.Now, p
				break
			}
		}
	}
	if first < 0 {
		t.Fatal("no published period ever had the iterator age above the target")
	}
	if out.at != first || out.d.Desired <= out.before.Desired {
		t.Fatalf("first decision %+v at %v; want a scale-out at %v, when the period %v–%v (age %.0f ms) was first readable",
			out.d, out.at, first, breach.Start, breach.End, breach.IteratorAgeMS)
	}
	if out.at < breach.End.Add(60*sim.Second) {
		t.Fatalf("scale-out at %v, before the breaching period ending %v was published a minute later", out.at, breach.End)
	}
	t.Logf("scale-out at %v on the period ending %v (age %.0f ms): %s", out.at, breach.End, breach.IteratorAgeMS, out.d.Reason)
	// The first launch reads 85 s after the decision, and not before.
	ready := out.at.Add(85 * sim.Second)
	for _, fs := range s.samples {
		if fs.End > out.at && fs.End < ready && fs.InService != out.before.InService {
			t.Fatalf("at %v, %d consumers reading; the new ones cannot before %v", fs.End, fs.InService, ready)
		}
		if fs.End == ready.Add(5*sim.Second) && fs.InService != out.d.Desired {
			t.Fatalf("at %v, %d consumers reading, want %d", fs.End, fs.InService, out.d.Desired)
		}
	}
}

// TestConsumersScaleInAfterTheStabilisation: once the load falls and the
// backlog is drained, consumers are removed at the first decision whose
// last 15 published datapoints are all below a quarter of the target, not
// before (at min there is nothing to remove); each later removal waits for the cooldown (300 s) after the
// one before.
// References: simple scaling and its cooldown,
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scaling-cooldowns.html;
// docs/aws-behaviour.md §1.5, §5.7.
func TestConsumersScaleInAfterTheStabilisation(t *testing.T) {
	rec, g := lagGroup(t)
	s := lagRun(t, rec, models.Group{Max: 8}, g.InstanceWarmup())
	var ins []decision
	for _, d := range s.decided {
		if d.d.Desired < d.before.Desired {
			ins = append(ins, d)
		}
	}
	if len(ins) < 2 {
		t.Fatalf("scale-ins %+v: want at least two after the load falls", ins)
	}
	low := lagTarget * strategies.DefaultIteratorAgeScaleInFactor
	first := sim.Time(-1)
	for _, obs := range rec.seen {
		p := obs.Periods
		if len(p) < lagInPoints {
			continue
		}
		all := true
		for _, q := range p[len(p)-lagInPoints:] {
			all = all && q.GetRecordsCalls > 0 && q.IteratorAgeMS < low
		}
		if all && obs.Fleet.Desired > 2 { // above min

			first = obs.Now
			break
		}
	}
	if ins[0].at != first {
		t.Fatalf("first scale-in at %v; 15 datapoints below %.0f ms were first readable at %v", ins[0].at, low, first)
	}
	if ins[0].at < sim.Time(30*sim.Minute).Add(lagInPoints*sim.Minute) {
		t.Fatalf("first scale-in at %v, before 15 minutes of low load after the fall at 30m", ins[0].at)
	}
	for i := 1; i < len(ins); i++ {
		if gap := ins[i].at.Sub(ins[i-1].at); gap < lagCooldown {
			t.Errorf("scale-in at %v only %v after the one at %v; want the %v cooldown between them", ins[i].at, gap, ins[i-1].at, lagCooldown)
		}
	}
	t.Logf("scale-ins at %v, …, %v (%d): %s", ins[0].at, ins[len(ins)-1].at, len(ins), ins[0].d.Reason)
}
