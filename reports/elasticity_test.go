package reports

import (
	"math"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
)

// minutes builds rows for minutes 0.. from demand and supply slots.
func minutes(demand, supply []int) []MinuteRow {
	rows := make([]MinuteRow, len(demand))
	for m := range rows {
		rows[m] = MinuteRow{Minute: m, Demand: demand[m], Slots: supply[m]}
	}
	return rows
}

func TestElasticityOf(t *testing.T) {
	demand := []int{10, 20, 40, 20, 10}
	tests := []struct {
		name   string
		demand []int
		supply []int
		want   Elasticity
	}{
		{"exact fit", demand, []int{10, 20, 40, 20, 10}, Elasticity{}},
		// Half the demand every minute: short by half of it, always.
		{"half the demand", demand, []int{5, 10, 20, 10, 5},
			Elasticity{UnderProvisioningAccuracy: 0.5, UnderProvisioningTimeshare: 1}},
		// A static 80: over by 7, 3, 1, 3, 7 times the demand.
		{"static above the peak", demand, []int{80, 80, 80, 80, 80},
			Elasticity{OverProvisioningAccuracy: 21.0 / 5, OverProvisioningTimeshare: 1}},
		// A static 20: over by 1 at either end, under by half at the peak.
		{"static at the mean", demand, []int{20, 20, 20, 20, 20},
			Elasticity{UnderProvisioningAccuracy: 0.5 / 5, OverProvisioningAccuracy: 2.0 / 5,
				UnderProvisioningTimeshare: 1.0 / 5, OverProvisioningTimeshare: 2.0 / 5}},
		// Supply a minute late: under by half while demand rises, over by
		// the demand while it falls; at the peak's turn supply still
		// rises (20→40) as demand falls (40→20): one step of four.
		{"a minute late", demand, []int{10, 10, 20, 40, 20},
			Elasticity{UnderProvisioningAccuracy: (0.5 + 0.5) / 5, OverProvisioningAccuracy: (1 + 1) / 5.0,
				UnderProvisioningTimeshare: 2.0 / 5, OverProvisioningTimeshare: 2.0 / 5, Instability: 1.0 / 4}},
		// Supply moving against demand at every step.
		{"against demand", []int{10, 20, 10, 20}, []int{20, 10, 20, 10},
			Elasticity{UnderProvisioningAccuracy: 1.0 / 4, OverProvisioningAccuracy: 2.0 / 4,
				UnderProvisioningTimeshare: 0.5, OverProvisioningTimeshare: 0.5, Instability: 1}},
		// A minute without demand is not measured, and breaks the steps
		// around it: 10→0→20 with supply 20→5→10 is no step at all.
		{"a minute without arrivals", []int{10, 0, 20}, []int{20, 5, 10},
			Elasticity{UnderProvisioningAccuracy: 0.5 / 2, OverProvisioningAccuracy: 1.0 / 2,
				UnderProvisioningTimeshare: 0.5, OverProvisioningTimeshare: 0.5}},
		{"no demand at all", []int{0, 0}, []int{4, 4}, Elasticity{}},
		{"no minutes", nil, nil, Elasticity{}},
	}
	for _, tc := range tests {
		got := elasticityOf(minutes(tc.demand, tc.supply))
		if !nearElasticity(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestElasticityOfSkipsMinutesApart(t *testing.T) {
	// Rows of minutes 0 and 2 (minute 1 cut away) make no step.
	rows := []MinuteRow{{Minute: 0, Demand: 10, Slots: 20}, {Minute: 2, Demand: 20, Slots: 10}}
	if got := elasticityOf(rows).Instability; got != 0 {
		t.Errorf("instability %v across a missing minute, want 0", got)
	}
}

// nearElasticity compares every figure to within 1e-12.
func nearElasticity(a, b Elasticity) bool {
	for _, p := range [][2]float64{
		{a.UnderProvisioningAccuracy, b.UnderProvisioningAccuracy}, {a.OverProvisioningAccuracy, b.OverProvisioningAccuracy},
		{a.UnderProvisioningTimeshare, b.UnderProvisioningTimeshare}, {a.OverProvisioningTimeshare, b.OverProvisioningTimeshare},
		{a.Instability, b.Instability},
	} {
		if math.Abs(p[0]-p[1]) > 1e-12 {
			return false
		}
	}
	return true
}

func TestCollectorElasticityMeasuredMinutes(t *testing.T) {
	// 600 arrivals a minute (10 req/s) at 50 ms against a 300 ms p99: 2
	// slots (M/M/1's p99 is 4.6/(20−10) = 460 ms; M/M/2's is within).
	// Minute 0 is warm-up; minute 1 has a 1-slot fleet, minute 2 a 4-slot
	// one.
	c := NewCollector(CollectorConfig{Warmup: at(mn), Horizon: at(3 * mn), SLO: 300 * ms, ServiceMeanS: 0.05})
	slots := []int{1, 1, 4}
	for m := range 3 {
		for i := range 600 {
			a := at(sim.Duration(m)*mn + sim.Duration(i)*100*ms)
			c.Arrived(a)
			c.Finished(a, a.Add(50*ms), models.Completed)
		}
		c.Sampled(modelsSample(m, slots[m]))
	}
	rows := c.Series("x")
	for m, r := range rows {
		if r.Demand != 2 {
			t.Errorf("minute %d: demand %d, want 2", m, r.Demand)
		}
	}
	want := Elasticity{UnderProvisioningAccuracy: 0.5 / 2, OverProvisioningAccuracy: 1.0 / 2,
		UnderProvisioningTimeshare: 0.5, OverProvisioningTimeshare: 0.5}
	if got := c.Summary("x", "static").Elasticity; !nearElasticity(got, want) {
		t.Errorf("elasticity %+v, want %+v (warm-up minute left out)", got, want)
	}
	// Without a mean service time there is no demand and no figure.
	c = NewCollector(CollectorConfig{Warmup: at(mn), Horizon: at(3 * mn), SLO: 300 * ms})
	c.Arrived(at(90 * sec))
	c.Finished(at(90*sec), at(90*sec+50*ms), models.Completed)
	c.Sampled(modelsSample(1, 4))
	if got := c.Summary("x", "static").Elasticity; got != (Elasticity{}) {
		t.Errorf("elasticity without a service mean %+v, want none", got)
	}
}

// modelsSample is minute m's fleet sample with the given worker slots, one
// instance per slot.
func modelsSample(m, slots int) models.FleetSample {
	return models.FleetSample{Start: at(sim.Duration(m) * mn), End: at(sim.Duration(m+1) * mn), InService: slots, Slots: slots}
}
