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

// timestampsFormat is a file of arrival times: one per line, or one CSV
// column (Column), each an RFC 3339 or "YYYY-MM-DD HH:MM:SS[.frac]"
// date-time or a number of seconds.
func timestampsFormat() Format {
	return Format{Name: "timestamps", Options: Options{Column: Optional},
		Summary: "one arrival per line or CSV row",
		Written: `from an ALB log (or a timestamps file), the arrival of every
request in order, one per line under a 'time' header: RFC 3339 in UTC to
the microsecond (to the nanosecond when a time needs it), or seconds for a
trace of plain seconds. A scenario replays it with 'format: timestamps' and
gets the same arrivals as from the log, read several times faster: convert
once to sweep many times. It keeps no client address, URL or other field
of the log.`,
		detect: detectTimestamps, instants: openStamps, write: writeTimestamps}
}

// detectTimestamps recognises a table of date-times that are not evenly
// spaced whole seconds.
func detectTimestamps(s *sample) (match, sim.Duration) {
	if s.table().stamps {
		return shapeMatch, 0
	}
	return noMatch, 0
}

// openStamps opens a timestamps file, read ahead.
func openStamps(p *traceParams) (instantStream, error) {
	in, err := openInput(p.path, p.open, true)
	if err != nil {
		return nil, err
	}
	return newStampReader(in, p), nil
}

// stampReader reads a timestamps trace one record at a time: it finds the
// column, skips a header row, parses each value and checks the order.
type stampReader struct {
	in       *traceInput
	p        *traceParams
	col      int // 0-based column; -1 until the first row is seen
	fields   [][]byte
	dateTime bool // the first value was a date-time; all must be
	cache    stampCache
	prev     int64
	prevLine int
	records  int64
}

func newStampReader(in *traceInput, p *traceParams) *stampReader {
	return &stampReader{in: in, p: p, col: -1}
}

// fail builds a *TraceError at line of the file.
func (r *stampReader) fail(line int, hint, format string, args ...any) *TraceError {
	return r.in.fail(line, hint, format, args...)
}

func (r *stampReader) isDateTime() bool   { return r.dateTime }
func (r *stampReader) warnings() []string { return nil }

// Close closes the file.
func (r *stampReader) Close() error { return r.in.Close() }

// next returns the next record's timestamp (ns) and line. At the end it
// returns io.EOF, or a *TraceError when the file held no record.
func (r *stampReader) next() (int64, int, error) {
	for {
		line, n, err := r.in.readLine()
		if err == io.EOF && r.records == 0 {
			return 0, 0, r.in.fail(0, "the file is empty or holds only a header", "no records")
		}
		if err != nil {
			return 0, n, err
		}
		if isBlank(line) {
			continue
		}
		r.fields = splitFields(r.fields, line)
		if r.col < 0 {
			header, err := r.resolve(n)
			if err != nil {
				return 0, n, err
			}
			if header {
				continue
			}
		}
		if r.col >= len(r.fields) {
			return 0, n, r.in.fail(n, "", "the row has %d fields; column %d requested", len(r.fields), r.col+1)
		}
		ns, err := r.check(r.fields[r.col], n)
		if err != nil {
			return 0, n, err
		}
		r.prev, r.prevLine = ns, n
		r.records++
		return ns, n, nil
	}
}

// check parses one value and checks it against the previous one.
func (r *stampReader) check(f []byte, n int) (int64, error) {
	ns, ok := r.cache.parse(f) // RFC 3339 to the microsecond, as convert writes
	dt := ok
	if !ok {
		ns, dt, ok = parseStamp(f)
	}
	switch {
	case !ok:
		return 0, r.in.fail(n, hintTimestamp, "cannot parse %q as a timestamp", f)
	case r.records == 0:
		r.dateTime = dt
	case dt != r.dateTime:
		return 0, r.in.fail(n, "use one form for every timestamp", "%q mixes date-times and plain seconds", f)
	case ns < r.prev:
		return 0, r.in.fail(n, "sort the file by time", "timestamp %q is earlier than the one on line %d", f, r.prevLine)
	}
	return ns, nil
}

// resolve picks the column from the first row and reports whether that row
// is a header.
func (r *stampReader) resolve(n int) (bool, error) {
	if r.p.colName != "" {
		i := findColumn(r.fields, r.p.colName)
		if i < 0 {
			return false, r.in.fail(n, "available columns: "+columnNames(r.fields), "column %q not found in the header", r.p.colName)
		}
		r.col = i
		return true, nil
	}
	r.col = max(r.p.colIndex-1, 0)
	if r.col < len(r.fields) {
		f := r.fields[r.col]
		if _, _, ok := parseStamp(f); !ok && isName(f) {
			return true, nil
		}
	}
	return false, nil
}

// stampSource replays a timestamps trace. Trace time is measured from the
// first record; records before the window's start are skipped and the
// source ends at the first record at or after its end. With a rate scale k,
// each record yields floor(k) arrivals, plus one with probability frac(k);
// the first sits on the record, the others are spread uniformly between it
// and the next record (drawn as ordered uniforms, so the output stays
// sorted). After the last record of the file they stay on the record.
type stampSource struct {
	p   *traceParams
	rng *rand.Rand
	r   instantStream

	started, done bool
	err           error

	first   int64    // timestamp of the file's first record
	ahead   sim.Time // the next record in the window, when aheadOK
	aheadOK bool
	atEnd   bool  // the next record lies past the window's end
	pending error // error met reading ahead, reported after the records before it

	cur       sim.Time // the record being replayed
	extras    int64    // its copies still to place
	pos, span float64  // ordered-uniform cursor over [0, span) ns after cur
}

