package scenarios_test

import (
	"context"
	"os"
	"testing"

	"github.com/scalesim/scalesim/scenarios"
	"github.com/scalesim/scalesim/sim/simtest"
)

// BenchmarkMMc50 is the end-to-end speed target: scalesim running a static
// fleet of 50 × m5.xlarge at 2,800 req/s with exponential 50 ms service for
// one simulated hour (about 10 million requests), everything included
// (workload, model, metrics, summary). Compare its req/s with
// BenchmarkBareLoop in sim/simtest: the target is at least half of it.
func BenchmarkMMc50(b *testing.B) {
	sc, err := scenarios.Load(os.DirFS("testdata"), "mmc50.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	var reqs int64
	for i := 0; i < b.N; i++ {
		res, err := scenarios.Run(context.Background(), sc, scenarios.RunOptions{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		reqs += res.Strategies[0].Requests.Arrived
	}
	b.ReportMetric(float64(reqs)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkMMc50VersusBareLoop runs both in one process, one after the other,
// and reports the ratio of wall times (target: at most 2).
func BenchmarkMMc50VersusBareLoop(b *testing.B) {
	sc, err := scenarios.Load(os.DirFS("testdata"), "mmc50.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	var ours, bare float64
	for i := 0; i < b.N; i++ {
		t0 := b.Elapsed()
		simtest.BareMMc(2800, 50, 4, 0.05, 3600, uint64(i)+1)
		t1 := b.Elapsed()
		if _, err := scenarios.Run(context.Background(), sc, scenarios.RunOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
		t2 := b.Elapsed()
		bare += (t1 - t0).Seconds()
		ours += (t2 - t1).Seconds()
	}
	b.ReportMetric(ours/bare, "x-bare-loop")
}
