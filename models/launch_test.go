package models_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// The timelines below follow these AWS pages (docs/aws-behaviour.md):
//   - EC2 Auto Scaling user guide, "Set the default instance warmup" and
//     "Instance lifecycle": an instance is InService when EC2 reports it
//     running; it is registered with the target group then, and its warm-up
//     starts then. https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html
//   - ELB user guide, "Health checks for Application Load Balancer target
//     groups": a newly registered target must pass one health check; a
//     target that failed UnhealthyThresholdCount checks needs
//     HealthyThresholdCount passing ones; with every target unhealthy the
//     load balancer fails open. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
//   - EC2 user guide, "Instance state changes and billing": billing starts
//     at running, not pending. https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
//   - ELB user guide, "Troubleshoot your Application Load Balancers" and
//     "Application Load Balancers" (connection idle timeout): a target that
//     does not answer within the idle timeout (60 s unless set) gets the
//     client a 504. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html
//   - TorchServe configuration, job_queue_size (100 unless set; a full
//     queue answers 503): the model server's own queue, which the default
//     queue limit follows. https://pytorch.org/serve/configuration.html

const checkEvery = 30 * sim.Second // the ALB's default interval

// checkPhases returns where, within interval, the health checks of the
// first n target registrations of a run seeded with seed fall: the load
// balancer draws them in registration order from the "health" stream.
func checkPhases(seed uint64, interval sim.Duration, n int) []sim.Duration {
	r := sim.NewStreams(seed).Stream(sim.StreamHealth)
	ph := make([]sim.Duration, n)
	for i := range ph {
		ph[i] = sim.Duration(r.Int64N(int64(interval)))
	}
	return ph
}

// nextCheck returns the first health check at or after t of a target
// registered at reg whose checks are offset by phase.
func nextCheck(reg sim.Time, phase sim.Duration, t sim.Time) sim.Time {
	first := reg.Add(phase)
	if t <= first {
		return first
	}
	k := (t - first + sim.Time(checkEvery) - 1) / sim.Time(checkEvery)
	return first + k*sim.Time(checkEvery)
}

// servesAt returns when a target registered at reg, whose checks are offset
// by phase, turns healthy if its model is loaded at loaded, by the ALB's
// default thresholds: at the first check after loading, unless two checks
// failed before (it is then unhealthy, and needs five passing checks).
func servesAt(reg sim.Time, phase sim.Duration, loaded sim.Time) sim.Time {
	first := nextCheck(reg, phase, loaded)
	if fails := (first - reg.Add(phase)) / sim.Time(checkEvery); fails >= 2 {
		return first.Add(4 * checkEvery)
	}
	return first
}

func secs(s float64) sim.Time { return sim.Time(sim.FromSeconds(s)) }

// scaleOutAt60 is one t.c1 instance, and a second launched at 60 s.
func scaleOutAt60() *scripted {
	return &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{secs(60): {Desired: 2}}}
}

// observedAt returns the fleet the strategy saw at now.
func observedAt(t *testing.T, st *scripted, now sim.Time) strategies.FleetView {
	t.Helper()
	for _, o := range st.seen {
		if o.Now == now {
			return o.Fleet
		}
	}
	t.Fatalf("no observation at %v", now)
	return strategies.FleetView{}
}

