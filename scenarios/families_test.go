package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// tiny is a ten-minute scenario with one strategy of each family, three
// zones, instance failures and a zone outage, small enough to run with
// the invariant checks on.
const tiny = `name: tiny
duration: 10m
warmup: 1m
workload: {type: spike, base: 50, peak: 200, at: 2m, rise: 30s, hold: 3m, fall: 30s}
service:
  time: {dist: lognormal, median: 20ms, p99: 100ms}
  queue_limit: 20
  timeout: 1s
  startup: {dist: deterministic, value: 10s}
instances:
  boot: {dist: deterministic, value: 20s}
  health_check: {interval: 10s, healthy_threshold: 2, unhealthy_threshold: 2}
  deregistration_delay: 30s
  recovery: 30s
metrics: {period: 1m, delay: 30s}
zones: 3
failures:
  instance_mtbf: 20m
  zone_outages: [{zone: a, at: 4m, for: 2m}]
strategies:
  - {name: fixed, type: static, instance_type: m5.large, count: 3}
  - name: asg
    type: horizontal
    instance_type: m5.large
    min: 2
    max: 12
    instance_warmup: 30s
    policy: {type: target_tracking, metric: cpu, target: 50, high_datapoints: 1}
  - name: resize
    type: vertical
    ladder: [m5.large, m5.xlarge, m5.2xlarge]
    up_datapoints: 1
    cooldown: 0s
  - name: kinesis
    type: stream
    shards: 3
    consumers: {instance_type: m5.large, count: 3}
`

func summaryOf(t *testing.T, r *reports.Result, name string) reports.StrategySummary {
	t.Helper()
	for _, s := range r.Strategies {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no strategy %s in the result", name)
	return reports.StrategySummary{}
}

func TestEveryFamilyRuns(t *testing.T) {
	sc, err := loadString(t, tiny)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{Workers: 2})
	for name, family := range map[string]string{"fixed": "static", "asg": "horizontal", "resize": "vertical", "kinesis": "stream"} {
		s := summaryOf(t, res, name)
		if s.Type != family {
			t.Errorf("%s: type %q, want %q", name, s.Type, family)
		}
		if s.Requests.Completed == 0 {
			t.Errorf("%s completed nothing", name)
		}
		// A stream has no load balancer and the others no stream.
		if lb, st := s.CostUSD.LoadBalancer, s.CostUSD.Stream; (family == "stream") != (lb == 0 && st > 0) {
			t.Errorf("%s: load balancer $%v, stream $%v", name, lb, st)
		}
	}
	if n := summaryOf(t, res, "asg").ScalingActions; n == 0 {
		t.Error("the group never scaled through a 4x spike")
	}
	if n := summaryOf(t, res, "resize").ScalingActions; n == 0 {
		t.Error("the vertical strategy never resized through a 4x spike")
	}
	if q := summaryOf(t, res, "kinesis").Requests; q.TimedOut != 0 || q.Rejected != 0 {
		t.Errorf("stream records time out or are throttled below the shards' limit: %+v", q)
	}
	if jsonOf(t, res) != jsonOf(t, run(t, sc, RunOptions{Workers: 1})) {
		t.Error("same scenario, different JSON")
	}
}

// Common random numbers: every strategy faces the same arrivals,
// whatever it does with them.
func TestCommonRandomNumbers(t *testing.T) {
	sc, err := Builtin("default", shortSets("default"))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Spec.Failures.InstanceMTBF != 0 || sc.Spec.Failures.ZoneOutages != nil {
		t.Fatalf("default has failures: %+v", sc.Spec.Failures)
	}
	res := run(t, sc, RunOptions{Workers: 2})
	if len(res.Strategies) != 5 {
		t.Fatalf("default runs %d strategies, want 5", len(res.Strategies))
	}
	first := res.Strategies[0].Requests.Arrived
	for _, s := range res.Strategies {
		if s.Requests.Arrived != first || first == 0 {
			t.Errorf("%s: %d arrivals, %s: %d", s.Name, s.Requests.Arrived, res.Strategies[0].Name, first)
		}
	}
}

