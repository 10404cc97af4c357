package html

import (
	"math"

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
	return reports.FormatUSD(s.CostUSD.Total / float64(s.Requests.Completed) * 1e6)
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
		return reports.FormatFixed(math.Round(v), 0)
	case kindPercent:
		return reports.FormatPercent(v)
	case kindUSD:
		return reports.FormatUSD(v)
	}
	return reports.FormatSig3(v)
}

// formatSpread formats a half-width or a difference of a figure of kind k:
// a ratio in percentage points, money in dollars, anything else to three
// significant digits.
func formatSpread(k kind, v float64) string {
	switch k {
	case kindPercent:
		return reports.FormatSig3(v*100) + " pp"
	case kindUSD:
		if v < 0 {
			return "−" + reports.FormatUSD(-v)
		}
		return reports.FormatUSD(v)
	}
	if v < 0 {
		return "−" + reports.FormatSig3(-v)
	}
	return reports.FormatSig3(v)
}
