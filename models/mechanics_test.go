package models_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// scripted is a test strategy that returns planned decisions at planned times.
type scripted struct {
	initial strategies.Decision
	plan    map[sim.Time]strategies.Decision
	last    strategies.Decision
	seen    []strategies.Observation
}

func (s *scripted) Name() string           { return "scripted" }
func (s *scripted) Interval() sim.Duration { return 10 * sim.Second }
func (s *scripted) Initial() strategies.Decision {
	s.last = s.initial
	return s.initial
}
func (s *scripted) Decide(obs strategies.Observation) strategies.Decision {
	s.seen = append(s.seen, obs)
	if d, ok := s.plan[obs.Now]; ok {
		s.last = d
	}
	return s.last
}

// timeline runs a scripted fleet with deterministic service and a constant
// arrival rate and returns the sink.
func timeline(t *testing.T, st strategies.Strategy, cfg models.Config, rate float64) (*ledgerSink, models.RunStats) {
	t.Helper()
	if cfg.Service.Demand == nil {
		cfg.Service.Demand, _ = models.NewSampler(models.DistConfig{Dist: "deterministic", Value: 0.1})
	}
	if cfg.Service.WorkersPerVCPU == 0 {
		cfg.Service.WorkersPerVCPU = 1
	}
	cfg.Catalog = testCatalog(t)
	cfg.Checks = true
	if cfg.Fleet == nil {
		cfg.Fleet = models.Group{}
	}
	if cfg.Door == nil {
		cfg.Door = models.LoadBalancer{}
	}
	rs := sim.NewStreams(3)
	sink := &ledgerSink{keep: true}
	sys, err := models.NewSystem(cfg, &evenArrivals{gap: sim.FromSeconds(1 / rate)}, st, sink, rs)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := sys.Run()
	if err != nil {
		t.Fatal(err)
	}
	if !sink.balanced() {
		t.Fatalf("ledger does not balance: arrived %d, outcomes %v", sink.arrived, sink.outcomes)
	}
	return sink, stats
}

// evenArrivals arrive every gap, starting at gap.
type evenArrivals struct {
	gap sim.Duration
	t   sim.Time
}

func (e *evenArrivals) Next() (sim.Time, bool) { e.t = e.t.Add(e.gap); return e.t, true }
func (e *evenArrivals) Err() error             { return nil }

func det(t *testing.T, s float64) models.Sampler {
	t.Helper()
	d, err := models.NewSampler(models.DistConfig{Dist: "deterministic", Value: s})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// inServiceAt returns the InService count of the sample ending at end.
func inServiceAt(t *testing.T, sink *ledgerSink, end sim.Time) (inService, pending int) {
	t.Helper()
	for _, s := range sink.samples {
		if s.End == end {
			return s.InService, s.Pending
		}
	}
	t.Fatalf("no sample ending at %v", end)
	return 0, 0
}

// TestLaunchServesOnlyAfterBootLoadAndHealthChecks: an instance launched at
// 60 s boots 40 s, loads the model 30 s and passes health checks in 150 s,
// so it is in service from 280 s and billed from 60 s. (The sample ending at
// 280 s closes its interval before the instance enters service then.)
func TestLaunchServesOnlyAfterBootLoadAndHealthChecks(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(60 * sim.Second): {Desired: 2}}}
	cfg := models.Config{
		Horizon:     sim.Time(10 * sim.Minute),
		SampleEvery: 10 * sim.Second,
		Lifecycle:   models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30), HealthCheck: 150 * sim.Second},
	}
	sink, stats := timeline(t, st, cfg, 5)
	for _, c := range []struct {
		at                 sim.Duration
		inService, pending int
	}{{50 * sim.Second, 1, 0}, {70 * sim.Second, 1, 1}, {280 * sim.Second, 1, 1}, {290 * sim.Second, 2, 0}} {
		in, p := inServiceAt(t, sink, sim.Time(c.at))
		if in != c.inService || p != c.pending {
			t.Errorf("at %v: %d in service, %d pending; want %d, %d", c.at, in, p, c.inService, c.pending)
		}
	}
	// Billing: t.c1 at 0.36 $/h: 600 s + 540 s = 1140 s → 0.114.
	if math.Abs(stats.CostUSD-0.114) > 1e-9 {
		t.Errorf("cost %.6f, want 0.114000", stats.CostUSD)
	}
}

