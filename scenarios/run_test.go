package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

func loadTwo(t *testing.T, sets ...string) *Scenario {
	t.Helper()
	sc, err := Load(os.DirFS("testdata"), "two.yaml", sets)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func run(t *testing.T, sc *Scenario, opts RunOptions) *reports.Result {
	t.Helper()
	opts.Checks = true
	res, err := Run(context.Background(), sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func jsonOf(t *testing.T, r *reports.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := reports.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// strategyJSON renders one strategy's summary.
func strategyJSON(t *testing.T, r *reports.Result, name string) string {
	t.Helper()
	for _, s := range r.Strategies {
		if s.Name == name {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no strategy %s in the result", name)
	return ""
}

func seriesOf(r *reports.Result, name string) []reports.MinuteRow {
	var out []reports.MinuteRow
	for _, row := range r.Series {
		if row.Strategy == name {
			out = append(out, row)
		}
	}
	return out
}

func TestRunDeterministic(t *testing.T) {
	sc := loadTwo(t)
	a := run(t, sc, RunOptions{Workers: 2})
	b := run(t, sc, RunOptions{Workers: 2})
	if ja, jb := jsonOf(t, a), jsonOf(t, b); ja != jb {
		t.Fatalf("same seed, different JSON:\n%s\n%s", ja, jb)
	}
	if !reflect.DeepEqual(a.Series, b.Series) {
		t.Error("same seed, different series")
	}
	if a.Scenario != "two" || a.Seed != 1 || a.DurationS != 600 || a.WarmupS != 60 || a.SLOLatencyMS != 300 || a.Replications != 1 {
		t.Errorf("result header %+v", *a)
	}
	if len(a.Strategies) != 2 || a.Strategies[0].Name != "small" || a.Strategies[1].Name != "big" {
		t.Errorf("strategies out of scenario order: %+v", a.Strategies)
	}
	if n := len(seriesOf(a, "small")); n != 10 || len(a.Series) != 20 {
		t.Errorf("series: %d rows for small, %d in all; want 10 and 20", n, len(a.Series))
	}
	if a.Strategies[0].Requests.Arrived == 0 || a.Strategies[0].Requests.Arrived != a.Strategies[1].Requests.Arrived {
		t.Errorf("strategies saw different traffic: %d vs %d arrivals", a.Strategies[0].Requests.Arrived, a.Strategies[1].Requests.Arrived)
	}

	seed := uint64(2)
	c := run(t, sc, RunOptions{Seed: &seed})
	if c.Seed != 2 {
		t.Errorf("seed override: result seed %d", c.Seed)
	}
	if jsonOf(t, c) == jsonOf(t, a) {
		t.Error("seed+1 gives the same result")
	}
	if d := run(t, loadTwo(t, "seed=2"), RunOptions{}); jsonOf(t, d) != jsonOf(t, c) {
		t.Error("--seed 2 and seed: 2 in the file differ")
	}
}

func TestRunStrategyIsolation(t *testing.T) {
	sc := loadTwo(t)
	both := run(t, sc, RunOptions{})
	only := run(t, sc, RunOptions{Strategies: []string{"big"}})
	if len(only.Strategies) != 1 {
		t.Fatalf("--strategy big ran %d strategies", len(only.Strategies))
	}
	if a, b := strategyJSON(t, both, "big"), strategyJSON(t, only, "big"); a != b {
		t.Errorf("removing a strategy changed another:\n%s\n%s", a, b)
	}
	if !reflect.DeepEqual(seriesOf(both, "big"), only.Series) {
		t.Error("removing a strategy changed another's series")
	}
	// Removing it from the file, not just the run, changes nothing either.
	fileOnly := run(t, loadTwo(t, "strategies=[{name: big, type: static, instance_type: m5.xlarge, count: 4}]"), RunOptions{})
	if a, b := strategyJSON(t, both, "big"), strategyJSON(t, fileOnly, "big"); a != b {
		t.Errorf("a one-strategy scenario differs:\n%s\n%s", a, b)
	}
}

func TestRunWorkersAndReplications(t *testing.T) {
	sc := loadTwo(t, "duration=4m")
	one := run(t, sc, RunOptions{Workers: 1, Replications: 3})
	two := run(t, sc, RunOptions{Workers: 2, Replications: 3})
	if a, b := jsonOf(t, one), jsonOf(t, two); a != b {
		t.Fatalf("1 vs 2 workers differ:\n%s\n%s", a, b)
	}
	if !reflect.DeepEqual(one.Series, two.Series) {
		t.Error("1 vs 2 workers: different series")
	}
	if one.Replications != 3 {
		t.Errorf("replications %d", one.Replications)
	}
	for _, s := range one.Strategies {
		hw, ok := s.CI95HalfWidth["latency_ms.p99"]
		if !ok || !(hw > 0) {
			t.Errorf("%s: ci95 half-width of latency_ms.p99 = %v, %v", s.Name, hw, ok)
		}
		q := s.Requests
		if q.Arrived != q.Completed+q.Rejected+q.TimedOut+q.Dropped+q.InFlightAtEnd {
			t.Errorf("%s: averaged counts do not balance: %+v", s.Name, q)
		}
	}
	// Replication 0 of three is the single run.
	single := run(t, sc, RunOptions{})
	if !reflect.DeepEqual(single.Series, one.Series) {
		t.Error("the series of a replicated run is not replication 0's")
	}
}

func TestRunProgress(t *testing.T) {
	sc := loadTwo(t, "duration=3m")
	var mu sync.Mutex
	var last, total float64
	calls := 0
	opts := RunOptions{Workers: 2, Replications: 2, Progress: func(done, tot float64) {
		mu.Lock()
		defer mu.Unlock()
		if done < last || done > tot {
			t.Errorf("progress went from %v to %v of %v", last, done, tot)
		}
		last, total = done, tot
		calls++
	}}
	res := run(t, sc, opts)
	if calls == 0 || last != total || total != 4*180 {
		t.Errorf("progress ended at %v of %v after %d calls; want 720 of 720", last, total, calls)
	}
	if jsonOf(t, res) != jsonOf(t, run(t, sc, RunOptions{Workers: 2, Replications: 2})) {
		t.Error("progress callback changed the result")
	}
}

func TestRunErrors(t *testing.T) {
	sc := loadTwo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, sc, RunOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	_, err := Run(context.Background(), sc, RunOptions{Strategies: []string{"bgi"}})
	checkInputError(t, err, "--strategy bgi")
	if !strings.Contains(err.Error(), `did you mean "big"?`) {
		t.Errorf("unknown strategy: %v", err)
	}
	for _, n := range []int{-1, MaxReplications + 1} {
		_, err := Run(context.Background(), sc, RunOptions{Replications: n})
		checkInputError(t, err, "--replications")
	}
	asg, err := loadString(t, valid)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), asg, RunOptions{Strategies: []string{"small", "small"}, Replications: MaxReplications + 1})
	checkInputError(t, err, "--replications")
}

// shortSets shortens a built-in scenario to 15 simulated minutes that
// still hold what it is about (the spike, the zone outage, a trace's
// busiest stretch).
func shortSets(name string) []string {
	sets := []string{"duration=15m", "warmup=1m"}
	switch name {
	case "default":
		sets = append(sets, "workload.at=3m", "workload.hold=4m", "workload.fall=2m")
	case "exam": // the compressed day compressed again, to a quarter of an hour
		sets = append(sets, "workload.period=15m", "workload.peak_hour=0.125", "workload.peak=500")
	case "fraud-detection":
		sets = append(sets, "failures.zone_outages=[{zone: b, at: 5m, for: 4m}]")
	case "worldcup98": // 1998-07-07 20:30 GMT, the first semi-final's climb
		sets = append(sets, "workload.start=1631h", "workload.end=1631h15m")
	case "nasa-launch": // 1995-07-13 09:00:01 EDT, the launch peak
		sets = append(sets, "workload.start=297h", "workload.end=297h15m")
	}
	return sets
}

func TestBuiltinsRun(t *testing.T) {
	for _, b := range Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			sets := shortSets(b.Name)
			if testing.Short() { // the race pass: six minutes still reach every strategy's first decisions
				sets = append(sets, "duration=6m")
			}
			sc, err := Builtin(b.Name, sets)
			if err != nil {
				t.Fatal(err)
			}
			res := run(t, sc, RunOptions{Workers: 2})
			for _, s := range res.Strategies {
				if s.Requests.Completed == 0 {
					t.Errorf("%s completed nothing", s.Name)
				}
			}
			if a, b := jsonOf(t, res), jsonOf(t, run(t, sc, RunOptions{Workers: 1})); a != b {
				t.Errorf("two runs differ:\n%s\n%s", a, b)
			}
		})
	}
}
