package workloads

import (
	"bytes"
	"errors"
	"io/fs"

	"github.com/scalesim/scalesim/sim"
)

// detectRows is how many data rows DetectFormat looks at, at most.
const detectRows = 200

// DetectFormat guesses a trace's format from its beginning (the first 64
// KiB, decompressed), for tools that take a file without its format:
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
	if p.fsys != nil {
		st, err := fs.Stat(p.fsys, p.name)
		if err != nil {
			return "", 0, openError(p.path, err)
		}
		if st.IsDir() {
			return "alb", 0, nil
		}
	}
	in, err := openInput(p.path, p.open, false)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	head, _ := in.br.Peek(readBufBytes)
	lines := bytes.Split(head, []byte("\n"))
	if len(head) == readBufBytes && len(lines) > 1 {
		lines = lines[:len(lines)-1] // a partial last line
	}
	var rows [][]byte
	for _, l := range lines {
		if l = trimEOL(l); !isBlank(l) {
			rows = append(rows, l)
		}
		if len(rows) == detectRows {
			break
		}
	}
	undecided := &TraceError{File: p.path, Msg: "cannot tell the trace's format",
		Hint: "give it: timestamps, counts, alb or cloudwatch"}
	if len(rows) == 0 {
		return "", 0, &TraceError{File: p.path, Msg: "the file is empty", Hint: undecided.Hint}
	}
	first := bytes.TrimSpace(rows[0])
	if first[0] == '{' {
		return "cloudwatch", 0, nil
	}
	if looksALB(rows[0]) {
		return "alb", 0, nil
	}
	return detectTable(rows, undecided)
}

// looksALB reports whether a line reads as an ALB access-log line.
func looksALB(line []byte) bool {
	fields, reason := splitALB(nil, line, albNeed)
	if reason != "" {
		return false
	}
	_, _, reason = albArrival(fields)
	return reason == ""
}

// detectTable tells timestamps from counts in a CSV or a list of numbers.
func detectTable(rows [][]byte, undecided *TraceError) (string, sim.Duration, error) {
	fields := splitFields(nil, rows[0])
	if len(fields) == 1 && len(bytes.Fields(rows[0])) > 1 {
		return "counts", 0, nil // numbers separated by spaces
	}
	data := rows
	if hasName(fields) {
		data = rows[1:]
	}
	if len(data) == 0 {
		return "", 0, undecided
	}
	fields = splitFields(nil, data[0])
	tcol := -1
	for i, f := range fields {
		if _, ok := parseDateTime(f); ok {
			tcol = i
			break
		}
	}
	if tcol < 0 {
		undecided.Msg = "cannot tell timestamps in seconds from counts"
		return "", 0, undecided
	}
	if len(fields) == 1 {
		return "timestamps", 0, nil
	}
	var stamps []int64
	for _, r := range data {
		f := splitFields(nil, r)
		if tcol >= len(f) {
			break
		}
		ns, ok := parseDateTime(f[tcol])
		if !ok || len(f[tcol]) > 19 && f[tcol][19] == '.' {
			return "timestamps", 0, nil // fractional seconds: arrival times
		}
		stamps = append(stamps, ns)
	}
	if iv, ok := evenSpacing(stamps); ok {
		return "counts", sim.Duration(iv), nil
	}
	return "timestamps", 0, nil
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
