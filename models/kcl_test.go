package models_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Timeline tests of a stream's consumers as the Kinesis Client Library
// runs them (docs/aws-behaviour.md §5.6) and of its producers' retries
// (§5.1).

// streamSink is a ledgerSink that also keeps every completion, every
// refusal and every re-processing, as (arrival, finish) pairs.
type streamSink struct {
	*ledgerSink
	completed, rejected, repeats []span
}

// span is one request's arrival and the instant it finished.
type span struct{ arrived, at sim.Time }

func (s *streamSink) Finished(arrived, at sim.Time, o models.Outcome) {
	s.ledgerSink.Finished(arrived, at, o)
	switch o {
	case models.Completed:
		s.completed = append(s.completed, span{arrived, at})
	case models.Rejected:
		s.rejected = append(s.rejected, span{arrived, at})
	}
}

func (s *streamSink) Reprocessed(arrived, at sim.Time) {
	s.repeats = append(s.repeats, span{arrived, at})
}

// between counts the spans that finished in [from, to).
func between(spans []span, from, to sim.Duration) int {
	n := 0
	for _, s := range spans {
		if s.at >= sim.Time(from) && s.at < sim.Time(to) {
			n++
		}
	}
	return n
}

// streamRun runs cfg behind a stream with arrivals src and the invariant
// checks on, and returns the sink; the ledger must balance. The consumers
// are a fixed fleet unless cfg says otherwise.
func streamRun(t *testing.T, st strategies.Strategy, cfg models.Config, src models.Arrivals) *streamSink {
	t.Helper()
	if cfg.Service.Demand == nil {
		cfg.Service.Demand = det(t, 0.01)
	}
	cfg.Service.WorkersPerVCPU = 1
	cfg.Catalog = testCatalog(t)
	cfg.Checks = true
	if cfg.Fleet == nil {
		cfg.Fleet = models.Consumers{}
	}
	sink := &streamSink{ledgerSink: &ledgerSink{keep: true}}
	sys, err := models.NewSystem(cfg, src, st, sink, sim.NewStreams(3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sys.Run(); err != nil {
		t.Fatal(err)
	}
	if !sink.balanced() {
		t.Fatalf("ledger does not balance: arrived %d, outcomes %v", sink.arrived, sink.outcomes)
	}
	return sink
}

// restartLife is the lifecycle of TestRestartInPlace: a consumer whose
// zone goes down at 100 s for 60 s is noticed at 160 s, boots again at
// 190 s and polls again once its application is up, at 250 s (no load
// balancer checks a consumer).
func restartLife(t *testing.T) models.LifecycleConfig {
	return models.LifecycleConfig{Boot: det(t, 30), Startup: det(t, 30),
		Unhealthy: 60 * sim.Second, Recovery: 30 * sim.Second}
}

// TestSoleConsumerZoneOutage: a stream whose only consumer's zone goes
// down. The dead consumer reads and completes nothing from the failure
// (100 s) until it is in service again (250 s); no record is dropped: the
// consumer takes its lease back and reads again from its last checkpoint,
// taken at 60 s, so the records it had completed between the checkpoint
// and the failure, those written from 59 s (the poll at 59 s runs before
// that instant's arrival) to 99 s (40 s at 10/s), are processed again,
// once each, after 250 s.
// References: KCL checkpoints and consumer retries, "Handle duplicate
// records", https://docs.aws.amazon.com/streams/latest/dev/kinesis-record-processor-duplicates.html;
// docs/aws-behaviour.md §5.6.
func TestSoleConsumerZoneOutage(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Zones:     1,
		Lifecycle: restartLife(t),
		Failures:  models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: sim.Time(100 * sim.Second), For: 60 * sim.Second}}},
		Door:      models.Stream{Shards: 1},
	}
	sink := streamRun(t, st, cfg, &evenArrivals{gap: 100 * sim.Millisecond})
	if n := between(sink.completed, 100*sim.Second, 250*sim.Second); n != 0 {
		t.Errorf("%d records completed while the only consumer was down", n)
	}
	if n := between(sink.completed, 95*sim.Second, 100*sim.Second); n < 45 {
		t.Errorf("only %d records completed in the 5 s before the outage", n)
	}
	if n := between(sink.completed, 250*sim.Second, 260*sim.Second) + between(sink.repeats, 250*sim.Second, 260*sim.Second); n < 950 {
		t.Errorf("only %d records processed in the 10 s after the consumer came back; want its 100/s on the backlog", n)
	}
	if d := sink.outcomes[models.Dropped]; d != 0 {
		t.Errorf("%d records dropped; a stream keeps them for the next lease holder", d)
	}
	if len(sink.repeats) != 400 {
		t.Errorf("%d records processed again, want the 400 completed after the checkpoint", len(sink.repeats))
	}
	for _, r := range sink.repeats {
		if r.arrived < sim.Time(59*sim.Second) || r.arrived >= sim.Time(99*sim.Second) || r.at < sim.Time(250*sim.Second) {
			t.Fatalf("record of %v processed again at %v: want those of [59 s, 99 s), after 250 s", r.arrived, r.at)
		}
	}
}

