package workloads

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// AWS Application Load Balancer access logs (docs/aws-behaviour.md §3.7): one
// request per line, space-separated fields with some in double quotes, in
// the documented order; AWS appends new fields over time, so fields after
// the ones read are ignored. The arrival is request_creation_time (when the
// ALB received the request). A line whose timing fields are -1 (the request
// could not be dispatched, or the target closed the connection or timed
// out) is still an arrival: the request reached the load balancer.
//
// Each ALB node writes a file every 5 minutes, in the order requests
// finished (the time field), so arrivals within a file are slightly out of
// order, and files of different nodes overlap in time. The reader merges
// them in arrival order without holding a whole file: per file, a reorder
// buffer keeps the arrivals of the last ALBReorderWindow of log time (by
// the time field) and releases the earliest once the log has moved on by
// that much; across files, a k-way merge opens a file only when the merge
// reaches its first arrival (found by a first pass that reads one line of
// each file). Memory is about 8 bytes per request in one window of
// traffic, whatever the log's length. A request that lasted longer than
// the window (a WebSocket, say) reaches the buffer after later arrivals
// were released: it is replayed at the latest arrival released before it,
// counted, and reported by the warnings.
//
// Reading is the cost of a replay, so it is spread over three goroutines:
// one per open file decompresses it ahead (blockReader), one splits,
// parses, reorders and merges (albStream, through albAhead), and the run
// takes the arrivals in batches. The parser's fast path finds the two
// timestamps of a usual line with a few byte searches, and reuses what
// repeats from the line before (the TLS and target-group fields, the
// domain and certificate, the minute of each timestamp).

// ALBReorderWindow is how far, in log time, an ALB log's arrivals may be
// out of order and still be replayed exactly: requests that lasted longer
// are replayed late (and reported). The default ALB idle timeout is 60 s
// (docs/aws-behaviour.md §3.5), so only long-lived connections exceed it.
const ALBReorderWindow = 5 * sim.Minute

// Fields of an ALB log line, counted from 0.
const (
	albTime       = 1  // time: when the response was sent (ISO 8601, UTC)
	albRequestPT  = 5  // request_processing_time, seconds or -1
	albTargetPT   = 6  // target_processing_time, seconds or -1
	albResponsePT = 7  // response_processing_time, seconds or -1
	albCreated    = 21 // request_creation_time: when the ALB received the request
	albNeed       = 22 // fields read: through request_creation_time
)

// Limits of ALB reading.
const (
	maxALBFiles  = 1 << 20 // files in a log directory
	maxNotedLine = 5       // malformed lines named in a warning
)

// albTestFile is the file AWS writes when access logging is enabled; it
// holds no requests.
const albTestFile = "ELBAccessLogTestFile"

const hintALBStrict = "fix or remove the line; without strict, malformed lines are skipped and reported"

// albFormat is AWS ALB access logs: a file, or a directory of the files S3
// delivered, plain or gzipped.
func albFormat() Format {
	return Format{Name: "alb", Options: Options{Strict: Optional, Dir: true},
		Summary: "AWS ALB access logs: a file, or a directory of the files S3 delivered, plain or gzipped",
		detect:  detectALB, instants: openALBAhead, serviceTimes: albServiceTimes}
}

// detectALB recognises an ALB log line.
func detectALB(s *sample) (match, sim.Duration) {
	fields, reason := splitALB(nil, s.rows[0], albNeed)
	if reason == "" {
		if _, _, reason = albArrival(fields); reason == "" {
			return signatureMatch, 0
		}
	}
	return noMatch, 0
}

// openALBAhead opens an ALB trace, parsed and merged ahead.
func openALBAhead(p *traceParams) (instantStream, error) {
	s, err := openALB(p)
	if err != nil {
		return nil, err
	}
	return readAheadALB(s), nil
}

