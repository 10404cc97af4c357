package scenarios

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scalesim/scalesim/sim"
)

// wantLine extracts the "# want: ..." substring a bad scenario declares on
// its first line.
func wantLine(t *testing.T, data []byte) string {
	t.Helper()
	first, _, _ := strings.Cut(string(data), "\n")
	want, ok := strings.CutPrefix(first, "# want: ")
	if !ok {
		t.Fatalf("first line %q is not a # want: comment", first)
	}
	return want
}

// checkInputError asserts the properties every bad-input error has.
func checkInputError(t *testing.T, err error, file string) *Error {
	t.Helper()
	if err == nil {
		t.Fatal("loaded without error")
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %T %q is not a *scenarios.Error", err, err)
	}
	if !IsInputError(err) {
		t.Errorf("IsInputError(%q) = false", err)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message is not one line: %q", msg)
	}
	if file != "" && !strings.HasPrefix(msg, file) {
		t.Errorf("message %q does not start with %q", msg, file)
	}
	return se
}

func TestBadScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 30 {
		t.Fatalf("want the bad scenarios under testdata/bad, got %d (%v)", len(files), err)
	}
	fsys := os.DirFS("testdata/bad")
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := wantLine(t, data)
			_, err = Load(fsys, name, nil)
			se := checkInputError(t, err, name)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error\n  %s\ndoes not contain\n  %s", err, want)
			}
			if se.Hint == "" {
				t.Errorf("error %q has no hint", err)
			}
			if strings.HasPrefix(want, name+":") && se.Line == 0 && !strings.HasPrefix(want, name+": ") {
				t.Errorf("error %q has no line", err)
			}
		})
	}
}

// valid is a small scenario that loads.
const valid = `name: ok
duration: 1h
workload:
  type: poisson
  rate: 100
service:
  time: {dist: exponential, mean: 50ms}
strategies:
  - name: small
    type: static
    instance_type: m5.large
    count: 2
  - name: asg
    type: horizontal
    instance_type: m5.xlarge
    min: 1
    max: 10
    policy: {type: target_tracking, metric: cpu, target: 50}
`

func loadString(t *testing.T, text string, sets ...string) (*Scenario, error) {
	t.Helper()
	return Load(testFS(text), "dir/s.yaml", sets)
}

// testFS holds a scenario at dir/s.yaml, a small counts trace and a file
// of recorded model-load times beside it.
func testFS(text string) fstest.MapFS {
	return fstest.MapFS{"dir/s.yaml": {Data: []byte(text)}, "dir/t.csv": {Data: []byte("0\n1\n2\n")},
		"dir/load.txt": {Data: []byte("20s\n40s\n")}}
}

