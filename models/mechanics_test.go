package models_test

import (
	"fmt"
	"math"
	"slices"
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

// TestFailureIsDetectedAndReplaced: a zone outage fails the instance in
// it; requests routed to it before two health checks fail are refused;
// then a replacement launches in the other zone and serves from its first
// passing check (docs/aws-behaviour.md §1.8, §3.4).
func TestFailureIsDetectedAndReplaced(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 2, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Zones:     2,
		Failures:  models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 1, At: secs(100), For: sim.Hour}}},
		Lifecycle: models.LifecycleConfig{Boot: det(t, 30), Startup: det(t, 30)},
	}
	sink, _ := timeline(t, st, cfg, 4)
	ph := checkPhases(3, checkEvery, 3)
	detected := nextCheck(0, ph[1], secs(100)).Add(checkEvery)
	if got := sink.eventTimes(models.EventDetected); !slices.Equal(got, []sim.Time{detected}) {
		t.Fatalf("detected at %v, want %v (the second failing check)", got, detected)
	}
	// Round robin sends every other request to the dead instance until
	// then: 2 a second refused.
	want := int64(detected.Sub(secs(100)).Seconds() * 2)
	if r := sink.outcomes[models.Rejected]; r < want-2 || r > want+2 {
		t.Errorf("%d refused while the failure went unnoticed, want about %d", r, want)
	}
	// The replacement is running at once (no pending time here) and loads
	// in 60 s: two of its checks fail first, so it needs five passing ones.
	ready := servesAt(detected, ph[2], detected.Add(60*sim.Second))
	if got := sink.eventTimes(models.EventLaunchReady); !slices.Equal(got, []sim.Time{ready}) {
		t.Errorf("replacement served from %v, want %v", got, ready)
	}
}

// TestStopStartResizeShowsDowntime: a vertical stop/start resize refuses
// every request while the instance stops, boots and loads. Its target is
// unhealthy meanwhile, and it is the only one: the load balancer fails open
// and sends it requests as soon as its model is up, before the healthy
// threshold (docs/aws-behaviour.md §3.5).
func TestStopStartResizeShowsDowntime(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{sim.Time(60 * sim.Second): {Desired: 1, InstanceType: "t.c2"}}}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Lifecycle: models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30)},
		Fleet:     models.Resizable{Mode: models.StopStart, StopTime: det(t, 60)},
	}
	sink, stats := timeline(t, st, cfg, 5)
	// Down from 60 s to 60+60+40+30 = 190 s: 130 s × 5 req/s refused.
	if r := sink.outcomes[models.Rejected]; r < 645 || r > 655 {
		t.Errorf("%d refused during the resize, want about 650", r)
	}
	if got := sink.eventTimes(models.EventResized); !slices.Equal(got, []sim.Time{secs(190)}) {
		t.Errorf("resized at %v, want [3m10s]: serving (by fail-open) once the model is up", got)
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
		Lifecycle: models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30)},
		Fleet:     models.Resizable{Mode: models.BlueGreen},
	}
	sink, stats := timeline(t, st, cfg, 5)
	if n := sink.outcomes[models.Rejected] + sink.outcomes[models.Dropped]; n != 0 {
		t.Errorf("%d requests lost in a blue/green resize", n)
	}
	// t.c2 runs from 60 s and loads by 130 s; t.c1 drains once t.c2 is
	// healthy (two failed checks first, then five passing ones) (+ the last 0.1 s request at most).
	healthy := servesAt(secs(60), checkPhases(3, checkEvery, 2)[1], secs(130))
	want := (0.36*healthy.Sub(0).Seconds() + 0.72*540) / 3600
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

