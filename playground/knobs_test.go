package playground

import (
	"math"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/scenarios"
	"github.com/scalesim/scalesim/sim"
)

// knobsOf loads the built-in scenario name and returns its knobs.
func knobsOf(t *testing.T, name string) []Knob {
	t.Helper()
	k, err := New(scenarios.DefaultSchema()).Knobs(name)
	if err != nil {
		t.Fatalf("Knobs(%s): %v", name, err)
	}
	return k
}

// TestKnobsDefault: the default scenario has every sort of knob, the
// traffic first, then each strategy's in scenario order.
func TestKnobsDefault(t *testing.T) {
	var ids, groups []string
	for _, k := range knobsOf(t, "default") {
		ids = append(ids, k.ID)
		if len(groups) == 0 || groups[len(groups)-1] != k.Group {
			groups = append(groups, k.Group)
		}
		if k.Disabled != "" {
			t.Errorf("knob %s is disabled in the default scenario: %s", k.ID, k.Disabled)
		}
	}
	want := []string{"workload.peak", "service.time", "strategies.asg.min", "strategies.asg.max",
		"strategies.asg.policy.target", "strategies.asg.warm_pool.size", "strategies.asg-sale.min",
		"strategies.asg-sale.max", "strategies.asg-sale.policies.0.target", "strategies.asg-sale.warm_pool.size",
		"strategies.resize.ladder", "strategies.kinesis.consumers.count"}
	if !slices.Equal(ids, want) {
		t.Errorf("knobs %q, want %q", ids, want)
	}
	wantGroups := []string{TrafficGroup, "asg (horizontal)", "asg-sale (horizontal)", "resize (vertical)", "kinesis (stream)"}
	if !slices.Equal(groups, wantGroups) {
		t.Errorf("groups %q, want %q", groups, wantGroups)
	}
}

// TestKnobsEveryBuiltin: in every built-in scenario each knob that
// applies holds its scenario's value on its slider's grid, and a step away
// from it makes --set flags, which the scenario loads with (all at once);
// a knob that does not apply says why.
func TestKnobsEveryBuiltin(t *testing.T) {
	schema := scenarios.DefaultSchema()
	for _, b := range Scenarios() {
		knobs := knobsOf(t, b.Name)
		moved := map[string]float64{}
		for _, k := range knobs {
			if k.Disabled != "" {
				if k.sets != nil {
					t.Errorf("%s: disabled knob %s has flags", b.Name, k.ID)
				}
				continue
			}
			steps := (k.Value - k.Min) / k.Step
			if k.Min > k.Value || k.Value > k.Max || k.Step <= 0 || math.Abs(steps-math.Round(steps)) > 1e-6 {
				t.Errorf("%s: knob %s: value %v is not on its grid %v to %v by %v", b.Name, k.ID, k.Value, k.Min, k.Max, k.Step)
			}
			if k.Labels != nil && len(k.Labels) != int(k.Max)+1 {
				t.Errorf("%s: knob %s has %d labels for values up to %v", b.Name, k.ID, len(k.Labels), k.Max)
			}
			other := k.Value - k.Step
			if other < k.Min {
				other = k.Value + k.Step
			}
			moved[k.ID] = other
			if sets, err := Sets([]Knob{k}, map[string]float64{k.ID: other}); err != nil || len(sets) == 0 {
				t.Errorf("%s: knob %s at %v: flags %q, error %v", b.Name, k.ID, other, sets, err)
			}
			if same, _ := Sets([]Knob{k}, map[string]float64{k.ID: k.Value}); len(same) != 0 {
				t.Errorf("%s: knob %s at its own value makes flags %q", b.Name, k.ID, same)
			}
		}
		sets, err := Sets(knobs, moved)
		if err == nil {
			_, err = schema.Builtin(b.Name, sets)
		}
		if err != nil {
			t.Errorf("%s: every knob a step away, --set %q: %v", b.Name, sets, err)
		}
		// The command line the page shows gives the CLI exactly these
		// flags once a shell has split it.
		want := []string{"run", b.Name}
		for _, set := range sets {
			want = append(want, "--set", set)
		}
		if got := shellWords(t, Command(b.Name, sets)); !slices.Equal(got, want) {
			t.Errorf("%s: the shell splits %q into\n  %q\nwant\n  %q", b.Name, Command(b.Name, sets), got, want)
		}
	}
}