// Next returns the next arrival.
func (s *stampSource) Next() (sim.Time, bool) {
	if s.done {
		return 0, false
	}
	if !s.started {
		s.started = true
		if !s.open() {
			return 0, false
		}
	}
	for {
		if s.extras > 0 {
			return s.extra(), true
		}
		if !s.aheadOK {
			s.stop(s.pending)
			return 0, false
		}
		s.cur = s.ahead
		s.readAhead()
		n := s.copies()
		if n == 0 {
			continue
		}
		s.extras, s.pos, s.span = n-1, 0, float64(s.upper()-s.cur)
		return s.cur, true
	}
}

// open opens the file and reads the first record in the window.
func (s *stampSource) open() bool {
	r, err := openInstants(s.p)
	if err != nil {
		s.stop(err)
		return false
	}
	s.r = r
	first, _, err := s.r.next()
	if err != nil {
		s.stop(err)
		return false
	}
	s.first = first
	if s.p.start == 0 {
		s.ahead, s.aheadOK = s.p.simAt(0), true
		return true
	}
	s.readAhead()
	return true
}

// readAhead reads the next record in the window into ahead.
func (s *stampSource) readAhead() {
	s.aheadOK = false
	for {
		ns, line, err := s.r.next()
		if err != nil {
			if err != io.EOF {
				s.pending = err
			}
			_ = s.r.Close()
			return
		}
		tau, ok := sub(ns, s.first)
		if !ok {
			s.pending = s.r.fail(line, "", "the trace spans more than 292 years")
			_ = s.r.Close()
			return
		}
		if tau < s.p.start {
			continue
		}
		if !s.p.beforeEnd(tau) {
			s.atEnd = true
			_ = s.r.Close()
			return
		}
		s.ahead, s.aheadOK = s.p.simAt(tau), true
		return
	}
}

// copies draws how many arrivals the current record yields.
func (s *stampSource) copies() int64 {
	k := s.p.rateScale
	if k == 1 {
		return 1
	}
	whole, frac := math.Modf(k)
	n := int64(whole)
	if frac > 0 && s.rng.Float64() < frac {
		n++
	}
	return n
}

// upper is the end of the span the current record's copies spread over.
func (s *stampSource) upper() sim.Time {
	switch {
	case s.aheadOK:
		return s.ahead
	case s.atEnd:
		return s.p.simAt(s.p.end)
	}
	return s.cur
}

// extra places the next copy: the smallest of the remaining copies'
// uniform positions in [pos, span).
func (s *stampSource) extra() sim.Time {
	v := 1 - s.rng.Float64() // (0, 1]
	s.pos += (s.span - s.pos) * (1 - math.Pow(v, 1/float64(s.extras)))
	s.extras--
	return s.cur + sim.Time(s.pos)
}

// stop ends the source with err (nil at a normal end).
func (s *stampSource) stop(err error) {
	s.done, s.err, s.extras = true, err, 0
	if s.r != nil {
		_ = s.r.Close()
	}
}

// Err returns the *TraceError that stopped the replay, if any.
func (s *stampSource) Err() error { return s.err }

// Close releases the file; the source then ends.
func (s *stampSource) Close() error {
	s.done, s.started = true, true
	if s.r == nil {
		return nil
	}
	return s.r.Close()
}

// Warnings returns what the replay skipped or moved so far (malformed or
// late lines of an alb log), one line each; nil when nothing.
func (s *stampSource) Warnings() []string {
	if s.r == nil {
		return nil
	}
	return s.r.warnings()
}

// TimestampsWriter writes a timestamps file: a "time" header, then one
// arrival per line, an RFC 3339 date-time in UTC to the microsecond (to
// the nanosecond when an arrival needs it), or, for a trace of plain
// seconds, seconds to the nanosecond. Read back as timestamps it gives the
// same instants. Flush writes out the end of the file.
type TimestampsWriter struct {
	lineWriter
}

// NewTimestampsWriter starts a timestamps file on w.
func NewTimestampsWriter(w io.Writer) *TimestampsWriter {
	return &TimestampsWriter{lineWriter{w: w, buf: []byte("time\n")}}
}

// Write appends one arrival, in ns since the Unix epoch when dateTime (the
// same for every arrival of a file), else since 0 s.
func (s *TimestampsWriter) Write(ns int64, dateTime bool) error {
	if dateTime {
		layout := "2006-01-02T15:04:05.000000Z07:00"
		if ns%1000 != 0 {
			layout = "2006-01-02T15:04:05.000000000Z07:00"
		}
		s.buf = time.Unix(0, ns).UTC().AppendFormat(s.buf, layout)
		return s.endLine()
	}
	u := uint64(ns)
	if ns < 0 {
		s.buf = append(s.buf, '-')
		u = -u
	}
	s.buf = strconv.AppendUint(s.buf, u/1e9, 10)
	s.buf = append(s.buf, '.')
	frac := strconv.AppendUint(nil, 1e9+u%1e9, 10)
	s.buf = append(s.buf, frac[1:]...)
	return s.endLine()
}

// writeTimestamps converts a trace of instants to a timestamps file.
func writeTimestamps(c *Conversion, w io.Writer) (int64, TraceInfo, error) {
	tw := NewTimestampsWriter(w)
	info, err := Instants(c.cfg, tw.Write)
	if err != nil {
		return 0, TraceInfo{}, err
	}
	if err := tw.Flush(); err != nil {
		return 0, TraceInfo{}, fmt.Errorf("write timestamps: %w", err)
	}
	return info.Records, info, nil
}
