package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Calibration is what `scalesim calibrate` found when it set a simulated
// Auto Scaling group beside the record of the real one: the lifecycle
// durations the record holds, and how far the simulation's capacity and
// scaling decisions are from the record's. Its JSON is a contract
// (docs/outputs.md); fields tagged "-" are for the table, the CSV, the
// charts and the page.
type Calibration struct {
	SchemaVersion int    `json:"schema_version"`
	Scenario      string `json:"scenario"`
	Strategy      string `json:"strategy"`
	// Start is the calendar instant of the scenario's time zero, RFC 3339.
	Start      string             `json:"start"`
	Lifecycle  CalLifecycle       `json:"lifecycle"`
	Recorded   CalRecorded        `json:"recorded"`
	Comparison CalComparison      `json:"comparison"`
	Fitted     *CalComparison     `json:"fitted,omitempty"`
	Gate       *CalGate           `json:"gate,omitempty"`
	Verdict    string             `json:"verdict"`
	Notes      []string           `json:"notes,omitempty"`
	Decisions  []CalDecision      `json:"-"`
	Minutes    []CalMinute        `json:"-"`
	FitMinutes []CalMinute        `json:"-"` // with --apply-fit: the re-run's
	FitDecided []CalDecisionPoint `json:"-"` // with --apply-fit: the re-run's decisions
}

// CalLifecycle is what the record says of launches and terminations.
type CalLifecycle struct {
	LaunchS        DurationStats `json:"launch_s"`
	TerminateS     DurationStats `json:"terminate_s"`
	FailedLaunches int           `json:"failed_launches"`
	// FailureReasons counts the failed launches by their status message.
	FailureReasons []CalReason   `json:"failure_reasons,omitempty"`
	Suggested      *CalSuggested `json:"suggested,omitempty"`
}

// DurationStats summarises durations in seconds.
type DurationStats struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	P99    float64 `json:"p99"`
	Mean   float64 `json:"mean"`
}

// CalReason is one reason for failed launches and how many it explains.
type CalReason struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// CalSuggested is the lifecycle block a scenario should use, fitted to the
// recorded launch durations with the same model selection as `trace fit`.
type CalSuggested struct {
	// LaunchDist is the fitted distribution, and LaunchKS its
	// Kolmogorov–Smirnov distance to the recorded durations.
	LaunchDist string  `json:"launch_dist"`
	LaunchKS   float64 `json:"launch_ks"`
	// YAML is the block to paste into the scenario.
	YAML string `json:"yaml"`
}

// CalRecorded counts what the record holds within the run's span.
type CalRecorded struct {
	Activities int `json:"activities"`
	Decisions  int `json:"decisions"`
	Minutes    int `json:"minutes"`
	// Series names the metrics the record holds, in the order compared.
	Series []string `json:"series,omitempty"`
}

// CalComparison is how far one run is from the record.
type CalComparison struct {
	// Capacity compares desired capacity minute by minute (from
	// GroupDesiredCapacity, or rebuilt from the activities' causes); nil
	// when the record gives none.
	Capacity *CapacityError `json:"capacity"`
	// InService compares GroupInServiceInstances, when recorded.
	InService *CapacityError  `json:"in_service,omitempty"`
	Series    []SeriesError   `json:"series,omitempty"`
	Decisions DecisionMatches `json:"decisions"`
}

// CapacityError is the error of a simulated instance count against the
// record's, over the minutes both have.
type CapacityError struct {
	Source            string  `json:"source"` // "GroupDesiredCapacity" or "activities"
	Minutes           int     `json:"minutes"`
	MAEInstances      float64 `json:"mae_instances"`
	MinutesEqualShare float64 `json:"minutes_equal_share"`
	MaxAbsError       float64 `json:"max_abs_error"`
}

