package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CostPerMillionKey names the derived figure "total cost per million
// completed requests" among a comparison's deltas. It is not a field of
// StrategySummary: CompareToBaseline computes it per replication.
const CostPerMillionKey = "cost_usd.per_million_completed"

// ComparedKeys lists the figures CompareToBaseline compares, in the order
// the reports show them: latency p50/p99/p99.9, mean throughput, success
// ratio, SLO attainment, total cost and cost per million completed
// requests, instance-hours, peak instances and scaling actions.
func ComparedKeys() []string {
	return []string{
		"latency_ms.p50", "latency_ms.p99", "latency_ms.p999",
		"throughput_rps.mean",
		"availability.success_ratio", "availability.slo_attainment",
		"cost_usd.total", CostPerMillionKey,
		"capacity.instance_hours", "capacity.instances_max",
		"scaling_actions",
	}
}

// CompareToBaseline compares one strategy with the baseline replication by
// replication (Paired) on every figure of ComparedKeys: base[r] and
// other[r] come from replication r. The cost per million completed
// requests is left out when a replication of either strategy completed
// nothing (it has no value then).
func CompareToBaseline(base, other []StrategySummary) ([]Delta, error) {
	var keys []string
	for _, k := range ComparedKeys() {
		if k != CostPerMillionKey {
			keys = append(keys, k)
		}
	}
	deltas, err := Paired(base, other, keys)
	if err != nil {
		return nil, err
	}
	// The derived figure goes through Paired too: in copies whose total
	// cost is replaced by the cost per million completed.
	perMillion := func(col []StrategySummary) ([]StrategySummary, bool) {
		out := make([]StrategySummary, len(col))
		for i, s := range col {
			v, ok := costPerMillionOf(&s)
			if !ok {
				return nil, false
			}
			out[i].CostUSD.Total = v
		}
		return out, true
	}
	pb, okb := perMillion(base)
	po, oko := perMillion(other)
	if !okb || !oko {
		return deltas, nil
	}
	pm, err := Paired(pb, po, []string{"cost_usd.total"})
	if err != nil {
		return nil, err
	}
	pm[0].Key = CostPerMillionKey
	at := 0
	for i, d := range deltas {
		if d.Key == "cost_usd.total" {
			at = i + 1
		}
	}
	return append(deltas[:at], append(pm, deltas[at:]...)...), nil
}

// costPerMillionOf is the total cost per million completed requests; false
// when nothing completed.
func costPerMillionOf(s *StrategySummary) (float64, bool) {
	if s.Requests.Completed <= 0 {
		return 0, false
	}
	return s.CostUSD.Total / float64(s.Requests.Completed) * 1e6, true
}

// figureKind is how a figure is formatted for people.
type figureKind int

const (
	kindSig3    figureKind = iota // three significant digits: 0.123, 12.3, 1,230
	kindCount                     // a whole number: 10,080,000
	kindPercent                   // a ratio as a percentage: 99.90%
	kindUSD                       // $1.23, $0.0123
	kindSeconds                   // a span: 12m, 1h30m
)

// figureSpec is one line of the human-readable reports. A figure has a
// value (get, or text for a word such as the type); a spec with neither is
// a section heading. key is the figure's JSON path, which keys its 95%
// half-width and its comparison delta. better is +1 when more is better,
// -1 when less is, 0 when neither (it colours significant deltas).
type figureSpec struct {
	label  string
	sub    bool
	key    string
	kind   figureKind
	better int
	get    func(s *StrategySummary) (float64, bool)
	text   func(s *StrategySummary) string
	// show, if set, decides from the result whether the row appears.
	show func(r *Result) bool
}

// field returns a getter of a plain numeric figure.
func field(f func(s *StrategySummary) float64) func(s *StrategySummary) (float64, bool) {
	return func(s *StrategySummary) (float64, bool) { return f(s), true }
}

