package models

import (
	"math"
	"math/rand/v2"

	"github.com/scalesim/scalesim/sim"
)

// Kinesis Data Streams limits and prices (docs/aws-behaviour.md §5).
const (
	ShardWriteRecordsPerSec = 1000            // per shard (§5.1)
	ShardWriteBytesPerSec   = 1 << 20         // 1 MB/s per shard (§5.1)
	ShardReadBytesPerSec    = 2 << 20         // 2 MB/s per shard, shared by its consumers (§5.1)
	MaxRecordsPerGet        = 10_000          // per GetRecords call (§5.1)
	PutUnitBytes            = 25 * 1024       // one PUT payload unit (§5.5)
	ShardHourUSD            = 0.015           // provisioned, per shard-hour (§5.5)
	PutUnitsMillionUSD      = 0.014           // provisioned, per million PUT payload units (§5.5)
	OnDemandStreamHourUSD   = 0.04            // on-demand, per stream-hour (§5.5, unconfirmed)
	OnDemandGBInUSD         = 0.08            // on-demand, per GB written (§5.5, unconfirmed)
	OnDemandGBOutUSD        = 0.04            // on-demand, per GB read (§5.5, unconfirmed)
	OnDemandInitialBytes    = 4 << 20         // on-demand starts at 4 MB/s write (§5.3)
	OnDemandMaxBytes        = 200 << 20       // on-demand ceiling, 200 MB/s (§5.3, 2023 figure)
	onDemandAdapt           = 15 * sim.Minute // traffic above 2× the prior peak within 15 min is throttled (§5.3)
)

// The producers' retries of a throttled put, as the AWS SDKs' standard
// retry mode makes them (docs/aws-behaviour.md §5.1).
const (
	// PutAttempts is how many times a producer tries a put before it gives
	// up: three, the standard mode's default.
	PutAttempts = 3
	// PutRetryBase is the base of the backoff after a throttling error: the
	// wait before the retry that follows attempt i is drawn uniformly from
	// [0, 2^i × PutRetryBase), at most putRetryCap.
	PutRetryBase = 500 * sim.Millisecond
	putRetryCap  = 20 * sim.Second
)

// Stream defaults.
const (
	// DefaultPollInterval is the KCL's default idle time between GetRecords
	// calls on a shard (§5.4); polling faster than 200 ms risks read throttling.
	DefaultPollInterval = sim.Second
	// DefaultDelivery is the put-to-readable delay: about 200 ms average for
	// a shared-throughput consumer (§5.4).
	DefaultDelivery = 200 * sim.Millisecond
	// DefaultRetention is the stream's default retention (§5.2).
	DefaultRetention = 24 * sim.Hour
	// DefaultRecordBytes is the record size when a scenario does not say.
	DefaultRecordBytes = 1024
	// DefaultCheckpointInterval is how often a record processor checkpoints:
	// once a minute, as the processor of AWS's KCL tutorial does (§5.6).
	DefaultCheckpointInterval = sim.Minute
	// DefaultFailover is how long a lease whose holder stopped renewing it
	// stays its own: the KCL's failoverTimeMillis, 10 s (§5.6).
	DefaultFailover = 10 * sim.Second
)

// Stream is a Kinesis-style stream in front of the consumers, a Door. It
// absorbs bursts up to its write limits and retention, and adds no
// processing capacity: the consumers are the fleet. The consumers read it
// as the Kinesis Client Library does (docs/aws-behaviour.md §5.6): one
// lease and one record processor per shard, checkpoints, and failover.
type Stream struct {
	Shards       int          // provisioned shards (on-demand: the shards it starts with)
	OnDemand     bool         // on-demand capacity mode: write and read capacity follow the traffic
	RecordBytes  int          // bytes per record (default DefaultRecordBytes)
	PollInterval sim.Duration // between GetRecords calls per shard (default DefaultPollInterval)
	Delivery     sim.Duration // put to readable (default DefaultDelivery)
	Retention    sim.Duration // records older than this are dropped (default DefaultRetention)
	// PerShardConcurrency is how many of a shard's records its record
	// processor works on at once, taken in order (default 1).
	PerShardConcurrency int
	// CheckpointInterval is how often a record processor records its
	// progress (default DefaultCheckpointInterval).
	CheckpointInterval sim.Duration
	// Failover is how long after its holder fails a lease may be taken by
	// another consumer (default DefaultFailover).
	Failover sim.Duration
}

