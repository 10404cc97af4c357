package models

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Kubernetes timings the model keeps fixed (docs/kubernetes-behaviour.md §2, §3).
const (
	// PodGracePeriod is a pod's terminationGracePeriodSeconds (default
	// 30 s): a deleted pod leaves the Service's endpoints at once and is
	// killed when its requests are done or this long after.
	PodGracePeriod = 30 * sim.Second
	// NodeMonitorGracePeriod is how long a node's kubelet may be silent
	// before the node controller marks it NotReady (40 s).
	NodeMonitorGracePeriod = 40 * sim.Second
	// NotReadyToleration is the tolerationSeconds every pod gets for the
	// not-ready and unreachable taints (300 s): a dead node's pods are
	// evicted, and recreated elsewhere, this long after it is NotReady.
	NotReadyToleration = 300 * sim.Second
	// MetricsResolution is metrics-server's --metric-resolution (15 s in
	// its published manifests): how often it scrapes the kubelets.
	MetricsResolution = 15 * sim.Second
	// metricsPhase offsets the scrapes from the HPA's syncs by half a
	// resolution: the HPA reads a sample 7.5 s old, the mean age of a
	// scrape that runs on its own clock.
	metricsPhase = MetricsResolution / 2
)

// Kube is one Kubernetes Deployment behind a Service on a cluster's nodes
// (docs/kubernetes-behaviour.md §3). Its pods are the System's instances: they
// serve, their worker slots come from their CPU request (or GPUs), and
// they are not billed. The nodes are its own: launched by the
// Provisioner (EC2 pending, boot, then the kubelet joins: Join), billed
// as EC2 instances from running, and filled by a scheduler that binds
// each pod to the feasible node with the most room left (the
// NodeResourcesFit plugin's default LeastAllocated score). A bound pod
// starts its containers (Pod.Startup: image pull and model load), passes
// its readiness probe (the door's health check) and is Ready: the Service
// routes to it. A pod no node has room for is Pending until a node joins.
type Kube struct {
	// Pod is the Deployment's pod template.
	Pod KubePod
	// InitialNodes are the node types Ready at time zero.
	InitialNodes []string
	// Provisioner adds and removes nodes (a fresh one per run).
	Provisioner strategies.Provisioner
	// Join is the time from a node's operating system up to the node
	// Ready: kubelet start, registration and the CNI (seconds from the
	// boot stream; nil = 0).
	Join Sampler
	// Headroom is the number of placeholder pods of the template's size
	// kept at a priority below the Deployment's: they hold room on the
	// nodes, the scheduler evicts them for a pod of the Deployment, and,
	// Pending again, they make the provisioner add a node
	// (overprovisioning).
	Headroom int
	// VPA is how the Vertical Pod Autoscaler's updater applies a new CPU
	// request to running pods.
	VPA VPAMode
}

// KubePod is a pod template's requests and startup.
type KubePod struct {
	CPU       float64 // cores
	MemoryMiB int64
	GPUs      int
	// Startup is the time from a pod's binding to its model loaded:
	// image pull, container start and model load (seconds; nil = 0).
	Startup Sampler
}

// VPAMode is the updater's mode.
type VPAMode uint8

// The VPA modes.
const (
	// VPAOff only recommends.
	VPAOff VPAMode = iota
	// VPARecreate evicts a pod and its replacement gets the new request,
	// one pod at a time (a PodDisruptionBudget of one).
	VPARecreate
	// VPAInPlace resizes a running pod's CPU without a restart when its
	// node has room (in-place pod resize), else evicts it as VPARecreate.
	VPAInPlace
)

// Kinds of the kube mechanics' own events (sim.Event.Obj; Arg is a node).
const (
	kubeScrape      int32 = iota + 1 // metrics-server scrapes the kubelets
	kubeProvision                    // the provisioner's scan
	kubeNodeRunning                  // EC2 reports a node's instance running
	kubeNodeReady                    // a node's kubelet joined: Ready
	kubeNodeGone                     // a removed node's instance terminates
	kubeNodeFail                     // a node's instance fails
	kubeNodeEvict                    // a NotReady node's pods are evicted
)

