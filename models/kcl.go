package models

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// This file holds how a stream's consumers read it, as the Kinesis Client
// Library runs them (docs/aws-behaviour.md §5.6):
//
//   - every shard has one lease; the consumer holding it runs the shard's
//     one record processor, which fetches the shard's records in order and
//     works on PerShardConcurrency of them at a time, in order;
//   - a consumer holds at most as many leases as it has worker slots; a
//     shard whose lease no live consumer holds waits;
//   - the processor checkpoints every CheckpointInterval: the position up
//     to which it has completed every record;
//   - a consumer that fails or whose zone goes down reads and completes
//     nothing; Failover after the failure its leases expire and other
//     consumers with room take them, reading again from the checkpoint, so
//     records completed since are processed again (never dropped);
//   - a consumer that leaves service (scale-in) or that the balance takes a
//     lease from gives it up gracefully: it fetches no more, finishes what
//     it holds, checkpoints and lets the lease go;
//   - leases are balanced: when one live consumer holds two or more leases
//     more than another with room, it gives one up.

// Record flags.
const (
	recDone    uint8 = 1 << iota // completed at least once: its ledger outcome is settled
	recDoneNow                   // completed by the lease's current holder
	recHeld                      // a consumer holds it (queued or in service)
)

// logRecord is one record of a shard, kept from its lease's checkpoint on.
type logRecord struct {
	at      sim.Time // the request's arrival: its latency counts from here
	written sim.Time // the successful put (after the producer's retries)
	demand  float64
	flags   uint8
}

// shard is one shard: its write window, its records from the checkpoint
// on, and its lease. Sequence numbers count the shard's records from 0;
// base ≤ done ≤ disp ≤ next ≤ base + log.len().
type shard struct {
	winStart sim.Time
	winRecs  int

	log  ring[logRecord]
	base int64 // sequence number of the log's first record: the checkpoint, or the oldest record retained
	done int64 // the holder has completed every record before it: what a checkpoint records
	disp int64 // the holder has handed every record before it to its consumer
	next int64 // the holder has fetched every record before it

	holder    int32    // the consumer instance holding the lease; -1 when free
	epoch     uint32   // bumped whenever the lease changes hands
	inflight  int      // records handed to the holder and not yet completed or lost
	dead      bool     // the holder failed: the lease expires at expires
	expires   sim.Time //
	releasing bool     // the holder gives the lease up once what it holds is done
	nextCkpt  sim.Time // the holder's next checkpoint
}

// recordRef is the record a request of the stream's consumers serves.
type recordRef struct {
	shard int32
	epoch uint32 // the lease's epoch when it was handed out
	seq   int64
	done  bool // completed before it was handed out: completing it again is a re-processing
}

// ageMax is the largest iterator age seen by a reader since it last read.
type ageMax struct {
	ms    float64
	calls int
}

// The readers of the stream's iterator age (door.iteratorAge).
const (
	ageSample = iota // the per-minute sample
	agePeriod        // the metric period the strategy reads
)

// reading reports whether sh's lease holder reads the shard: it is alive,
// in service and not giving the lease up.
func (st *streamDoor) reading(sh *shard) bool {
	return sh.holder >= 0 && !sh.dead && !sh.releasing && st.sys.inst[sh.holder].state == InService
}

// leases runs the lease taker of one poll: holders that left service give
// their leases up, free leases go to the live consumers with the fewest
// (each up to its worker slots), and the busiest consumer gives a lease up
// when it holds two more than the idlest.
func (st *streamDoor) leases(now sim.Time) {
	sys := st.sys
	for k := range st.shards {
		sh := &st.shards[k]
		if sh.holder < 0 || sh.dead || sh.releasing || sys.inst[sh.holder].state == InService {
			continue
		}
		if sys.inst[sh.holder].state == Failed {
			st.down(sh.holder, now) // cannot happen while System.fail tells the door
			continue
		}
		st.release(k, now) // draining or terminated
	}
	counts := st.leaseCounts()
	for k := range st.shards {
		if st.shards[k].holder >= 0 {
			continue
		}
		id := st.idlest(counts)
		if id < 0 {
			break
		}
		sh := &st.shards[k]
		sh.holder, sh.nextCkpt = id, now.Add(st.cfg.CheckpointInterval)
		counts[id]++
	}
	st.rebalance(counts, now)
}

