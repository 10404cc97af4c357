package models

import (
	"fmt"
	"math"

	"github.com/scalesim/scalesim/sim"
)

// BillingMinimum is the least EC2 bills for each start of an on-demand Linux
// instance: billing is per second with a 60-second minimum, and a
// stopped→running start begins a new minimum (docs/aws-behaviour.md section 6).
const BillingMinimum = 60 * sim.Second

// nanoUSDHourNanos converts rate × time from nano-USD per hour times
// nanoseconds to USD: 1e9 nano-USD per USD × 3.6e12 ns per hour.
const nanoUSDHourNanos = 1e9 * 3.6e12

// Meter bills EC2 on-demand instances: per second, with BillingMinimum for
// every start. Instances are named by small non-negative handles (the
// storage grows to the largest handle seen), and a handle may be started
// again after it is stopped. The caller stops an instance when it enters
// stopping or shutting-down, which is when AWS stops charging.
//
// The cost at time t is the sum over every run of price × max(billed time,
// BillingMinimum), where a running instance's billed time is t - start: the
// minimum is owed from the moment of the start. Start and Stop are O(1) and
// CostAt is O(1) amortised. Calls must come in non-decreasing time order
// (CostAt and InstanceSecondsAt included); going back in time is a
// programming error and panics. The zero Meter is ready to use; a Meter must
// not be copied after first use.
type Meter struct {
	runs []meterRun // by handle
	// young holds the runs started less than BillingMinimum ago, oldest
	// first; stopped runs are skipped lazily when they reach the head.
	young     []youngRun
	youngHead int
	last      sim.Time // time of the latest call

	runningN    int   // instances running
	runningRate int64 // Σ price of running instances, nano-USD per hour
	matureN     int   // running instances past their minimum
	matureRate  int64 // Σ price of those, nano-USD per hour

	// Cost and instance-seconds are the committed minimums of every start
	// plus the time mature runs accrued beyond their minimum, up to last.
	// Each only ever grows, so their sums never decrease.
	minimumUSD, accruedUSD float64
	minimumSec, accruedSec float64
}

// meterRun is the state of one handle.
type meterRun struct {
	start   sim.Time
	rate    int64  // price in nano-USD per hour
	gen     uint32 // counts the handle's starts, to recognise stale young entries
	running bool
	mature  bool // running for BillingMinimum or more
}

// youngRun is an entry of Meter.young.
type youngRun struct {
	matureAt sim.Time
	handle   int32
	gen      uint32
}

// Start begins billing the instance handle at time at, at priceUSDHour
// dollars per hour; its first BillingMinimum is owed at once. Starting a
// running handle, a negative handle, or a negative or non-finite price is a
// programming error and panics.
func (m *Meter) Start(handle int32, at sim.Time, priceUSDHour float64) {
	if handle < 0 {
		panic(fmt.Sprintf("models: meter start of negative handle %d", handle))
	}
	if !(priceUSDHour >= 0) || math.IsInf(priceUSDHour, 0) {
		panic(fmt.Sprintf("models: meter start of handle %d at invalid price %v $/h", handle, priceUSDHour))
	}
	m.advance(at)
	for int(handle) >= len(m.runs) {
		m.runs = append(m.runs, meterRun{})
	}
	r := &m.runs[handle]
	if r.running {
		panic(fmt.Sprintf("models: meter start of handle %d at %v, running since %v", handle, at, r.start))
	}
	rate := int64(math.Round(priceUSDHour * 1e9))
	*r = meterRun{start: at, rate: rate, gen: r.gen + 1, running: true}
	m.runningN++
	m.runningRate += rate
	m.minimumUSD += float64(rate) * float64(BillingMinimum) / nanoUSDHourNanos
	m.minimumSec += BillingMinimum.Seconds()
	m.young = append(m.young, youngRun{matureAt: at.Add(BillingMinimum), handle: handle, gen: r.gen})
}

// Stop ends billing the instance handle at time at. An instance stopped
// before BillingMinimum has passed is billed the minimum. Stopping a handle
// that is not running is a programming error and panics.
func (m *Meter) Stop(handle int32, at sim.Time) {
	if handle < 0 || int(handle) >= len(m.runs) || !m.runs[handle].running {
		panic(fmt.Sprintf("models: meter stop of handle %d at %v, which is not running", handle, at))
	}
	m.advance(at)
	r := &m.runs[handle]
	if r.mature {
		m.matureN--
		m.matureRate -= r.rate
	}
	r.running, r.mature = false, false
	m.runningN--
	m.runningRate -= r.rate
}

// CostAt returns the cumulative cost in USD of every run up to at,
// including the running instances (each billed at least BillingMinimum).
// It never decreases from one call to the next.
func (m *Meter) CostAt(at sim.Time) float64 {
	m.advance(at)
	return m.minimumUSD + m.accruedUSD
}

// InstanceSecondsAt returns the billed instance-seconds up to at, with the
// minimum applied to every start as in CostAt.
func (m *Meter) InstanceSecondsAt(at sim.Time) float64 {
	m.advance(at)
	return m.minimumSec + m.accruedSec
}

// Running returns the number of instances being billed.
func (m *Meter) Running() int { return m.runningN }

// RateUSDHour returns the sum of the hourly prices of the running instances.
func (m *Meter) RateUSDHour() float64 { return float64(m.runningRate) / 1e9 }

// advance brings the running totals to time t: runs whose minimum ends by t
// start accruing from that instant.
func (m *Meter) advance(t sim.Time) {
	if t < m.last {
		panic(fmt.Sprintf("models: meter time went back from %v to %v", m.last, t))
	}
	for m.youngHead < len(m.young) && m.young[m.youngHead].matureAt <= t {
		y := m.young[m.youngHead]
		m.youngHead++
		r := &m.runs[y.handle]
		if !r.running || r.gen != y.gen {
			continue // stopped within its minimum
		}
		m.accrue(y.matureAt)
		r.mature = true
		m.matureN++
		m.matureRate += r.rate
	}
	m.accrue(t)
	switch {
	case m.youngHead == len(m.young):
		m.young, m.youngHead = m.young[:0], 0
	case m.youngHead >= 64 && 2*m.youngHead >= len(m.young):
		n := copy(m.young, m.young[m.youngHead:])
		m.young, m.youngHead = m.young[:n], 0
	}
}

// accrue adds the mature runs' time from last to t.
func (m *Meter) accrue(t sim.Time) {
	dt := t.Sub(m.last)
	if dt <= 0 {
		return
	}
	m.accruedUSD += float64(m.matureRate) * float64(dt) / nanoUSDHourNanos
	m.accruedSec += float64(m.matureN) * dt.Seconds()
	m.last = t
}
