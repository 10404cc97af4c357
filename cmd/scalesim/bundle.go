package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/reports/html"
	"github.com/scalesim/scalesim/scenarios"
)

// chartsDir is the bundle's directory of charts.
const chartsDir = "charts"

// chartFormats are the formats every chart is written in.
func chartFormats() []string { return []string{"png", "svg"} }

// bundleFile is one file of a report bundle: its slash-separated name
// inside the bundle and how to render it.
type bundleFile struct {
	name  string
	write func(io.Writer) error
}

// bundleFiles lists the files of r's report bundle, in the order they are
// reported: summary.json, timeseries.csv, scenario.yaml, decisions.csv,
// events.csv, report.html, then charts/NAME.png and charts/NAME.svg for
// every chart.
func bundleFiles(scenarioYAML []byte, r *reports.Result) []bundleFile {
	files := []bundleFile{
		{"summary.json", func(w io.Writer) error { return reports.WriteJSON(w, r) }},
		{"timeseries.csv", func(w io.Writer) error { return reports.WriteCSV(w, r) }},
		{"scenario.yaml", func(w io.Writer) error { _, err := w.Write(scenarioYAML); return err }},
		{"decisions.csv", func(w io.Writer) error { return reports.WriteDecisionsCSV(w, r) }},
		{"events.csv", func(w io.Writer) error { return reports.WriteEventsCSV(w, r) }},
		{"report.html", func(w io.Writer) error { return html.Write(w, r, scenarioYAML) }},
	}
	for _, name := range charts.Names() {
		for _, format := range chartFormats() {
			files = append(files, bundleFile{path.Join(chartsDir, name+"."+format), func(w io.Writer) error {
				return charts.Render(w, r, name, format)
			}})
		}
	}
	return files
}

// writeBundle writes the report bundle of r, a run of sc, into dir,
// creating it, and returns the names of the files written, in the order of
// bundleFiles. Files are rendered in parallel (each is a pure function of
// r, so the bytes do not depend on it) and written in order; on an error
// the files before it are written and the error names the file.
func writeBundle(dir string, sc *scenarios.Scenario, r *reports.Result) ([]string, error) {
	y, err := sc.YAML()
	if err != nil {
		return nil, fmt.Errorf("report bundle: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, chartsDir), 0o755); err != nil {
		return nil, fmt.Errorf("report bundle: %w", err)
	}
	files := bundleFiles(y, r)
	bufs := make([]bytes.Buffer, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Go(func() { errs[i] = f.write(&bufs[i]) })
	}
	wg.Wait()
	var names []string
	for i, f := range files {
		if errs[i] != nil {
			return names, fmt.Errorf("report bundle: %s: %w", f.name, errs[i])
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.name)), bufs[i].Bytes(), 0o644); err != nil {
			return names, fmt.Errorf("report bundle: %w", err)
		}
		names = append(names, f.name)
	}
	return names, nil
}

// bundleSummary names the files written for the closing stderr line: the
// top-level files one by one, the charts counted.
func bundleSummary(files []string) string {
	var top []string
	charts := 0
	for _, f := range files {
		if strings.HasPrefix(f, chartsDir+"/") {
			charts++
			continue
		}
		top = append(top, f)
	}
	if charts > 0 {
		top = append(top, fmt.Sprintf("%d chart files in %s/", charts, chartsDir))
	}
	return strings.Join(top, ", ")
}
