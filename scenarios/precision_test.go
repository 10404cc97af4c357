package scenarios

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

// repsOf builds replications of two strategies whose p99 latencies are
// given per replication.
func repsOf(a, b []float64) [][]reports.StrategySummary {
	var out [][]reports.StrategySummary
	for i := range a {
		out = append(out, []reports.StrategySummary{
			{Name: "a", LatencyMS: reports.Latency{P99: a[i]}},
			{Name: "b", LatencyMS: reports.Latency{P99: b[i]}},
		})
	}
	return out
}

// TestPrecisionRule checks the round sizes by hand. p99 99, 100, 101:
// mean 100, s = 1, t(0.975, 2) = 4.302653, half-width 2.4841 (2.48%).
// Strategy b is constant (half-width 0).
func TestPrecisionRule(t *testing.T) {
	byRep := repsOf([]float64{99, 100, 101}, []float64{5, 5, 5})
	cases := []struct {
		precision float64
		max       int
		want      int
	}{
		{0, 50, 3},      // no target: stop
		{0.05, 50, 3},   // 2.48% ≤ 5%: stop
		{0.025, 50, 3},  // 2.48% ≤ 2.5%: stop
		{0.02, 50, 5},   // q = 1.24205: 3 · q² = 4.628 → 5
		{0.0245, 50, 4}, // q = 1.01393: 3 · q² = 3.084 → 4
		{0.001, 50, 6},  // q = 24.8: at most twice as many
		{0.001, 4, 4},   // but never past the cap
		{0.001, 3, 3},   // at the cap: stop
	}
	for _, c := range cases {
		p := &runPlan{precision: c.precision, max: c.max}
		got, err := p.next(byRep)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("precision %v, max %d: next %d, want %d", c.precision, c.max, got, c.want)
		}
	}
	// A strategy that completed nothing (p99 0, half-width 0) meets any
	// target; a p99 of mean 0 with spread cannot.
	if got, _ := (&runPlan{precision: 0.01, max: 50}).next(repsOf([]float64{0, 0, 0}, []float64{5, 5, 5})); got != 3 {
		t.Errorf("all zero: next %d, want 3", got)
	}
	if rel := relativeHalfWidth(reports.StrategySummary{CI95HalfWidth: map[string]float64{"latency_ms.p99": 1}}); !math.IsInf(rel, 1) {
		t.Errorf("half-width over a zero mean = %v, want +Inf", rel)
	}
}

func TestRunPrecision(t *testing.T) {
	sc := loadTwo(t, "duration=3m")
	loose := run(t, sc, RunOptions{Workers: 2, Precision: 0.5})
	if loose.Replications != 3 || len(loose.Warnings) != 0 {
		t.Errorf("±50%%: %d replications, warnings %q; want the first 3, none", loose.Replications, loose.Warnings)
	}
	for _, s := range loose.Strategies {
		if rel := s.CI95HalfWidth["latency_ms.p99"] / s.LatencyMS.P99; !(rel <= 0.5) {
			t.Errorf("%s: stopped at ±%.1f%%", s.Name, 100*rel)
		}
	}
	tight := RunOptions{Workers: 1, Precision: 1e-6, MaxReplications: 5}
	short := run(t, sc, tight)
	if short.Replications != 5 || len(short.Warnings) != 1 {
		t.Fatalf("±0.0001%%, at most 5: %d replications, warnings %q", short.Replications, short.Warnings)
	}
	w := short.Warnings[0]
	for _, want := range []string{"stopped at 5 replications", "±0.0001%", "small ±", "big ±"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q lacks %q", w, want)
		}
	}
	// The rounds do not depend on the number of workers.
	tight.Workers = 2
	if a, b := jsonOf(t, short), jsonOf(t, run(t, sc, tight)); a != b {
		t.Errorf("1 and 2 workers differ:\n%s\n%s", a, b)
	}
	// Replications go on from where the first round stopped: the first 3
	// of 5 are those of a 3-replication run.
	three := run(t, sc, RunOptions{Workers: 2, Replications: 3})
	if jsonOf(t, three) != jsonOf(t, loose) {
		t.Error("a precision run that stops after 3 replications differs from --replications 3")
	}
}

func TestRunPrecisionErrors(t *testing.T) {
	sc := loadTwo(t, "duration=2m")
	for _, p := range []float64{-0.01, 1.5, math.NaN()} {
		_, err := Run(context.Background(), sc, RunOptions{Precision: p})
		checkInputError(t, err, "--precision")
	}
	for _, o := range []RunOptions{
		{Precision: 0.02, MaxReplications: MaxReplications + 1},
		{Precision: 0.02, MaxReplications: -1},
		{Precision: 0.02, MaxReplications: 4, Replications: 5},
	} {
		_, err := Run(context.Background(), sc, o)
		checkInputError(t, err, "--max-replications")
	}
}
