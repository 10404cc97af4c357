package workloads

import (
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

// Trace limits, checked by New and Peek.
const (
	maxRateScale = 1e9  // largest rate_scale
	maxCount     = 1e12 // largest count of one interval in a counts trace
	maxColumn    = 1 << 16
)

// traceParams is a checked TraceConfig.
type traceParams struct {
	path      string
	format    string
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

// formatList names the trace formats for messages.
const formatList = "timestamps, counts, alb or cloudwatch"

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

// checkTrace validates a trace description. withCut also checks the replay
// settings (scales and window), which Peek ignores.
func checkTrace(tc *TraceConfig, withCut bool) (*traceParams, error) {
	if tc == nil {
		return nil, errors.New("trace: no trace description (path, format)")
	}
	p := &traceParams{path: tc.Path, format: tc.Format, open: tc.Open,
		interval: int64(tc.Interval), rateScale: tc.RateScale, timeScale: tc.TimeScale,
		start: int64(tc.Start), end: int64(tc.End), strict: tc.Strict}
	if p.path == "" {
		return nil, errors.New("trace: no path")
	}
	if err := p.setSource(tc); err != nil {
		return nil, err
	}
	switch p.format {
	case "timestamps", "alb":
	case "counts":
		if p.interval <= 0 {
			return nil, fmt.Errorf("trace %s: interval %v: a counts trace needs an interval > 0", p.path, tc.Interval)
		}
	case "cloudwatch":
		if p.interval < 0 {
			return nil, fmt.Errorf("trace %s: interval %v: must be > 0, or 0 to take the datapoints' period", p.path, tc.Interval)
		}
	case "":
		return nil, fmt.Errorf("trace %s: no format; want %s", p.path, formatList)
	default:
		return nil, fmt.Errorf("trace %s: unsupported format %q; want %s", p.path, p.format, formatList)
	}
	col := strings.TrimSpace(tc.Column)
	p.column = col
	if n, err := strconv.Atoi(col); err == nil {
		if n < 1 || n > maxColumn {
			return nil, fmt.Errorf("trace %s: column %d: a column index counts from 1", p.path, n)
		}
		p.colIndex = n
	} else {
		p.colName = col
	}
	if !withCut {
		return p, nil
	}
	if p.rateScale == 0 {
		p.rateScale = 1
	}
	if p.timeScale == 0 {
		p.timeScale = 1
	}
	if math.IsNaN(p.rateScale) || p.rateScale < 0 || p.rateScale > maxRateScale {
		return nil, fmt.Errorf("trace %s: rate_scale %v: must be a number in (0, %g]", p.path, tc.RateScale, maxRateScale)
	}
	if math.IsNaN(p.timeScale) || math.IsInf(p.timeScale, 0) || p.timeScale < 0 {
		return nil, fmt.Errorf("trace %s: time_scale %v: must be a finite number > 0", p.path, tc.TimeScale)
	}
	if p.start < 0 || p.end < 0 || p.end != 0 && p.end <= p.start {
		return nil, fmt.Errorf("trace %s: window start %v, end %v: need 0 ≤ start < end (end 0 = to the end)", p.path, tc.Start, tc.End)
	}
	return p, nil
}

// newTrace builds a replay source; it does no I/O.
func newTrace(tc *TraceConfig, rng *rand.Rand) (Source, error) {
	p, err := checkTrace(tc, true)
	if err != nil {
		return nil, err
	}
	if p.format == "counts" || p.format == "cloudwatch" {
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