// Fleet event kinds of a Kubernetes strategy, in Kubernetes' words.
const (
	EventPodReady     = "pod_ready"      // a pod passed its readiness probe
	EventPodPending   = "pod_pending"    // the scheduler found no node for a pod
	EventPodEvicted   = "pod_evicted"    // pods evicted (node removed or lost, VPA)
	EventPodResized   = "pod_resized"    // a pod's CPU resized in place
	EventNodeScale    = "node_scale"     // a provisioner's decision
	EventNodeReady    = "node_ready"     // a node joined the cluster
	EventNodeNotReady = "node_not_ready" // a node failed or its zone went out
	EventNodeDeleted  = "node_deleted"   // a node left the cluster
)

// build implements Mechanics.
func (k Kube) build(s *System) mechanics {
	return &kube{s: s, cfg: k, template: k.Pod.CPU}
}

// nodeState is where a node is in its life.
type nodeState uint8

const (
	nodeLaunching nodeState = iota // EC2 pending, booting or joining
	nodeReady                      // Ready: the scheduler binds pods to it
	nodeDraining                   // cordoned and drained for removal
	nodeFailed                     // NotReady: its instance or zone failed
	nodeGone                       // terminated; no longer billed
)

// knode is one node.
type knode struct {
	name  string
	typ   InstanceType
	zone  int
	state nodeState
	alloc strategies.Resources
	used  strategies.Resources // requests of the pods bound to it (Pods counts them)
	// launchedAt is when it was launched; billed reports its bill runs.
	launchedAt sim.Time
	billed     bool
}

// kpod is one pod of the Deployment, or a placeholder.
type kpod struct {
	inst        int32 // its instance while it has one, else -1
	node        int   // the node it is bound to, else -1
	cpu         float64
	req         strategies.Resources
	placeholder bool
	gone        bool // deleted
	ready       bool
	start       sim.Time // bound and started
	changed     sim.Time // Ready last changed
	pendingSaid bool     // its FailedScheduling event was told
	// metrics-server's view of it
	scrapes    int
	lastAt     sim.Time
	lastBusy   float64
	lastRouted int64
	metric     strategies.PodMetric
}

// kube is a built Kube.
type kube struct {
	s        *System
	cfg      Kube
	nodes    []knode
	pods     []kpod
	podOf    []int   // pod of each instance, by instance id
	template float64 // CPU request of new pods, cores
	meter    Meter   // the nodes' bill
	cost     float64
}

// start implements cluster: the initial nodes, Ready and billed, and the
// initial pods on them, in service; then the scrapes and the scans.
func (k *kube) start(init strategies.Decision) error {
	s := k.s
	if k.cfg.Provisioner == nil {
		return errors.New("a Kubernetes strategy needs a node provisioner")
	}
	if k.cfg.Pod.CPU <= 0 {
		return fmt.Errorf("a pod must request CPU (got %v cores)", k.cfg.Pod.CPU)
	}
	for i, name := range k.cfg.InitialNodes {
		t, ok := s.cfg.Catalog.Lookup(name)
		if !ok {
			return fmt.Errorf("unknown node type %q", name)
		}
		n := k.addNode(t, i%len(s.zoneDown), 0)
		k.nodes[n].state = nodeReady
		k.bill(n, 0)
	}
	k.reconcile(0)
	k.schedule(0, true)
	s.eng.Schedule(sim.Time(metricsPhase), kindFleet, kubeScrape, 0)
	s.eng.Schedule(sim.Time(k.cfg.Provisioner.Interval()), kindFleet, kubeProvision, 0)
	return nil
}

// podName names pod p for events: the strategy's name and its number.
func (k *kube) podName(p int) string { return k.s.st.Name() + "-" + strconv.Itoa(p) }

