package strategies

import "fmt"

// Consumers is the policy of a stream strategy: a fixed fleet of consumer
// instances reading a stream's shards, each shard read by the one consumer
// holding its lease, so at most as many consumers as shards ever work
// (docs/aws-behaviour.md §5.6). It never scales: the stream in front
// absorbs a burst up to its write limits and retention, and adds no
// processing capacity, so what the consumers cannot serve waits in the
// stream. How far behind they read is in its observations
// (Period.IteratorAgeMS), for a policy that would act on it.
type Consumers struct {
	fixedFleet
	shards int
}

// NewConsumers returns count consumers of instanceType reading shards
// shards (at least 1).
func NewConsumers(name, instanceType string, count, shards int) (*Consumers, error) {
	if shards < 1 {
		return nil, fmt.Errorf("stream strategy %s: shards must be at least 1, got %d", name, shards)
	}
	f, err := newFixedFleet("stream strategy", name, instanceType, count,
		fmt.Sprintf("%d consumers reading %d shards", count, shards))
	if err != nil {
		return nil, err
	}
	return &Consumers{fixedFleet: f, shards: shards}, nil
}