// The stream door's own events, by sim.Event.Obj.
const (
	streamPoll   int32 = iota // the consumers poll their shards
	streamRetry               // a producer retries a throttled put (Arg: its pending put)
	streamExpire              // leases of a failed consumer expire
)

// pendingPut is a throttled put waiting for its retry.
type pendingPut struct {
	arrived sim.Time
	demand  float64
	tried   int // attempts made
}

// streamDoor is an open Stream.
type streamDoor struct {
	sys     *System
	cfg     Stream
	shards  []shard
	perPoll int        // records one GetRecords call may return
	backoff *rand.Rand // the producers' retry jitter

	pending     []pendingPut // throttled puts waiting for a retry
	freePending []int64

	refs    []recordRef // by request handle: the record a consumer holds
	counts  []int       // scratch: leases per consumer
	age     [2]ageMax   // GetRecords.IteratorAgeMilliseconds, per reader (ageSample, agePeriod)
	repeats RepeatSink  // hears re-processed records, if the sink listens

	// on-demand write capacity
	winStart     sim.Time
	winBytes     int64
	minuteStart  sim.Time
	minuteBytes  int64
	recent       []minuteRate // minute rates not yet 15 minutes old
	peakBytesSec float64      // peak minute rate at least 15 minutes old

	puts, gets int64 // records written and read since the last cost accrual
	costUSD    float64
	costSince  sim.Time
}

type minuteRate struct {
	end  sim.Time
	rate float64
}