// figureSpecs lists the figures of the human-readable reports, in order.
func figureSpecs() []figureSpec {
	fig := func(label, key string, kind figureKind, better int, f func(s *StrategySummary) float64) figureSpec {
		return figureSpec{label: label, sub: true, key: key, kind: kind, better: better, get: field(f)}
	}
	section := func(label string) figureSpec { return figureSpec{label: label} }
	return []figureSpec{
		{label: "type", text: func(s *StrategySummary) string { return s.Type }},
		{label: "warm-up cut", key: "warmup_cut_s", kind: kindSeconds,
			get:  field(func(s *StrategySummary) float64 { return s.WarmupCutS }),
			show: anyWarmupCut},
		section("requests"),
		fig("arrived", "requests.arrived", kindCount, 0, func(s *StrategySummary) float64 { return float64(s.Requests.Arrived) }),
		fig("completed", "requests.completed", kindCount, 0, func(s *StrategySummary) float64 { return float64(s.Requests.Completed) }),
		fig("rejected", "requests.rejected", kindCount, 0, func(s *StrategySummary) float64 { return float64(s.Requests.Rejected) }),
		fig("timed out", "requests.timed_out", kindCount, 0, func(s *StrategySummary) float64 { return float64(s.Requests.TimedOut) }),
		fig("dropped", "requests.dropped", kindCount, 0, func(s *StrategySummary) float64 { return float64(s.Requests.Dropped) }),
		fig("in flight at end", "requests.in_flight_at_end", kindCount, 0, func(s *StrategySummary) float64 { return float64(s.Requests.InFlightAtEnd) }),
		section("latency (ms)"),
		fig("mean", "latency_ms.mean", kindSig3, -1, func(s *StrategySummary) float64 { return s.LatencyMS.Mean }),
		fig("p50", "latency_ms.p50", kindSig3, -1, func(s *StrategySummary) float64 { return s.LatencyMS.P50 }),
		fig("p90", "latency_ms.p90", kindSig3, -1, func(s *StrategySummary) float64 { return s.LatencyMS.P90 }),
		fig("p99", "latency_ms.p99", kindSig3, -1, func(s *StrategySummary) float64 { return s.LatencyMS.P99 }),
		fig("p99.9", "latency_ms.p999", kindSig3, -1, func(s *StrategySummary) float64 { return s.LatencyMS.P999 }),
		fig("max", "latency_ms.max", kindSig3, -1, func(s *StrategySummary) float64 { return s.LatencyMS.Max }),
		section("throughput (req/s)"),
		fig("mean", "throughput_rps.mean", kindSig3, +1, func(s *StrategySummary) float64 { return s.ThroughputRPS.Mean }),
		fig("peak minute", "throughput_rps.peak_minute", kindSig3, +1, func(s *StrategySummary) float64 { return s.ThroughputRPS.PeakMinute }),
		section("availability"),
		fig("success ratio", "availability.success_ratio", kindPercent, +1, func(s *StrategySummary) float64 { return s.Availability.SuccessRatio }),
		fig("SLO attainment", "availability.slo_attainment", kindPercent, +1, func(s *StrategySummary) float64 { return s.Availability.SLOAttainment }),
		fig("minutes meeting SLO", "availability.minutes_meeting_slo", kindPercent, +1, func(s *StrategySummary) float64 { return s.Availability.MinutesMeetingSLO }),
		section("cost"),
		fig("total", "cost_usd.total", kindUSD, -1, func(s *StrategySummary) float64 { return s.CostUSD.Total }),
		fig("compute", "cost_usd.compute", kindUSD, -1, func(s *StrategySummary) float64 { return s.CostUSD.Compute }),
		fig("load balancer", "cost_usd.load_balancer", kindUSD, -1, func(s *StrategySummary) float64 { return s.CostUSD.LoadBalancer }),
		fig("stream", "cost_usd.stream", kindUSD, -1, func(s *StrategySummary) float64 { return s.CostUSD.Stream }),
		{label: "per 1M completed", sub: true, key: CostPerMillionKey, kind: kindUSD, better: -1, get: costPerMillionOf},
		section("capacity"),
		fig("instance-hours", "capacity.instance_hours", kindSig3, -1, func(s *StrategySummary) float64 { return s.Capacity.InstanceHours }),
		fig("instances min", "capacity.instances_min", kindCount, 0, func(s *StrategySummary) float64 { return float64(s.Capacity.InstancesMin) }),
		fig("instances max", "capacity.instances_max", kindCount, -1, func(s *StrategySummary) float64 { return float64(s.Capacity.InstancesMax) }),
		fig("mean utilisation", "capacity.mean_utilization", kindPercent, 0, func(s *StrategySummary) float64 { return s.Capacity.MeanUtilization }),
		{label: "scaling actions", key: "scaling_actions", kind: kindCount,
			get: field(func(s *StrategySummary) float64 { return float64(s.ScalingActions) })},
	}
}

