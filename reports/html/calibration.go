package html

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
)

// calPage is what calibration.tmpl renders.
type calPage struct {
	Scenario, Strategy string
	Verdict            string
	Gate               *calGate // nil: no gate was set
	Facts              []fact
	Lifecycle          []calDurations
	FailedLaunches     int
	Reasons            []reports.CalReason
	Fit                string // the fitted launch distribution, or ""
	Compared           []string
	Comparison         []row
	Columns            int // of the comparison table
	Decisions          []calDecisionRow
	Charts             []chartHTML
	YAML               string
	Notes              []string
	CSS                template.CSS
}

// calGate is the outcome of the gate as the page shows it.
type calGate struct {
	Passed   bool
	Failures []string
}

// calDurations is one row of the lifecycle table.
type calDurations struct {
	Label                  string
	N                      int
	Median, P90, P99, Mean string
	None                   bool // nothing recorded: the figures are left out
}

// calDecisionRow is one row of the matched decisions; a side is nil when
// the other has no match.
type calDecisionRow struct {
	Recorded, Simulated *calSide
	Error               string
}

// calSide is one side of a matched decision.
type calSide struct{ At, Time, Change, Why string }

// WriteCalibration writes calibration c as one self-contained HTML5 page
// in the run report's style: the verdict (marked pass or fail when a gate
// was set), what the record holds, the recorded lifecycle, the comparison
// of the run as written (and with the fitted lifecycle) with the record,
// the matched decisions, every calibration chart inline as SVG, the
// suggested lifecycle block and the notes. Everything from c is escaped;
// the page loads nothing from elsewhere.
func WriteCalibration(w io.Writer, c *reports.Calibration) error {
	if c == nil {
		return fmt.Errorf("calibration page: no calibration")
	}
	css, err := stylesheet("calibration page")
	if err != nil {
		return err
	}
	p := calPage{
		Scenario: c.Scenario, Strategy: c.Strategy, Verdict: c.Verdict,
		Facts:          calFacts(c),
		FailedLaunches: c.Lifecycle.FailedLaunches,
		Reasons:        c.Lifecycle.FailureReasons,
		Notes:          c.Notes,
		CSS:            css,
		Lifecycle: []calDurations{
			durations("launches (start → InService)", c.Lifecycle.LaunchS),
			durations("terminations", c.Lifecycle.TerminateS),
		},
		Decisions: calDecisionRows(c),
	}
	if g := c.Gate; g != nil {
		p.Gate = &calGate{Passed: g.Passed, Failures: g.Failures}
	}
	if s := c.Lifecycle.Suggested; s != nil {
		p.Fit = s.LaunchDist + " (Kolmogorov–Smirnov distance " + number(s.LaunchKS) + ")"
		p.YAML = s.YAML
	}
	cmps := []reports.CalComparison{c.Comparison}
	p.Compared = []string{"as the scenario is written"}
	if c.Fitted != nil {
		cmps = append(cmps, *c.Fitted)
		p.Compared = append(p.Compared, "with the fitted lifecycle")
	}
	p.Comparison, p.Columns = comparisonRows(cmps), len(cmps)+1
	if p.Charts, err = calCharts(c); err != nil {
		return err
	}
	return execute(w, "calibration page", "calibration.tmpl", p)
}

// calFacts describes what was compared.
func calFacts(c *reports.Calibration) []fact {
	r := c.Recorded
	out := []fact{
		{"strategy", c.Strategy},
		{"time zero", c.Start},
		{"the record holds", fmt.Sprintf("%d activities, %d decisions, %d minutes", r.Activities, r.Decisions, r.Minutes)},
	}
	if len(r.Series) > 0 {
		v := ""
		for i, s := range r.Series {
			if i > 0 {
				v += ", "
			}
			v += s
		}
		out = append(out, fact{"metrics", v})
	}
	if g := c.Gate; g != nil {
		if g.MaxCapacityError != nil {
			out = append(out, fact{"gate: capacity error at most", instances(*g.MaxCapacityError) + " instances"})
		}
		if g.MaxTimingErrorS != nil {
			out = append(out, fact{"gate: timing error at most", seconds(*g.MaxTimingErrorS)})
		}
	}
	return out
}

// durations is one row of the lifecycle table.
func durations(label string, d reports.DurationStats) calDurations {
	if d.N == 0 {
		return calDurations{Label: label, None: true}
	}
	return calDurations{Label: label, N: d.N, Median: seconds(d.Median), P90: seconds(d.P90), P99: seconds(d.P99), Mean: seconds(d.Mean)}
}