func TestDefaults(t *testing.T) {
	sc, err := loadString(t, valid)
	if err != nil {
		t.Fatal(err)
	}
	s := sc.Spec
	if s.Seed != DefaultSeed || s.Warmup != 0 || s.SLO.Latency != DefaultSLOLatency {
		t.Errorf("top-level defaults: seed %d warmup %v slo %v", s.Seed, s.Warmup, s.SLO.Latency)
	}
	if s.Service.WorkersPerVCPU != 1 || s.Service.QueueLimit != DefaultQueueLimit || s.Service.Timeout != 0 || s.Service.OnClientTimeout != "serve" {
		t.Errorf("service defaults: %+v", s.Service)
	}
	if s.LoadBalancer.Routing != "round_robin" {
		t.Errorf("routing default %q", s.LoadBalancer.Routing)
	}
	if h := section[*HorizontalSpec](s.Strategies[1]); h.Initial != "1" {
		t.Errorf("horizontal initial default %q, want min = 1", h.Initial)
	}
	if got := sc.StrategyNames(); !reflect.DeepEqual(got, []string{"small", "asg"}) {
		t.Errorf("names %v", got)
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		name  string
		sets  []string
		check func(s Spec) bool
	}{
		{"change a value", []string{"workload.rate=250"}, func(s Spec) bool { return s.Workload.Rate == 250 }},
		{"later set wins", []string{"workload.rate=250", "workload.rate=300"}, func(s Spec) bool { return s.Workload.Rate == 300 }},
		{"missing but valid key", []string{"service.timeout=2s"}, func(s Spec) bool { return s.Service.Timeout == 2*sim.Second }},
		{"missing section", []string{"slo.latency=120ms"}, func(s Spec) bool { return s.SLO.Latency == 120*sim.Millisecond }},
		{"strategy by name", []string{"strategies.small.count=7"}, func(s Spec) bool { return section[*StaticSpec](s.Strategies[0]).Count == 7 }},
		{"nested strategy field", []string{"strategies.asg.policy.target=65"}, func(s Spec) bool { return section[*HorizontalSpec](s.Strategies[1]).Policy.Target == 65 }},
		{"strategy by index", []string{"strategies.1.max=20"}, func(s Spec) bool { return section[*HorizontalSpec](s.Strategies[1]).Max == 20 }},
		{"flow value", []string{"workload={type: steps, steps: [{at: 0s, rate: 5}, {at: 10m, rate: 9}]}"},
			func(s Spec) bool {
				return s.Workload.Type == "steps" && len(s.Workload.Steps) == 2 && s.Workload.Steps[1].Rate == 9
			}},
		{"replace list then index", []string{"workload.type=steps", "workload.rate=", "workload.steps=[{at: 0s, rate: 5}]", "workload.steps.0.rate=8"},
			func(s Spec) bool { return s.Workload.Steps[0].Rate == 8 }},
		{"seed", []string{"seed=42"}, func(s Spec) bool { return s.Seed == 42 }},
		{"whole strategy list", []string{"strategies=[{name: one, type: static, instance_type: c5.large, count: 3}]"},
			func(s Spec) bool {
				return len(s.Strategies) == 1 && section[*StaticSpec](s.Strategies[0]).InstanceType == "c5.large"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := loadString(t, valid, tt.sets...)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(sc.Spec) {
				t.Errorf("sets %q did not take effect: %+v", tt.sets, sc.Spec)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		set, want string
	}{
		{"workload.rat=5", `--set workload.rat=5: unknown key "rat" in workload; did you mean "rate"?`},
		{"nme=x", `--set nme=x: unknown key "nme"; did you mean "name"?`},
		{"strategies.smal.count=3", `--set strategies.smal.count=3: no strategy named "smal" in strategies; did you mean "small"?`},
		{"strategies.nope.count=3", `the strategies are small or asg`},
		{"workload.rate.x=3", `--set workload.rate.x=3: workload.rate is a single value; it has no key "x"`},
		{"workload.rate", `--set workload.rate: want PATH=VALUE`},
		{"workload..rate=1", `empty key in path`},
		{"workload.rate=-5", `--set workload.rate=-5: workload.rate: must be > 0 (got -5); set a positive requests-per-second`},
		{"workload.rate=abc", `--set workload.rate=abc: workload.rate: want a number, got "abc"`},
		{"workload.rate=[1", `--set workload.rate=[1: the value is not valid YAML`},
		{"strategies.small.count=0", `--set strategies.small.count=0: strategies.small.count: must be from 1 to 10000 (got 0)`},
		{"service.timeout=5", `--set service.timeout=5: service.timeout: a duration needs a unit`},
		{"workload.steps=[{at: 0s, rte: 5}]", `--set workload.steps=[{at: 0s, rte: 5}]: unknown key "rte" in workload.steps[0]; did you mean "rate"?`},
		{"workload.steps=[{at: 0s, rate: 5}]", `--set workload.steps=[{at: 0s, rate: 5}]: workload.steps: not used by a poisson workload`},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			_, err := loadString(t, valid, tt.set)
			checkInputError(t, err, "--set ")
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n  %s\ndoes not contain\n  %s", err, tt.want)
			}
		})
	}
}

func TestBuiltins(t *testing.T) {
	list := Builtins()
	var names []string
	for _, b := range list {
		names = append(names, b.Name)
		if b.Description == "" || strings.Contains(b.Description, "\n") {
			t.Errorf("%s: description %q is not one line", b.Name, b.Description)
		}
	}
	want := []string{"azure-llm", "default", "exam", "fraud-detection", "image-classification", "kubernetes", "mmc", "nasa-launch", "vertical-wins", "worldcup98"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("built-ins %v, want %v sorted", names, want)
	}
	for _, b := range list {
		if !IsBuiltin(b.Name) {
			t.Errorf("IsBuiltin(%q) = false", b.Name)
		}
		sc, err := Builtin(b.Name, nil)
		if err != nil {
			t.Fatalf("%s: %v", b.Name, err)
		}
		if sc.Spec.Name != b.Name {
			t.Errorf("built-in %s is named %q inside", b.Name, sc.Spec.Name)
		}
		roundTrip(t, sc, builtinFiles(t), "r.yaml")
	}
	for _, bad := range []string{"", "nope", "default.yaml", "../default", "builtin/default"} {
		if IsBuiltin(bad) {
			t.Errorf("IsBuiltin(%q) = true", bad)
		}
	}
	_, err := Builtin("defualt", nil)
	checkInputError(t, err, "defualt")
	if !strings.Contains(err.Error(), `did you mean "default"?`) {
		t.Errorf("unknown built-in: %v", err)
	}
}

