package strategies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// Karpenter's defaults (its settings and NodePool disruption;
// docs/kubernetes-behaviour.md §5).
const (
	KarpenterBatchIdle     = sim.Second      // BATCH_IDLE_DURATION
	KarpenterBatchMax      = 10 * sim.Second // BATCH_MAX_DURATION
	KarpenterDisruptEvery  = 10 * sim.Second // how often consolidation is considered
	KarpenterBudgetPercent = 10              // the default disruption budget, nodes: 10%
)

// KarpenterConfig configures Karpenter over one NodePool.
type KarpenterConfig struct {
	// Templates are the instance types it may launch.
	Templates []NodeTemplate
	// Max is the most nodes (the NodePool's limits, as a node count).
	Max int
}

// Karpenter provisions nodes for pending pods and consolidates
// (docs/kubernetes-behaviour.md §5). Pending pods are batched until none has
// come for 1 s, or 10 s after the first; those that do not fit on nodes
// still launching get new nodes, each of the type whose price per pod it
// holds is lowest, packed first-fit-decreasing. With nothing pending,
// every 10 s consolidation (WhenEmptyOrUnderutilized, consolidateAfter
// 0s) deletes empty nodes, and else the least-requested node whose pods
// all fit on the other nodes, within the disruption budget of 10% of the
// nodes (at least one).
//
// Simplifications: no spot or capacity-type choice, no zone or topology
// constraints, consolidation only deletes (it never replaces a node by a
// cheaper one), and a node is a candidate as soon as it is Ready.
type Karpenter struct {
	cfg        KarpenterConfig
	batchStart sim.Time // when the current batch's first pod was seen; -1 none
	batchLast  sim.Time // when the batch last grew
	batchN     int      // pods in the batch when last seen
	nextDisrup sim.Time
}

// NewKarpenter returns Karpenter over c's NodePool.
func NewKarpenter(c KarpenterConfig) (*Karpenter, error) {
	if len(c.Templates) == 0 || c.Max < 1 {
		return nil, fmt.Errorf("karpenter: %d instance types, max %d nodes: want at least one of each", len(c.Templates), c.Max)
	}
	return &Karpenter{cfg: c, batchStart: -1}, nil
}

// Name implements Provisioner.
func (k *Karpenter) Name() string { return "karpenter" }

// Interval implements Provisioner: a second, the batch's idle time.
func (k *Karpenter) Interval() sim.Duration { return KarpenterBatchIdle }

// Provision implements Provisioner.
func (k *Karpenter) Provision(c ClusterView) NodeDecision {
	var d NodeDecision
	active := c.active()
	if len(c.Pending) > 0 {
		if k.batchStart < 0 {
			k.batchStart, k.batchLast, k.batchN = c.Now, c.Now, len(c.Pending)
		}
		if len(c.Pending) > k.batchN {
			k.batchLast = c.Now
		}
		k.batchN = len(c.Pending)
		if c.Now < k.batchLast.Add(KarpenterBatchIdle) && c.Now < k.batchStart.Add(KarpenterBatchMax) {
			return d
		}
		k.batchStart = -1
		return k.launch(c, active)
	}
	k.batchStart = -1
	if c.Now < k.nextDisrup {
		return d
	}
	k.nextDisrup = c.Now.Add(KarpenterDisruptEvery)
	return k.consolidate(c, active)
}

// launch creates nodes for the pending pods that nodes still launching
// cannot take.
func (k *Karpenter) launch(c ClusterView, active int) NodeDecision {
	var d NodeDecision
	left := c.fitsUpcoming()
	if len(left) == 0 {
		return d
	}
	types := KarpenterPack(k.cfg.Templates, left)
	if room := k.cfg.Max - active; len(types) > room {
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s: the NodePool's limit of %d nodes leaves %s of %d wanted", k.Name(), k.cfg.Max, plural(max(room, 0), "node"), len(types)))
		types = types[:max(room, 0)]
	}
	if len(types) == 0 {
		if len(d.Reasons) == 0 {
			d.Reasons = append(d.Reasons, fmt.Sprintf("%s: %s fit on no instance type", k.Name(), plural(len(left), "pending pod")))
		}
		return d
	}
	d.Launch = types
	d.Reasons = append(d.Reasons, fmt.Sprintf("%s: launching %s for %s", k.Name(), strings.Join(countTypes(types), ", "), plural(len(left), "pending pod")))
	return d
}