// leaseCounts counts the leases each consumer holds and has not lost.
func (st *streamDoor) leaseCounts() []int {
	st.counts = st.counts[:0]
	for range st.sys.inst {
		st.counts = append(st.counts, 0)
	}
	for k := range st.shards {
		if sh := &st.shards[k]; sh.holder >= 0 && !sh.dead {
			st.counts[sh.holder]++
		}
	}
	return st.counts
}

// servingSlots implements door: each consumer in service works on at most
// PerShardConcurrency records of each shard whose lease it holds, so its
// slots beyond that are idle whatever the backlog.
func (st *streamDoor) servingSlots(int64) int64 {
	counts := st.leaseCounts()
	var n int64
	for _, id := range st.sys.routable {
		n += int64(min(int(st.sys.inst[id].slots), counts[id]*st.cfg.PerShardConcurrency))
	}
	return n
}

// idlest returns the live consumer with the fewest leases that has room
// for another (ties: the earliest in service), or -1.
func (st *streamDoor) idlest(counts []int) int32 {
	best := int32(-1)
	for _, id := range st.sys.routable {
		in := &st.sys.inst[id]
		if in.state != InService || counts[id] >= int(in.slots) {
			continue
		}
		if best < 0 || counts[id] < counts[best] {
			best = id
		}
	}
	return best
}

// rebalance makes the consumer with the most leases give its last one up
// when it holds two more than the idlest consumer with room; one lease at
// a time, and none while another is being given up.
func (st *streamDoor) rebalance(counts []int, now sim.Time) {
	for k := range st.shards {
		if st.shards[k].releasing {
			return
		}
	}
	lo := st.idlest(counts)
	if lo < 0 {
		return
	}
	hi := lo
	for _, id := range st.sys.routable {
		if st.sys.inst[id].state == InService && counts[id] > counts[hi] {
			hi = id
		}
	}
	if counts[hi]-counts[lo] < 2 {
		return
	}
	for k := len(st.shards) - 1; k >= 0; k-- {
		if sh := &st.shards[k]; sh.holder == hi && !sh.dead {
			st.release(k, now)
			return
		}
	}
}

// release makes shard k's holder give its lease up: at once when it holds
// none of the shard's records, else when the last of them is done.
func (st *streamDoor) release(k int, now sim.Time) {
	sh := &st.shards[k]
	sh.releasing = true
	if sh.inflight == 0 {
		st.checkpoint(sh, now)
		st.free(sh)
	}
}

// down implements door: consumer id failed at now. It reads nothing more,
// its leases expire after the failover time, and the failure is noticed
// after the lifecycle's Unhealthy delay.
func (st *streamDoor) down(id int32, now sim.Time) {
	st.noticeFailure(id, now)
	lost := false
	for k := range st.shards {
		if sh := &st.shards[k]; sh.holder == id && !sh.dead {
			sh.dead, sh.releasing, sh.expires = true, false, now.Add(st.cfg.Failover)
			lost = true
		}
	}
	if lost {
		st.sys.eng.Schedule(now.Add(st.cfg.Failover), kindDoor, streamExpire, 0)
	}
}

// expire frees the leases of failed consumers whose failover time has
// passed, and lets live consumers take them at once.
func (st *streamDoor) expire(now sim.Time) {
	for k := range st.shards {
		if sh := &st.shards[k]; sh.dead && sh.expires <= now {
			st.free(sh)
		}
	}
	st.leases(now)
}

// free ends sh's lease: the next holder reads again from the checkpoint,
// so what the last one completed since is processed again.
func (st *streamDoor) free(sh *shard) {
	for s := sh.base; s < sh.disp; s++ {
		sh.log.at(int(s - sh.base)).flags &^= recDoneNow
	}
	sh.done, sh.disp, sh.next = sh.base, sh.base, sh.base
	sh.holder, sh.dead, sh.releasing, sh.inflight = -1, false, false, 0
	sh.epoch++
}

// checkpoint records sh's holder's progress: the records before done are
// behind the checkpoint and leave the log.
func (st *streamDoor) checkpoint(sh *shard, now sim.Time) {
	for sh.base < sh.done {
		sh.log.pop()
		sh.base++
	}
	sh.nextCkpt = now.Add(st.cfg.CheckpointInterval)
}

// dispatch hands shard k's fetched records to its holder, in order, until
// PerShardConcurrency of them are in its hands.
func (st *streamDoor) dispatch(k int, now sim.Time) {
	sh := &st.shards[k]
	for sh.inflight < st.cfg.PerShardConcurrency && sh.disp < sh.next {
		r := sh.log.at(int(sh.disp - sh.base))
		h := st.sys.deliver(sh.holder, r.at, r.demand, now)
		for int(h) >= len(st.refs) {
			st.refs = append(st.refs, recordRef{})
		}
		st.refs[h] = recordRef{shard: int32(k), epoch: sh.epoch, seq: sh.disp, done: r.flags&recDone != 0}
		r.flags |= recHeld
		sh.disp++
		sh.inflight++
	}
}