func TestSetPolicyTarget(t *testing.T) {
	base, err := Builtin("default", shortSets("default"))
	if err != nil {
		t.Fatal(err)
	}
	moved, err := Builtin("default", append(shortSets("default"), "strategies.asg.policy.target=60"))
	if err != nil {
		t.Fatal(err)
	}
	if got := section[*HorizontalSpec](moved.Spec.Strategies[0]).Policy.Target; got != 60 {
		t.Fatalf("target %v after --set, want 60", got)
	}
	only := RunOptions{Strategies: []string{"asg", "static-avg"}}
	a, b := run(t, base, only), run(t, moved, only)
	if strategyJSON(t, a, "asg") == strategyJSON(t, b, "asg") {
		t.Error("--set strategies.asg.policy.target=60 did not change the group's result")
	}
	if strategyJSON(t, a, "static-avg") != strategyJSON(t, b, "static-avg") {
		t.Error("changing the group's target changed another strategy")
	}
}

func TestVerticalCeilingNote(t *testing.T) {
	text := strings.Replace(valid, "rate: 100", "rate: 300", 1) + `  - name: resize
    type: vertical
    ladder: [m5.large, m5.xlarge]
    up_datapoints: 1
    cooldown: 0s
`
	sc, err := loadString(t, text, "duration=20m")
	if err != nil {
		t.Fatal(err)
	}
	one := run(t, sc, RunOptions{Strategies: []string{"resize"}})
	notes := one.Strategies[0].Notes
	const want = "ceiling: the ladder's top (m5.xlarge) was reached and CPU stayed above 70% for "
	if len(notes) != 1 || !strings.HasPrefix(notes[0], want) || !strings.HasSuffix(notes[0], " minutes") {
		t.Fatalf("notes %q, want one starting %q", notes, want)
	}
	// With replications, the notes are replication 0's.
	three := run(t, sc, RunOptions{Strategies: []string{"resize"}, Replications: 3})
	if got := three.Strategies[0].Notes; !reflect.DeepEqual(got, notes) {
		t.Errorf("replicated notes %q, want replication 0's %q", got, notes)
	}
	if !strings.Contains(jsonOf(t, one), `"notes": [`) {
		t.Errorf("the JSON has no notes:\n%s", jsonOf(t, one))
	}
	// A strategy with nothing to say has no notes key.
	if small := run(t, sc, RunOptions{Strategies: []string{"small"}}); strings.Contains(jsonOf(t, small), "notes") {
		t.Error("a static strategy has notes")
	}
}

func TestIdleConsumersNote(t *testing.T) {
	sc, err := loadString(t, valid, "duration=3m",
		"strategies=[{name: k, type: stream, shards: 2, consumers: {instance_type: m5.large, count: 5}}]")
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{})
	// Two m5.large read 2 shards, one record of each at a time: the stream
	// also keeps a backlog.
	want := []string{
		"backlog: 11040 records (61% of arrivals) were still waiting in the stream at the end; they count as not served (availability.served), though success_ratio, which counts finished requests only, leaves them out",
		"idle consumers: 5 consumers read 2 shards, one consumer per shard, so 3 never get a record",
	}
	if got := res.Strategies[0].Notes; !reflect.DeepEqual(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
}

