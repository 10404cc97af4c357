package reports

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim/simtest"
)

// TestFigureDirection pins the direction of every figure key: a new key
// fails here until someone decides which way it gets worse.
func TestFigureDirection(t *testing.T) {
	want := map[string]Direction{
		"requests.arrived": EitherWorse, "requests.completed": LowerWorse, "requests.rejected": HigherWorse,
		"requests.timed_out": HigherWorse, "requests.dropped": HigherWorse, "requests.in_flight_at_end": HigherWorse,
		"latency_ms.mean": HigherWorse, "latency_ms.p50": HigherWorse, "latency_ms.p90": HigherWorse,
		"latency_ms.p99": HigherWorse, "latency_ms.p999": HigherWorse, "latency_ms.max": HigherWorse,
		"throughput_rps.mean": LowerWorse, "throughput_rps.peak_minute": LowerWorse,
		"availability.success_ratio": LowerWorse, "availability.slo_attainment": LowerWorse,
		"availability.minutes_meeting_slo": LowerWorse, "availability.served_within_slo": LowerWorse,
		"availability.served": LowerWorse,
		"cost_usd.total":      HigherWorse, "cost_usd.compute": HigherWorse, "cost_usd.load_balancer": HigherWorse,
		"cost_usd.stream":        HigherWorse,
		"capacity.instances_min": HigherWorse, "capacity.instances_max": HigherWorse,
		"capacity.instance_hours": HigherWorse, "capacity.mean_utilization": EitherWorse,
		"capacity.node_hours": HigherWorse, "capacity.nodes_max": HigherWorse,
		"scaling_actions": HigherWorse, "warmup_cut_s": EitherWorse, "requests.reprocessed": HigherWorse,
		"elasticity.under_provisioning_accuracy": HigherWorse, "elasticity.over_provisioning_accuracy": HigherWorse,
		"elasticity.under_provisioning_timeshare": HigherWorse, "elasticity.over_provisioning_timeshare": HigherWorse,
		"elasticity.instability": HigherWorse,
	}
	for _, key := range FigureKeys() {
		d, ok := want[key]
		if !ok {
			t.Errorf("figure %s has no direction in this test (and the README's table): decide one", key)
			continue
		}
		if got := FigureDirection(key); got != d {
			t.Errorf("FigureDirection(%s) = %d, want %d", key, got, d)
		}
	}
}