// comparisonRows lays out the comparisons side by side: desired capacity,
// in service (when any comparison has it), decisions, then each metric in
// the order the first comparison that has it gives.
func comparisonRows(cmps []reports.CalComparison) []row {
	var rows []row
	line := func(label string, value func(reports.CalComparison) string) {
		rw := row{Label: label, Sub: true}
		for _, c := range cmps {
			rw.Cells = append(rw.Cells, cell{Value: value(c)})
		}
		rows = append(rows, rw)
	}
	section := func(label string) { rows = append(rows, row{Label: label, Section: true}) }
	capacity := func(title string, of func(reports.CalComparison) *reports.CapacityError) {
		section(title)
		field := func(f func(*reports.CapacityError) string) func(reports.CalComparison) string {
			return func(c reports.CalComparison) string {
				if e := of(c); e != nil {
					return f(e)
				}
				return "not in the record"
			}
		}
		line("compared from", field(func(e *reports.CapacityError) string { return e.Source }))
		line("mean error (instances)", field(func(e *reports.CapacityError) string { return fixed2(e.MAEInstances) }))
		line("largest error (instances)", field(func(e *reports.CapacityError) string { return instances(e.MaxAbsError) }))
		line("minutes equal", field(func(e *reports.CapacityError) string {
			return percent(e.MinutesEqualShare) + " of " + strconv.Itoa(e.Minutes)
		}))
	}
	capacity("desired capacity", func(c reports.CalComparison) *reports.CapacityError { return c.Capacity })
	for _, c := range cmps {
		if c.InService != nil {
			capacity("instances in service", func(c reports.CalComparison) *reports.CapacityError { return c.InService })
			break
		}
	}
	section("decisions (desired-capacity changes)")
	line("recorded", func(c reports.CalComparison) string { return strconv.Itoa(c.Decisions.Recorded) })
	line("simulated", func(c reports.CalComparison) string { return strconv.Itoa(c.Decisions.Simulated) })
	line("matched", func(c reports.CalComparison) string {
		return fmt.Sprintf("%d within %s", c.Decisions.Matched, seconds(c.Decisions.WindowS))
	})
	timing := func(v func(reports.CalComparison) float64) func(reports.CalComparison) string {
		return func(c reports.CalComparison) string {
			if c.Decisions.Matched == 0 {
				return "-"
			}
			return seconds(v(c))
		}
	}
	line("timing error, median", timing(func(c reports.CalComparison) float64 { return c.Decisions.TimingErrorS.Median }))
	line("timing error, p90", timing(func(c reports.CalComparison) float64 { return c.Decisions.TimingErrorS.P90 }))
	var metrics []reports.SeriesError // the first of each name, for its label
	for _, c := range cmps {
		for _, e := range c.Series {
			if seriesOf(metrics, e.Metric) == nil {
				metrics = append(metrics, e)
			}
		}
	}
	for _, m := range metrics {
		title := m.Metric
		if m.Unit != "" {
			title += " (" + m.Unit + ")"
		}
		section(title)
		field := func(f func(*reports.SeriesError) string) func(reports.CalComparison) string {
			return func(c reports.CalComparison) string {
				if e := seriesOf(c.Series, m.Metric); e != nil {
					return f(e)
				}
				return "-"
			}
		}
		line("recorded mean", field(func(e *reports.SeriesError) string { return number(e.RecordedMean) }))
		line("simulated mean", field(func(e *reports.SeriesError) string { return number(e.SimulatedMean) }))
		line("mean error", field(func(e *reports.SeriesError) string { return number(e.MAE) }))
		line("largest error", field(func(e *reports.SeriesError) string { return number(e.MaxAbsError) }))
		line("points compared", field(func(e *reports.SeriesError) string { return strconv.Itoa(e.Points) }))
	}
	return rows
}

// seriesOf returns the comparison of the named metric, or nil.
func seriesOf(s []reports.SeriesError, metric string) *reports.SeriesError {
	for i := range s {
		if s[i].Metric == metric {
			return &s[i]
		}
	}
	return nil
}

// calDecisionRows formats the matched decisions.
func calDecisionRows(c *reports.Calibration) []calDecisionRow {
	side := func(p *reports.CalDecisionPoint) *calSide {
		if p == nil {
			return nil
		}
		return &calSide{At: seconds(p.AtS), Time: p.Time, Change: strconv.Itoa(p.From) + "→" + strconv.Itoa(p.To), Why: p.Why}
	}
	var out []calDecisionRow
	for _, d := range c.Decisions {
		r := calDecisionRow{Recorded: side(d.Recorded), Simulated: side(d.Simulated)}
		if d.Recorded != nil && d.Simulated != nil {
			r.Error = signed(seconds(math.Abs(d.ErrorS)), d.ErrorS)
		}
		out = append(out, r)
	}
	return out
}

// calCharts renders every calibration chart as SVG for inlining.
func calCharts(c *reports.Calibration) ([]chartHTML, error) {
	var out []chartHTML
	for _, name := range charts.CalibrationNames() {
		var buf bytes.Buffer
		if err := charts.RenderCalibration(&buf, c, name, "svg"); err != nil {
			return nil, fmt.Errorf("calibration page: %w", err)
		}
		title := charts.CalibrationTitle(c, name)
		svg, err := inlineSVG(buf.Bytes(), title)
		if err != nil {
			return nil, fmt.Errorf("calibration page: chart %s: %w", name, err)
		}
		out = append(out, chartHTML{Name: name, Title: title, Caption: charts.CalibrationCaption(name), SVG: template.HTML(svg)})
	}
	return out, nil
}

// finite formats v with format, or as "-" when it is not a number.
func finite(v float64, format func(float64) string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return format(v)
}

// number formats a figure to three significant digits.
func number(v float64) string { return finite(v, reports.FormatSig3) }

// fixed2 formats a figure with two decimals.
func fixed2(v float64) string {
	return finite(v, func(v float64) string { return reports.FormatFixed(v, 2) })
}

// instances formats an instance count or error: whole numbers as they
// are, others with two decimals.
func instances(v float64) string {
	return finite(v, func(v float64) string {
		if v == math.Trunc(v) {
			return reports.FormatFixed(v, 0)
		}
		return reports.FormatFixed(v, 2)
	})
}

// percent formats a share as a percentage.
func percent(v float64) string { return finite(v, reports.FormatPercent) }

// seconds formats a span in seconds as the tables do.
func seconds(v float64) string { return finite(v, reports.FormatSeconds) }
