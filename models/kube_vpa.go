package models

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// update applies the VPA's request (the template's CPU) to the pods it
// named. In place, a pod whose node has room is resized without a
// restart: its worker slots change at once, those gained take queued
// requests, and a shrink waits until the requests in service fit the
// smaller pod. A pod that cannot be resized in place (recreate mode, or
// no room on its node) is evicted and its replacement gets the new
// request, one at a time and only while every pod is ready (a
// PodDisruptionBudget of one).
func (k *kube) update(ids []int, now sim.Time) {
	if k.cfg.VPA == VPAOff {
		return
	}
	evicted := false
	for _, i := range ids {
		if i < 0 || i >= len(k.pods) {
			continue
		}
		p := &k.pods[i]
		if p.gone || p.placeholder || p.node < 0 || p.cpu == k.template {
			continue
		}
		if k.cfg.VPA == VPAInPlace && k.resize(i, now) {
			continue
		}
		if evicted || !k.disruptable() {
			continue
		}
		k.s.event(now, EventPodEvicted, fmt.Sprintf("pod %s evicted by the VPA updater to get cpu %s (was %s)",
			k.podName(i), num(k.template), num(p.cpu)))
		k.deletePod(i, now)
		evicted = true
	}
}

// disruptable reports whether the pod disruption budget of one allows an
// eviction: every pod of the Deployment is ready.
func (k *kube) disruptable() bool {
	for i := range k.pods {
		if p := &k.pods[i]; !p.gone && !p.placeholder && !p.ready {
			return false
		}
	}
	return true
}

// resize changes pod i's CPU to the template's in place, if its node has
// room and the requests it serves fit. It reports whether the pod stays
// in place: resized now, or a shrink that waits for fewer requests in
// service (false: no room on its node, so it must be recreated).
func (k *kube) resize(i int, now sim.Time) bool {
	p := &k.pods[i]
	if p.inst < 0 {
		return false
	}
	req := k.podRequests(k.template)
	f := k.free(p.node)
	if req.MilliCPU-p.req.MilliCPU > f.MilliCPU {
		return false // the resize is Deferred: no room on the node
	}
	s := k.s
	in := &s.inst[p.inst]
	slots := k.slots(k.template)
	if in.busy > slots {
		return true // asked again next minute, once fewer requests are in service
	}
	nd := &k.nodes[p.node]
	nd.used.MilliCPU += req.MilliCPU - p.req.MilliCPU
	s.event(now, EventPodResized, fmt.Sprintf("pod %s resized in place: cpu %s → %s, %d → %d worker slots, no restart",
		k.podName(i), num(p.cpu), num(k.template), in.slots, slots))
	p.cpu, p.req = k.template, req
	s.setSlots(p.inst, slots, now)
	return true
}

// num writes a number of cores.
func num(x float64) string { return fmt.Sprintf("%g", x) }
