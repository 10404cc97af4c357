package reports

import (
	"fmt"
	"math"
	"math/bits"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Histogram geometry: latencies are recorded in whole microseconds (rounded
// to the nearest), from 1 µs up to 400 days, with 3 significant digits, so a
// percentile is within 0.1% of the exact sample percentile (plus the 0.5 µs
// rounding, which matters only below ~50 µs).
const (
	histLowestUS  = 1
	histHighestUS = int64(400 * sim.Day / sim.Microsecond)
	histSigDigits = 3
)

// preallocMinutesMax caps the minute rows allocated up front (about 90 days);
// longer runs grow the slice as they go.
const preallocMinutesMax = 1 << 17

// outcomeCount is the number of models.Outcome values.
const outcomeCount = int(models.InFlight) + 1

// CollectorConfig configures a Collector.
type CollectorConfig struct {
	// Warmup: requests that arrive before it are left out of the summary's
	// counts and latencies, and minutes that start before it out of the
	// per-minute figures. Default 0; negative is treated as 0.
	Warmup sim.Time
	// Horizon is the end of the run. The summary measures [Warmup, Horizon)
	// and the series holds the whole minutes of [0, Horizon).
	Horizon sim.Time
	// SLO is the latency a completed request must not exceed to meet the
	// SLO; zero or negative means no latency objective (every completion
	// meets it).
	SLO sim.Duration
	// Minute is the length of one row of the time series. Default 1 minute.
	Minute sim.Duration
	// ServiceMeanS is the mean service time of one request on one worker
	// slot, in seconds. With SLO, it sizes each minute's demand for slots
	// (MinuteRow.Demand) and so the elasticity figures; zero leaves them 0.
	ServiceMeanS float64
}

// minuteStats is one minute of the time series. Counts cover every request,
// warm-up included: arrivals by arrival time, completions and errors by the
// time they left.
type minuteStats struct {
	arrivals  int64
	completed int64
	errors    int64 // rejected + timed out + dropped
	overSLO   int64 // completions whose latency exceeded the SLO
	p50MS     float64
	p99MS     float64
	sampled   bool
	inService int32
	slots     int32
	pending   int32
	util      float64
	costUSD   float64 // cumulative
	ageMS     float64 // the stream's iterator age, maximum over the minute
	latSumMS  float64 // sum of the minute's completions' latencies
	// the group as its metrics count it at the minute's end
	desired, groupInService, groupPending int32
	nodes, nodesPending                   int32 // a Kubernetes strategy's
}

// Collector implements models.Sink: it records one strategy's run as it
// happens, in memory that grows with the number of minutes, not requests,
// and then produces its StrategySummary and time series.
//
// Completed requests must be reported in non-decreasing completion time
// (other outcomes may come in any order); Sampled closes a minute. Summary,
// Series and Check are meant to be called once the run has ended.
type Collector struct {
	cfg CollectorConfig

	// Summary figures, over requests that arrived at or after the warm-up.
	arrived     int64
	outcomes    [outcomeCount]int64
	reprocessed int64 // stream records processed again (not an outcome)
	withinSLO   int64
	latSumLo    uint64 // 128-bit sum of latencies in ns: exact mean
	latSumHi    uint64
	latMin      sim.Duration
	latMax      sim.Duration
	hist        *hdrhistogram.Histogram

	// Every request, warm-up included, for the ledger check.
	arrivedAll  int64
	finishedAll int64

	// Per-minute series. minuteHist holds the completions of curMinute;
	// minutes before curMinute are closed.
	minutes    []minuteStats
	minuteHist *hdrhistogram.Histogram
	curMinute  int
	curStart   sim.Time // [curStart, curEnd) is curMinute
	curEnd     sim.Time
	curLatMin  sim.Duration // exact extremes of curMinute's completions
	curLatMax  sim.Duration

	// Fleet samples.
	lastSample   models.FleetSample
	haveSample   bool
	instancesMin int
	instancesMax int
	nodesMax     int
	haveCapacity bool
	slotSec      float64 // Σ slots × measured seconds
	busySlotSec  float64 // Σ utilization × slots × measured seconds
	decisions    int
	log          decisionLog
	instances    instanceLog
	outOfOrder   int64 // completions earlier than an already closed minute
	negLatency   int64 // completions reported before their arrival
	badOutcome   int64 // outcomes outside models.Outcome's values
}

var (
	_ models.Sink       = (*Collector)(nil)
	_ models.RepeatSink = (*Collector)(nil)
)

// NewCollector returns an empty Collector. It never fails: a zero Minute
// becomes one minute and a negative Warmup zero.
func NewCollector(cfg CollectorConfig) *Collector {
	if cfg.Minute <= 0 {
		cfg.Minute = sim.Minute
	}
	if cfg.Warmup < 0 {
		cfg.Warmup = 0
	}
	n := 1
	if cfg.Horizon > 0 {
		n = int(cfg.Horizon/sim.Time(cfg.Minute)) + 2
	}
	n = min(n, preallocMinutesMax)
	return &Collector{
		cfg:        cfg,
		hist:       hdrhistogram.New(histLowestUS, histHighestUS, histSigDigits),
		minuteHist: hdrhistogram.New(histLowestUS, histHighestUS, histSigDigits),
		minutes:    make([]minuteStats, n),
		latMin:     math.MaxInt64,
		curEnd:     sim.Time(cfg.Minute),
		curLatMin:  math.MaxInt64,
	}
}

// minuteOf returns the index of the minute holding t, growing the series
// when t lies beyond it.
func (c *Collector) minuteOf(t sim.Time) int {
	if t < 0 {
		t = 0
	}
	m := int(t / sim.Time(c.cfg.Minute))
	if m >= len(c.minutes) {
		c.grow(m)
	}
	return m
}

// grow extends the series to hold minute m.
func (c *Collector) grow(m int) {
	c.minutes = append(c.minutes, make([]minuteStats, m+1-len(c.minutes))...)
}

// Arrived implements models.Sink.
func (c *Collector) Arrived(t sim.Time) {
	c.arrivedAll++
	c.minutes[c.minuteOf(t)].arrivals++
	if t >= c.cfg.Warmup {
		c.arrived++
	}
}

// Finished implements models.Sink. It is on the simulator's hot path: it
// does not allocate.
func (c *Collector) Finished(arrived, at sim.Time, o models.Outcome) {
	c.finishedAll++
	if o == models.Completed {
		c.complete(arrived, at)
		return
	}
	if int(o) >= outcomeCount {
		c.badOutcome++
		return
	}
	if arrived >= c.cfg.Warmup {
		c.outcomes[o]++
	}
	if o != models.InFlight {
		c.minutes[c.minuteOf(at)].errors++
	}
}

// complete records a completion.
func (c *Collector) complete(arrived, at sim.Time) {
	lat := at.Sub(arrived)
	if lat < 0 {
		c.negLatency++
		lat = 0
	}
	us := (int64(lat) + int64(sim.Microsecond)/2) / int64(sim.Microsecond)
	if us > histHighestUS {
		us = histHighestUS
	}
	m := c.curMinute
	if at < c.curStart || at >= c.curEnd {
		m = c.minuteOf(at)
		if m < c.curMinute {
			c.outOfOrder++ // counted, but too late for the minute's percentiles
		} else {
			c.closeMinute()
			c.openMinute(m)
		}
	}
	row := &c.minutes[m]
	row.completed++
	row.latSumMS += lat.Milliseconds()
	over := c.cfg.SLO > 0 && lat > c.cfg.SLO
	if over {
		row.overSLO++
	}
	if m == c.curMinute {
		_ = c.minuteHist.RecordValue(us) // us is within range: cannot fail
		c.curLatMin = min(c.curLatMin, lat)
		c.curLatMax = max(c.curLatMax, lat)
	}
	if arrived < c.cfg.Warmup {
		return
	}
	c.outcomes[models.Completed]++
	if !over {
		c.withinSLO++
	}
	var carry uint64
	c.latSumLo, carry = bits.Add64(c.latSumLo, uint64(lat), 0)
	c.latSumHi += carry
	c.latMin = min(c.latMin, lat)
	c.latMax = max(c.latMax, lat)
	_ = c.hist.RecordValue(us)
}

// openMinute makes m the minute that receives completions.
func (c *Collector) openMinute(m int) {
	c.curMinute = m
	c.curStart = sim.Time(m) * sim.Time(c.cfg.Minute)
	c.curEnd = c.curStart + sim.Time(c.cfg.Minute)
}

// closeMinute stores the current minute's percentiles and empties its
// histogram.
func (c *Collector) closeMinute() {
	if c.minuteHist.TotalCount() == 0 {
		return
	}
	row := &c.minutes[c.curMinute]
	row.p50MS, row.p99MS = c.minutePercentiles()
	c.minuteHist.Reset()
	c.curLatMin, c.curLatMax = math.MaxInt64, 0
}

// minutePercentiles returns the current minute's p50 and p99 in ms,
// clamped to the minute's exact extremes.
func (c *Collector) minutePercentiles() (p50, p99 float64) {
	lo, hi := c.curLatMin.Milliseconds(), c.curLatMax.Milliseconds()
	p50 = min(max(usToMS(c.minuteHist.ValueAtQuantile(50)), lo), hi)
	p99 = min(max(usToMS(c.minuteHist.ValueAtQuantile(99)), lo), hi)
	return p50, p99
}

// Reprocessed implements models.RepeatSink: a stream record that arrived
// at or after the warm-up and was processed again counts as re-processed.
func (c *Collector) Reprocessed(arrived, _ sim.Time) {
	if arrived >= c.cfg.Warmup {
		c.reprocessed++
	}
}

// Sampled implements models.Sink. The sample belongs to the minute holding
// its Start and closes that minute: later completions must be later.
func (c *Collector) Sampled(s models.FleetSample) {
	m := c.minuteOf(s.Start)
	row := &c.minutes[m]
	row.sampled = true
	row.inService = int32(min(s.InService, math.MaxInt32))
	row.slots = int32(min(s.Slots, math.MaxInt32))
	row.pending = int32(min(s.Pending, math.MaxInt32))
	row.util = s.Utilization
	row.costUSD = s.CostUSD
	row.ageMS = s.IteratorAgeMS
	row.desired = int32(min(s.Desired, math.MaxInt32))
	row.groupInService = int32(min(s.GroupInService, math.MaxInt32))
	row.groupPending = int32(min(s.GroupPending, math.MaxInt32))
	row.nodes = int32(min(s.Nodes, math.MaxInt32))
	row.nodesPending = int32(min(s.NodesPending, math.MaxInt32))
	if c.curMinute <= m {
		c.closeMinute()
		c.openMinute(m + 1)
	}
	if !c.haveSample || s.End >= c.lastSample.End {
		c.lastSample, c.haveSample = s, true
	}
	c.log.sampled(s.End, s.InService, s.Pending)
	if s.End <= c.cfg.Warmup {
		return
	}
	if !c.haveCapacity {
		c.instancesMin, c.instancesMax, c.haveCapacity = s.InService, s.InService, true
	}
	c.instancesMin = min(c.instancesMin, s.InService)
	c.instancesMax = max(c.instancesMax, s.InService)
	c.nodesMax = max(c.nodesMax, s.Nodes)
	sec := s.End.Sub(max(s.Start, c.cfg.Warmup)).Seconds()
	w := float64(s.Slots) * sec
	c.slotSec += w
	c.busySlotSec += s.Utilization * w
}

// Decided implements models.Sink: decisions at or after the warm-up count
// as scaling actions.
func (c *Collector) Decided(t sim.Time, d strategies.Decision, before strategies.FleetView) {
	c.log.record(t, d, before)
	if t >= c.cfg.Warmup {
		c.decisions++
	}
}

// Check reports whether the recorded calls were consistent: every arrival
// finished exactly once (InFlight included), the summary's counts balance,
// completions came in time order and after their arrival. Call it after the
// run.
func (c *Collector) Check() error {
	var sum int64
	for _, n := range c.outcomes {
		sum += n
	}
	switch {
	case c.badOutcome > 0:
		return fmt.Errorf("collector: %d requests finished with an unknown outcome", c.badOutcome)
	case c.arrivedAll != c.finishedAll:
		return fmt.Errorf("collector: %d arrivals but %d finished requests", c.arrivedAll, c.finishedAll)
	case c.arrived != sum:
		return fmt.Errorf("collector: counts do not balance after warm-up: arrived %d, outcomes sum to %d (completed %d, rejected %d, timed out %d, dropped %d, in flight %d)",
			c.arrived, sum, c.outcomes[models.Completed], c.outcomes[models.Rejected],
			c.outcomes[models.TimedOut], c.outcomes[models.Dropped], c.outcomes[models.InFlight])
	case c.outOfOrder > 0:
		return fmt.Errorf("collector: %d completions reported after their minute was closed", c.outOfOrder)
	case c.negLatency > 0:
		return fmt.Errorf("collector: %d completions reported before their arrival", c.negLatency)
	}
	return nil
}

// usToMS converts microseconds to milliseconds.
func usToMS(us int64) float64 { return float64(us) / 1e3 }

// measuredMinutes returns the whole minutes that start at or after the
// warm-up and end by the horizon: [first, end).
func (c *Collector) measuredMinutes() (first, end int) {
	mn := sim.Time(c.cfg.Minute)
	first = int((c.cfg.Warmup + mn - 1) / mn)
	end = int(c.cfg.Horizon / mn)
	return first, max(first, end)
}

// row returns minute m, with the percentiles of a minute still open.
func (c *Collector) row(m int) minuteStats {
	if m >= len(c.minutes) {
		return minuteStats{}
	}
	r := c.minutes[m]
	if m == c.curMinute && c.minuteHist.TotalCount() > 0 {
		r.p50MS, r.p99MS = c.minutePercentiles()
	}
	return r
}

// Summary returns the strategy's figures, as docs/outputs.md defines them:
//
//   - requests: outcomes of the requests that arrived at or after the warm-up;
//     reprocessed: stream records among them processed again;
//   - latency_ms: over those completed; percentiles from the histogram
//     (within 0.1%, clamped to the exact min and max), mean and max exact;
//   - throughput_rps.mean = completed / (horizon − warm-up) seconds;
//     peak_minute = the most completions in a whole measured minute / 60;
//   - success_ratio = completed / (arrived − in_flight_at_end) and
//     slo_attainment = completed within the SLO / the same; both are 1 when
//     no request finished (nothing failed);
//   - minutes_meeting_slo = share of whole measured minutes (those starting
//     at or after the warm-up and ending by the horizon) whose p99 met the
//     SLO and whose errors were under 1% of completed + errors; a minute
//     with neither completions nor errors meets it; 1 when there is no such
//     minute. The p99 test is exact: at most N − rank(0.99, N) of the N
//     completions exceeded the SLO. Minute counts include requests that
//     arrived during the warm-up;
//   - cost_usd: the bill of the whole run, from the last sample, split
//     into compute, load balancer and stream as the sample splits it;
//   - capacity: in-service instances over the samples that end after the
//     warm-up; instance_hours from the last sample (whole run); a
//     Kubernetes strategy's node_hours likewise, nodes_max over the
//     samples after the warm-up;
//     mean_utilization = busy slot-seconds / slot-seconds after the warm-up;
//   - scaling_actions: decisions at or after the warm-up;
//   - elasticity: supply (slots) against demand (MinuteRow.Demand) over
//     the whole measured minutes with a demand (see Elasticity).
func (c *Collector) Summary(name, family string) StrategySummary {
	s := StrategySummary{Name: name, Type: family}
	s.Requests = Requests{
		Arrived:       c.arrived,
		Completed:     c.outcomes[models.Completed],
		Rejected:      c.outcomes[models.Rejected],
		TimedOut:      c.outcomes[models.TimedOut],
		Dropped:       c.outcomes[models.Dropped],
		InFlightAtEnd: c.outcomes[models.InFlight],
		Reprocessed:   c.reprocessed,
	}
	s.LatencyMS = c.latency()
	s.ThroughputRPS = c.throughput()
	s.Availability = c.availability()
	s.CostUSD = c.cost()
	s.Capacity = c.capacity()
	s.ScalingActions = c.decisions
	s.Elasticity = c.elasticity()
	return s
}

// latency returns the latency figures in ms.
func (c *Collector) latency() Latency {
	n := c.outcomes[models.Completed]
	if n == 0 {
		return Latency{}
	}
	q := func(p float64) float64 {
		v := usToMS(c.hist.ValueAtQuantile(p))
		return min(max(v, c.latMin.Milliseconds()), c.latMax.Milliseconds())
	}
	sum := float64(c.latSumHi)*0x1p64 + float64(c.latSumLo)
	return Latency{
		Mean: sum / float64(n) / 1e6,
		P50:  q(50),
		P90:  q(90),
		P99:  q(99),
		P999: q(99.9),
		Max:  c.latMax.Milliseconds(),
	}
}

// throughput returns the completion rates.
func (c *Collector) throughput() Throughput {
	var t Throughput
	if span := c.cfg.Horizon.Sub(c.cfg.Warmup).Seconds(); span > 0 {
		t.Mean = float64(c.outcomes[models.Completed]) / span
	}
	first, end := c.measuredMinutes()
	var peak int64
	for m := first; m < end; m++ {
		peak = max(peak, c.row(m).completed)
	}
	t.PeakMinute = float64(peak) / c.cfg.Minute.Seconds()
	return t
}

// availability returns the success, SLO and good-minute shares.
func (c *Collector) availability() Availability {
	a := Availability{SuccessRatio: 1, SLOAttainment: 1, MinutesMeetingSLO: 1, ServedWithinSLO: 1, Served: 1}
	if den := c.arrived - c.outcomes[models.InFlight]; den > 0 {
		a.SuccessRatio = float64(c.outcomes[models.Completed]) / float64(den)
		a.SLOAttainment = float64(c.withinSLO) / float64(den)
	}
	if c.arrived > 0 {
		a.Served = float64(c.outcomes[models.Completed]) / float64(c.arrived)
		a.ServedWithinSLO = float64(c.withinSLO) / float64(c.arrived)
	}
	first, end := c.measuredMinutes()
	if end > first {
		good := 0
		for m := first; m < end; m++ {
			if minuteMeetsSLO(c.row(m)) {
				good++
			}
		}
		a.MinutesMeetingSLO = float64(good) / float64(end-first)
	}
	return a
}

// minuteMeetsSLO reports whether a minute's p99 met the SLO and its errors
// stayed under 1% of its completions plus errors.
func minuteMeetsSLO(r minuteStats) bool {
	total := r.completed + r.errors
	if total == 0 {
		return true
	}
	if r.errors*100 >= total {
		return false
	}
	return r.overSLO <= r.completed-percentileRank(99, r.completed)
}

// percentileRank is the 1-based rank of percentile p (0..100) among n > 0
// sorted values, as the histogram computes it: round(p/100 × n), at least 1.
func percentileRank(p float64, n int64) int64 {
	rank := p/100*float64(n) + 0.5
	switch {
	case !(rank >= 1):
		return 1
	case rank >= float64(n):
		return n
	}
	return int64(rank)
}

// cost returns the bill of the whole run from the last sample, split as
// the sample splits it.
func (c *Collector) cost() Cost {
	s := c.lastSample
	return Cost{Total: s.CostUSD, Compute: s.ComputeUSD, LoadBalancer: s.LBUSD, Stream: s.StreamUSD}
}

// capacity returns the fleet figures.
func (c *Collector) capacity() Capacity {
	k := Capacity{
		InstancesMin:  c.instancesMin,
		InstancesMax:  c.instancesMax,
		InstanceHours: c.lastSample.InstanceSec / 3600,
		NodeHours:     c.lastSample.NodeSec / 3600,
		NodesMax:      c.nodesMax,
	}
	if c.slotSec > 0 {
		k.MeanUtilization = c.busySlotSec / c.slotSec
	}
	return k
}

// Series returns the time series: one row per whole minute of [0, horizon),
// labelled with name, each with its demand for slots. p50/p99 are 0 in a
// minute without completions; instances and utilization are 0 in a minute
// without a sample, whose cumulative cost is the previous minute's.
func (c *Collector) Series(name string) []MinuteRow {
	n := int(c.cfg.Horizon / sim.Time(c.cfg.Minute))
	rows := make([]MinuteRow, 0, max(n, 0))
	var cost float64
	for m := 0; m < n; m++ {
		r := c.row(m)
		if r.sampled {
			cost = r.costUSD
		}
		rows = append(rows, MinuteRow{
			Strategy:           name,
			Minute:             m,
			Arrivals:           r.arrivals,
			Completed:          r.completed,
			Errors:             r.errors,
			P50MS:              r.p50MS,
			P99MS:              r.p99MS,
			InstancesInService: int(r.inService),
			Slots:              int(r.slots),
			Demand:             c.demand(r.arrivals),
			InstancesPending:   int(r.pending),
			Utilization:        r.util,
			CostUSD:            cost,
			IteratorAgeMS:      r.ageMS,
			Desired:            int(r.desired),
			GroupInService:     int(r.groupInService),
			GroupPending:       int(r.groupPending),
			MeanMS:             meanMS(r.latSumMS, r.completed),
			NodesInService:     int(r.nodes),
			NodesPending:       int(r.nodesPending),
		})
	}
	return rows
}

// meanMS is a mean latency from a sum of milliseconds over n completions;
// 0 without any.
func meanMS(sumMS float64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return sumMS / float64(n)
}
