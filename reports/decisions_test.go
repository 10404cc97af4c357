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

// TestLatencyCDFIsMonotone: the CDF rises from the smallest latency to the
// largest, within the histogram's precision of the exact quantiles.
func TestLatencyCDFIsMonotone(t *testing.T) {
	c := NewCollector(CollectorConfig{Horizon: sim.Time(sim.Hour)})
	for i := 1; i <= 1000; i++ {
		at := sim.Time(sim.Duration(i) * sim.Second)
		c.Arrived(at)
		c.Finished(at, at.Add(sim.Duration(i)*sim.Millisecond), models.Completed)
	}
	cdf := c.LatencyCDF("x")
	if len(cdf.Points) < 10 || cdf.Strategy != "x" {
		t.Fatalf("cdf %+v", cdf)
	}
	for i := 1; i < len(cdf.Points); i++ {
		if cdf.Points[i].LatencyMS <= cdf.Points[i-1].LatencyMS || cdf.Points[i].Fraction <= cdf.Points[i-1].Fraction {
			t.Fatalf("not increasing at %d: %+v", i, cdf.Points)
		}
	}
	last := cdf.Points[len(cdf.Points)-1]
	if last.LatencyMS != 1000 || last.Fraction != 1 {
		t.Fatalf("last point %+v, want 1000 ms at 1", last)
	}
	for _, p := range cdf.Points {
		exact := p.Fraction * 1000
		if p.Fraction < 1 && (p.LatencyMS < exact*0.99-1 || p.LatencyMS > exact*1.01+1) {
			t.Fatalf("point %+v, exact quantile %.1f ms", p, exact)
		}
	}
}
