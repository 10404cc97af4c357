package scenarios

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

func TestRunComparesWithBaseline(t *testing.T) {
	sc := loadTwo(t, "duration=4m")
	res := run(t, sc, RunOptions{Workers: 2, Replications: 3})
	if res.Baseline != "small" || len(res.Comparisons) != 1 || res.Comparisons[0].Strategy != "big" {
		t.Fatalf("baseline %q, comparisons %+v; want big compared with small", res.Baseline, res.Comparisons)
	}
	var keys []string
	for _, d := range res.Comparisons[0].Deltas {
		keys = append(keys, d.Key)
		if d.Replications != 3 {
			t.Errorf("%s compared over %d replications, want 3", d.Key, d.Replications)
		}
	}
	if !slices.Equal(keys, reports.ComparedKeys()) {
		t.Errorf("compared %q, want %q", keys, reports.ComparedKeys())
	}
	// The mean of the paired differences is the difference of the means
	// the table shows.
	p99 := res.Comparisons[0].Deltas[1]
	small, big := res.Strategies[0].LatencyMS.P99, res.Strategies[1].LatencyMS.P99
	if !near(p99.Baseline, small) || !near(p99.Value, big) || !near(p99.Diff, big-small) || !(p99.HalfWidth > 0) {
		t.Errorf("p99 delta %+v; table means small %v, big %v", p99, small, big)
	}

	// The other way round: the same differences, negated.
	rev := run(t, sc, RunOptions{Workers: 2, Replications: 3, Baseline: "big"})
	if rev.Baseline != "big" || len(rev.Comparisons) != 1 || rev.Comparisons[0].Strategy != "small" {
		t.Fatalf("--baseline big: baseline %q, comparisons %+v", rev.Baseline, rev.Comparisons)
	}
	for i, d := range rev.Comparisons[0].Deltas {
		fwd := res.Comparisons[0].Deltas[i]
		if d.Key == reports.CostPerMillion.Key() || d.Key == "cost_usd.total" {
			continue // different values, the same check holds; skip the ratio's rounding
		}
		if d.Diff != -fwd.Diff || d.HalfWidth != fwd.HalfWidth || d.Significant != fwd.Significant {
			t.Errorf("%s: small vs big %+v is not big vs small %+v negated", d.Key, d, fwd)
		}
	}
	if jsonOf(t, rev) == jsonOf(t, res) {
		t.Error("--baseline changed nothing in the JSON")
	}

	// One strategy: nothing to compare.
	one := run(t, sc, RunOptions{Strategies: []string{"big"}, Replications: 2})
	if one.Baseline != "" || one.Comparisons != nil {
		t.Errorf("one strategy: baseline %q, comparisons %+v", one.Baseline, one.Comparisons)
	}
}

// near reports whether a and b agree to 1e-9 relative (sums in another
// order).
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

func TestRunBaselineErrors(t *testing.T) {
	sc := loadTwo(t, "duration=2m")
	_, err := Run(context.Background(), sc, RunOptions{Baseline: "bgi"})
	checkInputError(t, err, "--baseline bgi")
	if msg := err.Error(); !strings.Contains(msg, "small, big") || !strings.Contains(msg, `did you mean "big"?`) {
		t.Errorf("unknown baseline: %v", err)
	}
	// A strategy of the scenario that is not run cannot be the baseline.
	_, err = Run(context.Background(), sc, RunOptions{Baseline: "small", Strategies: []string{"big"}})
	checkInputError(t, err, "--baseline small")
	if !strings.Contains(err.Error(), "(big)") {
		t.Errorf("baseline not run: %v", err)
	}
}

func TestRunKeepsReplicationZeroDetail(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the default scenario, shortened, twice")
	}
	sc, err := Builtin("default", shortSets("default"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), sc, RunOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	names := sc.StrategyNames()
	rank := func(name string) int { return slices.Index(names, name) }
	last := 0
	decided := map[string]int{}
	for _, d := range res.Decisions {
		if r := rank(d.Strategy); r < last || r < 0 {
			t.Fatalf("decision of %q out of strategy order", d.Strategy)
		} else {
			last = r
		}
		decided[d.Strategy]++
	}
	if decided["asg"] == 0 || decided["resize"] == 0 || decided["static-avg"] != 0 {
		t.Errorf("decisions per strategy %v; want some for asg and resize, none for static-avg", decided)
	}
	if decided["asg"] != res.Strategies[0].ScalingActions {
		t.Errorf("asg: %d decisions recorded, %d scaling actions", decided["asg"], res.Strategies[0].ScalingActions)
	}
	kinds := map[string]bool{}
	for _, e := range res.Events {
		kinds[e.Strategy+" "+e.Kind] = true
	}
	for _, k := range []string{"asg in_service", "resize resize", "resize resized"} {
		if !kinds[k] {
			t.Errorf("no %q event", k)
		}
	}
	if len(res.Distributions) != len(names) {
		t.Fatalf("%d distributions, want %d", len(res.Distributions), len(names))
	}
	for i, d := range res.Distributions {
		if d.Strategy != names[i] || len(d.Points) < 10 || d.Points[len(d.Points)-1].Fraction != 1 {
			t.Errorf("distribution %d: %s, %d points", i, d.Strategy, len(d.Points))
		}
	}
	// Lognormal, median 40 ms and p99 200 ms: σ = ln 5 / z(0.99) =
	// 1.6094379 / 2.3263479 = 0.6918303, mean = 40 ms · exp(σ²/2) = 50.8151 ms.
	if math.Abs(res.ServiceMeanS-0.0508151) > 1e-7 {
		t.Errorf("service mean %v s, want 0.0508151", res.ServiceMeanS)
	}
	// With replications, the detail is still replication 0's.
	reps, err := Run(context.Background(), sc, RunOptions{Workers: 2, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(reps.Decisions, res.Decisions) || !reflect.DeepEqual(reps.Events, res.Events) ||
		!reflect.DeepEqual(reps.Distributions, res.Distributions) {
		t.Error("the decisions, events or distributions of a replicated run are not replication 0's")
	}
}
