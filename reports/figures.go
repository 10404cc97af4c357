package reports

import (
	"fmt"
	"math"
)

// The table of figures. Every figure of a strategy's summary is one row
// of figureDefs: its key (the JSON path), its label and section in the
// reports for people, its notation and unit, the way it gets worse,
// whether it is compared with the baseline, its default limit in check,
// its columns in the time series and the sweep table, and how it is read
// from (or computed for) a StrategySummary. The JSON rounding, the table,
// markdown and HTML reports, the CSV files, the paired comparisons, the
// sweeps, --slo, --precision and check all loop over this table; other
// code names a figure by its FigureID constant, never by its key.
//
// Adding a figure: add its field to StrategySummary (result.go) and
// compute it in the Collector (collector.go); add a FigureID constant
// below and its row in buildFigureTable, both at the field's position in the
// JSON; place it in layout. TestFigureTableMatchesSummary fails until the
// three agree.

// FigureID names one figure of the table. The constants are in the
// table's order, which is the order of the JSON summary.
type FigureID int

// The figures, in the order of the JSON summary (CostPerMillion, which is
// derived rather than stored, sits with the costs).
const (
	RequestsArrived FigureID = iota
	RequestsCompleted
	RequestsRejected
	RequestsTimedOut
	RequestsDropped
	RequestsInFlightAtEnd
	RequestsReprocessed
	LatencyMean
	LatencyP50
	LatencyP90
	LatencyP99
	LatencyP999
	LatencyMax
	ThroughputMean
	ThroughputPeakMinute
	SuccessRatio
	SLOAttainment
	MinutesMeetingSLO
	ServedWithinSLO
	Served
	CostTotal
	CostCompute
	CostLoadBalancer
	CostStream
	CostPerMillion
	InstancesMin
	InstancesMax
	InstanceHours
	MeanUtilization
	NodeHours
	NodesMax
	ScalingActions
	WarmupCut
	ElasticityUnderAccuracy
	ElasticityOverAccuracy
	ElasticityUnderTimeshare
	ElasticityOverTimeshare
	ElasticityInstability
	figureCount // not a figure: the number of figures
)

// Direction is the way a figure gets worse.
type Direction int

// The directions of the figures (see FigureDirection).
const (
	EitherWorse Direction = 0  // a change either way beyond the limit counts
	HigherWorse Direction = 1  // latency, cost, errors
	LowerWorse  Direction = -1 // success ratio, SLO attainment, throughput
)

// Notation is how a figure is written for people.
type Notation int

// The notations.
const (
	NotationSig3    Notation = iota // three significant digits: 0.123, 12.3, 1,230
	NotationCount                   // a whole number: 10,080,000
	NotationPercent                 // a ratio as a percentage: 99.90%
	NotationUSD                     // dollars: $1.23, $0.0123
	NotationSpan                    // a span of time given in seconds: 12m, 1h30m
)

// unit is what a figure's number measures; it decides how a limit or an
// SLO threshold may be written besides a plain number.
type unit int

const (
	unitCount     unit = iota // requests, instances or actions
	unitMS                    // milliseconds: a duration (20ms) is accepted
	unitPerSecond             // requests per second
	unitRatio                 // a share from 0 to 1
	unitUSD                   // US dollars: a dollar amount ($3) is accepted
	unitHours                 // instance-hours
	unitSeconds               // seconds
)

// section is a group of figures in the reports for people; one without a
// heading lists its figures unindented.
type section int

const (
	sectionRun section = iota
	sectionRequests
	sectionLatency
	sectionThroughput
	sectionAvailability
	sectionCost
	sectionCapacity
	sectionActions
	sectionElasticity
)

// heading is the section's heading ("" for none).
func (s section) heading() string {
	return [...]string{"", "requests", "latency (ms)", "throughput (req/s)", "availability", "cost", "capacity", "", "elasticity"}[s]
}