// podRequests returns a pod's requests at cpu cores.
func (k *kube) podRequests(cpu float64) strategies.Resources {
	return strategies.Resources{MilliCPU: int64(math.Round(cpu * 1000)), MemoryMiB: k.cfg.Pod.MemoryMiB, GPUs: k.cfg.Pod.GPUs, Pods: 1}
}

// slots is how many requests a pod of cpu cores serves at once: its GPUs
// × workers per GPU, or its whole worker slots of cpu × workers per vCPU
// (at least one).
func (k *kube) slots(cpu float64) int32 {
	svc := k.s.cfg.Service
	if svc.GPUBound() {
		return int32(k.cfg.Pod.GPUs * svc.WorkersPerGPU)
	}
	return int32(max(1, math.Floor(cpu*float64(svc.WorkersPerVCPU)+1e-9)))
}

// newPod adds an unbound pod of the template (or a placeholder).
func (k *kube) newPod(placeholder bool) {
	k.pods = append(k.pods, kpod{inst: -1, node: -1, cpu: k.template, req: k.podRequests(k.template), placeholder: placeholder})
}

// alive counts the pods not deleted, of the Deployment or placeholders.
func (k *kube) alive(placeholder bool) int {
	n := 0
	for i := range k.pods {
		if p := &k.pods[i]; !p.gone && p.placeholder == placeholder {
			n++
		}
	}
	return n
}

// reconcile is the ReplicaSet controller: it creates or deletes pods
// until the Deployment has the desired count, and keeps the placeholders.
func (k *kube) reconcile(now sim.Time) {
	for n := k.alive(false); n < k.s.desired; n++ {
		k.newPod(false)
	}
	for n := k.alive(true); n < k.cfg.Headroom; n++ {
		k.newPod(true)
	}
	for n := k.alive(false); n > k.s.desired; n-- {
		k.deletePod(k.victim(), now)
	}
}

// victim is the pod a ReplicaSet deletes first on a scale-down: an
// unscheduled one, then one not ready, then a ready one on the node with
// the most pods of the Deployment, the most recently ready first; ties
// go to the newest pod.
func (k *kube) victim() int {
	onNode := make([]int, len(k.nodes))
	for i := range k.pods {
		if p := &k.pods[i]; !p.gone && !p.placeholder && p.node >= 0 {
			onNode[p.node]++
		}
	}
	rank := func(p *kpod) [3]int64 {
		switch {
		case p.node < 0:
			return [3]int64{0, 0, 0}
		case !p.ready:
			return [3]int64{1, 0, 0}
		}
		return [3]int64{2, -int64(onNode[p.node]), -int64(p.changed)}
	}
	best := -1
	for i := len(k.pods) - 1; i >= 0; i-- {
		p := &k.pods[i]
		if p.gone || p.placeholder {
			continue
		}
		if best < 0 || less3(rank(p), rank(&k.pods[best])) {
			best = i
		}
	}
	if best < 0 {
		panic("models: a ReplicaSet scale-down with no pod")
	}
	return best
}

