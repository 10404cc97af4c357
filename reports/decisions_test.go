package reports

import (
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// TestDecisionLogRecordsWhenCapacityArrived: a scale-out from 2 to 4 at
// 3 min is reached in the minute ending at 7 min; a scale-in to 2 at 9 min
// in the minute ending at 10 min.
func TestDecisionLogRecordsWhenCapacityArrived(t *testing.T) {
	c := NewCollector(CollectorConfig{Horizon: sim.Time(12 * sim.Minute)})
	in := []int{2, 2, 2, 2, 2, 3, 4, 4, 4, 2, 2, 2}
	for m := range 12 {
		at := sim.Time(sim.Duration(m) * sim.Minute)
		switch m {
		case 3:
			c.Decided(at, strategies.Decision{Desired: 4, Reason: "alarm high"}, strategies.FleetView{Desired: 2, InService: 2, InstanceType: "m5.xlarge"})
		case 9:
			c.Decided(at, strategies.Decision{Desired: 2, Reason: "alarm low"}, strategies.FleetView{Desired: 4, InService: 4, InstanceType: "m5.xlarge"})
		}
		pending := 0
		if m >= 3 && m < 6 {
			pending = 4 - in[m]
		}
		c.Sampled(models.FleetSample{Start: at, End: at.Add(sim.Minute), InService: in[m], Pending: pending})
	}
	c.FleetEvent(sim.Time(5*sim.Minute), models.EventFailure, "instance 1 failed")
	got := c.Decisions("asg")
	if len(got) != 2 {
		t.Fatalf("decisions %+v", got)
	}
	if got[0].ReachedAt != sim.Time(7*sim.Minute) || got[0].From != 2 || got[0].To != 4 || got[0].Strategy != "asg" || got[0].InstanceType != "m5.xlarge" {
		t.Errorf("scale-out record %+v, want reached at 7m", got[0])
	}
	if got[1].ReachedAt != sim.Time(10*sim.Minute) {
		t.Errorf("scale-in record %+v, want reached at 10m", got[1])
	}
	if ev := c.Events("asg"); len(ev) != 1 || ev[0].Kind != models.EventFailure || ev[0].Strategy != "asg" {
		t.Errorf("events %+v", ev)
	}
}
