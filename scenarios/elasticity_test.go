package scenarios

import (
	"testing"

	"github.com/scalesim/scalesim/reports"
)

// TestElasticityOfStaticFleets runs the M/M/c teaching scenario at 100
// req/s of 50 ms (a demand of about 7 slots) with a fleet far too small
// (one m5.xlarge, 4 slots) and one far too large (50, 200 slots): the
// first is under-provisioned every measured minute, the second over, and
// neither moves, so neither is unstable.
func TestElasticityOfStaticFleets(t *testing.T) {
	elasticity := func(count string) (reports.Elasticity, []reports.MinuteRow) {
		t.Helper()
		sc, err := Builtin("mmc", []string{"duration=10m", "warmup=1m", "workload.rate=100", "strategies.fixed.count=" + count})
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, sc, RunOptions{Workers: 1})
		return res.Strategies[0].Elasticity, res.Series
	}

	small, series := elasticity("1")
	for _, m := range series {
		if m.Demand < 6 || m.Demand > 9 {
			t.Errorf("minute %d: demand %d slots for about 100 req/s of 50 ms, want 6 to 9", m.Minute, m.Demand)
		}
	}
	if small.UnderProvisioningTimeshare != 1 || small.OverProvisioningTimeshare != 0 || small.OverProvisioningAccuracy != 0 {
		t.Errorf("4 slots: %+v, want under-provisioned every minute and never over", small)
	}
	if small.UnderProvisioningAccuracy < 0.3 || small.UnderProvisioningAccuracy > 0.6 {
		t.Errorf("4 slots: under-provisioning accuracy %v, want about 1 − 4/7", small.UnderProvisioningAccuracy)
	}

	huge, _ := elasticity("50")
	if huge.OverProvisioningTimeshare != 1 || huge.UnderProvisioningTimeshare != 0 || huge.UnderProvisioningAccuracy != 0 {
		t.Errorf("200 slots: %+v, want over-provisioned every minute and never under", huge)
	}
	if huge.OverProvisioningAccuracy < 20 || huge.OverProvisioningAccuracy > 35 {
		t.Errorf("200 slots: over-provisioning accuracy %v, want about 200/7 − 1", huge.OverProvisioningAccuracy)
	}
	for _, e := range []reports.Elasticity{small, huge} {
		if e.Instability != 0 {
			t.Errorf("a static fleet's instability %v, want 0", e.Instability)
		}
	}
}

// TestStreamSupplyIsWhatLeasesLetWork: a stream consumer works on at most
// per_shard_concurrency records per shard it holds, so the default
// scenario's six consumers of 4 vCPUs on six shards supply 24 slots with a
// concurrency of 4 and 6 with a concurrency of 1, however many vCPUs sit
// idle, and the elasticity figures follow.
func TestStreamSupplyIsWhatLeasesLetWork(t *testing.T) {
	supply := func(concurrency string) (reports.Elasticity, int) {
		t.Helper()
		sc, err := Builtin("default", []string{"duration=20m", "warmup=2m",
			"strategies.kinesis.consumers.per_shard_concurrency=" + concurrency})
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, sc, RunOptions{Workers: 2, Strategies: []string{"kinesis"}})
		most := 0
		for _, m := range res.Series {
			most = max(most, m.Slots)
		}
		return res.Strategies[0].Elasticity, most
	}
	four, slots4 := supply("4")
	one, slots1 := supply("1")
	if slots4 != 24 || slots1 != 6 {
		t.Errorf("most slots supplied: %d with concurrency 4, %d with 1; want 24 and 6", slots4, slots1)
	}
	if one.UnderProvisioningAccuracy <= four.UnderProvisioningAccuracy {
		t.Errorf("under-provisioning accuracy %v with concurrency 1, %v with 4; want it larger with 1",
			one.UnderProvisioningAccuracy, four.UnderProvisioningAccuracy)
	}
}
