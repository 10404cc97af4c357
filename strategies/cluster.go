package strategies

import (
	"fmt"
	"slices"

	"github.com/scalesim/scalesim/sim"
)

// Resources are what a pod requests or a node offers to pods, in
// Kubernetes' integer units: millicores of CPU, MiB of memory, GPUs
// (nvidia.com/gpu) and, for a node, how many pods it may run (max-pods).
type Resources struct {
	MilliCPU  int64
	MemoryMiB int64
	GPUs      int
	Pods      int
}

// Fits reports whether r has room for p (one more pod).
func (r Resources) Fits(p Resources) bool {
	return p.MilliCPU <= r.MilliCPU && p.MemoryMiB <= r.MemoryMiB && p.GPUs <= r.GPUs && r.Pods >= 1
}

// Minus returns r with p (one pod) taken out.
func (r Resources) Minus(p Resources) Resources {
	return Resources{MilliCPU: r.MilliCPU - p.MilliCPU, MemoryMiB: r.MemoryMiB - p.MemoryMiB, GPUs: r.GPUs - p.GPUs, Pods: r.Pods - 1}
}

// Plus returns r with p (one pod) added.
func (r Resources) Plus(p Resources) Resources {
	return Resources{MilliCPU: r.MilliCPU + p.MilliCPU, MemoryMiB: r.MemoryMiB + p.MemoryMiB, GPUs: r.GPUs + p.GPUs, Pods: r.Pods + 1}
}

// InsufficientReasons are the reasons a node cannot take a pod, as the
// scheduler's FailedScheduling event words them, in the order it lists
// them (see Lacking).
func InsufficientReasons() []string {
	return []string{"Insufficient cpu", "Insufficient memory", "Insufficient nvidia.com/gpu", "Too many pods"}
}

// Lacking returns the index in InsufficientReasons of what r lacks for p
// (the first, as the scheduler checks them), or -1 when p fits.
func (r Resources) Lacking(p Resources) int {
	switch {
	case p.MilliCPU > r.MilliCPU:
		return 0
	case p.MemoryMiB > r.MemoryMiB:
		return 1
	case p.GPUs > r.GPUs:
		return 2
	case r.Pods < 1:
		return 3
	}
	return -1
}

// PodRequest is one pod as a node provisioner sees it: its requests.
type PodRequest struct {
	ID       int
	Requests Resources // Pods is 1
	// Placeholder marks a low-priority pod kept only to hold room
	// (overprovisioning): it triggers scale-ups like any pod, and the
	// scheduler evicts it for a pod of the Deployment.
	Placeholder bool
}

// NodeView is one node of the cluster as a provisioner sees it.
type NodeView struct {
	ID   int
	Name string
	Type string // its EC2 instance type
	// Ready reports that its kubelet registered and the node is Ready;
	// false while it launches and joins (an upcoming node).
	Ready bool
	// Deleting reports that it is being drained and removed.
	Deleting     bool
	LaunchedAt   sim.Time
	PriceUSDHour float64
	Allocatable  Resources
	Pods         []PodRequest // bound to it
}

// Free is the node's allocatable less its pods' requests.
func (n NodeView) Free() Resources {
	f := n.Allocatable
	for _, p := range n.Pods {
		f = f.Minus(p.Requests)
	}
	return f
}

// utilization is the node's requested share of its allocatable, as the
// Cluster Autoscaler computes it: the larger of CPU and memory, or GPUs
// alone on a node that has them.
func (n NodeView) utilization() float64 {
	a, f := n.Allocatable, n.Free()
	if a.GPUs > 0 {
		return float64(a.GPUs-f.GPUs) / float64(a.GPUs)
	}
	return max(share(a.MilliCPU-f.MilliCPU, a.MilliCPU), share(a.MemoryMiB-f.MemoryMiB, a.MemoryMiB))
}

// share is part / whole, 0 for an empty whole.
func share(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// ClusterView is the cluster as a node provisioner sees it at one scan.
type ClusterView struct {
	Now sim.Time
	// Pending are the pods the scheduler found no node for
	// (PodScheduled false, reason Unschedulable), oldest first.
	Pending []PodRequest
	// Nodes are the cluster's nodes, in launch order.
	Nodes []NodeView
}

// active counts the nodes not being removed.
func (c ClusterView) active() int {
	n := 0
	for _, nd := range c.Nodes {
		if !nd.Deleting {
			n++
		}
	}
	return n
}

// fitsUpcoming returns the pending pods, largest first, that the nodes
// still joining cannot take.
func (c ClusterView) fitsUpcoming() []PodRequest {
	var upcoming []Resources
	for _, n := range c.Nodes {
		if !n.Ready && !n.Deleting {
			upcoming = append(upcoming, n.Free())
		}
	}
	return packOnto(upcoming, largestFirst(c.Pending))
}

// NodeDecision is what a provisioner does at one scan: the nodes it
// launches (one instance type each) and those it removes (NodeView.ID).
type NodeDecision struct {
	Launch []string
	Remove []int
	// Reasons has one line per action, for the event log.
	Reasons []string
}

// Provisioner adds and removes a cluster's nodes: the Cluster Autoscaler
// or Karpenter. Like a Strategy it is a pure function of what it is shown,
// called every Interval.
type Provisioner interface {
	// Name names it in events ("cluster-autoscaler").
	Name() string
	// Interval is how often Provision is called.
	Interval() sim.Duration
	// Provision returns the scan's decision.
	Provision(c ClusterView) NodeDecision
}

// NodeTemplate is a node a provisioner may launch: its type, what it
// offers pods and its price.
type NodeTemplate struct {
	Type         string
	Allocatable  Resources
	PriceUSDHour float64
}

// packOnto places pods first-fit on the free capacities given (changing
// them) and returns those that found no room, in order.
func packOnto(free []Resources, pods []PodRequest) []PodRequest {
	var left []PodRequest
	for _, p := range pods {
		i := slices.IndexFunc(free, func(f Resources) bool { return f.Fits(p.Requests) })
		if i < 0 {
			left = append(left, p)
			continue
		}
		free[i] = free[i].Minus(p.Requests)
	}
	return left
}

// largestFirst returns pods sorted by CPU, then memory, descending (the
// order of first-fit-decreasing bin packing), ties in their order.
func largestFirst(pods []PodRequest) []PodRequest {
	out := slices.Clone(pods)
	slices.SortStableFunc(out, func(a, b PodRequest) int {
		if a.Requests.MilliCPU != b.Requests.MilliCPU {
			return int(b.Requests.MilliCPU - a.Requests.MilliCPU)
		}
		return int(b.Requests.MemoryMiB - a.Requests.MemoryMiB)
	})
	return out
}

// plural writes n thing(s).
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
