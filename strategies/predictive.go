package strategies

import (
	"fmt"
	"math"

	"github.com/scalesim/scalesim/sim"
)

// Predictive scaling defaults and limits (docs/aws-behaviour.md §1.7).
const (
	// DefaultSchedulingBuffer is SchedulingBufferTime's default: capacity
	// forecast for 10:00 launches at 09:55.
	DefaultSchedulingBuffer = 300 * sim.Second
	// MaxSchedulingBuffer bounds SchedulingBufferTime, exclusive: it must
	// be less than the 3600 s forecast interval.
	MaxSchedulingBuffer = 3600 * sim.Second
	// MinPredictiveHistory is the metric history a forecast needs.
	MinPredictiveHistory = 24 * sim.Hour
	// DefaultLookbackDays is how many past days the forecast averages: the
	// documented look-back window is 14 days.
	DefaultLookbackDays = 14
	// MaxLookbackDays is the longest look-back, AWS's 14 days.
	MaxLookbackDays = 14
)

// Predictive modes and max-capacity behaviours, as written in
// PolicyConfig. ForecastOnly is the default mode, as in AWS.
const (
	ForecastAndScale    = "forecast_and_scale"
	ForecastOnly        = "forecast_only"
	HonorMaxCapacity    = "honor_max_capacity"
	IncreaseMaxCapacity = "increase_max_capacity"
)

// Predictive is a predictive scaling policy (docs/aws-behaviour.md §1.7). It
// records the load it sees in published periods, hour by hour: a period's
// load is the metric summed over every in-service instance, those in
// warm-up included (Metric.Total: requests per minute for
// request_count_per_target, busy percent × instances for cpu), as AWS
// forecasts from the group's total load metric; an hour's load is the
// mean over its periods with data.
//
// Once it has MinPredictiveHistory of data, SchedulingBufferTime before
// each hour it forecasts that hour's load as the mean of the same hour on
// each of the last LookbackDays days it has data for (so with one day of
// history, the same hour yesterday; AWS's forecast is a model trained on up
// to 14 days, which a same-hour mean stands in for), and the capacity as
// ceil(load / target). It raises the desired capacity to that forecast if
// it is lower and holds the group at or above it until the next forecast;
// it never scales in (Proposal.Floor). With MaxCapacityBreachBehavior
// increase_max_capacity a forecast above the group's max lifts the max to
// the forecast plus MaxCapacityBuffer percent (forecast 50, max 40, buffer
// 10 → 55); the default honors the max.
//
// Its History, when given, is the group's load recorded before time zero
// (up to MaxLookbackDays of it, at least MinPredictiveHistory): its hours
// are used exactly as observed ones, so with history a forecast comes from
// the first hour of the run, as AWS forecasts from the metric's past 14
// days.
//
// Its mode is ForecastOnly unless ForecastAndScale is asked for, as in
// AWS: a forecast_only policy computes and reports its forecasts in the
// decisions' reasons but never changes the group.
type Predictive struct {
	metric      Metric
	target      float64
	buffer      sim.Duration
	lookback    int
	scale       bool
	increaseMax bool
	maxBuffer   int

	feed        periodFeed
	hours       []hourLoad // by hour since time zero
	past        []hourLoad // hour -1-i before time zero at i: the history
	first, last sim.Time   // span of the periods with data
	seen        bool

	forHour  int // the hour the current forecast covers; -1 before the first
	forecast int // capacity for forHour; 0 for none
	why      string
}

// hourLoad accumulates one hour's load.
type hourLoad struct {
	sum float64
	n   int
}

