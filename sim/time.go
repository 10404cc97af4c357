package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Time is an instant of simulated time in nanoseconds since the start of a run.
type Time int64

// Duration is a span of simulated time in nanoseconds.
type Duration int64

// Common durations.
const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
	Day                  = 24 * Hour
)

// Never is a Time later than any run's horizon.
const Never Time = math.MaxInt64

// Add returns t+d.
func (t Time) Add(d Duration) Time { return t + Time(d) }

// Sub returns the duration t-u.
func (t Time) Sub(u Time) Duration { return Duration(t - u) }

// Seconds returns t as floating-point seconds since the start of the run.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// Seconds returns d as floating-point seconds.
func (d Duration) Seconds() float64 { return float64(d) / 1e9 }

// Milliseconds returns d as floating-point milliseconds.
func (d Duration) Milliseconds() float64 { return float64(d) / 1e6 }

// String formats d like time.Duration, with whole days as "d".
func (d Duration) String() string {
	if d >= Day && d%Day == 0 {
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	}
	return time.Duration(d).String()
}

// String formats t as an offset from the start of the run.
func (t Time) String() string { return Duration(t).String() }

// FromSeconds converts floating-point seconds to a Duration, rounding to the
// nearest nanosecond and saturating at the int64 range.
func FromSeconds(s float64) Duration {
	ns := math.Round(s * 1e9)
	switch {
	case math.IsNaN(ns):
		return 0
	case ns >= math.MaxInt64:
		return Duration(math.MaxInt64)
	case ns <= math.MinInt64:
		return Duration(math.MinInt64)
	}
	return Duration(ns)
}

// ParseDuration parses Go duration syntax ("90s", "1h30m") plus whole or
// fractional days ("2d", "1.5d", "1d12h").
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var days Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n < 0 && s[0] != '-' {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		if math.Abs(n) > 1e6 {
			return 0, fmt.Errorf("duration %q out of range", s)
		}
		days = FromSeconds(n * 86400)
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	return days + Duration(d), nil
}

// Hours returns d as floating-point hours.
func (d Duration) Hours() float64 { return float64(d) / 3.6e12 }