// figureDef is one row of the table of figures.
type figureDef struct {
	id       FigureID
	key      string // the JSON path: ci95_half_width, deltas, limits and SLO clauses use it
	section  section
	label    string // under its section, in the reports for people
	notation Notation
	unit     unit
	worse    Direction
	compared bool   // paired with the baseline (Comparison deltas)
	limit    string // check's default limit, as --max-regression writes it ("10%"); "" for none
	minute   string // its column in the per-minute CSV; "" for none
	sweep    string // its column in the sweep table; "" for none
	optional bool   // shown only when some strategy's value is not zero
	chosen   bool   // set once for every replication, not measured: no half-width is shown
	value    access
}

// access reads a figure of a summary and, for a stored figure, writes it.
type access struct {
	get     func(s *StrategySummary) (float64, bool)
	set     func(s *StrategySummary, v float64) // nil: derived, not a field
	integer bool                                // stored as a whole number
}

// floatField accesses a float field of the summary.
func floatField(p func(s *StrategySummary) *float64) access {
	return access{
		get: func(s *StrategySummary) (float64, bool) { return *p(s), true },
		set: func(s *StrategySummary, v float64) { *p(s) = v },
	}
}

// wholeField accesses an integer field of the summary; a value written to
// it is rounded to the nearest whole number.
func wholeField[T int | int64](p func(s *StrategySummary) *T) access {
	return access{
		get:     func(s *StrategySummary) (float64, bool) { return float64(*p(s)), true },
		set:     func(s *StrategySummary, v float64) { *p(s) = T(math.Round(v)) },
		integer: true,
	}
}

// derived accesses a figure computed from the summary's fields; ok is
// false when it has no value.
func derived(f func(s *StrategySummary) (float64, bool)) access { return access{get: f} }

// stored reports whether the figure is a field of StrategySummary.
func (f figureDef) stored() bool { return f.value.set != nil }

// figureDefs is the table of figures, one row per FigureID in FigureID
// order, built once when the package is loaded and only ever read.
var figureDefs = buildFigureTable()

// buildFigureTable builds the table of figures.
func buildFigureTable() []figureDef {
	var t []figureDef
	for _, part := range [][]figureDef{requestFigures(), latencyFigures(), serviceFigures(), costFigures(), capacityFigures(), elasticityFigures()} {
		t = append(t, part...)
	}
	return t
}

// requestFigures are the rows of StrategySummary.Requests: the ledger's
// outcomes, then the stream records processed again, which are not an
// outcome (shown only when some strategy has any).
func requestFigures() []figureDef {
	count := func(id FigureID, key, label string, worse Direction, minute string, p func(s *StrategySummary) *int64) figureDef {
		return figureDef{id: id, key: key, section: sectionRequests, label: label, notation: NotationCount, unit: unitCount,
			worse: worse, minute: minute, value: wholeField(p)}
	}
	reprocessed := count(RequestsReprocessed, "requests.reprocessed", "re-processed", HigherWorse, "",
		func(s *StrategySummary) *int64 { return &s.Requests.Reprocessed })
	reprocessed.optional = true
	return []figureDef{
		count(RequestsArrived, "requests.arrived", "arrived", EitherWorse, "arrivals",
			func(s *StrategySummary) *int64 { return &s.Requests.Arrived }),
		count(RequestsCompleted, "requests.completed", "completed", LowerWorse, "completed",
			func(s *StrategySummary) *int64 { return &s.Requests.Completed }),
		count(RequestsRejected, "requests.rejected", "rejected", HigherWorse, "",
			func(s *StrategySummary) *int64 { return &s.Requests.Rejected }),
		count(RequestsTimedOut, "requests.timed_out", "timed out", HigherWorse, "",
			func(s *StrategySummary) *int64 { return &s.Requests.TimedOut }),
		count(RequestsDropped, "requests.dropped", "dropped", HigherWorse, "",
			func(s *StrategySummary) *int64 { return &s.Requests.Dropped }),
		count(RequestsInFlightAtEnd, "requests.in_flight_at_end", "in flight at end", HigherWorse, "",
			func(s *StrategySummary) *int64 { return &s.Requests.InFlightAtEnd }),
		reprocessed,
	}
}

