package workloads

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/scalesim/scalesim/sim"
)

const hintCount = "counts must be finite numbers ≥ 0"

// countsFormat is a file of counts per interval (Interval): numbers
// separated by whitespace or commas, or a CSV column (Column) whose rows
// may carry a date-time placing each count.
// CountsName is the name of the counts format, the format `scalesim trace
// convert` writes unless asked for another.
const CountsName = "counts"

func countsFormat() Format {
	return Format{Name: CountsName, Options: Options{Column: Optional, Interval: Required},
		Summary: "one count per interval",
		Written: `the arrivals in each interval of --interval, empty intervals
included, from the interval of the first record to that of the last. With
absolute times the rows are 'period,count', period the interval's start as
'YYYY-MM-DD HH:MM:SS' in UTC; otherwise 'minute,count' (or 'second,count'),
the offset of the interval from the first. A scenario replays the file with
'format: counts' and the same interval. Intervals of date-times start on
the clock (whole minutes for 1m); those of a counts trace start at its first
count, and --interval must be a multiple of its own.`,
		detect: detectCounts, counts: openCountFile, write: writeCounts}
}

// detectCounts recognises numbers separated by spaces, or a table of
// evenly spaced whole-second date-times and values (the spacing is the
// interval).
func detectCounts(s *sample) (match, sim.Duration) {
	if t := s.table(); t.counts {
		return shapeMatch, t.interval
	}
	return noMatch, 0
}

// openCountFile opens a counts file.
func openCountFile(p *traceParams) (countStream, error) {
	in, err := openInput(p.path, p.open, false)
	if err != nil {
		return nil, err
	}
	return newCountReader(in, p), nil
}

// countRow is one count of a counts trace.
type countRow struct {
	index int64   // interval position, 0 for the first row
	count float64 // arrivals recorded in the interval
	line  int
	stamp int64 // the row's date-time (Unix ns) when the file has a time column
}

// countReader reads a counts trace one count at a time. A file whose first
// line holds a comma is a CSV table: the count column is Column (default
// the last), and the first date-time column, if any, places each row's
// interval, so missing rows are intervals with no arrivals. Otherwise the
// file is numbers separated by whitespace or commas, one per interval, in
// order, on any number of lines.
type countReader struct {
	in      *traceInput
	p       *traceParams
	csv     bool
	started bool // the first row or token has been seen
	col     int  // CSV: 0-based count column
	timeCol int  // CSV: 0-based time column, -1 for none
	fields  [][]byte

	rows      int64
	t0        int64
	prevIndex int64
	prevLine  int
}

func newCountReader(in *traceInput, p *traceParams) *countReader {
	return &countReader{in: in, p: p, csv: in.firstLineHasComma(), timeCol: -1}
}

func (r *countReader) interval() int64    { return r.p.interval }
func (r *countReader) isDateTime() bool   { return r.timeCol >= 0 }
func (r *countReader) warnings() []string { return nil }

// Close closes the file.
func (r *countReader) Close() error { return r.in.Close() }

// next returns the next count. At the end it returns io.EOF, or a
// *TraceError when the file held no count.
func (r *countReader) next() (countRow, error) {
	var row countRow
	var err error
	if r.csv {
		row, err = r.nextCSV()
	} else {
		row, err = r.nextToken()
	}
	if err == io.EOF && r.rows == 0 {
		return row, r.in.fail(0, "the file is empty or holds only a header", "no records")
	}
	if err != nil {
		return row, err
	}
	if row.index > (math.MaxInt64-r.p.interval)/r.p.interval {
		return row, r.in.fail(row.line, "", "the trace is too long: interval %d ends after 292 years", row.index)
	}
	r.prevIndex, r.prevLine = row.index, row.line
	r.rows++
	return row, nil
}

func (r *countReader) nextToken() (countRow, error) {
	for {
		tok, line, err := r.in.readToken()
		if err != nil {
			return countRow{}, err
		}
		if !r.started {
			r.started = true
			header, err := r.tokenHeader(tok, line)
			if err != nil {
				return countRow{}, err
			}
			if header {
				continue
			}
		}
		c, err := r.count(tok, line)
		if err != nil {
			return countRow{}, err
		}
		return countRow{index: r.rows, count: c, line: line}, nil
	}
}

// tokenHeader checks the column choice against a plain list of numbers and
// reports whether the first token is a header name.
func (r *countReader) tokenHeader(tok []byte, line int) (bool, error) {
	if r.p.colIndex > 1 {
		return false, r.in.fail(line, "omit column, or use a CSV file", "column %d requested, but the file is a plain list of numbers", r.p.colIndex)
	}
	_, perr := strconv.ParseFloat(string(tok), 64)
	header := perr != nil && isName(tok)
	switch {
	case r.p.colName == "":
	case !header:
		return false, r.in.fail(line, "omit column, or add a header row", "column %q not found: the file has no header", r.p.colName)
	case findColumn([][]byte{tok}, r.p.colName) < 0:
		return false, r.in.fail(line, "available columns: "+columnNames([][]byte{tok}), "column %q not found in the header", r.p.colName)
	}
	return header, nil
}

