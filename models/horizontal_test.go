package models_test

import (
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// stepArrivals arrive evenly at rates[i] req/s during [at[i], at[i+1]).
type stepArrivals struct {
	at    []sim.Time
	rates []float64
	t     sim.Time
	i     int
}

func (s *stepArrivals) Next() (sim.Time, bool) {
	for {
		gap := sim.FromSeconds(1 / s.rates[s.i])
		next := s.t.Add(gap)
		if s.i+1 < len(s.at) && next >= s.at[s.i+1] {
			s.t = s.at[s.i+1]
			s.i++
			continue
		}
		s.t = next
		return next, true
	}
}
func (s *stepArrivals) Err() error { return nil }

// TestTargetTrackingTimeline: a target-tracking group (cpu 50%) facing a
// traffic step at 10 min and a drop at 40 min, with CloudWatch's one-minute
// periods published 60 s late.
//   - the first scale-out comes no earlier than the third high datapoint is
//     published: periods ending 11, 12 and 13 min, readable at 14 min;
//   - new instances serve only after boot, model load and health checks;
//   - scale-in needs 15 low datapoints and never happens while an instance
//     is warming up.
//
// Reference: docs/aws-behaviour.md §1.2, §1.3, §2.2.
func TestTargetTrackingTimeline(t *testing.T) {
	warm := 5 * sim.Minute
	h, err := strategies.NewHorizontal(strategies.HorizontalConfig{
		Name: "asg", InstanceType: "t.c4", Min: 2, Max: 10,
		Policies:              []strategies.PolicyConfig{{Type: "target_tracking", Metric: "cpu", Target: 50}},
		DefaultInstanceWarmup: &warm,
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := models.Config{
		Horizon:     sim.Time(90 * sim.Minute),
		Service:     models.ServiceConfig{Demand: det(t, 0.1), WorkersPerVCPU: 1},
		Fleet:       models.Group{},
		Door:        models.LoadBalancer{},
		Catalog:     testCatalog(t),
		SampleEvery: 10 * sim.Second,
		Monitor:     models.MonitorConfig{Delay: 60 * sim.Second, Warmup: h.InstanceWarmup()},
		Lifecycle:   models.LifecycleConfig{Boot: det(t, 40), Startup: det(t, 30)},
		Checks:      true,
	}
	// 2 × t.c4 serve 80 req/s at 100%: 30 req/s is 37.5% CPU; 120 req/s
	// saturates them.
	src := &stepArrivals{at: []sim.Time{0, sim.Time(10 * sim.Minute), sim.Time(40 * sim.Minute)}, rates: []float64{30, 120, 30}}
	sink := &ledgerSink{}
	rec := &recording{Strategy: h}
	sys, err := models.NewSystem(cfg, src, rec, sink, sim.NewStreams(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sys.Run(); err != nil {
		t.Fatal(err)
	}
	if len(sink.decided) < 2 {
		t.Fatalf("decisions %+v, want a scale-out and a scale-in", sink.decided)
	}
	out := sink.decided[0]
	if out.at < sim.Time(14*sim.Minute) || out.d.Desired <= 2 {
		t.Fatalf("first decision %+v at %v: want a scale-out no earlier than 14m", out.d, out.at)
	}
	if out.at > sim.Time(15*sim.Minute) {
		t.Errorf("first scale-out at %v, want by 15m", out.at)
	}
	t.Logf("scale-out at %v: %s", out.at, out.d.Reason)
	// New capacity: launched at out.at, running at once (no pending time
	// here), its OS and model up 70 s later; two 30 s health checks have
	// failed by then, so it serves after five passing ones, at most 220 s
	// after the launch.
	loaded, ready := out.at.Add(70*sim.Second), out.at.Add(220*sim.Second)
	for _, s := range sink.samples {
		if s.End > out.at && s.End <= loaded && s.InService != 2 {
			t.Fatalf("at %v, %d serving before boot and model load finished (%v)", s.End, s.InService, loaded)
		}
		if s.End == ready.Add(10*sim.Second) && s.InService != out.d.Desired {
			t.Fatalf("at %v, %d serving, want %d", s.End, s.InService, out.d.Desired)
		}
	}
	var in strategies.Decision
	var inAt sim.Time
	for _, d := range sink.decided {
		if d.d.Desired < d.before.Desired {
			in, inAt = d.d, d.at
			if d.before.Warming != 0 {
				t.Fatalf("scale-in at %v while %d instances warm up", d.at, d.before.Warming)
			}
			break
		}
	}
	if inAt == 0 {
		t.Fatal("no scale-in after the drop")
	}
	// The scale-in came at the first decision whose 15 latest published
	// periods were all below 0.9 × 50% CPU, and not before.
	first := sim.Time(-1)
	for _, obs := range rec.seen {
		p := obs.Periods
		if len(p) < 15 {
			continue
		}
		low := true
		for _, q := range p[len(p)-15:] {
			low = low && q.Instances > 0 && q.CPU < 45
		}
		if low && obs.Fleet.Warming == 0 && obs.Fleet.Pending == 0 {
			first = obs.Now
			break
		}
	}
	if inAt != first {
		t.Fatalf("scale-in at %v, but 15 low datapoints were first readable with nothing warming at %v", inAt, first)
	}
	t.Logf("scale-in at %v: %s", inAt, in.Reason)
	// A period's Load totals every in-service instance, warming ones
	// included, for predictive scaling (docs/aws-behaviour.md §1.7).
	warming := false
	for _, q := range rec.seen[len(rec.seen)-1].Periods {
		covered := q.RequestsPerTarget * float64(q.Instances)
		if q.Load.Instances < q.Instances || q.Load.Requests < covered-1e-9 {
			t.Fatalf("period %v–%v: load %+v below the covered instances' (%d, %.0f requests)", q.Start, q.End, q.Load, q.Instances, covered)
		}
		warming = warming || (q.Instances > 0 && q.Load.Instances > q.Instances && q.Load.Requests > covered)
	}
	if !warming {
		t.Error("no period's load counts an instance in warm-up")
	}
}

// recording passes decisions through and keeps every observation.
type recording struct {
	strategies.Strategy
	seen []strategies.Observation
}

func (r *recording) Decide(obs strategies.Observation) strategies.Decision {
	obs.Periods = append([]strategies.Period(nil), obs.Periods...)
	r.seen = append(r.seen, obs)
	return r.Strategy.Decide(obs)
}
