package models

import "github.com/scalesim/scalesim/sim"

// held implements door: the records the shards keep (from their
// checkpoints on) and the throttled puts waiting for a retry.
func (st *streamDoor) held() int64 {
	n := int64(len(st.pending) - len(st.freePending))
	for k := range st.shards {
		n += int64(st.shards[k].log.len())
	}
	return n
}

// register implements door: a consumer needs no registration.
func (st *streamDoor) register(int32, sim.Time, targetHealth) {}

// deregister implements door.
func (st *streamDoor) deregister(int32) {}

// loaded implements door: a consumer polls its shards once its
// application is up; no load balancer checks it.
func (st *streamDoor) loaded(id int32, now sim.Time) { st.sys.enterService(id, now) }

// noticeFailure schedules the moment consumer id's failure is noticed:
// after the lifecycle's Unhealthy delay.
func (st *streamDoor) noticeFailure(id int32, now sim.Time) {
	st.sys.eng.Schedule(now.Add(st.sys.cfg.Lifecycle.Unhealthy), kindDetect, id, st.sys.inst[id].inc)
}

// backlog implements door: every shard's records from its holder's
// completed position on (from the checkpoint when no consumer holds the
// lease), those being processed included.
func (st *streamDoor) backlog() int64 {
	var n int64
	for k := range st.shards {
		sh := &st.shards[k]
		n += sh.base + int64(sh.log.len()) - sh.done
	}
	return n
}
