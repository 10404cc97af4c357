package workloads

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// maxCount is the largest count of one interval in a counts trace.
const maxCount = 1e12

// traceParams is a checked TraceConfig.
type traceParams struct {
	path      string
	format    Format
	colName   string // header name of the chosen column, or ""
	colIndex  int    // 1-based index of the chosen column, or 0
	interval  int64  // counts: ns
	rateScale float64
	timeScale float64
	start     int64  // trace ns
	end       int64  // trace ns; 0 = no end
	column    string // Column as given, trimmed (cloudwatch: metric or statistic)
	strict    bool
	open      func() (io.ReadCloser, error)
	fsys      fs.FS  // with name: where the trace lives, when read through an fs.FS
	name      string // path in fsys
}

// setSource records how the trace is opened: Open, or a path in FS.
func (p *traceParams) setSource(tc *TraceConfig) error {
	if p.open != nil {
		return nil
	}
	if tc.FS == nil {
		return errors.New("trace " + p.path + ": no way to open it (TraceConfig.Open and FS are nil)")
	}
	name := tc.Name
	if name == "" {
		name = tc.Path
	}
	if !fs.ValidPath(name) {
		return fmt.Errorf("trace %s: %q is not a valid path in the file system given (TraceConfig.Name)", p.path, name)
	}
	fsys := tc.FS
	p.fsys, p.name = fsys, name
	p.open = func() (io.ReadCloser, error) { return fsys.Open(name) }
	return nil
}

// checkTrace validates a trace description (CheckTrace, options set when
// not zero) and resolves it into the parameters the readers use.
func checkTrace(tc *TraceConfig) (*traceParams, error) {
	if tc == nil {
		return nil, errors.New("trace: no trace description (path, format)")
	}
	if tc.Path == "" {
		return nil, errors.New("trace: no path")
	}
	if err := CheckTrace(*tc, nil); err != nil {
		return nil, err
	}
	f, _ := LookupFormat(tc.Format)
	p := &traceParams{path: tc.Path, format: f, open: tc.Open, interval: int64(tc.Interval),
		rateScale: cmp.Or(tc.RateScale, 1), timeScale: cmp.Or(tc.TimeScale, 1),
		start: int64(tc.Start), end: int64(tc.End), strict: tc.Strict}
	if err := p.setSource(tc); err != nil {
		return nil, err
	}
	p.column = strings.TrimSpace(tc.Column)
	if n, err := strconv.Atoi(p.column); err == nil {
		p.colIndex = n
	} else {
		p.colName = p.column
	}
	return p, nil
}

// newTrace builds a replay source; it does no I/O.
func newTrace(tc *TraceConfig, rng *rand.Rand) (Source, error) {
	p, err := checkTrace(tc)
	if err != nil {
		return nil, err
	}
	if p.format.Counts() {
		return &countSource{p: p, rng: rng}, nil
	}
	return &stampSource{p: p, rng: rng}, nil
}

// simAt maps trace time (ns since the first record) to simulated time:
// the window's start becomes 0 and TimeScale stretches. It is monotone.
func (p *traceParams) simAt(traceNs int64) sim.Time {
	d := traceNs - p.start
	if p.timeScale == 1 {
		return sim.Time(d)
	}
	x := math.Round(float64(d) * p.timeScale)
	if x >= float64(sim.Never) {
		return sim.Never
	}
	return sim.Time(x)
}

// beforeEnd reports whether trace time traceNs is before the window's end.
func (p *traceParams) beforeEnd(traceNs int64) bool {
	return p.end == 0 || traceNs < p.end
}

// sub returns a-b, failing on overflow.
func sub(a, b int64) (int64, bool) {
	d := a - b
	if (b > 0 && d > a) || (b < 0 && d < a) {
		return 0, false
	}
	return d, true
}