func TestNewDefaults(t *testing.T) {
	sc, err := loadString(t, valid, `strategies=[
		{name: asg, type: horizontal, instance_type: m5.xlarge, min: 1, max: 10, policy: {type: target_tracking, metric: requests_per_target, target: 3000}},
		{name: v, type: vertical, ladder: [m5.large, m5.xlarge]},
		{name: s, type: stream, consumers: {instance_type: m5.large, count: 2}, on_demand: true}]`)
	if err != nil {
		t.Fatal(err)
	}
	s := sc.Spec
	lognormal := func(median, p99 sim.Duration) TimeSpec { return TimeSpec{Dist: "lognormal", Median: median, P99: p99} }
	checks := []struct {
		name      string
		got, want any
	}{
		{"zones", s.Zones, 3},
		{"failures", s.Failures, FailuresSpec{}},
		{"pending", s.Instances.Pending, lognormal(15*sim.Second, 30*sim.Second)},
		{"boot", s.Instances.Boot, lognormal(25*sim.Second, 45*sim.Second)},
		{"root volume", s.Instances.EBSGB, 8.0},
		{"startup", s.Service.Startup, lognormal(30*sim.Second, 90*sim.Second)},
		{"health check", s.Instances.HealthCheck, HealthCheckSpec{Interval: 30 * sim.Second, HealthyThreshold: 5, UnhealthyThreshold: 2}},
		{"deregistration", s.Instances.DeregistrationDelay, 300 * sim.Second},
		{"recovery", s.Instances.Recovery, 2 * sim.Minute},
		{"metrics", s.Metrics, MetricsSpec{Period: models.DefaultMetricPeriod, Delay: models.DefaultMetricDelay}},
		{"load balancer", s.LoadBalancer, LoadBalancerSpec{Routing: "round_robin", HourlyUSD: models.ALBHourlyUSD,
			LCUHourUSD: models.ALBLCUHourUSD, RequestsPerConnection: 1, BytesPerRequest: 10_000, IdleTimeout: 60 * sim.Second}},
		{"policy", section[*HorizontalSpec](s.Strategies[0]).Policy, PolicySpec{Type: "target_tracking", Metric: "request_count_per_target", Target: 3000,
			ScaleInFactor: 0.9, HighDatapoints: 3, LowDatapoints: 15}},
		{"instance warm-up", section[*HorizontalSpec](s.Strategies[0]).InstanceWarmup, (*sim.Duration)(nil)},
		{"default cooldown", section[*HorizontalSpec](s.Strategies[0]).DefaultCooldown, 300 * sim.Second},
		{"resize", section[*VerticalSpec](s.Strategies[1]).Resize, "stop_start"},
		{"initial rung", section[*VerticalSpec](s.Strategies[1]).Initial, Initial("m5.large")},
		{"stop time", section[*VerticalSpec](s.Strategies[1]).StopTime, TimeSpec{Dist: "deterministic", Value: 60 * sim.Second}},
		{"vertical alarms", [5]float64{section[*VerticalSpec](s.Strategies[1]).ScaleUpCPU, section[*VerticalSpec](s.Strategies[1]).ScaleDownCPU,
			float64(section[*VerticalSpec](s.Strategies[1]).UpDatapoints), float64(section[*VerticalSpec](s.Strategies[1]).DownDatapoints), section[*VerticalSpec](s.Strategies[1]).Cooldown.Seconds()},
			[5]float64{70, 30, 3, 15, 300}},
		{"on-demand shards", section[*StreamSpec](s.Strategies[2]).Shards, 4},
		{"stream", [4]any{section[*StreamSpec](s.Strategies[2]).RecordSize, section[*StreamSpec](s.Strategies[2]).PollInterval, section[*StreamSpec](s.Strategies[2]).DeliveryLatency, section[*StreamSpec](s.Strategies[2]).Retention},
			[4]any{1024, sim.Second, 200 * sim.Millisecond, 24 * sim.Hour}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, c.got, c.want)
		}
	}
}

