package scenarios

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// checkFuzzResult asserts the loader's contract on arbitrary input: an
// error is an input error rendered on one line; a scenario renders to YAML
// that loads back to the same Spec.
func checkFuzzResult(t *testing.T, fsys fstest.MapFS, sc *Scenario, err error) {
	t.Helper()
	if err != nil {
		if !IsInputError(err) {
			t.Fatalf("not an input error: %T %v", err, err)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || msg == "" {
			t.Fatalf("message is not one line: %q", msg)
		}
		return
	}
	y, err := sc.YAML()
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	fsys["dir/resolved.yaml"] = &fstest.MapFile{Data: y}
	again, err := Load(fsys, "dir/resolved.yaml", nil)
	if err != nil {
		t.Fatalf("resolved scenario does not load: %v\n%s", err, y)
	}
	if !reflect.DeepEqual(again.Spec, sc.Spec) {
		t.Fatalf("resolved scenario loads differently:\n%+v\n%+v\n%s", sc.Spec, again.Spec, y)
	}
}

// fuzzALBLine is one ALB access-log line in the documented field order.
const fuzzALBLine = `http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 ` +
	`"GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 ` +
	`"Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"`

// fuzzFS is the file system fuzzed scenarios live in, with traces of each
// format (an ALB log directory with a malformed line, a CloudWatch export)
// and a samples file they may name.
func fuzzFS(scenario []byte) fstest.MapFS {
	return fstest.MapFS{
		"dir/s.yaml":      {Data: scenario},
		"dir/t.csv":       {Data: []byte("0\n0.5\n1.25\n")},
		"dir/lat.txt":     {Data: []byte("10ms\n0.02\n")},
		"dir/bad.yaml":    {Data: []byte("x")},
		"dir/alb/a.log":   {Data: []byte(fuzzALBLine + "\n")},
		"dir/alb/b/c.log": {Data: []byte("x y\n" + fuzzALBLine + "\n")},
		"dir/cw.json": {Data: []byte(`{"Label": "RequestCount", "Datapoints": [` +
			`{"Timestamp": "2024-03-01T12:00:00Z", "Sum": 600}, {"Timestamp": "2024-03-01T12:05:00Z", "Sum": 300}]}`)},
	}
}

// seedFiles returns every built-in scenario and every bad one.
func seedFiles(t interface{ Fatal(...any) }) [][]byte {
	var out [][]byte
	for _, b := range Builtins() {
		data, err := fs.ReadFile(builtinFS, builtinDir+"/"+b.Name+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "testdata/two.yaml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return append(out, []byte(valid))
}

func FuzzLoadScenario(f *testing.F) {
	for _, data := range seedFiles(f) {
		f.Add(data)
	}
	f.Add([]byte("name: x\nduration: 1h\nworkload: {type: trace, path: t.csv, format: timestamps}\nservice: {time: {dist: empirical, path: lat.txt}}\nstrategies: [{name: a, type: static, instance_type: m5.large, count: 1}]\n"))
	f.Add([]byte("name: x\nduration: 1h\nworkload: {type: trace, path: alb, format: alb, strict: false, rate_scale: 3}\nservice: {time: {dist: exponential, mean: 50ms}}\nstrategies: [{name: a, type: static, instance_type: m5.large, count: 1}]\n"))
	f.Add([]byte("name: x\nduration: 1h\nworkload: {type: mix, components: [{type: trace, path: cw.json, format: cloudwatch, interval: 5m}, {type: poisson, rate: 1}]}\nservice: {time: {dist: exponential, mean: 50ms}}\nstrategies: [{name: a, type: horizontal, instance_type: m5.large, min: 1, max: 4, warm_pool: {size: 2, start: {dist: exponential, mean: 20s}, stopped_usd_hour: 0.02}, policy: {type: target_tracking, metric: cpu, target: 50}}]\n"))
	f.Add([]byte("name: x\nduration: 1h\nstart: 2024-03-01T13:00:00Z\nworkload: {type: poisson, rate: 1}\nservice: {time: {dist: exponential, mean: 50ms}}\nstrategies: [{name: a, type: horizontal, instance_type: m5.large, min: 1, max: 4, policy: {type: predictive, metric: request_count_per_target, target: 50, history: {path: cw.json, column: Sum}}}]\n"))
	f.Add([]byte("base: &b {type: static, instance_type: m5.large, count: 1}\n"))
	f.Add([]byte(tiny))
	f.Add([]byte(gpuScenario))
	f.Add([]byte(`name: k
duration: 1h
workload: {type: poisson, rate: 50}
service: {time: {dist: exponential, mean: 50ms}, workers_per_vcpu: 2}
strategies:
  - name: hpa
    type: kubernetes
    pod: {cpu: 500m, memory: 512Mi, startup: {dist: lognormal, median: 8s, p99: 20s}}
    replicas: {min: 2, max: 40, initial: 3}
    hpa:
      metric: requests_per_pod
      target: 20
      behavior:
        scaleUp: {stabilizationWindowSeconds: 30, selectPolicy: Min, policies: [{type: Pods, value: 2, periodSeconds: 30}], tolerance: 0.05}
        scaleDown: {selectPolicy: Disabled}
    vpa: {mode: in_place, min_cpu: 500m, max_cpu: 2, half_life: 10m}
    nodes: {instance_types: [m5.large, m5.xlarge], max: 10, join: {dist: deterministic, value: 30s}, headroom_pods: 2}
  - {name: ca, type: kubernetes, pod: {cpu: 1}, replicas: {min: 1}, vpa: {mode: recreate},
     nodes: {instance_type: c5.large, min: 1, max: 3, provisioner: cluster_autoscaler}}
`))
	f.Add([]byte(`name: p
duration: 2h
workload: {type: poisson, rate: 20}
service: {time: {dist: exponential, mean: 50ms}}
strategies:
  - name: asg
    type: horizontal
    instance_type: m5.large
    min: 1
    max: 9
    instance_warmup: 1m
    policies:
      - {type: step, metric: cpu, threshold: 60, comparison: ">", adjustment_type: percent_change_in_capacity,
         min_adjustment_magnitude: 2, steps: [{upper: 0, adjustment: -10}, {lower: 0, adjustment: 30}]}
      - {type: simple, metric: in_flight, threshold: 1, comparison: "<=", adjustment_type: exact_capacity, adjustment: 2, cooldown: 1m}
      - {type: scheduled, actions: [{at: 30m, min: 3, max: 5}, {recurrence: "*/15 * * * *", time_zone: Europe/Paris, desired: 4}]}
      - {type: predictive, metric: request_count_per_target, target: 600, mode: forecast_only,
         max_capacity_breach_behavior: increase_max_capacity, max_capacity_buffer: 10}
  - {name: s, type: stream, on_demand: true, record_size: 300000, poll_interval: 200ms, delivery_latency: 0s,
     retention: 48h, consumers: {instance_type: c5.large, count: 2, per_shard_concurrency: 2, checkpoint_interval: 30s, failover: 5s}}
  - {name: v, type: vertical, ladder: [c5.large, c5.xlarge], resize: blue_green,
     stop_time: {dist: gamma, mean: 40s, cv: 0.5}, scale_up_cpu: 80, scale_down_cpu: 10}
`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fuzzFS(data)
		sc, err := Load(fsys, "dir/s.yaml", nil)
		checkFuzzResult(t, fsys, sc, err)
	})
}

func FuzzSetPath(f *testing.F) {
	for _, s := range []string{
		"workload.rate=500", "service.timeout=2s", "strategies.small.count=7", "strategies.asg.policy.target=60",
		"workload.steps=[{at: 0s, rate: 5}]", "workload={type: steps, steps: [{at: 0s, rate: 5}]}",
		"workload.rat=5", "strategies.nope.max=3", "=", "a.b.c.d=", "seed=-1", "duration=1e400",
		"strategies.0.name=x y", "strategies=[]", "slo={latency: 5}", "workload.type=trace",
		"service.time={dist: empirical, path: lat.txt}", "load_balancer.routing=random",
		"strategies.asg.policy={type: step, metric: cpu, threshold: 50, comparison: \">\", adjustment_type: change_in_capacity, steps: [{lower: 0, adjustment: 1}]}",
		"strategies.asg.policies=[{type: scheduled, actions: [{at: 1h, desired: 10}]}]", "strategies.asg.policy=",
		"strategies.asg.instance_warmup=30s", "strategies.asg.policy.disable_scale_in=true",
		"strategies.asg.warm_pool={size: 2}", "strategies.asg.warm_pool.size=3", "strategies.asg.warm_pool.start={dist: deterministic, value: 1m}",
		"workload={type: trace, path: alb, format: alb, strict: true}", "workload={type: trace, path: cw.json, format: cloudwatch}",
		"workload={type: trace, path: t.csv, format: timestamps, column: 1, rate_scale: 1e6, time_scale: 0.5, start: 0.5s, end: 2s}",
		"workload={type: trace, path: alb, format: alb, column: 2}", "workload={type: trace, path: cw.json, format: cloudwatch, interval: 2d}",
		"failures={instance_mtbf: 1h, zone_outages: [{zone: b, at: 10m, for: 5m}]}", "zones=1",
		"instances.boot={dist: deterministic, value: 5s}", "instances.health_check.interval=10s",
		"metrics.period=5m", "load_balancer.bytes_per_request=1e6", "service.startup={dist: exponential, mean: 1m}",
		"strategies=[{name: k, type: stream, shards: 3, consumers: {instance_type: m5.large, count: 1}}]",
		"strategies=[{name: k, type: stream, shards: 3, consumers: {instance_type: m5.large, count: 1, per_shard_concurrency: 3}}]",
		"strategies=[{name: v, type: vertical, ladder: [m5.large, m5.xlarge], initial: m5.xlarge}]",
		"service.workers_per_gpu=4", "service.workers_per_vcpu=null", "service.workers_per_gpu=null",
		"strategies=[{name: g, type: vertical, ladder: [g5.16xlarge, g5.12xlarge]}]",
		"load_balancer.idle_timeout=0s", "load_balancer.idle_timeout=-1s", "service.on_client_timeout=skip",
		"service.queue_limit=0", "instances.pending={dist: deterministic, value: 5s}", "instances.ebs_gb=20",
	} {
		f.Add(s, "")
		f.Add(s, "seed=3")
	}
	f.Fuzz(func(t *testing.T, set1, set2 string) {
		fsys := fuzzFS([]byte(valid))
		sc, err := Load(fsys, "dir/s.yaml", []string{set1, set2})
		checkFuzzResult(t, fsys, sc, err)
	})
}
