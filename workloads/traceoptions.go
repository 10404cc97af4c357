package workloads

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// Limits of a trace's options, checked by CheckTrace.
const (
	// MaxScale is the largest RateScale and TimeScale.
	MaxScale = 1e6
	// MaxColumn is the largest 1-based column index.
	MaxColumn = 1 << 16
	// MaxTraceInterval is the longest Interval.
	MaxTraceInterval = sim.Day
)

// The keys of a trace's options, as a scenario file writes them. An
// *OptionError names one.
const (
	KeyFormat    = "format"
	KeyColumn    = "column"
	KeyInterval  = "interval"
	KeyStrict    = "strict"
	KeyRateScale = "rate_scale"
	KeyTimeScale = "time_scale"
	KeyStart     = "start"
	KeyEnd       = "end"
)

// OptionError is a problem with one option of a TraceConfig: its key
// (KeyFormat, KeyInterval, ...), what is wrong and what to do, so that a
// scenario can report it at the key's line and the CLI at its flag.
type OptionError struct {
	File string // the trace's Path, for Error
	Key  string
	Msg  string
	Hint string
}

// Error renders the problem as "trace FILE: KEY: MSG; HINT".
func (e *OptionError) Error() string {
	var b strings.Builder
	b.WriteString("trace ")
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	b.WriteString(e.Key + ": " + e.Msg)
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

// CheckTrace is the one validator of a trace's options: the format, the
// options it takes or refuses (Column, Interval, Strict: see Options), the
// replay's scales and window. given reports whether the option of a key
// was set (a scenario knows the keys its file holds); nil takes an option
// as set when it is not its zero value. An unset RateScale or TimeScale is
// 1. Path and the way to open the file are not checked. A problem is an
// *OptionError.
func CheckTrace(cfg TraceConfig, given func(key string) bool) error {
	if given == nil {
		given = cfg.nonZero
	}
	f, ok := LookupFormat(cfg.Format)
	switch {
	case cfg.Format == "":
		return &OptionError{File: cfg.Path, Key: KeyFormat, Msg: "required", Hint: "want " + orList(FormatNames())}
	case !ok:
		return &OptionError{File: cfg.Path, Key: KeyFormat, Msg: fmt.Sprintf("unknown trace format %q", cfg.Format),
			Hint: "want " + orList(FormatNames())}
	}
	for _, check := range []func(Format, *TraceConfig, func(string) bool) *OptionError{
		checkColumn, checkInterval, checkStrict, checkScales, checkWindow,
	} {
		if e := check(f, &cfg, given); e != nil {
			e.File = cfg.Path
			return e
		}
	}
	return nil
}

// nonZero reports whether the option of key is not its zero value.
func (c *TraceConfig) nonZero(key string) bool {
	switch key {
	case KeyFormat:
		return c.Format != ""
	case KeyColumn:
		return strings.TrimSpace(c.Column) != ""
	case KeyInterval:
		return c.Interval != 0
	case KeyStrict:
		return c.Strict
	case KeyRateScale:
		return c.RateScale != 0
	case KeyTimeScale:
		return c.TimeScale != 0
	case KeyStart:
		return c.Start != 0
	case KeyEnd:
		return c.End != 0
	}
	return false
}

// unused is the problem of an option set for a format that does not take
// it; why says what the others do without it, or "".
func unused(f Format, key string, takes func(Options) Need, why string) *OptionError {
	users := formatNames(func(g Format) bool { return takes(g.Options) != Unused })
	return &OptionError{Key: key, Msg: "not used by format " + f.Name,
		Hint: "only used with format " + orList(users) + why + "; remove it"}
}

func checkColumn(f Format, c *TraceConfig, given func(string) bool) *OptionError {
	if !given(KeyColumn) {
		return nil
	}
	if f.Options.Column == Unused {
		return unused(f, KeyColumn, func(o Options) Need { return o.Column }, "")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(c.Column)); err == nil && (n < 1 || n > MaxColumn) {
		return &OptionError{Key: KeyColumn, Msg: fmt.Sprintf("a column index counts from 1 to %d (got %d)", MaxColumn, n),
			Hint: "or name the column by its header"}
	}
	return nil
}

func checkInterval(f Format, c *TraceConfig, given func(string) bool) *OptionError {
	set := given(KeyInterval)
	switch need := f.Options.Interval; {
	case need == Required && !set:
		return &OptionError{Key: KeyInterval, Msg: "required",
			Hint: "a " + f.Name + " trace needs the span of one count, e.g. interval: 1m"}
	case !set:
		return nil
	case need == Unused:
		return unused(f, KeyInterval, func(o Options) Need { return o.Interval }, "")
	case need == Required && c.Interval <= 0:
		return &OptionError{Key: KeyInterval, Msg: fmt.Sprintf("must be > 0 (got %v)", c.Interval), Hint: `write a positive duration, e.g. "30s"`}
	case c.Interval < 0: // optional: 0 leaves it to the file
		return &OptionError{Key: KeyInterval, Msg: fmt.Sprintf("must be ≥ 0 (got %v)", c.Interval), Hint: "remove the minus sign"}
	case c.Interval > MaxTraceInterval:
		return &OptionError{Key: KeyInterval, Msg: fmt.Sprintf("must be at most %v (got %v)", MaxTraceInterval, c.Interval),
			Hint: "that is the simulator's limit"}
	}
	return nil
}

func checkStrict(f Format, _ *TraceConfig, given func(string) bool) *OptionError {
	if f.Options.Strict == Unused && given(KeyStrict) {
		return unused(f, KeyStrict, func(o Options) Need { return o.Strict }, " (other formats always stop at a malformed line)")
	}
	return nil
}

func checkScales(_ Format, c *TraceConfig, given func(string) bool) *OptionError {
	for _, s := range []struct {
		key string
		v   float64
	}{{KeyRateScale, c.RateScale}, {KeyTimeScale, c.TimeScale}} {
		if given(s.key) && !(s.v > 0 && s.v <= MaxScale) {
			return &OptionError{Key: s.key, Msg: fmt.Sprintf("must be > 0 and at most %s (got %s)", num(MaxScale), num(s.v)),
				Hint: "1 replays the trace as recorded"}
		}
	}
	return nil
}

func checkWindow(_ Format, c *TraceConfig, _ func(string) bool) *OptionError {
	for _, s := range []struct {
		key string
		d   sim.Duration
	}{{KeyStart, c.Start}, {KeyEnd, c.End}} {
		if s.d < 0 {
			return &OptionError{Key: s.key, Msg: fmt.Sprintf("must be ≥ 0 (got %v)", s.d), Hint: "remove the minus sign"}
		}
	}
	if c.End != 0 && c.End <= c.Start {
		return &OptionError{Key: KeyEnd, Msg: fmt.Sprintf("must be after start (got start %v, end %v)", c.Start, c.End),
			Hint: "0 plays the trace to its end"}
	}
	return nil
}

// num formats a number for messages.
func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
