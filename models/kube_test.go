package models_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// readiness is a readiness probe with Kubernetes' defaults: every 10 s, one
// success makes a pod ready, three failures unready.
var readiness = models.HealthCheckConfig{Interval: 10 * sim.Second, HealthyThreshold: 1, UnhealthyThreshold: 3}

// kubeRun is a Kubernetes strategy's run in a test.
type kubeRun struct {
	sink *ledgerSink
	rec  *recording
}

// runKube runs an HPA on cpu (target 50%, 2 to 30 pods of one core) over a
// cluster autoscaler of m5.xlarge nodes (three such pods each, 1 to 10
// nodes, one at time zero) facing src for horizon; each pod serves 10
// requests/s at 100%.
func runKube(t *testing.T, src models.Arrivals, horizon sim.Duration, mod func(*models.Kube, *strategies.KubernetesConfig), outages ...models.ZoneOutage) kubeRun {
	t.Helper()
	cat := testCatalog(t)
	nt, _ := cat.Lookup("m5.xlarge")
	sc := strategies.KubernetesConfig{Name: "web", NodeType: "m5.xlarge", Replicas: 2, PodCPU: 1,
		HPA: &strategies.HPAConfig{Metric: strategies.HPAMetricCPU, Target: 50, Min: 2, Max: 30}}
	ca, err := strategies.NewClusterAutoscaler(strategies.ClusterAutoscalerConfig{
		Template: strategies.NodeTemplate{Type: nt.Name, Allocatable: models.EKSAllocatable(nt), PriceUSDHour: nt.PriceUSDHour}, Min: 1, Max: 10})
	if err != nil {
		t.Fatal(err)
	}
	k := models.Kube{Pod: models.KubePod{CPU: 1, MemoryMiB: 2048, Startup: det(t, 10)}, InitialNodes: []string{"m5.xlarge"},
		Provisioner: ca, Join: det(t, 20)}
	if mod != nil {
		mod(&k, &sc)
	}
	st, err := strategies.NewKubernetes(sc)
	if err != nil {
		t.Fatal(err)
	}
	cfg := models.Config{
		Horizon:     sim.Time(horizon),
		Service:     models.ServiceConfig{Demand: det(t, 0.1), WorkersPerVCPU: 1},
		Fleet:       k,
		Door:        models.LoadBalancer{Health: readiness},
		Catalog:     cat,
		SampleEvery: 10 * sim.Second,
		Lifecycle:   models.LifecycleConfig{Pending: det(t, 10), Boot: det(t, 20), Deregistration: 300 * sim.Second},
		Zones:       2,
		Failures:    models.FailureConfig{ZoneOutages: outages},
		Checks:      true,
	}
	sink := &ledgerSink{}
	rec := &recording{Strategy: st}
	sys, err := models.NewSystem(cfg, src, rec, sink, sim.NewStreams(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sys.Run(); err != nil {
		t.Fatal(err)
	}
	if !sink.balanced() {
		t.Fatal("ledger does not balance")
	}
	return kubeRun{sink: sink, rec: rec}
}

// stepRun is an HPA on cpu facing a step from 8 to 40 requests/s at 10 min
// and back at 40 min: 2 pods at 40% CPU, then work for 8 at 50%.
func stepRun(t *testing.T, mod func(*models.Kube, *strategies.KubernetesConfig)) kubeRun {
	src := &stepArrivals{at: []sim.Time{0, sim.Time(10 * sim.Minute), sim.Time(40 * sim.Minute)}, rates: []float64{8, 40, 8}}
	return runKube(t, src, 70*sim.Minute, mod)
}

// ups and downs split a run's decisions by direction.
func (r kubeRun) split() (ups, downs []decision) {
	for _, d := range r.sink.decided {
		switch {
		case d.d.Desired > d.before.Desired:
			ups = append(ups, d)
		case d.d.Desired < d.before.Desired:
			downs = append(downs, d)
		}
	}
	return ups, downs
}

// TestHPATimeline: the HPA's first scale-up comes within a sync period
// or two of the metric crossing its target, plus metrics-server's delay
// (a 15 s sync, 15 s scrapes:
// https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#how-does-a-horizontalpodautoscaler-work,
// https://github.com/kubernetes-sigs/metrics-server/blob/master/FAQ.md);
// with the default behavior, no scale-down comes within the 300 s
// stabilisation window after the load falls
// (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#default-behavior).
func TestHPATimeline(t *testing.T) {
	r := stepRun(t, nil)
	ups, downs := r.split()
	if len(ups) == 0 || len(downs) == 0 {
		t.Fatalf("scale-ups %v, scale-downs %v: want both", ups, downs)
	}
	step := sim.Time(10 * sim.Minute)
	if first := ups[0].at; first <= step || first > step.Add(2*strategies.HPASyncPeriod+models.MetricsResolution) {
		t.Errorf("first scale-up at %v, want within two syncs and a scrape of %v: %s", first, step, ups[0].d.Reason)
	}
	drop := sim.Time(40 * sim.Minute)
	var after []decision
	for _, d := range downs {
		if d.at > drop {
			after = append(after, d)
		}
	}
	if len(after) == 0 {
		t.Fatal("no scale-down after the load fell")
	}
	if first := after[0].at; first < drop.Add(300*sim.Second) || first > drop.Add(300*sim.Second+2*strategies.HPASyncPeriod+models.MetricsResolution) {
		t.Errorf("first scale-down after the fall at %v, want 300 s after it, give or take a sync and a scrape: %s", first, after[0].d.Reason)
	}
}

// TestHPAGrowthLimit: with a target the saturated pods exceed tenfold,
// the replicas grow by at most max(4 pods, 100%) per 15 s, the default
// scale-up policies (pkg/apis/autoscaling/v2/defaults.go), and the limit
// binds.
func TestHPAGrowthLimit(t *testing.T) {
	r := stepRun(t, func(_ *models.Kube, c *strategies.KubernetesConfig) { c.HPA.Target = 10 })
	ups, _ := r.split()
	bound := false
	for i, d := range ups {
		from, to := d.before.Desired, d.d.Desired
		limit := max(from+4, 2*from)
		if i > 0 && d.at.Sub(ups[i-1].at) < 15*sim.Second {
			t.Errorf("scale-ups at %v and %v, less than a period apart", ups[i-1].at, d.at)
		}
		if to > limit {
			t.Errorf("at %v: %d → %d, beyond max(4 pods, 100%%) = %d", d.at, from, to, limit)
		}
		bound = bound || to == limit && to < 30
	}
	if !bound {
		t.Errorf("the policies never limited a scale-up: %v", ups)
	}
}

// TestPodsWaitForNodes: a pod no node has room for is Pending until the
// cluster autoscaler's node joins; pods only serve on Ready nodes
// (https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#how-does-scale-up-work).
func TestPodsWaitForNodes(t *testing.T) {
	r := stepRun(t, nil)
	pending := r.sink.eventTimes(models.EventPodPending)
	scale := r.sink.eventTimes(models.EventNodeScale)
	ready := r.sink.eventTimes(models.EventNodeReady)
	if len(pending) == 0 || len(scale) == 0 || len(ready) == 0 {
		t.Fatalf("pending %v, scale-ups %v, nodes ready %v: want all three", pending, scale, ready)
	}
	if scale[0] < pending[0] || scale[0] > pending[0].Add(strategies.CAScanInterval) {
		t.Errorf("first pod Pending at %v, node group scaled at %v: want within a 10 s scan", pending[0], scale[0])
	}
	// Launch to Ready: 10 s pending, 20 s boot, 20 s join.
	if ready[0] != scale[0].Add(50*sim.Second) {
		t.Errorf("node Ready at %v, want 50 s after the scale-up at %v", ready[0], scale[0])
	}
	waited := false
	for _, s := range r.sink.samples {
		if s.InService > 3*s.Nodes {
			t.Fatalf("at %v, %d pods serve on %d nodes of three pods each", s.End, s.InService, s.Nodes)
		}
		waited = waited || s.Pending > 0 && s.NodesPending > 0
	}
	if !waited {
		t.Error("no sample shows pods pending while a node joins")
	}
}

// TestNodeRemovedAfterUnneeded: after the scale-down, a node whose pods
// request less than half its allocatable is removed 10 min later, not
// before (--scale-down-unneeded-time,
// https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#how-does-scale-down-work).
func TestNodeRemovedAfterUnneeded(t *testing.T) {
	r := stepRun(t, nil)
	_, downs := r.split()
	var last sim.Time // the first scale-down after the load fell at 40 min
	for _, d := range downs {
		if d.at > sim.Time(40*sim.Minute) {
			last = d.at
			break
		}
	}
	var gone []sim.Time
	for _, e := range r.sink.events {
		if e.kind == models.EventNodeScale && strings.Contains(e.detail, "removed") && e.at > last {
			gone = append(gone, e.at)
			if !strings.Contains(e.detail, "unneeded for 10m") {
				t.Errorf("%v: %s", e.at, e.detail)
			}
		}
	}
	if len(gone) == 0 {
		t.Fatal("no node removed after the scale-down")
	}
	if gone[0] < last.Add(strategies.CAUnneededTime) || gone[0] > last.Add(strategies.CAUnneededTime+2*strategies.CAScanInterval) {
		t.Errorf("first node removed at %v, want 10 min after the scale-down at %v", gone[0], last)
	}
	end := r.sink.samples[len(r.sink.samples)-1]
	if end.Nodes != 1 || end.InService != 2 {
		t.Errorf("at the end %d nodes serve %d pods, want the 2 pods on 1 node", end.Nodes, end.InService)
	}
}

// vpaRun runs 4 pods of 2 CPUs, fixed replicas, one on each of four
// m5.xlarge nodes, under a VPA in mode (at most 3.9 cores) facing 20
// requests/s, then 100 from 10 min: each pod serves 10 per core at 100%,
// so the step saturates them.
func vpaRun(t *testing.T, mode string, vpa models.VPAMode, startup float64) kubeRun {
	src := &stepArrivals{at: []sim.Time{0, sim.Time(10 * sim.Minute)}, rates: []float64{20, 100}}
	return runKube(t, src, 40*sim.Minute, func(k *models.Kube, c *strategies.KubernetesConfig) {
		c.HPA, c.Replicas, c.PodCPU = nil, 4, 2
		c.VPA = &strategies.VPAConfig{Mode: mode, HalfLife: 2 * sim.Minute, MaxCPU: 3.9}
		k.Pod.CPU, k.VPA, k.InitialNodes = 2, vpa, []string{"m5.xlarge", "m5.xlarge", "m5.xlarge", "m5.xlarge"}
		k.Pod.Startup = det(t, startup)
	})
}

// TestVPAInPlace: in in_place mode the VPA resizes the running pods'
// CPU without a restart: no pod is evicted, none leaves the Service, and
// the worker slots grow
// (https://kubernetes.io/docs/tasks/configure-pod-container/resize-container-resources/,
// KEP-1287).
func TestVPAInPlace(t *testing.T) {
	r := vpaRun(t, strategies.VPAModeInPlace, models.VPAInPlace, 10)
	resized := r.sink.eventTimes(models.EventPodResized)
	if len(resized) == 0 {
		t.Fatal("no pod resized")
	}
	if ev := r.sink.eventTimes(models.EventPodEvicted); len(ev) > 0 {
		t.Errorf("pods evicted at %v: in-place resize restarts nothing", ev)
	}
	slots := 0
	for _, s := range r.sink.samples {
		if s.InService != 4 || s.Pending != 0 {
			t.Fatalf("at %v, %d pods serve and %d are pending: want the 4 serving throughout", s.End, s.InService, s.Pending)
		}
		slots = max(slots, s.Slots)
	}
	if slots <= 8 {
		t.Errorf("at most %d worker slots, want more than the 8 the pods started with", slots)
	}
	for _, d := range r.sink.decided {
		if len(d.d.Update) == 0 || d.d.PodCPU <= 2 || !strings.Contains(d.d.Reason, "VPA updater: resizing") {
			t.Errorf("decision at %v: %+v", d.at, d.d)
		}
	}
}

// TestVPARecreate: in recreate mode the updater evicts one pod at a time,
// only while every pod is ready (a PodDisruptionBudget of one), and the
// replacement gets the new request
// (https://github.com/kubernetes/autoscaler/tree/master/vertical-pod-autoscaler#quick-start).
func TestVPARecreate(t *testing.T) {
	// A replacement takes 90 s to load, longer than the updater's minute.
	r := vpaRun(t, strategies.VPAModeRecreate, models.VPARecreate, 90)
	if len(r.sink.eventTimes(models.EventPodEvicted)) < 2 {
		t.Fatalf("evictions at %v, want several", r.sink.eventTimes(models.EventPodEvicted))
	}
	if len(r.sink.eventTimes(models.EventPodResized)) > 0 {
		t.Error("a pod resized in place in recreate mode")
	}
	for _, d := range r.sink.decided {
		if len(d.d.Update) != 1 {
			t.Errorf("at %v the updater named %d pods, want one at a time", d.at, len(d.d.Update))
		}
		if d.before.Starting != 0 || d.before.Pending != 0 {
			t.Errorf("at %v it evicted with %d pods starting and %d pending: the budget allows it only with all 4 ready", d.at, d.before.Starting, d.before.Pending)
		}
	}
	// Each eviction costs a pod's startup and readiness: capacity dips.
	dipped := false
	for _, s := range r.sink.samples {
		dipped = dipped || s.InService < 4
	}
	if !dipped {
		t.Error("no sample shows an evicted pod missing")
	}
}

// TestNodeZoneOutage: the nodes of a zone that goes out are NotReady; their
// pods leave the Service when their readiness checks fail, and are evicted
// and recreated on other nodes once the not-ready toleration (300 s) has
// passed after the node monitor's grace period (40 s)
// (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions).
func TestNodeZoneOutage(t *testing.T) {
	src := &stepArrivals{at: []sim.Time{0}, rates: []float64{16}}
	out := sim.Time(10 * sim.Minute)
	r := runKube(t, src, 40*sim.Minute, func(k *models.Kube, c *strategies.KubernetesConfig) {
		c.HPA.Min, c.Replicas = 4, 4
		k.InitialNodes = []string{"m5.xlarge", "m5.xlarge"}
	}, models.ZoneOutage{Zone: 0, At: out, For: 20 * sim.Minute})
	lost := r.sink.eventTimes(models.EventNodeNotReady)
	if len(lost) != 1 || lost[0] != out {
		t.Fatalf("nodes NotReady at %v, want one at %v", lost, out)
	}
	evicted := r.sink.eventTimes(models.EventPodEvicted)
	if len(evicted) == 0 || evicted[0] != out.Add(models.NodeMonitorGracePeriod+models.NotReadyToleration) {
		t.Fatalf("pods evicted at %v, want %v", evicted, out.Add(models.NodeMonitorGracePeriod+models.NotReadyToleration))
	}
	var before, during, after int
	for _, s := range r.sink.samples {
		switch {
		case s.End == out:
			before = s.InService
		case s.End == out.Add(2*sim.Minute):
			during = s.InService
		case s.End == out.Add(10*sim.Minute):
			after = s.InService
		}
	}
	if before != 4 || during >= 4 || after < 4 {
		t.Errorf("pods serving: %d before the outage, %d two minutes in, %d ten minutes in; want 4, fewer, 4 again", before, during, after)
	}
}

// TestKubeSwarm runs random Kubernetes strategies (either provisioner, the
// HPA on each metric, the VPA in each mode, placeholders, node failures
// and a zone outage) with the invariants checked after every event; a
// failure names the seed that reproduces it.
func TestKubeSwarm(t *testing.T) {
	seeds := 100
	if testing.Short() {
		seeds = 20
	}
	cat := testCatalog(t)
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		metric := strategies.HPAMetrics()[r.IntN(3)]
		target := []float64{50, 5, 1}[slices.Index(strategies.HPAMetrics(), metric)]
		vpa := []string{strategies.VPAModeOff, strategies.VPAModeRecreate, strategies.VPAModeInPlace}[r.IntN(3)]
		if metric == strategies.HPAMetricCPU {
			vpa = strategies.VPAModeOff
		}
		karp := r.IntN(2) == 0
		head := r.IntN(4)
		mtbf := []sim.Duration{0, 10 * sim.Minute}[r.IntN(2)]
		outage := r.IntN(2) == 0
		name := fmt.Sprintf("seed=%d %s %s vpa=%s karpenter=%v headroom=%d mtbf=%v outage=%v", seed, metric,
			strconv.FormatFloat(target, 'g', -1, 64), vpa, karp, head, mtbf, outage)
		nt, _ := cat.Lookup("m5.xlarge")
		tmpl := strategies.NodeTemplate{Type: nt.Name, Allocatable: models.EKSAllocatable(nt), PriceUSDHour: nt.PriceUSDHour}
		var prov strategies.Provisioner
		if karp {
			prov, _ = strategies.NewKarpenter(strategies.KarpenterConfig{Templates: []strategies.NodeTemplate{tmpl}, Max: 8})
		} else {
			prov, _ = strategies.NewClusterAutoscaler(strategies.ClusterAutoscalerConfig{Template: tmpl, Min: 1, Max: 8})
		}
		modes := map[string]models.VPAMode{strategies.VPAModeOff: models.VPAOff, strategies.VPAModeRecreate: models.VPARecreate, strategies.VPAModeInPlace: models.VPAInPlace}
		st, err := strategies.NewKubernetes(strategies.KubernetesConfig{Name: "k", NodeType: nt.Name, Replicas: 2, PodCPU: 1,
			HPA: &strategies.HPAConfig{Metric: metric, Target: target, Min: 1, Max: 20},
			VPA: &strategies.VPAConfig{Mode: vpa, MinCPU: 1, MaxCPU: 3.9, HalfLife: sim.Minute}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var outages []models.ZoneOutage
		if outage {
			outages = []models.ZoneOutage{{Zone: r.IntN(2), At: sim.Time(sim.Duration(5+r.IntN(10)) * sim.Minute), For: 5 * sim.Minute}}
		}
		rs := sim.NewStreams(seed)
		cfg := models.Config{
			Horizon: sim.Time(25 * sim.Minute),
			Service: models.ServiceConfig{Demand: exponential(t, 0.1), WorkersPerVCPU: 1, QueueLimit: r.IntN(20), Timeout: sim.Duration(r.IntN(3)) * sim.Second},
			Fleet: models.Kube{Pod: models.KubePod{CPU: 1, MemoryMiB: 1024, Startup: exponential(t, 10)}, InitialNodes: []string{nt.Name},
				Provisioner: prov, Join: exponential(t, 20), Headroom: head, VPA: modes[vpa]},
			Door:      models.LoadBalancer{Routing: models.Routing(r.IntN(3)), Health: readiness},
			Catalog:   cat,
			Lifecycle: models.LifecycleConfig{Pending: exponential(t, 10), Boot: exponential(t, 20), Deregistration: 30 * sim.Second},
			Zones:     2,
			Failures:  models.FailureConfig{InstanceMTBF: mtbf, ZoneOutages: outages},
			Checks:    true,
		}
		src := &stepArrivals{at: []sim.Time{0, sim.Time(5 * sim.Minute), sim.Time(15 * sim.Minute)}, rates: []float64{5 + 20*r.Float64(), 40 + 80*r.Float64(), 5}}
		sink := &ledgerSink{}
		runBalanced(t, name, cfg, src, st, sink, sink, rs)
		for _, s := range sink.samples {
			if s.Nodes < 0 || s.NodesPending < 0 || s.InService > 3*(s.Nodes+1) || s.NodeSec > s.InstanceSec+1e-9 {
				t.Fatalf("%s: bad sample %+v", name, s)
			}
		}
	}
}