func TestPolicies(t *testing.T) {
	const group = `strategies=[{name: asg, type: horizontal, instance_type: m5.large, min: 2, max: 20, initial: 3,
	  instance_warmup: 2m, default_cooldown: 4m, policies: [
		{type: target_tracking, metric: cpu, target: 60, disable_scale_in: true},
		{type: step, metric: queue_length, threshold: 5, comparison: ">=", adjustment_type: change_in_capacity,
		 steps: [{lower: 0, upper: 10, adjustment: 1}, {lower: 10, adjustment: 3}]},
		{type: simple, metric: cpu, threshold: 20, comparison: "<", evaluation_periods: 5, adjustment_type: change_in_capacity, adjustment: -1},
		{type: scheduled, actions: [{at: 1h, desired: 10}, {name: mornings, recurrence: "0 9 * * 1-5", min: 4}]},
		{type: predictive, metric: cpu, target: 50}]}]`
	sc, err := loadString(t, valid, group)
	if err != nil {
		t.Fatal(err)
	}
	p := section[*HorizontalSpec](sc.Spec.Strategies[0]).Policies
	four := 4 * sim.Minute
	if got := p[2]; got.DatapointsToAlarm != 5 || got.EvaluationPeriods != 5 || got.Cooldown == nil || *got.Cooldown != four {
		t.Errorf("simple policy defaults: %d of %d, cooldown %v; want 5 of 5 and the group's 4m", got.DatapointsToAlarm, got.EvaluationPeriods, got.Cooldown)
	}
	if got := p[1]; got.DatapointsToAlarm != 1 || got.EvaluationPeriods != 1 {
		t.Errorf("step policy alarm %d of %d, want 1 of 1", got.DatapointsToAlarm, got.EvaluationPeriods)
	}
	if a := p[3].Actions; a[0].TimeZone != "" || a[1].TimeZone != "Etc/UTC" {
		t.Errorf("scheduled time zones %q and %q, want none for at and Etc/UTC for a recurrence", a[0].TimeZone, a[1].TimeZone)
	}
	if got := p[4]; got.Mode != "forecast_only" || got.LookbackDays != 14 || got.MaxCapacityBreachBehavior != "honor_max_capacity" ||
		got.SchedulingBufferTime == nil || *got.SchedulingBufferTime != 5*sim.Minute {
		t.Errorf("predictive defaults %+v", got)
	}
	roundTrip(t, sc, testFS(valid), "dir/r.yaml")
	plan, err := sc.plan(0)
	if err != nil {
		t.Fatal(err)
	}
	// Target tracking and step policies warm up for instance_warmup.
	if cfg := sc.systemConfig(plan, RunOptions{}, nil); cfg.Monitor.Warmup != 2*sim.Minute {
		t.Errorf("monitor warm-up %v, want the group's 2m", cfg.Monitor.Warmup)
	}
	res := run(t, sc, RunOptions{})
	if res.Strategies[0].Type != "horizontal" || res.Strategies[0].Requests.Completed == 0 {
		t.Errorf("a group of five policies: %+v", res.Strategies[0])
	}
	// A predictive policy without a mode forecasts only, as in AWS, and
	// the notes and the narrative say it never acts (docs/aws-behaviour.md §1.7).
	const note = "forecast only: predictive policy 5 (cpu) is in forecast_only mode, AWS's default: it forecasts but never changed the capacity"
	if notes := res.Strategies[0].Notes; len(notes) != 1 || !strings.HasPrefix(notes[0], note) {
		t.Errorf("notes %q, want one beginning %q", notes, note)
	}
	if story := strings.Join(reports.Narrative(res), "\n"); !strings.Contains(story, "forecast_only mode, AWS's default") {
		t.Errorf("the narrative does not say the predictive policy only forecasts:\n%s", story)
	}
}

func TestSystemConfig(t *testing.T) {
	sc, err := loadString(t, tiny, "strategies.resize.resize=blue_green", "strategies.asg.instance_warmup=",
		"strategies.asg.default_cooldown=200s")
	if err != nil {
		t.Fatal(err)
	}
	lb := models.LoadBalancer{HourlyUSD: models.ALBHourlyUSD, LCUHourUSD: models.ALBLCUHourUSD, RequestsPerConn: 1, BytesPerRequest: 10_000,
		IdleTimeout: DefaultIdleTimeout, Health: models.HealthCheckConfig{Interval: 10 * sim.Second, HealthyThreshold: 2, UnhealthyThreshold: 2}}
	for i, st := range sc.Spec.Strategies {
		plan, err := sc.plan(i)
		if err != nil {
			t.Fatal(err)
		}
		cfg := sc.systemConfig(plan, RunOptions{MaxInFlight: 5}, nil)
		if cfg.Lifecycle.Unhealthy != 20*sim.Second || cfg.Lifecycle.Deregistration != 30*sim.Second ||
			cfg.Lifecycle.Recovery != 30*sim.Second || cfg.Lifecycle.Boot == nil || cfg.Lifecycle.Pending == nil {
			t.Errorf("%s: lifecycle %+v", st.Name, cfg.Lifecycle)
		}
		if want := 8 * GP3USDPerGBMonth / 730; cfg.RootVolumeUSDHour != want || cfg.Service.QueueLimit != 20 ||
			cfg.Service.OnTimeout != models.ServeAbandoned {
			t.Errorf("%s: root volume %v $/h (want %v), queue limit %d, on timeout %d", st.Name, cfg.RootVolumeUSDHour, want,
				cfg.Service.QueueLimit, cfg.Service.OnTimeout)
		}
		wantOutage := []models.ZoneOutage{{Zone: 0, At: sim.Time(4 * sim.Minute), For: 2 * sim.Minute}}
		if cfg.Zones != 3 || cfg.Failures.InstanceMTBF != 20*sim.Minute || !reflect.DeepEqual(cfg.Failures.ZoneOutages, wantOutage) {
			t.Errorf("%s: zones %d, failures %+v", st.Name, cfg.Zones, cfg.Failures)
		}
		if cfg.Monitor.Period != sim.Minute || cfg.Monitor.Delay != 30*sim.Second {
			t.Errorf("%s: monitor %+v", st.Name, cfg.Monitor)
		}
		var warmup sim.Duration
		switch st.Type {
		case "static":
			if cfg.Fleet != (models.Group{}) || cfg.Door != lb {
				t.Errorf("static: fleet %+v, door %+v", cfg.Fleet, cfg.Door)
			}
		case "horizontal":
			warmup = 200 * sim.Second // no warm-up set: the default cooldown (docs/aws-behaviour.md §1.3)
			if _, ok := cfg.Fleet.(models.Group); !ok || cfg.Door != lb {
				t.Errorf("horizontal: fleet %+v, door %+v", cfg.Fleet, cfg.Door)
			}
		case "vertical":
			if r, ok := cfg.Fleet.(models.Resizable); !ok || r.Mode != models.BlueGreen || r.StopTime == nil || cfg.Door != lb {
				t.Errorf("vertical: fleet %+v, door %+v", cfg.Fleet, cfg.Door)
			}
		case "stream":
			want := models.Stream{Shards: 3, RecordBytes: 1024, PollInterval: sim.Second, Delivery: 200 * sim.Millisecond, Retention: 24 * sim.Hour,
				PerShardConcurrency: 1, CheckpointInterval: sim.Minute, Failover: 10 * sim.Second}
			if cfg.Door != want || cfg.Fleet != (models.Consumers{}) {
				t.Errorf("stream: door %+v, want %+v; fleet %+v", cfg.Door, want, cfg.Fleet)
			}
			if d := plan.Policy.Initial(); d.Desired != 3 || d.InstanceType != "m5.large" {
				t.Errorf("consumers %+v", d)
			}
		default:
			t.Errorf("%s: a family this test does not know", st.Type)
		}
		if cfg.Monitor.Warmup != warmup {
			t.Errorf("%s: warm-up %v, want %v", st.Name, cfg.Monitor.Warmup, warmup)
		}
	}
}