// shellWords returns the arguments a POSIX shell passes to scalesim for
// the command line cmd ("scalesim run ...").
func shellWords(t *testing.T, cmd string) []string {
	t.Helper()
	args, ok := strings.CutPrefix(cmd, "scalesim ")
	if !ok {
		t.Fatalf("command %q does not start with scalesim", cmd)
	}
	out, err := exec.Command("sh", "-c", `printf '%s\0' `+args).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", args, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// TestSetsApply: the knobs' flags, loaded as scalesim run --set loads
// them, change exactly what the knobs name.
func TestSetsApply(t *testing.T) {
	knobs := knobsOf(t, "default")
	values := map[string]float64{
		"workload.peak":                         3000,
		"service.time":                          50,
		"strategies.asg.min":                    10,
		"strategies.asg.max":                    40, // its own value: no flag
		"strategies.asg.policy.target":          30,
		"strategies.asg.warm_pool.size":         4,
		"strategies.asg-sale.policies.0.target": 60,
		"strategies.resize.ladder":              2,
		"strategies.kinesis.consumers.count":    8,
	}
	sets, err := Sets(knobs, values)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"workload.peak=3000", "service.time.median=50ms", "service.time.p99=250ms",
		"strategies.asg.min=10", "strategies.asg.policy.target=30", "strategies.asg.warm_pool.size=4",
		"strategies.asg-sale.policies.0.target=60",
		"strategies.resize.ladder=[m5.2xlarge, m5.4xlarge, m5.8xlarge]", "strategies.kinesis.consumers.count=8"}
	if !slices.Equal(sets, want) {
		t.Fatalf("Sets = %q, want %q", sets, want)
	}
	sc, err := scenarios.DefaultSchema().Builtin("default", sets)
	if err != nil {
		t.Fatal(err)
	}
	s := sc.Spec
	asg := s.Strategies[0].Spec.(*scenarios.HorizontalSpec)
	sale := s.Strategies[1].Spec.(*scenarios.HorizontalSpec)
	resize := s.Strategies[2].Spec.(*scenarios.VerticalSpec)
	stream := s.Strategies[3].Spec.(*scenarios.StreamSpec)
	switch {
	case s.Workload.Peak != 3000 || s.Workload.Base != 300:
		t.Errorf("workload base %v peak %v, want 300 and 3000", s.Workload.Base, s.Workload.Peak)
	case s.Service.Time.Median != 50*sim.Millisecond || s.Service.Time.P99 != 250*sim.Millisecond:
		t.Errorf("service time median %v p99 %v, want 50ms and 250ms", s.Service.Time.Median, s.Service.Time.P99)
	case asg.Min != 10 || asg.Max != 40 || asg.Policy.Target != 30 || asg.WarmPool == nil || asg.WarmPool.Size != 4:
		t.Errorf("asg min %d max %d target %v pool %+v", asg.Min, asg.Max, asg.Policy.Target, asg.WarmPool)
	case len(sale.Policies) != 2 || sale.Policies[0].Target != 60 || len(sale.Policies[1].Actions) != 2:
		t.Errorf("asg-sale policies %+v, want target 60 and both scheduled actions kept", sale.Policies)
	case !slices.Equal(resize.Ladder, []string{"m5.2xlarge", "m5.4xlarge", "m5.8xlarge"}):
		t.Errorf("ladder %q", resize.Ladder)
	case stream.Consumers.Count != 8:
		t.Errorf("consumers %d, want 8", stream.Consumers.Count)
	}
}

// TestLadderTopGrows: the ladder's top may go past its last rung, to the
// larger sizes of that rung's family.
func TestLadderTopGrows(t *testing.T) {
	var ladder Knob
	for _, k := range knobsOf(t, "vertical-wins") {
		if k.ID == "strategies.single.ladder" {
			ladder = k
		}
	}
	if ladder.Value != 3 || ladder.Max <= 3 || !strings.HasPrefix(ladder.Labels[4], "m5.8xlarge · 32 vCPUs") {
		t.Fatalf("ladder knob %+v: want m5.4xlarge (3) and larger m5 sizes after it", ladder)
	}
	sets, err := Sets([]Knob{ladder}, map[string]float64{ladder.ID: 4})
	if err != nil {
		t.Fatal(err)
	}
	if want := "strategies.single.ladder=[m5.large, m5.xlarge, m5.2xlarge, m5.4xlarge, m5.8xlarge]"; len(sets) != 1 || sets[0] != want {
		t.Errorf("flags %q, want %q", sets, want)
	}
}

// TestKnobsThatDoNotApply: a trace has no peak to set, and a knob that
// does not apply refuses a value.
func TestKnobsThatDoNotApply(t *testing.T) {
	knobs := knobsOf(t, "worldcup98")
	peak := knobs[slices.IndexFunc(knobs, func(k Knob) bool { return k.ID == "workload.peak" })]
	if !strings.Contains(peak.Disabled, "trace") {
		t.Errorf("the peak of a trace is %q, want disabled naming the trace", peak.Disabled)
	}
	if _, err := Sets(knobs, map[string]float64{"workload.peak": 100}); err == nil || !strings.Contains(err.Error(), "does not apply") {
		t.Errorf("a value for a disabled knob: error %v", err)
	}
	if ids := len(knobsOf(t, "mmc")); ids != 2 {
		t.Errorf("mmc (one static strategy) has %d knobs, want the 2 of the traffic", ids)
	}
}

// TestSetsRejects: values for no knob, outside a range or between
// choices are errors naming the knob.
func TestSetsRejects(t *testing.T) {
	knobs := knobsOf(t, "default")
	for _, tc := range []struct {
		values map[string]float64
		want   string
	}{
		{map[string]float64{"strategies.nope.min": 3}, `no knob "strategies.nope.min"`},
		{map[string]float64{"workload.peak": 1e9}, "knob workload.peak: 1000000000 is outside its range, 300 to 9600"},
		{map[string]float64{"strategies.asg.min": -1}, "outside its range"},
		{map[string]float64{"workload.peak": math.NaN()}, "outside its range"},
		{map[string]float64{"strategies.resize.ladder": 2.5}, "not one of its choices"},
	} {
		if _, err := Sets(knobs, tc.values); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Sets(%v): error %v, want %q", tc.values, err, tc.want)
		}
	}
}

func TestSpan(t *testing.T) {
	for _, tc := range []struct{ lo, hi, v, min, max, step float64 }{
		{300, 9600, 2400, 300, 9600, 50},
		{0, 1400, 350, 10, 1400, 10},
		{900, 22500, 4500, 900, 22500, 200},
		{1.6, 40, 8, 1.6, 40, 0.2},
	} {
		lo, hi, step := span(tc.lo, tc.hi, tc.v)
		if lo != tc.min || hi != tc.max || step != tc.step {
			t.Errorf("span(%v, %v, %v) = %v, %v, %v; want %v, %v, %v", tc.lo, tc.hi, tc.v, lo, hi, step, tc.min, tc.max, tc.step)
		}
	}
}
