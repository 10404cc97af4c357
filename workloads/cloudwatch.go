package workloads

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scalesim/scalesim/sim"
)

// CloudWatch exports: the JSON the AWS CLI prints for
//
//	aws cloudwatch get-metric-data ...        {"MetricDataResults": [{"Id", "Label", "Timestamps", "Values", "StatusCode"}], "Messages": [...]}
//	aws cloudwatch get-metric-statistics ...  {"Label": ..., "Datapoints": [{"Timestamp", "Sum", "Average", ...}]}
//
// for a request-count metric (ALB RequestCount, say): each datapoint is the
// number of requests in the period starting at its timestamp. Timestamps
// are ISO 8601, UTC unless they carry an offset (the CLI prints
// "+00:00"), or seconds since the Unix epoch. get-metric-data lists them
// newest first by default and get-metric-statistics in any order: they
// are sorted. The pages of a paginated get-metric-data (the CLI repeats a
// metric's Id once per page) are joined. A period without a datapoint had
// no requests (ALB publishes nothing then, docs/aws-behaviour.md §2.1). The
// export is replayed like a counts trace: a Poisson process at each
// period's recorded rate.

// cloudWatchFormat is a CloudWatch JSON export of a request count.
// Column picks the metric (get-metric-data) or the statistic
// (get-metric-statistics); Interval, when set, is the period.
func cloudWatchFormat() Format {
	return Format{Name: "cloudwatch", Options: Options{Column: Optional, Interval: Optional},
		Summary: "the JSON of 'aws cloudwatch get-metric-data' or 'get-metric-statistics' for a request count",
		detect:  detectCloudWatch, counts: openCloudWatchCounts}
}

// detectCloudWatch recognises JSON.
func detectCloudWatch(s *sample) (match, sim.Duration) {
	if bytes.HasPrefix(bytes.TrimSpace(s.rows[0]), []byte("{")) {
		return signatureMatch, 0
	}
	return noMatch, 0
}

