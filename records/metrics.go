package records

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The metrics format: the JSON of
//
//	aws cloudwatch get-metric-data --metric-data-queries file://QUERIES.json --start-time START --end-time END --output json
//
// {"MetricDataResults": [{"Id", "Label", "Timestamps", "Values",
// "StatusCode", "Messages"}], "Messages": [], "NextToken": ...}: several
// series in one file, timestamps newest first by default. A paginated
// export repeats each series' Id once per page; the pages may be joined
// into one list or read as several files. Each series is matched to one
// of Metrics() by its Id or Label (metricNames).

// metricsFormat is the format of get-metric-data.
func metricsFormat() Format {
	return Format{Name: "metrics",
		Summary: "a group's metrics (desired, in service, pending, CPU, requests, response time): the JSON of 'aws cloudwatch get-metric-data'",
		Command: "aws cloudwatch get-metric-data --metric-data-queries file://QUERIES.json --start-time START --end-time END --output json",
		read:    readMetrics, write: writeMetrics}
}

// metricName is a metric and the short names an export may give it.
type metricName struct {
	metric  Metric
	alias   string   // the Id the writer gives the series
	aliases []string // other short names, written as compared (lower case, no '_' or '-')
}

// metricNames lists the metrics of Metrics() with their short names.
func metricNames() []metricName {
	return []metricName{
		{GroupDesiredCapacity, "desired", nil},
		{GroupInServiceInstances, "in_service", []string{"inservice"}},
		{GroupPendingInstances, "pending", nil},
		{CPUUtilization, "cpu", nil},
		{RequestCount, "requests", []string{"requestcount"}},
		{TargetResponseTime, "response_time", []string{"latency"}},
	}
}

