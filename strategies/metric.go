package strategies

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// Metric names the per-instance aggregate a policy reads from a Period.
type Metric string

// The metrics a policy can scale on.
const (
	// MetricCPU is Period.CPU, the mean busy share of worker slots in
	// percent (ASGAverageCPUUtilization, docs/aws-behaviour.md §1.2).
	MetricCPU Metric = "cpu"
	// MetricRequestCountPerTarget is Period.RequestsPerTarget normalised to
	// requests per instance per minute: for count metrics such as
	// ALBRequestCountPerTarget the target means requests per instance per
	// 1-minute interval (docs/aws-behaviour.md §1.2).
	MetricRequestCountPerTarget Metric = "request_count_per_target"
	// MetricInFlight is Period.InFlight, mean requests in service per instance.
	MetricInFlight Metric = "in_flight"
	// MetricQueueLength is Period.QueueLength, mean queued requests per instance.
	MetricQueueLength Metric = "queue_length"
)

// The metrics of a stream that its consumers scale on
// (docs/aws-behaviour.md §5.7). Only a stream strategy's consumers use
// them; a group behind a load balancer has no data for them.
const (
	// MetricIteratorAge is Period.IteratorAgeMS, the stream's
	// GetRecords.IteratorAgeMilliseconds with the Maximum statistic, in
	// ms. It has data in a period with GetRecords calls.
	MetricIteratorAge Metric = "iterator_age"
	// MetricBacklogPerConsumer is Period.Backlog over the consumers the
	// period covers (Period.Instances): records written and not yet
	// processed per consumer, as AWS's queue backlog per instance
	// (§5.7).
	MetricBacklogPerConsumer Metric = "backlog_per_consumer"
)

// ParseMetric returns the metric named s: cpu, request_count_per_target
// (or requests_per_target), in_flight or queue_length.
func ParseMetric(s string) (Metric, error) {
	switch m := Metric(s); m {
	case MetricCPU, MetricRequestCountPerTarget, MetricInFlight, MetricQueueLength:
		return m, nil
	case "requests_per_target": // the scenario format's spelling
		return MetricRequestCountPerTarget, nil
	}
	return "", fmt.Errorf("unknown metric %q: use cpu, request_count_per_target, in_flight or queue_length", s)
}

// ParseStreamMetric returns the stream metric named s: iterator_age or
// backlog_per_consumer.
func ParseStreamMetric(s string) (Metric, error) {
	switch m := Metric(s); m {
	case MetricIteratorAge, MetricBacklogPerConsumer:
		return m, nil
	}
	return "", fmt.Errorf("unknown stream metric %q: use iterator_age or backlog_per_consumer", s)
}

// parseAlarmMetric returns the metric named s that a step or target
// tracking policy's alarm may watch: a group's (ParseMetric) or a
// stream's (ParseStreamMetric).
func parseAlarmMetric(s string) (Metric, error) {
	if m, err := ParseStreamMetric(s); err == nil {
		return m, nil
	}
	return ParseMetric(s)
}

// Value returns the metric's value in period p. It is meaningful only when
// p has data (p.Instances > 0). A request count over a period longer or
// shorter than a minute is scaled to requests per minute.
func (m Metric) Value(p Period) float64 {
	switch m {
	case MetricCPU:
		return p.CPU
	case MetricRequestCountPerTarget:
		return perMinute(p.RequestsPerTarget, p)
	case MetricInFlight:
		return p.InFlight
	case MetricQueueLength:
		return p.QueueLength
	case MetricIteratorAge:
		return p.IteratorAgeMS
	case MetricBacklogPerConsumer:
		if p.Instances == 0 {
			return 0
		}
		return p.Backlog / float64(p.Instances)
	}
	return 0
}

// Has reports whether period p carries a datapoint of the metric: one
// with instances covered, or, for the iterator age, one with GetRecords
// calls (a stream metric has data whoever reads it).
func (m Metric) Has(p Period) bool {
	if m == MetricIteratorAge {
		return p.GetRecordsCalls > 0 && p.End > p.Start
	}
	return hasData(p)
}

// Total returns the metric summed over every in-service instance of
// period p, those in warm-up included (Period.Load): the group's load in
// the metric's unit times instances, requests per minute for a request
// count. It is meaningful only when p.Load.Instances > 0.
func (m Metric) Total(p Period) float64 {
	switch m {
	case MetricCPU:
		return p.Load.CPU
	case MetricRequestCountPerTarget:
		return perMinute(p.Load.Requests, p)
	case MetricInFlight:
		return p.Load.InFlight
	case MetricQueueLength:
		return p.Load.QueueLength
	}
	return 0
}

// perMinute scales a count over period p to a count per minute.
func perMinute(count float64, p Period) float64 {
	span := p.End.Sub(p.Start)
	if span <= 0 {
		return count
	}
	return count * float64(sim.Minute) / float64(span)
}

// periodFeed hands each published period to a policy exactly once, in
// order, however many Decide calls see it.
type periodFeed struct {
	last    sim.Time // End of the newest period consumed
	started bool
}

// each calls fn for every period of ps (oldest first) not consumed yet.
// gap is true when the period does not start where the previous consumed
// one ended: the datapoints in between are missing.
func (f *periodFeed) each(ps []Period, fn func(p Period, gap bool)) {
	i := len(ps)
	for f.started && i > 0 && ps[i-1].End > f.last {
		i--
	}
	if !f.started {
		i = 0
	}
	for _, p := range ps[i:] {
		gap := f.started && p.Start != f.last
		f.last, f.started = p.End, true
		fn(p, gap)
	}
}

// hasData reports whether p carries a datapoint.
func hasData(p Period) bool { return p.Instances > 0 && p.End > p.Start }