// outcome implements door: request h, a record a consumer held, completed
// (the ledger hears of its first completion, the sink of any later one),
// was lost with its consumer (it is read again from the checkpoint, unless
// the retention dropped it from the stream meanwhile), or is still inside
// at the horizon.
func (st *streamDoor) outcome(h int32, now sim.Time, o Outcome) {
	ref := st.refs[h]
	sh := &st.shards[ref.shard]
	arrived := st.sys.reqs[h].arrived
	var r *logRecord
	if ref.seq >= sh.base {
		r = sh.log.at(int(ref.seq - sh.base))
	}
	done := ref.done || r != nil && r.flags&recDone != 0
	current := ref.epoch == sh.epoch
	switch o {
	case InFlight:
		if !done {
			st.sys.leave(arrived, now, InFlight)
		}
		if r != nil {
			r.flags |= recDone // settled: the door's finish leaves it be
		}
		return
	case Completed:
		switch {
		case !done:
			st.sys.leave(arrived, now, Completed)
		case st.repeats != nil:
			st.repeats.Reprocessed(arrived, now)
		}
		if r != nil {
			r.flags |= recDone
			if current {
				r.flags |= recDoneNow
			}
		}
	default: // lost with its consumer
		if r == nil && !done {
			st.sys.leave(arrived, now, Dropped) // no longer in the stream
		}
	}
	if r != nil {
		r.flags &^= recHeld
	}
	if !current {
		return
	}
	sh.inflight--
	for sh.done < sh.disp && sh.log.at(int(sh.done-sh.base)).flags&recDoneNow != 0 {
		sh.done++
	}
	if o != Completed {
		return
	}
	switch {
	case sh.releasing && sh.inflight == 0:
		st.checkpoint(sh, now)
		st.free(sh)
	case st.reading(sh):
		st.dispatch(int(ref.shard), now)
	}
}

// check implements door: every shard's positions are in order, its
// holder's records in hand within the per-shard concurrency (and as many
// as it may hold while fetched records wait), no live consumer holds more
// leases than it has worker slots, and every consumer serves or queues
// exactly the records its leases handed it.
func (st *streamDoor) check() error {
	for k := range st.shards {
		sh := &st.shards[k]
		end := sh.base + int64(sh.log.len())
		switch {
		case !(sh.base <= sh.done && sh.done <= sh.disp && sh.disp <= sh.next && sh.next <= end):
			return fmt.Errorf("shard %d: positions base %d, done %d, handed out %d, fetched %d, end %d out of order",
				k, sh.base, sh.done, sh.disp, sh.next, end)
		case sh.inflight < 0 || sh.inflight > st.cfg.PerShardConcurrency:
			return fmt.Errorf("shard %d: %d records in its holder's hands, concurrency %d", k, sh.inflight, st.cfg.PerShardConcurrency)
		case sh.holder < 0 && (sh.inflight != 0 || sh.disp != sh.base || sh.next != sh.base):
			return fmt.Errorf("shard %d: free lease with %d in hand, %d handed out, %d fetched past the checkpoint",
				k, sh.inflight, sh.disp-sh.base, sh.next-sh.base)
		case st.reading(sh) && sh.inflight < st.cfg.PerShardConcurrency && sh.disp < sh.next:
			return fmt.Errorf("shard %d: its processor holds %d of %d records while %d fetched wait", k, sh.inflight,
				st.cfg.PerShardConcurrency, sh.next-sh.disp)
		}
	}
	counts := st.leaseCounts()
	for id, n := range counts {
		if in := &st.sys.inst[id]; in.state == InService && n > int(in.slots) {
			return fmt.Errorf("consumer %d holds %d leases for %d worker slots", id, n, in.slots)
		}
	}
	// Every record a consumer serves or queues was handed to it by a lease
	// it holds.
	clear(counts)
	for k := range st.shards {
		if sh := &st.shards[k]; sh.holder >= 0 {
			counts[sh.holder] += sh.inflight
		}
	}
	for id, n := range counts {
		if in := &st.sys.inst[id]; int(in.busy+in.queued) != n {
			return fmt.Errorf("consumer %d serves or queues %d records, its leases handed it %d", id, in.busy+in.queued, n)
		}
	}
	return nil
}