// anyWarmupCut reports whether some strategy had a warm-up cut chosen
// for it (warmup: auto).
func anyWarmupCut(r *Result) bool {
	for _, s := range r.Strategies {
		if s.WarmupCutS > 0 {
			return true
		}
	}
	return false
}

// figureRow is one line of the human-readable reports (table, markdown): a
// label and one cell per strategy. A section row has a label and no cells;
// sub marks a figure listed under a section.
type figureRow struct {
	label   string
	section bool
	sub     bool
	cells   []figureCell
}

// figureCell is one strategy's figure: the value, its 95% half-width
// ("" without replications), and, for a strategy compared with the
// baseline, the formatted difference with its tone (+1 better, -1 worse,
// 0 neither or not significant).
type figureCell struct {
	value       string
	hw          string
	delta       string
	tone        int
	significant bool // the delta is significant (replications > 1)
	text        bool // a word, not a number: aligned with the column's end
}

// figureRows formats the figures of r's strategies, one cell per strategy;
// half-widths appear with replications, deltas for the strategies that
// have a comparison.
func figureRows(r *Result) []figureRow {
	specs := figureSpecs()
	rows := make([]figureRow, 0, len(specs))
	for _, f := range specs {
		if f.show != nil && !f.show(r) {
			continue
		}
		if f.get == nil && f.text == nil {
			rows = append(rows, figureRow{label: f.label, section: true})
			continue
		}
		cells := make([]figureCell, len(r.Strategies))
		for i := range r.Strategies {
			cells[i] = figureCellOf(r, i, f)
		}
		rows = append(rows, figureRow{label: f.label, sub: f.sub, cells: cells})
	}
	return rows
}

// figureCellOf formats figure f of strategy i.
func figureCellOf(r *Result, i int, f figureSpec) figureCell {
	s := &r.Strategies[i]
	if f.text != nil {
		return figureCell{value: f.text(s), text: true}
	}
	v, ok := f.get(s)
	if !ok {
		return figureCell{value: "-"}
	}
	c := figureCell{value: formatKind(f.kind, v)}
	if hw, ok := s.CI95HalfWidth[f.key]; ok && r.Replications > 1 && f.key != "" {
		c.hw = formatHalfWidth(f.kind, v, hw)
	}
	if d, ok := deltaOf(r, s.Name, f.key); ok {
		c.delta, c.tone = formatDelta(d, f.kind, f.better)
		c.significant = d.Replications > 1 && d.Significant
	}
	return c
}

// deltaOf finds strategy name's comparison delta for key.
func deltaOf(r *Result, name, key string) (Delta, bool) {
	if key == "" {
		return Delta{}, false
	}
	for _, c := range r.Comparisons {
		if c.Strategy != name {
			continue
		}
		for _, d := range c.Deltas {
			if d.Key == key {
				return d, true
			}
		}
	}
	return Delta{}, false
}

// formatKind formats a figure's value.
func formatKind(k figureKind, v float64) string {
	switch k {
	case kindCount:
		return fmtCount(int64(math.Round(v)))
	case kindPercent:
		return fmtPercent(v)
	case kindUSD:
		return fmtUSD(v)
	case kindSeconds:
		return fmtSeconds(v)
	}
	return fmtSig3(v)
}

// formatSpread formats a half-width or an absolute difference (without its
// sign) of a figure: a ratio in percentage points, money in dollars,
// anything else to three significant digits.
func formatSpread(k figureKind, v float64) string {
	v = math.Abs(v)
	switch k {
	case kindPercent:
		return fmtPoints(v)
	case kindUSD:
		return fmtUSD(v)
	case kindSeconds:
		return fmtSeconds(v)
	case kindCount:
		if v == math.Trunc(v) && v < 1e15 {
			return fmtCount(int64(v))
		}
	}
	return fmtSig3(v)
}

// negligible is the relative size below which a half-width is rounding
// noise of a constant figure and is not shown.
const negligible = 1e-9

// formatHalfWidth formats the 95% half-width hw of a figure of value v as
// benchstat does, relative to the value ("±0.4%"); a ratio's in percentage
// points ("±0.74pp"); a figure of value 0 in its own unit. A half-width
// that is zero or rounding noise is left out ("").
func formatHalfWidth(k figureKind, v, hw float64) string {
	switch {
	case math.IsNaN(hw) || hw <= negligible*math.Abs(v) || hw < 1e-12:
		return ""
	case k == kindPercent || v == 0:
		return "±" + formatSpread(k, hw)
	}
	return "±" + fmtRelative(hw/math.Abs(v))
}

