// Package html writes a run's report as one self-contained HTML5 page,
// and WriteCalibration a calibration's in the same style. WriteResults
// writes the report's sections as a fragment for a page of one's own (the
// playground's), after a table of headline figures with one row per
// strategy.
//
//	var buf bytes.Buffer
//	err := html.Write(&buf, res, scenarioYAML) // then save buf as report.html
//
// The page (html/template, with its template and style sheet embedded in
// the binary) holds the scenario and run, a written account of what
// happened (reports.Narrative), the comparison table with the terminal
// table's figures, the differences from the baseline with their 95%
// intervals, marked significant (*) or not (~), the notes and warnings,
// every chart of package charts inline as SVG, and the resolved scenario.
// It has no JavaScript and loads nothing from the network: no scripts,
// fonts, style sheets or images from elsewhere, and a Content-Security-Policy
// that forbids them. It prints: charts and tables do not break across pages.
package html
