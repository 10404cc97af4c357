package workloads

import (
	"encoding/binary"
	"math"
	"strconv"
)

// Timestamp parsing, without allocation. A trace timestamp is either a
// date-time, returned as nanoseconds since the Unix epoch (UTC unless the
// value carries a zone), or a plain number of seconds, returned as
// nanoseconds. Date-times must fall between the years 1678 and 2261, where
// nanoseconds since 1970 fit in an int64.

const hintTimestamp = "use RFC 3339, YYYY-MM-DD HH:MM:SS[.frac] (UTC unless zoned) or seconds as a number"

// parseStamp parses a date-time or a number of seconds.
func parseStamp(b []byte) (ns int64, dateTime, ok bool) {
	if ns, ok := parseDateTime(b); ok {
		return ns, true, true
	}
	ns, ok = parseSeconds(b)
	return ns, false, ok
}

// stampCache parses timestamps of the one form ALB logs use (and `trace
// convert --to timestamps` writes), "2006-01-02T15:04:05.000000Z",
// remembering the minute of the last one: consecutive lines share it, so
// most take parsing six digits and two. Any other form is refused, for
// parseStamp to decide; what it accepts, it reads as parseDateTime does
// (FuzzStampCache).
type stampCache struct {
	minute [2]uint64 // the first 16 bytes, "2006-01-02T15:04"
	base   int64     // ns at that minute
	ok     bool
}

func (c *stampCache) parse(b []byte) (int64, bool) {
	if len(b) != 27 || b[10] != 'T' || b[16] != ':' || b[19] != '.' || b[26] != 'Z' {
		return 0, false
	}
	sec, ok1 := digits(b[17:19])
	frac, ok2 := digits(b[20:26])
	if !ok1 || !ok2 || sec > 60 {
		return 0, false
	}
	within := sec*1e9 + frac*1000
	m0, m1 := binary.LittleEndian.Uint64(b[0:8]), binary.LittleEndian.Uint64(b[8:16])
	if c.ok && m0 == c.minute[0] && m1 == c.minute[1] {
		return c.base + within, true
	}
	ns, ok := parseDateTime(b)
	if !ok {
		return 0, false
	}
	c.minute, c.base, c.ok = [2]uint64{m0, m1}, ns-within, true
	return ns, true
}

// parseDateTime parses "YYYY-MM-DD{T| }HH:MM:SS[.frac][ ][Z|UTC|±HH[:MM]]".
// Fractions beyond nanoseconds are truncated.
func parseDateTime(b []byte) (int64, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	if c := b[10]; c != 'T' && c != 't' && c != ' ' {
		return 0, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 23 || minute > 59 || sec > 60 || year < 1678 || year > 2261 {
		return 0, false
	}
	i := 19
	var nanos int64
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		scale := int64(100_000_000)
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			nanos += int64(b[i]-'0') * scale
			scale /= 10
		}
		if i == start {
			return 0, false
		}
	}
	offset, ok := parseZone(b[i:])
	if !ok {
		return 0, false
	}
	secs := daysFromCivil(year, month, day)*86400 + hour*3600 + minute*60 + sec - offset
	if secs > math.MaxInt64/1_000_000_000-1 || secs < math.MinInt64/1_000_000_000+1 {
		return 0, false
	}
	return secs*1e9 + nanos, true
}

// parseZone parses an optional zone suffix and returns its offset east of
// UTC in seconds.
func parseZone(b []byte) (int64, bool) {
	if len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	switch {
	case len(b) == 0 || string(b) == "Z" || string(b) == "z" || string(b) == "UTC":
		return 0, true
	case b[0] != '+' && b[0] != '-':
		return 0, false
	}
	sign := int64(1)
	if b[0] == '-' {
		sign = -1
	}
	b = b[1:]
	var hh, mm int64
	var ok bool
	switch {
	case len(b) == 2:
		hh, ok = digits(b)
	case len(b) == 4:
		hh, ok = digits(b[:2])
		if ok {
			mm, ok = digits(b[2:])
		}
	case len(b) == 5 && b[2] == ':':
		hh, ok = digits(b[:2])
		if ok {
			mm, ok = digits(b[3:])
		}
	}
	if !ok || hh > 23 || mm > 59 {
		return 0, false
	}
	return sign * (hh*3600 + mm*60), true
}

// digits parses a short run of decimal digits.
func digits(b []byte) (int64, bool) {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, len(b) > 0
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// maxSeconds bounds plain-number timestamps so nanoseconds fit in an int64.
const maxSeconds = 9_000_000_000

// parseSeconds parses a plain number of seconds ("12", "-3.5", "1e3") into
// nanoseconds: decimal forms exactly, exponent forms through float64.
func parseSeconds(b []byte) (int64, bool) {
	if ns, ok := parseDecimal(b); ok {
		return ns, true
	}
	for _, c := range b { // no "inf", "nan", hex or underscores
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) >= maxSeconds {
		return 0, false
	}
	return int64(math.Round(f * 1e9)), true
}

// parseDecimal parses [+-]digits[.digits] seconds exactly into nanoseconds,
// truncating beyond nanoseconds.
func parseDecimal(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	var whole, nanos int64
	i, nd := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		whole = whole*10 + int64(b[i]-'0')
		if nd++; whole >= maxSeconds {
			return 0, false
		}
	}
	if i < len(b) && b[i] == '.' {
		i++
		scale := int64(100_000_000)
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			nanos += int64(b[i]-'0') * scale
			scale /= 10
			nd++
		}
	}
	if i != len(b) || nd == 0 {
		return 0, false
	}
	ns := whole*1e9 + nanos
	if neg {
		ns = -ns
	}
	return ns, true
}