// TestScaleInDrainsThenTerminates: the drained instance finishes what it
// holds, gets nothing new, and stops being billed when idle.
func TestScaleInDrainsThenTerminates(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 2, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(60 * sim.Second): {Desired: 1}}}
	cfg := models.Config{
		Horizon:   sim.Time(120 * sim.Second),
		Service:   models.ServiceConfig{Demand: det(t, 0.5)},
		Lifecycle: models.LifecycleConfig{Deregistration: 300 * sim.Second},
	}
	sink, stats := timeline(t, st, cfg, 2) // 1 req/s each, 50% busy
	if sink.outcomes[models.Dropped]+sink.outcomes[models.Rejected] != 0 {
		t.Fatalf("scale-in lost requests: %v", sink.outcomes)
	}
	// One instance for 120 s, one for 60 s or a little more (the request in
	// hand at 60 s takes up to 0.5 s).
	want := 0.36 * (120 + 60) / 3600
	if stats.CostUSD < want-1e-9 || stats.CostUSD > want+0.36*0.5/3600+1e-9 {
		t.Errorf("cost %.6f, want %.6f (+ up to half a second)", stats.CostUSD, want)
	}
}

// TestDeregistrationDelayLosesWhatIsLeft: a draining instance still busy
// when the deregistration delay ends loses its request.
func TestDeregistrationDelayLosesWhatIsLeft(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 2, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(10 * sim.Second): {Desired: 1}}}
	cfg := models.Config{
		Horizon:   sim.Time(200 * sim.Second),
		Service:   models.ServiceConfig{Demand: det(t, 100)},
		Lifecycle: models.LifecycleConfig{Deregistration: 30 * sim.Second},
	}
	// Arrivals every 4 s alternate between the instances; at 10 s the newer
	// one (the tie-break of equal launch times) drains holding the request
	// of 8 s, which it cannot finish by 40 s.
	sink, _ := timeline(t, st, cfg, 0.25)
	if sink.outcomes[models.Dropped] != 1 {
		t.Fatalf("outcomes %v, want exactly one dropped", sink.outcomes)
	}
}

// TestFailureIsDetectedAndReplaced: a zone outage fails the instance in it;
// requests routed to it before health checks notice are refused; a
// replacement launches in the other zone.
func TestFailureIsDetectedAndReplaced(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 2, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon:     sim.Time(10 * sim.Minute),
		SampleEvery: 10 * sim.Second,
		Zones:       2,
		Failures:    models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 1, At: sim.Time(100 * sim.Second), For: sim.Hour}}},
		Lifecycle: models.LifecycleConfig{Boot: det(t, 30), Startup: det(t, 30), HealthCheck: 60 * sim.Second,
			Unhealthy: 60 * sim.Second},
	}
	sink, _ := timeline(t, st, cfg, 4)
	// Round robin sends every other request to the dead instance for 60 s:
	// about 120 refused; nothing after detection.
	if r := sink.outcomes[models.Rejected]; r < 110 || r > 130 {
		t.Errorf("%d refused while the failure went unnoticed, want about 120", r)
	}
	for _, c := range []struct {
		at                 sim.Duration
		inService, pending int
	}{{90 * sim.Second, 2, 0}, {150 * sim.Second, 1, 0}, {170 * sim.Second, 1, 1}, {280 * sim.Second, 1, 1}, {290 * sim.Second, 2, 0}} {
		in, p := inServiceAt(t, sink, sim.Time(c.at))
		if in != c.inService || p != c.pending {
			t.Errorf("at %v: %d in service, %d pending; want %d, %d", c.at, in, p, c.inService, c.pending)
		}
	}
}

// TestStopStartResizeShowsDowntime: a vertical stop/start resize refuses
// every request while the instance stops, boots, loads and passes checks.
func TestStopStartResizeShowsDowntime(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(60 * sim.Second): {Desired: 1, InstanceType: "t.c2"}}}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Lifecycle: models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30), HealthCheck: 20 * sim.Second},
		Fleet:     models.Resizable{Mode: models.StopStart, StopTime: det(t, 60)},
	}
	sink, stats := timeline(t, st, cfg, 5)
	// Down from 60 s to 60+60+40+30+20 = 210 s: 150 s × 5 req/s refused.
	if r := sink.outcomes[models.Rejected]; r < 745 || r > 755 {
		t.Errorf("%d refused during the resize, want about 750", r)
	}
	// Billing: t.c1 for 60 s; stopped for 60 s; t.c2 from 120 s to 600 s.
	want := (0.36*60 + 0.72*480) / 3600
	if math.Abs(stats.CostUSD-want) > 1e-9 {
		t.Errorf("cost %.6f, want %.6f", stats.CostUSD, want)
	}
}