// TestLaunchIsInServiceWhenRunning: launched at 60 s, EC2 reports the
// instance running at 75 s (15 s pending): from then it is billed, counted
// in service by the group, registered, and warming (30 s warm-up, so no
// longer warming at 110 s even if not serving yet). Its OS (10 s) and model
// (20 s) load after that, overlapping the health checks; it serves from
// the first passing check after 105 s, at most one interval later.
func TestLaunchIsInServiceWhenRunning(t *testing.T) {
	st := scaleOutAt60()
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Lifecycle: models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 10), Startup: det(t, 20)},
		Monitor:   models.MonitorConfig{Warmup: 30 * sim.Second},
	}
	sink, stats := timeline(t, st, cfg, 5)
	p := checkPhases(3, checkEvery, 2)[1]
	healthy := nextCheck(secs(75), p, secs(105))
	if got := sink.eventTimes(models.EventLaunchReady); !slices.Equal(got, []sim.Time{healthy}) {
		t.Errorf("served from %v, want %v (first check at or after the model loads at 105 s)", got, healthy)
	}
	if healthy.Sub(secs(60)) > 75*sim.Second {
		t.Errorf("launch to serving took %v, want at most 75 s", healthy.Sub(secs(60)))
	}
	for _, c := range []struct {
		at                                  sim.Time
		pending, inService, starting, warms int
	}{
		{secs(70), 1, 1, 0, 0},  // EC2 still pending
		{secs(80), 0, 2, 1, 1},  // running: in service, starting, warming
		{secs(110), 0, 2, 1, 0}, // warm-up over; serving only from the passing check
	} {
		if c.at >= healthy {
			c.starting = 0
		}
		f := observedAt(t, st, c.at)
		if f.Pending != c.pending || f.InService != c.inService || f.Starting != c.starting || f.Warming != c.warms {
			t.Errorf("at %v the group saw %+v; want pending %d, in service %d, starting %d, warming %d",
				c.at, f, c.pending, c.inService, c.starting, c.warms)
		}
	}
	// Billed from running: t.c1 at 0.36 $/h for 600 s and 525 s.
	if want := 0.36 * (600 + 525) / 3600; math.Abs(stats.CostUSD-want) > 1e-9 {
		t.Errorf("cost %.6f, want %.6f", stats.CostUSD, want)
	}
}

// TestSlowModelNeedsTheHealthyThreshold: a model that takes 100 s to load
// fails two checks first (the unhealthy threshold), so the target is
// unhealthy and serves only after five passing checks in a row.
func TestSlowModelNeedsTheHealthyThreshold(t *testing.T) {
	st := scaleOutAt60()
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Lifecycle: models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 10), Startup: det(t, 100)},
	}
	sink, _ := timeline(t, st, cfg, 5)
	p := checkPhases(3, checkEvery, 2)[1]
	healthy := nextCheck(secs(75), p, secs(185)).Add(4 * checkEvery)
	if got := sink.eventTimes(models.EventLaunchReady); !slices.Equal(got, []sim.Time{healthy}) {
		t.Errorf("served from %v, want %v (five passing checks from the model loading at 185 s)", got, healthy)
	}
}

// TestWarmPoolStartServesWithinAMinute: an instance from a stopped warm
// pool is pending 15 s and starts its application in 20 s: it serves 35 to
// 65 s after the launch (AWS: pre-initialised instances serve in about
// 30-60 s, docs/aws-behaviour.md §1.11).
func TestWarmPoolStartServesWithinAMinute(t *testing.T) {
	st := scaleOutAt60()
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Lifecycle: models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 40), Startup: det(t, 30)},
		Fleet:     models.Group{WarmPool: models.WarmPoolConfig{Size: 1, Start: det(t, 20)}},
	}
	sink, _ := timeline(t, st, cfg, 2)
	p := checkPhases(3, checkEvery, 2)[1]
	healthy := nextCheck(secs(75), p, secs(95))
	if got := sink.eventTimes(models.EventLaunchReady); !slices.Equal(got, []sim.Time{healthy}) {
		t.Errorf("served from %v, want %v", got, healthy)
	}
}