// fmtPoints formats a difference of ratios in percentage points: 2
// decimals, as the percentages themselves, "pp" after.
func fmtPoints(v float64) string { return fmtFixed(v*100, 2) + "pp" }

// factorFrom is the ratio to the baseline from which a change is written
// as a factor ("×41.2") rather than a percentage ("+4,020%").
const factorFrom = 10

// formatDelta formats a comparison as benchstat does: the change with its
// 95% half-width ("+12% ±3%"), or "~" when the interval includes zero.
// The change is relative to the baseline, except for ratios (percentage
// points) and when the baseline is 0 (the absolute difference); from ten
// times the baseline it is a factor with the half-width of the factor
// ("×41.2 ±0.3"). With one
// replication there is no interval and no claim of significance: the bare
// change is shown. tone is better (as the figure's better, +1 or -1) for
// a significant improvement, its opposite for a significant worsening, 0
// otherwise.
func formatDelta(d Delta, k figureKind, better int) (string, int) {
	if d.Replications > 1 && !d.Significant {
		return "~", 0
	}
	rel := d.Relative()
	var change, hw string
	if k == kindPercent || math.IsNaN(rel) || math.IsInf(rel, 0) {
		change = signed(formatSpread(k, d.Diff), d.Diff)
		hw = formatSpread(k, d.HalfWidth)
	} else if rel >= factorFrom-1 {
		change = "×" + fmtSig3(1+rel)
		hw = fmtSig3(d.HalfWidth / math.Abs(d.Baseline))
	} else {
		change = signed(fmtRelative(rel), rel)
		hw = fmtRelative(d.HalfWidth / math.Abs(d.Baseline))
	}
	if d.Replications < 2 {
		return change, 0
	}
	tone := 0
	if better != 0 && d.Diff != 0 {
		tone = -1
		if (d.Diff > 0) == (better > 0) {
			tone = 1
		}
	}
	return change + " ±" + hw, tone
}

// signed puts the sign of v before s: "+12%", "-3.1%"; zero has none.
func signed(s string, v float64) string {
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "-" + s
	}
	return s
}

// fmtRelative formats a fraction as a percentage without its sign: two
// decimals below 1%, one below 10%, whole percents above, three
// significant digits from 1,000%: 0.12%, 3.4%, 12%, 1,230%; <0.01% for
// what would print as 0.00%.
func fmtRelative(x float64) string {
	p := math.Abs(x) * 100
	switch {
	case p == 0:
		return "0%"
	case p >= 999.5:
		return fmtSig3(p) + "%"
	case p >= 9.95:
		return fmtFixed(p, 0) + "%"
	case p >= 0.995:
		return fmtFixed(p, 1) + "%"
	case p < 0.005:
		return "<0.01%"
	}
	return fmtFixed(p, 2) + "%"
}

// comparisonLegend explains the deltas: what they are relative to, over
// how many replications, and what "~" means.
func comparisonLegend(r *Result) string {
	if len(r.Comparisons) == 0 {
		return ""
	}
	n := 0
	for _, c := range r.Comparisons {
		for _, d := range c.Deltas {
			n = max(n, d.Replications)
		}
	}
	if n < 2 {
		return fmt.Sprintf("Changes vs %s: relative (pp: percentage points; ×: times the baseline), from one replication, so "+
			"without a confidence interval; --replications 5 or more tells which differences are significant.", r.Baseline)
	}
	return fmt.Sprintf("Changes vs %s: relative (pp: percentage points; ×: times the baseline) ± 95%% half-width, paired over "+
		"%d replications on common random numbers; ~ means no significant difference.", r.Baseline, n)
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
		parts = append(parts, strconv.Itoa(r.Replications)+" replications (means ± 95% half-width)")
	}
	return strings.Join(parts, ", ")
}

// notesOf lists every strategy's notes as "name: note" lines, strategies
// in order.
func notesOf(r *Result) []string {
	var out []string
	for _, s := range r.Strategies {
		for _, n := range s.Notes {
			out = append(out, s.Name+": "+n)
		}
	}
	return out
}