// open implements Door.
func (cfg Stream) open(sys *System) door {
	if cfg.RecordBytes <= 0 {
		cfg.RecordBytes = DefaultRecordBytes
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.PerShardConcurrency <= 0 {
		cfg.PerShardConcurrency = 1
	}
	if cfg.CheckpointInterval <= 0 {
		cfg.CheckpointInterval = DefaultCheckpointInterval
	}
	if cfg.Failover <= 0 {
		cfg.Failover = DefaultFailover
	}
	perPoll := max(1, int(float64(ShardReadBytesPerSec)*cfg.PollInterval.Seconds())/cfg.RecordBytes)
	st := &streamDoor{sys: sys, cfg: cfg, perPoll: min(perPoll, MaxRecordsPerGet),
		backoff: sys.streams.Stream(sim.StreamRetries)}
	st.repeats, _ = sys.sink.(RepeatSink)
	st.addShards(max(cfg.Shards, 1))
	return st
}

// start implements door: the consumers first poll at time zero.
func (st *streamDoor) start() { st.sys.eng.Schedule(0, kindDoor, streamPoll, 0) }

// admit implements door: the record is written to a shard; a throttled
// write (ProvisionedThroughputExceeded) is retried after the SDK's backoff.
func (st *streamDoor) admit(now sim.Time, demand float64) {
	if !st.put(now, now, demand) {
		st.retry(now, now, demand, 1)
	}
}

// retry schedules another attempt of a put that arrived at arrived and was
// throttled tried times, or refuses it when the attempts are spent.
func (st *streamDoor) retry(now, arrived sim.Time, demand float64, tried int) {
	if tried >= PutAttempts {
		st.sys.leave(arrived, now, Rejected)
		return
	}
	wait := min(sim.Duration(st.backoff.Float64()*float64(PutRetryBase)*float64(int64(1)<<tried)), putRetryCap)
	p := pendingPut{arrived: arrived, demand: demand, tried: tried}
	var i int64
	if n := len(st.freePending); n > 0 {
		i = st.freePending[n-1]
		st.freePending = st.freePending[:n-1]
		st.pending[i] = p
	} else {
		i = int64(len(st.pending))
		st.pending = append(st.pending, p)
	}
	st.sys.eng.Schedule(now.Add(wait), kindDoor, streamRetry, i)
}

// event implements door.
func (st *streamDoor) event(ev sim.Event) {
	switch ev.Obj {
	case streamPoll:
		st.poll(ev.At)
	case streamRetry:
		p := st.pending[ev.Arg]
		st.pending[ev.Arg] = pendingPut{tried: -1}
		st.freePending = append(st.freePending, ev.Arg)
		if !st.put(ev.At, p.arrived, p.demand) {
			st.retry(ev.At, p.arrived, p.demand, p.tried+1)
		}
	case streamExpire:
		st.expire(ev.At)
	}
}

// costs implements door.
func (st *streamDoor) costs() (float64, float64) { return 0, st.costUSD }

// put writes at now one record that arrived at arrived, or reports false
// when the write is throttled.
func (st *streamDoor) put(now, arrived sim.Time, demand float64) bool {
	var sh *shard
	if st.cfg.OnDemand {
		if !st.onDemandAdmit(now) {
			return false
		}
		sh = &st.shards[st.sys.route.IntN(len(st.shards))]
	} else {
		sh = &st.shards[st.sys.route.IntN(len(st.shards))]
		if now-sh.winStart >= sim.Time(sim.Second) {
			sh.winStart, sh.winRecs = now-(now-sh.winStart)%sim.Time(sim.Second), 0
		}
		limit := min(ShardWriteRecordsPerSec, ShardWriteBytesPerSec/st.cfg.RecordBytes)
		if sh.winRecs >= limit {
			return false
		}
		sh.winRecs++
	}
	sh.log.push(logRecord{at: arrived, written: now, demand: demand})
	st.puts++
	return true
}

// onDemandAdmit applies on-demand mode's adaptive write capacity: the larger
// of the initial 4 MB/s and twice the peak minute rate seen at least 15
// minutes ago, capped at 200 MB/s. Read capacity follows: the stream splits
// shards until each takes 1 MB/s of that capacity (about 500 KB/s of the
// peak), each shard read at its 2 MB/s.
func (st *streamDoor) onDemandAdmit(now sim.Time) bool {
	rb := int64(st.cfg.RecordBytes)
	if now-st.minuteStart >= sim.Time(sim.Minute) {
		st.recent = append(st.recent, minuteRate{end: now, rate: float64(st.minuteBytes) / 60})
		st.minuteStart, st.minuteBytes = now-(now-st.minuteStart)%sim.Time(sim.Minute), 0
	}
	for len(st.recent) > 0 && now.Sub(st.recent[0].end) >= onDemandAdapt {
		st.peakBytesSec = math.Max(st.peakBytesSec, st.recent[0].rate)
		st.recent = st.recent[1:]
	}
	capacity := math.Min(math.Max(OnDemandInitialBytes, 2*st.peakBytesSec), OnDemandMaxBytes)
	if want := int(math.Ceil(capacity / ShardWriteBytesPerSec)); want > len(st.shards) {
		st.addShards(want - len(st.shards))
	}
	if now-st.winStart >= sim.Time(sim.Second) {
		st.winStart, st.winBytes = now-(now-st.winStart)%sim.Time(sim.Second), 0
	}
	if float64(st.winBytes+rb) > capacity {
		return false
	}
	st.winBytes += rb
	st.minuteBytes += rb
	return true
}

// addShards opens n new shards, their leases free.
func (st *streamDoor) addShards(n int) {
	for range n {
		st.shards = append(st.shards, shard{holder: -1})
	}
}

// poll is one round of the consumers' polling: records past the retention
// are dropped, leases change hands, and every shard whose lease a live
// consumer holds is checkpointed when due, read (one GetRecords call: at
// most the shard's 2 MB/s over the poll interval and 10,000 records, only
// records past the delivery delay, while the processor holds fewer than
// 10,000) and its records handed to the consumer in order.
func (st *streamDoor) poll(now sim.Time) {
	for k := range st.shards {
		st.trim(k, now)
	}
	st.leases(now)
	for k := range st.shards {
		sh := &st.shards[k]
		if !st.reading(sh) {
			continue
		}
		if now >= sh.nextCkpt {
			st.checkpoint(sh, now)
		}
		st.fetch(sh, now)
		st.dispatch(k, now)
	}
	st.sys.eng.Schedule(now.Add(st.cfg.PollInterval), kindDoor, streamPoll, 0)
}

// trim drops shard k's records older than the retention: a record a
// consumer holds is settled by its request, one never completed is Dropped.
func (st *streamDoor) trim(k int, now sim.Time) {
	sh := &st.shards[k]
	for sh.log.len() > 0 && sh.log.front().written.Add(st.cfg.Retention) <= now {
		r := sh.log.pop()
		sh.base++
		if r.flags&(recHeld|recDone) == 0 {
			st.sys.leave(r.at, now, Dropped)
		}
	}
	sh.done, sh.disp, sh.next = max(sh.done, sh.base), max(sh.disp, sh.base), max(sh.next, sh.base)
}

// fetch is one GetRecords call of shard sh's lease holder; it records the
// call's iterator age: the age of the last record it returned, 0 when it
// returned none (caught up).
func (st *streamDoor) fetch(sh *shard, now sim.Time) {
	room := min(st.perPoll, MaxRecordsPerGet-int(sh.next-sh.disp)-sh.inflight)
	if room <= 0 {
		return
	}
	end := sh.base + int64(sh.log.len())
	got := 0
	for got < room && sh.next < end && sh.log.at(int(sh.next-sh.base)).written.Add(st.cfg.Delivery) <= now {
		sh.next++
		got++
	}
	age := 0.0
	if got > 0 {
		age = float64(now.Sub(sh.log.at(int(sh.next-1-sh.base)).written)) / float64(sim.Millisecond)
	}
	for i := range st.age {
		st.age[i].ms = math.Max(st.age[i].ms, age)
		st.age[i].calls++
	}
	st.gets += int64(got)
}

// iteratorAge implements door.
func (st *streamDoor) iteratorAge(reader int) (float64, int) {
	a := st.age[reader]
	st.age[reader] = ageMax{}
	return a.ms, a.calls
}

// accrue implements door: the stream's charges since the last accrual.
func (st *streamDoor) accrue(now sim.Time) {
	hours := now.Sub(st.costSince).Hours()
	rb := float64(st.cfg.RecordBytes)
	if st.cfg.OnDemand {
		kb := math.Ceil(rb/1024) * 1024 // each record rounded up to 1 KB
		st.costUSD += hours*OnDemandStreamHourUSD + float64(st.puts)*kb/1e9*OnDemandGBInUSD + float64(st.gets)*kb/1e9*OnDemandGBOutUSD
	} else {
		units := math.Ceil(rb / PutUnitBytes)
		st.costUSD += hours*float64(len(st.shards))*ShardHourUSD + float64(st.puts)*units/1e6*PutUnitsMillionUSD
	}
	st.puts, st.gets, st.costSince = 0, 0, now
}

// finish implements door: puts waiting for a retry and records never
// completed that no consumer holds are in flight. (Those a consumer holds
// were settled with their requests.)
func (st *streamDoor) finish(horizon sim.Time) {
	for _, p := range st.pending {
		if p.tried >= 0 {
			st.sys.leave(p.arrived, horizon, InFlight)
		}
	}
	for k := range st.shards {
		sh := &st.shards[k]
		for sh.log.len() > 0 {
			if r := sh.log.pop(); r.flags&(recHeld|recDone) == 0 {
				st.sys.leave(r.at, horizon, InFlight)
			}
		}
	}
}