func (r *countReader) nextCSV() (countRow, error) {
	for {
		line, n, err := r.in.readLine()
		if err != nil {
			return countRow{}, err
		}
		if isBlank(line) {
			continue
		}
		r.fields = splitFields(r.fields, line)
		if !r.started {
			r.started = true
			header, err := r.resolve(n)
			if err != nil {
				return countRow{}, err
			}
			if header {
				continue
			}
		}
		return r.csvRow(n)
	}
}

// resolve picks the count column from the first row and reports whether
// that row is a header.
func (r *countReader) resolve(n int) (bool, error) {
	switch {
	case r.p.colName != "":
		i := findColumn(r.fields, r.p.colName)
		if i < 0 {
			return false, r.in.fail(n, "available columns: "+columnNames(r.fields), "column %q not found in the header", r.p.colName)
		}
		r.col = i
		return true, nil
	case r.p.colIndex > 0:
		r.col = r.p.colIndex - 1
	default:
		r.col = len(r.fields) - 1
	}
	if r.col < len(r.fields) {
		f := r.fields[r.col]
		if _, err := strconv.ParseFloat(string(f), 64); err != nil && isName(f) {
			return true, nil
		}
	}
	return false, nil
}

// csvRow reads the count and, if there is a time column, the interval of
// the split row on line n.
func (r *countReader) csvRow(n int) (countRow, error) {
	if r.col >= len(r.fields) {
		return countRow{}, r.in.fail(n, "", "the row has %d fields; column %d requested", len(r.fields), r.col+1)
	}
	c, err := r.count(r.fields[r.col], n)
	if err != nil {
		return countRow{}, err
	}
	row := countRow{index: r.rows, count: c, line: n}
	if r.rows == 0 {
		for i, f := range r.fields {
			if _, ok := parseDateTime(f); ok && i != r.col {
				r.timeCol = i
				break
			}
		}
	}
	if r.timeCol < 0 {
		return row, nil
	}
	if r.timeCol >= len(r.fields) {
		return countRow{}, r.in.fail(n, "", "the row has %d fields; the time is in column %d", len(r.fields), r.timeCol+1)
	}
	f := r.fields[r.timeCol]
	ts, ok := parseDateTime(f)
	if !ok {
		return countRow{}, r.in.fail(n, hintTimestamp, "cannot parse %q as a date-time", f)
	}
	if r.rows == 0 {
		r.t0 = ts
	}
	d, ok := sub(ts, r.t0)
	iv := r.p.interval
	idx := d/iv + b2i(d%iv >= (iv+1)/2)
	if !ok || d < 0 || r.rows > 0 && idx <= r.prevIndex {
		return countRow{}, r.in.fail(n, "rows must be in increasing time order, one per interval",
			"time %q is not in a later interval than line %d's", f, r.prevLine)
	}
	row.index, row.stamp = idx, ts
	return row, nil
}

// count parses and checks one count.
func (r *countReader) count(b []byte, line int) (float64, error) {
	c, err := strconv.ParseFloat(string(b), 64)
	switch {
	case err != nil:
		return 0, r.in.fail(line, hintCount, "cannot parse %q as a count", b)
	case math.IsNaN(c) || math.IsInf(c, 0):
		return 0, r.in.fail(line, hintCount, "count %q is not a finite number", b)
	case c < 0:
		return 0, r.in.fail(line, hintCount, "count %q is negative", b)
	case c > maxCount:
		return 0, r.in.fail(line, hintCount, "count %q exceeds the limit of %g per interval", b, float64(maxCount))
	}
	return c, nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// countSource replays a counts trace: interval i is a Poisson process at
// rate count_i·RateScale/Interval over [i·Interval, (i+1)·Interval) of
// trace time, cut to the window and stretched by TimeScale.
type countSource struct {
	p   *traceParams
	rng *rand.Rand
	r   countStream

	started, done bool
	err           error

	now   sim.Time // last arrival or interval start
	frac  float64  // sub-nanosecond part of now
	until sim.Time // end of the current interval (sim time)
	nsPer float64  // mean gap in the current interval, ns; 0 = none
}

// Next returns the next arrival.
func (s *countSource) Next() (sim.Time, bool) {
	if s.done {
		return 0, false
	}
	if !s.started {
		s.started = true
		r, err := openCounts(s.p)
		if err != nil {
			s.stop(err)
			return 0, false
		}
		s.r = r
	}
	for {
		if s.nsPer > 0 {
			g := s.rng.ExpFloat64()*s.nsPer + s.frac
			if g < float64(s.until-s.now) {
				whole := math.Floor(g)
				s.now += sim.Time(whole)
				s.frac = g - whole
				return s.now, true
			}
		}
		if !s.advance() {
			return 0, false
		}
	}
}

// advance moves to the next interval with arrivals in the window.
func (s *countSource) advance() bool {
	for {
		row, err := s.r.next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			s.stop(err)
			return false
		}
		iv := s.r.interval()
		lo, hi := row.index*iv, row.index*iv+iv
		if !s.p.beforeEnd(lo) {
			s.stop(nil)
			return false
		}
		lo = max(lo, s.p.start)
		if s.p.end > 0 {
			hi = min(hi, s.p.end)
		}
		if hi <= lo || row.count == 0 {
			continue
		}
		a, b := s.p.simAt(lo), s.p.simAt(hi)
		if b <= a {
			continue
		}
		s.now, s.frac, s.until = a, 0, b
		s.nsPer = float64(iv) * s.p.timeScale / (row.count * s.p.rateScale)
		return true
	}
}

