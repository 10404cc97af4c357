package scenarios

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// maxSampleLine is the longest line of an empirical-samples file.
const maxSampleLine = 64 << 10

// samples reads the recorded times of the empirical distribution at path p: one per
// line, or one column of a CSV file (column: a header name or a 1-based
// index). A value is a duration ("42ms") or a number of seconds. Blank
// lines and lines starting with # are skipped; with column set, a first row
// that is not a value is taken as the header. At most MaxEmpiricalSamples.
func (v *validator) samples(p string, t *TimeSpec) ([]float64, error) {
	fp, display, err := v.resolvePath(p+".path", t.Path, false)
	if err != nil {
		return nil, err
	}
	f, err := v.fsys.Open(fp)
	if err != nil {
		return nil, v.err(p+".path", fmt.Sprintf("cannot open %q: %s", clip(display), fsReason(err)), "")
	}
	defer f.Close()
	bad := func(line int, msg, hint string) error {
		return &Error{File: display, Line: line, Msg: msg, Hint: hint}
	}
	col := strings.TrimSpace(t.Column)
	idx, err := v.sampleColumn(p, col)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), maxSampleLine)
	var out []float64
	line, rows := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		rows++
		fields := []string{text}
		if col != "" {
			fields = strings.Split(text, ",")
		} else if strings.Contains(text, ",") {
			return nil, bad(line, "the line has several comma-separated columns", "set "+p+".column to the column to read")
		}
		if idx < 0 {
			idx = headerIndex(fields, col)
			if idx < 0 {
				return nil, bad(line, fmt.Sprintf("no column named %q in the header", clip(col)), "name a header column or give a 1-based index")
			}
			continue
		}
		if idx >= len(fields) {
			return nil, bad(line, fmt.Sprintf("the line has %d columns, fewer than column %d", len(fields), idx+1), "")
		}
		s, err := parseSample(fields[idx])
		if err != nil {
			if rows == 1 && col != "" {
				continue // a header row
			}
			return nil, bad(line, err.Error(), `write a duration ("42ms") or a number of seconds, one per line`)
		}
		if len(out) == MaxEmpiricalSamples {
			return nil, bad(line, fmt.Sprintf("more than %d samples", MaxEmpiricalSamples), "subsample the recording")
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, bad(line+1, fmt.Sprintf("line longer than %d bytes", maxSampleLine), "")
		}
		return nil, bad(0, "read failed: "+oneLine(err.Error()), "")
	}
	if len(out) == 0 {
		return nil, bad(0, "no samples", "list recorded service times, one per line")
	}
	return out, nil
}

// sampleColumn returns the 0-based index of the column to read: 0 without
// a column, -1 for a header name still to find.
func (v *validator) sampleColumn(p, col string) (int, error) {
	if col == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(col)
	switch {
	case err != nil:
		return -1, nil
	case n < 1 || n > maxColumn:
		return 0, v.err(p+".column", fmt.Sprintf("a column index counts from 1 to %d (got %d)", maxColumn, n), "or name the column by its header")
	}
	return n - 1, nil
}

// headerIndex returns the index of the header field named name, or -1.
func headerIndex(fields []string, name string) int {
	for i, f := range fields {
		if strings.Trim(strings.TrimSpace(f), `"`) == name {
			return i
		}
	}
	return -1
}

// parseSample reads one recorded service time in seconds: a duration or a
// plain number of seconds, positive and finite.
func parseSample(s string) (float64, error) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		d, derr := sim.ParseDuration(s)
		if derr != nil {
			return 0, fmt.Errorf("%q is neither a duration nor a number of seconds", clip(s))
		}
		f = d.Seconds()
	}
	if !(f > 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("service time %q must be positive and finite", clip(s))
	}
	return f, nil
}

// SamplesWriter writes the file of an empirical service-time distribution
// (service.time: {dist: empirical, path: FILE}) as the loader reads it:
// one duration per line, to the nanosecond.
type SamplesWriter struct {
	w    io.Writer
	line []byte
}

// NewSamplesWriter returns a SamplesWriter writing to w.
func NewSamplesWriter(w io.Writer) *SamplesWriter { return &SamplesWriter{w: w} }

// Add writes one service time, in seconds.
func (s *SamplesWriter) Add(seconds float64) error {
	s.line = append(append(s.line[:0], sim.FromSeconds(seconds).String()...), '\n')
	_, err := s.w.Write(s.line)
	return err
}
