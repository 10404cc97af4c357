package models_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// TestSwarm runs many random small scenarios with every invariant checked
// after every event (ledger balance, clock, worker occupancy, cost), in the
// manner of a VOPR swarm. A failure names the seed that reproduces it.
func TestSwarm(t *testing.T) {
	seeds := 60
	if testing.Short() {
		seeds = 15
	}
	types := []string{"t.c1", "t.c2", "t.c4", "m5.xlarge"}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		r := rand.New(rand.NewPCG(seed, 99))
		typ := types[r.IntN(len(types))]
		k := 1 + r.IntN(6)
		routing := models.Routing(r.IntN(3))
		workers := 1 + r.IntN(3)
		limit := []int{0, 1, 5, 50}[r.IntN(4)]
		timeout := []sim.Duration{0, 30 * sim.Millisecond, 200 * sim.Millisecond, 2 * sim.Second}[r.IntN(4)]
		rate := 5 + r.Float64()*400
		dist := []models.DistConfig{
			{Dist: "exponential", Mean: 0.01 + r.Float64()*0.1},
			{Dist: "lognormal", Median: 0.02, P99: 0.5},
			{Dist: "deterministic", Value: 0.03},
			{Dist: "gamma", Mean: 0.05, CV: 2},
		}[r.IntN(4)]
		name := fmt.Sprintf("seed=%d %s×%d %s w=%d limit=%d timeout=%v rate=%.0f %s", seed, typ, k, routing, workers, limit, timeout, rate, dist)
		demand, err := models.NewSampler(dist)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st, _ := strategies.NewStatic("s", typ, k)
		rs := sim.NewStreams(seed)
		horizon := sim.Time(2*sim.Minute + sim.Duration(r.IntN(120))*sim.Second)
		sink := &ledgerSink{warmup: sim.Time(sim.Duration(r.IntN(30)) * sim.Second)}
		cfg := models.Config{
			Horizon: horizon,
			Service: models.ServiceConfig{Demand: demand, WorkersPerVCPU: workers, QueueLimit: limit, Timeout: timeout},
			Fleet:   models.Group{},
			Door:    models.LoadBalancer{Routing: routing},
			Catalog: testCatalog(t),
			Checks:  true,
		}
		sys, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: rate}, st, sink, rs)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		stats, err := sys.Run()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !sink.balanced() {
			t.Fatalf("%s: arrived %d but outcomes %v", name, sink.arrived, sink.outcomes)
		}
		if stats.CostUSD <= 0 {
			t.Fatalf("%s: cost %v", name, stats.CostUSD)
		}
		if timeout == 0 && sink.outcomes[models.TimedOut] != 0 {
			t.Fatalf("%s: timeouts without a timeout", name)
		}
		if limit == 0 && sink.outcomes[models.Rejected] != 0 {
			t.Fatalf("%s: rejections without a queue limit", name)
		}
		last := sim.Time(0)
		for _, s := range sink.samples {
			if s.End < last || s.CostUSD < 0 || s.Utilization < 0 || s.Utilization > 1+1e-9 {
				t.Fatalf("%s: bad sample %+v", name, s)
			}
			last = s.End
		}
		if last != horizon {
			t.Fatalf("%s: last sample at %v, horizon %v", name, last, horizon)
		}
	}
}

// TestCommonRandomNumbers: fleets of different size and routing see the same
// arrival instants and the same per-request service demands, because both
// come from streams no strategy touches and demands are drawn at arrival.
// With spare capacity nothing waits, so each request's latency is its
// demand and the two fleets' latencies must agree exactly, request by
// request (as multisets: completion order differs).
func TestCommonRandomNumbers(t *testing.T) {
	var hashes []uint64
	var latencies [][]float64
	for i, fleet := range []struct {
		typ     string
		k       int
		routing models.Routing
	}{{"t.c8", 30, models.Random}, {"m5.xlarge", 50, models.LeastOutstanding}, {"t.c4", 60, models.RoundRobin}} {
		st, _ := strategies.NewStatic("s", fleet.typ, fleet.k)
		rs := sim.NewStreams(77)
		sink := &ledgerSink{keep: true}
		cfg := models.Config{
			Horizon: sim.Time(5 * sim.Minute),
			Service: models.ServiceConfig{Demand: exponential(t, 0.05), WorkersPerVCPU: 1},
			Fleet:   models.Group{},
			Door:    models.LoadBalancer{Routing: fleet.routing},
			Catalog: testCatalog(t),
		}
		sys, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: 100}, st, sink, rs)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sys.Run(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(sink.latencies)
		hashes = append(hashes, sink.arrivalsH)
		latencies = append(latencies, sink.latencies)
		if i == 0 {
			continue
		}
		if hashes[i] != hashes[0] {
			t.Fatalf("fleet %d saw different arrivals", i)
		}
		// Nothing waits, so even the requests in flight at the horizon are
		// the same ones: the lists must be equal.
		if a, b := latencies[0], latencies[i]; !slices.Equal(a, b) {
			t.Fatalf("fleet %d drew different service demands (%d vs %d completions)", i, len(a), len(b))
		}
	}
}