// splitALB appends to dst the first need fields of an ALB log line,
// without the quotes of quoted fields. Fields are separated by single
// spaces (two spaces hold an empty field); a quoted field starts with a
// quote and ends at a quote followed by a space or the end of the line.
// It returns a reason when the line has fewer fields or an unterminated
// quote.
func splitALB(dst [][]byte, line []byte, need int) ([][]byte, string) {
	dst = dst[:0]
	i := 0 // start of the next field; len(line)+1 once the line is used up
	for len(dst) < need {
		if i > len(line) {
			return dst, fmt.Sprintf("%d fields, want at least %d (through request_creation_time)", len(dst), need)
		}
		if i == len(line) || line[i] != '"' {
			k := bytes.IndexByte(line[i:], ' ')
			if k < 0 {
				k = len(line) - i
			}
			dst = append(dst, line[i:i+k])
			i += k + 1
			continue
		}
		j := i + 1
		for {
			k := bytes.IndexByte(line[j:], '"')
			if k < 0 {
				return dst, fmt.Sprintf("field %d: unterminated quoted field", len(dst)+1)
			}
			j += k
			if j+1 == len(line) || line[j+1] == ' ' {
				break
			}
			j++
		}
		dst = append(dst, line[i+1:j])
		i = j + 2
	}
	return dst, ""
}

// albParser parses ALB log lines. Lines of the usual shape go through a
// fast path that finds the two timestamps without splitting the line,
// remembering what repeats from line to line; any other line goes to the
// general splitter, which decides. The fast path accepts a line only when
// its answer is the splitter's (FuzzALBFastPath checks this).
type albParser struct {
	fields        [][]byte
	done, created stampCache
	mid           []byte // the last line's fields 14-16 with their spaces (cipher, protocol, target group)
	tail          []byte // the last line's fields 18-19 with their spaces (domain, certificate)
}

// parse returns a line's arrival and time field, or why it is malformed.
func (ps *albParser) parse(line []byte) (arrival, done int64, reason string) {
	if a, d, ok := ps.fast(line); ok {
		return a, d, ""
	}
	return ps.slow(line)
}

// slow is parse by the general splitter.
func (ps *albParser) slow(line []byte) (arrival, done int64, reason string) {
	ps.fields, reason = splitALB(ps.fields, line, albNeed)
	if reason != "" {
		return 0, 0, reason
	}
	return albArrival(ps.fields)
}

// fast reads a line whose fields are separated by single spaces, whose
// time and request_creation_time are of the form AWS writes
// (2006-01-02T15:04:05.000000Z, or "-" for the latter) and whose quoted
// fields hold no quote followed by a space; ok is false for any other
// line. Fields 0-11 are unquoted, 12 and 13 quoted, 14-16 unquoted, 17-19
// quoted, 20 and 21 unquoted.
func (ps *albParser) fast(line []byte) (arrival, done int64, ok bool) {
	s := bytes.IndexByte(line, ' ') // end of field 0
	if s < 1 || line[0] == '"' || len(line) < s+29 || line[s+28] != ' ' {
		return 0, 0, false
	}
	if done, ok = ps.done.parse(line[s+1 : s+28]); !ok {
		return 0, 0, false
	}
	// Fields 2-11, each ended by a space, then the quoted 12 and 13.
	t := s + 29
	q := bytes.IndexByte(line[t:], '"')
	if q < 1 || line[t+q-1] != ' ' || bytes.Count(line[t:t+q], sp) != 10 {
		return 0, 0, false
	}
	e := closeQuotes(line, t+q, 2)
	if e < 0 || e >= len(line) {
		return 0, 0, false
	}
	// Fields 14-16: usually the bytes of the line before.
	m := line[e+1:]
	k := len(ps.mid)
	if k == 0 || len(m) <= k || m[k] != '"' || string(m[:k]) != string(ps.mid) {
		k = bytes.IndexByte(m, '"')
		if k < 1 || m[k-1] != ' ' || bytes.Count(m[:k], sp) != 3 {
			return 0, 0, false
		}
		ps.mid = append(ps.mid[:0], m[:k]...)
	}
	// Field 17 (trace ID) quoted; 18 and 19 quoted, usually the bytes of
	// the line before; 20 unquoted, then 21.
	e = closeQuotes(line, e+1+k, 1)
	if e < 0 || e >= len(line) {
		return 0, 0, false
	}
	m = line[e:]
	k = len(ps.tail)
	if k == 0 || len(m) < k || string(m[:k]) != string(ps.tail) {
		k = closeQuotes(m, 1, 2)
		if k < 0 || k >= len(m) {
			return 0, 0, false
		}
		k++
		ps.tail = append(ps.tail[:0], m[:k]...)
	}
	r := m[k:]
	a := bytes.IndexByte(r, ' ')
	if a < 0 || r[0] == '"' {
		return 0, 0, false
	}
	c := r[a+1:]
	switch {
	case len(c) > 0 && c[0] == '-' && (len(c) == 1 || c[1] == ' '):
		return done, done, true
	case len(c) >= 27 && (len(c) == 27 || c[27] == ' '):
		arrival, ok = ps.created.parse(c[:27])
		return arrival, done, ok
	}
	return 0, 0, false
}

