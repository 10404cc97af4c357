// Package bundle says what a report bundle holds and renders it: the
// files `scalesim run --out DIR`, `scalesim sweep --out DIR` and
// `scalesim calibrate --out DIR` write.
// Every file is a pure function of the result, so the files are rendered
// in parallel and their bytes never depend on it. The package writes no
// file: the caller puts the bytes where it wants them.
package bundle

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"sync"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/reports/html"
)

// ChartsDir is the directory of the charts in a bundle.
const ChartsDir = "charts"

// File is one rendered file of a bundle.
type File struct {
	Name string // slash-separated, relative to the bundle's directory
	Data []byte
}

// part is one file of a bundle before it is rendered.
type part struct {
	name  string
	write func(io.Writer) error
}

// Run renders the bundle of r, a run whose resolved scenario is
// scenarioYAML: summary.json, timeseries.csv, scenario.yaml,
// decisions.csv, events.csv, report.html, then charts/NAME.png and
// charts/NAME.svg for every chart, in that order.
func Run(r *reports.Result, scenarioYAML []byte) ([]File, error) {
	parts := []part{
		{"summary.json", func(w io.Writer) error { return reports.WriteJSON(w, r) }},
		{"timeseries.csv", func(w io.Writer) error { return reports.WriteCSV(w, r) }},
		{"scenario.yaml", func(w io.Writer) error { _, err := w.Write(scenarioYAML); return err }},
		{"decisions.csv", func(w io.Writer) error { return reports.WriteDecisionsCSV(w, r) }},
		{"events.csv", func(w io.Writer) error { return reports.WriteEventsCSV(w, r) }},
		{"report.html", func(w io.Writer) error { return html.Write(w, r, scenarioYAML) }},
	}
	parts = append(parts, chartParts(charts.Names(), func(w io.Writer, name, format string) error {
		return charts.Render(w, r, name, format)
	})...)
	return render(parts)
}

// Calibration renders the bundle of calibration c: calibration.json,
// decisions.csv (the matched decisions), calibration.html, then
// charts/NAME.png and charts/NAME.svg for every calibration chart, in
// that order.
func Calibration(c *reports.Calibration) ([]File, error) {
	parts := []part{
		{"calibration.json", func(w io.Writer) error { return reports.WriteCalibrationJSON(w, c) }},
		{"decisions.csv", func(w io.Writer) error { return reports.WriteCalibrationCSV(w, c) }},
		{"calibration.html", func(w io.Writer) error { return html.WriteCalibration(w, c) }},
	}
	parts = append(parts, chartParts(charts.CalibrationNames(), func(w io.Writer, name, format string) error {
		return charts.RenderCalibration(w, c, name, format)
	})...)
	return render(parts)
}

// chartParts returns charts/NAME.png and charts/NAME.svg for each name,
// drawn by draw.
func chartParts(names []string, draw func(w io.Writer, name, format string) error) []part {
	var parts []part
	for _, name := range names {
		for _, format := range []string{"png", "svg"} {
			parts = append(parts, part{path.Join(ChartsDir, name+"."+format), func(w io.Writer) error {
				return draw(w, name, format)
			}})
		}
	}
	return parts
}

// Sweep renders the bundle of sweep s: sweep.json, sweep.csv and the
// Pareto chart as charts/pareto.svg and charts/pareto.png.
func Sweep(s *reports.Sweep) ([]File, error) {
	return render([]part{
		{"sweep.json", func(w io.Writer) error { return reports.WriteSweepJSON(w, s) }},
		{"sweep.csv", func(w io.Writer) error { return reports.WriteSweepCSV(w, s) }},
		{path.Join(ChartsDir, "pareto.svg"), func(w io.Writer) error { return charts.RenderSweep(w, s, "svg") }},
		{path.Join(ChartsDir, "pareto.png"), func(w io.Writer) error { return charts.RenderSweep(w, s, "png") }},
	})
}

// render renders the parts in parallel and returns them in order; the
// error, if any, is the first part's that failed, naming it.
func render(parts []part) ([]File, error) {
	files := make([]File, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			var buf bytes.Buffer
			errs[i] = p.write(&buf)
			files[i] = File{Name: p.name, Data: buf.Bytes()}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", parts[i].name, err)
		}
	}
	return files, nil
}
