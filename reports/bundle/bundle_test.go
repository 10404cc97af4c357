package bundle_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/bundle"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/reports/internal/caltest"
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

// TestCalibrationBundle: a calibration's bundle holds its JSON, its
// matched decisions, its page and both charts in two formats, in that
// order, each with content, the same bytes from one rendering to the
// next; the JSON and CSV are the reports package's.
func TestCalibrationBundle(t *testing.T) {
	c := caltest.Fixture()
	files, err := bundle.Calibration(c)
	if err != nil {
		t.Fatal(err)
	}
	again, err := bundle.Calibration(caltest.Fixture())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"calibration.json", "decisions.csv", "calibration.html",
		"charts/capacity_desired.png", "charts/capacity_desired.svg",
		"charts/capacity_in_service.png", "charts/capacity_in_service.svg"}
	var names []string
	for i, f := range files {
		names = append(names, f.Name)
		if len(f.Data) == 0 {
			t.Errorf("%s is empty", f.Name)
		}
		if !bytes.Equal(f.Data, again[i].Data) {
			t.Errorf("%s differs from one rendering to the next", f.Name)
		}
	}
	if !slices.Equal(names, want) {
		t.Fatalf("the calibration bundle holds %q, want %q", names, want)
	}
	var js, csv bytes.Buffer
	if err := reports.WriteCalibrationJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteCalibrationCSV(&csv, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files[0].Data, js.Bytes()) || !bytes.Equal(files[1].Data, csv.Bytes()) {
		t.Error("calibration.json or decisions.csv is not what the reports package writes")
	}
	if !bytes.HasPrefix(files[2].Data, []byte("<!DOCTYPE html>")) || !bytes.HasPrefix(files[3].Data, []byte("\x89PNG")) ||
		!bytes.Contains(files[4].Data, []byte("<svg")) {
		t.Error("the page, a PNG or an SVG is not what its name says")
	}
	for _, f := range files[3:] {
		name := strings.TrimSuffix(strings.TrimPrefix(f.Name, "charts/"), ".svg")
		if strings.HasSuffix(f.Name, ".svg") && !bytes.Contains(f.Data, []byte(">"+charts.CalibrationTitle(c, name)+"<")) {
			t.Errorf("%s is not titled %q", f.Name, charts.CalibrationTitle(c, name))
		}
	}
}