func TestParseLimit(t *testing.T) {
	good := []struct {
		in   string
		want Limit
		text string // String()
	}{
		{"latency_ms.p99=10%", Limit{"latency_ms.p99", 0.10, true, "10%"}, "+10%"},
		{"latency_ms.p99=+5%", Limit{"latency_ms.p99", 0.05, true, "5%"}, "+5%"},
		{"latency_ms.p99=20ms", Limit{"latency_ms.p99", 20, false, "20ms"}, "+20ms"},
		{"latency_ms.max=1.5s", Limit{"latency_ms.max", 1500, false, "1.5s"}, "+1.5s"},
		{"latency_ms.mean=12.5", Limit{"latency_ms.mean", 12.5, false, "12.5"}, "+12.5"},
		{"cost_usd.total=$3", Limit{"cost_usd.total", 3, false, "$3"}, "+$3"},
		{"availability.success_ratio=-0.001", Limit{"availability.success_ratio", 0.001, false, "0.001"}, "-0.001"},
		{"availability.slo_attainment=0.5%", Limit{"availability.slo_attainment", 0.005, true, "0.5%"}, "-0.5%"},
		{"requests.arrived=-2%", Limit{"requests.arrived", 0.02, true, "2%"}, "±2%"},
		{" throughput_rps.mean = 1e-2 ", Limit{"throughput_rps.mean", 0.01, false, "1e-2"}, "-1e-2"},
	}
	for _, tt := range good {
		got, err := ParseLimit(tt.in)
		if err != nil || got.Key != tt.want.Key || got.Relative != tt.want.Relative || got.Text != tt.want.Text ||
			math.Abs(got.Value-tt.want.Value) > 1e-12 {
			t.Errorf("ParseLimit(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			continue
		}
		if got.String() != tt.text {
			t.Errorf("ParseLimit(%q).String() = %q, want %q", tt.in, got.String(), tt.text)
		}
	}
	bad := []struct{ in, want string }{
		{"latency_ms.p99", "want KEY=LIMIT"},
		{"=5%", "want KEY=LIMIT"},
		{"latency_ms.p99=", "want KEY=LIMIT"},
		{"latency.p99=5%", `unknown figure "latency.p99" (did you mean latency_ms.p99?)`},
		{"latency_ms.p99=-5%", "latency_ms.p99 gets worse as it rises; write +5% or 5%"},
		{"availability.success_ratio=+0.001", "availability.success_ratio gets worse as it falls; write -0.001 or 0.001"},
		{"latency_ms.p99=$3", "a dollar amount is a limit for cost_usd.* figures only"},
		{"cost_usd.total=20ms", "a duration is a limit for latency_ms.* figures only"},
		{"latency_ms.p99=fast", `"fast" is not a duration`},
		{"cost_usd.total=lots%", `"lots%" is not a limit`},
		{"cost_usd.total=$-3", `"$-3" is not a limit`},
		{"cost_usd.total=NaN%", `"NaN%" is not a limit`},
	}
	for _, tt := range bad {
		_, err := ParseLimit(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseLimit(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

// result builds a run result of the given strategies.
func result(strats ...StrategySummary) *Result {
	return &Result{SchemaVersion: 1, Scenario: "test", Seed: 1, DurationS: 3600, SLOLatencyMS: 300, Replications: 1, Strategies: strats}
}

func verdicts(rep *CheckReport) string {
	var parts []string
	for _, r := range rep.Rows {
		parts = append(parts, strings.TrimSpace(r.Point+" "+r.Strategy+" "+r.Key)+": "+r.Verdict.String())
	}
	return strings.Join(parts, "; ")
}

func TestCheckResults(t *testing.T) {
	base := result(row("a", 10, 200, 0.9995), row("b", 10, 200, 0.9995))
	tests := []struct {
		name   string
		cur    *Result
		limits []Limit
		want   string
		fails  int
	}{
		{"unchanged", result(row("a", 10, 200, 0.9995), row("b", 10, 200, 0.9995)), DefaultLimits(),
			"a latency_ms.p99: ok; a availability.success_ratio: ok; a cost_usd.total: ok; " +
				"b latency_ms.p99: ok; b availability.success_ratio: ok; b cost_usd.total: ok", 0},
		// 220 is exactly +10%: allowed; 220.1 is not. Cost −6% is better
		// by more than the 5% limit; success 0.9985 is 0.001 down: allowed.
		{"at and over the limits", result(row("a", 9.4, 220, 0.9985), row("b", 10.5, 220.1, 0.9984)), DefaultLimits(),
			"a latency_ms.p99: ok; a availability.success_ratio: ok; a cost_usd.total: better; " +
				"b latency_ms.p99: REGRESSION; b availability.success_ratio: REGRESSION; b cost_usd.total: ok", 2},
		{"absolute limit", result(row("a", 13.5, 219, 0.9995), row("b", 12, 221, 0.9995)),
			[]Limit{{Key: "latency_ms.p99", Value: 20, Text: "20ms"}, {Key: "cost_usd.total", Value: 3, Text: "$3"}},
			"a latency_ms.p99: ok; a cost_usd.total: REGRESSION; b latency_ms.p99: REGRESSION; b cost_usd.total: ok", 2},
		{"missing and new", result(row("b", 10, 200, 0.9995), row("c", 1, 1, 1)),
			[]Limit{{Key: "latency_ms.p99", Value: 0.1, Relative: true, Text: "10%"}},
			"a: MISSING; b latency_ms.p99: ok; c: new", 1},
	}
	for _, tt := range tests {
		rep, err := CheckResults(base, tt.cur, tt.limits)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := verdicts(rep); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if rep.Failures() != tt.fails {
			t.Errorf("%s: %d failures, want %d", tt.name, rep.Failures(), tt.fails)
		}
	}
	if _, err := CheckResults(base, &Result{Scenario: "other"}, DefaultLimits()); err == nil ||
		!strings.Contains(err.Error(), `the baseline is scenario "test", the current result "other"`) {
		t.Errorf("different scenarios: error = %v", err)
	}
}

// TestCheckNoise: with replications on both sides a change beyond the
// limit must also exceed sqrt(hw_base² + hw_current²) to count.
func TestCheckNoise(t *testing.T) {
	withHW := func(s StrategySummary, hw float64) StrategySummary {
		s.CI95HalfWidth = map[string]float64{"latency_ms.p99": hw}
		return s
	}
	limits := []Limit{{Key: "latency_ms.p99", Value: 0.1, Relative: true, Text: "10%"}}
	tests := []struct {
		name           string
		hwBase, hwCur  float64
		cur            float64
		onlyOneSideHas bool
		want           Verdict
	}{
		// +30 over a 20 allowance; noise sqrt(18² + 24²) = 30: not beyond.
		{"within noise", 18, 24, 230, false, VerdictNoise},
		// +31 beyond both the allowance (20) and the noise (30).
		{"beyond noise", 18, 24, 231, false, VerdictRegression},
		// Beyond the limit, and only one side has replications: limits alone.
		{"one side only", 18, 24, 230, true, VerdictRegression},
		// A big improvement within the noise is not "better".
		{"improvement within noise", 18, 24, 171, false, VerdictOK},
		{"improvement beyond noise", 18, 24, 169, false, VerdictBetter},
	}
	for _, tt := range tests {
		base := result(withHW(row("a", 1, 200, 1), tt.hwBase))
		cur := result(withHW(row("a", 1, tt.cur, 1), tt.hwCur))
		if tt.onlyOneSideHas {
			cur.Strategies[0].CI95HalfWidth = nil
		}
		rep, err := CheckResults(base, cur, limits)
		if err != nil {
			t.Fatal(err)
		}
		if r := rep.Rows[0]; r.Verdict != tt.want || r.HasNoise == tt.onlyOneSideHas {
			t.Errorf("%s: verdict %v (noise %v, %v), want %v", tt.name, r.Verdict, r.Noise, r.HasNoise, tt.want)
		}
	}
}

func TestCheckSweeps(t *testing.T) {
	base := testSweep()
	cur := testSweep()
	cur.Points = cur.Points[1:]                     // point 0 is gone
	cur.Points[1].Strategies[0].LatencyMS.P99 = 400 // point 2, a: 300 → 400
	cur.Points = append(cur.Points, SweepPoint{Index: 6, Vary: Vary{{"strategies.a.count", "8"}, {"service.timeout", "1s"}},
		Strategies: []StrategySummary{row("a", 1, 1, 1)}})
	limits := []Limit{{Key: "latency_ms.p99", Value: 0.1, Relative: true, Text: "10%"}}
	rep, err := CheckSweeps(base, cur, limits)
	if err != nil {
		t.Fatal(err)
	}
	want := "count=2 timeout=100ms: MISSING; " +
		"count=2 timeout=1s a latency_ms.p99: ok; count=2 timeout=1s b latency_ms.p99: ok; " +
		"count=4 timeout=100ms a latency_ms.p99: REGRESSION; count=4 timeout=100ms b latency_ms.p99: ok; " +
		"count=4 timeout=1s a latency_ms.p99: ok; count=4 timeout=1s b latency_ms.p99: ok; " +
		"count=6 timeout=100ms a latency_ms.p99: ok; count=6 timeout=100ms b latency_ms.p99: ok; " +
		"count=6 timeout=1s a latency_ms.p99: ok; count=6 timeout=1s b latency_ms.p99: ok; " +
		"count=8 timeout=1s: new"
	if got := verdicts(rep); got != want {
		t.Errorf("verdicts:\n got %s\nwant %s", got, want)
	}
	if rep.Failures() != 2 {
		t.Errorf("%d failures, want 2", rep.Failures())
	}
	base.Shard = &ShardInfo{Index: 1, Count: 2, PointsTotal: 6}
	if _, err := CheckSweeps(base, cur, limits); err == nil || !strings.Contains(err.Error(), "merge the shards first") {
		t.Errorf("a shard as baseline: error = %v", err)
	}
}

func TestCheckRenderGolden(t *testing.T) {
	withHW := func(s StrategySummary, hw float64) StrategySummary {
		s.CI95HalfWidth = map[string]float64{"latency_ms.p99": hw, "cost_usd.total": 0.01, "availability.success_ratio": 0.0001}
		return s
	}
	base := result(withHW(row("asg", 10, 200, 0.9995), 5), withHW(row("static|fixed", 12, 150, 0.9999), 5), withHW(row("gone", 1, 1, 1), 0))
	cur := result(withHW(row("asg", 10.2, 260, 0.9995), 5), withHW(row("static|fixed", 11, 151, 0.9999), 5))
	base.Replications, cur.Replications, cur.Seed = 5, 5, 9
	rep, err := CheckResults(base, cur, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer, *CheckReport) error
	}{
		{"check.txt", func(b *bytes.Buffer, r *CheckReport) error { return WriteCheckTable(b, r) }},
		{"check.md", func(b *bytes.Buffer, r *CheckReport) error { return WriteCheckMarkdown(b, r) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b, rep); err != nil {
			t.Fatal(err)
		}
		simtest.Golden(t, filepath.Join("testdata", f.name+".golden"), b.Bytes(), *update)
	}
}

func TestReadCheckInput(t *testing.T) {
	var run bytes.Buffer
	if err := WriteJSON(&run, result(row("a", 1, 2, 1))); err != nil {
		t.Fatal(err)
	}
	r, s, err := ReadCheckInput(bytes.NewReader(run.Bytes()))
	if err != nil || r == nil || s != nil || r.Strategies[0].LatencyMS.P99 != 2 {
		t.Errorf("run JSON: %v, %v, %v", r, s, err)
	}
	r, s, err = ReadCheckInput(bytes.NewReader(writeSweepJSON(t, testSweep())))
	if err != nil || r != nil || s == nil || len(s.Points) != 6 {
		t.Errorf("sweep JSON: %v, %v, %v", r, s, err)
	}
	for in, want := range map[string]string{
		"[1, 2]":     "not JSON",
		`{"foo": 1}`: `neither "strategies" (run -o json) nor "points"`,
		`{"schema_version": 7, "strategies": []}`: "schema_version 7",
	} {
		if _, _, err := ReadCheckInput(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadCheckInput(%s): error = %v, want %q", in, err, want)
		}
	}
}

// TestCheckKinds: Check compares runs with runs and sweeps with sweeps,
// as CheckResults and CheckSweeps do, and refuses a run against a sweep,
// naming both sides.
func TestCheckKinds(t *testing.T) {
	base := result(row("a", 10, 200, 0.9995))
	run := CheckInput{Name: "base.json", Run: base}
	sweep := CheckInput{Name: "cur.json", Sweep: testSweep()}
	rep, err := Check(run, CheckInput{Name: "cur.json", Run: base}, DefaultLimits())
	if err != nil || rep.Sweep || len(rep.Rows) != len(DefaultLimits()) || rep.Failures() != 0 {
		t.Errorf("run against itself: %+v, %v", rep, err)
	}
	if rep, err := Check(CheckInput{Name: "a", Sweep: testSweep()}, sweep, DefaultLimits()); err != nil || !rep.Sweep || rep.Failures() != 0 {
		t.Errorf("sweep against itself: %+v, %v", rep, err)
	}
	_, err = Check(run, sweep, DefaultLimits())
	if err == nil || err.Error() != "the baseline base.json is a run result but cur.json is a sweep result; compare like with like" {
		t.Errorf("run against sweep: %v", err)
	}
}
