package html

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
)

// assets are the page template and its style sheet, compiled into the
// binary: the report never fetches anything.
//
//go:embed report.tmpl sections.tmpl results.tmpl calibration.tmpl style.css
var assets embed.FS

// page is what the template renders.
type page struct {
	Scenario   string
	Facts      []fact
	Strategies []string
	Columns    int  // of the comparison table
	Warmup     bool // the scenario has a warm-up
	Cuts       bool // some strategy has a warm-up cut of its own (warmup: auto)
	Rows       []row
	HasCI      bool
	// HeadlineColumns and HeadlineRows are the results fragment's table
	// of headline figures, one row per strategy (WriteResults).
	HeadlineColumns []column
	HeadlineRows    []row
	Baseline        string
	Compared        []string
	DeltaRows       []deltaRow
	Notes           []note
	Warnings        []string
	Lesson          []paragraph // the question the run answers, when it asks one
	Narrative       []paragraph
	Charts          []chartHTML
	YAML            string
	CSS             template.CSS
	SingleDelta     bool // comparisons over one replication: no interval
}

// fact is one line of the run's description.
type fact struct{ Name, Value string }

// row is one row of the comparison table.
type row struct {
	Label   string
	Section bool
	Sub     bool
	Cells   []cell
}

// column is a column of the headline table: its header, and the figure's
// full name for a tooltip.
type column struct{ Label, Title string }

// cell is one strategy's value, with its 95% half-width when replicated.
type cell struct{ Value, CI string }

// deltaRow is one figure's differences from the baseline.
type deltaRow struct {
	Label string
	Cells []deltaCell
}

// deltaCell is one strategy's difference from the baseline: the mean
// difference, its 95% half-width, the relative change, and whether the
// interval excludes zero.
type deltaCell struct {
	Diff, HalfWidth, Relative string
	Significant               bool
	Missing                   bool
}

// paragraph is one paragraph of the narrative; Lead, if set, is its
// subject ("asg (horizontal):", "Verdict:"), shown in bold.
type paragraph struct{ Lead, Text string }

// note is a strategy's remark.
type note struct{ Strategy, Text string }

// chartHTML is one chart, inline, with a caption on how to read it.
type chartHTML struct {
	Name, Title, Caption string
	SVG                  template.HTML
}

// Write writes r as one self-contained HTML5 page: the scenario and run,
// the written account of what happened (reports.Narrative), the comparison
// table (the terminal table's figures, with 95% half-widths when
// replicated), the differences from the baseline with their intervals and
// significance, the notes and warnings, every chart inline as SVG, and the
// resolved scenario (scenarioYAML; the section is left out when it is
// empty). The page loads nothing: no scripts, fonts, style sheets or images
// from elsewhere, and a Content-Security-Policy that forbids them.
func Write(w io.Writer, r *reports.Result, scenarioYAML []byte) error {
	p, err := newPage(r, scenarioYAML)
	if err != nil {
		return err
	}
	if p.CSS, err = stylesheet("html report"); err != nil {
		return err
	}
	return execute(w, "html report", "report.tmpl", p)
}

// WriteResults writes r as an HTML fragment for a page of one's own (the
// playground's): the run's facts, a table of the headline figures
// (reports.SweepFigures) with one row per strategy, then the report's
// sections as Write writes them, without its page, header and navigation.
// Its elements take the classes of the report's style sheet, style.css
// beside this file, which the page is to load.
func WriteResults(w io.Writer, r *reports.Result, scenarioYAML []byte) error {
	p, err := newPage(r, scenarioYAML)
	if err != nil {
		return err
	}
	p.HeadlineColumns, p.HeadlineRows = headlineRows(r)
	return execute(w, "html results", "results.tmpl", p)
}

// stylesheet returns the report's style sheet for a template of the page
// what.
func stylesheet(what string) (template.CSS, error) {
	css, err := assets.ReadFile("style.css")
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return template.CSS(css), nil
}

// newPage lays out r for the templates, charts included.
func newPage(r *reports.Result, scenarioYAML []byte) (page, error) {
	if r == nil {
		return page{}, fmt.Errorf("html report: no result")
	}
	p := page{
		Scenario:  r.Scenario,
		Facts:     facts(r),
		Warnings:  r.Warnings,
		Lesson:    lesson(r),
		Narrative: narrative(r),
		YAML:      string(scenarioYAML),
		Warmup:    r.WarmupS > 0,
		Cuts:      anyCut(r),
		Columns:   len(r.Strategies) + 1,
	}
	for _, s := range r.Strategies {
		p.Strategies = append(p.Strategies, s.Name)
		for _, n := range s.Notes {
			p.Notes = append(p.Notes, note{Strategy: s.Name, Text: n})
		}
	}
	p.Rows, p.HasCI = tableRows(r)
	p.Baseline, p.Compared, p.DeltaRows = deltaRows(r)
	p.SingleDelta = singleReplicationDeltas(r)
	var err error
	if p.Charts, err = inlineCharts(r); err != nil {
		return page{}, err
	}
	return p, nil
}