func TestFieldPath(t *testing.T) {
	tests := []struct {
		field  string
		single bool
		path   string
		leaf   string
	}{
		{"max", false, "max", "max"},
		{"instance_warmup", false, "instance_warmup", "instance_warmup"},
		{"policies", true, "policy", "policy"},
		{"policies", false, "policies", "policies"},
		{"policies.0.target", true, "policy.target", "target"},
		{"policies.0.target", false, "policies[0].target", "target"},
		{"policies.1.steps.2.lower", false, "policies[1].steps[2].lower", "lower"},
		{"policies.0.actions.10.recurrence", true, "policy.actions[10].recurrence", "recurrence"},
		{"ladder.3", false, "ladder[3]", "ladder"},
		{"policies.1.target", true, "policies[1].target", "target"},
		{"policies.01", true, "policies[01]", "policies"},
	}
	for _, tt := range tests {
		field := tt.field
		if tt.single {
			var fe *strategies.FieldError
			if !errors.As(underPolicy(&strategies.FieldError{Field: field, Msg: "m"}), &fe) || fe.Msg != "m" {
				t.Fatalf("underPolicy(%q) lost the *FieldError or its message", field)
			}
			field = fe.Field
		}
		path, leaf := fieldPath(field)
		if path != tt.path || leaf != tt.leaf {
			t.Errorf("fieldPath(%q) (single policy %v) = %q, %q; want %q, %q", tt.field, tt.single, path, leaf, tt.path, tt.leaf)
		}
	}
}

// The policy block's keys are exactly strategies.PolicyConfig's, and every
// policy type's keys are among them.
func TestPolicyKeys(t *testing.T) {
	all := keysOf(reflect.TypeFor[strategies.PolicyConfig]())
	for _, k := range []string{"type", "metric", "target", "steps", "actions", "cooldown"} {
		if !slices.Contains(all, k) {
			t.Errorf("policy keys %v lack %q", all, k)
		}
	}
	for _, typ := range policyTypes() {
		keys := policyKeys(typ)
		if len(keys) == 0 || keys[0] != "type" {
			t.Errorf("%s: keys %v", typ, keys)
		}
		for _, k := range keys {
			if !slices.Contains(all, k) {
				t.Errorf("%s: key %q is not a PolicyConfig key", typ, k)
			}
		}
	}
}

// section returns strategy st's family section as T (nil when it is of
// another family).
func section[T FamilySpec](st StrategySpec) T {
	s, _ := st.Spec.(T)
	return s
}

