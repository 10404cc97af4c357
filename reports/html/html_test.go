package html

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/sim/simtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// minute returns the time m minutes after the start.
func minute(m float64) sim.Time { return sim.Time(m * float64(sim.Minute)) }

// fixedResult is a small hand-made run of two strategies over ten minutes:
// traffic triples at minute 4; the fixed fleet (400 req/s) falls short for
// the rest of the run, the ASG (1,000 req/s from minute 6) for two minutes.
// Three replications with half-widths and a paired comparison, notes, a
// warning with characters HTML must escape, decisions and events.
func fixedResult() *reports.Result {
	r := &reports.Result{
		SchemaVersion: reports.SchemaVersion, Scenario: "html-demo", Seed: 11,
		DurationS: 600, WarmupS: 60, SLOLatencyMS: 250, Replications: 3, ServiceMeanS: 0.04,
		Baseline: "fixed",
		Strategies: []reports.StrategySummary{
			{
				Name: "fixed", Type: "static",
				Requests:       reports.Requests{Arrived: 324000, Completed: 300000, Rejected: 23990, InFlightAtEnd: 10},
				LatencyMS:      reports.Latency{Mean: 61.2, P50: 40.1, P90: 120, P99: 480.5, P999: 900, Max: 1500},
				ThroughputRPS:  reports.Throughput{Mean: 555.6, PeakMinute: 610},
				Availability:   reports.Availability{SuccessRatio: 0.926, SLOAttainment: 0.9, MinutesMeetingSLO: 3.0 / 9, ServedWithinSLO: 0.899, Served: 0.925},
				CostUSD:        reports.Cost{Total: 0.456, Compute: 0.4, LoadBalancer: 0.056},
				Capacity:       reports.Capacity{InstancesMin: 4, InstancesMax: 4, InstanceHours: 0.667, MeanUtilization: 0.91},
				CI95HalfWidth:  map[string]float64{"latency_ms.p99": 12.5, "availability.success_ratio": 0.004, "availability.served_within_slo": 0.004, "cost_usd.total": 0.002},
				ScalingActions: 0,
			},
			{
				Name: "asg <fast>", Type: "horizontal",
				Requests:       reports.Requests{Arrived: 324000, Completed: 323500, Rejected: 480, InFlightAtEnd: 20},
				LatencyMS:      reports.Latency{Mean: 45, P50: 38, P90: 80, P99: 210, P999: 400, Max: 800},
				ThroughputRPS:  reports.Throughput{Mean: 599.1, PeakMinute: 1020},
				Availability:   reports.Availability{SuccessRatio: 0.9985, SLOAttainment: 0.997, MinutesMeetingSLO: 7.0 / 9, ServedWithinSLO: 0.9968, Served: 0.9984},
				CostUSD:        reports.Cost{Total: 0.789, Compute: 0.7, LoadBalancer: 0.089},
				Capacity:       reports.Capacity{InstancesMin: 4, InstancesMax: 10, InstanceHours: 1.2, MeanUtilization: 0.6},
				CI95HalfWidth:  map[string]float64{"latency_ms.p99": 8, "availability.success_ratio": 0.0005, "cost_usd.total": 0.01},
				ScalingActions: 2,
				Notes:          []string{"warm pool of 2 instances"},
			},
		},
		Comparisons: []reports.Comparison{{Strategy: "asg <fast>", Deltas: []reports.Delta{
			{Key: "latency_ms.p99", Baseline: 480.5, Value: 210, Diff: -270.5, HalfWidth: 20.1, Replications: 3, Significant: true},
			{Key: "cost_usd.total", Baseline: 0.456, Value: 0.789, Diff: 0.333, HalfWidth: 0.4, Replications: 3, Significant: false},
			{Key: "availability.success_ratio", Baseline: 0.926, Value: 0.9985, Diff: 0.0725, HalfWidth: 0.003, Replications: 3, Significant: true},
		}}},
		Warnings: []string{`strategy "asg <fast>" hit its maximum of 10 instances & stayed there`},
	}
	for _, name := range []string{"fixed", "asg <fast>"} {
		for m := range 10 {
			rate := 300.0
			if m >= 4 {
				rate = 900
			}
			row := reports.MinuteRow{Strategy: name, Minute: m, Arrivals: int64(rate * 60), P50MS: 40, P99MS: 150,
				InstancesInService: 4, Slots: 16, CostUSD: 0.04 * float64(m+1), Utilization: 0.7}
			if name != "fixed" && m >= 6 {
				row.InstancesInService, row.Slots = 10, 40
			}
			capacity := float64(row.Slots) / r.ServiceMeanS
			row.Completed = int64(min(rate, capacity) * 60)
			row.Errors = int64(rate*60) - row.Completed
			if row.Errors > 0 {
				row.P99MS = 900
			}
			r.Series = append(r.Series, row)
		}
		r.Distributions = append(r.Distributions, reports.LatencyCDF{Strategy: name, Points: []reports.CDFPoint{
			{LatencyMS: 10, Fraction: 0.01}, {LatencyMS: 40, Fraction: 0.5}, {LatencyMS: 120, Fraction: 0.9},
			{LatencyMS: 480, Fraction: 0.99}, {LatencyMS: 1500, Fraction: 1},
		}})
	}
	r.Decisions = []reports.DecisionRecord{
		{Strategy: "asg <fast>", At: 0, From: 0, To: 4, ReachedAt: minute(1)},
		{Strategy: "asg <fast>", At: minute(4.5), From: 4, To: 10, ReachedAt: minute(7)},
	}
	r.Events = []reports.EventRecord{{Strategy: "fixed", At: minute(8), Kind: "failure", Detail: "instance 2 failed"}}
	return r
}