// TestFailOpenServesUnhealthyTargets: the one instance behind the load
// balancer fails with its zone at 100 s. Two failing checks notice it; it
// is restarted in place once the zone is back (160 s), and its target stays
// unhealthy until five checks pass. Meanwhile every target is unhealthy, so
// the load balancer routes to it anyway: requests are refused while it
// boots and loads, and served as soon as its model is up, before the
// healthy threshold.
func TestFailOpenServesUnhealthyTargets(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon:  sim.Time(10 * sim.Minute),
		Zones:    1,
		Failures: models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: secs(100), For: 60 * sim.Second}}},
		Lifecycle: models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 10), Startup: det(t, 20),
			Recovery: 30 * sim.Second},
		Fleet: models.Resizable{},
	}
	sink, _ := timeline(t, st, cfg, 2)
	p := checkPhases(3, checkEvery, 1)[0]
	detected := nextCheck(0, p, secs(100)).Add(checkEvery)
	if got := sink.eventTimes(models.EventDetected); !slices.Equal(got, []sim.Time{detected}) {
		t.Fatalf("detected at %v, want %v (the second failing check)", got, detected)
	}
	restart := detected.Add(30 * sim.Second)
	for restart < secs(160) {
		restart = restart.Add(30 * sim.Second) // waits for the zone, retrying with the checks
	}
	loaded := restart.Add(30 * sim.Second)
	healthy := nextCheck(0, p, loaded).Add(4 * checkEvery)
	var during, down int
	for _, at := range sink.completed {
		switch {
		case at > secs(100) && at < loaded:
			down++
		case at >= loaded && at < healthy:
			during++
		}
	}
	if down != 0 {
		t.Errorf("%d requests completed while the instance was down", down)
	}
	if want := int(healthy.Sub(loaded).Seconds()*2) - 1; during < want {
		t.Errorf("%d completed between the model loading (%v) and the healthy threshold (%v), want at least %d: the load balancer must fail open",
			during, loaded, healthy, want)
	}
}

// TestIdleTimeoutAnswers504: one slot serving 1 s requests gets 2 a
// second with no queue limit. The load balancer answers 504 after its 60 s
// idle timeout (counted timed out), whether the server then serves the
// abandoned request anyway or skips it; no client waits longer. Under such
// overload a FIFO queue completes little in time either way: once the
// queue is a minute deep, every request it starts has waited about a
// minute already.
func TestIdleTimeoutAnswers504(t *testing.T) {
	for _, policy := range []models.AbandonPolicy{models.ServeAbandoned, models.SkipAbandoned} {
		st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
		cfg := models.Config{
			Horizon: sim.Time(10 * sim.Minute),
			Service: models.ServiceConfig{Demand: det(t, 1), OnTimeout: policy},
			Door:    models.LoadBalancer{IdleTimeout: 60 * sim.Second},
		}
		sink, _ := timeline(t, st, cfg, 2)
		if c := sink.outcomes[models.Completed]; c < 55 || c > 125 {
			t.Errorf("policy %d: %d completed, want about the first minute's 60 to 120", policy, c)
		}
		if to := sink.outcomes[models.TimedOut]; to < 900 {
			t.Errorf("policy %d: %d timed out, want over 900 504s", policy, to)
		}
		for _, l := range sink.latencies {
			if l > 60 {
				t.Fatalf("policy %d: a request completed after %v s, past the idle timeout", policy, l)
			}
		}
	}
}

// TestClientTimeoutShorterThanIdle: the client's own 5 s timeout applies
// before the load balancer's 60 s.
func TestClientTimeoutShorterThanIdle(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon: sim.Time(5 * sim.Minute),
		Service: models.ServiceConfig{Demand: det(t, 1), Timeout: 5 * sim.Second, OnTimeout: models.SkipAbandoned},
		Door:    models.LoadBalancer{IdleTimeout: 60 * sim.Second},
	}
	sink, _ := timeline(t, st, cfg, 2)
	for _, l := range sink.latencies {
		if l > 5 {
			t.Fatalf("a request completed after %v s, past the client's 5 s", l)
		}
	}
}

// TestFullQueueRefuses: with a queue limit of 10, an overloaded instance
// refuses what does not fit (a model server's 503) and holds at most its
// slots and its queue.
func TestFullQueueRefuses(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon: sim.Time(5 * sim.Minute),
		Service: models.ServiceConfig{Demand: det(t, 1), QueueLimit: 10},
		MaxHeld: 20,
	}
	sink, _ := timeline(t, st, cfg, 2)
	if r := sink.outcomes[models.Rejected]; r < 280 || r > 310 {
		t.Errorf("%d refused, want about 300 (half of 600 arrivals)", r)
	}
}