var sp = []byte(" ")

// closeQuotes skips n consecutive quoted fields, the first opening at
// line[q], and returns the index just after the last one's closing quote
// (a space, or the line's end); -1 when they are not of the plain shape.
func closeQuotes(line []byte, q, n int) int {
	for f := range n {
		if q >= len(line) || line[q] != '"' {
			return -1
		}
		c := bytes.IndexByte(line[q+1:], '"')
		if c < 0 {
			return -1
		}
		end := q + c + 2
		if end < len(line) && line[end] != ' ' {
			return -1
		}
		if f == n-1 {
			return end
		}
		q = end + 1
	}
	return -1
}

// albArrival reads the arrival (request_creation_time, or time when that
// is "-") and the time field of a split line.
func albArrival(fields [][]byte) (arrival, done int64, reason string) {
	done, ok := parseDateTime(fields[albTime])
	if !ok {
		return 0, 0, fmt.Sprintf("time %q is not an ISO 8601 date-time", clipBytes(fields[albTime]))
	}
	if f := fields[albCreated]; len(f) == 1 && f[0] == '-' {
		return done, done, ""
	}
	arrival, ok = parseDateTime(fields[albCreated])
	if !ok {
		return 0, 0, fmt.Sprintf("request_creation_time %q is not an ISO 8601 date-time", clipBytes(fields[albCreated]))
	}
	return arrival, done, ""
}

