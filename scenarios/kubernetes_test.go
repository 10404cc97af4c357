package scenarios

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scalesim/scalesim/reports"
)

// smallCluster is the kubernetes built-in's flash sale at a tenth of its
// traffic, with each strategy scaled to match: quick enough to run with
// the invariants checked after every event.
const smallCluster = `name: small-cluster
seed: 3
duration: 75m
warmup: 5m
slo: {latency: 300ms}
workload: {type: spike, base: 30, peak: 240, at: 20m, rise: 3m, hold: 15m, fall: 10m}
service: {time: {dist: lognormal, median: 40ms, p99: 200ms}, workers_per_vcpu: 1, queue_limit: 64, timeout: 2s}
zones: 2
failures:
  zone_outages: [{zone: b, at: 30m, for: 10m}]
strategies:
  - {name: asg, type: horizontal, instance_type: m5.xlarge, min: 1, max: 8, policy: {type: target_tracking, metric: cpu, target: 50}}
  - name: hpa-cold
    type: kubernetes
    pod: {cpu: 1, memory: 2Gi}
    replicas: {min: 2, max: 30, initial: 4}
    hpa: {metric: cpu, target: 50}
    nodes: {instance_type: m5.2xlarge, min: 1, max: 6}
  - name: hpa-karpenter
    type: kubernetes
    pod: {cpu: 1, memory: 2Gi}
    replicas: {min: 2, max: 30, initial: 4}
    hpa: {metric: requests_per_pod, target: 10}
    vpa: {mode: in_place, half_life: 5m}
    nodes: {instance_types: [m5.xlarge, m5.2xlarge], max: 8, headroom_pods: 2}
  - name: vpa-recreate
    type: kubernetes
    pod: {cpu: 2, memory: 4Gi}
    replicas: {min: 3}
    vpa: {mode: recreate, half_life: 2m}
    nodes: {instance_type: m5.4xlarge, min: 3, max: 3}
`

// TestKubernetesFamily runs every provisioner and autoscaler of the
// kubernetes family, a zone outage included, with the model's invariants
// checked after every event, twice: the results are identical, the nodes'
// figures are there for the Kubernetes strategies only, and the VPA's
// recommendation is noted.
func TestKubernetesFamily(t *testing.T) {
	run := func() *reports.Result {
		sc, err := Load(fstest.MapFS{"k.yaml": {Data: []byte(smallCluster)}}, "k.yaml", nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), sc, RunOptions{Replications: 2, Checks: true, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(), run()
	if !reflect.DeepEqual(a.Strategies, b.Strategies) || !reflect.DeepEqual(a.Series, b.Series) || !reflect.DeepEqual(a.Events, b.Events) {
		t.Fatal("two runs of the same scenario differ")
	}
	for _, s := range a.Strategies {
		kube := s.Type == "kubernetes"
		if kube != (s.Capacity.NodeHours > 0 && s.Capacity.NodesMax > 0) {
			t.Errorf("%s (%s): node-hours %v, nodes max %d", s.Name, s.Type, s.Capacity.NodeHours, s.Capacity.NodesMax)
		}
		if kube && s.Capacity.InstanceHours != s.Capacity.NodeHours {
			t.Errorf("%s: instance-hours %v, node-hours %v: pods are not billed, nodes are", s.Name, s.Capacity.InstanceHours, s.Capacity.NodeHours)
		}
		if s.Requests.Completed == 0 {
			t.Errorf("%s completed nothing", s.Name)
		}
	}
	kinds := map[string]bool{}
	for _, e := range a.Events {
		kinds[e.Strategy+" "+e.Kind] = true
	}
	for _, k := range []string{"hpa-cold node_scale", "hpa-cold node_ready", "hpa-cold pod_pending", "hpa-cold node_not_ready",
		"hpa-karpenter node_scale", "hpa-karpenter pod_evicted", "vpa-recreate pod_evicted"} {
		if !kinds[k] {
			t.Errorf("no %s event", k)
		}
	}
	notes := strings.Join(a.Strategies[3].Notes, "|")
	if !strings.Contains(notes, "VPA (recreate): its last recommendation is") {
		t.Errorf("vpa-recreate notes %q", notes)
	}
}
