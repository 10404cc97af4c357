package html

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/reports/internal/caltest"
	"github.com/scalesim/scalesim/sim/simtest"
)

// writeCal renders the calibration page or fails the test.
func writeCal(t *testing.T, c *reports.Calibration) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCalibration(&buf, c); err != nil {
		t.Fatalf("WriteCalibration: %v", err)
	}
	return buf.String()
}

func TestWriteCalibrationGolden(t *testing.T) {
	simtest.Golden(t, filepath.Join("testdata", "calibration.html.golden"), []byte(writeCal(t, caltest.Fixture())), *update)
}

// TestWriteCalibrationContent: the page parses, states the verdict and
// the gate's outcome first, shows every decision of both sides with its
// escaped cause, both comparisons, the lifecycle, the suggested block,
// the notes and each chart, and loads nothing.
func TestWriteCalibrationContent(t *testing.T) {
	c := caltest.Fixture()
	page := writeCal(t, c)
	p, err := parseHTML(page)
	if err != nil {
		t.Fatalf("the page does not parse: %v", err)
	}
	names := charts.CalibrationNames()
	if p.count["svg"] != len(names) || p.count["figure"] != len(names) || p.count["table"] != 3 || p.count["pre"] != 1 {
		t.Errorf("%d svg, %d figure, %d table, %d pre; want %d, %d, 3, 1",
			p.count["svg"], p.count["figure"], p.count["table"], p.count["pre"], len(names), len(names))
	}
	for _, name := range names {
		if !slices.Contains(p.ids, "chart-"+name) {
			t.Errorf("no figure with id chart-%s", name)
		}
	}
	verdict := `<p class="verdict fail"><strong>Gate failed:</strong> ` + templateEscape(c.Verdict) + `</p>`
	if i := strings.Index(page, verdict); i < 0 || i > strings.Index(page, `<dl class="facts">`) {
		t.Errorf("the verdict %q is not the page's opening paragraph", verdict)
	}
	want := []string{
		"<title>scalesim calibrate: asg-record &lt;prod&gt;</title>",
		"<li>timing error p90 60s &gt; 30s</li>",
		"<th scope=\"col\">as the scenario is written</th><th scope=\"col\">with the fitted lifecycle</th>",
		"<th scope=\"row\">mean error (instances)</th><td>0.39</td><td>0.21</td>",
		"<td>12</td><td>1m35.5s</td><td>2m20s</td>",
		"2 × InsufficientInstanceCapacity &lt;us-east-1a&gt;",
		"lifecycle:\n  launch: lognormal(mean=101s, sd=30s)",
		"minutes 8–9 are missing from the record (&#34;gap&#34;)",
		"<td>&#43;45s</td>", "<td>−1m</td>",
	}
	for _, d := range c.Decisions {
		for _, s := range []*reports.CalDecisionPoint{d.Recorded, d.Simulated} {
			if s != nil {
				want = append(want, `<td title="`+s.Time+`">`+reports.FormatSeconds(s.AtS)+"</td>",
					`<td class="why">`+templateEscape(s.Why)+"</td>")
			}
		}
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	if n := strings.Count(page, "<tr><td"); n != len(c.Decisions) {
		t.Errorf("%d decision rows, want %d", n, len(c.Decisions))
	}
	for _, u := range regexp.MustCompile(`(?i)(https?:)?//[^\s"'<>)]+`).FindAllString(page, -1) {
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" {
			t.Errorf("the page refers to %q", u)
		}
	}
}

// TestWriteCalibrationNoNaN: figures that are not numbers print as "-",
// never as NaN, and a page without gate, fit, record of in-service
// instances or decisions still renders whole.
func TestWriteCalibrationNoNaN(t *testing.T) {
	c := caltest.Fixture()
	c.Comparison.Series[0].RecordedMean = math.NaN()
	c.Comparison.Capacity.MAEInstances = math.NaN()
	c.Comparison.InService.MaxAbsError = math.Inf(1)
	c.Comparison.Decisions.TimingErrorS.P90 = math.NaN()
	c.Lifecycle.LaunchS.P99 = math.NaN()
	c.Lifecycle.TerminateS = reports.DurationStats{}
	c.Lifecycle.Suggested.LaunchKS = math.Inf(1)
	page := writeCal(t, c)
	if strings.Contains(strings.ToLower(page), "nan") || strings.Contains(page, "Inf") {
		t.Error("the page prints a figure that is not a number as NaN or Inf")
	}
	if !strings.Contains(page, `<td colspan="4">none recorded</td>`) {
		t.Error("terminations without a record do not say none was recorded")
	}
	bare := caltest.Fixture()
	bare.Gate, bare.Fitted, bare.FitMinutes, bare.FitDecided, bare.Decisions, bare.Notes = nil, nil, nil, nil, nil, nil
	bare.Lifecycle.Suggested = nil
	for i := range bare.Minutes {
		bare.Minutes[i].RecordedInService = math.NaN()
	}
	page = writeCal(t, bare)
	if _, err := parseHTML(page); err != nil {
		t.Fatalf("the bare page does not parse: %v", err)
	}
	for _, absent := range []string{"Gate", "fitted lifecycle", `id="decisions"`, `id="suggested"`, `id="notes"`, "NaN"} {
		if strings.Contains(page, absent) {
			t.Errorf("the bare page contains %q", absent)
		}
	}
	if !strings.Contains(page, `<p class="verdict">`+templateEscape(bare.Verdict)) {
		t.Error("without a gate the verdict is not a plain opening paragraph")
	}
	if !strings.Contains(page, "Instances in service (not in the record)") {
		t.Error("the in-service chart does not say the record lacks it")
	}
	if err := WriteCalibration(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteCalibration(nil) succeeded")
	}
}

// TestBrowserRendersCalibration loads calibration.html from a local file
// in headless Chromium and checks that the rendered page holds both
// charts and every table, and logs no console error.
func TestBrowserRendersCalibration(t *testing.T) {
	browser := simtest.Chromium()
	if browser == "" {
		t.Skip("skipping the browser test: no chromium, chromium-browser or google-chrome on PATH (Debian: apt-get install chromium)")
	}
	page := filepath.Join(t.TempDir(), "calibration.html")
	if err := os.WriteFile(page, []byte(writeCal(t, caltest.Fixture())), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log := headless(t, browser, page, "--dump-dom")
	if n, want := strings.Count(dom, "<svg"), len(charts.CalibrationNames()); n != want {
		t.Errorf("the rendered DOM has %d <svg>, want %d", n, want)
	}
	for _, want := range []string{`<table class="lifecycle">`, `<table class="figures">`, `<table class="decisions">`,
		`<p class="verdict fail">`, `<pre class="yaml">`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered DOM lacks %q", want)
		}
	}
	if problems := consoleProblems(log); len(problems) > 0 {
		t.Errorf("the browser logged console messages:\n%s", strings.Join(problems, "\n"))
	}
	if *screenshotDir != "" {
		headless(t, browser, page, "--screenshot="+filepath.Join(*screenshotDir, "calibration.png"), "--window-size=1280,3000", "--hide-scrollbars")
	}
}