// TestFailoverTakesLeases: two consumers in two zones read two shards, one
// each. Zone a goes down at 100 s; Failover later (10 s, the KCL's
// failoverTimeMillis; 30 s when set so) the consumer in zone b takes the
// dead one's lease and reads that shard again from its checkpoint: the
// re-processing starts then, not before. When the consumer in zone a is
// back (310 s), the balance moves one lease back to it gracefully, after a
// checkpoint, so nothing more is processed twice.
// Reference: failoverTimeMillis, "KCL configurations",
// https://docs.aws.amazon.com/streams/latest/dev/kcl-configuration.html;
// docs/aws-behaviour.md §5.6.
func TestFailoverTakesLeases(t *testing.T) {
	for _, failover := range []sim.Duration{0, 30 * sim.Second} {
		want := models.DefaultFailover
		if failover > 0 {
			want = failover
		}
		st := &scripted{initial: strategies.Decision{Desired: 2, InstanceType: "t.c2"}}
		cfg := models.Config{
			Horizon:   sim.Time(10 * sim.Minute),
			Zones:     2,
			Lifecycle: restartLife(t),
			Failures:  models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: sim.Time(100 * sim.Second), For: 60 * sim.Second}}},
			Door:      models.Stream{Shards: 2, Failover: failover},
		}
		sink := streamRun(t, st, cfg, &evenArrivals{gap: 50 * sim.Millisecond})
		takeover := 100*sim.Second + want
		if len(sink.repeats) < 300 {
			t.Fatalf("failover %v: %d records processed again, want the dead consumer's ~400 since its checkpoint", want, len(sink.repeats))
		}
		for _, r := range sink.repeats {
			if r.at < sim.Time(takeover) || r.at > sim.Time(takeover+10*sim.Second) {
				t.Fatalf("failover %v: a record processed again at %v; want only just after the takeover at %v", want, r.at, takeover)
			}
		}
		// Half the records wait on the dead shard until the takeover.
		if n := between(sink.completed, 101*sim.Second, takeover); n > int(12*(want-sim.Second).Seconds()) {
			t.Errorf("failover %v: %d records completed before the takeover, want only the live shard's ~10/s", want, n)
		}
		if d := sink.outcomes[models.Dropped]; d != 0 {
			t.Errorf("failover %v: %d records dropped", want, d)
		}
	}
}

// TestShardRecordsInOrder: one record processor per shard works on
// PerShardConcurrency records at a time, in order. A 4-slot consumer
// reading one shard of 0.1 s records at 20/s keeps up with a concurrency
// of 4 (40/s); with the default of 1 it serves 10/s, completing the
// shard's records in the order they were written.
// Reference: "KCL concepts", one record processor per leased shard,
// https://docs.aws.amazon.com/streams/latest/dev/kcl-concepts.html;
// docs/aws-behaviour.md §5.6.
func TestShardRecordsInOrder(t *testing.T) {
	for _, c := range []struct {
		concurrency int
		lo, hi      int
	}{{0, 5990, 6001}, {4, 11_950, 12_001}} {
		st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c4"}}
		cfg := models.Config{
			Horizon: sim.Time(10 * sim.Minute),
			Service: models.ServiceConfig{Demand: det(t, 0.1)},
			Door:    models.Stream{Shards: 1, PerShardConcurrency: c.concurrency},
		}
		sink := streamRun(t, st, cfg, &evenArrivals{gap: 50 * sim.Millisecond})
		if n := len(sink.completed); n < c.lo || n > c.hi {
			t.Errorf("concurrency %d: %d completed, want %d to %d", c.concurrency, n, c.lo, c.hi)
		}
		if c.concurrency > 1 {
			continue
		}
		for i := 1; i < len(sink.completed); i++ {
			if sink.completed[i].arrived < sink.completed[i-1].arrived {
				t.Fatalf("record of %v completed after that of %v: out of order", sink.completed[i-1].arrived, sink.completed[i].arrived)
			}
		}
	}
}