// SeriesError compares one recorded metric with its simulated counterpart.
type SeriesError struct {
	Metric        string  `json:"metric"`
	Unit          string  `json:"unit"`
	Points        int     `json:"points"`
	RecordedMean  float64 `json:"recorded_mean"`
	SimulatedMean float64 `json:"simulated_mean"`
	MAE           float64 `json:"mae"`
	MaxAbsError   float64 `json:"max_abs_error"`
}

// DecisionMatches counts recorded and simulated desired-capacity changes
// and the matches between them.
type DecisionMatches struct {
	Recorded  int     `json:"recorded"`
	Simulated int     `json:"simulated"`
	Matched   int     `json:"matched"`
	WindowS   float64 `json:"window_s"`
	// TimingErrorS is the absolute timing error of the matches, seconds.
	TimingErrorS struct {
		Median float64 `json:"median"`
		P90    float64 `json:"p90"`
	} `json:"timing_error_s"`
}

// CalGate is the outcome of --max-capacity-error and --max-timing-error.
type CalGate struct {
	MaxCapacityError *float64 `json:"max_capacity_error,omitempty"`
	MaxTimingErrorS  *float64 `json:"max_timing_error_s,omitempty"`
	Passed           bool     `json:"passed"`
	Failures         []string `json:"failures,omitempty"`
}

// CalDecisionPoint is one desired-capacity change on the run's clock.
type CalDecisionPoint struct {
	AtS      float64 // seconds from time zero
	Time     string  // the calendar instant, RFC 3339
	From, To int
	Why      string // the policy or alarm named, or the simulated reason
}

// CalDecision is one row of the matched decisions: a recorded change and
// its simulated match, or either alone.
type CalDecision struct {
	Recorded  *CalDecisionPoint
	Simulated *CalDecisionPoint
	// ErrorS is the simulated change's time minus the recorded one's, in
	// seconds, for a match.
	ErrorS float64
}

// CalMinute is one minute of recorded against simulated capacity, each
// the state at the minute's end; a recorded value is NaN where the record
// has none.
type CalMinute struct {
	Minute                       int
	RecordedDesired, SimDesired  float64
	RecordedInService, SimInServ float64
}

// WriteCalibrationJSON writes c as indented JSON.
func WriteCalibrationJSON(w io.Writer, c *Calibration) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("write calibration JSON: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write calibration JSON: %w", err)
	}
	return nil
}

// WriteCalibrationCSV writes the matched decisions, one row per recorded
// or unmatched simulated change:
// recorded_s,recorded_time,recorded_from,recorded_to,recorded_cause,
// simulated_s,simulated_time,simulated_from,simulated_to,simulated_reason,error_s.
func WriteCalibrationCSV(w io.Writer, c *Calibration) error {
	var b strings.Builder
	b.WriteString("recorded_s,recorded_time,recorded_from,recorded_to,recorded_cause,simulated_s,simulated_time,simulated_from,simulated_to,simulated_reason,error_s\n")
	side := func(p *CalDecisionPoint) []string {
		if p == nil {
			return []string{"", "", "", "", ""}
		}
		return []string{strconv.FormatFloat(p.AtS, 'f', -1, 64), p.Time, strconv.Itoa(p.From), strconv.Itoa(p.To), csvField(p.Why)}
	}
	for _, d := range c.Decisions {
		cells := append(side(d.Recorded), side(d.Simulated)...)
		e := ""
		if d.Recorded != nil && d.Simulated != nil {
			e = strconv.FormatFloat(d.ErrorS, 'f', -1, 64)
		}
		b.WriteString(strings.Join(append(cells, e), ",") + "\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write decisions CSV: %w", err)
	}
	return nil
}

