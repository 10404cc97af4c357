package simtest

import (
	"testing"

	"github.com/scalesim/scalesim/queueing"
)

// TestBareMMcAgreesWithErlangC keeps the yardstick honest: a yardstick that
// computed the wrong model would flatter or shame the engine.
func TestBareMMcAgreesWithErlangC(t *testing.T) {
	// 10 M/M/4 queues at rho 0.7 each via round robin are not exactly M/M/4
	// (round robin smooths arrivals), so compare with one server group.
	res := BareMMc(56, 1, 4, 0.05, 20000, 3)
	want := queueing.MMcMeanSojourn(4, 56, 20) * 1000
	if d := res.MeanMS/want - 1; d > 0.03 || d < -0.03 {
		t.Fatalf("bare loop mean %.2f ms, Erlang C %.2f ms", res.MeanMS, want)
	}
}

// BenchmarkBareLoop is the engine's yardstick: 50 × 4 slots at 2,800 req/s,
// exponential 50 ms, one simulated hour (about 10 million requests).
func BenchmarkBareLoop(b *testing.B) {
	var n int64
	for i := 0; i < b.N; i++ {
		n += BareMMc(2800, 50, 4, 0.05, 3600, uint64(i)+1).Arrivals
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "req/s")
}