// latencyFigures are the rows of StrategySummary.LatencyMS.
func latencyFigures() []figureDef {
	ms := func(id FigureID, key, label string, p func(s *StrategySummary) *float64) figureDef {
		return figureDef{id: id, key: key, section: sectionLatency, label: label, notation: NotationSig3, unit: unitMS,
			worse: HigherWorse, value: floatField(p)}
	}
	p50 := ms(LatencyP50, "latency_ms.p50", "p50", func(s *StrategySummary) *float64 { return &s.LatencyMS.P50 })
	p50.compared, p50.minute = true, "p50_ms"
	p99 := ms(LatencyP99, "latency_ms.p99", "p99", func(s *StrategySummary) *float64 { return &s.LatencyMS.P99 })
	p99.compared, p99.minute, p99.sweep, p99.limit = true, "p99_ms", "p99 ms", "10%"
	p999 := ms(LatencyP999, "latency_ms.p999", "p99.9", func(s *StrategySummary) *float64 { return &s.LatencyMS.P999 })
	p999.compared = true
	return []figureDef{
		ms(LatencyMean, "latency_ms.mean", "mean", func(s *StrategySummary) *float64 { return &s.LatencyMS.Mean }),
		p50,
		ms(LatencyP90, "latency_ms.p90", "p90", func(s *StrategySummary) *float64 { return &s.LatencyMS.P90 }),
		p99,
		p999,
		ms(LatencyMax, "latency_ms.max", "max", func(s *StrategySummary) *float64 { return &s.LatencyMS.Max }),
	}
}

// serviceFigures are the rows of StrategySummary.ThroughputRPS and
// Availability.
func serviceFigures() []figureDef {
	return []figureDef{
		{id: ThroughputMean, key: "throughput_rps.mean", section: sectionThroughput, label: "mean",
			notation: NotationSig3, unit: unitPerSecond, worse: LowerWorse, compared: true,
			value: floatField(func(s *StrategySummary) *float64 { return &s.ThroughputRPS.Mean })},
		{id: ThroughputPeakMinute, key: "throughput_rps.peak_minute", section: sectionThroughput, label: "peak minute",
			notation: NotationSig3, unit: unitPerSecond, worse: LowerWorse,
			value: floatField(func(s *StrategySummary) *float64 { return &s.ThroughputRPS.PeakMinute })},
		{id: SuccessRatio, key: "availability.success_ratio", section: sectionAvailability, label: "success (finished)",
			notation: NotationPercent, unit: unitRatio, worse: LowerWorse, compared: true, limit: "0.001",
			value: floatField(func(s *StrategySummary) *float64 { return &s.Availability.SuccessRatio })},
		{id: SLOAttainment, key: "availability.slo_attainment", section: sectionAvailability, label: "in SLO (finished)",
			notation: NotationPercent, unit: unitRatio, worse: LowerWorse, compared: true,
			value: floatField(func(s *StrategySummary) *float64 { return &s.Availability.SLOAttainment })},
		{id: MinutesMeetingSLO, key: "availability.minutes_meeting_slo", section: sectionAvailability, label: "minutes meeting SLO",
			notation: NotationPercent, unit: unitRatio, worse: LowerWorse,
			value: floatField(func(s *StrategySummary) *float64 { return &s.Availability.MinutesMeetingSLO })},
		{id: ServedWithinSLO, key: "availability.served_within_slo", section: sectionAvailability, label: "served within SLO",
			notation: NotationPercent, unit: unitRatio, worse: LowerWorse, compared: true, sweep: "in SLO",
			value: floatField(func(s *StrategySummary) *float64 { return &s.Availability.ServedWithinSLO })},
		{id: Served, key: "availability.served", section: sectionAvailability, label: "served",
			notation: NotationPercent, unit: unitRatio, worse: LowerWorse, compared: true, sweep: "served",
			value: floatField(func(s *StrategySummary) *float64 { return &s.Availability.Served })},
	}
}