// countTypes writes each type with its count: "2 × m5.xlarge".
func countTypes(types []string) []string {
	var out []string
	for i := 0; i < len(types); {
		j := i
		for j < len(types) && types[j] == types[i] {
			j++
		}
		out = append(out, fmt.Sprintf("%d × %s", j-i, types[i]))
		i = j
	}
	return out
}

// KarpenterPack returns the instance types of the nodes that hold pods, as
// Karpenter chooses them: repeatedly the type whose price per pod it can
// hold, packed first-fit-decreasing, is lowest (the cheaper on a tie),
// until every pod that fits some type has a node. The types come out in
// order of choice.
func KarpenterPack(templates []NodeTemplate, pods []PodRequest) []string {
	left := largestFirst(pods)
	var out []string
	for len(left) > 0 {
		best, bestHeld := -1, 0
		var bestLeft []PodRequest
		for i, t := range templates {
			free := []Resources{t.Allocatable}
			rest := packOnto(free, left)
			held := len(left) - len(rest)
			if held == 0 {
				continue
			}
			if best < 0 || t.PriceUSDHour*float64(bestHeld) < templates[best].PriceUSDHour*float64(held) ||
				t.PriceUSDHour*float64(bestHeld) == templates[best].PriceUSDHour*float64(held) && t.PriceUSDHour < templates[best].PriceUSDHour {
				best, bestHeld, bestLeft = i, held, rest
			}
		}
		if best < 0 {
			break // what is left fits on no type
		}
		out = append(out, templates[best].Type)
		left = bestLeft
	}
	return out
}

// NodesFor returns how many nodes of template t hold pods, packed
// first-fit-decreasing; pods that fit on no such node are left out.
func NodesFor(t NodeTemplate, pods []PodRequest) int {
	var free []Resources
	for _, p := range largestFirst(pods) {
		if t.Allocatable.Fits(p.Requests) && len(packOnto(free, []PodRequest{p})) > 0 {
			free = append(free, t.Allocatable.Minus(p.Requests))
		}
	}
	return len(free)
}

// consolidate deletes empty nodes, or else the least-requested node whose
// pods fit elsewhere, within the disruption budget.
func (k *Karpenter) consolidate(c ClusterView, active int) NodeDecision {
	var d NodeDecision
	budget := max(1, (active*KarpenterBudgetPercent+99)/100)
	for _, n := range c.Nodes {
		if n.Deleting {
			budget--
		}
	}
	var ready []int
	for i, n := range c.Nodes {
		if n.Ready && !n.Deleting {
			ready = append(ready, i)
		}
	}
	slices.SortStableFunc(ready, func(a, b int) int {
		ua, ub := c.Nodes[a].utilization(), c.Nodes[b].utilization()
		switch {
		case ua < ub:
			return -1
		case ua > ub:
			return 1
		}
		return 0
	})
	gone := map[int]bool{}
	for _, i := range ready {
		n := c.Nodes[i]
		if budget <= 0 {
			break
		}
		if len(n.Pods) == 0 {
			d.Remove = append(d.Remove, n.ID)
			gone[n.ID] = true
			budget--
			d.Reasons = append(d.Reasons, fmt.Sprintf("%s: consolidating empty node %s (%s)", k.Name(), n.Name, n.Type))
		}
	}
	if len(d.Remove) > 0 || budget <= 0 {
		return d
	}
	for _, i := range ready {
		n := c.Nodes[i]
		if movable(c.Nodes, i, gone) {
			d.Remove = append(d.Remove, n.ID)
			d.Reasons = append(d.Reasons, fmt.Sprintf("%s: consolidating node %s (%s, requests %.0f%% of allocatable): its %s fit on the other nodes",
				k.Name(), n.Name, n.Type, 100*n.utilization(), plural(len(n.Pods), "pod")))
			break
		}
	}
	return d
}