// scenarioYAML is the scenario shown in the report.
const scenarioYAML = "name: html-demo\nseed: 11\nduration: 10m\nslo:\n  latency: 250ms\nnote: \"<b>not bold</b> & not a tag\"\n"

// write renders the fixed report.
func write(t *testing.T, r *reports.Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, []byte(scenarioYAML)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.String()
}

func TestWriteGolden(t *testing.T) {
	simtest.Golden(t, filepath.Join("testdata", "report.html.golden"), []byte(write(t, fixedResult())), *update)
}

// element counts the elements of a parsed page by name, and records the
// text of some.
type parsed struct {
	count map[string]int
	ids   []string
	roles []string // role of each <svg>
	title []string // text of each <svg>'s <title>
}

// parseHTML parses the page with encoding/xml in its lenient HTML mode
// (HTML entities are known, void elements need no end tag) and checks, on
// the raw tokens, that every other element is closed by its own end tag.
func parseHTML(page string) (parsed, error) {
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	p := parsed{count: map[string]int{}}
	var stack []string
	inTitle := false
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 {
				return p, fmt.Errorf("unclosed elements %v", stack)
			}
			return p, nil
		}
		if err != nil {
			line, _ := dec.InputPos()
			return p, fmt.Errorf("line %d: %w", line, err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(e.Name.Local)
			p.count[name]++
			if slices.Contains(xml.HTMLAutoClose, name) {
				continue // a void element: no content, no end tag
			}
			stack = append(stack, name)
			for _, a := range e.Attr {
				switch {
				case a.Name.Local == "id":
					p.ids = append(p.ids, a.Value)
				case a.Name.Local == "role" && name == "svg":
					p.roles = append(p.roles, a.Value)
				}
			}
			inTitle = name == "title" && len(stack) > 1 && stack[len(stack)-2] == "svg"
		case xml.EndElement:
			name := strings.ToLower(e.Name.Local)
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return p, fmt.Errorf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
			inTitle = false
		case xml.CharData:
			if inTitle {
				p.title = append(p.title, string(e))
			}
		}
	}
}