// TestStreamStoryAndNotes: a stream's backlog is a note (from 1% of
// arrivals, as the note the table and the JSON show) and a sentence of its
// own in the narrative (whenever records are left, its numbers formatted)
// that retells the note, and only that note; consumers beyond the shards
// are idle.
func TestStreamStoryAndNotes(t *testing.T) {
	s := &StreamSpec{Shards: 3, Consumers: ConsumersSpec{InstanceType: "m5.xlarge", Count: 6}}
	sum := &reports.StrategySummary{Requests: reports.Requests{Arrived: 5412155, Completed: 2999247, InFlightAtEnd: 2412908}}
	idle := "idle consumers: 6 consumers read 3 shards, one consumer per shard, so 3 never get a record"
	wantNotes := []string{"backlog: 2412908 records (45% of arrivals) were still waiting in the stream at the end; " +
		"they count as not served (availability.served), though success_ratio, which counts finished requests only, leaves them out", idle}
	if got := s.Notes(nil, sum); !reflect.DeepEqual(got, wantNotes) {
		t.Errorf("notes\n got %q\nwant %q", got, wantNotes)
	}
	sum.Notes = append(s.Notes(nil, sum), "warm-up: MSER-5 found no initial transient to cut (warmup: auto)")
	wantStory := &reports.Story{
		Sentences: []string{"2,412,908 records were still in the stream's backlog when the run ended (44.58% of arrivals)."},
		Retold:    wantNotes[:1],
	}
	if got := s.Story(sum); !reflect.DeepEqual(got, wantStory) {
		t.Errorf("story\n got %q\nwant %q", got, wantStory)
	}
	res := &reports.Result{Strategies: []reports.StrategySummary{*sum}}
	res.Strategies[0].Name, res.Strategies[0].Type, res.Strategies[0].Story = "kds", "stream", s.Story(sum)
	want := "kds (stream): It made no scaling decisions. " +
		"2,412,908 records were still in the stream's backlog when the run ended (44.58% of arrivals). " +
		"Idle consumers: 6 consumers read 3 shards, one consumer per shard, so 3 never get a record. " +
		"Warm-up: MSER-5 found no initial transient to cut (warmup: auto). It met the SLO in 0.00% of measured minutes and cost $0.00."
	if got := reports.Narrative(res)[0]; got != want {
		t.Errorf("narrative\n got %q\nwant %q", got, want)
	}
	one := &reports.StrategySummary{Requests: reports.Requests{Arrived: 1000, Completed: 999, InFlightAtEnd: 1}}
	s.Consumers.Count = 3
	if got := s.Notes(nil, one); got != nil {
		t.Errorf("one record left of 1,000 and no idle consumer: notes %q, want none", got)
	}
	if got, want := s.Story(one), []string{"1 record was still in the stream's backlog when the run ended (0.10% of arrivals)."}; !reflect.DeepEqual(got.Sentences, want) || got.Retold != nil {
		t.Errorf("story %q, want %q and no note retold", got, want)
	}
}

// badSection is a section with a name key, which every strategy has.
type badSection struct {
	StaticSpec
	Name string `yaml:"name"`
}

// mapSection is a section with a key the decoder cannot take.
type mapSection struct {
	StaticSpec `yaml:"-"`
	Labels     map[string]string `yaml:"labels"`
}

// untaggedSection is a section whose exported field has no key.
type untaggedSection struct {
	StaticSpec `yaml:"-"`
	Zones      []int
}