// NewPredictive returns the predictive policy c describes (Type
// predictive). Errors are *FieldError naming the field.
func NewPredictive(c PolicyConfig) (*Predictive, error) {
	m, err := ParseMetric(c.Metric)
	if err != nil {
		return nil, &FieldError{Field: "metric", Msg: err.Error()}
	}
	if err := checkTarget(m, c.Target); err != nil {
		return nil, err
	}
	p := &Predictive{metric: m, target: c.Target, buffer: DefaultSchedulingBuffer, lookback: DefaultLookbackDays, forHour: -1}
	if c.SchedulingBufferTime != nil {
		p.buffer = *c.SchedulingBufferTime
		if p.buffer < 0 || p.buffer >= MaxSchedulingBuffer {
			return nil, fieldErrorf("scheduling_buffer_time", "must be from 0 to less than %v (got %v)", MaxSchedulingBuffer, p.buffer)
		}
	}
	if c.LookbackDays != 0 {
		if c.LookbackDays < 1 || c.LookbackDays > MaxLookbackDays {
			return nil, fieldErrorf("lookback_days", "must be from 1 to %d (got %d)", MaxLookbackDays, c.LookbackDays)
		}
		p.lookback = c.LookbackDays
	}
	switch c.Mode {
	case ForecastAndScale:
		p.scale = true
	case "", ForecastOnly:
	default:
		return nil, fieldErrorf("mode", "must be %s or %s (got %q)", ForecastAndScale, ForecastOnly, c.Mode)
	}
	switch c.MaxCapacityBreachBehavior {
	case "", HonorMaxCapacity:
	case IncreaseMaxCapacity:
		p.increaseMax = true
	default:
		return nil, fieldErrorf("max_capacity_breach_behavior", "must be %s or %s (got %q)", HonorMaxCapacity, IncreaseMaxCapacity, c.MaxCapacityBreachBehavior)
	}
	if c.MaxCapacityBuffer < 0 || c.MaxCapacityBuffer > 100 {
		return nil, fieldErrorf("max_capacity_buffer", "must be a percentage from 0 to 100 (got %d)", c.MaxCapacityBuffer)
	}
	p.maxBuffer = c.MaxCapacityBuffer
	if c.History != nil {
		if err := p.addHistory(c.History); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// maxHistory is how far before time zero history counts: AWS's 14-day
// look-back.
const maxHistory = MaxLookbackDays * 24 * sim.Hour

// addHistory records the periods of h that start in the 14 days before
// time zero, as record does the run's, and requires MinPredictiveHistory
// of them: AWS needs 24 hours of data before it forecasts.
func (p *Predictive) addHistory(h *HistoryConfig) error {
	for i, q := range h.Points {
		if q.Span <= 0 || !(q.Load >= 0) || math.IsInf(q.Load, 0) {
			return fieldErrorf("history", "%s: period %d has span %v and load %g; want a span > 0 and a finite load ≥ 0", h.Path, i, q.Span, q.Load)
		}
		if i > 0 && q.Start <= h.Points[i-1].Start {
			return fieldErrorf("history", "%s: period %d starts at %v, not after period %d at %v", h.Path, i, q.Start, i-1, h.Points[i-1].Start)
		}
		if q.Start >= 0 || q.Start < sim.Time(-maxHistory) {
			continue
		}
		if !p.seen {
			p.first, p.last, p.seen = q.Start, q.Start, true
		}
		p.last = max(p.last, q.Start.Add(q.Span))
		p.hourAt(hourOf(q.Start), true).add(q.Load)
	}
	if have := p.last.Sub(p.first); !p.seen || have < MinPredictiveHistory {
		if !p.seen {
			have = 0
		}
		return fieldErrorf("history", "%s holds %v of load in the %d days before time zero; a forecast needs %v",
			h.Path, have, MaxLookbackDays, MinPredictiveHistory)
	}
	return nil
}

// hourOf is the hour of the run t lies in, negative before time zero.
func hourOf(t sim.Time) int { return int(floorDiv(int64(t), int64(sim.Hour))) }

// hourAt returns hour h's load (h < 0 in the history), growing the
// records when grow is set, or nil when there is none.
func (p *Predictive) hourAt(h int, grow bool) *hourLoad {
	hours, i := &p.hours, h
	if h < 0 {
		hours, i = &p.past, -h-1
	}
	if i >= len(*hours) {
		if !grow {
			return nil
		}
		*hours = append(*hours, make([]hourLoad, i+1-len(*hours))...)
	}
	return &(*hours)[i]
}

// add counts one period's load in the hour.
func (l *hourLoad) add(load float64) {
	l.sum += load
	l.n++
}

// Name implements Policy, e.g. "predictive request_count_per_target".
func (p *Predictive) Name() string { return "predictive " + string(p.metric) }

// JointScaleIn implements Policy: false, predictive scaling never scales
// in (it holds a floor, Proposal.Floor).
func (p *Predictive) JointScaleIn() bool { return false }

// Propose implements Policy.
func (p *Predictive) Propose(obs Observation, b Bounds) Proposal {
	p.feed.each(obs.Periods, func(q Period, _ bool) { p.record(q) })
	if h := int((obs.Now.Add(p.buffer)) / sim.Time(sim.Hour)); h != p.forHour {
		p.forHour = h
		p.forecast, p.why = p.forecastFor(h)
	}
	if p.forecast == 0 {
		return Proposal{Reason: p.Name() + ": " + p.why}
	}
	if !p.scale {
		return Proposal{Reason: fmt.Sprintf("%s (forecast only): %s", p.Name(), p.why)}
	}
	floor, override := p.forecast, 0
	if p.increaseMax && floor > b.Max {
		override = int(math.Ceil(float64(floor) * float64(100+p.maxBuffer) / 100))
	}
	floor = min(floor, max(b.Max, override))
	cur := obs.Fleet.Desired
	if floor > cur {
		return Proposal{Vote: ScaleOut, Desired: floor, Floor: floor, MaxOverride: override,
			Reason: fmt.Sprintf("%s: %s → desired %d→%d", p.Name(), p.why, cur, floor)}
	}
	return Proposal{Floor: floor, MaxOverride: override,
		Reason: fmt.Sprintf("%s: %s; desired %d already covers it", p.Name(), p.why, cur)}
}

// record adds a period's load to its hour.
func (p *Predictive) record(q Period) {
	if q.Load.Instances == 0 || q.End <= q.Start || q.Start < 0 {
		return
	}
	if !p.seen {
		p.first, p.last, p.seen = q.Start, q.Start, true
	}
	p.last = max(p.last, q.End)
	p.hourAt(hourOf(q.Start), true).add(p.metric.Total(q))
}

// forecastFor returns the capacity forecast for hour h and its account.
func (p *Predictive) forecastFor(h int) (int, string) {
	label := hourLabel(h)
	if !p.seen || p.last.Sub(p.first) < MinPredictiveHistory {
		have := sim.Duration(0)
		if p.seen {
			have = p.last.Sub(p.first)
		}
		return 0, fmt.Sprintf("no forecast for %s: %v of history, %v needed", label, have, MinPredictiveHistory)
	}
	var sum float64
	days := 0
	for k := 1; k <= p.lookback; k++ {
		if l := p.hourAt(h-24*k, false); l != nil && l.n > 0 {
			sum += l.sum / float64(l.n)
			days++
		}
	}
	if days == 0 {
		return 0, fmt.Sprintf("no forecast for %s: no data for that hour in the last %d days", label, p.lookback)
	}
	load := sum / float64(days)
	capacity := ceilRatio(load, p.target)
	return capacity, fmt.Sprintf("forecast for %s from %d day(s) of that hour: load %.1f ÷ target %g = %d",
		label, days, load, p.target, capacity)
}

// hourLabel names hour h of the run, e.g. "day 1 10:00" (days from 0).
func hourLabel(h int) string { return fmt.Sprintf("day %d %02d:00", h/24, h%24) }
