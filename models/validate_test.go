package models_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/queueing"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// mmcRun simulates k instances of typ behind random routing, fed by Poisson
// arrivals at lambda per second with exponential service of mean meanS.
// Random routing splits a Poisson stream into independent Poisson streams, so
// each instance is an M/M/c queue.
func mmcRun(t *testing.T, typ string, k int, lambda float64, demand models.Sampler, horizon, warmup sim.Duration, seed uint64, checks bool) (*ledgerSink, models.RunStats) {
	t.Helper()
	st, err := strategies.NewStatic("fleet", typ, k)
	if err != nil {
		t.Fatal(err)
	}
	rs := sim.NewStreams(seed)
	sink := &ledgerSink{warmup: sim.Time(warmup), keep: true}
	cfg := models.Config{
		Horizon: sim.Time(horizon),
		Service: models.ServiceConfig{Demand: demand, WorkersPerVCPU: 1},
		Fleet:   models.Group{},
		Door:    models.LoadBalancer{Routing: models.Random},
		Catalog: testCatalog(t),
		Checks:  checks,
	}
	sys, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: lambda}, st, sink, rs)
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

func exponential(t *testing.T, mean float64) models.Sampler {
	t.Helper()
	s, err := models.NewSampler(models.DistConfig{Dist: "exponential", Mean: mean})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMMcAgainstErlangC compares simulated sojourn times with the exact
// M/M/c results: mean within 2%, median and p99 within 3%.
func TestMMcAgainstErlangC(t *testing.T) {
	if raceDetector {
		t.Skip("a statistical validation without concurrency: the run without the race detector checks it")
	}
	cases := []struct {
		typ   string
		c, k  int
		rho   float64
		hours float64
	}{
		{"t.c1", 1, 8, 0.5, 6},
		{"t.c4", 4, 8, 0.85, 8},
		{"t.c8", 8, 6, 0.9, 8},
	}
	if testing.Short() {
		cases = cases[:1]
	}
	const meanS = 0.05
	mu := 1 / meanS
	for _, tc := range cases {
		t.Run(fmt.Sprintf("c=%d,rho=%.2f", tc.c, tc.rho), func(t *testing.T) {
			perQueue := tc.rho * float64(tc.c) * mu
			horizon := sim.FromSeconds(tc.hours * 3600)
			sink, _ := mmcRun(t, tc.typ, tc.k, perQueue*float64(tc.k), exponential(t, meanS), horizon, 5*sim.Minute, 11, false)
			n := float64(sink.outcomes[models.Completed])
			checks := []struct {
				name      string
				got, want float64
				tol       float64
			}{
				{"mean", sink.sumLat / n, queueing.MMcMeanSojourn(tc.c, perQueue, mu), 0.02},
				{"p50", sink.quantile(0.5), queueing.MMcSojournQuantile(tc.c, perQueue, mu, 0.5), 0.03},
				{"p99", sink.quantile(0.99), queueing.MMcSojournQuantile(tc.c, perQueue, mu, 0.99), 0.03},
			}
			for _, c := range checks {
				rel := c.got/c.want - 1
				t.Logf("%s: simulated %.5f s, Erlang C %.5f s (%+.2f%%, n=%.0f)", c.name, c.got, c.want, 100*rel, n)
				if math.Abs(rel) > c.tol {
					t.Errorf("%s sojourn %.5f s is %+.2f%% from Erlang C's %.5f s (tolerance %.0f%%)", c.name, c.got, 100*rel, c.want, 100*c.tol)
				}
			}
		})
	}
}

// TestMG1AgainstPollaczekKhinchine checks a single server with lognormal
// service against the Pollaczek–Khinchine mean.
func TestMG1AgainstPollaczekKhinchine(t *testing.T) {
	if raceDetector {
		t.Skip("a statistical validation without concurrency: the run without the race detector checks it")
	}
	ln, err := models.NewSampler(models.DistConfig{Dist: "lognormal", Median: 0.02, P99: 0.08})
	if err != nil {
		t.Fatal(err)
	}
	mean := ln.Mean()
	sigma := math.Log(0.08/0.02) / 2.3263478740408408
	second := math.Exp(2*math.Log(0.02) + 2*sigma*sigma) // E[S²] of a lognormal
	lambda := 0.7 / mean                                 // rho 0.7 per queue
	const k = 8
	sink, _ := mmcRun(t, "t.c1", k, lambda*k, ln, 6*sim.Hour, 5*sim.Minute, 5, false)
	got := sink.sumLat / float64(sink.outcomes[models.Completed])
	want := queueing.PollaczekKhinchineMeanSojourn(lambda, mean, second)
	t.Logf("M/G/1 mean sojourn: simulated %.5f s, Pollaczek–Khinchine %.5f s", got, want)
	if rel := got/want - 1; math.Abs(rel) > 0.02 {
		t.Errorf("M/G/1 mean sojourn %.5f s is %+.2f%% from Pollaczek–Khinchine's %.5f s", got, 100*rel, want)
	}
}

// TestLittlesLaw: the time-average number in the system equals the arrival
// rate times the mean sojourn.
func TestLittlesLaw(t *testing.T) {
	sink, stats := mmcRun(t, "t.c4", 3, 3*0.8*4*20, exponential(t, 0.05), 2*sim.Hour, 0, 3, false)
	lambda := float64(stats.Arrivals) / 7200
	w := sink.sumLat / float64(sink.outcomes[models.Completed])
	if rel := stats.MeanInSystem/queueing.LittleL(lambda, w) - 1; math.Abs(rel) > 0.01 {
		t.Errorf("L = %.4f but λW = %.4f (%+.2f%%)", stats.MeanInSystem, lambda*w, 100*rel)
	}
}