// stop ends the source with err (nil at a normal end).
func (s *countSource) stop(err error) {
	s.done, s.err, s.nsPer = true, err, 0
	if s.r != nil {
		_ = s.r.Close()
	}
}

// Err returns the *TraceError that stopped the replay, if any.
func (s *countSource) Err() error { return s.err }

// Close releases the file; the source then ends.
func (s *countSource) Close() error {
	s.done, s.started = true, true
	if s.r == nil {
		return nil
	}
	return s.r.Close()
}

// Warnings returns notes on the trace (a partial cloudwatch export), one
// line each; nil when nothing.
func (s *countSource) Warnings() []string {
	if s.r == nil {
		return nil
	}
	return s.r.warnings()
}

// CountsWriter writes a counts CSV: the arrivals of consecutive intervals
// of one width, a row each, under a header. With date-times the rows are
// "period,count", period the interval's start as "YYYY-MM-DD HH:MM:SS"
// in UTC (with the fraction of a second when it has one); otherwise
// "minute,count" (or "second,count" when the width is not whole minutes),
// the interval's offset from the first in those units. Read back as counts
// with the same Interval it gives the same counts. Flush writes out the
// end of the file.
type CountsWriter struct {
	lineWriter
	dateTime bool
	unit     sim.Duration // relative times: minutes or seconds
	first    int64
	rows     int64
}

// NewCountsWriter starts a counts CSV of intervals of width on w; dateTime
// says the starts Write takes are date-times (ns since the Unix epoch).
func NewCountsWriter(w io.Writer, dateTime bool, width sim.Duration) *CountsWriter {
	c := &CountsWriter{lineWriter: lineWriter{w: w}, dateTime: dateTime, unit: sim.Second}
	switch {
	case dateTime:
		c.buf = append(c.buf, "period,count\n"...)
	case width%sim.Minute == 0:
		c.unit = sim.Minute
		c.buf = append(c.buf, "minute,count\n"...)
	default:
		c.buf = append(c.buf, "second,count\n"...)
	}
	return c
}

// Write appends the count of the interval starting at start (ns), the
// interval after the previous one.
func (c *CountsWriter) Write(start int64, n float64) error {
	if c.rows == 0 {
		c.first = start
	}
	c.rows++
	if c.dateTime {
		t := time.Unix(0, start).UTC()
		if t.Nanosecond() == 0 {
			c.buf = t.AppendFormat(c.buf, time.DateTime)
		} else {
			c.buf = t.AppendFormat(c.buf, "2006-01-02 15:04:05.999999999")
		}
	} else {
		c.buf = strconv.AppendFloat(c.buf, float64(start-c.first)/float64(c.unit), 'f', -1, 64)
	}
	c.buf = append(c.buf, ',')
	c.buf = strconv.AppendFloat(c.buf, n, 'f', -1, 64)
	return c.endLine()
}

// Rows returns the number of rows written so far.
func (c *CountsWriter) Rows() int64 { return c.rows }

// writeCounts converts a trace to a counts CSV of the conversion's
// interval.
func writeCounts(c *Conversion, w io.Writer) (int64, TraceInfo, error) {
	cw := NewCountsWriter(w, c.info.DateTime, c.interval)
	if _, err := Bin(c.cfg, c.interval, cw.Write); err != nil {
		return 0, TraceInfo{}, err
	}
	if err := cw.Flush(); err != nil {
		return 0, TraceInfo{}, fmt.Errorf("write counts: %w", err)
	}
	return cw.Rows(), c.info, nil
}
