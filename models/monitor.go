package models

import (
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Monitoring defaults, after CloudWatch (docs/aws-behaviour.md §2).
const (
	// DefaultMetricPeriod is detailed monitoring's one-minute period; basic
	// monitoring's is five minutes.
	DefaultMetricPeriod = sim.Minute
	// DefaultMetricDelay is how long after a period ends its datapoint can
	// be read. AWS gives no figure; the typical ingestion lag reported for
	// one-minute metrics is about two minutes, and the modelling default is
	// 60–120 s (§2.2, not documented by AWS), so the default takes 60 s.
	DefaultMetricDelay = 60 * sim.Second
)

// MonitorConfig sets how metrics are published to strategies.
type MonitorConfig struct {
	Period sim.Duration // aggregation period (default DefaultMetricPeriod)
	Delay  sim.Duration // publication delay after the period ends (default DefaultMetricDelay)
	// Warmup is how long an instance's data stays out of the group's
	// aggregate after it enters service (the instance warm-up).
	Warmup sim.Duration
}

// monitor turns instance counters into published periods.
type monitor struct {
	cfg     MonitorConfig
	periods []strategies.Period // every closed period, oldest first
	publish []sim.Time          // when each period becomes readable
	start   sim.Time            // start of the open period
}

// visible returns the periods readable at now.
func (m *monitor) visible(now sim.Time) []strategies.Period {
	n := len(m.periods)
	for n > 0 && m.publish[n-1] > now {
		n--
	}
	return m.periods[:n:n]
}

// closePeriod aggregates the in-service, warmed-up instances over the period
// ending at now. Instances still in warm-up, launching or draining are left
// out; with none left the period has no data (Instances = 0). The period's
// Load totals every in-service instance, those in warm-up included.
func (s *System) closePeriod(now sim.Time) {
	m := &s.mon
	p := strategies.Period{Start: m.start, End: now}
	var cpu, inFlight, queue float64
	var routed int64
	for i := range s.inst {
		in := &s.inst[i]
		in.accrue(now)
		busy, queued, r := in.busyArea-in.periodBusy, in.queueArea-in.periodQueue, in.routed-in.periodRouted
		in.periodBusy, in.periodQueue, in.periodRouted = in.busyArea, in.queueArea, in.routed
		if !in.running() {
			continue
		}
		span := float64(now - max(m.start, in.inServiceAt))
		if span <= 0 {
			continue
		}
		c := 100 * busy / (float64(in.slots) * span)
		p.Load.Instances++
		p.Load.CPU += c
		p.Load.Requests += float64(r)
		p.Load.InFlight += busy / span
		p.Load.QueueLength += queued / span
		if in.inServiceAt.Add(m.cfg.Warmup) > now {
			continue
		}
		p.Instances++
		cpu += c
		inFlight += busy / span
		queue += queued / span
		routed += r
	}
	if p.Instances > 0 {
		n := float64(p.Instances)
		p.CPU = cpu / n
		p.InFlight = inFlight / n
		p.QueueLength = queue / n
		p.RequestsPerTarget = float64(routed) / n
	}
	p.IteratorAgeMS, p.GetRecordsCalls = s.door.iteratorAge(agePeriod)
	p.Backlog = float64(s.door.backlog())
	m.periods = append(m.periods, p)
	m.publish = append(m.publish, now.Add(m.cfg.Delay))
	m.start = now
}