// clipBytes shortens a value quoted in a message.
func clipBytes(b []byte) string {
	const n = 40
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// albFile is one log file of an ALB trace, read through its reorder
// buffer.
type albFile struct {
	name    string // for messages
	fsName  string // path in the FS; "" for the single file of Open
	lower   int64  // no arrival of the file (but late ones) is earlier
	in      *traceInput
	q       *reorder
	maxDone int64 // the latest time field read
	eof     bool
	head    int64 // the next arrival, while the file is live
}

// albNotes collects what an ALB read skipped or moved, for the warnings.
type albNotes struct {
	path      string
	malformed int64
	first     []string // "file:line (reason)" of the first malformed lines
	late      int64
}

func (n *albNotes) warnings() []string {
	var out []string
	if n.malformed > 0 {
		s := "s"
		if n.malformed == 1 {
			s = ""
		}
		msg := fmt.Sprintf("%s: skipped %d malformed ALB log line%s: %s", n.path, n.malformed, s, strings.Join(n.first, "; "))
		if n.malformed > int64(len(n.first)) {
			msg += "; ..."
		}
		out = append(out, msg+" (strict makes them an error)")
	}
	if n.late > 0 {
		out = append(out, fmt.Sprintf("%s: %d request(s) lasted longer than the %v reorder window (long-lived connections?) and were replayed late, at the latest arrival before them",
			n.path, n.late, ALBReorderWindow))
	}
	return out
}

// albStream merges the files of an ALB trace in arrival order.
type albStream struct {
	p       *traceParams
	pending []*albFile // not opened yet, by lower bound
	live    []*albFile // open, a min-heap by head
	spare   []*reorder
	ps      albParser
	notes   albNotes

	frontier int64 // the last arrival returned
	records  int64
	last     *albFile // the file of the last arrival returned
	err      error    // met while reading ahead; returned after the arrival before it
}

// openALB lists an ALB trace's files and finds where each starts.
func openALB(p *traceParams) (*albStream, error) {
	s := &albStream{p: p, notes: albNotes{path: p.path}}
	names, dir, err := albFiles(p)
	if err != nil {
		return nil, err
	}
	if !dir {
		s.pending = []*albFile{{name: p.path, lower: math.MinInt64}}
		return s, nil
	}
	for _, n := range names {
		f := &albFile{name: displayName(p, n), fsName: n}
		if err := s.findLower(f); err != nil {
			return nil, err
		}
		s.pending = append(s.pending, f)
	}
	slices.SortStableFunc(s.pending, func(a, b *albFile) int { return cmp.Compare(a.lower, b.lower) })
	return s, nil
}

// albFiles lists the log files of a trace read through an FS directory,
// in lexical order; dir is false when the trace is a single file.
func albFiles(p *traceParams) (names []string, dir bool, err error) {
	if p.fsys == nil {
		return nil, false, nil
	}
	st, err := fs.Stat(p.fsys, p.name)
	if err != nil {
		return nil, false, openError(p.path, err)
	}
	if !st.IsDir() {
		return nil, false, nil
	}
	err = fs.WalkDir(p.fsys, p.name, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if name != p.name && strings.HasPrefix(base, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || base == albTestFile {
			return nil
		}
		if !d.Type().IsRegular() {
			if st, err := fs.Stat(p.fsys, name); err != nil || !st.Mode().IsRegular() {
				return nil // a dangling link, a device, a socket
			}
		}
		if len(names) == maxALBFiles {
			return fmt.Errorf("more than %d files", maxALBFiles)
		}
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, true, &TraceError{File: p.path, Msg: "cannot list the log directory: " + err.Error(),
			Hint: "a directory of ALB logs holds the files S3 delivered, plain or gzipped", Err: err}
	}
	if len(names) == 0 {
		return nil, true, &TraceError{File: p.path, Msg: "no log files in the directory",
			Hint: "point path at the folder holding the .log.gz files S3 delivered"}
	}
	return names, true, nil
}

// displayName names a file below the trace directory for messages.
func displayName(p *traceParams, name string) string {
	rel := name
	if p.name != "." {
		rel = strings.TrimPrefix(name, p.name+"/")
	}
	return path.Join(p.path, rel)
}

// openError is a *TraceError for a file that cannot be opened.
func openError(file string, err error) *TraceError {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return &TraceError{File: file, Msg: "cannot open the trace: " + msg,
		Hint: "check the path (a relative path is relative to the scenario file)", Err: err}
}

// openFile opens one file of the trace, read ahead when it is to be read
// through.
func (s *albStream) openFile(f *albFile, ahead bool) (*traceInput, error) {
	if f.fsName == "" {
		return openInput(f.name, s.p.open, ahead)
	}
	fsys, name := s.p.fsys, f.fsName
	return openInput(f.name, func() (io.ReadCloser, error) { return fsys.Open(name) }, ahead)
}

// findLower reads a file up to its first valid line and sets the file's
// lower bound: no arrival in it is earlier, but for requests longer than
// the reorder window. A file with no valid line sorts last (it may still
// hold malformed lines to report); one that cannot be read sorts first, so
// its error comes before any arrival.
func (s *albStream) findLower(f *albFile) error {
	in, err := s.openFile(f, false)
	if err != nil {
		return err
	}
	defer in.Close()
	f.lower = math.MaxInt64
	for {
		line, _, err := in.readLine()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			f.lower = math.MinInt64
			return nil
		}
		if skipLine(line) {
			continue
		}
		arrival, done, reason := s.ps.parse(line)
		if reason != "" {
			continue
		}
		f.lower = min(arrival, satSub(done, int64(ALBReorderWindow)))
		return nil
	}
}

// skipLine reports whether a line is blank or a comment.
func skipLine(line []byte) bool {
	if len(line) > 0 && line[0] != ' ' && line[0] != '\t' && line[0] != '#' {
		return false
	}
	return isBlank(line)
}

// satSub returns a-b for b ≥ 0, saturating at math.MinInt64.
func satSub(a, b int64) int64 {
	if a < math.MinInt64+b {
		return math.MinInt64
	}
	return a - b
}

// next returns the next arrival in time order.
func (s *albStream) next() (int64, int, error) {
	if s.err != nil {
		return 0, 0, s.err
	}
	if err := s.openDue(); err != nil {
		return 0, 0, err
	}
	if len(s.live) == 0 {
		if s.records == 0 {
			return 0, 0, s.noRecords()
		}
		return 0, 0, io.EOF
	}
	f := s.live[0]
	at := f.head
	ok, err := s.pull(f)
	switch {
	case err != nil:
		s.err = err
		s.closeAll()
	case ok:
		s.down(0)
	default:
		s.remove(f)
	}
	if s.records > 0 && at < s.frontier {
		at = s.frontier
		s.notes.late++
	}
	s.frontier = at
	s.records++
	s.last = f
	return at, 0, nil
}

// noRecords is the error for a trace without a valid line.
func (s *albStream) noRecords() *TraceError {
	e := &TraceError{File: s.p.path, Msg: "no valid ALB log line", Hint: "the file is empty, or is not an ALB access log"}
	if s.notes.malformed > 0 {
		e.Hint = fmt.Sprintf("all %d lines are malformed, the first: %s", s.notes.malformed, s.notes.first[0])
	}
	return e
}

// openDue opens the pending files whose lower bound the merge has reached.
func (s *albStream) openDue() error {
	for len(s.pending) > 0 && (len(s.live) == 0 || s.pending[0].lower <= s.live[0].head) {
		f := s.pending[0]
		s.pending = s.pending[1:]
		in, err := s.openFile(f, true)
		if err != nil {
			return err
		}
		f.in, f.maxDone = in, math.MinInt64
		if n := len(s.spare); n > 0 {
			f.q, s.spare = s.spare[n-1], s.spare[:n-1]
		} else {
			f.q = &reorder{}
		}
		ok, err := s.pull(f)
		if err != nil {
			s.release(f)
			return err
		}
		if !ok {
			s.release(f)
			continue
		}
		s.live = append(s.live, f)
		s.up(len(s.live) - 1)
	}
	return nil
}

// pull reads a file until its earliest buffered arrival is final, and
// makes that the file's head; false when the file is exhausted.
func (s *albStream) pull(f *albFile) (bool, error) {
	window := int64(ALBReorderWindow)
	for !f.eof {
		if v, ok := f.q.front(); ok && v <= satSub(f.maxDone, window) {
			break
		}
		line, n, err := f.in.readLine()
		if err == io.EOF {
			f.eof = true
			break
		}
		if err != nil {
			return false, err
		}
		if skipLine(line) {
			continue
		}
		arrival, done, reason := s.ps.parse(line)
		if reason != "" {
			if err := s.malformed(f, n, reason); err != nil {
				return false, err
			}
			continue
		}
		if f.q.push(arrival) {
			s.notes.late++
		}
		f.maxDone = max(f.maxDone, done)
	}
	if _, ok := f.q.front(); !ok {
		return false, nil
	}
	f.head = f.q.pop()
	return true, nil
}

// malformed records a malformed line, or fails on it in strict mode.
func (s *albStream) malformed(f *albFile, line int, reason string) error {
	if s.p.strict {
		return &TraceError{File: f.name, Line: line, Msg: "malformed ALB log line: " + reason, Hint: hintALBStrict}
	}
	s.notes.malformed++
	if len(s.notes.first) < maxNotedLine {
		s.notes.first = append(s.notes.first, f.name+":"+strconv.Itoa(line)+" ("+reason+")")
	}
	return nil
}

// release closes a file and keeps its buffer for the next one.
func (s *albStream) release(f *albFile) {
	_ = f.in.Close()
	if f.q != nil {
		f.q.reset()
		s.spare = append(s.spare, f.q)
		f.q = nil
	}
}

// remove takes an exhausted file (the heap's root) out of the merge.
func (s *albStream) remove(f *albFile) {
	s.release(f)
	n := len(s.live) - 1
	s.live[0] = s.live[n]
	s.live[n] = nil
	s.live = s.live[:n]
	if n > 0 {
		s.down(0)
	}
}

func (s *albStream) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if s.live[parent].head <= s.live[i].head {
			return
		}
		s.live[parent], s.live[i] = s.live[i], s.live[parent]
		i = parent
	}
}

func (s *albStream) down(i int) {
	n := len(s.live)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && s.live[r].head < s.live[l].head {
			m = r
		}
		if s.live[i].head <= s.live[m].head {
			return
		}
		s.live[i], s.live[m] = s.live[m], s.live[i]
		i = m
	}
}

// closeAll closes every open file.
func (s *albStream) closeAll() {
	for _, f := range s.live {
		s.release(f)
	}
	s.live = s.live[:0]
	s.pending = nil
}

// fail builds a *TraceError in the file of the last arrival.
func (s *albStream) fail(line int, hint, format string, args ...any) *TraceError {
	return &TraceError{File: s.lastFile(), Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// lastFile names the file of the last arrival (the trace before any).
func (s *albStream) lastFile() string {
	if s.last != nil {
		return s.last.name
	}
	return s.p.path
}

func (s *albStream) isDateTime() bool   { return true }
func (s *albStream) warnings() []string { return s.notes.warnings() }

// Close closes the open files; next then returns io.EOF.
func (s *albStream) Close() error {
	s.closeAll()
	s.err = io.EOF
	return nil
}