// TestWarmPoolLaunchesFaster: with one pre-initialised instance in the
// pool, of two launched at 60 s the pooled one only starts its application
// (20 s) and the other boots and loads (70 s); each serves from its first
// passing check after that, or, the cold one, after two failed checks and
// five passing ones. The pool refills in the background (a 70 s
// boot and load, billed at the running price).
// Reference: docs/aws-behaviour.md §1.11.
func TestWarmPoolLaunchesFaster(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{secs(60): {Desired: 3}}}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Lifecycle: models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30)},
		Fleet:     models.Group{WarmPool: models.WarmPoolConfig{Size: 1, Start: det(t, 20), StoppedUSDHour: 0.01}},
	}
	sink, stats := timeline(t, st, cfg, 2)
	ph := checkPhases(3, checkEvery, 3)
	want := []sim.Time{servesAt(secs(60), ph[1], secs(80)), servesAt(secs(60), ph[2], secs(130))}
	if got := sink.eventTimes(models.EventLaunchReady); !slices.Equal(got, want) {
		t.Errorf("served from %v, want %v (pooled, then cold)", got, want)
	}
	// Compute: 600 s + 540 s + 540 s of t.c1; the refill's 70 s run; the
	// stopped pool: one instance 0–60 s and again from 130 s to 600 s.
	cost := 0.36*(600+540+540+70)/3600 + 0.01*(60+470)/3600
	if d := stats.CostUSD - cost; d > 1e-9 || d < -1e-9 {
		t.Errorf("cost %.6f, want %.6f", stats.CostUSD, cost)
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
// replaced when they fail: the same instance waits the recovery time (30 s)
// once the failure is noticed and its zone is back, and boots again (30 s
// boot, 30 s load), still billed; nothing else is launched. Behind the load
// balancer two failing checks notice the failure and the restarted instance
// serves once its model is up (fail-open, its target being the only one);
// a consumer's failure is noticed after Unhealthy (60 s) and it polls once
// its model is up. A group, by contrast, launches a replacement as soon as
// health checks notice. The failure is a zone outage of 60 s at 100 s.
func TestRestartInPlace(t *testing.T) {
	outage := models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: secs(100), For: 60 * sim.Second}}}
	life := models.LifecycleConfig{Boot: det(t, 30), Startup: det(t, 30), Unhealthy: 60 * sim.Second, Recovery: 30 * sim.Second}
	ph := checkPhases(3, checkEvery, 2)
	albDetected := nextCheck(0, ph[0], secs(100)).Add(checkEvery)
	restarted := func(detected sim.Time) sim.Time {
		at := detected.Add(30 * sim.Second)
		for at < secs(160) {
			at = at.Add(30 * sim.Second) // the zone is still out: try again
		}
		return at
	}
	for _, tc := range []struct {
		name     string
		fleet    models.Mechanics
		door     models.Door
		detected sim.Time
		serving  sim.Time     // when it can serve again
		slack    sim.Duration // from then to the first completion
	}{
		{"resizable", models.Resizable{}, models.LoadBalancer{}, albDetected, restarted(albDetected).Add(60 * sim.Second), 2 * sim.Second},
		// The consumer first reads again the 80 records (2 a second for
		// 40 s) it had completed since its checkpoint at 60 s: 8 s of work
		// that completes nothing new.
		{"consumers", models.Consumers{}, models.Stream{Shards: 1}, secs(160), restarted(secs(160)).Add(60 * sim.Second), 10 * sim.Second},
		// The replacement launches when the zone is back and loads by 220 s;
		// two of its checks have failed by then, so it is unhealthy, the
		// only target, and the load balancer fails open to it.
		{"group", models.Group{}, models.LoadBalancer{}, albDetected, secs(220), 2 * sim.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
			cfg := models.Config{Horizon: sim.Time(10 * sim.Minute), Zones: 1,
				Failures: outage, Lifecycle: life, Fleet: tc.fleet, Door: tc.door}
			sink, stats := timeline(t, st, cfg, 2)
			if got := sink.eventTimes(models.EventDetected); !slices.Equal(got, []sim.Time{tc.detected}) {
				t.Errorf("detected at %v, want %v", got, tc.detected)
			}
			first := sim.Time(-1)
			for _, at := range sink.completed {
				if at > secs(100) {
					first = at
					break
				}
			}
			if first < tc.serving || first > tc.serving.Add(tc.slack) {
				t.Errorf("first completion after the outage at %v, want just after %v", first, tc.serving)
			}
			// One instance billed all along when restarted in place; a
			// group's is terminated when noticed and replaced when its zone
			// is back.
			want := 0.36 * 600 / 3600
			if tc.name == "group" {
				want -= 0.36 * secs(160).Sub(tc.detected).Hours()
			}
			if tc.door == (models.LoadBalancer{}) && math.Abs(stats.CostUSD-want) > 1e-9 {
				t.Errorf("cost %.6f, want %.6f", stats.CostUSD, want)
			}
		})
	}
}
