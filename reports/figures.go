package reports

import (
	"strconv"
	"strings"
)

// figureRow is one line of the human-readable reports (table, markdown): a
// label and one formatted value per strategy. A section row has a label
// and no values; sub marks a figure listed under a section.
type figureRow struct {
	label   string
	section bool
	sub     bool
	values  []string
}

// figureSpec is how one figure is labelled and formatted; a spec without a
// value function is a section heading.
type figureSpec struct {
	label string
	sub   bool
	value func(s *StrategySummary) string
}

// figureSpecs lists the figures of the human-readable reports, in order.
func figureSpecs() []figureSpec {
	return []figureSpec{
		{label: "type", value: func(s *StrategySummary) string { return s.Type }},
		{label: "requests"},
		{sub: true, label: "arrived", value: func(s *StrategySummary) string { return fmtCount(s.Requests.Arrived) }},
		{sub: true, label: "completed", value: func(s *StrategySummary) string { return fmtCount(s.Requests.Completed) }},
		{sub: true, label: "rejected", value: func(s *StrategySummary) string { return fmtCount(s.Requests.Rejected) }},
		{sub: true, label: "timed out", value: func(s *StrategySummary) string { return fmtCount(s.Requests.TimedOut) }},
		{sub: true, label: "dropped", value: func(s *StrategySummary) string { return fmtCount(s.Requests.Dropped) }},
		{sub: true, label: "in flight at end", value: func(s *StrategySummary) string { return fmtCount(s.Requests.InFlightAtEnd) }},
		{label: "latency (ms)"},
		{sub: true, label: "mean", value: func(s *StrategySummary) string { return fmtSig3(s.LatencyMS.Mean) }},
		{sub: true, label: "p50", value: func(s *StrategySummary) string { return fmtSig3(s.LatencyMS.P50) }},
		{sub: true, label: "p90", value: func(s *StrategySummary) string { return fmtSig3(s.LatencyMS.P90) }},
		{sub: true, label: "p99", value: func(s *StrategySummary) string { return fmtSig3(s.LatencyMS.P99) }},
		{sub: true, label: "p99.9", value: func(s *StrategySummary) string { return fmtSig3(s.LatencyMS.P999) }},
		{sub: true, label: "max", value: func(s *StrategySummary) string { return fmtSig3(s.LatencyMS.Max) }},
		{label: "throughput (req/s)"},
		{sub: true, label: "mean", value: func(s *StrategySummary) string { return fmtSig3(s.ThroughputRPS.Mean) }},
		{sub: true, label: "peak minute", value: func(s *StrategySummary) string { return fmtSig3(s.ThroughputRPS.PeakMinute) }},
		{label: "availability"},
		{sub: true, label: "success ratio", value: func(s *StrategySummary) string { return fmtPercent(s.Availability.SuccessRatio) }},
		{sub: true, label: "SLO attainment", value: func(s *StrategySummary) string { return fmtPercent(s.Availability.SLOAttainment) }},
		{sub: true, label: "minutes meeting SLO", value: func(s *StrategySummary) string { return fmtPercent(s.Availability.MinutesMeetingSLO) }},
		{label: "cost"},
		{sub: true, label: "total", value: func(s *StrategySummary) string { return fmtUSD(s.CostUSD.Total) }},
		{sub: true, label: "compute", value: func(s *StrategySummary) string { return fmtUSD(s.CostUSD.Compute) }},
		{sub: true, label: "load balancer", value: func(s *StrategySummary) string { return fmtUSD(s.CostUSD.LoadBalancer) }},
		{sub: true, label: "stream", value: func(s *StrategySummary) string { return fmtUSD(s.CostUSD.Stream) }},
		{sub: true, label: "per 1M completed", value: costPerMillion},
		{label: "capacity"},
		{sub: true, label: "instance-hours", value: func(s *StrategySummary) string { return fmtSig3(s.Capacity.InstanceHours) }},
		{sub: true, label: "instances min", value: func(s *StrategySummary) string { return fmtCount(int64(s.Capacity.InstancesMin)) }},
		{sub: true, label: "instances max", value: func(s *StrategySummary) string { return fmtCount(int64(s.Capacity.InstancesMax)) }},
		{sub: true, label: "mean utilisation", value: func(s *StrategySummary) string { return fmtPercent(s.Capacity.MeanUtilization) }},
		{label: "scaling actions", value: func(s *StrategySummary) string { return fmtCount(int64(s.ScalingActions)) }},
	}
}

// costPerMillion is the total cost per million completed requests, or "-"
// when nothing completed.
func costPerMillion(s *StrategySummary) string {
	if s.Requests.Completed <= 0 {
		return "-"
	}
	return fmtUSD(s.CostUSD.Total / float64(s.Requests.Completed) * 1e6)
}

// figureRows formats the figures of strategies, one value per strategy.
func figureRows(strats []StrategySummary) []figureRow {
	specs := figureSpecs()
	rows := make([]figureRow, 0, len(specs))
	for _, f := range specs {
		if f.value == nil {
			rows = append(rows, figureRow{label: f.label, section: true})
			continue
		}
		vals := make([]string, len(strats))
		for i := range strats {
			vals[i] = f.value(&strats[i])
		}
		rows = append(rows, figureRow{label: f.label, sub: f.sub, values: vals})
	}
	return rows
}

// runDescription is the one-line description of a run: seed, duration,
// warm-up, SLO and, when more than one, replications.
func runDescription(r *Result) string {
	parts := []string{
		"seed " + strconv.FormatUint(r.Seed, 10),
		"duration " + fmtSeconds(r.DurationS),
	}
	if r.WarmupS > 0 {
		parts = append(parts, "warm-up "+fmtSeconds(r.WarmupS))
	}
	if r.SLOLatencyMS > 0 {
		parts = append(parts, "SLO "+fmtSeconds(r.SLOLatencyMS/1e3))
	}
	if r.Replications > 1 {
		parts = append(parts, strconv.Itoa(r.Replications)+" replications (means)")
	}
	return strings.Join(parts, ", ")
}