// costFigures are the rows of StrategySummary.CostUSD and the derived
// cost per million completed requests.
func costFigures() []figureDef {
	usd := func(id FigureID, key, label string, p func(s *StrategySummary) *float64) figureDef {
		return figureDef{id: id, key: key, section: sectionCost, label: label, notation: NotationUSD, unit: unitUSD,
			worse: HigherWorse, value: floatField(p)}
	}
	total := usd(CostTotal, "cost_usd.total", "total", func(s *StrategySummary) *float64 { return &s.CostUSD.Total })
	total.compared, total.limit, total.minute, total.sweep = true, "5%", "cost_usd", "cost"
	return []figureDef{
		total,
		usd(CostCompute, "cost_usd.compute", "compute", func(s *StrategySummary) *float64 { return &s.CostUSD.Compute }),
		usd(CostLoadBalancer, "cost_usd.load_balancer", "load balancer", func(s *StrategySummary) *float64 { return &s.CostUSD.LoadBalancer }),
		usd(CostStream, "cost_usd.stream", "stream", func(s *StrategySummary) *float64 { return &s.CostUSD.Stream }),
		{id: CostPerMillion, key: "cost_usd.per_million_completed", section: sectionCost, label: "per 1M completed",
			notation: NotationUSD, unit: unitUSD, worse: HigherWorse, compared: true, sweep: "per 1M",
			value: derived(costPerMillionOf)},
	}
}

// capacityFigures are the rows of StrategySummary.Capacity, then the
// summary's top-level figures.
func capacityFigures() []figureDef {
	return []figureDef{
		{id: InstancesMin, key: "capacity.instances_min", section: sectionCapacity, label: "instances min",
			notation: NotationCount, unit: unitCount, worse: HigherWorse,
			value: wholeField(func(s *StrategySummary) *int { return &s.Capacity.InstancesMin })},
		{id: InstancesMax, key: "capacity.instances_max", section: sectionCapacity, label: "instances max",
			notation: NotationCount, unit: unitCount, worse: HigherWorse, compared: true,
			value: wholeField(func(s *StrategySummary) *int { return &s.Capacity.InstancesMax })},
		{id: InstanceHours, key: "capacity.instance_hours", section: sectionCapacity, label: "instance-hours",
			notation: NotationSig3, unit: unitHours, worse: HigherWorse, compared: true,
			value: floatField(func(s *StrategySummary) *float64 { return &s.Capacity.InstanceHours })},
		{id: MeanUtilization, key: "capacity.mean_utilization", section: sectionCapacity, label: "mean utilisation",
			notation: NotationPercent, unit: unitRatio, worse: EitherWorse, minute: "utilization",
			value: floatField(func(s *StrategySummary) *float64 { return &s.Capacity.MeanUtilization })},
		{id: NodeHours, key: "capacity.node_hours", section: sectionCapacity, label: "node-hours",
			notation: NotationSig3, unit: unitHours, worse: HigherWorse, optional: true,
			value: floatField(func(s *StrategySummary) *float64 { return &s.Capacity.NodeHours })},
		{id: NodesMax, key: "capacity.nodes_max", section: sectionCapacity, label: "nodes max",
			notation: NotationCount, unit: unitCount, worse: HigherWorse, optional: true,
			value: wholeField(func(s *StrategySummary) *int { return &s.Capacity.NodesMax })},
		{id: ScalingActions, key: "scaling_actions", section: sectionActions, label: "scaling actions",
			notation: NotationCount, unit: unitCount, worse: HigherWorse, compared: true,
			value: wholeField(func(s *StrategySummary) *int { return &s.ScalingActions })},
		{id: WarmupCut, key: "warmup_cut_s", section: sectionRun, label: "warm-up cut",
			notation: NotationSpan, unit: unitSeconds, worse: EitherWorse, optional: true, chosen: true,
			value: floatField(func(s *StrategySummary) *float64 { return &s.WarmupCutS })},
	}
}

