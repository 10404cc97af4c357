package simtest

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// BareResult is what the bare reference loop measures.
type BareResult struct {
	Arrivals, Completed int64
	MeanMS, P99MS       float64
}

// BareMMc is the speed yardstick for the engine: a hand-written,
// single-threaded loop for a static fleet (Poisson arrivals at rate per
// second, round-robin routing over servers instances of slots workers each,
// FIFO queues, exponential service of mean meanS seconds) with nothing but a
// typed binary heap, PCG random numbers and a log-bucket histogram. It runs
// for horizonS simulated seconds. scalesim's end-to-end run of the same model
// must stay within twice its wall time.
func BareMMc(rate float64, servers, slots int, meanS, horizonS float64, seed uint64) BareResult {
	type event struct {
		at   int64
		kind int32 // 0 arrival, 1 departure
		srv  int32
	}
	heap := make([]event, 0, 1024)
	push := func(e event) {
		heap = append(heap, e)
		i := len(heap) - 1
		for i > 0 {
			p := (i - 1) / 2
			if heap[p].at <= e.at {
				break
			}
			heap[i] = heap[p]
			i = p
		}
		heap[i] = e
	}
	pop := func() event {
		top := heap[0]
		last := heap[len(heap)-1]
		heap = heap[:len(heap)-1]
		n := len(heap)
		i := 0
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if c+1 < n && heap[c+1].at < heap[c].at {
				c++
			}
			if last.at <= heap[c].at {
				break
			}
			heap[i] = heap[c]
			i = c
		}
		if n > 0 {
			heap[i] = last
		}
		return top
	}
	r := rand.New(rand.NewPCG(seed, 0x5ca1e))
	busy := make([]int32, servers)
	queues := make([][]int64, servers) // arrival instants, FIFO
	heads := make([]int, servers)
	var hist [64 * 16]int64 // 16 sub-buckets per power of two of microseconds
	record := func(ns int64) {
		us := uint64(ns/1000) + 1
		e := 63 - bits.LeadingZeros64(us)
		sub := 0
		if e >= 4 {
			sub = int(us>>(uint(e)-4)) & 15
		}
		hist[e*16+sub]++
	}
	horizon := int64(horizonS * 1e9)
	var res BareResult
	var sum float64
	// jobs holds the arrival instant of each request in service; a
	// departure event carries its job index in kind (1 + index).
	type job struct{ arrived int64 }
	jobs := make([]job, 0, 1024)
	free := make([]int32, 0, 1024)
	rr := 0
	push(event{at: int64(r.ExpFloat64() / rate * 1e9), kind: 0})
	for len(heap) > 0 {
		ev := pop()
		if ev.at > horizon {
			break
		}
		now := ev.at
		if ev.kind == 0 {
			res.Arrivals++
			push(event{at: now + int64(r.ExpFloat64()/rate*1e9), kind: 0})
			s := rr
			rr++
			if rr == servers {
				rr = 0
			}
			if busy[s] < int32(slots) {
				busy[s]++
				var id int32
				if n := len(free); n > 0 {
					id, free = free[n-1], free[:n-1]
				} else {
					jobs = append(jobs, job{})
					id = int32(len(jobs) - 1)
				}
				jobs[id].arrived = now
				push(event{at: now + int64(r.ExpFloat64()*meanS*1e9), kind: 1 + id, srv: int32(s)})
			} else {
				queues[s] = append(queues[s], now)
			}
			continue
		}
		id := ev.kind - 1
		lat := now - jobs[id].arrived
		record(lat)
		sum += float64(lat)
		res.Completed++
		s := ev.srv
		if heads[s] < len(queues[s]) {
			jobs[id].arrived = queues[s][heads[s]]
			heads[s]++
			if heads[s] == len(queues[s]) {
				queues[s], heads[s] = queues[s][:0], 0
			}
			push(event{at: now + int64(r.ExpFloat64()*meanS*1e9), kind: 1 + id, srv: s})
		} else {
			busy[s]--
			free = append(free, id)
		}
	}
	if res.Completed > 0 {
		res.MeanMS = sum / float64(res.Completed) / 1e6
		target := int64(math.Ceil(0.99 * float64(res.Completed)))
		var cum int64
		for i, c := range hist {
			cum += c
			if cum >= target {
				e, sub := i/16, i%16
				lo := uint64(1) << uint(e)
				if e >= 4 {
					lo = uint64(16+sub) << uint(e-4)
				}
				res.P99MS = float64(lo) / 1000
				break
			}
		}
	}
	return res
}
