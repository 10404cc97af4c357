package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/scenarios"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// This file proves that a strategy family is one registered type: a toy
// family, defined here and nowhere else, registers in the CLI's schema and
// goes through `scalesim run` and `scalesim validate` as the built-in
// families do: its keys are decoded, checked with file:line errors and
// written back in the resolved scenario; it runs on the Auto Scaling
// mechanics behind the load balancer; and its type, figures and notes
// reach the JSON, the table and the report bundle.

// doublingSpec is the toy family's keys: a fleet that starts at start
// instances and doubles every interval up to max.
type doublingSpec struct {
	InstanceType string       `yaml:"instance_type"`
	Start        int          `yaml:"start"`
	Max          int          `yaml:"max"`
	Every        sim.Duration `yaml:"every"`
}

// Check implements scenarios.FamilySpec.
func (d *doublingSpec) Check(c *scenarios.Checker) error {
	if err := c.InstanceType("instance_type", d.InstanceType); err != nil {
		return err
	}
	if !c.Has("start") {
		d.Start = 1
	}
	if err := c.Count("start", d.Start, 1, 100, "the fleet starts with 1 to 100 instances"); err != nil {
		return err
	}
	if err := c.Required("max", "set the largest fleet, e.g. max: 8"); err != nil {
		return err
	}
	if err := c.Count("max", d.Max, d.Start, 1000, "max is at least start"); err != nil {
		return err
	}
	if d.Every <= 0 {
		return c.Error("every", fmt.Sprintf("must be > 0 (got %v)", d.Every), "the fleet doubles this often, e.g. every: 10m")
	}
	return nil
}

// Plan implements scenarios.FamilySpec: the doubling policy over an Auto
// Scaling group behind the scenario's load balancer.
func (d *doublingSpec) Plan(env scenarios.PlanEnv) (scenarios.Plan, error) {
	p := &doubling{name: env.Name, spec: *d}
	return scenarios.Plan{Policy: p, Fleet: models.Group{}, Door: env.LoadBalancer}, nil
}

// Notes implements scenarios.FamilySpec.
func (d *doublingSpec) Notes(policy strategies.Strategy, _ *reports.StrategySummary) []string {
	return []string{fmt.Sprintf("doubled %d times", policy.(*doubling).doublings)}
}

// Story implements scenarios.FamilySpec: the default story.
func (d *doublingSpec) Story(*reports.StrategySummary) *reports.Story { return nil }

// doubling is the toy family's policy.
type doubling struct {
	name      string
	spec      doublingSpec
	doublings int
}

func (p *doubling) Name() string           { return p.name }
func (p *doubling) Interval() sim.Duration { return p.spec.Every }
func (p *doubling) Initial() strategies.Decision {
	return strategies.Decision{Desired: p.spec.Start, InstanceType: p.spec.InstanceType, Reason: "start"}
}
func (p *doubling) Decide(obs strategies.Observation) strategies.Decision {
	want := min(2*obs.Fleet.Desired, p.spec.Max)
	if want > obs.Fleet.Desired {
		p.doublings++
	}
	return strategies.Decision{Desired: want, Reason: fmt.Sprintf("double to %d", want)}
}

// toyScenario runs the toy family beside a static fleet.
const toyScenario = `name: toy
duration: 12m
workload: {type: poisson, rate: 200}
service:
  time: {dist: exponential, mean: 50ms}
strategies:
  - name: fixed
    type: static
    instance_type: m5.large
    count: 4
  - name: grow
    type: doubling
    instance_type: m5.large
    max: 8
    every: 1m
`

// toyIO returns test streams whose schema has the toy family.
func toyIO(t *testing.T) ioStreams {
	t.Helper()
	ios := testIO()
	err := ios.Schema.AddFamily(scenarios.Family{Type: "doubling", New: func() scenarios.FamilySpec { return &doublingSpec{} }})
	if err != nil {
		t.Fatal(err)
	}
	return ios
}

// runToy runs the command line with the toy family registered.
func runToy(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ios := toyIO(t)
	code = run(args, ios)
	return ios.Out.(*bytes.Buffer).String(), ios.Err.(*bytes.Buffer).String(), code
}

func TestAddingAFamily(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "toy.yaml")
	if err := os.WriteFile(file, []byte(toyScenario), 0o644); err != nil {
		t.Fatal(err)
	}

	// Run: the JSON names its type and carries its figures and notes.
	out, stderr, code := runToy(t, "run", file, "-o", "json", "--out", filepath.Join(dir, "bundle"))
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var res struct {
		Strategies []struct {
			Name, Type string
			Requests   struct{ Arrived, Completed int64 }
			Capacity   struct {
				InstancesMax int `json:"instances_max"`
			} `json:"capacity"`
			Actions int `json:"scaling_actions"`
			Notes   []string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	g := res.Strategies[1]
	// 1 → 2 → 4 → 8 at 1, 2 and 3 minutes, then held at max.
	if g.Name != "grow" || g.Type != "doubling" || g.Actions != 3 || g.Requests.Completed == 0 ||
		len(g.Notes) != 1 || g.Notes[0] != "doubled 3 times" {
		t.Errorf("the toy strategy: %+v", g)
	}
	if g.Capacity.InstancesMax != 8 {
		t.Errorf("the toy fleet reached %d instances, want 8", g.Capacity.InstancesMax)
	}

	// The resolved scenario writes its default out and loads back as is.
	resolved, err := os.ReadFile(filepath.Join(dir, "bundle", "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := "  - name: grow\n    type: doubling\n    instance_type: m5.large\n    start: 1\n    max: 8\n    every: 1m0s\n"
	if !strings.Contains(string(resolved), want) {
		t.Errorf("resolved scenario lacks the toy strategy as\n%s\ngot:\n%s", want, resolved)
	}
	if _, stderr, code := runToy(t, "validate", filepath.Join(dir, "bundle", "scenario.yaml")); code != 0 {
		t.Errorf("the resolved scenario does not load back: %s", stderr)
	}

	// The table and --set know it too.
	table, _, code := runToy(t, "run", file, "--set", "strategies.grow.max=4")
	if code != 0 || !strings.Contains(table, "doubling") || !strings.Contains(table, "grow: doubled 2 times") {
		t.Errorf("table with max=4: exit %d\n%s", code, table)
	}

	// Its checks point at the file's line, or at the --set flag; a key of
	// another family is refused as such; without the family, the type is
	// unknown.
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(toyScenario, "every: 1m", "every: 0s", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, msg, code := runToy(t, "validate", bad); code != exitInput ||
		!strings.Contains(msg, "bad.yaml:15: strategies.grow.every: must be > 0 (got 0s); the fleet doubles this often") {
		t.Errorf("a bad value in the file: exit %d, stderr %q", code, msg)
	}
	for _, tc := range []struct {
		name string
		io   func() ioStreams
		set  string
		want string
	}{
		{"own check", func() ioStreams { return toyIO(t) }, "strategies.grow.max=0",
			"--set strategies.grow.max=0: strategies.grow.max: must be from 1 to 1000 (got 0); max is at least start"},
		{"key of another family", func() ioStreams { return toyIO(t) }, "strategies.grow.count=3",
			"strategies.grow.count: not used by a doubling strategy; it takes name, type, instance_type, start, max, every"},
		{"not registered", func() ioStreams { return testIO() }, "seed=1", `strategies.grow.type: unknown strategy type "doubling"`},
	} {
		ios := tc.io()
		code := run([]string{"validate", file, "--set", tc.set}, ios)
		msg := ios.Err.(*bytes.Buffer).String()
		if code != exitInput || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tc.name, code, msg, tc.want)
		}
	}
}
