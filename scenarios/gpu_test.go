package scenarios

import (
	"strings"
	"testing"
)

// gpuScenario is a GPU-bound model (4 requests at once per GPU, 1 s each)
// at 100 requests/s, on one instance of each of two g5 types.
const gpuScenario = `name: gpu
duration: 10m
workload: {type: poisson, rate: 100}
service:
  time: {dist: deterministic, value: 1s}
  workers_per_gpu: 4
  queue_limit: 10
strategies:
  - {name: four-gpus, type: static, instance_type: g5.12xlarge, count: 1}
  - {name: one-gpu, type: static, instance_type: g5.16xlarge, count: 1}
`

// TestGPUBoundScenario: a scenario's workers_per_gpu reaches the model. A
// g5.12xlarge (four GPUs, 48 vCPUs) completes about four times what a
// g5.16xlarge (one GPU, 64 vCPUs) does; with workers_per_vcpu the 64 vCPUs
// would win (docs/aws-behaviour.md §4.2).
func TestGPUBoundScenario(t *testing.T) {
	completed := func(sets ...string) (four, one int64) {
		sc, err := loadString(t, gpuScenario, sets...)
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, sc, RunOptions{})
		return res.Strategies[0].Requests.Completed, res.Strategies[1].Requests.Completed
	}
	four, one := completed()
	if four < 15*600 || one > 4*600 || four < 3*one {
		t.Errorf("GPU-bound: g5.12xlarge completed %d, g5.16xlarge %d; want about 16/s and 4/s over 600 s", four, one)
	}
	four, one = completed("service.workers_per_gpu=null", "service.workers_per_vcpu=1")
	if four >= one {
		t.Errorf("CPU-bound: g5.12xlarge completed %d, not fewer than g5.16xlarge's %d", four, one)
	}
}

// TestGPUResolved: the resolved scenario of a GPU-bound model states
// workers_per_gpu and not the vCPU default, and loads back the same; a
// CPU-bound one states workers_per_vcpu only.
func TestGPUResolved(t *testing.T) {
	for _, tt := range []struct {
		sets      []string
		has, hasn string
	}{
		{nil, "workers_per_gpu: 4", "workers_per_vcpu"},
		{[]string{"service.workers_per_gpu=null"}, "workers_per_vcpu: 1", "workers_per_gpu"},
		{[]string{"strategies=[{name: v, type: vertical, ladder: [g5.16xlarge, g5.12xlarge, g5.48xlarge]}, " +
			"{name: s, type: stream, shards: 2, consumers: {instance_type: g4dn.12xlarge, count: 2}}, " +
			"{name: h, type: horizontal, instance_type: g4dn.xlarge, min: 1, max: 3, warm_pool: {size: 1}, policy: {type: target_tracking, metric: cpu, target: 50}}]"},
			"ladder: [g5.16xlarge, g5.12xlarge, g5.48xlarge]", "workers_per_vcpu"},
	} {
		sc, err := loadString(t, gpuScenario, tt.sets...)
		if err != nil {
			t.Fatalf("%v: %v", tt.sets, err)
		}
		y, err := sc.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(y), tt.has) || strings.Contains(string(y), tt.hasn) {
			t.Errorf("%v: resolved YAML should have %q and not %q:\n%s", tt.sets, tt.has, tt.hasn, y)
		}
		roundTrip(t, sc, testFS(gpuScenario), "dir/r.yaml")
	}
}

// TestGPUBadSets: the bad GPU inputs given by --set name the flag, the
// place of the other key and the fix.
func TestGPUBadSets(t *testing.T) {
	tests := []struct {
		sets []string
		want string
	}{
		{[]string{"service.workers_per_vcpu=2"},
			"--set service.workers_per_vcpu=2: service.workers_per_vcpu: workers_per_vcpu and workers_per_gpu are both set (service.workers_per_gpu at line 6); keep workers_per_gpu"},
		{[]string{"strategies.one-gpu.instance_type=c6i.32xlarge"},
			"--set strategies.one-gpu.instance_type=c6i.32xlarge: strategies.one-gpu.instance_type: c6i.32xlarge has no GPU, and service.workers_per_gpu (line 6) sizes the model's worker slots by GPUs; choose a type with GPUs"},
		{[]string{"strategies=[{name: v, type: vertical, ladder: [g4dn.xlarge, g4dn.16xlarge]}]"},
			"strategies.v.ladder[1]: the ladder must ascend by GPUs: g4dn.16xlarge has 1, g4dn.xlarge before it 1; a GPU-bound model grows only with GPUs"},
		{[]string{"service.workers_per_gpu=1025"}, "service.workers_per_gpu: must be from 1 to 1024 (got 1025)"},
	}
	for _, tt := range tests {
		_, err := loadString(t, gpuScenario, tt.sets...)
		checkInputError(t, err, "")
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v:\n  %v\nwant it to contain\n  %s", tt.sets, err, tt.want)
		}
	}
}
