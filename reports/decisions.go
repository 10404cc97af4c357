package reports

import (
	"math"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// DecisionRecord is one scaling decision: when, what the strategy saw and
// why it acted (Reason names the rule and the metric values), the desired
// capacity before and after, and when the fleet actually reached it.
type DecisionRecord struct {
	Strategy     string
	At           sim.Time
	From, To     int    // desired capacity before and after
	InstanceType string // the type asked for (vertical), or the current one
	// PodCPU is the CPU request, in cores, the decision gives pods (a
	// Kubernetes strategy's VPA), 0 for none.
	PodCPU    float64
	Reason    string
	InService int // in service when it decided
	Pending   int // launching when it decided
	// ReachedAt is the end of the first sampled minute in which the
	// in-service count reached To (scale-out) or fell to it (scale-in);
	// -1 if it never did within the run.
	ReachedAt sim.Time
}

// EventRecord is something that happened to the fleet: a failure, a zone
// outage, a resize, an instance entering service.
type EventRecord struct {
	Strategy string
	At       sim.Time
	Kind     string
	Detail   string
}

// decisionLog is the collector's record of decisions and events.
type decisionLog struct {
	decided []DecisionRecord
	events  []EventRecord
	open    int // decided[open:] have not reached their target yet
}

// record adds a decision.
func (l *decisionLog) record(t sim.Time, d strategies.Decision, before strategies.FleetView) {
	typ := d.InstanceType
	if typ == "" {
		typ = before.InstanceType
	}
	var cpu float64
	if len(d.Update) > 0 {
		cpu = d.PodCPU
	}
	l.decided = append(l.decided, DecisionRecord{At: t, From: before.Desired, To: d.Desired, InstanceType: typ, PodCPU: cpu,
		Reason: d.Reason, InService: before.InService, Pending: before.Pending, ReachedAt: -1})
}

// sampled marks the decisions whose target the fleet reached by end.
func (l *decisionLog) sampled(end sim.Time, inService, pending int) {
	for i := l.open; i < len(l.decided); i++ {
		d := &l.decided[i]
		if d.ReachedAt >= 0 || end <= d.At {
			continue
		}
		grow := d.To >= d.From
		if grow && inService >= d.To && pending == 0 || !grow && inService <= d.To {
			d.ReachedAt = end
		}
	}
	for l.open < len(l.decided) && l.decided[l.open].ReachedAt >= 0 {
		l.open++
	}
}

// FleetEvent implements models.EventSink.
func (c *Collector) FleetEvent(t sim.Time, kind, detail string) {
	c.log.events = append(c.log.events, EventRecord{At: t, Kind: kind, Detail: detail})
}

// Decisions returns the run's scaling decisions, labelled with name.
func (c *Collector) Decisions(name string) []DecisionRecord {
	out := append([]DecisionRecord(nil), c.log.decided...)
	for i := range out {
		out[i].Strategy = name
	}
	return out
}

// Events returns the run's fleet events, labelled with name.
func (c *Collector) Events(name string) []EventRecord {
	out := append([]EventRecord(nil), c.log.events...)
	for i := range out {
		out[i].Strategy = name
	}
	return out
}

// LatencyCDF returns the distribution of the measured latencies as CDF
// points at log-spaced quantiles (finer in the tail), labelled with name.
func (c *Collector) LatencyCDF(name string) LatencyCDF {
	out := LatencyCDF{Strategy: name}
	if c.hist.TotalCount() == 0 {
		return out
	}
	// Quantiles 1 − 10^(−k/8) for k = 0..32 reach p99.99; plus the body.
	qs := []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}
	for k := 8; k <= 32; k++ {
		qs = append(qs, 1-math.Pow(10, -float64(k)/8))
	}
	qs = append(qs, 1)
	last := -1.0
	for _, q := range qs {
		v := min(usToMS(c.hist.ValueAtQuantile(100*q)), c.latMax.Milliseconds())
		if q == 1 {
			v = c.latMax.Milliseconds()
		}
		if v <= last {
			if q == 1 {
				out.Points[len(out.Points)-1].Fraction = 1
			}
			continue
		}
		out.Points = append(out.Points, CDFPoint{LatencyMS: v, Fraction: q})
		last = v
	}
	return out
}
