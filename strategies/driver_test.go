package strategies

import (
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// tick is one minute of a test: the datapoint published for the minute that
// just ended, and what the control plane shows.
type tick struct {
	inst int     // Period.Instances; 0 means the datapoint is missing
	cpu  float64 // Period.CPU
	rpt  float64 // Period.RequestsPerTarget
	// warm is the number of in-service instances in warm-up during the
	// period: not in Instances, but in Period.Load, at the same values
	// per instance as the covered ones.
	warm int
	// fleet is the fleet view; its Desired and InstanceType, when zero,
	// are carried from the previous decision, as a model applying it would,
	// and its InService, when zero, is that desired capacity less the
	// instances pending.
	fleet FleetView
}

// cpuTicks returns one tick per value, all covering inst instances.
func cpuTicks(inst int, cpus ...float64) []tick {
	out := make([]tick, len(cpus))
	for i, c := range cpus {
		out[i] = tick{inst: inst, cpu: c}
	}
	return out
}

// repeat returns n copies of t.
func repeat(n int, t tick) []tick {
	out := make([]tick, n)
	for i := range out {
		out[i] = t
	}
	return out
}

// seq concatenates tick lists.
func seq(parts ...[]tick) []tick {
	var out []tick
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// drive plays ticks against st: tick i publishes the period [i, i+1)
// minutes and decides at i+1 minutes, seeing every period so far.
func drive(t *testing.T, st Strategy, ticks []tick) []Decision {
	t.Helper()
	last := st.Initial()
	periods := make([]Period, 0, len(ticks))
	out := make([]Decision, len(ticks))
	for i, tk := range ticks {
		start := sim.Time(i) * sim.Time(sim.Minute)
		all := float64(tk.inst + tk.warm)
		periods = append(periods, Period{Start: start, End: start.Add(sim.Minute), Instances: tk.inst,
			CPU: tk.cpu, RequestsPerTarget: tk.rpt,
			Load: Load{Instances: tk.inst + tk.warm, CPU: all * tk.cpu, Requests: all * tk.rpt}})
		f := tk.fleet
		if f.Desired == 0 {
			f.Desired = last.Desired
		}
		if f.InstanceType == "" {
			f.InstanceType = last.InstanceType
		}
		if f.InService == 0 {
			f.InService = max(f.Desired-f.Pending, 0)
		}
		d := st.Decide(Observation{Now: start.Add(sim.Minute), Periods: periods, Fleet: f})
		if d.InstanceType == "" {
			d.InstanceType = last.InstanceType
		}
		out[i], last = d, d
	}
	return out
}

// desired returns the Desired of each decision.
func desired(ds []Decision) []int {
	out := make([]int, len(ds))
	for i, d := range ds {
		out[i] = d.Desired
	}
	return out
}

// ints returns n copies of v followed by rest.
func ints(n, v int, rest ...int) []int {
	out := make([]int, 0, n+len(rest))
	for range n {
		out = append(out, v)
	}
	return append(out, rest...)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkDesired fails with the decisions' reasons when the desired
// capacities differ from want.
func checkDesired(t *testing.T, ds []Decision, want []int) {
	t.Helper()
	if got := desired(ds); !equalInts(got, want) {
		t.Errorf("desired per minute\n got %v\nwant %v", got, want)
		for i, d := range ds {
			t.Logf("minute %d: %d  %s", i+1, d.Desired, d.Reason)
		}
	}
}

// checkLastReason fails when the last decision's reason lacks want.
func checkLastReason(t *testing.T, ds []Decision, want string) {
	t.Helper()
	if r := ds[len(ds)-1].Reason; !strings.Contains(r, want) {
		t.Errorf("last reason %q lacks %q", r, want)
	}
}

func ptr[T any](v T) *T { return &v }

// groupCase is one timeline of a group: its policies, initial capacity,
// the minutes played and the desired capacity wanted after each.
type groupCase struct {
	name     string
	policies []PolicyConfig
	init     int
	ticks    []tick
	want     []int
}

// runGroupCases plays each case against a fresh group bounded by min and
// max.
func runGroupCases(t *testing.T, min, max int, cases []groupCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkDesired(t, drive(t, group(t, min, max, c.init, c.policies...), c.ticks), c.want)
		})
	}
}

// group returns a horizontal strategy for the policies, failing the test on
// a configuration error.
func group(t *testing.T, min, max, initial int, ps ...PolicyConfig) *Horizontal {
	t.Helper()
	h, err := NewHorizontal(HorizontalConfig{Name: "asg", InstanceType: "m5.xlarge", Min: min, Max: max, Initial: initial, Policies: ps})
	if err != nil {
		t.Fatal(err)
	}
	return h
}