// less3 orders ranks lexicographically.
func less3(a, b [3]int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// deletePod deletes pod i: it leaves its node (whose room is free at
// once) and the Service; a serving pod finishes its requests within the
// grace period.
func (k *kube) deletePod(i int, now sim.Time) {
	p := &k.pods[i]
	p.gone, p.ready = true, false
	k.unbind(i)
	k.stopInstance(p, now)
}

// stopInstance ends pod p's instance: drained if it serves, else
// terminated at once.
func (k *kube) stopInstance(p *kpod, now sim.Time) {
	if p.inst < 0 {
		return
	}
	s, id := k.s, p.inst
	p.inst = -1
	switch s.inst[id].state {
	case InService:
		s.drainFor(id, now, PodGracePeriod)
	case Terminated, Draining:
	default:
		s.terminate(id, now)
	}
}

// unbind takes pod i off its node.
func (k *kube) unbind(i int) {
	p := &k.pods[i]
	if p.node < 0 {
		return
	}
	n := &k.nodes[p.node]
	n.used = n.used.Minus(p.req)
	p.node = -1
}

// free is node n's allocatable less its pods' requests.
func (k *kube) free(n int) strategies.Resources {
	a, u := k.nodes[n].alloc, k.nodes[n].used
	return strategies.Resources{MilliCPU: a.MilliCPU - u.MilliCPU, MemoryMiB: a.MemoryMiB - u.MemoryMiB, GPUs: a.GPUs - u.GPUs, Pods: a.Pods - u.Pods}
}

// schedule is the kube-scheduler: each unbound pod, the Deployment's
// before the placeholders, oldest first, goes to the Ready node with room
// for it that keeps the most room free; a pod of the Deployment that finds
// none preempts placeholders. initial places the fleet of time zero,
// whose pods serve at once.
func (k *kube) schedule(now sim.Time, initial bool) {
	for _, placeholders := range []bool{false, true} {
		for i := range k.pods {
			p := &k.pods[i]
			if p.gone || p.node >= 0 || p.placeholder != placeholders {
				continue
			}
			n := k.pick(p.req)
			if n < 0 && !p.placeholder {
				n = k.preempt(p.req, now)
			}
			if n < 0 {
				k.unschedulable(i, now)
				continue
			}
			k.bind(i, n, now, initial)
		}
	}
}

// pick returns the Ready node with room for req whose CPU and memory left
// free, as shares of its allocatable, average highest; -1 if none.
func (k *kube) pick(req strategies.Resources) int {
	best, bestScore := -1, -1.0
	for n := range k.nodes {
		if k.nodes[n].state != nodeReady {
			continue
		}
		f := k.free(n)
		if !f.Fits(req) {
			continue
		}
		a := k.nodes[n].alloc
		score := (share64(f.MilliCPU-req.MilliCPU, a.MilliCPU) + share64(f.MemoryMiB-req.MemoryMiB, a.MemoryMiB)) / 2
		if score > bestScore {
			best, bestScore = n, score
		}
	}
	return best
}

// share64 is part / whole, 0 for an empty whole.
func share64(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// preempt frees room for req on the Ready node where the fewest
// placeholders must go, evicting them (they are Pending again); it returns
// the node, or -1 when placeholders cannot make room anywhere.
func (k *kube) preempt(req strategies.Resources, now sim.Time) int {
	best, bestVictims := -1, 0
	for n := range k.nodes {
		if k.nodes[n].state != nodeReady {
			continue
		}
		f, victims := k.free(n), 0
		for i := len(k.pods) - 1; i >= 0 && !f.Fits(req); i-- {
			if p := &k.pods[i]; p.placeholder && !p.gone && p.node == n {
				f = f.Plus(p.req)
				victims++
			}
		}
		if f.Fits(req) && (best < 0 || victims < bestVictims) {
			best, bestVictims = n, victims
		}
	}
	if best < 0 {
		return -1
	}
	for i := len(k.pods) - 1; i >= 0 && !k.free(best).Fits(req); i-- {
		if p := &k.pods[i]; p.placeholder && !p.gone && p.node == best {
			k.unbind(i)
			p.pendingSaid = false
		}
	}
	if bestVictims > 0 {
		k.s.event(now, EventPodEvicted, fmt.Sprintf("%s preempted on node %s to make room", plural(bestVictims, "placeholder pod"), k.nodes[best].name))
	}
	return best
}

// plural writes n thing(s).
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

// unschedulable tells, once per pod, why the scheduler left it Pending, as
// its FailedScheduling event does.
func (k *kube) unschedulable(i int, now sim.Time) {
	p := &k.pods[i]
	if p.pendingSaid || p.placeholder {
		return
	}
	p.pendingSaid = true
	reasons := strategies.InsufficientReasons()
	why := make([]int, len(reasons)) // nodes lacking each, in reasons' order
	ready := 0
	for n := range k.nodes {
		if k.nodes[n].state != nodeReady {
			continue
		}
		ready++
		if j := k.free(n).Lacking(p.req); j >= 0 {
			why[j]++
		}
	}
	detail := fmt.Sprintf("pod %s Pending: 0/%d nodes are available", k.podName(i), ready)
	for j, w := range reasons {
		if why[j] > 0 {
			detail += fmt.Sprintf(": %d %s", why[j], w)
		}
	}
	k.s.event(now, EventPodPending, detail)
}

// bind places pod i on node n. A pod of the Deployment gets its instance
// there, which starts its containers (or, initial, serves at once).
func (k *kube) bind(i, n int, now sim.Time, initial bool) {
	p := &k.pods[i]
	nd := &k.nodes[n]
	nd.used = nd.used.Plus(p.req)
	p.node, p.pendingSaid = n, false
	if p.placeholder {
		return
	}
	s := k.s
	id := int32(len(s.inst))
	s.inst = append(s.inst, instance{
		typ:        InstanceType{Name: "pod", Family: "pod", VCPUs: int(math.Ceil(p.cpu)), GPUs: p.req.GPUs},
		state:      Pending,
		slots:      k.slots(p.cpu),
		zone:       nd.zone,
		launchedAt: now,
		busySince:  now,
	})
	for int(id) >= len(k.podOf) {
		k.podOf = append(k.podOf, -1)
	}
	k.podOf[id] = i
	p.inst, p.start, p.changed, p.scrapes = id, now, now, 0
	in := &s.inst[id]
	in.move(Booting)
	in.move(Loading)
	in.inServiceAt = now
	if initial {
		s.door.register(id, now, targetHealthy)
		s.enterService(id, now)
		return
	}
	s.door.register(id, now, targetInitial)
	s.eng.Schedule(now.Add(s.delay(k.cfg.Pod.Startup)), kindLifecycle, id, in.inc)
}

// apply implements mechanics: the Deployment's replicas, and the VPA's
// request for new pods and the pods it updates.
func (k *kube) apply(now sim.Time, d strategies.Decision) {
	k.s.keepType(d, "a Kubernetes node group")
	if d.PodCPU > 0 {
		k.template = float64(int64(math.Round(d.PodCPU*1000))) / 1000
	}
	k.update(d.Update, now)
	k.reconcile(now)
	k.schedule(now, false)
}

// launch implements mechanics; pods are created by reconcile, not by the
// System.
func (k *kube) launch(sim.Time) bool {
	panic("models: the System launched an instance for Kubernetes pods")
}

// surge implements mechanics: none.
func (k *kube) surge() int { return 0 }

// loaded implements mechanics: the readiness probe decides.
func (k *kube) loaded(int32, sim.Time) {}

// inService implements mechanics: the pod is Ready.
func (k *kube) inService(id int32, now sim.Time) {
	i := k.podOf[id]
	p := &k.pods[i]
	p.ready, p.changed = true, now
	if now > 0 {
		k.s.event(now, EventPodReady, fmt.Sprintf("pod %s Ready on node %s", k.podName(i), k.nodes[p.node].name))
	}
}

// detected implements mechanics: a pod of a lost node is not ready; it
// stays on its node until the node's pods are evicted.
func (k *kube) detected(id int32, now sim.Time) {
	if i := k.podOf[id]; i >= 0 {
		k.pods[i].ready, k.pods[i].changed = false, now
	}
}

// zoneChanged implements mechanics: the nodes of a zone that went out are
// NotReady; pods whose start it cut short are recreated.
func (k *kube) zoneChanged(now sim.Time) {
	for n := range k.nodes {
		if st := k.nodes[n].state; k.s.zoneDown[k.nodes[n].zone] && (st == nodeLaunching || st == nodeReady || st == nodeDraining) {
			k.failNode(n, now, fmt.Sprintf("zone %c is out", 'a'+rune(k.nodes[n].zone)))
		}
	}
	k.reconcile(now)
	k.schedule(now, false)
}

// event implements mechanics: the kube mechanics' own events.
func (k *kube) event(ev sim.Event) {
	now, n := ev.At, int(ev.Arg)
	switch ev.Obj {
	case kubeScrape:
		k.scrape(now)
		k.s.eng.Schedule(now.Add(MetricsResolution), kindFleet, kubeScrape, 0)
	case kubeProvision:
		k.provision(now)
		k.s.eng.Schedule(now.Add(k.cfg.Provisioner.Interval()), kindFleet, kubeProvision, 0)
	case kubeNodeRunning:
		if k.nodes[n].state == nodeLaunching {
			k.bill(n, now)
			s := k.s
			s.eng.Schedule(now.Add(s.delay(s.cfg.Lifecycle.Boot)+s.delay(k.cfg.Join)), kindFleet, kubeNodeReady, int64(n))
		}
	case kubeNodeReady:
		if k.nodes[n].state == nodeLaunching {
			k.nodes[n].state = nodeReady
			k.s.event(now, EventNodeReady, fmt.Sprintf("node %s (%s, zone %c) Ready", k.nodes[n].name, k.nodes[n].typ.Name, 'a'+rune(k.nodes[n].zone)))
			k.schedule(now, false)
		}
	case kubeNodeGone:
		k.deleteNode(n, now)
	case kubeNodeFail:
		if st := k.nodes[n].state; st == nodeReady || st == nodeLaunching || st == nodeDraining {
			k.failNode(n, now, "its instance failed")
			k.reconcile(now)
			k.schedule(now, false)
		}
	case kubeNodeEvict:
		k.evictNode(n, now)
	default:
		panic(fmt.Sprintf("models: unknown kube event %d", ev.Obj))
	}
}

// accrue implements mechanics: the nodes' bill.
func (k *kube) accrue(now sim.Time) { k.cost = k.meter.CostAt(now) }

// costUSD implements mechanics.
func (k *kube) costUSD() float64 { return k.cost }

// podViews implements cluster: the Deployment's pods, oldest first.
func (k *kube) podViews(sim.Time) []strategies.PodView {
	var out []strategies.PodView
	for i := range k.pods {
		p := &k.pods[i]
		if p.gone || p.placeholder {
			continue
		}
		out = append(out, strategies.PodView{ID: i, Running: p.node >= 0, Ready: p.ready, StartTime: p.start,
			ReadyChanged: p.changed, CPU: p.cpu, Metric: p.metric})
	}
	return out
}

// adjust implements cluster: pods no node has taken are pending too.
func (k *kube) adjust(v *strategies.FleetView) {
	for i := range k.pods {
		if p := &k.pods[i]; !p.gone && !p.placeholder && p.node < 0 {
			v.Pending++
		}
	}
	v.PodCPU = k.template
}

// sampleNodes implements cluster.
func (k *kube) sampleNodes(now sim.Time, fs *FleetSample) {
	for n := range k.nodes {
		switch k.nodes[n].state {
		case nodeReady:
			fs.Nodes++
		case nodeLaunching:
			fs.NodesPending++
		}
	}
	fs.NodeSec = k.meter.InstanceSecondsAt(now)
	fs.InstanceSec += fs.NodeSec
}

// scrape is metrics-server scraping every kubelet: each running pod's
// usage since its last scrape. A pod has a sample from its second scrape
// on; one on a NotReady node has none.
func (k *kube) scrape(now sim.Time) {
	for i := range k.pods {
		p := &k.pods[i]
		if p.gone || p.placeholder || p.inst < 0 {
			continue
		}
		if k.nodes[p.node].state == nodeFailed {
			p.metric = strategies.PodMetric{}
			continue
		}
		in := &k.s.inst[p.inst]
		in.accrue(now)
		if p.scrapes > 0 {
			w := now.Sub(p.lastAt).Seconds()
			busy := (in.busyArea - p.lastBusy) / 1e9 / w
			p.metric = strategies.PodMetric{OK: true, At: now, Window: now.Sub(p.lastAt),
				CPU: busy / float64(in.slots) * p.cpu, RequestsPerSecond: float64(in.routed-p.lastRouted) / w, InFlight: busy}
		}
		p.scrapes++
		p.lastAt, p.lastBusy, p.lastRouted = now, in.busyArea, in.routed
	}
}