// TestSchemaAddFamily: a family is refused when its type is taken or not
// a word, when New is missing or returns no struct pointer, or when its
// section claims name or type.
func TestSchemaAddFamily(t *testing.T) {
	static := func() FamilySpec { return &StaticSpec{} }
	for _, tc := range []struct {
		name string
		f    Family
		want string
	}{
		{"taken", Family{Type: "static", New: static}, `strategy family "static" is registered already`},
		{"empty", Family{Type: "", New: static}, "a type is one word"},
		{"not a word", Family{Type: "Big Group", New: static}, "a type is one word"},
		{"no New", Family{Type: "toy"}, "New is nil"},
		{"nil section", Family{Type: "toy", New: func() FamilySpec { return nil }}, "New must return a pointer to a struct"},
		{"name key", Family{Type: "toy", New: func() FamilySpec { return &badSection{} }}, "may not have a name key"},
		{"map key", Family{Type: "toy", New: func() FamilySpec { return &mapSection{} }}, "field Labels of scenarios.mapSection: a map[string]string cannot be written"},
		{"untagged", Family{Type: "toy", New: func() FamilySpec { return &untaggedSection{} }}, "field Zones of scenarios.untaggedSection has no yaml tag"},
	} {
		err := DefaultSchema().AddFamily(tc.f)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	for _, f := range DefaultSchema().families {
		if err := checkSection(sectionType(f)); err != nil {
			t.Errorf("built-in family %s: %v", f.Type, err)
		}
	}
	sc := DefaultSchema()
	if err := sc.AddFamily(Family{Type: "toy", New: static}); err != nil {
		t.Fatal(err)
	}
	if got, want := sc.Types(), []string{"static", "horizontal", "vertical", "stream", "kubernetes", "toy"}; !slices.Equal(got, want) {
		t.Errorf("types %q, want %q", got, want)
	}
}

// TestPerShardConcurrencyWithinSlots: a shard's records are processed on
// the one consumer holding its lease, so per_shard_concurrency may not
// exceed one consumer's worker slots (vCPUs × workers_per_vcpu).
func TestPerShardConcurrencyWithinSlots(t *testing.T) {
	for _, c := range []struct {
		workers, concurrency int
		ok                   bool
	}{{1, 4, true}, {1, 5, false}, {2, 8, true}, {2, 9, false}} {
		_, err := loadString(t, valid, fmt.Sprintf("service.workers_per_vcpu=%d", c.workers),
			fmt.Sprintf("strategies=[{name: k, type: stream, shards: 2, consumers: {instance_type: m5.xlarge, count: 2, per_shard_concurrency: %d}}]", c.concurrency))
		if (err == nil) != c.ok {
			t.Errorf("workers_per_vcpu %d, per_shard_concurrency %d: error %v, want ok %v", c.workers, c.concurrency, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("set it to at most %d", 4*c.workers)) {
			t.Errorf("error %q does not give the limit %d", err, 4*c.workers)
		}
	}
}

// TestUnreadShardsNote: a consumer holds at most one lease per worker
// slot, so shards beyond the consumers' slots are never read, and the
// notes say so.
func TestUnreadShardsNote(t *testing.T) {
	sc, err := loadString(t, valid, "duration=3m",
		"strategies=[{name: k, type: stream, shards: 10, consumers: {instance_type: m5.large, count: 2}}]")
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{})
	want := "unread shards: 2 consumers of 2 worker slots hold at most 4 leases, one per slot, so 6 of the 10 shards are never read"
	if notes := res.Strategies[0].Notes; !slices.Contains(notes, want) {
		t.Errorf("notes %q, want %q among them", notes, want)
	}
}

// TestStreamZoneOutageEndToEnd: a scenario whose only stream consumer's
// zone goes down: the minutes of the outage complete nothing, nothing is
// dropped, the records completed since the last checkpoint are processed
// again once the consumer is back, and the summary, its JSON and the
// narrative say how many (docs/aws-behaviour.md §5.6).
func TestStreamZoneOutageEndToEnd(t *testing.T) {
	sc, err := loadString(t, valid, "duration=20m", "zones=1",
		"failures.zone_outages=[{zone: a, at: 5m, for: 2m}]",
		"strategies=[{name: k, type: stream, shards: 1, consumers: {instance_type: m5.large, count: 1}}]")
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{})
	k := res.Strategies[0]
	if k.Requests.Dropped != 0 || k.Requests.Reprocessed == 0 {
		t.Errorf("requests %+v: want none dropped and some processed again", k.Requests)
	}
	// Down at 5m, back in service minutes later: minutes 5 and 6 complete
	// nothing.
	for _, row := range res.Series[5:7] {
		if row.Completed != 0 || row.IteratorAgeMS != 0 {
			t.Errorf("minute %d: %d completed, iterator age %v ms while the only consumer was down", row.Minute, row.Completed, row.IteratorAgeMS)
		}
	}
	if !strings.Contains(jsonOf(t, res), fmt.Sprintf(`"reprocessed": %d`, k.Requests.Reprocessed)) {
		t.Errorf("the JSON does not carry requests.reprocessed:\n%s", jsonOf(t, res))
	}
	if story := strings.Join(k.Story.Sentences, " "); !strings.Contains(story, reports.FormatCount(k.Requests.Reprocessed)+" records were processed twice") {
		t.Errorf("story %q does not tell the re-processed records", story)
	}
}
