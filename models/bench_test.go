package models_test

import (
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

type nullSink struct{ n int64 }

func (s *nullSink) Arrived(sim.Time)                                            {}
func (s *nullSink) Finished(_, _ sim.Time, _ models.Outcome)                    { s.n++ }
func (s *nullSink) Sampled(models.FleetSample)                                  {}
func (s *nullSink) Decided(sim.Time, strategies.Decision, strategies.FleetView) {}

// BenchmarkSystemMMc50 is the model alone (no workload shapes, no metrics):
// 50 × m5.xlarge at 2,800 req/s, exponential 50 ms, one simulated hour.
func BenchmarkSystemMMc50(b *testing.B) {
	cat := testCatalog(b)
	var reqs int64
	var events uint64
	for i := 0; i < b.N; i++ {
		demand, _ := models.NewSampler(models.DistConfig{Dist: "exponential", Mean: 0.05})
		st, _ := strategies.NewStatic("s", "m5.xlarge", 50)
		rs := sim.NewStreams(uint64(i) + 1)
		cfg := models.Config{
			Horizon: sim.Time(sim.Hour),
			Service: models.ServiceConfig{Demand: demand, WorkersPerVCPU: 1},
			Fleet:   models.Group{},
			Door:    models.LoadBalancer{},
			Catalog: cat,
		}
		sys, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: 2800}, st, &nullSink{}, rs)
		if err != nil {
			b.Fatal(err)
		}
		stats, err := sys.Run()
		if err != nil {
			b.Fatal(err)
		}
		reqs += stats.Arrivals
		events += stats.Events
	}
	b.ReportMetric(float64(reqs)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