// TestWriteStructure: the page parses, and holds the table, the
// differences, one named <svg> per chart, every strategy and the scenario.
func TestWriteStructure(t *testing.T) {
	r := fixedResult()
	page := write(t, r)
	p, err := parseHTML(page)
	if err != nil {
		t.Fatalf("the report does not parse: %v", err)
	}
	names := charts.Names()
	if p.count["svg"] != len(names) || p.count["figure"] != len(names) {
		t.Errorf("%d <svg> in %d <figure>, want %d of each", p.count["svg"], p.count["figure"], len(names))
	}
	for i, name := range names {
		if !slices.Contains(p.ids, "chart-"+name) {
			t.Errorf("no figure with id chart-%s", name)
		}
		if i < len(p.title) && p.title[i] != charts.Title(name) {
			t.Errorf("svg %d has title %q, want %q", i, p.title[i], charts.Title(name))
		}
	}
	if len(p.title) != len(names) || len(p.roles) != len(names) {
		t.Errorf("%d svg titles and %d roles, want %d", len(p.title), len(p.roles), len(names))
	}
	for _, role := range p.roles {
		if role != "img" {
			t.Errorf("svg role %q, want img", role)
		}
	}
	if p.count["table"] != 2 || p.count["pre"] != 1 || p.count["html"] != 1 || p.count["style"] != 1 {
		t.Errorf("tables %d (want 2), pre %d, html %d, style %d (want 1 each)",
			p.count["table"], p.count["pre"], p.count["html"], p.count["style"])
	}
	for _, s := range r.Strategies {
		if esc := templateEscape(s.Name); !strings.Contains(page, "<th scope=\"col\">"+esc+"</th>") {
			t.Errorf("the table has no column for %q", s.Name)
		}
	}
	for _, want := range []string{
		"<!DOCTYPE html>", "<title>scalesim report: html-demo</title>",
		`&lt;b&gt;not bold&lt;/b&gt; &amp; not a tag`, // the YAML, escaped
		"hit its maximum of 10 instances &amp; stayed there",
		"<strong>asg &lt;fast&gt;</strong>: warm pool of 2 instances",
		"<strong>Verdict:</strong>",
		// Half-widths and paired differences; html/template writes "+" as "&#43;".
		"<td>480<span class=\"ci\"> ± 12.5</span></td>",
		"−270 <span class=\"ci\">± 20.1</span> <span class=\"rel\">(−56.3%)</span> <span class=\"mark sig\" title=\"significant\">*</span>",
		"&#43;$0.333 <span class=\"ci\">± $0.400</span> <span class=\"rel\">(&#43;73.0%)</span> <span class=\"mark\" title=\"not significant\">~</span>",
		"&#43;7.25 pp <span class=\"ci\">± 0.300 pp</span> <span class=\"mark sig\"",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(page, "<?xml") || strings.Contains(page, "<!-- Generated") {
		t.Error("an SVG prolog was left inside the HTML")
	}
}

// templateEscape escapes s as html/template does in text.
func templateEscape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestWriteSelfContained: no scripts, no style sheets, fonts or images from
// elsewhere, and no URL other than the SVG namespaces.
func TestWriteSelfContained(t *testing.T) {
	page := write(t, fixedResult())
	allowed := []string{"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
	for _, u := range regexp.MustCompile(`(?i)(https?:)?//[^\s"'<>)]+`).FindAllString(page, -1) {
		if !slices.Contains(allowed, u) {
			t.Errorf("the report refers to %q", u)
		}
	}
	for _, banned := range []string{"<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "@font-face"} {
		if strings.Contains(strings.ToLower(page), banned) {
			t.Errorf("the report contains %q", banned)
		}
	}
	if !strings.Contains(page, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'`) {
		t.Error("the report has no content security policy forbidding fetches")
	}
}

// TestTableMatchesTerminal: the HTML table shows exactly the terminal
// table's rows, in order, with the same labels and values: no row of one
// is missing from the other. With a warm-up cut, both show its row.
func TestTableMatchesTerminal(t *testing.T) {
	for _, cut := range []float64{0, 300} {
		r := fixedResult()
		r.Comparisons, r.Baseline = nil, ""
		r.Strategies[1].WarmupCutS = cut
		var term bytes.Buffer
		if err := reports.WriteTable(&term, r); err != nil {
			t.Fatal(err)
		}
		lines := terminalRows(term.String())
		rows, _ := tableRows(r)
		if len(rows) != len(lines) {
			t.Errorf("cut %v: %d HTML rows, %d terminal rows:\n%s", cut, len(rows), len(lines), term.String())
		}
		for i := range min(len(rows), len(lines)) {
			rw, line := rows[i], lines[i]
			label := rw.Label
			if rw.Sub {
				label = "  " + label
			}
			if rw.Section {
				if line != label {
					t.Errorf("row %d: HTML heading %q, terminal %q", i, label, line)
				}
				continue
			}
			if !strings.HasPrefix(line, label+"  ") {
				t.Errorf("row %d: HTML %q, terminal %q", i, label, line)
				continue
			}
			// The terminal table follows a replicated value with its
			// relative half-width ("±3.8%"); the HTML shows it apart.
			fields := slices.DeleteFunc(strings.Fields(line[len(label):]), func(f string) bool { return strings.HasPrefix(f, "±") })
			var want []string
			for _, c := range rw.Cells {
				want = append(want, c.Value)
			}
			if !slices.Equal(fields, want) {
				t.Errorf("row %q: HTML %q, terminal %q", rw.Label, want, fields)
			}
		}
		if hasCut := slices.ContainsFunc(rows, func(rw row) bool { return rw.Label == "warm-up cut" }); hasCut != (cut > 0) {
			t.Errorf("cut %v: warm-up cut row shown %v", cut, hasCut)
		}
	}
}

// terminalRows returns the lines of the terminal table's first block of
// figures: from the line after the strategies' names to the next blank
// line.
func terminalRows(table string) []string {
	lines := strings.Split(table, "\n")
	start := slices.Index(lines, "") + 2 // the blank line, then the names
	end := start
	for end < len(lines) && lines[end] != "" {
		end++
	}
	return lines[start:end]
}

// TestWarmupCutRow: a strategy's warm-up cut (warmup: auto) is a row of
// the comparison table, without a half-width (it is chosen once, not
// measured), and the charts' text says whose cut is shaded.
func TestWarmupCutRow(t *testing.T) {
	r := fixedResult()
	r.Strategies[1].WarmupCutS = 300
	for i := range r.Strategies {
		r.Strategies[i].CI95HalfWidth["warmup_cut_s"] = 0
	}
	page := write(t, r)
	for _, want := range []string{
		`<tr><th scope="row">warm-up cut</th><td>0s</td><td>5m</td></tr>`,
		"that strategy's own warm-up cut (warmup: auto)",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(write(t, fixedResult()), "warm-up cut") {
		t.Error("a run without a warm-up cut has a warm-up cut row or caption")
	}
}

// TestDifferencesSignsAndLabels: a fall in a ratio is written with one
// minus sign ("−35.6 pp", not "−-35.6 pp"), and the derived cost per
// million completed requests is labelled as the table labels it, not by
// its key.
func TestDifferencesSignsAndLabels(t *testing.T) {
	r := fixedResult()
	r.Comparisons[0].Deltas = []reports.Delta{
		{Key: reports.SuccessRatio.Key(), Baseline: 0.9985, Value: 0.6425, Diff: -0.356, HalfWidth: 0.012, Replications: 3, Significant: true},
		{Key: reports.CostPerMillion.Key(), Baseline: 1.52, Value: 2.44, Diff: 0.92, HalfWidth: 0.1, Replications: 3, Significant: true},
		{Key: reports.LatencyP99.Key(), Baseline: 480.5, Value: 210, Diff: -270.5, HalfWidth: 20.1, Replications: 3, Significant: true},
	}
	_, _, rows := deltaRows(r)
	got := map[string]deltaCell{}
	var labels []string
	for _, dr := range rows {
		labels = append(labels, dr.Label)
		got[dr.Label] = dr.Cells[0]
	}
	if want := []string{"latency (ms): p99", "availability: success (finished)", "cost: per 1M completed"}; !slices.Equal(labels, want) {
		t.Errorf("differences rows %q, want %q (the table's order and labels)", labels, want)
	}
	for label, want := range map[string]deltaCell{
		"availability: success (finished)": {Diff: "−35.6 pp", HalfWidth: "± 1.20 pp", Significant: true},
		"cost: per 1M completed":           {Diff: "+$0.920", HalfWidth: "± $0.100", Relative: "+60.5%", Significant: true},
		"latency (ms): p99":                {Diff: "−270", HalfWidth: "± 20.1", Relative: "−56.3%", Significant: true},
	} {
		if got[label] != want {
			t.Errorf("%s: %+v, want %+v", label, got[label], want)
		}
	}
}

// TestWriteMinimal: a result without series, comparisons, notes or YAML
// still makes a valid page, with no empty sections.
func TestWriteMinimal(t *testing.T) {
	for _, r := range []*reports.Result{
		{Scenario: "empty"},
		{Scenario: "one", Strategies: []reports.StrategySummary{{Name: "only", Type: "static"}}, Replications: 1},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, r, nil); err != nil {
			t.Fatalf("Write(%s): %v", r.Scenario, err)
		}
		page := buf.String()
		if _, err := parseHTML(page); err != nil {
			t.Errorf("%s: the report does not parse: %v", r.Scenario, err)
		}
		for _, absent := range []string{`id="differences"`, `id="notes"`, `id="scenario"`} {
			if strings.Contains(page, absent) {
				t.Errorf("%s: empty section %s is shown", r.Scenario, absent)
			}
		}
		if n := strings.Count(page, "<svg"); n != len(charts.Names()) {
			t.Errorf("%s: %d charts, want %d", r.Scenario, n, len(charts.Names()))
		}
	}
	if err := Write(io.Discard, nil, nil); err == nil {
		t.Error("Write(nil result): no error")
	}
}

func TestInlineSVG(t *testing.T) {
	doc := []byte("<?xml version=\"1.0\"?>\n<!-- Generated -->\n<svg width=\"1pt\" viewBox=\"0 0 1 1\">\n<g></g>\n</svg>\n")
	got, err := inlineSVG(doc, `p99 "latency" & <more>`)
	if err != nil {
		t.Fatal(err)
	}
	want := `<svg width="1pt" viewBox="0 0 1 1" role="img" aria-label="p99 &#34;latency&#34; &amp; &lt;more&gt;">` +
		`<title>p99 &#34;latency&#34; &amp; &lt;more&gt;</title><g></g>` + "\n</svg>"
	if got != want {
		t.Errorf("inlineSVG\n got %q\nwant %q", got, want)
	}
	if _, err := inlineSVG([]byte("<html></html>"), "x"); err == nil {
		t.Error("inlineSVG of a document without <svg>: no error")
	}
}

// TestParseHTMLRejects: the structure check above can fail.
func TestParseHTMLRejects(t *testing.T) {
	for _, page := range []string{
		"<html><body><div><p>text</div></body></html>",
		"<html><body><table><tr><td>1</td></tr></body></html>",
		"<html><body><svg><g></svg></body></html>",
	} {
		if _, err := parseHTML(page); err == nil {
			t.Errorf("parseHTML accepted %q", page)
		}
	}
	if _, err := parseHTML(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><br><p>a &amp; b&nbsp;c</p></body></html>`); err != nil {
		t.Errorf("parseHTML rejected valid HTML: %v", err)
	}
}

// TestWriteResults: the fragment parses, carries no page around it, has a
// headline table with one row per strategy, and the report's sections,
// the comparison table and the charts byte for byte as the report has
// them.
func TestWriteResults(t *testing.T) {
	r := fixedResult()
	var buf bytes.Buffer
	if err := WriteResults(&buf, r, []byte(scenarioYAML)); err != nil {
		t.Fatalf("WriteResults: %v", err)
	}
	frag := buf.String()
	p, err := parseHTML(frag)
	if err != nil {
		t.Fatalf("the fragment does not parse: %v", err)
	}
	for _, el := range []string{"html", "head", "body", "style", "nav", "header", "script"} {
		if p.count[el] != 0 {
			t.Errorf("the fragment has %d <%s>, want none", p.count[el], el)
		}
	}
	if p.count["table"] != 3 || p.count["svg"] != len(charts.Names()) {
		t.Errorf("%d tables and %d svg, want 3 and %d", p.count["table"], p.count["svg"], len(charts.Names()))
	}
	head := between(t, frag, `<table class="strategies">`, `</table>`)
	if want := `<th scope="col">strategy</th><th scope="col">type</th><th scope="col" title="latency (ms): p99">p99 ms</th>`; !strings.Contains(head, want) {
		t.Errorf("the headline table's header lacks %q:\n%s", want, head)
	}
	body := between(t, head, "<tbody>", "</tbody>")
	if n := strings.Count(body, "<tr>"); n != len(r.Strategies) {
		t.Errorf("the headline table has %d rows, want one per strategy (%d):\n%s", n, len(r.Strategies), body)
	}
	for _, want := range []string{
		`<tr><th scope="row">fixed</th><td>static</td><td>480<span class="ci"> ± 12.5</span></td><td>89.90%<span class="ci"> ± 0.400 pp</span></td><td>92.50%</td>`,
		`<tr><th scope="row">asg &lt;fast&gt;</th><td>horizontal</td><td>210<span class="ci"> ± 8.00</span></td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the headline table lacks %q:\n%s", want, body)
		}
	}
	report := write(t, r)
	for _, id := range []string{"what-happened", "comparison", "differences", "notes", "charts", "scenario"} {
		open := `<section id="` + id + `">`
		if got, want := between(t, frag, open, "</section>"), between(t, report, open, "</section>"); got != want {
			t.Errorf("section %s differs from the report's", id)
		}
	}
}

// between returns the text of s from the first start to the end that
// follows it, both included.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("no %q", start)
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		t.Fatalf("no %q after %q", end, start)
	}
	return s[i : i+j+len(end)]
}
