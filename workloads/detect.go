package workloads

import (
	"bytes"
	"cmp"
	"errors"
	"io/fs"
	"slices"

	"github.com/scalesim/scalesim/sim"
)

// detectRows is how many data rows DetectFormat looks at, at most.
const detectRows = 200

// DetectFormat guesses a trace's format from its beginning (the first 64
// KiB, decompressed), for tools that take a file without its format. Each
// format's detector looks at it; a signature no other format has (a
// directory, for the format that reads directories; JSON; an ALB log line)
// beats a shape (a table of numbers or date-times):
//   - a directory (through FS) is alb;
//   - JSON (a first '{') is cloudwatch;
//   - a line of at least 22 space-separated fields whose 2nd and 22nd are
//     ISO 8601 date-times is alb;
//   - several numbers on one line, with no date-time, are counts (interval
//     unknown);
//   - a CSV whose rows hold a date-time and another value is counts when
//     the date-times are whole seconds, increasing and evenly spaced (the
//     interval is the spacing, maybe with missing rows), and timestamps
//     otherwise; a single column of date-times is timestamps.
//
// One number per line could be timestamps in seconds or counts: it returns
// an error asking for the format. The interval is 0 unless inferred.
// cfg.Format and cfg.Column are ignored.
func DetectFormat(cfg TraceConfig) (format string, interval sim.Duration, err error) {
	p := &traceParams{path: cfg.Path, open: cfg.Open}
	if p.path == "" {
		return "", 0, errors.New("trace: no path")
	}
	if err := p.setSource(&cfg); err != nil {
		return "", 0, err
	}
	hint := "give it: " + orList(FormatNames())
	if p.fsys != nil {
		st, err := fs.Stat(p.fsys, p.name)
		if err != nil {
			return "", 0, openError(p.path, err)
		}
		if st.IsDir() {
			if i := slices.IndexFunc(Formats(), func(f Format) bool { return f.Options.Dir }); i >= 0 {
				return Formats()[i].Name, 0, nil
			}
		}
	}
	s, err := readSample(p)
	if err != nil {
		return "", 0, err
	}
	if len(s.rows) == 0 {
		return "", 0, &TraceError{File: p.path, Msg: "the file is empty", Hint: hint}
	}
	best, bestMatch, bestIv := "", noMatch, sim.Duration(0)
	for _, f := range Formats() {
		if m, iv := f.detect(s); m > bestMatch {
			best, bestMatch, bestIv = f.Name, m, iv
		}
	}
	if bestMatch == noMatch {
		return "", 0, &TraceError{File: p.path, Msg: cmp.Or(s.table().why, "cannot tell the trace's format"), Hint: hint}
	}
	return best, bestIv, nil
}

// match is how well a trace's beginning reads as a format.
type match int

const (
	noMatch        match = iota
	shapeMatch           // its shape: a table of numbers or date-times
	signatureMatch       // a mark no other format has: JSON, an ALB log line
)

// sample is a file's beginning, as DetectFormat shows it to each format's
// detector.
type sample struct {
	rows  [][]byte    // the first non-blank lines, at most detectRows
	shape *tableShape // rows read as a table, worked out once
}

// readSample reads the first non-blank lines of a file.
func readSample(p *traceParams) (*sample, error) {
	in, err := openInput(p.path, p.open, false)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	head, _ := in.br.Peek(readBufBytes)
	lines := bytes.Split(head, []byte("\n"))
	if len(head) == readBufBytes && len(lines) > 1 {
		lines = lines[:len(lines)-1] // a partial last line
	}
	s := &sample{}
	for _, l := range lines {
		if l = trimEOL(l); !isBlank(l) {
			s.rows = append(s.rows, l)
		}
		if len(s.rows) == detectRows {
			break
		}
	}
	return s, nil
}

// tableShape is what a sample read as a table holds: counts (with their
// interval, when the rows are evenly spaced date-times) or timestamps; or
// neither, and why when it can say.
type tableShape struct {
	counts, stamps bool
	interval       sim.Duration
	why            string
}

// table reads the sample as a CSV or a list of numbers.
func (s *sample) table() tableShape {
	if s.shape == nil {
		t := readTable(s.rows)
		s.shape = &t
	}
	return *s.shape
}

// readTable tells timestamps from counts in a CSV or a list of numbers.
func readTable(rows [][]byte) tableShape {
	fields := splitFields(nil, rows[0])
	if len(fields) == 1 && len(bytes.Fields(rows[0])) > 1 {
		return tableShape{counts: true} // numbers separated by spaces
	}
	data := rows
	if hasName(fields) {
		data = rows[1:]
	}
	if len(data) == 0 {
		return tableShape{}
	}
	fields = splitFields(nil, data[0])
	tcol := slices.IndexFunc(fields, func(f []byte) bool { _, ok := parseDateTime(f); return ok })
	switch {
	case tcol < 0:
		return tableShape{why: "cannot tell timestamps in seconds from counts"}
	case len(fields) == 1:
		return tableShape{stamps: true}
	}
	var stamps []int64
	for _, r := range data {
		f := splitFields(nil, r)
		if tcol >= len(f) {
			break
		}
		ns, ok := parseDateTime(f[tcol])
		if !ok || len(f[tcol]) > 19 && f[tcol][19] == '.' {
			return tableShape{stamps: true} // fractional seconds: arrival times
		}
		stamps = append(stamps, ns)
	}
	if iv, ok := evenSpacing(stamps); ok {
		return tableShape{counts: true, interval: sim.Duration(iv)}
	}
	return tableShape{stamps: true}
}

// hasName reports whether a row holds a field that is neither a number nor
// a date-time: a header.
func hasName(fields [][]byte) bool {
	for _, f := range fields {
		if _, _, ok := parseStamp(f); !ok && isName(f) {
			return true
		}
	}
	return false
}

// evenSpacing returns the smallest gap between increasing times when it is
// at least a second and every gap is a multiple of it.
func evenSpacing(ts []int64) (int64, bool) {
	if len(ts) < 2 {
		return 0, false
	}
	gap := int64(-1)
	for i := 1; i < len(ts); i++ {
		d := ts[i] - ts[i-1]
		if d <= 0 {
			return 0, false
		}
		if gap < 0 || d < gap {
			gap = d
		}
	}
	if gap < int64(sim.Second) {
		return 0, false
	}
	for i := 1; i < len(ts); i++ {
		if (ts[i]-ts[i-1])%gap != 0 {
			return 0, false
		}
	}
	return gap, true
}
