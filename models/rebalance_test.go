package models_test

import (
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
