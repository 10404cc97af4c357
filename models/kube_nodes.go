package models

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// addNode adds a launching node of type t in zone at now, with its
// failures drawn as the instance of the same number in a group would
// draw them (common random numbers across families), and returns it.
func (k *kube) addNode(t InstanceType, zone int, now sim.Time) int {
	n := len(k.nodes)
	k.nodes = append(k.nodes, knode{name: fmt.Sprintf("i-%05x", n+1), typ: t, zone: zone, alloc: EKSAllocatable(t), launchedAt: now})
	if mtbf := k.s.cfg.Failures.InstanceMTBF; mtbf > 0 {
		rng := k.s.streams.Stream(sim.StreamFailures + "/" + strconv.Itoa(n))
		k.s.eng.Schedule(now.Add(sim.FromSeconds(rng.ExpFloat64()*mtbf.Seconds())), kindFleet, kubeNodeFail, int64(n))
	}
	return n
}

// bill starts node n's bill at now: its type's price and its root volume.
func (k *kube) bill(n int, now sim.Time) {
	k.meter.Start(int32(n), now, k.nodes[n].typ.PriceUSDHour+k.s.cfg.RootVolumeUSDHour)
	k.nodes[n].billed = true
}

// launchNode launches a node of type name in the healthy zone with the
// fewest nodes, as an Auto Scaling group balances its zones; false when
// every zone is out.
func (k *kube) launchNode(name string, now sim.Time) bool {
	t, ok := k.s.cfg.Catalog.Lookup(name)
	if !ok {
		panic(fmt.Sprintf("models: a provisioner launched unknown node type %q", name))
	}
	counts := make([]int, len(k.s.zoneDown))
	for i := range k.nodes {
		if st := k.nodes[i].state; st != nodeGone && st != nodeFailed {
			counts[k.nodes[i].zone]++
		}
	}
	zone := -1
	for z := range counts {
		if !k.s.zoneDown[z] && (zone < 0 || counts[z] < counts[zone]) {
			zone = z
		}
	}
	if zone < 0 {
		return false
	}
	n := k.addNode(t, zone, now)
	k.s.eng.Schedule(now.Add(k.s.delay(k.s.cfg.Lifecycle.Pending)), kindFleet, kubeNodeRunning, int64(n))
	return true
}

// view is the cluster as the provisioner sees it: the unschedulable pods
// and the nodes not lost.
func (k *kube) view(now sim.Time) strategies.ClusterView {
	c := strategies.ClusterView{Now: now}
	byNode := make([][]strategies.PodRequest, len(k.nodes))
	for i := range k.pods {
		p := &k.pods[i]
		switch {
		case p.gone:
		case p.node < 0:
			c.Pending = append(c.Pending, strategies.PodRequest{ID: i, Requests: p.req, Placeholder: p.placeholder})
		default:
			byNode[p.node] = append(byNode[p.node], strategies.PodRequest{ID: i, Requests: p.req, Placeholder: p.placeholder})
		}
	}
	for n := range k.nodes {
		nd := &k.nodes[n]
		if nd.state == nodeGone || nd.state == nodeFailed {
			continue
		}
		c.Nodes = append(c.Nodes, strategies.NodeView{ID: n, Name: nd.name, Type: nd.typ.Name, Ready: nd.state == nodeReady,
			Deleting: nd.state == nodeDraining, LaunchedAt: nd.launchedAt, PriceUSDHour: nd.typ.PriceUSDHour,
			Allocatable: nd.alloc, Pods: byNode[n]})
	}
	return c
}

// provision runs the provisioner's scan and carries out its decision.
func (k *kube) provision(now sim.Time) {
	d := k.cfg.Provisioner.Provision(k.view(now))
	for _, r := range d.Reasons {
		k.s.event(now, EventNodeScale, r)
	}
	for _, t := range d.Launch {
		if !k.launchNode(t, now) {
			break
		}
	}
	for _, n := range d.Remove {
		k.removeNode(n, now)
	}
	if len(d.Remove) > 0 {
		k.reconcile(now)
		k.schedule(now, false)
	}
}

// removeNode cordons and drains node n: its pods are evicted (the
// Deployment's replaced at once elsewhere, placeholders Pending again) and
// its instance terminates once they are gone, within their grace period.
func (k *kube) removeNode(n int, now sim.Time) {
	nd := &k.nodes[n]
	if nd.state != nodeReady && nd.state != nodeLaunching {
		return
	}
	nd.state = nodeDraining
	evicted := k.evictPods(n, now)
	grace := sim.Duration(0)
	if evicted > 0 {
		grace = PodGracePeriod
	}
	k.s.eng.Schedule(now.Add(grace), kindFleet, kubeNodeGone, int64(n))
}

// evictPods deletes node n's pods and tells how many of the Deployment's
// it evicted.
func (k *kube) evictPods(n int, now sim.Time) int {
	var names []string
	for i := range k.pods {
		p := &k.pods[i]
		if p.gone || p.node != n {
			continue
		}
		if p.placeholder {
			k.unbind(i)
			continue
		}
		names = append(names, k.podName(i))
		k.deletePod(i, now)
	}
	if len(names) > 0 {
		k.s.event(now, EventPodEvicted, fmt.Sprintf("%s evicted from node %s: %s", plural(len(names), "pod"), k.nodes[n].name, strings.Join(names, ", ")))
	}
	return len(names)
}

// deleteNode terminates node n's instance: its bill stops.
func (k *kube) deleteNode(n int, now sim.Time) {
	nd := &k.nodes[n]
	if nd.state == nodeGone {
		return
	}
	nd.state = nodeGone
	if nd.billed {
		nd.billed = false
		k.meter.Stop(int32(n), now)
	}
	k.s.event(now, EventNodeDeleted, fmt.Sprintf("node %s deleted", nd.name))
}

// failNode makes node n NotReady: its serving pods fail (the readiness
// checks take them out of the Service), those starting stop, and its pods
// are evicted when the not-ready toleration runs out. A node still
// launching is simply lost.
func (k *kube) failNode(n int, now sim.Time, why string) {
	nd := &k.nodes[n]
	launching := nd.state == nodeLaunching
	nd.state = nodeFailed
	k.s.event(now, EventNodeNotReady, fmt.Sprintf("node %s NotReady: %s", nd.name, why))
	for i := range k.pods {
		p := &k.pods[i]
		if p.gone || p.node != n || p.inst < 0 {
			continue
		}
		s := k.s
		switch in := &s.inst[p.inst]; in.state {
		case InService, Draining:
			s.fail(p.inst, in.inc, now)
		case Booting, Loading, HealthCheck:
			s.terminate(p.inst, now)
			p.inst = -1
		case Terminated:
			p.inst = -1
		}
		p.metric = strategies.PodMetric{}
	}
	if launching {
		k.deleteNode(n, now)
		return
	}
	k.s.eng.Schedule(now.Add(NodeMonitorGracePeriod+NotReadyToleration), kindFleet, kubeNodeEvict, int64(n))
}

// evictNode evicts a NotReady node's pods (taint-based eviction) and
// deletes the node; the Deployment's pods are recreated elsewhere.
func (k *kube) evictNode(n int, now sim.Time) {
	if k.nodes[n].state != nodeFailed {
		return
	}
	k.evictPods(n, now)
	k.deleteNode(n, now)
	k.reconcile(now)
	k.schedule(now, false)
}