// TestBlueGreenResizeHasNoDowntime: the new type launches beside the old and
// traffic shifts once it is healthy; both are billed meanwhile.
func TestBlueGreenResizeHasNoDowntime(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(60 * sim.Second): {Desired: 1, InstanceType: "t.c2"}}}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Lifecycle: models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30), HealthCheck: 20 * sim.Second},
		Fleet:     models.Resizable{Mode: models.BlueGreen},
	}
	sink, stats := timeline(t, st, cfg, 5)
	if n := sink.outcomes[models.Rejected] + sink.outcomes[models.Dropped]; n != 0 {
		t.Errorf("%d requests lost in a blue/green resize", n)
	}
	// t.c1 0–150 s (+ the last 0.1 s request at most), t.c2 60–600 s.
	want := (0.36*150 + 0.72*540) / 3600
	if stats.CostUSD < want-1e-9 || stats.CostUSD > want+0.36*0.1/3600+1e-9 {
		t.Errorf("cost %.6f, want %.6f", stats.CostUSD, want)
	}
}

// TestStreamAbsorbsButDoesNotServe: 200 records/s into a stream whose one
// consumer serves 100/s: completions stay at capacity, the backlog's latency
// grows, and nothing is refused while the shard's write limit holds.
func TestStreamAbsorbsButDoesNotServe(t *testing.T) {
	st, _ := strategies.NewStatic("s", "t.c1", 1)
	cfg := models.Config{
		Horizon: sim.Time(10 * sim.Minute),
		Service: models.ServiceConfig{Demand: det(t, 0.01)},
		Fleet:   models.Consumers{},
		Door:    models.Stream{Shards: 1},
	}
	sink, stats := timeline(t, st, cfg, 200)
	if sink.outcomes[models.Rejected] != 0 {
		t.Fatalf("%d throttled below the write limit", sink.outcomes[models.Rejected])
	}
	done := float64(sink.outcomes[models.Completed])
	if done > 100*600+1 {
		t.Fatalf("%v completed, more than the consumer's 100/s can serve", done)
	}
	if done < 0.97*100*600 {
		t.Fatalf("only %v completed: the consumer idled", done)
	}
	if sink.outcomes[models.InFlight] < 50_000 {
		t.Fatalf("backlog %d at the end, want about 60,000", sink.outcomes[models.InFlight])
	}
	if last := sink.latencies[len(sink.latencies)-1]; last < 200 {
		t.Fatalf("the last record waited %.0f s, want the backlog's minutes", last)
	}
	// Cost: 1 shard × 0.015 $/h × 1/6 h + 120,000 puts × 0.014 $/M, plus
	// the consumer 0.36 $/h × 1/6 h.
	want := 0.015/6 + 120000*0.014/1e6 + 0.36/6
	if math.Abs(stats.CostUSD-want) > 1e-6 {
		t.Errorf("cost %.6f, want %.6f", stats.CostUSD, want)
	}
}

// TestStreamThrottlesAndExpires: 1,500 records/s into one shard is throttled
// to 1,000/s: the other 500/s are refused after the producer's third
// attempt, bar those still retrying at the end; records older than the
// retention are dropped.
func TestStreamThrottlesAndExpires(t *testing.T) {
	st, _ := strategies.NewStatic("s", "t.c1", 1)
	cfg := models.Config{
		Horizon: sim.Time(5 * sim.Minute),
		Service: models.ServiceConfig{Demand: det(t, 0.01)},
		Fleet:   models.Consumers{},
		Door:    models.Stream{Shards: 1, Retention: time2m},
	}
	sink, _ := timeline(t, st, cfg, 1500)
	if r := float64(sink.outcomes[models.Rejected]); r < 500*300-3000 || r > 500*300 {
		t.Errorf("%v throttled, want about 150,000", r)
	}
	// 1,000/s accepted, 100/s served: most records age out unread.
	if d := sink.outcomes[models.Dropped]; d < 100_000 {
		t.Errorf("%d records expired past a 2-minute retention, want over 100,000", d)
	}
	// A record is read within the retention and then waits at most for the
	// consumer's buffer of 10,000 records at 100/s.
	for _, l := range sink.latencies {
		if l > 120+100+1 {
			t.Fatalf("a record completed after %.0f s, past retention and buffer", l)
		}
	}
}

const time2m = 2 * sim.Minute