// roundTrip checks that the resolved YAML loads back to the same Spec.
// Files the scenario names are looked up in fsys, where the resolved YAML
// is placed at name.
func roundTrip(t *testing.T, sc *Scenario, fsys fstest.MapFS, name string) {
	t.Helper()
	y, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	fsys = maps.Clone(fsys)
	fsys[name] = &fstest.MapFile{Data: y}
	again, err := Load(fsys, name, nil)
	if err != nil {
		t.Fatalf("resolved YAML does not load: %v\n%s", err, y)
	}
	if !reflect.DeepEqual(again.Spec, sc.Spec) {
		t.Errorf("round trip changed the spec:\n%+v\n%+v\n%s", sc.Spec, again.Spec, y)
	}
	y2, err := again.YAML()
	if err != nil || string(y2) != string(y) {
		t.Errorf("second rendering differs (%v):\n%s\n%s", err, y, y2)
	}
}

func TestRoundTripEveryType(t *testing.T) {
	workloads := []string{
		`{type: poisson, rate: 12.5}`,
		`{type: steps, steps: [{at: 0s, rate: 0}, {at: 10m, rate: 40}]}`,
		`{type: diurnal, base: 0, peak: 80, peak_hour: 14.5}`,
		`{type: spike, base: 10, peak: 90, at: 5m, rise: 1m, hold: 2m, fall: 3m}`,
		`{type: ramp, from: 5, to: 50, over: 30m}`,
		`{type: mix, components: [{type: poisson, rate: 5}, {type: mix, components: [{type: ramp, from: 0, to: 9}]}]}`,
		`{type: trace, path: t.csv, format: counts, interval: 1m, rate_scale: 2}`,
	}
	for _, w := range workloads {
		sc, err := loadString(t, valid, "workload="+w, "service.time={dist: gamma, mean: 20ms, cv: 2}",
			`strategies=[{name: a, type: static, instance_type: m5.large, count: 1},
			{name: v, type: vertical, ladder: [m5.large, m5.xlarge], initial: m5.xlarge},
			{name: s, type: stream, shards: 2, consumers: {instance_type: c5.large, count: 3}},
			{name: sa, type: stream, shards: 4, consumers: {instance_type: c5.large, autoscale: {metric: iterator_age, target: 30000, min: 2, max: 6}}},
			{name: sb, type: stream, shards: 4, consumers: {instance_type: c5.large, count: 3, autoscale: {metric: backlog_per_consumer, target: 500, min: 2, max: 6}}}]`,
			"service.startup={dist: empirical, path: load.txt}", "instances.boot={dist: exponential, mean: 30s}")
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		roundTrip(t, sc, testFS(valid), "dir/r.yaml")
	}
}

func TestEmpiricalSamples(t *testing.T) {
	fsys := fstest.MapFS{
		"s.yaml":   {Data: []byte(strings.Replace(valid, "{dist: exponential, mean: 50ms}", "{dist: empirical, path: lat.txt}", 1))},
		"lat.txt":  {Data: []byte("# recorded\n0.010\n20ms\n\n30ms\n")},
		"c.yaml":   {Data: []byte(strings.Replace(valid, "{dist: exponential, mean: 50ms}", "{dist: empirical, path: lat.csv, column: ms}", 1))},
		"lat.csv":  {Data: []byte("id,ms\n1,10ms\n2,0.03\n")},
		"bad.yaml": {Data: []byte(strings.Replace(valid, "{dist: exponential, mean: 50ms}", "{dist: empirical, path: bad.txt}", 1))},
		"bad.txt":  {Data: []byte("0.01\n-3\n")},
	}
	sc, err := Load(fsys, "s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := sc.demand.Mean(); m < 0.0199999 || m > 0.0200001 {
		t.Errorf("mean of 10, 20, 30 ms = %v s, want 0.02", m)
	}
	sc, err = Load(fsys, "c.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := sc.demand.Mean(); m < 0.0199999 || m > 0.0200001 {
		t.Errorf("mean of the ms column = %v s, want 0.02", m)
	}
	_, err = Load(fsys, "bad.yaml", nil)
	checkInputError(t, err, "bad.txt:2: ")
}

func TestPathsOutsideTheDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "s"), 0o755); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(valid, "{dist: exponential, mean: 50ms}", "{dist: empirical, path: ../lat.txt}", 1)
	for name, data := range map[string]string{"s/x.yaml": text, "lat.txt": "10ms\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := LoadFile(filepath.Join(dir, "s", "x.yaml"), nil); err != nil {
		t.Errorf("LoadFile with ../ path: %v", err)
	}
	_, err := Load(os.DirFS(filepath.Join(dir, "s")), "x.yaml", nil)
	checkInputError(t, err, "x.yaml:7: service.time.path")
}

