package strategies

import (
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// m5 are the m5 types Karpenter may choose in these tests, with their EKS
// allocatable (three, seven and fifteen 1-CPU pods).
var m5 = []NodeTemplate{
	m5xlarge,
	{Type: "m5.2xlarge", Allocatable: Resources{MilliCPU: 7910, MemoryMiB: 31775, Pods: 58}, PriceUSDHour: 0.384},
	{Type: "m5.4xlarge", Allocatable: Resources{MilliCPU: 15890, MemoryMiB: 62877, Pods: 234}, PriceUSDHour: 0.768},
}

// pods returns n pods of milli millicores and 2 GiB.
func pods(n int, milli int64) []PodRequest {
	out := make([]PodRequest, n)
	for i := range out {
		out[i] = cpuPod(i, milli)
	}
	return out
}

// TestKarpenterPack: each node is the type whose price per pod it holds is
// lowest (https://karpenter.sh/docs/concepts/scheduling/).
func TestKarpenterPack(t *testing.T) {
	for _, tt := range []struct {
		name string
		pods []PodRequest
		want []string
	}{
		// 13 pods: an m5.2xlarge holds 7 at $0.055 a pod (an m5.4xlarge 13
		// at $0.059, an m5.xlarge 3 at $0.064); then 6 are as cheap on
		// either smaller type, and the cheaper node wins; then 3.
		{"thirteen", pods(13, 1000), []string{"m5.2xlarge", "m5.xlarge", "m5.xlarge"}},
		{"fifteen fill an m5.4xlarge", pods(15, 1000), []string{"m5.4xlarge"}},
		{"one", pods(1, 1000), []string{"m5.xlarge"}},
		{"too big for every type", pods(1, 16000), nil},
	} {
		if got := KarpenterPack(m5, tt.pods); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestKarpenterBatching: pending pods are batched until none has come for
// 1 s (BATCH_IDLE_DURATION) or 10 s after the first (BATCH_MAX_DURATION)
// (https://karpenter.sh/docs/reference/settings/).
func TestKarpenterBatching(t *testing.T) {
	k, err := NewKarpenter(KarpenterConfig{Templates: m5, Max: 50})
	if err != nil {
		t.Fatal(err)
	}
	start := sim.Time(sim.Hour)
	// A pod more every second: the batch closes at its 10 s maximum.
	var launched sim.Time
	for s := range 15 {
		now := start.Add(sim.Duration(s) * sim.Second)
		d := k.Provision(ClusterView{Now: now, Pending: pods(s+1, 1000)})
		if len(d.Launch) > 0 {
			launched = now
			if !strings.Contains(d.Reasons[0], "for 11 pending pods") {
				t.Errorf("reason %q", d.Reasons)
			}
			break
		}
	}
	if launched != start.Add(KarpenterBatchMax) {
		t.Errorf("launched at %v, want at the batch's 10 s maximum", launched.Sub(start))
	}
	// A steady set of pods: launched once they have been pending 1 s.
	k, _ = NewKarpenter(KarpenterConfig{Templates: m5, Max: 50})
	if d := k.Provision(ClusterView{Now: start, Pending: pods(3, 1000)}); len(d.Launch) != 0 {
		t.Fatalf("launched at once: %+v", d)
	}
	if d := k.Provision(ClusterView{Now: start.Add(sim.Second), Pending: pods(3, 1000)}); !slices.Equal(d.Launch, []string{"m5.xlarge"}) {
		t.Fatalf("after 1 s idle: %+v", d)
	}
}

// TestKarpenterConsolidation: with nothing pending, empty nodes are
// deleted, else the least-requested node whose pods fit elsewhere, within
// the disruption budget (https://karpenter.sh/docs/concepts/disruption/).
func TestKarpenterConsolidation(t *testing.T) {
	now := sim.Time(sim.Hour)
	full := node(0, true, pods(3, 1000)...)
	half := node(1, true, cpuPod(10, 1000))
	empty := node(2, true)
	for _, tt := range []struct {
		name  string
		nodes []NodeView
		want  []int
	}{
		{"empty first", []NodeView{full, half, empty}, []int{2}},
		{"then the least requested whose pods fit", []NodeView{full, half, node(3, true, cpuPod(11, 1000))}, []int{1}},
		{"nothing movable", []NodeView{full, node(4, true, pods(3, 1000)...)}, nil},
		{"still joining", []NodeView{full, node(5, false)}, nil},
	} {
		k, _ := NewKarpenter(KarpenterConfig{Templates: m5, Max: 50})
		d := k.Provision(ClusterView{Now: now, Nodes: tt.nodes})
		if !slices.Equal(d.Remove, tt.want) {
			t.Errorf("%s: removed %v, want %v (%v)", tt.name, d.Remove, tt.want, d.Reasons)
		}
		if d2 := k.Provision(ClusterView{Now: now.Add(sim.Second), Nodes: tt.nodes}); len(d2.Remove) > 0 {
			t.Errorf("%s: consolidated again 1 s later", tt.name)
		}
	}
}
