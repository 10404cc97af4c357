package workloads

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// ServiceTimeInfo describes the service times ServiceTimes read.
type ServiceTimeInfo struct {
	Samples int64 // positive durations passed on
	// NotServed counts alb lines whose timing field is -1: the request was
	// not dispatched, or the target closed the connection or timed out
	// (docs/aws-behaviour.md §3.7). They have no service time and are left out.
	NotServed int64
	// Zero counts durations of 0, below the recording's resolution (an ALB
	// log's is 1 ms). They are left out: a fit needs positive times.
	Zero     int64
	Warnings []string // alb: malformed lines skipped (see TraceConfig.Strict)
}

// ALB timing fields ServiceTimes can read.
var albTimings = []struct {
	name  string
	field int
}{
	{"target_processing_time", albTargetPT},
	{"request_processing_time", albRequestPT},
	{"response_processing_time", albResponsePT},
}

const hintDuration = `write a duration ("42ms") or a number of seconds, one per line or in a CSV column`

// DurationsFormat names, for ServiceTimes, a file of durations: one per
// line or per row in a CSV column, each a Go duration ("42ms") or a number
// of seconds. It is not a trace format.
const DurationsFormat = "durations"

// ServiceTimeFormats returns the formats ServiceTimes reads: the trace
// formats that record each request's timings (HasServiceTimes), then
// DurationsFormat.
func ServiceTimeFormats() []string {
	return append(formatNames(Format.HasServiceTimes), DurationsFormat)
}

// DetectServiceTimes guesses the format of a recording of service times
// from its content: a trace format that records each request's timings
// (an ALB log), or else DurationsFormat.
func DetectServiceTimes(cfg TraceConfig) string {
	if name, _, err := DetectFormat(cfg); err == nil {
		if f, _ := LookupFormat(name); f.HasServiceTimes() {
			return name
		}
	}
	return DurationsFormat
}

// ServiceTimes reads the service times a recording holds and passes each,
// in seconds (> 0), to fn, streaming; an error from fn stops it. For a
// trace format that records timings (alb) it reads, from every line of
// every file (in file order, which a fit does not need), the timing field
// named by Column: target_processing_time (the default: the target's time
// to its response headers), request_processing_time or
// response_processing_time. For DurationsFormat (or an empty Format), the
// file holds one duration per line, or per row in a CSV column (Column: a
// header name or 1-based index; default the first): a Go duration ("42ms")
// or a number of seconds. RateScale, TimeScale, Start, End and Interval
// are ignored.
func ServiceTimes(cfg TraceConfig, fn func(seconds float64) error) (ServiceTimeInfo, error) {
	p := &traceParams{path: cfg.Path, open: cfg.Open, strict: cfg.Strict, column: strings.TrimSpace(cfg.Column)}
	if p.path == "" {
		return ServiceTimeInfo{}, errors.New("service times: no path")
	}
	if err := p.setSource(&cfg); err != nil {
		return ServiceTimeInfo{}, err
	}
	if cfg.Format != "" && cfg.Format != DurationsFormat {
		f, ok := LookupFormat(cfg.Format)
		if !ok || !f.HasServiceTimes() {
			return ServiceTimeInfo{}, fmt.Errorf("service times %s: format %q records none; want %s", p.path, cfg.Format, orList(ServiceTimeFormats()))
		}
		p.format = f
		return f.serviceTimes(p, fn)
	}
	if n, err := strconv.Atoi(p.column); err == nil {
		if n < 1 || n > MaxColumn {
			return ServiceTimeInfo{}, fmt.Errorf("service times %s: column %d: a column index counts from 1", p.path, n)
		}
		p.colIndex = n
	} else {
		p.colName = p.column
	}
	in, err := openInput(p.path, p.open, true)
	if err != nil {
		return ServiceTimeInfo{}, err
	}
	defer in.Close()
	return readDurations(in, p, fn)
}