// csvField quotes a CSV field when it needs it.
func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// calLines is the report's body as label/value lines, shared by the table
// and the markdown.
func calLines(c *Calibration) (sections []calSection) {
	lc := c.Lifecycle
	life := calSection{Title: "Lifecycle (recorded)"}
	life.add("launches (start → InService)", durationLine(lc.LaunchS))
	life.add("terminations", durationLine(lc.TerminateS))
	fail := strconv.Itoa(lc.FailedLaunches)
	for _, r := range lc.FailureReasons {
		fail += fmt.Sprintf("; %d× %s", r.Count, r.Reason)
	}
	life.add("failed launches (left out)", fail)
	if lc.Suggested != nil {
		life.add("fitted launch time", fmt.Sprintf("%s (KS %s)", lc.Suggested.LaunchDist, fmtSig3(lc.Suggested.LaunchKS)))
	}
	sections = append(sections, life)
	sections = append(sections, comparisonSection("As the scenario is written", c.Comparison))
	if c.Fitted != nil {
		sections = append(sections, comparisonSection("With the fitted lifecycle (--apply-fit)", *c.Fitted))
	}
	return sections
}

// calSection is a titled list of label/value lines.
type calSection struct {
	Title string
	Lines [][2]string
}

func (s *calSection) add(label, value string) { s.Lines = append(s.Lines, [2]string{label, value}) }

// comparisonSection renders one comparison.
func comparisonSection(title string, cmp CalComparison) calSection {
	s := calSection{Title: title}
	capLine := func(e *CapacityError) string {
		if e == nil {
			return "not in the record"
		}
		return fmt.Sprintf("mean error %s instances, max %s, equal in %s of %d minutes (from %s)",
			fmtFixed(e.MAEInstances, 2), formatFloat(e.MaxAbsError), fmtPercent(e.MinutesEqualShare), e.Minutes, e.Source)
	}
	s.add("desired capacity", capLine(cmp.Capacity))
	if cmp.InService != nil {
		s.add("in service", capLine(cmp.InService))
	}
	d := cmp.Decisions
	line := fmt.Sprintf("%d recorded, %d simulated, %d matched within %s", d.Recorded, d.Simulated, d.Matched, fmtSeconds(d.WindowS))
	if d.Matched > 0 {
		line += fmt.Sprintf("; timing error median %s, p90 %s", fmtSeconds(d.TimingErrorS.Median), fmtSeconds(d.TimingErrorS.P90))
	}
	s.add("decisions", line)
	for _, e := range cmp.Series {
		s.add(e.Metric, fmt.Sprintf("recorded mean %s, simulated %s %s; mean error %s, max %s over %d points",
			fmtSig3(e.RecordedMean), fmtSig3(e.SimulatedMean), e.Unit, fmtSig3(e.MAE), fmtSig3(e.MaxAbsError), e.Points))
	}
	return s
}

// durationLine renders duration statistics.
func durationLine(d DurationStats) string {
	if d.N == 0 {
		return "none recorded"
	}
	return fmt.Sprintf("%d: median %s, p90 %s, p99 %s, mean %s", d.N, fmtSeconds(d.Median), fmtSeconds(d.P90), fmtSeconds(d.P99), fmtSeconds(d.Mean))
}

// WriteCalibrationTable writes the report for a terminal: what was
// compared, the lifecycle, each comparison, the matched decisions, the
// suggested block, the notes and the verdict.
func WriteCalibrationTable(w io.Writer, c *Calibration) error {
	var b strings.Builder
	sweepWrap(&b, fmt.Sprintf("calibrate %s, strategy %s, time zero at %s", c.Scenario, c.Strategy, c.Start), "", "  ")
	sweepWrap(&b, fmt.Sprintf("record: %d activities, %d decisions and %d minutes within the run", c.Recorded.Activities, c.Recorded.Decisions, c.Recorded.Minutes), "", "  ")
	for _, s := range calLines(c) {
		b.WriteString("\n" + s.Title + "\n")
		var rows [][]string
		for _, l := range s.Lines {
			rows = append(rows, []string{"  " + l[0], l[1]})
		}
		b.WriteString(Columns{Rows: rows}.String())
	}
	if len(c.Decisions) > 0 {
		b.WriteString("\nDecisions (recorded beside simulated)\n")
		header, rows := calDecisionCells(c)
		b.WriteString(Columns{Header: header, Rows: rows, Right: []bool{true, false, false, true, false, true}}.String())
	}
	if s := c.Lifecycle.Suggested; s != nil {
		b.WriteString("\nSuggested lifecycle (paste into the scenario):\n")
		for _, l := range strings.Split(strings.TrimRight(s.YAML, "\n"), "\n") {
			b.WriteString("  " + l + "\n")
		}
	}
	if len(c.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range c.Notes {
			sweepWrap(&b, n, "note: ", "      ")
		}
	}
	b.WriteString("\n")
	sweepWrap(&b, c.Verdict, "", "  ")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write calibration table: %w", err)
	}
	return nil
}