// fold is a name as compared: lower case, without '_' and '-'.
func fold(s string) string {
	return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// Alias returns the metric's short name, the Id Write gives its series:
// desired, in_service, pending, cpu, requests or response_time.
func (m Metric) Alias() string {
	for _, n := range metricNames() {
		if n.metric == m {
			return n.alias
		}
	}
	return strings.ToLower(string(m))
}

// ParseMetric returns the metric called name: its CloudWatch name or a
// short name (desired, in_service or inservice, pending, cpu, requests or
// request_count, response_time or latency), ignoring case, '_' and '-'.
func ParseMetric(name string) (Metric, bool) {
	f := fold(name)
	for _, n := range metricNames() {
		if f == fold(string(n.metric)) || f == fold(n.alias) || slices.Contains(n.aliases, f) {
			return n.metric, true
		}
	}
	return "", false
}

// metricChoices lists the names a series may have, for messages.
func metricChoices() string {
	var b []string
	for _, n := range metricNames() {
		b = append(b, fmt.Sprintf("%s (%s)", n.metric, n.alias))
	}
	return strings.Join(b, ", ")
}

// matchMetric finds the metric a series holds: its Id or Label names one
// (ParseMetric), or else its Label holds one's CloudWatch name as a word
// ("my-asg GroupDesiredCapacity").
func matchMetric(id, label string) (Metric, bool) {
	if m, ok := ParseMetric(id); ok {
		return m, true
	}
	if m, ok := ParseMetric(label); ok {
		return m, true
	}
	var found []Metric
	low := strings.ToLower(label)
	for _, n := range metricNames() {
		if containsWord(low, strings.ToLower(string(n.metric))) {
			found = append(found, n.metric)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return "", false
}

// containsWord reports whether word occurs in s between characters that
// are not letters or digits ("RequestCount" is not in
// "RequestCountPerTarget").
func containsWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+len(word)
		if (at == 0 || !isAlnum(s[at-1])) && (end == len(s) || !isAlnum(s[end])) {
			return true
		}
		i = at + 1
	}
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// awsResult is one series as get-metric-data prints it.
type awsResult struct {
	ID         string            `json:"Id"`
	Label      string            `json:"Label"`
	Timestamps []json.RawMessage `json:"Timestamps"`
	Values     []float64         `json:"Values"`
	StatusCode string            `json:"StatusCode"`
	Messages   []awsMessage      `json:"Messages,omitempty"`
}

// awsMessage is a remark CloudWatch attaches to an answer.
type awsMessage struct {
	Code  string `json:"Code"`
	Value string `json:"Value"`
}

// readMetrics reads a get-metric-data export into rec.
func readMetrics(in *input, rec *Record) error {
	doc, err := decodeDocument(in, "MetricDataResults")
	if err != nil {
		return err
	}
	if !doc.bare && !doc.found {
		if _, ok := doc.members["Activities"]; ok {
			return in.failHint(0, "read it as activities", "this is an export of scaling activities (it has Activities), not metrics")
		}
		if _, ok := doc.members["Datapoints"]; ok {
			return in.fail(0, "this is the output of get-metric-statistics, which holds one metric without its name")
		}
		return in.fail(0, "no MetricDataResults list: not the output of get-metric-data")
	}
	if raw, ok := doc.members["Messages"]; ok {
		var msgs []awsMessage
		if json.Unmarshal(raw, &msgs) == nil {
			for _, m := range msgs {
				in.note("CloudWatch says %s: %s", m.Code, m.Value)
			}
		}
	}
	if tok := doc.members["NextToken"]; len(tok) > 0 && string(tok) != "null" && string(tok) != `""` {
		in.note("the export has a NextToken: it is one page of a longer result (export the other pages with --next-token)")
	}
	m := newSeriesMerge(rec.Series)
	skipped := map[string]bool{}
	for i, el := range doc.elements {
		var r awsResult
		if err := el.decode(in, fmt.Sprintf("MetricDataResults[%d]", i), &r); err != nil {
			return err
		}
		if err := m.add(in, el, i, &r, skipped); err != nil {
			return err
		}
	}
	rec.Series = m.result()
	rec.Notes = append(rec.Notes, in.notes...)
	return nil
}

// seriesMerge joins the series of an export to those already read.
type seriesMerge struct {
	series map[Metric]*Series
	seen   map[Metric]map[int64]float64 // the values held, by Unix ns
}

// newSeriesMerge starts from copies of the series held.
func newSeriesMerge(held []Series) *seriesMerge {
	m := &seriesMerge{series: map[Metric]*Series{}, seen: map[Metric]map[int64]float64{}}
	for _, s := range held {
		c := s
		c.Points = slices.Clone(s.Points)
		m.series[s.Metric] = &c
		seen := map[int64]float64{}
		for _, p := range s.Points {
			seen[p.At.UnixNano()] = p.Value
		}
		m.seen[s.Metric] = seen
	}
	return m
}

// add checks one result of an export and joins its points to its
// metric's series.
func (m *seriesMerge) add(in *input, el element, i int, r *awsResult, skipped map[string]bool) error {
	where := fmt.Sprintf("MetricDataResults[%d] (Id %q, Label %q)", i, clip(r.ID), clip(r.Label))
	metric, ok := matchMetric(r.ID, r.Label)
	if !ok {
		if !skipped[r.ID] {
			skipped[r.ID] = true
			in.note("line %d: %s is none of the metrics calibration reads, left out; an Id or Label naming one of %s would be read",
				el.line(in), where, metricChoices())
		}
		return nil
	}
	switch r.StatusCode {
	case "", "Complete":
	case "PartialData":
		in.note("line %d: %s: StatusCode PartialData: the export holds only part of the requested range (export the other pages with --next-token)",
			el.line(in), where)
	default:
		return in.failHint(el.fieldLine(in, "StatusCode"), "fix the query or the permissions and export again",
			"%s: StatusCode %s: CloudWatch returned no usable data", where, clip(r.StatusCode))
	}
	for _, msg := range r.Messages {
		in.note("line %d: %s: CloudWatch says %s: %s", el.line(in), where, msg.Code, msg.Value)
	}
	if len(r.Timestamps) != len(r.Values) {
		return in.fail(el.fieldLine(in, "Values"), "%s has %d timestamps but %d values", where, len(r.Timestamps), len(r.Values))
	}
	s := m.series[metric]
	if s == nil {
		s = &Series{Metric: metric, ID: r.ID, Label: r.Label}
		m.series[metric], m.seen[metric] = s, map[int64]float64{}
	}
	if s.ID != r.ID {
		return in.failHint(el.line(in), "export each metric under one Id, or leave one of them out",
			"%s and the series with Id %q both hold %s", where, clip(s.ID), metric)
	}
	seen := m.seen[metric]
	for j, raw := range r.Timestamps {
		at, ok := parseStamp(raw)
		if !ok {
			return in.failHint(el.fieldLine(in, "Timestamps"), hintTime+", or as seconds since 1970",
				"%s: Timestamps[%d] %s is not a date-time", where, j, clip(string(raw)))
		}
		v := r.Values[j]
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return in.failHint(el.fieldLine(in, "Values"), "export the metric again; its values are counts, percentages or seconds, 0 or more",
				"%s: Values[%d] is %g", where, j, v)
		}
		ns := at.UnixNano()
		if old, ok := seen[ns]; ok {
			if old != v {
				return in.failHint(el.line(in), "keep one version of each datapoint (export the range again)",
					"%s: two values at %s (%g and %g)", where, formatTime(at), old, v)
			}
			continue
		}
		seen[ns] = v
		s.Points = append(s.Points, Point{At: at, Value: v})
	}
	return nil
}

// result returns the series in the order of Metrics(), points oldest
// first.
func (m *seriesMerge) result() []Series {
	var out []Series
	for _, metric := range Metrics() {
		if s := m.series[metric]; s != nil {
			slices.SortStableFunc(s.Points, func(a, b Point) int { return a.At.Compare(b.At) })
			out = append(out, *s)
		}
	}
	return out
}

// writeMetrics writes rec's series as get-metric-data prints them: one
// result per series, its Id the metric's Alias and its Label the
// metric's name unless the series has its own, timestamps newest first.
func writeMetrics(w io.Writer, rec *Record) error {
	series := slices.Clone(rec.Series)
	order := func(m Metric) int {
		if i := slices.Index(Metrics(), m); i >= 0 {
			return i
		}
		return len(Metrics())
	}
	slices.SortStableFunc(series, func(a, b Series) int {
		return cmp.Or(cmp.Compare(order(a.Metric), order(b.Metric)), cmp.Compare(a.Metric, b.Metric))
	})
	type result struct {
		ID         string    `json:"Id"`
		Label      string    `json:"Label"`
		Timestamps []string  `json:"Timestamps"`
		Values     []pyFloat `json:"Values"`
		StatusCode string    `json:"StatusCode"`
	}
	out := struct {
		MetricDataResults []result     `json:"MetricDataResults"`
		Messages          []awsMessage `json:"Messages"`
	}{MetricDataResults: []result{}, Messages: []awsMessage{}}
	for _, s := range series {
		pts := slices.Clone(s.Points)
		slices.SortStableFunc(pts, func(a, b Point) int { return b.At.Compare(a.At) })
		r := result{ID: cmp.Or(s.ID, s.Metric.Alias()), Label: cmp.Or(s.Label, string(s.Metric)),
			Timestamps: make([]string, len(pts)), Values: make([]pyFloat, len(pts)), StatusCode: "Complete"}
		for i, p := range pts {
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				return fmt.Errorf("series %s: the value at %s is %g, which JSON cannot hold", s.Metric, formatTime(p.At), p.Value)
			}
			r.Timestamps[i], r.Values[i] = formatTime(p.At), pyFloat(p.Value)
		}
		out.MetricDataResults = append(out.MetricDataResults, r)
	}
	return writeJSON(w, out)
}

// pyFloat is a number written as the AWS CLI writes one: always with a
// fraction or an exponent ("2.0", "0.5", "1e+16").
type pyFloat float64

// MarshalJSON writes the number as Python's repr does.
func (f pyFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if a := math.Abs(v); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.AppendFloat(nil, v, 'e', -1, 64), nil
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return []byte(s), nil
}
