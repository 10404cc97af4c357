package scenarios

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestConsumersAutoscaleShardLimit: consumers that scale on the iterator
// age of a stream with too few shards for its traffic reach the shard
// count with the age still above the target, and the notes say that the
// shards, not the consumers, are the limit, and that the consumers the
// group asked for beyond the shard count got nothing to read. Four
// shards whose processors work on two records at a time, 50 ms each,
// serve 160 records/s; 300/s arrive.
// Reference: one lease per shard, docs/aws-behaviour.md §5.6, §5.7.
func TestConsumersAutoscaleShardLimit(t *testing.T) {
	sc, err := loadString(t, valid, "duration=30m", "workload.rate=300",
		`strategies=[{name: k, type: stream, shards: 4, consumers: {instance_type: m5.large, per_shard_concurrency: 2,
		  autoscale: {metric: iterator_age, target: 5000, min: 2, max: 8, instance_warmup: 60s}}}]`)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{})
	notes := res.Strategies[0].Notes
	limit := regexp.MustCompile(`^shards are the limit: consumers reached the shard count \(4\) at \d\d:\d\d and the iterator age kept growing above its target \(5000\) for \d+ minutes; more consumers would sit idle, one lease per shard: add shards \(or raise per_shard_concurrency\)$`)
	if !slices.ContainsFunc(notes, limit.MatchString) {
		t.Errorf("notes %q: want the shard limit", notes)
	}
	idle := "idle consumers: the group asked for up to 8 consumers for 4 shards; the 4 beyond the shard count got no record"
	if !slices.Contains(notes, idle) {
		t.Errorf("notes %q: want %q", notes, idle)
	}
	if !slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, backlogNote) }) {
		t.Errorf("notes %q: want the backlog the shards could not serve", notes)
	}
	t.Log(strings.Join(notes, "\n"))
}

// TestConsumersAutoscaleEnoughShards: with shards enough for the traffic
// (six whose processors work on four records at a time serve 480
// records/s), 300/s, more than the two consumers it starts with serve,
// is drained once the group has scaled out, and no shard note appears.
func TestConsumersAutoscaleEnoughShards(t *testing.T) {
	sc, err := loadString(t, valid, "duration=45m", "workload.rate=300",
		`strategies=[{name: k, type: stream, shards: 6, consumers: {instance_type: m5.xlarge, per_shard_concurrency: 4,
		  autoscale: {metric: iterator_age, target: 5000, min: 2, max: 6, instance_warmup: 60s}}}]`)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{})
	s := res.Strategies[0]
	for _, n := range s.Notes {
		if strings.HasPrefix(n, shardLimitNote) || strings.HasPrefix(n, idleGroupNote) {
			t.Errorf("note %q with a shard for every consumer", n)
		}
	}
	if s.ScalingActions == 0 || s.Capacity.InstancesMax <= 2 {
		t.Errorf("%d scaling actions, at most %d consumers: want the group to scale out", s.ScalingActions, s.Capacity.InstancesMax)
	}
	if n := s.Requests.InFlightAtEnd; n*100 >= s.Requests.Arrived {
		t.Errorf("%d records left of %d: want the backlog drained", n, s.Requests.Arrived)
	}
}