// calDecisionCells returns the matched decisions as table cells.
func calDecisionCells(c *Calibration) ([]string, [][]string) {
	header := []string{"recorded at", "change", "cause", "simulated at", "change", "error"}
	var rows [][]string
	for _, d := range c.Decisions {
		row := make([]string, 6)
		for i := range row {
			row[i] = "-"
		}
		if p := d.Recorded; p != nil {
			row[0], row[1], row[2] = fmtSeconds(p.AtS), fmt.Sprintf("%d→%d", p.From, p.To), truncate(p.Why, 48)
		}
		if p := d.Simulated; p != nil {
			row[3], row[4] = fmtSeconds(p.AtS), fmt.Sprintf("%d→%d", p.From, p.To)
		}
		if d.Recorded != nil && d.Simulated != nil {
			row[5] = signedSeconds(d.ErrorS)
		}
		rows = append(rows, row)
	}
	return header, rows
}

// signedSeconds renders a timing error with its sign: "+45s", "-1m30s", "0s".
func signedSeconds(s float64) string {
	switch {
	case s > 0:
		return "+" + fmtSeconds(s)
	case s < 0:
		return "-" + fmtSeconds(-s)
	}
	return "0s"
}

// WriteCalibrationMarkdown writes the report as GitHub-flavoured markdown.
func WriteCalibrationMarkdown(w io.Writer, c *Calibration) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### scalesim calibrate: %s, strategy %s\n\n", checkMD(c.Scenario), checkMD(c.Strategy))
	mark := "✅"
	if c.Gate != nil && !c.Gate.Passed {
		mark = "❌"
	}
	fmt.Fprintf(&b, "%s **%s**\n\n", mark, checkMD(c.Verdict))
	fmt.Fprintf(&b, "Time zero at %s; the record holds %d activities, %d decisions and %d minutes within the run.\n",
		checkMD(c.Start), c.Recorded.Activities, c.Recorded.Decisions, c.Recorded.Minutes)
	for _, s := range calLines(c) {
		fmt.Fprintf(&b, "\n| %s | |\n| --- | --- |\n", checkMD(s.Title))
		for _, l := range s.Lines {
			fmt.Fprintf(&b, "| %s | %s |\n", checkMD(l[0]), checkMD(l[1]))
		}
	}
	if len(c.Decisions) > 0 {
		header, rows := calDecisionCells(c)
		b.WriteString("\n|")
		for _, h := range header {
			b.WriteString(" " + checkMD(h) + " |")
		}
		b.WriteString("\n| ---: | --- | --- | ---: | --- | ---: |\n")
		for _, r := range rows {
			b.WriteString("|")
			for _, cell := range r {
				b.WriteString(" " + checkMD(cell) + " |")
			}
			b.WriteString("\n")
		}
	}
	if s := c.Lifecycle.Suggested; s != nil {
		b.WriteString("\nSuggested lifecycle:\n\n```yaml\n" + s.YAML + "```\n")
	}
	if len(c.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range c.Notes {
			b.WriteString("- " + checkMD(n) + "\n")
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write calibration markdown: %w", err)
	}
	return nil
}
