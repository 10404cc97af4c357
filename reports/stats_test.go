package reports

import (
	"math"
	"strings"
	"testing"
)

func TestAggregateHalfWidthByHand(t *testing.T) {
	// Values 1..5: mean 3, s = sqrt(2.5) = 1.5811388, t(0.975, 4) = 2.7764451,
	// half-width = 2.7764451 * 1.5811388 / sqrt(5) = 1.9632432.
	var reps [][]StrategySummary
	for i := 1; i <= 5; i++ {
		reps = append(reps, []StrategySummary{{Name: "a", Type: "static",
			LatencyMS: Latency{P99: float64(i)}, ScalingActions: i}})
	}
	out, err := Aggregate(reps)
	if err != nil {
		t.Fatal(err)
	}
	s := out[0]
	if s.Name != "a" || s.Type != "static" {
		t.Errorf("identity lost: %q %q", s.Name, s.Type)
	}
	if s.LatencyMS.P99 != 3 || s.ScalingActions != 3 {
		t.Errorf("means: p99 %v, scaling_actions %v; want 3 and 3", s.LatencyMS.P99, s.ScalingActions)
	}
	const want = 1.9632432
	for _, k := range []string{"latency_ms.p99", "scaling_actions"} {
		if got := s.CI95HalfWidth[k]; math.Abs(got-want) > 1e-6 {
			t.Errorf("half-width of %s = %.7f, want %.7f", k, got, want)
		}
	}
	if got, ok := s.CI95HalfWidth["latency_ms.mean"]; !ok || got != 0 {
		t.Errorf("a constant figure's half-width = %v, %v; want 0, present", got, ok)
	}
	for _, k := range []string{"requests.arrived", "throughput_rps.peak_minute", "availability.minutes_meeting_slo",
		"cost_usd.stream", "capacity.instance_hours", "capacity.instances_max"} {
		if _, ok := s.CI95HalfWidth[k]; !ok {
			t.Errorf("no half-width for %s", k)
		}
	}
	for k := range s.CI95HalfWidth {
		if strings.HasPrefix(k, "name") || strings.HasPrefix(k, "type") || strings.HasPrefix(k, "ci95") {
			t.Errorf("half-width for non-figure %s", k)
		}
	}
	if len(s.CI95HalfWidth) != 37 {
		t.Errorf("%d half-widths, want one per numeric figure (37, warmup_cut_s, requests.reprocessed, elasticity.* and the nodes' included)", len(s.CI95HalfWidth))
	}
}

func TestAggregateTwoReplications(t *testing.T) {
	// N = 2: t(0.975, 1) = 12.7062047; values 10 and 14: s = 2.8284271,
	// half-width = 12.7062047 * 2.8284271 / sqrt(2) = 25.4124094.
	reps := [][]StrategySummary{
		{{Name: "a", CostUSD: Cost{Total: 10}}},
		{{Name: "a", CostUSD: Cost{Total: 14}}},
	}
	out, err := Aggregate(reps)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].CostUSD.Total != 12 {
		t.Errorf("mean %v, want 12", out[0].CostUSD.Total)
	}
	if got := out[0].CI95HalfWidth["cost_usd.total"]; math.Abs(got-25.4124094) > 1e-6 {
		t.Errorf("half-width %.7f, want 25.4124094", got)
	}
}

func TestAggregateCountsBalance(t *testing.T) {
	// Means: completed 5.5, rejected 5.5, others 0; arrived 11. Rounding each
	// half up would give 6 + 6 = 12 ≠ 11.
	reps := [][]StrategySummary{
		{{Name: "a", Requests: Requests{Arrived: 11, Completed: 5, Rejected: 6}}},
		{{Name: "a", Requests: Requests{Arrived: 11, Completed: 6, Rejected: 5}}},
	}
	out, err := Aggregate(reps)
	if err != nil {
		t.Fatal(err)
	}
	q := out[0].Requests
	if q.Arrived != 11 || q.Completed+q.Rejected != 11 || q.Completed != 6 || q.Rejected != 5 {
		t.Errorf("balanced rounding: %+v; want arrived 11, completed 6 (tie to the earlier), rejected 5", q)
	}
	if hw := out[0].CI95HalfWidth["requests.completed"]; !(hw > 0) {
		t.Errorf("count half-width %v, want the exact (positive) value", hw)
	}
}

func TestAggregateSingleAndErrors(t *testing.T) {
	one := []StrategySummary{{Name: "a", LatencyMS: Latency{P99: 7}, CI95HalfWidth: map[string]float64{"x": 1}}}
	out, err := Aggregate([][]StrategySummary{one})
	if err != nil || out[0].LatencyMS.P99 != 7 || out[0].CI95HalfWidth != nil {
		t.Errorf("one replication: %+v, %v", out, err)
	}
	if _, err := Aggregate(nil); err == nil {
		t.Error("no replications: no error")
	}
	if _, err := Aggregate([][]StrategySummary{one, {}}); err == nil {
		t.Error("ragged replications: no error")
	}
	if _, err := Aggregate([][]StrategySummary{one, {{Name: "b"}}}); err == nil {
		t.Error("mismatched names: no error")
	}
}