func TestErrorRendering(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "mmc.yaml", Line: 5, Path: "workload.rate", Msg: "must be > 0 (got -5)", Hint: "set a positive requests-per-second"},
			"mmc.yaml:5: workload.rate: must be > 0 (got -5); set a positive requests-per-second"},
		{Error{File: "mmc.yaml", Msg: "the file is empty"}, "mmc.yaml: the file is empty"},
		{Error{Line: 3, Msg: "x"}, "line 3: x"},
		{Error{File: "f", Msg: "a\nb\r\nc"}, "f: a b c"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	if IsInputError(errors.New("x")) || IsInputError(nil) {
		t.Error("IsInputError true for a plain error")
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"name", "duration", "workload", "workers_per_vcpu"}
	for word, want := range map[string]string{"nmae": "name", "duraton": "duration", "work": "workload", "xyz": "", "": ""} {
		if got := suggest(word, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestTrace(t *testing.T) {
	text := strings.Replace(valid, "type: poisson\n  rate: 100", "type: trace\n  path: traces/t.csv\n  format: timestamps", 1)
	fsys := fstest.MapFS{
		"dir/s.yaml":       {Data: []byte(text)},
		"dir/traces/t.csv": {Data: []byte("0\n0.5\n1.25\n2\n")},
	}
	sc, err := Load(fsys, "dir/s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if tc := sc.workload.Trace; tc == nil || tc.Path != "dir/traces/t.csv" || tc.RateScale != 1 || tc.TimeScale != 1 {
		t.Fatalf("trace config %+v", tc)
	}
	res, err := Run(context.Background(), sc, RunOptions{Strategies: []string{"small"}, Checks: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Strategies[0].Requests.Arrived; got != 4 {
		t.Errorf("replayed %d arrivals, want the trace's 4", got)
	}

	fsys["dir/traces/t.csv"] = &fstest.MapFile{Data: []byte("0\n0.5\nsoon\n")}
	_, err = Load(fsys, "dir/s.yaml", nil)
	checkInputError(t, err, "dir/traces/t.csv:3: ")

	_, err = Load(fsys, "dir/s.yaml", []string{"workload.format=counts"})
	checkInputError(t, err, "dir/s.yaml:3: workload.interval: required")
	_, err = Load(fsys, "dir/s.yaml", []string{"workload.rate_scale=0"})
	checkInputError(t, err, "--set workload.rate_scale=0: workload.rate_scale: must be > 0")
	_, err = Load(fsys, "dir/s.yaml", []string{"workload.end=1s", "workload.start=2s"})
	checkInputError(t, err, "--set workload.end=1s: workload.end: must be after start")
	_, err = Load(fsys, "dir/s.yaml", []string{"workload.path=../../x.csv"})
	checkInputError(t, err, "--set workload.path=../../x.csv: workload.path:")
}

// TestPeakRateAndScale: the keys a tool may move to change a workload's
// peak or scale its service times are the ones Load accepts for that type.
func TestPeakRateAndScale(t *testing.T) {
	for _, c := range []struct {
		w    WorkloadSpec
		key  string
		peak float64
		ok   bool
	}{
		{WorkloadSpec{Type: "spike", Base: 300, Peak: 2400}, "peak", 2400, true},
		{WorkloadSpec{Type: "diurnal", Base: 150, Peak: 1500}, "peak", 1500, true},
		{WorkloadSpec{Type: "poisson", Rate: 350}, "rate", 350, true},
		{WorkloadSpec{Type: "steps"}, "", 0, false},
		{WorkloadSpec{Type: "trace"}, "", 0, false},
	} {
		key, peak, _, ok := c.w.PeakRate()
		if key != c.key || peak != c.peak || ok != c.ok {
			t.Errorf("%s: PeakRate() = %q %v %v, want %q %v %v", c.w.Type, key, peak, ok, c.key, c.peak, c.ok)
		}
		if ok && !slices.Contains(workloadKeys(c.w.Type), key) {
			t.Errorf("%s: key %q is not one of the type's keys %q", c.w.Type, key, workloadKeys(c.w.Type))
		}
	}
	for _, dist := range distNames() {
		keys, times, ok := TimeSpec{Dist: dist}.Scale()
		if ok != (dist != "empirical") || len(keys) != len(times) {
			t.Errorf("%s: Scale() = %q (%d times), %v", dist, keys, len(times), ok)
		}
		for _, k := range keys {
			if !slices.Contains(timeKeys(dist), k) {
				t.Errorf("%s: key %q is not one of the distribution's keys %q", dist, k, timeKeys(dist))
			}
		}
	}
}
