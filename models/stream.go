package models

import (
	"math"

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
)

// Stream is a Kinesis-style stream in front of the consumers, a Door. It
// absorbs bursts up to its write limits and retention, and adds no
// processing capacity: the consumers are the fleet.
type Stream struct {
	Shards       int          // provisioned shards (on-demand: the shards consumers read)
	OnDemand     bool         // on-demand capacity mode: write limits adapt, never processing
	RecordBytes  int          // bytes per record (default DefaultRecordBytes)
	PollInterval sim.Duration // between GetRecords calls per shard (default DefaultPollInterval)
	Delivery     sim.Duration // put to readable (default DefaultDelivery)
	Retention    sim.Duration // records older than this are dropped (default DefaultRetention)
}

// record is one request waiting in a shard.
type record struct {
	at     sim.Time
	demand float64
}

// shard is one shard's backlog and its current one-second write window.
type shard struct {
	backlog  ring[record]
	winStart sim.Time
	winRecs  int
}

// streamDoor is an open Stream.
type streamDoor struct {
	sys    *System
	cfg    Stream
	shards []shard

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
	return &streamDoor{sys: sys, cfg: cfg, shards: make([]shard, max(cfg.Shards, 1))}
}

// start implements door: the consumers first poll at time zero.
func (st *streamDoor) start() { st.sys.eng.Schedule(0, kindDoor, 0, 0) }

// admit implements door: the record is written to a shard, or refused
// when the write is throttled (ProvisionedThroughputExceeded).
func (st *streamDoor) admit(now sim.Time, demand float64) {
	if !st.put(now, demand) {
		st.sys.leave(now, now, Rejected)
	}
}

// event implements door: the consumers poll.
func (st *streamDoor) event(ev sim.Event) { st.poll(ev.At) }

// costs implements door.
func (st *streamDoor) costs() (float64, float64) { return 0, st.costUSD }

// put writes one record, or reports false when the write is throttled.
func (st *streamDoor) put(now sim.Time, demand float64) bool {
	sh := &st.shards[st.sys.route.IntN(len(st.shards))]
	if st.cfg.OnDemand {
		if !st.onDemandAdmit(now) {
			return false
		}
	} else {
		if now-sh.winStart >= sim.Time(sim.Second) {
			sh.winStart, sh.winRecs = now-(now-sh.winStart)%sim.Time(sim.Second), 0
		}
		limit := min(ShardWriteRecordsPerSec, ShardWriteBytesPerSec/st.cfg.RecordBytes)
		if sh.winRecs >= limit {
			return false
		}
		sh.winRecs++
	}
	sh.backlog.push(record{at: now, demand: demand})
	st.puts++
	return true
}

// onDemandAdmit applies on-demand mode's adaptive write capacity: the larger
// of the initial 4 MB/s and twice the peak minute rate seen at least 15
// minutes ago, capped at 200 MB/s.
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

// poll lets every in-service consumer read its shards: shard k belongs to
// the (k mod n)-th in-service consumer. A consumer keeps at most
// MaxRecordsPerGet records fetched and not yet served, reads at most the
// shard's 2 MB/s over the poll interval, and only records past the delivery
// delay. Records older than the retention are dropped first.
func (st *streamDoor) poll(now sim.Time) {
	sys := st.sys
	perPoll := max(1, int(float64(ShardReadBytesPerSec)*st.cfg.PollInterval.Seconds())/st.cfg.RecordBytes)
	perPoll = min(perPoll, MaxRecordsPerGet)
	for k := range st.shards {
		sh := &st.shards[k]
		for sh.backlog.len() > 0 && sh.backlog.front().at.Add(st.cfg.Retention) <= now {
			r := sh.backlog.pop()
			sys.leave(r.at, now, Dropped)
		}
		if len(sys.routable) == 0 {
			continue
		}
		id := sys.routable[k%len(sys.routable)]
		in := &sys.inst[id]
		if !in.canServe() {
			continue // a failed consumer polls nothing
		}
		room := MaxRecordsPerGet - int(in.busy+in.queued)
		for n := 0; n < min(perPoll, room) && sh.backlog.len() > 0 && sh.backlog.front().at.Add(st.cfg.Delivery) <= now; n++ {
			r := sh.backlog.pop()
			st.gets++
			sys.deliver(id, r.at, r.demand, now)
		}
	}
	sys.eng.Schedule(now.Add(st.cfg.PollInterval), kindDoor, 0, 0)
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

// finish implements door: every record still in a shard is in flight.
func (st *streamDoor) finish(horizon sim.Time) {
	for k := range st.shards {
		for st.shards[k].backlog.len() > 0 {
			r := st.shards[k].backlog.pop()
			st.sys.leave(r.at, horizon, InFlight)
		}
	}
}