// elasticityFigures are the rows of StrategySummary.Elasticity: supply
// against demand for worker slots, minute by minute (see Elasticity).
func elasticityFigures() []figureDef {
	share := func(id FigureID, key, label string, p func(s *StrategySummary) *float64) figureDef {
		return figureDef{id: id, key: key, section: sectionElasticity, label: label, notation: NotationPercent, unit: unitRatio,
			worse: HigherWorse, value: floatField(p)}
	}
	return []figureDef{
		share(ElasticityUnderAccuracy, "elasticity.under_provisioning_accuracy", "accuracy (under)",
			func(s *StrategySummary) *float64 { return &s.Elasticity.UnderProvisioningAccuracy }),
		share(ElasticityOverAccuracy, "elasticity.over_provisioning_accuracy", "accuracy (over)",
			func(s *StrategySummary) *float64 { return &s.Elasticity.OverProvisioningAccuracy }),
		share(ElasticityUnderTimeshare, "elasticity.under_provisioning_timeshare", "timeshare (under)",
			func(s *StrategySummary) *float64 { return &s.Elasticity.UnderProvisioningTimeshare }),
		share(ElasticityOverTimeshare, "elasticity.over_provisioning_timeshare", "timeshare (over)",
			func(s *StrategySummary) *float64 { return &s.Elasticity.OverProvisioningTimeshare }),
		share(ElasticityInstability, "elasticity.instability", "instability",
			func(s *StrategySummary) *float64 { return &s.Elasticity.Instability }),
	}
}

// layout is the order of the figures in the reports for people (table,
// markdown, HTML) and of the comparisons: each section's figures together.
func layout() []FigureID {
	return []FigureID{
		WarmupCut,
		RequestsArrived, RequestsCompleted, RequestsRejected, RequestsTimedOut, RequestsDropped, RequestsInFlightAtEnd,
		RequestsReprocessed,
		LatencyMean, LatencyP50, LatencyP90, LatencyP99, LatencyP999, LatencyMax,
		ThroughputMean, ThroughputPeakMinute,
		ServedWithinSLO, Served, SuccessRatio, SLOAttainment, MinutesMeetingSLO,
		CostTotal, CostCompute, CostLoadBalancer, CostStream, CostPerMillion,
		InstanceHours, InstancesMin, InstancesMax, MeanUtilization, NodeHours, NodesMax,
		ScalingActions,
		ElasticityUnderAccuracy, ElasticityOverAccuracy, ElasticityUnderTimeshare, ElasticityOverTimeshare,
		ElasticityInstability,
	}
}

// costPerMillionOf is the total cost per million completed requests; false
// when nothing completed.
func costPerMillionOf(s *StrategySummary) (float64, bool) {
	if s.Requests.Completed <= 0 {
		return 0, false
	}
	return s.CostUSD.Total / float64(s.Requests.Completed) * 1e6, true
}

// def returns the figure's row of the table.
func (id FigureID) def() figureDef {
	if id < 0 || id >= figureCount {
		panic(fmt.Sprintf("reports: no figure %d: a FigureID comes from the constants or Figures", int(id)))
	}
	return figureDefs[id]
}

// Key returns the figure's JSON path, such as latency_ms.p99.
func (id FigureID) Key() string { return id.def().key }

// Label returns the figure's label under its section heading ("p99").
func (id FigureID) Label() string { return id.def().label }

// Section returns the heading of the figure's section in the reports for
// people ("latency (ms)"), or "" for a figure listed without one.
func (id FigureID) Section() string { return id.def().section.heading() }

// Notation returns how the figure is written for people.
func (id FigureID) Notation() Notation { return id.def().notation }

// Worse returns the way the figure gets worse.
func (id FigureID) Worse() Direction { return id.def().worse }

// Chosen reports whether the figure is set once for every replication
// rather than measured (the warm-up cut), so it has no half-width.
func (id FigureID) Chosen() bool { return id.def().chosen }

// Value returns the figure of s; ok is false for a derived figure without
// a value (the cost per million completed requests when none completed).
func (id FigureID) Value(s *StrategySummary) (v float64, ok bool) { return id.def().value.get(s) }

// Text formats v, a value of the figure, for people: "1,030", "99.90%",
// "$6.61", "1h".
func (id FigureID) Text(v float64) string { return formatKind(id.def().notation, v) }

// Figures returns every figure, in the table's order.
func Figures() []FigureID {
	out := make([]FigureID, figureCount)
	for i := range out {
		out[i] = FigureID(i)
	}
	return out
}

// SweepFigures returns the figures that have a column in the sweep table
// (p99 latency, the shares served within the SLO and served, total cost,
// cost per million completed), in the table's order: the headline figures of a
// table with one row per strategy.
func SweepFigures() []FigureID {
	var out []FigureID
	for _, f := range figureDefs {
		if f.sweep != "" {
			out = append(out, f.id)
		}
	}
	return out
}