// TestLeasesAtMostSlots: a consumer holds at most as many leases as it has
// worker slots. One 2-slot consumer and three shards: one shard is never
// read, its third of the records still in the stream at the end; a second
// consumer takes it.
// Reference: maxLeasesForWorker, "KCL configurations",
// https://docs.aws.amazon.com/streams/latest/dev/kcl-configuration.html;
// docs/aws-behaviour.md §5.6.
func TestLeasesAtMostSlots(t *testing.T) {
	for _, c := range []struct {
		consumers int
		waiting   float64 // share of records in the stream at the end
	}{{1, 1.0 / 3}, {2, 0}} {
		st := &scripted{initial: strategies.Decision{Desired: c.consumers, InstanceType: "t.c2"}}
		cfg := models.Config{Horizon: sim.Time(5 * sim.Minute), Door: models.Stream{Shards: 3}}
		sink := streamRun(t, st, cfg, &evenArrivals{gap: 20 * sim.Millisecond})
		share := float64(sink.outcomes[models.InFlight]) / float64(sink.arrived)
		if math.Abs(share-c.waiting) > 0.02 {
			t.Errorf("%d consumers: %.3f of the records left in the stream, want %.3f", c.consumers, share, c.waiting)
		}
	}
}

// burst arrives n times gap apart from time zero, then never again.
type burst struct {
	n   int
	gap sim.Duration
	t   sim.Time
}

func (b *burst) Next() (sim.Time, bool) {
	if b.n == 0 {
		return 0, false
	}
	b.n--
	b.t = b.t.Add(b.gap)
	return b.t, true
}
func (b *burst) Err() error { return nil }

// TestProducerRetriesThrottledPuts: the producer retries a throttled put as
// the AWS SDKs' standard retry mode does: three attempts, the wait before
// the retry after attempt i drawn uniformly from [0, 2^i × 500 ms). A
// burst of 1,500 records in one second into one shard (1,000/s) is placed
// by the retries, bar the few whose three attempts all fell in the burst's
// full second; at a steady 1,500/s the excess is refused after its third
// attempt, at most 1 s + 2 s after it arrived, on average 0.5 s + 1 s.
// References: "Retry behavior", AWS SDKs and Tools reference guide,
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html;
// docs/aws-behaviour.md §5.1.
func TestProducerRetriesThrottledPuts(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c8"}}
	cfg := models.Config{Horizon: sim.Time(sim.Minute), Door: models.Stream{Shards: 1, PerShardConcurrency: 8},
		Service: models.ServiceConfig{Demand: det(t, 0.001)}}
	sink := streamRun(t, st, cfg, &burst{n: 1500, gap: sim.Second / 1500})
	if r := len(sink.rejected); r > 15 {
		t.Errorf("%d of a one-second burst refused; the retries should place all but a few", r)
	}
	for _, r := range sink.rejected {
		if r.at >= sim.Time(sim.Second) {
			t.Errorf("a put of the burst refused at %v, after its full second", r.at)
		}
	}
	if n := sink.outcomes[models.Completed]; n != 1500-int64(len(sink.rejected)) {
		t.Errorf("%d of the burst completed, want all that were not refused", n)
	}

	cfg.Horizon = sim.Time(5 * sim.Minute)
	sink = streamRun(t, st, cfg, &evenArrivals{gap: sim.Second / 1500})
	var sum float64
	for _, r := range sink.rejected {
		w := r.at.Sub(r.arrived)
		if w <= 0 || w > 3*sim.Second {
			t.Fatalf("a put refused %v after it arrived; want within the two backoffs' 3 s", w)
		}
		sum += w.Seconds()
	}
	if mean := sum / float64(len(sink.rejected)); math.Abs(mean-1.5) > 0.05 {
		t.Errorf("refused %.2f s after arrival on average, want 1.5 s (0.5 s + 1 s)", mean)
	}
}