// TestStaticBill: a fixed fleet of 3 m5.xlarge for 90 minutes costs
// 3 × 0.192 $/h × 1.5 h = $0.864, billed per second.
func TestStaticBill(t *testing.T) {
	st, _ := strategies.NewStatic("s", "m5.xlarge", 3)
	rs := sim.NewStreams(1)
	sink := &ledgerSink{}
	cfg := models.Config{
		Horizon: sim.Time(90 * sim.Minute),
		Service: models.ServiceConfig{Demand: exponential(t, 0.05), WorkersPerVCPU: 1},
		Fleet:   models.Group{},
		Door:    models.LoadBalancer{},
		Catalog: testCatalog(t),
	}
	sys, _ := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: 10}, st, sink, rs)
	stats, err := sys.Run()
	if err != nil {
		t.Fatal(err)
	}
	if d := stats.CostUSD - 0.864; d > 1e-9 || d < -1e-9 {
		t.Fatalf("cost %.6f, want 0.864000", stats.CostUSD)
	}
	last := sink.samples[len(sink.samples)-1]
	if last.InstanceSec != 3*5400 || len(sink.samples) != 90 {
		t.Fatalf("instance-seconds %v over %d samples, want 16200 over 90", last.InstanceSec, len(sink.samples))
	}
}

// TestTimeoutFreesNothingItNeverHeld: with one slot busy on a long request,
// queued requests time out and the slot stays with the long request.
func TestTimeoutFreesNothingItNeverHeld(t *testing.T) {
	det, _ := models.NewSampler(models.DistConfig{Dist: "deterministic", Value: 10})
	st, _ := strategies.NewStatic("s", "t.c1", 1)
	rs := sim.NewStreams(1)
	sink := &ledgerSink{keep: true}
	cfg := models.Config{
		Horizon: sim.Time(35 * sim.Second),
		Service: models.ServiceConfig{Demand: det, WorkersPerVCPU: 1, Timeout: 15 * sim.Second, OnTimeout: models.SkipAbandoned},
		Fleet:   models.Group{},
		Door:    models.LoadBalancer{},
		Catalog: testCatalog(t),
		Checks:  true,
	}
	src := &fixedArrivals{at: []sim.Time{0, sim.Time(sim.Second), sim.Time(2 * sim.Second), sim.Time(18 * sim.Second)}}
	sys, _ := models.NewSystem(cfg, src, st, sink, rs)
	if _, err := sys.Run(); err != nil {
		t.Fatal(err)
	}
	// Request 0 holds the slot from 0 to 10 s. Request 1 starts at 10 s; its
	// client gives up at 16 s while it is served, but the slot still does
	// the work until 20 s. Request 2 waits in the queue and its client gives
	// up at 17 s: it never held the slot and frees nothing. Request 3 arrives
	// at 18 s, gets the slot at 20 s (skipping the abandoned request 2) and
	// completes at 30 s after 12 s.
	want := [5]int64{models.Completed: 2, models.TimedOut: 2}
	if sink.outcomes != want {
		t.Fatalf("outcomes %v, want %v", sink.outcomes, want)
	}
	if len(sink.latencies) != 2 || sink.latencies[0] != 10 || sink.latencies[1] != 12 {
		t.Fatalf("latencies %v, want [10 12]", sink.latencies)
	}
}

type fixedArrivals struct {
	at []sim.Time
	i  int
}

func (f *fixedArrivals) Next() (sim.Time, bool) {
	if f.i >= len(f.at) {
		return 0, false
	}
	f.i++
	return f.at[f.i-1], true
}
func (f *fixedArrivals) Err() error { return nil }
