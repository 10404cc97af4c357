package workloads_test

import (
	"io"
	"testing"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// benchArrivals pulls b.N arrivals and reports the rate.
func benchArrivals(b *testing.B, cfg workloads.Config) {
	src := mustNew(b, cfg, 1)
	if c, ok := src.(io.Closer); ok {
		defer c.Close() // stops a trace's read-ahead
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, ok := src.Next(); !ok {
			b.Fatalf("source ended: %v", src.Err())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "arrivals/s")
}

func BenchmarkPoisson(b *testing.B) {
	benchArrivals(b, workloads.Config{Type: "poisson", Rate: 1000})
}

func BenchmarkDiurnal(b *testing.B) {
	benchArrivals(b, workloads.Config{Type: "diurnal", Base: 200, Peak: 2000, PeakHour: 14})
}

func BenchmarkSpike(b *testing.B) {
	benchArrivals(b, workloads.Config{Type: "spike", Base: 100, Peak: 5000, At: sim.Minute, Rise: sim.Minute, Hold: sim.Hour, Fall: sim.Hour})
}

// BenchmarkCountsReplay replays an endless generated counts file (20
// arrivals per second on average, one line of numbers).
func BenchmarkCountsReplay(b *testing.B) {
	benchArrivals(b, workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{
		Path: "gen", Format: "counts", Interval: sim.Second, RateScale: 10, Open: genOpen(-1, countLine)}})
}

// BenchmarkTimestampsReplay replays an endless generated timestamps file.
func BenchmarkTimestampsReplay(b *testing.B) {
	benchArrivals(b, workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{
		Path: "gen", Format: "timestamps", Open: genOpen(-1, secondsLine)}})
}