// openCloudWatchCounts opens a CloudWatch export.
func openCloudWatchCounts(p *traceParams) (countStream, error) {
	s, err := openCloudWatch(p)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// maxCloudWatchBytes bounds a CloudWatch export, which is decoded whole.
const maxCloudWatchBytes = 64 << 20

const hintCloudWatch = "export the metric with aws cloudwatch get-metric-data (or get-metric-statistics) --output json"

// cwExport is either form of export; the field present tells which.
type cwExport struct {
	MetricDataResults *[]cwResult `json:"MetricDataResults"`
	Messages          []cwMessage `json:"Messages"`
	NextToken         string      `json:"NextToken"`

	Label      string         `json:"Label"`
	Datapoints *[]cwDatapoint `json:"Datapoints"`
}

type cwResult struct {
	ID         string            `json:"Id"`
	Label      string            `json:"Label"`
	Timestamps []json.RawMessage `json:"Timestamps"`
	Values     []float64         `json:"Values"`
	StatusCode string            `json:"StatusCode"`
	Messages   []cwMessage       `json:"Messages"`
}

type cwMessage struct {
	Code  string `json:"Code"`
	Value string `json:"Value"`
}

type cwDatapoint struct {
	Timestamp          json.RawMessage    `json:"Timestamp"`
	SampleCount        *float64           `json:"SampleCount"`
	Average            *float64           `json:"Average"`
	Sum                *float64           `json:"Sum"`
	Minimum            *float64           `json:"Minimum"`
	Maximum            *float64           `json:"Maximum"`
	ExtendedStatistics map[string]float64 `json:"ExtendedStatistics"`
}

// cwPoint is one datapoint: its time (Unix ns) and value.
type cwPoint struct {
	at    int64
	value float64
}

// cwStream hands out a decoded export's counts in time order.
type cwStream struct {
	rows  []countRow
	i     int
	iv    int64
	notes []string
	label string // the chosen metric's Label (get-metric-data) or the export's (get-metric-statistics)
}

func (s *cwStream) next() (countRow, error) {
	if s.i == len(s.rows) {
		return countRow{}, io.EOF
	}
	s.i++
	return s.rows[s.i-1], nil
}

func (s *cwStream) interval() int64    { return s.iv }
func (s *cwStream) isDateTime() bool   { return true }
func (s *cwStream) warnings() []string { return s.notes }
func (s *cwStream) Close() error       { s.i = len(s.rows); return nil }

// openCloudWatch reads, decodes and checks a CloudWatch export.
func openCloudWatch(p *traceParams) (*cwStream, error) {
	in, err := openInput(p.path, p.open, false)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	data, err := io.ReadAll(io.LimitReader(in.br, maxCloudWatchBytes+1))
	if err != nil {
		return nil, in.readErr(err)
	}
	if len(data) > maxCloudWatchBytes {
		return nil, in.fail(0, "export a shorter time range, or convert the export to a counts CSV",
			"the export is larger than %d MiB", maxCloudWatchBytes>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, in.fail(0, hintCloudWatch, "the file is empty; not a CloudWatch JSON export")
	}
	var ex cwExport
	if err := json.Unmarshal(data, &ex); err != nil {
		return nil, jsonError(in, data, err)
	}
	s := &cwStream{}
	var points []cwPoint
	switch {
	case ex.MetricDataResults != nil:
		points, err = s.metricData(in, p, &ex)
	case ex.Datapoints != nil:
		points, err = s.statistics(in, p, &ex)
	default:
		return nil, in.fail(0, hintCloudWatch, "not a CloudWatch export: no MetricDataResults or Datapoints")
	}
	if err != nil {
		return nil, err
	}
	if err := s.build(in, p, points); err != nil {
		return nil, err
	}
	return s, nil
}

// jsonError places a decoding error on its line.
func jsonError(in *traceInput, data []byte, err error) *TraceError {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	line := 0
	if off >= 0 && off <= int64(len(data)) {
		line = 1 + bytes.Count(data[:off], []byte("\n"))
	}
	return in.fail(line, hintCloudWatch, "not a CloudWatch JSON export: %v", err)
}

// metricData picks one metric of a get-metric-data export.
func (s *cwStream) metricData(in *traceInput, p *traceParams, ex *cwExport) ([]cwPoint, error) {
	results := *ex.MetricDataResults
	var ids []string
	for _, r := range results {
		if !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	id, err := chooseMetric(in, results, ids, p.column)
	if err != nil {
		return nil, err
	}
	var points []cwPoint
	for i, r := range results {
		if r.ID != id {
			continue
		}
		s.label = cmp.Or(s.label, r.Label)
		where := fmt.Sprintf("MetricDataResults[%d] (Id %q)", i, r.ID)
		switch r.StatusCode {
		case "", "Complete":
		case "PartialData":
			s.notes = append(s.notes, fmt.Sprintf("%s: %s: StatusCode PartialData: the export holds only part of the requested range (fetch the other pages with NextToken)", in.file, where))
		default:
			return nil, in.fail(0, "fix the query or the permissions and export again", "%s: StatusCode %s: CloudWatch returned no usable data", where, r.StatusCode)
		}
		if len(r.Timestamps) != len(r.Values) {
			return nil, in.fail(0, hintCloudWatch, "%s: %d timestamps but %d values", where, len(r.Timestamps), len(r.Values))
		}
		for j, raw := range r.Timestamps {
			at, ok := cwTime(raw)
			if !ok {
				return nil, in.fail(0, hintTimestamp, "%s: timestamp %s is not a date-time", where, clipBytes(raw))
			}
			points = append(points, cwPoint{at, r.Values[j]})
		}
		for _, m := range r.Messages {
			s.notes = append(s.notes, fmt.Sprintf("%s: %s: CloudWatch says %s: %s", in.file, where, m.Code, m.Value))
		}
	}
	for _, m := range ex.Messages {
		s.notes = append(s.notes, fmt.Sprintf("%s: CloudWatch says %s: %s", in.file, m.Code, m.Value))
	}
	if ex.NextToken != "" {
		s.notes = append(s.notes, in.file+": the export has a NextToken: it is one page of a longer result")
	}
	return points, nil
}

// chooseMetric returns the Id of the metric named by column (an Id, or
// else a Label), or the only one.
func chooseMetric(in *traceInput, results []cwResult, ids []string, column string) (string, error) {
	list := func() string {
		var b []string
		for _, id := range ids {
			for _, r := range results {
				if r.ID == id {
					b = append(b, fmt.Sprintf("%q (label %q)", id, r.Label))
					break
				}
			}
		}
		return strings.Join(b, ", ")
	}
	switch {
	case len(ids) == 0:
		return "", in.fail(0, hintCloudWatch, "the export holds no metric (MetricDataResults is empty)")
	case column == "" && len(ids) == 1:
		return ids[0], nil
	case column == "":
		return "", in.fail(0, "set column to one of the Ids: "+list(), "the export holds %d metrics; which one counts the requests?", len(ids))
	}
	if slices.Contains(ids, column) {
		return column, nil
	}
	for _, fold := range []bool{false, true} {
		var match []string
		for _, r := range results {
			if (r.Label == column || fold && strings.EqualFold(r.Label, column)) && !slices.Contains(match, r.ID) {
				match = append(match, r.ID)
			}
		}
		switch {
		case len(match) == 1:
			return match[0], nil
		case len(match) > 1:
			return "", in.fail(0, "name the metric by its Id: "+list(), "%d metrics have the label %q", len(match), column)
		}
	}
	return "", in.fail(0, "the export's metrics: "+list(), "no metric with Id or Label %q", column)
}

// cwStatNames are the statistics a get-metric-statistics datapoint may hold
// besides extended ones (percentiles).
func cwStatNames() []string { return []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"} }

// statistics reads one statistic of a get-metric-statistics export.
func (s *cwStream) statistics(in *traceInput, p *traceParams, ex *cwExport) ([]cwPoint, error) {
	s.label = ex.Label
	stat := cmp.Or(p.column, "Sum")
	for _, n := range cwStatNames() {
		if strings.EqualFold(n, stat) {
			stat = n
		}
	}
	points := make([]cwPoint, 0, len(*ex.Datapoints))
	for i, d := range *ex.Datapoints {
		at, ok := cwTime(d.Timestamp)
		if !ok {
			return nil, in.fail(0, hintTimestamp, "Datapoints[%d]: timestamp %s is not a date-time", i, clipBytes(d.Timestamp))
		}
		v, ok := d.stat(stat)
		if !ok {
			return nil, in.fail(0, "set column to a statistic the export holds: "+strings.Join(d.names(), ", "),
				"Datapoints[%d] has no %s statistic", i, stat)
		}
		points = append(points, cwPoint{at, v})
	}
	return points, nil
}

// stat returns the named statistic of a datapoint.
func (d *cwDatapoint) stat(name string) (float64, bool) {
	var v *float64
	switch name {
	case "SampleCount":
		v = d.SampleCount
	case "Average":
		v = d.Average
	case "Sum":
		v = d.Sum
	case "Minimum":
		v = d.Minimum
	case "Maximum":
		v = d.Maximum
	default:
		x, ok := d.ExtendedStatistics[name]
		return x, ok
	}
	if v == nil {
		return 0, false
	}
	return *v, true
}

// names lists the statistics a datapoint holds, for a hint.
func (d *cwDatapoint) names() []string {
	var out []string
	for _, n := range cwStatNames() {
		if _, ok := d.stat(n); ok {
			out = append(out, n)
		}
	}
	ext := make([]string, 0, len(d.ExtendedStatistics))
	for k := range d.ExtendedStatistics {
		ext = append(ext, k)
	}
	slices.Sort(ext)
	return append(out, ext...)
}

// cwTime parses a JSON timestamp: an ISO 8601 string or epoch seconds.
func cwTime(raw json.RawMessage) (int64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		s, err := strconv.Unquote(string(raw))
		if err != nil {
			return 0, false
		}
		return parseDateTime([]byte(s))
	}
	ns, ok := parseSeconds(raw)
	return ns, ok
}

// build sorts the datapoints, finds the period and numbers the intervals.
func (s *cwStream) build(in *traceInput, p *traceParams, points []cwPoint) error {
	if len(points) == 0 {
		return in.fail(0, "export a time range with traffic", "no datapoints")
	}
	slices.SortStableFunc(points, func(a, b cwPoint) int { return cmp.Compare(a.at, b.at) })
	// Drop exact repeats (overlapping pages); conflicting values are an error.
	out := points[:1]
	for _, pt := range points[1:] {
		last := out[len(out)-1]
		switch {
		case pt.at != last.at:
			out = append(out, pt)
		case pt.value != last.value:
			return in.fail(0, "export each period once", "two datapoints at %s with different values (%g and %g)",
				formatUTC(pt.at), last.value, pt.value)
		}
	}
	points = out
	for _, pt := range points {
		if math.IsNaN(pt.value) || math.IsInf(pt.value, 0) || pt.value < 0 || pt.value > maxCount {
			return in.fail(0, hintCount, "the datapoint at %s is %g; a request count must be in [0, %g]", formatUTC(pt.at), pt.value, float64(maxCount))
		}
	}
	iv, err := s.period(in, p, points)
	if err != nil {
		return err
	}
	s.iv = iv
	t0 := points[0].at
	s.rows = make([]countRow, len(points))
	for i, pt := range points {
		d, ok := sub(pt.at, t0)
		if !ok || d%iv != 0 {
			return in.fail(0, "leave interval out to use the datapoints' own period",
				"the datapoint at %s is not a whole number of intervals (%v) after the first, at %s",
				formatUTC(pt.at), sim.Duration(iv), formatUTC(t0))
		}
		idx := d / iv
		if idx > (math.MaxInt64-iv)/iv {
			return in.fail(0, "", "the trace is too long: interval %d ends after 292 years", idx)
		}
		s.rows[i] = countRow{index: idx, count: pt.value, stamp: pt.at}
	}
	return nil
}

// period returns the interval: Interval if given, else the smallest gap
// between datapoints, which every gap must be a multiple of.
func (s *cwStream) period(in *traceInput, p *traceParams, points []cwPoint) (int64, error) {
	var gap int64 = math.MaxInt64
	for i := 1; i < len(points); i++ {
		d, ok := sub(points[i].at, points[i-1].at)
		if !ok {
			return 0, in.fail(0, "", "the trace spans more than 292 years")
		}
		gap = min(gap, d)
	}
	if p.interval > 0 {
		if gap != math.MaxInt64 && gap > p.interval {
			s.notes = append(s.notes, fmt.Sprintf("%s: the datapoints are at least %v apart but interval is %v: each value is replayed within %v of its timestamp",
				in.file, sim.Duration(gap), sim.Duration(p.interval), sim.Duration(p.interval)))
		}
		return p.interval, nil
	}
	if gap == math.MaxInt64 {
		return 0, in.fail(0, "set interval to the metric's period, e.g. 1m", "a single datapoint: its period cannot be inferred")
	}
	for i := 1; i < len(points); i++ {
		if d := points[i].at - points[i-1].at; d%gap != 0 {
			return 0, in.fail(0, "set interval to the metric's period",
				"the datapoints are not evenly spaced: %s is %v after %s, not a multiple of the smallest gap %v",
				formatUTC(points[i].at), sim.Duration(d), formatUTC(points[i-1].at), sim.Duration(gap))
		}
	}
	return gap, nil
}

// formatUTC renders Unix ns as an RFC 3339 UTC date-time for messages.
func formatUTC(ns int64) string {
	return time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
}

// MetricSeries is one metric of a CloudWatch export as recorded: its
// datapoints in time order, each the statistic over the Period starting
// at its time.
type MetricSeries struct {
	// Label is the metric's Label in the export (often its metric name,
	// such as "RequestCount"), or "" when it has none.
	Label string
	// Period is the span of one datapoint: the Interval asked for, else
	// the datapoints' spacing.
	Period sim.Duration
	// Points are the datapoints, oldest first, each period once.
	Points []MetricPoint
	// Warnings describe a partial export, one line each.
	Warnings []string
}

// MetricPoint is one datapoint of a MetricSeries.
type MetricPoint struct {
	At    time.Time // the start of its period, UTC
	Value float64   // the statistic over the period, ≥ 0
}

// ReadMetricSeries reads one metric of a CloudWatch export (the JSON of
// aws cloudwatch get-metric-data or get-metric-statistics), as the
// cloudwatch trace format reads it, but as datapoints rather than a
// replay: cfg gives the file (Path with Open, or FS and Name), Column (the
// metric's Id or Label, or the statistic) and Interval (0 infers the
// period); its Format is taken to be cloudwatch and its other fields are
// ignored. A problem with the file is a *TraceError.
func ReadMetricSeries(cfg TraceConfig) (MetricSeries, error) {
	cfg = TraceConfig{Path: cfg.Path, Format: "cloudwatch", Column: cfg.Column, Interval: cfg.Interval,
		Open: cfg.Open, FS: cfg.FS, Name: cfg.Name}
	p, err := checkTrace(&cfg)
	if err != nil {
		return MetricSeries{}, err
	}
	s, err := openCloudWatch(p)
	if err != nil {
		return MetricSeries{}, err
	}
	out := MetricSeries{Label: s.label, Period: sim.Duration(s.iv), Warnings: s.notes, Points: make([]MetricPoint, len(s.rows))}
	for i, r := range s.rows {
		out.Points[i] = MetricPoint{At: time.Unix(0, r.stamp).UTC(), Value: r.count}
	}
	return out, nil
}
