package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

// poolScenario is a horizontal group of m5.large told by a scheduled
// action to grow from 1 to 6 instances at 10m. A cold launch is pending
// (about 15 s), boots (60 s) and loads the model (120 s); by then two
// health checks have failed, so it needs five passing ones (about 2 to
// 2.5 min more): about 5.5 min in all.
const poolScenario = `name: pool
duration: 20m
workload: {type: poisson, rate: 20}
service:
  time: {dist: exponential, mean: 50ms}
  startup: {dist: deterministic, value: 120s}
instances:
  boot: {dist: deterministic, value: 60s}
strategies:
  - name: cold
    type: horizontal
    instance_type: m5.large
    min: 1
    max: 6
    policy: {type: scheduled, actions: [{at: 10m, desired: 6}]}
  - name: warm
    type: horizontal
    instance_type: m5.large
    min: 1
    max: 6
    warm_pool: {size: 5, start: {dist: deterministic, value: 20s}}
    policy: {type: scheduled, actions: [{at: 10m, desired: 6}]}
`

// firstMinuteWith returns the first minute of strategy name's series that
// ends with n instances in service, or -1.
func firstMinuteWith(res *reports.Result, name string, n int) int {
	for _, r := range res.Series {
		if r.Strategy == name && r.InstancesInService >= n {
			return r.Minute
		}
	}
	return -1
}

// TestWarmPoolScaleOut: the five instances the scale-out at 10m needs come
// from the pool: pending about 15 s, their application starts in 20 s, and
// the next health check passes: six in service within the minute (minute
// 10), against about 10m + 330 s (minute 15) cold. docs/aws-behaviour.md
// §1.11.
func TestWarmPoolScaleOut(t *testing.T) {
	sc, err := loadString(t, poolScenario)
	if err != nil {
		t.Fatal(err)
	}
	wp := section[*HorizontalSpec](sc.Spec.Strategies[1]).WarmPool
	if cold := section[*HorizontalSpec](sc.Spec.Strategies[0]); wp == nil || wp.Size != 5 || wp.StoppedUSDHour != DefaultWarmPoolStoppedUSDHour || cold.WarmPool != nil {
		t.Fatalf("warm pools %+v, %+v", cold.WarmPool, wp)
	}
	res := run(t, sc, RunOptions{})
	cold, warm := firstMinuteWith(res, "cold", 6), firstMinuteWith(res, "warm", 6)
	if cold != 15 || warm != 10 {
		t.Errorf("six in service from minute %d cold and %d warm, want 15 and 10", cold, warm)
	}
	for _, r := range res.Series {
		if r.Minute == 9 && r.InstancesInService != 1 {
			t.Errorf("%s: %d in service before the scale-out, want 1", r.Strategy, r.InstancesInService)
		}
	}
	roundTrip(t, sc, testFS(poolScenario), "dir/r.yaml")
	y, err := sc.YAML()
	if err != nil || !strings.Contains(string(y), "warm_pool: {size: 5, start: {dist: deterministic, value: 20s}, stopped_usd_hour: 0.011}") {
		t.Errorf("the resolved pool is not written out (%v):\n%s", err, y)
	}
}

// TestWarmPoolCost: a group that never scales keeps its pool stopped the
// whole run, so the pool adds exactly size × stopped_usd_hour × hours to
// the compute cost (no refill runs, as nothing is taken from it).
func TestWarmPoolCost(t *testing.T) {
	sets := []string{"duration=2h", "strategies.cold.max=2", "strategies.cold.min=2", "strategies.warm.max=3", "strategies.warm.min=2",
		"strategies.cold.policy={type: target_tracking, metric: cpu, target: 90}",
		"strategies.warm.policy={type: target_tracking, metric: cpu, target: 90}",
		"strategies.warm.warm_pool={size: 3}"}
	for _, price := range []float64{DefaultWarmPoolStoppedUSDHour, 0.25} {
		s := sets
		if price != DefaultWarmPoolStoppedUSDHour {
			s = append(s, "strategies.warm.warm_pool.stopped_usd_hour=0.25")
		}
		sc, err := loadString(t, poolScenario, s...)
		if err != nil {
			t.Fatal(err)
		}
		if st := section[*HorizontalSpec](sc.Spec.Strategies[1]).WarmPool.Start; st.Dist != "deterministic" || st.Value != DefaultWarmPoolStart {
			t.Errorf("default start %+v, want deterministic %v", st, DefaultWarmPoolStart)
		}
		res := run(t, sc, RunOptions{})
		cold, warm := res.Strategies[0], res.Strategies[1]
		if cold.Capacity.InstancesMax != 2 || warm.Capacity.InstancesMax != 2 {
			t.Fatalf("the groups scaled: max %d and %d instances", cold.Capacity.InstancesMax, warm.Capacity.InstancesMax)
		}
		want := 3 * price * 2
		if d := warm.CostUSD.Compute - cold.CostUSD.Compute; math.Abs(d-want) > 1e-9 {
			t.Errorf("stopped at $%v/h: the pool adds $%.6f to compute, want $%.6f", price, d, want)
		}
		if d := warm.CostUSD.Total - cold.CostUSD.Total; math.Abs(d-want) > 1e-9 {
			t.Errorf("stopped at $%v/h: the pool adds $%.6f in all, want $%.6f", price, d, want)
		}
	}
}

func TestWarmPoolErrors(t *testing.T) {
	cases := []struct{ set, want string }{
		{"strategies.warm.warm_pool={start: {dist: deterministic, value: 20s}}", "strategies.warm.warm_pool.size: required"},
		{"strategies.warm.warm_pool.size=7", "strategies.warm.warm_pool.size: must be from 0 to 6 (got 7); a pool holds at most the group's max"},
		{"strategies.warm.warm_pool.size=-1", "must be from 0 to 6 (got -1)"},
		{"strategies.warm.warm_pool.stopped_usd_hour=-0.5", "strategies.warm.warm_pool.stopped_usd_hour: must be from 0 to 1000 (got -0.5)"},
		{"strategies.warm.warm_pool.start={dist: deterministic, value: 2h}", "strategies.warm.warm_pool.start: the mean must be at most 1h0m0s"},
		{"strategies.warm.warm_pool.sise=3", `unknown key "sise"`},
		{"strategies.cold.warm_pool=", ""}, // null: no pool
	}
	for _, c := range cases {
		sc, err := loadString(t, poolScenario, c.set)
		if c.want == "" {
			if err != nil || section[*HorizontalSpec](sc.Spec.Strategies[0]).WarmPool != nil {
				t.Errorf("%s: %v", c.set, err)
			}
			continue
		}
		checkInputError(t, err, "--set ")
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n  %v\nwant\n  %s", c.set, err, c.want)
		}
	}
	bad := strings.Replace(valid, "    count: 2\n", "    count: 2\n    warm_pool: {size: 1}\n", 1)
	_, err := loadString(t, bad)
	checkInputError(t, err, "dir/s.yaml:13: strategies.small.warm_pool: not used by a static strategy")
}