// SweepLabel returns the figure's column header in the sweep table ("p99
// ms"), or "" for a figure without one.
func (id FigureID) SweepLabel() string { return id.def().sweep }

// FigureOf returns the figure whose key is key.
func FigureOf(key string) (FigureID, bool) {
	for _, f := range figureDefs {
		if f.key == key {
			return f.id, true
		}
	}
	return 0, false
}

// FigureKeys lists the key of every figure stored in a StrategySummary, in
// output order: the keys of ci95_half_width, --slo, --max-regression and
// the sweep CSV's columns.
func FigureKeys() []string {
	var keys []string
	for _, f := range figureDefs {
		if f.stored() {
			keys = append(keys, f.key)
		}
	}
	return keys
}

// Figure returns the numeric figure of s named by its JSON path, such as
// latency_ms.p99 or cost_usd.total (one of FigureKeys).
func Figure(s StrategySummary, key string) (float64, error) {
	if id, ok := FigureOf(key); ok && id.def().stored() {
		v, _ := id.Value(&s)
		return v, nil
	}
	return 0, fmt.Errorf("no figure %q in a strategy summary", key)
}

// unitOf is the unit of the figure key; unitCount for a key that names
// no figure.
func unitOf(key string) unit {
	if id, ok := FigureOf(key); ok {
		return id.def().unit
	}
	return unitCount
}

// FigureDirection returns the way the figure key gets worse; EitherWorse
// for a key that names no figure.
func FigureDirection(key string) Direction {
	if id, ok := FigureOf(key); ok {
		return id.Worse()
	}
	return EitherWorse
}

// ComparedKeys lists the figures CompareToBaseline compares, in the order
// the reports show them: latency p50/p99/p99.9, mean throughput, success
// ratio, SLO attainment, total cost and cost per million completed
// requests, instance-hours, peak instances and scaling actions.
func ComparedKeys() []string {
	var keys []string
	for _, id := range layout() {
		if f := id.def(); f.compared {
			keys = append(keys, f.key)
		}
	}
	return keys
}

// DefaultLimits are the limits check applies without --max-regression:
// p99 latency may rise by 10%, the success ratio fall by 0.001 (0.1
// percentage points), and the total cost rise by 5%.
func DefaultLimits() []Limit {
	var out []Limit
	for _, f := range figureDefs {
		if f.limit == "" {
			continue
		}
		l, err := parseAllowance(f.key, f.limit)
		if err != nil {
			panic(fmt.Sprintf("reports: the default limit of %s in the table of figures: %v", f.key, err))
		}
		out = append(out, l)
	}
	return out
}

// ReportRow is one row of the reports for people (table, markdown, HTML):
// the strategies' types, a section heading, or a figure.
type ReportRow struct {
	Label   string
	Type    bool     // the strategies' types, a word each
	Heading bool     // a section heading, without values
	Sub     bool     // a figure under a heading (indented)
	Figure  FigureID // the figure, unless Type or Heading
}

// ReportRows lists the rows of r's reports for people: the types, then
// every figure in the order of the reports under its section heading. An
// optional figure (the warm-up cut, re-processed records) appears only when some strategy's
// value is not zero.
func ReportRows(r *Result) []ReportRow {
	rows := []ReportRow{{Label: "type", Type: true}}
	last := section(-1)
	for _, id := range layout() {
		f := id.def()
		if f.optional && !anyNonZero(r, f) {
			continue
		}
		h := f.section.heading()
		if f.section != last && h != "" {
			rows = append(rows, ReportRow{Label: h, Heading: true})
		}
		last = f.section
		rows = append(rows, ReportRow{Label: f.label, Sub: h != "", Figure: id})
	}
	return rows
}

// anyNonZero reports whether figure f of some strategy of r has a value
// other than zero.
func anyNonZero(r *Result, f figureDef) bool {
	for i := range r.Strategies {
		if v, ok := f.value.get(&r.Strategies[i]); ok && v != 0 {
			return true
		}
	}
	return false
}
