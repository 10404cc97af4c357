package reports

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scalesim/scalesim/sim"
)

// renderSigDigits is the precision of every float in machine-readable
// output (JSON, CSV): rounded to 6 significant digits at render time.
const renderSigDigits = 6

// roundSig rounds x to digits significant digits. Zero (including -0),
// NaN and infinities are returned as they are, except that -0 becomes 0.
func roundSig(x float64, digits int) float64 {
	if x == 0 {
		return 0
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	if err != nil {
		return x
	}
	return r
}

// formatFloat formats x rounded to renderSigDigits, without an exponent.
func formatFloat(x float64) string {
	return strconv.FormatFloat(roundSig(x, renderSigDigits), 'f', -1, 64)
}

// groupThousands inserts commas into the integer part of a decimal number
// such as "-1234567.89".
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + intPart + frac
	}
	var b strings.Builder
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	return sign + b.String() + frac
}

// fmtCount formats a count with thousand separators: 10,080,000.
func fmtCount(n int64) string { return groupThousands(strconv.FormatInt(n, 10)) }

// fmtFixed formats x with dec decimals and thousand separators.
func fmtFixed(x float64, dec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = s[1:]
	}
	return groupThousands(s)
}

// fmtSig3 formats x to 3 significant digits for people, without an
// exponent and with thousand separators: 0.123, 12.3, 1,230.
func fmtSig3(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return fmtFixed(x, 0)
	}
	r := roundSig(x, 3)
	dec := max(0, 3-(int(math.Floor(math.Log10(math.Abs(r))))+1))
	return fmtFixed(r, dec)
}

// fmtPercent formats a ratio as a percentage with 2 decimals; a ratio below
// 1 that would print as 100.00% prints as >99.99% so that failures never
// vanish in rounding.
func fmtPercent(ratio float64) string {
	s := fmtFixed(ratio*100, 2)
	if s == "100.00" && ratio < 1 {
		return ">99.99%"
	}
	return s + "%"
}

// fmtUSD formats dollars: 2 decimals from $1, 3 significant digits below.
func fmtUSD(x float64) string {
	if math.Abs(x) >= 1 || x == 0 {
		return "$" + fmtFixed(x, 2)
	}
	return "$" + fmtSig3(x)
}

// fmtSeconds formats a span given in seconds compactly: 8h, 1h30m, 10m, 2d.
func fmtSeconds(sec float64) string {
	s := sim.FromSeconds(sec).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// truncate shortens s to at most n runes, ending with "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// truncateMiddle shortens s to at most n runes by replacing its middle with
// "…", keeping both ends (names often differ only at the end).
func truncateMiddle(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// FormatFixed formats x with dec decimals and thousand separators, as the
// table does; the HTML report and the charts use it too.
func FormatFixed(x float64, dec int) string { return fmtFixed(x, dec) }

// FormatSig3 formats x to 3 significant digits with thousand separators.
func FormatSig3(x float64) string { return fmtSig3(x) }

// FormatPercent formats a ratio as a percentage with 2 decimals, never
// rounding a failure up to 100.00%.
func FormatPercent(ratio float64) string { return fmtPercent(ratio) }

// FormatUSD formats dollars: 2 decimals from $1, 3 significant digits below.
func FormatUSD(x float64) string { return fmtUSD(x) }

// FormatSeconds formats a span given in seconds compactly, as the tables
// do: 45s, 1m30s, 10m, 1h30m.
func FormatSeconds(sec float64) string { return fmtSeconds(sec) }

// FormatClock formats a time since the start of the run as hh:mm, or
// hh:mm:ss when it is not on a whole minute, as the narrative does.
func FormatClock(t sim.Time) string { return clockAt(t) }

// GroupThousands inserts commas into the integer part of a decimal number.
func GroupThousands(s string) string { return groupThousands(s) }