// TestLoadBalancerBill: an hour at 10 req/s, one request per connection and
// 10 KB each: LCU = max(10/25, 0.36 GB/h) = 0.4, so the ALB costs
// 0.0225 + 0.4 × 0.008 = $0.0257 on top of the instance's $0.36.
// Reference: docs/aws-behaviour.md §3.6.
func TestLoadBalancerBill(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon: sim.Time(sim.Hour),
		Service: models.ServiceConfig{Demand: det(t, 0.01)},
		Door: models.LoadBalancer{HourlyUSD: models.ALBHourlyUSD, LCUHourUSD: models.ALBLCUHourUSD,
			RequestsPerConn: 1, BytesPerRequest: 10_000},
	}
	sink, stats := timeline(t, st, cfg, 10)
	last := sink.samples[len(sink.samples)-1]
	if d := last.LBUSD - 0.0257; d > 1e-6 || d < -1e-6 {
		t.Errorf("load balancer $%.6f, want $0.025700", last.LBUSD)
	}
	if d := stats.CostUSD - 0.3857; d > 1e-6 || d < -1e-6 {
		t.Errorf("total $%.6f, want $0.385700", stats.CostUSD)
	}
}

// TestCommonRandomNumbersAcrossFamilies: with failures off, a group, a
// resizable instance and stream consumers, each changing its fleet at 60 s,
// see the same arrival instants.
func TestCommonRandomNumbersAcrossFamilies(t *testing.T) {
	var hashes []uint64
	for _, f := range []struct {
		family string
		cfg    models.Config
		next   strategies.Decision
	}{
		{"group", models.Config{Fleet: models.Group{}, Door: models.LoadBalancer{}}, strategies.Decision{Desired: 3}},
		{"resizable", models.Config{Fleet: models.Resizable{Mode: models.StopStart}, Door: models.LoadBalancer{}},
			strategies.Decision{Desired: 2, InstanceType: "t.c4"}},
		{"consumers", models.Config{Fleet: models.Consumers{}, Door: models.Stream{Shards: 1}}, strategies.Decision{Desired: 3}},
	} {
		st := &scripted{initial: strategies.Decision{Desired: 2, InstanceType: "t.c2"},
			plan: map[sim.Time]strategies.Decision{sim.Time(60 * sim.Second): f.next}}
		cfg := f.cfg
		cfg.Horizon = sim.Time(5 * sim.Minute)
		cfg.Service = models.ServiceConfig{Demand: exponential(t, 0.05), WorkersPerVCPU: 1, Timeout: sim.Second}
		cfg.Catalog = testCatalog(t)
		rs := sim.NewStreams(5)
		sink := &ledgerSink{}
		sys, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: 150}, st, sink, rs)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sys.Run(); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, sink.arrivalsH)
		if hashes[len(hashes)-1] != hashes[0] {
			t.Fatalf("%s saw different arrivals from the group", f.family)
		}
	}
}

// TestWarmPoolLaunchesFaster: with one pre-initialised instance in the pool,
// a launch at 60 s only starts (20 s) and passes health checks (60 s): in
// service from 140 s instead of 60+40+30+60 = 190 s. The pool refills in
// the background (a 70 s boot and load, billed at the running price).
// Reference: docs/aws-behaviour.md §1.11.
func TestWarmPoolLaunchesFaster(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(60 * sim.Second): {Desired: 3}}}
	cfg := models.Config{
		Horizon:     sim.Time(10 * sim.Minute),
		SampleEvery: 10 * sim.Second,
		Lifecycle:   models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30), HealthCheck: 60 * sim.Second},
		Fleet:       models.Group{WarmPool: models.WarmPoolConfig{Size: 1, Start: det(t, 20), StoppedUSDHour: 0.01}},
	}
	sink, stats := timeline(t, st, cfg, 2)
	for _, c := range []struct {
		at                 sim.Duration
		inService, pending int
	}{{140 * sim.Second, 1, 2}, {150 * sim.Second, 2, 1}, {190 * sim.Second, 2, 1}, {200 * sim.Second, 3, 0}} {
		in, p := inServiceAt(t, sink, sim.Time(c.at))
		if in != c.inService || p != c.pending {
			t.Errorf("at %v: %d in service, %d pending; want %d, %d", c.at, in, p, c.inService, c.pending)
		}
	}
	// Compute: 600 s + 540 s + 540 s of t.c1; the refill's 70 s run; the
	// stopped pool: one instance 0–60 s and again from 130 s to 600 s.
	want := 0.36*(600+540+540+70)/3600 + 0.01*(60+470)/3600
	if d := stats.CostUSD - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("cost %.6f, want %.6f", stats.CostUSD, want)
	}
}

