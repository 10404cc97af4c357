package strategies

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// The Cluster Autoscaler's defaults (its FAQ, "What are the parameters to
// CA?"; docs/kubernetes-behaviour.md §4).
const (
	CAScanInterval         = 10 * sim.Second // --scan-interval
	CAUnneededTime         = 10 * sim.Minute // --scale-down-unneeded-time
	CADelayAfterAdd        = 10 * sim.Minute // --scale-down-delay-after-add
	CAUtilizationThreshold = 0.5             // --scale-down-utilization-threshold
	CAMaxEmptyBulkDelete   = 10              // --max-empty-bulk-delete
)

// ClusterAutoscalerConfig configures a Cluster Autoscaler over one node
// group (an Auto Scaling group of one instance type).
type ClusterAutoscalerConfig struct {
	Template NodeTemplate
	Min, Max int // the node group's bounds
}

// ClusterAutoscaler is the Kubernetes Cluster Autoscaler with its defaults
// over one node group (docs/kubernetes-behaviour.md §4). Every 10 s it looks
// for unschedulable pods; those that would not fit on the nodes still
// joining are packed first-fit-decreasing onto new nodes of the group's
// template, and the group grows by that many (up to its max). When no
// scale-up is needed, a node whose pods request less than 50% of its
// allocatable (CPU and memory, or GPUs) and whose pods all fit on the
// other nodes is unneeded; one unneeded for 10 min is removed, empty ones
// up to 10 at a time, otherwise one at a time, and none within 10 min of
// a scale-up, nor below the group's min.
type ClusterAutoscaler struct {
	cfg      ClusterAutoscalerConfig
	unneeded map[int]sim.Time // node ID → unneeded since
	lastUp   sim.Time
	scaledUp bool
}

// NewClusterAutoscaler returns the autoscaler of c's node group.
func NewClusterAutoscaler(c ClusterAutoscalerConfig) (*ClusterAutoscaler, error) {
	if c.Min < 0 || c.Max < max(1, c.Min) {
		return nil, fmt.Errorf("cluster autoscaler: node group %d to %d: want 0 <= min <= max, max >= 1", c.Min, c.Max)
	}
	if c.Template.Allocatable.MilliCPU <= 0 || c.Template.Allocatable.Pods <= 0 {
		return nil, fmt.Errorf("cluster autoscaler: node type %s offers pods nothing", c.Template.Type)
	}
	return &ClusterAutoscaler{cfg: c, unneeded: map[int]sim.Time{}}, nil
}

// Name implements Provisioner.
func (a *ClusterAutoscaler) Name() string { return "cluster-autoscaler" }

// Interval implements Provisioner.
func (a *ClusterAutoscaler) Interval() sim.Duration { return CAScanInterval }

// Provision implements Provisioner.
func (a *ClusterAutoscaler) Provision(c ClusterView) NodeDecision {
	var d NodeDecision
	active := c.active()
	if n, why := a.scaleUp(c, active); n > 0 {
		for range n {
			d.Launch = append(d.Launch, a.cfg.Template.Type)
		}
		d.Reasons = append(d.Reasons, why)
		a.lastUp, a.scaledUp = c.Now, true
		return d
	} else if why != "" {
		d.Reasons = append(d.Reasons, why)
	}
	a.markUnneeded(c)
	if a.scaledUp && c.Now < a.lastUp.Add(CADelayAfterAdd) {
		return d
	}
	d.Remove, d.Reasons = a.scaleDown(c, active, d.Reasons)
	return d
}

// scaleUp returns how many nodes to add for the pending pods, and why;
// why is also set when pods are left pending for another reason.
func (a *ClusterAutoscaler) scaleUp(c ClusterView, active int) (int, string) {
	if len(c.Pending) == 0 {
		return 0, ""
	}
	left := c.fitsUpcoming()
	if len(left) == 0 {
		return 0, ""
	}
	tmpl := a.cfg.Template
	never := 0
	for _, p := range left {
		if !tmpl.Allocatable.Fits(p.Requests) {
			never++
		}
	}
	want := NodesFor(tmpl, left)
	n := min(want, a.cfg.Max-active)
	switch {
	case n > 0:
		return n, fmt.Sprintf("%s: node group %d → %d for %s", a.Name(), active, active+n, plural(len(left)-never, "pending pod"))
	case want > 0:
		return 0, fmt.Sprintf("%s: %s pending, but the node group is at its max (%d)", a.Name(), plural(len(left)-never, "pod"), a.cfg.Max)
	}
	return 0, fmt.Sprintf("%s: %s would not fit on a new %s node", a.Name(), plural(never, "pending pod"), tmpl.Type)
}

// markUnneeded updates when each node became unneeded: it is Ready, below
// the utilisation threshold, and its pods fit on the other nodes.
func (a *ClusterAutoscaler) markUnneeded(c ClusterView) {
	seen := map[int]bool{}
	for i, n := range c.Nodes {
		if !n.Ready || n.Deleting || n.utilization() >= CAUtilizationThreshold || !movable(c.Nodes, i, nil) {
			continue
		}
		seen[n.ID] = true
		if _, ok := a.unneeded[n.ID]; !ok {
			a.unneeded[n.ID] = c.Now
		}
	}
	for id := range a.unneeded {
		if !seen[id] {
			delete(a.unneeded, id)
		}
	}
}

// movable reports whether the pods of node i fit, first-fit, on the other
// Ready nodes that are not being removed (nor in gone).
func movable(nodes []NodeView, i int, gone map[int]bool) bool {
	var free []Resources
	for j, n := range nodes {
		if j != i && n.Ready && !n.Deleting && !gone[n.ID] {
			free = append(free, n.Free())
		}
	}
	return len(packOnto(free, largestFirst(nodes[i].Pods))) == 0
}

// scaleDown removes the nodes unneeded for long enough: empty ones in
// bulk, else one that still has pods, and only while no other such node
// is being drained (the autoscaler drains one non-empty node at a time);
// the group stays at its min or above.
func (a *ClusterAutoscaler) scaleDown(c ClusterView, active int, reasons []string) ([]int, []string) {
	var empty, busy []int // indexes into c.Nodes
	for i, n := range c.Nodes {
		since, ok := a.unneeded[n.ID]
		if !ok || c.Now < since.Add(CAUnneededTime) {
			continue
		}
		if len(n.Pods) == 0 {
			empty = append(empty, i)
		} else {
			busy = append(busy, i)
		}
	}
	room := active - a.cfg.Min
	var remove []int
	gone := map[int]bool{}
	take := func(i int) {
		n := c.Nodes[i]
		since := a.unneeded[n.ID]
		remove = append(remove, n.ID)
		gone[n.ID] = true
		delete(a.unneeded, n.ID)
		reasons = append(reasons, fmt.Sprintf("%s: node %s unneeded for %s (requests %.0f%% of allocatable): removed, node group %d → %d",
			a.Name(), n.Name, c.Now.Sub(since), 100*n.utilization(), active-len(remove)+1, active-len(remove)))
	}
	for _, i := range empty {
		if len(remove) >= min(room, CAMaxEmptyBulkDelete) {
			break
		}
		take(i)
	}
	if len(remove) == 0 && room > 0 && !draining(c.Nodes) {
		for _, i := range busy {
			if movable(c.Nodes, i, gone) {
				take(i)
				break
			}
		}
	}
	return remove, reasons
}

// draining reports whether a node that still has pods is being drained.
func draining(nodes []NodeView) bool {
	for _, n := range nodes {
		if n.Deleting && len(n.Pods) > 0 {
			return true
		}
	}
	return false
}
