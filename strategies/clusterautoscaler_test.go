package strategies

import (
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// m5xlarge is an m5.xlarge node's allocatable on EKS: 4000m less 80m,
// 16384 MiB less 11 × 58 + 255 MiB and the 100 MiB eviction threshold.
var m5xlarge = NodeTemplate{Type: "m5.xlarge", Allocatable: Resources{MilliCPU: 3920, MemoryMiB: 15391, Pods: 58}, PriceUSDHour: 0.192}

// cpuPod is a pod requesting milli millicores and 2 GiB.
func cpuPod(id int, milli int64) PodRequest {
	return PodRequest{ID: id, Requests: Resources{MilliCPU: milli, MemoryMiB: 2048, Pods: 1}}
}

// node is a node of the template with pods bound to it.
func node(id int, ready bool, pods ...PodRequest) NodeView {
	return NodeView{ID: id, Name: "i-" + string(rune('a'+id)), Type: m5xlarge.Type, Ready: ready, Allocatable: m5xlarge.Allocatable, Pods: pods}
}

func newCA(t *testing.T, min, max int) *ClusterAutoscaler {
	t.Helper()
	a, err := NewClusterAutoscaler(ClusterAutoscalerConfig{Template: m5xlarge, Min: min, Max: max})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestClusterAutoscalerScaleUp: pending pods are packed onto new nodes of
// the group's template, after those still joining
// (https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#how-does-scale-up-work).
func TestClusterAutoscalerScaleUp(t *testing.T) {
	now := sim.Time(sim.Hour)
	full := node(0, true, cpuPod(100, 1000), cpuPod(101, 1000), cpuPod(102, 1000))
	for _, tt := range []struct {
		name    string
		max     int
		nodes   []NodeView
		pending []PodRequest
		launch  int
		reason  string
	}{
		{"three 1-cpu pods per node", 10, []NodeView{full}, []PodRequest{cpuPod(1, 1000), cpuPod(2, 1000), cpuPod(3, 1000), cpuPod(4, 1000)}, 2,
			"node group 1 → 3 for 4 pending pods"},
		{"an upcoming node takes them", 10, []NodeView{full, node(1, false)}, []PodRequest{cpuPod(1, 1000), cpuPod(2, 1000), cpuPod(3, 1000)}, 0, ""},
		{"one more than the upcoming node takes", 10, []NodeView{full, node(1, false)}, []PodRequest{cpuPod(1, 1000), cpuPod(2, 1000), cpuPod(3, 1000), cpuPod(4, 1000)}, 1,
			"node group 2 → 3 for 1 pending pod"},
		{"at max", 2, []NodeView{full, node(1, true, cpuPod(5, 1000), cpuPod(6, 1000), cpuPod(7, 1000))}, []PodRequest{cpuPod(1, 1000)}, 0,
			"at its max (2)"},
		{"bounded by max", 3, []NodeView{full}, slices.Repeat([]PodRequest{cpuPod(1, 1000)}, 9), 2, "node group 1 → 3"},
		{"too big for the node type", 10, []NodeView{full}, []PodRequest{cpuPod(1, 8000)}, 0, "1 pending pod would not fit on a new m5.xlarge node"},
		{"largest first", 10, []NodeView{full}, []PodRequest{cpuPod(1, 500), cpuPod(2, 3000), cpuPod(3, 500), cpuPod(4, 3000)}, 2, "for 4 pending pods"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newCA(t, 1, tt.max).Provision(ClusterView{Now: now, Pending: tt.pending, Nodes: tt.nodes})
			if len(d.Launch) != tt.launch || len(d.Remove) != 0 {
				t.Fatalf("launch %v remove %v, want %d launches (%v)", d.Launch, d.Remove, tt.launch, d.Reasons)
			}
			if got := strings.Join(d.Reasons, "|"); !strings.Contains(got, tt.reason) || tt.reason == "" && got != "" {
				t.Errorf("reasons %q, want %q", got, tt.reason)
			}
		})
	}
}

// TestClusterAutoscalerScaleDown plays a cluster of three nodes scan by
// scan: a node is removed once it has been unneeded (requests below 50%
// of allocatable, pods movable) for 10 min, empty nodes first, never
// within 10 min of a scale-up nor below the group's min
// (https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#how-does-scale-down-work).
func TestClusterAutoscalerScaleDown(t *testing.T) {
	a := newCA(t, 1, 10)
	busy := node(0, true, cpuPod(1, 1000), cpuPod(2, 1000)) // 51%: needed
	light := node(1, true, cpuPod(3, 1000))                 // 26%, its pod fits on busy
	empty := node(2, true)                                  // unneeded at once
	start := sim.Time(sim.Hour)
	var removed []int
	var at []sim.Time
	for now := start; now <= start.Add(25*sim.Minute); now = now.Add(CAScanInterval) {
		var nodes []NodeView
		for _, n := range []NodeView{busy, light, empty} {
			if !slices.Contains(removed, n.ID) {
				nodes = append(nodes, n)
			}
		}
		d := a.Provision(ClusterView{Now: now, Nodes: nodes})
		for _, id := range d.Remove {
			removed = append(removed, id)
			at = append(at, now)
		}
		if len(d.Remove) > 0 && !strings.Contains(d.Reasons[len(d.Reasons)-1], "unneeded for 10m") {
			t.Errorf("reason %q", d.Reasons)
		}
	}
	if !slices.Equal(removed, []int{2, 1}) {
		t.Fatalf("removed %v, want the empty node then the light one", removed)
	}
	if at[0] != start.Add(CAUnneededTime) || at[1] != start.Add(CAUnneededTime+CAScanInterval) {
		t.Errorf("removed at %v, want 10 min after they became unneeded, one per scan", at)
	}

	// A node unneeded since 5 min before a scale-up would go 5 min after
	// it, but nothing is removed within 10 min of a scale-up.
	a = newCA(t, 1, 10)
	t0 := start.Add(sim.Hour)
	e1 := node(5, true, cpuPod(10, 1000), cpuPod(11, 1000))
	fresh := node(6, true, cpuPod(12, 3900))
	for now := t0.Add(-10 * sim.Minute); now <= t0.Add(20*sim.Minute); now = now.Add(CAScanInterval) {
		c := ClusterView{Now: now, Nodes: []NodeView{busy, e1}}
		switch {
		case now == t0:
			c.Pending = []PodRequest{cpuPod(12, 3900)}
		case now > t0:
			c.Nodes = append(c.Nodes, fresh)
		}
		if now == t0.Add(-5*sim.Minute) {
			e1.Pods = e1.Pods[:1] // one pod leaves: 26%, and it fits on busy
		}
		d := a.Provision(c)
		if now == t0 && len(d.Launch) != 1 {
			t.Fatalf("at the scale-up: %+v", d)
		}
		if len(d.Remove) > 0 {
			if now != t0.Add(CADelayAfterAdd) || !slices.Equal(d.Remove, []int{5}) {
				t.Fatalf("removed %v at %v after the scale-up, want node 5 at %v", d.Remove, now.Sub(t0), CADelayAfterAdd)
			}
			return
		}
	}
	t.Fatal("the unneeded node was never removed")
}

// TestClusterAutoscalerDrainsOneAtATime: while a node that still has pods
// is being drained, no other non-empty node is taken, though it has been
// unneeded long enough; empty nodes still go
// (https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#how-does-scale-down-work).
func TestClusterAutoscalerDrainsOneAtATime(t *testing.T) {
	a := newCA(t, 1, 10)
	big := node(0, true, cpuPod(1, 1000), cpuPod(2, 1000))
	l1, l2 := node(1, true, cpuPod(3, 500)), node(2, true, cpuPod(4, 500))
	start := sim.Time(sim.Hour)
	var removed []int
	for now := start; now <= start.Add(12*sim.Minute); now = now.Add(CAScanInterval) {
		nodes := []NodeView{big}
		for _, n := range []NodeView{l1, l2} {
			if slices.Contains(removed, n.ID) {
				n.Deleting = true // still draining: its pod has not left yet
			}
			nodes = append(nodes, n)
		}
		removed = append(removed, a.Provision(ClusterView{Now: now, Nodes: nodes}).Remove...)
	}
	if len(removed) != 1 {
		t.Errorf("removed %v while the first stayed draining, want one node", removed)
	}
}

// TestLacking: a pod that does not fit is Pending for the first resource
// the scheduler finds short, as its FailedScheduling event says.
func TestLacking(t *testing.T) {
	free := Resources{MilliCPU: 1000, MemoryMiB: 4096, GPUs: 0, Pods: 2}
	for _, c := range []struct {
		pod  Resources
		want string
	}{
		{Resources{MilliCPU: 1000, MemoryMiB: 4096, Pods: 1}, ""},
		{Resources{MilliCPU: 1001, MemoryMiB: 9999, Pods: 1}, "Insufficient cpu"},
		{Resources{MilliCPU: 500, MemoryMiB: 4097, Pods: 1}, "Insufficient memory"},
		{Resources{MilliCPU: 500, GPUs: 1, Pods: 1}, "Insufficient nvidia.com/gpu"},
	} {
		got := ""
		if j := free.Lacking(c.pod); j >= 0 {
			got = InsufficientReasons()[j]
		}
		if got != c.want {
			t.Errorf("%+v on %+v: %q, want %q", c.pod, free, got, c.want)
		}
	}
	if j := (Resources{MilliCPU: 4000, MemoryMiB: 8192, Pods: 0}).Lacking(Resources{MilliCPU: 1, Pods: 1}); j != 3 {
		t.Errorf("a node with no pod left: %d, want 3 (Too many pods)", j)
	}
}
