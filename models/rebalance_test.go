package models_test

import (
	"math"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// TestZoneRebalanceLaunchesBeforeTerminating follows the EC2 Auto Scaling
// user guide, "Rebalancing activities" and "Instance maintenance policies"
// (https://docs.aws.amazon.com/autoscaling/ec2/userguide/auto-scaling-benefits.html):
// when a zone comes back, the group launches in it first and terminates in
// the fullest zone after, and may exceed its size by 10% or one instance,
// whichever is greater, meanwhile.
//
// Six instances over zones a, b, c; c is out from 100 s to 700 s, so its two
// are replaced in a and b (3, 3, 0). When c returns, two moves balance the
// zones; with a maximum of 6 the group may hold 7, so it moves one instance
// at a time: a launch in c, then, once that serves, a termination in the
// fullest zone, twice. It never holds more than 7 and ends at 2, 2, 2.
func TestZoneRebalanceLaunchesBeforeTerminating(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 6, InstanceType: "t.c1"}}
	cfg := models.Config{
		Horizon:     sim.Time(30 * sim.Minute),
		SampleEvery: 10 * sim.Second,
		Zones:       3,
		Failures:    models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 2, At: secs(100), For: 600 * sim.Second}}},
		Lifecycle:   models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 10), Startup: det(t, 20)},
		Fleet:       models.Group{Max: 6},
	}
	sink, _ := timeline(t, st, cfg, 10)
	var moves []fleetEvent
	for _, e := range sink.events {
		if e.kind == models.EventRebalance {
			moves = append(moves, e)
		}
	}
	want := []string{"launched in zone c", "zone a) leaves", "launched in zone c", "zone b) leaves"}
	if len(moves) != len(want) {
		t.Fatalf("rebalance events %+v, want %d: %v", moves, len(want), want)
	}
	for i, w := range want {
		if !strings.Contains(moves[i].detail, w) {
			t.Errorf("rebalance event %d at %v: %q, want %q", i, moves[i].at, moves[i].detail, w)
		}
	}
	if moves[0].at != secs(700) {
		t.Errorf("first rebalance launch at %v, want 700 s, when zone c is back", moves[0].at)
	}
	for i := 1; i < len(moves); i += 2 {
		if moves[i].at <= moves[i-1].at {
			t.Errorf("termination %d at %v not after its launch at %v", i, moves[i].at, moves[i-1].at)
		}
	}
	for _, s := range sink.samples {
		if n := s.InService + s.Pending; n > 7 {
			t.Fatalf("at %v the group holds %d instances, more than its maximum 6 plus one", s.End, n)
		}
	}
	if last := sink.samples[len(sink.samples)-1]; last.InService != 6 || last.Pending != 0 {
		t.Errorf("at the end %d in service and %d pending, want 6 and 0", last.InService, last.Pending)
	}
}

// TestScaleInDuringRebalanceKeepsNoExtra: whenever a scale-in to 3 comes
// while the group rebalances (9 instances, zone a back at 700 s), the
// group ends with 3 instances: a rebalance launch taken by the scale-in is
// forgotten, and nothing is kept above the desired capacity for it.
func TestScaleInDuringRebalanceKeepsNoExtra(t *testing.T) {
	for at := 700; at <= 820; at += 10 { // the strategy decides every 10 s
		st := &scripted{initial: strategies.Decision{Desired: 9, InstanceType: "t.c1"},
			plan: map[sim.Time]strategies.Decision{secs(float64(at)): {Desired: 3}}}
		cfg := models.Config{
			Horizon:     sim.Time(30 * sim.Minute),
			SampleEvery: 10 * sim.Second,
			Zones:       3,
			Failures:    models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: secs(100), For: 600 * sim.Second}}},
			Lifecycle:   models.LifecycleConfig{Pending: det(t, 15), Boot: det(t, 10), Startup: det(t, 20), Deregistration: 30 * sim.Second},
			Fleet:       models.Group{Max: 10}, // two rebalance launches at once
		}
		sink, stats := timeline(t, st, cfg, 10)
		last := sink.samples[len(sink.samples)-1]
		if last.InService != 3 || last.Pending != 0 {
			t.Errorf("scale-in at %d s: %d in service and %d pending at the end, want 3 and 0", at, last.InService, last.Pending)
		}
		// Billed for no more than 3 instances over the last ten minutes.
		var before float64
		for _, s := range sink.samples {
			if s.End == sim.Time(20*sim.Minute) {
				before = s.CostUSD
			}
		}
		if rate := (stats.CostUSD - before) / (10.0 / 60); rate > 3*0.36+1e-9 {
			t.Errorf("scale-in at %d s: billed %.4f $/h at the end, more than three t.c1", at, rate)
		}
	}
}

// TestFailureWhileDrainingEndsTheInstance: a draining instance is no
// longer checked by the load balancer, so when it fails it is terminated
// at once (it was being terminated anyway): what it held is lost and its
// bill stops. Here a blue/green resize at 10 s launches a t.c2 in zone b;
// once it is healthy (by 40 s) the t.c1 in zone a drains, holding 100 s
// requests, and zone a fails at 60 s.
func TestFailureWhileDrainingEndsTheInstance(t *testing.T) {
	st := &scripted{initial: strategies.Decision{Desired: 1, InstanceType: "t.c1"},
		plan: map[sim.Time]strategies.Decision{secs(10): {Desired: 1, InstanceType: "t.c2"}}}
	cfg := models.Config{
		Horizon:   sim.Time(200 * sim.Second),
		Zones:     2,
		Service:   models.ServiceConfig{Demand: det(t, 100)},
		Lifecycle: models.LifecycleConfig{Deregistration: 3600 * sim.Second},
		Failures:  models.FailureConfig{ZoneOutages: []models.ZoneOutage{{Zone: 0, At: secs(60), For: sim.Hour}}},
		Fleet:     models.Resizable{Mode: models.BlueGreen},
	}
	sink, stats := timeline(t, st, cfg, 0.25)
	if sink.outcomes[models.Dropped] == 0 {
		t.Errorf("outcomes %v, want the draining instance's requests dropped", sink.outcomes)
	}
	// t.c1 from 0 to 60 s, t.c2 from 10 s to the end.
	if want := (0.36*60 + 0.72*190) / 3600; math.Abs(stats.CostUSD-want) > 1e-9 {
		t.Errorf("cost %.6f, want %.6f: the failed draining instance billed to 60 s only", stats.CostUSD, want)
	}
}
