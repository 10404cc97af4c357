package workloads

import (
	"fmt"
	"io"

	"github.com/scalesim/scalesim/sim"
)

// Conversion rewrites a trace in a format that has a writer
// (Format.Writable): timestamps, every arrival instant of a trace of
// instants; counts, the arrivals per interval of any trace.
type Conversion struct {
	cfg      TraceConfig
	to       Format
	interval sim.Duration
	info     TraceInfo // when the writer needs it first: the trace as Peek describes it
}

// NewConversion prepares the conversion of the trace cfg describes to
// format to; interval is the span of one output count when to takes one
// (its Options.Interval is not Unused), else 0. For a format of counts it
// reads the trace once (Peek), for the clock of its rows and so that Rows
// can tell the output's size before anything is written.
func NewConversion(cfg TraceConfig, to string, interval sim.Duration) (*Conversion, error) {
	f, ok := LookupFormat(to)
	if !ok || !f.Writable() {
		return nil, fmt.Errorf("convert: cannot write format %q; want %s", to, orList(WritableNames()))
	}
	switch {
	case f.Options.Interval == Required && interval <= 0:
		return nil, fmt.Errorf("convert to %s: interval %v: must be > 0", to, interval)
	case f.Options.Interval == Unused && interval != 0:
		return nil, fmt.Errorf("convert to %s: interval %v: a %s file has no interval", to, interval, to)
	}
	c := &Conversion{cfg: cfg, to: f, interval: interval}
	if f.Counts() {
		info, err := Peek(cfg)
		if err != nil {
			return nil, err
		}
		c.info = info
	}
	return c, nil
}

// Rows returns how many rows Write writes at most when it is known before
// reading the trace (counts: the intervals from the first record's to the
// last's, plus one), else -1.
func (c *Conversion) Rows() int64 {
	if !c.to.Counts() {
		return -1
	}
	return int64(c.info.Span/c.interval) + 1
}

// Info returns the trace as Peek describes it when NewConversion read it
// (for a format of counts), else the zero TraceInfo.
func (c *Conversion) Info() TraceInfo { return c.info }

// Write reads the trace and writes it to w. It returns the rows written
// (arrivals, or intervals) and the trace's description.
func (c *Conversion) Write(w io.Writer) (int64, TraceInfo, error) { return c.to.write(c, w) }

// lineWriter buffers the lines of a file a writer writes.
type lineWriter struct {
	w   io.Writer
	buf []byte
}

// endLine ends the line in buf, writing the buffer out once it is large.
func (l *lineWriter) endLine() error {
	l.buf = append(l.buf, '\n')
	if len(l.buf) >= 64<<10 {
		return l.Flush()
	}
	return nil
}

// Flush writes out the lines buffered.
func (l *lineWriter) Flush() error {
	if len(l.buf) > 0 {
		_, err := l.w.Write(l.buf)
		l.buf = l.buf[:0]
		return err
	}
	return nil
}