// TestIteratorAge: the stream's GetRecords.IteratorAgeMilliseconds is the
// age of the last record a GetRecords call returned, as CloudWatch's
// Maximum over a minute. A consumer serving 100/s of a 200/s stream falls
// behind by half a second a second, less the 10,000 records its processor
// holds: about t/2 − 50 s. It is in the per-minute samples and, a minute
// after each period ends, in the strategy's observations. With the only
// consumer down no GetRecords call is made: the metric has no data.
// Reference: "Monitor the Amazon Kinesis Data Streams service with Amazon
// CloudWatch", https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html;
// docs/aws-behaviour.md §5.6.
func TestIteratorAge(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Zones:     1,
		Lifecycle: restartLife(t),
		Monitor:   models.MonitorConfig{Delay: 60 * sim.Second},
		Failures:  models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: sim.Time(400 * sim.Second), For: 60 * sim.Second}}},
		Door:      models.Stream{Shards: 1},
	}
	sink := streamRun(t, st, cfg, &evenArrivals{gap: 5 * sim.Millisecond})
	for _, c := range []struct {
		minute int
		ageMS  float64
	}{{2, 39_500}, {4, 99_500}} { // the maximum comes at the minute's last poll
		if got := sink.samples[c.minute].IteratorAgeMS; math.Abs(got-c.ageMS) > 2000 {
			t.Errorf("minute %d: iterator age %.0f ms, want about %.0f", c.minute, got, c.ageMS)
		}
	}
	if got := sink.samples[8].IteratorAgeMS; got != 0 { // 480–540 s: down until 610 s
		t.Errorf("minute 8, consumer down: iterator age %.0f ms, want no data (0)", got)
	}
	// At 300 s the strategy sees the period ending at 240 s, not later.
	var seen *strategies.Observation
	for i := range st.seen {
		if st.seen[i].Now == sim.Time(300*sim.Second) {
			seen = &st.seen[i]
		}
	}
	if seen == nil || len(seen.Periods) == 0 {
		t.Fatal("no observation at 300 s")
	}
	p := seen.Periods[len(seen.Periods)-1]
	if p.End != sim.Time(240*sim.Second) || p.GetRecordsCalls == 0 || math.Abs(p.IteratorAgeMS-sink.samples[3].IteratorAgeMS) > 1e-9 {
		t.Errorf("at 300 s the newest period ends %v with %d calls and age %.0f ms; want 240 s and minute 3's %.0f ms",
			p.End, p.GetRecordsCalls, p.IteratorAgeMS, sink.samples[3].IteratorAgeMS)
	}
	for _, p := range st.seen[len(st.seen)-1].Periods {
		if p.Start >= sim.Time(420*sim.Second) && p.End <= sim.Time(600*sim.Second) && p.GetRecordsCalls != 0 {
			t.Errorf("period %v–%v: %d GetRecords calls while the only consumer was down", p.Start, p.End, p.GetRecordsCalls)
		}
	}
}

// TestOnDemandScalesReads: an on-demand stream splits shards as its
// traffic grows (about one per 500 KB/s of the peak, 15 minutes on), and a
// consumer reads each new shard with its own record processor: 60 records
// of 64 KB a second (3.75 MB/s), 0.1 s each, on a consumer of 8 slots.
// Four shards serve 40/s; once the peak is 15 minutes old the stream has
// eight, and the consumer serves the 60/s and works off the backlog. A
// provisioned stream of four shards stays at 40/s.
// Reference: "Choose the data stream capacity mode",
// https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html;
// docs/aws-behaviour.md §5.3.
func TestOnDemandScalesReads(t *testing.T) {
	for _, onDemand := range []bool{false, true} {
		st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c8"}}
		cfg := models.Config{
			Horizon: sim.Time(30 * sim.Minute),
			Service: models.ServiceConfig{Demand: det(t, 0.1)},
			Door:    models.Stream{Shards: 4, OnDemand: onDemand, RecordBytes: 64 << 10},
		}
		sink := streamRun(t, st, cfg, &evenArrivals{gap: sim.Second / 60})
		if r := sink.outcomes[models.Rejected]; onDemand && r != 0 {
			t.Fatalf("on-demand: %d refused below the write capacity", r)
		}
		early := between(sink.completed, 5*sim.Minute, 10*sim.Minute)
		late := between(sink.completed, 20*sim.Minute, 25*sim.Minute)
		if math.Abs(float64(early)-40*300) > 50 {
			t.Errorf("on-demand %v: %d completed in minutes 5–10, want four shards' 12,000", onDemand, early)
		}
		if !onDemand {
			if math.Abs(float64(late)-40*300) > 50 {
				t.Errorf("provisioned: %d completed in minutes 20–25, want still 12,000", late)
			}
			continue
		}
		if late < 60*300 {
			t.Errorf("on-demand: %d completed in minutes 20–25, want over the 18,000 arriving", late)
		}
	}
}

