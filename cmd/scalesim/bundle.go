package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/scalesim/scalesim/calibrate"
	"github.com/scalesim/scalesim/reports/bundle"
)

// writeBundle writes the rendered files of a bundle into dir, creating it
// and its subdirectories, and returns their names in order. what names
// the bundle in errors ("report bundle").
func writeBundle(what, dir string, files []bundle.File, err error) ([]string, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return names, fmt.Errorf("%s: %w", what, err)
		}
		if err := os.WriteFile(name, f.Data, 0o644); err != nil {
			return names, fmt.Errorf("%s: %w", what, err)
		}
		names = append(names, f.Name)
	}
	return names, nil
}

// bundleSummary names the files written for the closing stderr line: the
// top-level files one by one, the charts counted.
func bundleSummary(files []string) string {
	var top []string
	charts, records := 0, 0
	for _, f := range files {
		switch {
		case strings.HasPrefix(f, bundle.ChartsDir+"/"):
			charts++
		case strings.HasPrefix(f, calibrate.RecordsDir+"/"):
			records++
		default:
			top = append(top, f)
		}
	}
	if charts > 0 {
		top = append(top, fmt.Sprintf("%d chart files in %s/", charts, bundle.ChartsDir))
	}
	if records > 0 {
		top = append(top, fmt.Sprintf("%d AWS record files in %s/", records, calibrate.RecordsDir))
	}
	return strings.Join(top, ", ")
}
