package html

import (
	"math"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/reports"
)

// kind is how a figure is formatted.
type kind int

const (
	kindCount   kind = iota // 10,080,000
	kindSig3                // three significant digits: 0.123, 12.3, 1,230
	kindPercent             // a ratio as a percentage: 99.90%
	kindUSD                 // $1.23, $0.0123
)

// figure is one row of the comparison table: its label, the JSON path of
// its value in a StrategySummary and its format, or a function deriving
// the value. A row with neither is a section heading.
type figure struct {
	label  string
	key    string
	kind   kind
	sub    bool
	derive func(s *reports.StrategySummary) string
}

// figureList is the rows of the comparison table, in the order and with
// the labels and formats of the terminal table (reports.WriteTable).
func figureList() []figure {
	return []figure{
		{label: "type", derive: func(s *reports.StrategySummary) string { return s.Type }},
		{label: "requests"},
		{label: "arrived", key: "requests.arrived", sub: true},
		{label: "completed", key: "requests.completed", sub: true},
		{label: "rejected", key: "requests.rejected", sub: true},
		{label: "timed out", key: "requests.timed_out", sub: true},
		{label: "dropped", key: "requests.dropped", sub: true},
		{label: "in flight at end", key: "requests.in_flight_at_end", sub: true},
		{label: "latency (ms)"},
		{label: "mean", key: "latency_ms.mean", kind: kindSig3, sub: true},
		{label: "p50", key: "latency_ms.p50", kind: kindSig3, sub: true},
		{label: "p90", key: "latency_ms.p90", kind: kindSig3, sub: true},
		{label: "p99", key: "latency_ms.p99", kind: kindSig3, sub: true},
		{label: "p99.9", key: "latency_ms.p999", kind: kindSig3, sub: true},
		{label: "max", key: "latency_ms.max", kind: kindSig3, sub: true},
		{label: "throughput (req/s)"},
		{label: "mean", key: "throughput_rps.mean", kind: kindSig3, sub: true},
		{label: "peak minute", key: "throughput_rps.peak_minute", kind: kindSig3, sub: true},
		{label: "availability"},
		{label: "success ratio", key: "availability.success_ratio", kind: kindPercent, sub: true},
		{label: "SLO attainment", key: "availability.slo_attainment", kind: kindPercent, sub: true},
		{label: "minutes meeting SLO", key: "availability.minutes_meeting_slo", kind: kindPercent, sub: true},
		{label: "cost"},
		{label: "total", key: "cost_usd.total", kind: kindUSD, sub: true},
		{label: "compute", key: "cost_usd.compute", kind: kindUSD, sub: true},
		{label: "load balancer", key: "cost_usd.load_balancer", kind: kindUSD, sub: true},
		{label: "stream", key: "cost_usd.stream", kind: kindUSD, sub: true},
		{label: "per 1M completed", sub: true, derive: costPerMillion},
		{label: "capacity"},
		{label: "instance-hours", key: "capacity.instance_hours", kind: kindSig3, sub: true},
		{label: "instances min", key: "capacity.instances_min", sub: true},
		{label: "instances max", key: "capacity.instances_max", sub: true},
		{label: "mean utilisation", key: "capacity.mean_utilization", kind: kindPercent, sub: true},
		{label: "scaling actions", key: "scaling_actions"},
	}
}

// isSection reports whether f is a section heading.
func (f figure) isSection() bool { return f.key == "" && f.derive == nil }

// costPerMillion is the total cost per million completed requests, or "-"
// when nothing completed.
func costPerMillion(s *reports.StrategySummary) string {
	if s.Requests.Completed <= 0 {
		return "-"
	}
	return fmtUSD(s.CostUSD.Total / float64(s.Requests.Completed) * 1e6)
}

// value formats f of s, or "-" when it has no value.
func (f figure) value(s *reports.StrategySummary) string {
	if f.derive != nil {
		return f.derive(s)
	}
	v, err := reports.Figure(*s, f.key)
	if err != nil {
		return "-"
	}
	return format(f.kind, v)
}

// format formats v as k.
func format(k kind, v float64) string {
	switch k {
	case kindCount:
		return fmtFixed(math.Round(v), 0)
	case kindPercent:
		return fmtPercent(v)
	case kindUSD:
		return fmtUSD(v)
	}
	return fmtSig3(v)
}

// formatSpread formats a half-width or a difference of a figure of kind k:
// a ratio in percentage points, money in dollars, anything else to three
// significant digits.
func formatSpread(k kind, v float64) string {
	switch k {
	case kindPercent:
		return fmtSig3(v*100) + " pp"
	case kindUSD:
		if v < 0 {
			return "−" + fmtUSD(-v)
		}
		return fmtUSD(v)
	}
	if v < 0 {
		return "−" + fmtSig3(-v)
	}
	return fmtSig3(v)
}

// The formatters below match the terminal table's, so the HTML report shows
// the same figures (a test holds them together).

// roundSig rounds x to digits significant digits.
func roundSig(x float64, digits int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	if err != nil {
		return x
	}
	return r
}

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

// fmtSig3 formats x to 3 significant digits without an exponent.
func fmtSig3(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return fmtFixed(x, 0)
	}
	r := roundSig(x, 3)
	dec := max(0, 3-(int(math.Floor(math.Log10(math.Abs(r))))+1))
	return fmtFixed(r, dec)
}

// fmtPercent formats a ratio as a percentage with 2 decimals; a ratio
// below 1 never rounds up to 100.00%.
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

// groupThousands inserts commas into the integer part of a decimal number.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if frac != "" {
		frac = "." + frac
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String() + frac
}
