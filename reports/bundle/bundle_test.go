package bundle_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/bundle"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/scenarios"
)

// TestBundles: a run's bundle holds its summary, series, scenario,
// decisions, events, report and every chart in two formats, in that order;
// a sweep's its JSON, CSV and Pareto chart. Every file has content, and
// rendering again (in parallel, in another order of completion) gives the
// same bytes.
func TestBundles(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every chart twice; the full suite runs it")
	}
	sc, err := scenarios.Builtin("mmc", []string{"duration=3m", "warmup=30s"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenarios.Run(context.Background(), sc, scenarios.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	y, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"summary.json", "timeseries.csv", "scenario.yaml", "decisions.csv", "events.csv", "report.html"}
	for _, name := range charts.Names() {
		want = append(want, "charts/"+name+".png", "charts/"+name+".svg")
	}
	check := func(what string, want []string, render func() ([]bundle.File, error)) {
		files, err := render()
		if err != nil {
			t.Fatal(err)
		}
		again, err := render()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for i, f := range files {
			names = append(names, f.Name)
			if len(f.Data) == 0 && f.Name != "decisions.csv" && f.Name != "events.csv" {
				t.Errorf("%s: %s is empty", what, f.Name)
			}
			if !bytes.Equal(f.Data, again[i].Data) {
				t.Errorf("%s: %s differs from one rendering to the next", what, f.Name)
			}
		}
		if !slices.Equal(names, want) {
			t.Errorf("%s holds %q, want %q", what, names, want)
		}
	}
	check("run bundle", want, func() ([]bundle.File, error) { return bundle.Run(res, y) })
	sweep := &reports.Sweep{Scenario: "mmc", Replications: 1, Points: []reports.SweepPoint{{Strategies: res.Strategies}}}
	check("sweep bundle", []string{"sweep.json", "sweep.csv", "charts/pareto.svg", "charts/pareto.png"},
		func() ([]bundle.File, error) { return bundle.Sweep(sweep) })
	if files, err := bundle.Run(res, y); err == nil && string(files[2].Data) != string(y) {
		t.Error("scenario.yaml is not the resolved scenario given")
	}
}