// TestHeldBudgetStopsAnUnboundedRun: with no queue limit, no timeout and
// an idle timeout turned off, an overloaded instance's queue grows without
// bound; the run stops with a *HeldLimitError naming the strategy instead
// of exhausting memory. The same load with the idle timeout and skipped
// abandoned requests stays within the budget.
func TestHeldBudgetStopsAnUnboundedRun(t *testing.T) {
	run := func(idle sim.Duration, policy models.AbandonPolicy) error {
		cfg := models.Config{
			Horizon: sim.Time(10 * sim.Minute),
			Service: models.ServiceConfig{Demand: det(t, 1), WorkersPerVCPU: 1, OnTimeout: policy},
			Catalog: testCatalog(t),
			Fleet:   models.Group{},
			Door:    models.LoadBalancer{IdleTimeout: idle},
			MaxHeld: 7_000,
			Checks:  true,
		}
		st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"}}
		sys, err := models.NewSystem(cfg, &evenArrivals{gap: 10 * sim.Millisecond}, st, &ledgerSink{}, sim.NewStreams(3))
		if err != nil {
			t.Fatal(err)
		}
		_, err = sys.Run()
		return err
	}
	var held *models.HeldLimitError
	if err := run(0, models.ServeAbandoned); !errors.As(err, &held) || held.Strategy != "scripted" || held.Limit != 7_000 {
		t.Errorf("unbounded run: error %v, want a *HeldLimitError for strategy scripted", err)
	} else if held.At > secs(80) {
		t.Errorf("stopped at %v, want within the first 80 s (100 a second over a budget of 7,000)", held.At)
	}
	if err := run(60*sim.Second, models.SkipAbandoned); err != nil {
		t.Errorf("idle timeout with skipped abandoned requests: %v, want the run to stay within the budget", err)
	}
	if err := run(60*sim.Second, models.ServeAbandoned); !errors.As(err, &held) {
		t.Errorf("idle timeout with served abandoned requests: %v, want the budget to stop it", err)
	}
}

// TestLifecycleAsActivitiesRecordIt: the launch at 60 s is reported with
// its zone, running at 75 s (a launch activity ends when the instance is
// InService, which is when EC2 reports it running:
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html);
// the scale-in at 300 s starts its termination, which ends once it has
// drained; the initial instance is never reported. The samples count the
// group as its metrics do.
func TestLifecycleAsActivitiesRecordIt(t *testing.T) {
	st := scaleOutAt60()
	st.plan[secs(300)] = strategies.Decision{Desired: 1}
	cfg := models.Config{
		Horizon:   sim.Time(10 * sim.Minute),
		Zones:     2,
		Lifecycle: models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 10), Startup: det(t, 20)},
	}
	sink, _ := timeline(t, st, cfg, 5)
	var got []string
	for _, e := range sink.life {
		got = append(got, fmt.Sprintf("%v %s %d", e.at, e.what, e.id))
	}
	if len(sink.life) != 4 || sink.life[0] != (lifeEvent{secs(60), "launched", 1, 1, models.CauseCapacity}) ||
		sink.life[1] != (lifeEvent{at: secs(75), what: "running", id: 1}) ||
		sink.life[2].what != "terminating" || sink.life[2].at != secs(300) || sink.life[2].cause != models.CauseCapacity ||
		sink.life[3].what != "terminated" || sink.life[3].at < secs(300) || sink.life[3].at > secs(301) ||
		sink.life[2].id != sink.life[3].id {
		t.Errorf("lifecycle %q; want launched 1 in zone b at 60s, running at 75s, then one terminating at 5m0s and terminated once drained", got)
	}
	for _, c := range []struct {
		end                                  sim.Time
		desired, inService, pending, serving int
	}{
		{secs(120), 2, 2, 0, 2},
		{secs(360), 1, 1, 0, 1},
	} {
		for _, s := range sink.samples {
			if s.End == c.end && (s.Desired != c.desired || s.GroupInService != c.inService || s.GroupPending != c.pending || s.InService != c.serving) {
				t.Errorf("sample at %v: desired %d, group in service %d, pending %d, serving %d; want %d, %d, %d, %d",
					c.end, s.Desired, s.GroupInService, s.GroupPending, s.InService, c.desired, c.inService, c.pending, c.serving)
			}
		}
	}
}