// execute renders the template name (with the shared sections) with
// data and writes it to w whole, or nothing on an error; what names the
// page in messages.
func execute(w io.Writer, what, name string, data any) error {
	tmpl, err := template.ParseFS(assets, name, "sections.tmpl")
	if err != nil {
		return fmt.Errorf("%s: parse template: %w", what, err)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("%s: write: %w", what, err)
	}
	return nil
}

// anyCut reports whether some strategy has a warm-up cut of its own.
func anyCut(r *reports.Result) bool {
	for _, s := range r.Strategies {
		if s.WarmupCutS > 0 {
			return true
		}
	}
	return false
}

// narrative splits reports.Narrative's paragraphs into their subject
// (a strategy's name and type, or the verdict) and the rest.
func narrative(r *reports.Result) []paragraph {
	var out []paragraph
	for _, text := range reports.Narrative(r) {
		p := paragraph{Text: text}
		leads := []string{"Verdict:"}
		for _, s := range r.Strategies {
			leads = append(leads, s.Name+" ("+s.Type+"):")
		}
		for _, lead := range leads {
			if rest, ok := strings.CutPrefix(text, lead+" "); ok {
				p = paragraph{Lead: lead, Text: rest}
				break
			}
		}
		out = append(out, p)
	}
	return out
}

// lesson is reports.LessonParagraphs as the page's paragraphs.
func lesson(r *reports.Result) []paragraph {
	var out []paragraph
	for _, p := range reports.LessonParagraphs(r) {
		out = append(out, paragraph{Lead: p.Lead, Text: p.Text})
	}
	return out
}

// facts describes the run.
func facts(r *reports.Result) []fact {
	out := []fact{
		{"seed", strconv.FormatUint(r.Seed, 10)},
		{"duration", duration(r.DurationS)},
	}
	if r.WarmupS > 0 {
		out = append(out, fact{"warm-up", duration(r.WarmupS)})
	}
	if r.SLOLatencyMS > 0 {
		out = append(out, fact{"latency SLO", reports.FormatSig3(r.SLOLatencyMS) + " ms"})
	}
	reps := max(r.Replications, 1)
	v := strconv.Itoa(reps)
	if reps > 1 {
		v += fmt.Sprintf(" (seeds %d–%d; figures are means, ± the 95%% confidence half-width)", r.Seed, r.Seed+uint64(reps)-1)
	}
	return append(out, fact{"replications", v})
}

// duration formats seconds as 2h, 1h30m, 10m, 45s.
func duration(sec float64) string {
	s := int64(math.Round(sec))
	h, m, rest := s/3600, s/60%60, s%60
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if rest > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%ds", rest)
	}
	return b.String()
}

// inlineCharts renders every chart as SVG for inlining.
func inlineCharts(r *reports.Result) ([]chartHTML, error) {
	var out []chartHTML
	for _, name := range charts.Names() {
		var buf bytes.Buffer
		if err := charts.Render(&buf, r, name, "svg"); err != nil {
			return nil, fmt.Errorf("html report: %w", err)
		}
		title := charts.Title(name)
		svg, err := inlineSVG(buf.Bytes(), title)
		if err != nil {
			return nil, fmt.Errorf("html report: chart %s: %w", name, err)
		}
		out = append(out, chartHTML{Name: name, Title: title, Caption: charts.Caption(name), SVG: template.HTML(svg)})
	}
	return out, nil
}

// inlineSVG prepares a standalone SVG document for inlining in HTML: it
// drops what precedes the <svg> element (the XML declaration and comment),
// and names the image for assistive technology with role="img", an
// aria-label and a <title> as its first child.
func inlineSVG(doc []byte, title string) (string, error) {
	s := string(doc)
	start := strings.Index(s, "<svg")
	if start < 0 {
		return "", fmt.Errorf("no <svg> element")
	}
	s = s[start:]
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return "", fmt.Errorf("unterminated <svg> tag")
	}
	esc := template.HTMLEscapeString
	t := esc(title)
	return s[:end] + ` role="img" aria-label="` + t + `"><title>` + t + `</title>` + strings.TrimSpace(s[end+1:]), nil
}