// readDurations reads a file of durations.
func readDurations(in *traceInput, p *traceParams, fn func(float64) error) (ServiceTimeInfo, error) {
	var info ServiceTimeInfo
	var fields [][]byte
	col := -1
	for {
		line, n, err := in.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ServiceTimeInfo{}, err
		}
		if isBlank(line) {
			continue
		}
		fields = splitFields(fields, line)
		if col < 0 {
			c, header, err := resolveColumn(in, p, fields, n)
			if err != nil {
				return ServiceTimeInfo{}, err
			}
			col = c
			if header {
				continue
			}
		}
		if col >= len(fields) {
			return ServiceTimeInfo{}, in.fail(n, "", "the row has %d fields; column %d requested", len(fields), col+1)
		}
		sec, ok := parseDuration(fields[col])
		switch {
		case !ok:
			return ServiceTimeInfo{}, in.fail(n, hintDuration, "cannot parse %q as a duration", clipBytes(fields[col]))
		case sec < 0:
			return ServiceTimeInfo{}, in.fail(n, "service times are ≥ 0", "duration %q is negative", clipBytes(fields[col]))
		case sec == 0:
			info.Zero++
			continue
		}
		info.Samples++
		if err := fn(sec); err != nil {
			return ServiceTimeInfo{}, err
		}
	}
	if info.Samples == 0 && info.Zero == 0 {
		return ServiceTimeInfo{}, in.fail(0, "the file is empty or holds only a header", "no durations")
	}
	return info, nil
}

// resolveColumn picks the column from the first row and reports whether
// that row is a header.
func resolveColumn(in *traceInput, p *traceParams, fields [][]byte, n int) (int, bool, error) {
	if p.colName != "" {
		i := findColumn(fields, p.colName)
		if i < 0 {
			return 0, false, in.fail(n, "available columns: "+columnNames(fields), "column %q not found in the header", p.colName)
		}
		return i, true, nil
	}
	col := max(p.colIndex-1, 0)
	if col < len(fields) {
		if _, ok := parseDuration(fields[col]); !ok && isName(fields[col]) {
			return col, true, nil
		}
	}
	return col, false, nil
}

// parseDuration parses a Go duration or a number of seconds into seconds;
// NaN and infinities are refused.
func parseDuration(b []byte) (float64, bool) {
	if ns, ok := parseDecimal(b); ok {
		return float64(ns) / 1e9, true
	}
	s := string(b)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	d, err := sim.ParseDuration(s)
	if err != nil {
		return 0, false
	}
	return d.Seconds(), true
}

// albServiceTimes reads a timing field of every line of an ALB trace.
func albServiceTimes(p *traceParams, fn func(float64) error) (ServiceTimeInfo, error) {
	field := -1
	name := p.column
	if name == "" {
		name = albTimings[0].name
	}
	var names []string
	for _, t := range albTimings {
		names = append(names, t.name)
		if strings.EqualFold(t.name, name) {
			field, name = t.field, t.name
		}
	}
	if field < 0 {
		return ServiceTimeInfo{}, &TraceError{File: p.path, Msg: fmt.Sprintf("no ALB timing field %q", name),
			Hint: "choose one of " + strings.Join(names, ", ")}
	}
	s := &albStream{p: p, notes: albNotes{path: p.path}}
	files, dir, err := albFiles(p)
	if err != nil {
		return ServiceTimeInfo{}, err
	}
	list := []*albFile{{name: p.path}}
	if dir {
		list = list[:0]
		for _, n := range files {
			list = append(list, &albFile{name: displayName(p, n), fsName: n})
		}
	}
	var info ServiceTimeInfo
	for _, f := range list {
		if err := s.fileTimes(f, field, name, &info, fn); err != nil {
			return ServiceTimeInfo{}, err
		}
	}
	info.Warnings = s.notes.warnings()
	if info.Samples == 0 && info.NotServed == 0 && info.Zero == 0 {
		return ServiceTimeInfo{}, s.noRecords()
	}
	return info, nil
}

// fileTimes reads the timing field of one file's lines.
func (s *albStream) fileTimes(f *albFile, field int, name string, info *ServiceTimeInfo, fn func(float64) error) error {
	in, err := s.openFile(f, true)
	if err != nil {
		return err
	}
	defer in.Close()
	for {
		line, n, err := in.readLine()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if skipLine(line) {
			continue
		}
		var reason string
		s.ps.fields, reason = splitALB(s.ps.fields, line, albNeed)
		if reason == "" {
			_, _, reason = albArrival(s.ps.fields)
		}
		var sec float64
		if reason == "" {
			var ok bool
			sec, ok = parseDuration(s.ps.fields[field])
			if !ok || sec < 0 && sec != -1 {
				reason = fmt.Sprintf("%s %q is not a number of seconds or -1", name, clipBytes(s.ps.fields[field]))
			}
		}
		if reason != "" {
			if err := s.malformed(f, n, reason); err != nil {
				return err
			}
			continue
		}
		switch {
		case sec == -1:
			info.NotServed++
		case sec == 0:
			info.Zero++
		default:
			info.Samples++
			if err := fn(sec); err != nil {
				return err
			}
		}
	}
}