// TestStreamSwarm runs random small stream scenarios, consumers failing,
// zones going down, retention short enough to drop records a consumer
// holds, half of them with consumers in an Auto Scaling group scaled out
// and in (leases handed over, failed consumers replaced), with every
// invariant checked after every event (the ledger, the shards' positions,
// leases within worker slots). A failure names the seed
// that reproduces it.
func TestStreamSwarm(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 10
	}
	types := []string{"t.c1", "t.c2", "t.c4"}
	slots := map[string]int{"t.c1": 1, "t.c2": 2, "t.c4": 4}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		typ := types[r.IntN(len(types))]
		door := models.Stream{
			Shards:              1 + r.IntN(6),
			OnDemand:            r.IntN(3) == 0,
			RecordBytes:         []int{1024, 64 << 10, 300 << 10}[r.IntN(3)],
			Delivery:            sim.Duration(r.IntN(500)) * sim.Millisecond,
			Retention:           []sim.Duration{0, 90 * sim.Second}[r.IntN(2)],
			PerShardConcurrency: 1 + r.IntN(slots[typ]),
			CheckpointInterval:  sim.Duration(5+r.IntN(90)) * sim.Second,
			Failover:            sim.Duration(1+r.IntN(30)) * sim.Second,
		}
		consumers, zones := 1+r.IntN(4), 1+r.IntN(3)
		rate := 5 + r.Float64()*300
		name := fmt.Sprintf("seed=%d %s×%d zones=%d rate=%.0f %+v", seed, typ, consumers, zones, rate, door)
		st := &scripted{initial: strategies.Decision{Desired: consumers, InstanceType: typ}}
		cfg := models.Config{
			Horizon:   sim.Time(4*sim.Minute + sim.Duration(r.IntN(240))*sim.Second),
			Service:   models.ServiceConfig{Demand: exponential(t, 0.005+r.Float64()*0.05), WorkersPerVCPU: 1},
			Zones:     zones,
			Lifecycle: models.LifecycleConfig{Boot: det(t, 5), Startup: det(t, 5), Unhealthy: 20 * sim.Second, Recovery: 5 * sim.Second},
			Failures: models.FailureConfig{InstanceMTBF: sim.Duration(60+r.IntN(300)) * sim.Second,
				ZoneOutages: []models.ZoneOutage{{Zone: r.IntN(zones), At: sim.Time(sim.Duration(r.IntN(120)) * sim.Second), For: 45 * sim.Second}}},
			Fleet:   models.Consumers{},
			Door:    door,
			Catalog: testCatalog(t),
			Checks:  true,
		}
		if r.IntN(2) == 0 { // an Auto Scaling group of consumers, scaled out and in (§5.7)
			cfg.Fleet = models.Group{}
			st.plan = map[sim.Time]strategies.Decision{}
			for range 4 {
				at := sim.Time(sim.Duration(1+r.IntN(40)) * 10 * sim.Second)
				st.plan[at] = strategies.Decision{Desired: 1 + r.IntN(6), InstanceType: typ}
			}
			name += " group"
		}
		rs := sim.NewStreams(seed)
		sink := &streamSink{ledgerSink: &ledgerSink{}}
		sys, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: rate}, st, sink, rs)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := sys.Run(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !sink.balanced() {
			t.Fatalf("%s: arrived %d but outcomes %v", name, sink.arrived, sink.outcomes)
		}
		if door.Retention == 0 && sink.outcomes[models.Dropped] != 0 {
			t.Fatalf("%s: %d records dropped without a short retention", name, sink.outcomes[models.Dropped])
		}
	}
}