// TestSystemNeedsFleetAndDoor: a system is built only with fleet mechanics
// and a front door; none is assumed.
func TestSystemNeedsFleetAndDoor(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
	rs := sim.NewStreams(1)
	for _, cfg := range []models.Config{
		{Fleet: models.Group{}},
		{Door: models.LoadBalancer{}},
	} {
		cfg.Horizon = sim.Time(sim.Minute)
		cfg.Service = models.ServiceConfig{Demand: det(t, 0.1), WorkersPerVCPU: 1}
		cfg.Catalog = testCatalog(t)
		_, err := models.NewSystem(cfg, &evenArrivals{gap: sim.Second}, st, &ledgerSink{}, rs)
		if err == nil || !strings.Contains(err.Error(), "fleet mechanics and a front door are required") {
			t.Errorf("fleet %v, door %v: error %v", cfg.Fleet, cfg.Door, err)
		}
	}
}

// TestGroupRefusesATypeChange: an Auto Scaling group cannot change its
// instance type; a policy that asks is a bug, and the model says so.
func TestGroupRefusesATypeChange(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(20 * sim.Second): {Desired: 1, InstanceType: "t.c2"}}}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "asked an Auto Scaling group for type") {
			t.Errorf("recovered %v, want the group's refusal", r)
		}
	}()
	timeline(t, st, models.Config{Horizon: sim.Time(sim.Minute)}, 1)
}

// TestRestartInPlace: a resizable instance and stream consumers are not
// replaced when they fail: health checks notice the failure (60 s), the
// same instance waits the recovery time (30 s) and boots again (30 s boot,
// 30 s load, 60 s of checks), still billed; nothing else is launched. A
// group, by contrast, launches a replacement as soon as health checks
// notice. The failure is a zone outage of 60 s at 100 s.
func TestRestartInPlace(t *testing.T) {
	outage := models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: sim.Time(100 * sim.Second), For: 60 * sim.Second}}}
	life := models.LifecycleConfig{Boot: det(t, 30), Startup: det(t, 30), HealthCheck: 60 * sim.Second,
		Unhealthy: 60 * sim.Second, Recovery: 30 * sim.Second}
	for _, tc := range []struct {
		name  string
		fleet models.Mechanics
		door  models.Door
		want  []struct {
			at                 sim.Duration
			inService, pending int
		}
	}{
		// detected at 160 s, back to booting at 190 s, in service at 310 s.
		{"resizable", models.Resizable{}, models.LoadBalancer{}, []struct {
			at                 sim.Duration
			inService, pending int
		}{{90 * sim.Second, 1, 0}, {170 * sim.Second, 0, 0}, {200 * sim.Second, 0, 1}, {300 * sim.Second, 0, 1}, {320 * sim.Second, 1, 0}}},
		{"consumers", models.Consumers{}, models.Stream{Shards: 1}, []struct {
			at                 sim.Duration
			inService, pending int
		}{{90 * sim.Second, 1, 0}, {170 * sim.Second, 0, 0}, {200 * sim.Second, 0, 1}, {320 * sim.Second, 1, 0}}},
		// the group launches a replacement at 160 s, in service at 280 s.
		{"group", models.Group{}, models.LoadBalancer{}, []struct {
			at                 sim.Duration
			inService, pending int
		}{{90 * sim.Second, 1, 0}, {170 * sim.Second, 0, 1}, {290 * sim.Second, 1, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
			cfg := models.Config{Horizon: sim.Time(10 * sim.Minute), SampleEvery: 10 * sim.Second, Zones: 1,
				Failures: outage, Lifecycle: life, Fleet: tc.fleet, Door: tc.door}
			sink, stats := timeline(t, st, cfg, 2)
			for _, w := range tc.want {
				if in, p := inServiceAt(t, sink, sim.Time(w.at)); in != w.inService || p != w.pending {
					t.Errorf("at %v: %d in service, %d pending; want %d, %d", w.at, in, p, w.inService, w.pending)
				}
			}
			// One instance billed all along: restarted in place, or
			// terminated at 160 s and replaced from then on.
			if want := 0.36 * 600 / 3600; tc.door == (models.LoadBalancer{}) && math.Abs(stats.CostUSD-want) > 1e-9 {
				t.Errorf("cost %.6f, want %.6f", stats.CostUSD, want)
			}
		})
	}
}
