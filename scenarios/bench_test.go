package scenarios_test

import (
	"context"
	"fmt"
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
	benchVersusBareLoop(b, 50, 2800, 3600)
}

// BenchmarkFleetVersusBareLoop is BenchmarkMMc50VersusBareLoop for static
// fleets of 50 and 5,000 m5.xlarge at 70% utilisation (2,800 and 280,000
// req/s), each over as many simulated seconds as make about 10 million
// requests: the ratio of wall time per request to the bare loop's (target:
// at most 2 at either size).
func BenchmarkFleetVersusBareLoop(b *testing.B) {
	for _, n := range []int{50, 5000} {
		rate := 56.0 * float64(n) // 4 slots of 50 ms at 70%
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchVersusBareLoop(b, n, rate, 1e7/rate) })
	}
}

// benchVersusBareLoop runs scalesim on a static fleet of n × m5.xlarge at
// rate req/s for seconds, then the bare loop on the same model, and
// reports the ratio of their wall times per request.
func benchVersusBareLoop(b *testing.B, n int, rate, seconds float64) {
	sc, err := scenarios.Load(os.DirFS("testdata"), "mmc50.yaml", []string{
		fmt.Sprintf("strategies.fleet.count=%d", n), fmt.Sprintf("workload.rate=%g", rate),
		fmt.Sprintf("duration=%dms", int64(seconds*1000))})
	if err != nil {
		b.Fatal(err)
	}
	var ours, bare float64
	var oursReqs, bareReqs int64
	for i := 0; i < b.N; i++ {
		t0 := b.Elapsed()
		br := simtest.BareMMc(rate, n, 4, 0.05, seconds, uint64(i)+1)
		t1 := b.Elapsed()
		res, err := scenarios.Run(context.Background(), sc, scenarios.RunOptions{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		t2 := b.Elapsed()
		bare += (t1 - t0).Seconds()
		ours += (t2 - t1).Seconds()
		bareReqs += br.Arrivals
		oursReqs += res.Strategies[0].Requests.Arrived
	}
	b.ReportMetric(float64(oursReqs)/ours, "req/s")
	b.ReportMetric((ours/float64(oursReqs))/(bare/float64(bareReqs)), "x-bare-loop")
}
