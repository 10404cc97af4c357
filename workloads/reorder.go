package workloads

import (
	"math"
	"slices"
)

// reorderBucket is the span of one bucket of a reorder buffer (1 s), and
// reorderSpan the number of buckets: the reorder window plus a margin, so
// that arrivals up to a minute after the latest completion still fit.
const (
	reorderBucket = int64(1e9)
	reorderSpan   = int64(ALBReorderWindow)/reorderBucket + 64
)

// reorder is the reorder buffer of one ALB log file: it takes arrivals
// roughly in time order and gives them back sorted. The caller pops the
// smallest once it is final (the log has moved past it by the window).
//
// It is a calendar of one-second buckets covering reorderSpan seconds from
// bucket lo: pushing appends to a bucket; when the smallest is asked for,
// the first non-empty bucket is sorted and becomes the output run, and
// the calendar moves on. Arrivals before the run's end (rare: requests
// longer than the window) go to a small heap merged with the run, and
// arrivals beyond the calendar (gaps in traffic) to another heap, moved
// into the calendar as it moves. An arrival earlier than one already
// popped is late: it is given back at the last popped arrival (floor), so
// the output never goes back in time. Memory is about 8 bytes per
// arrival held, plus each bucket's largest size so far; no allocation
// once the buckets have grown.
type reorder struct {
	ring    [reorderSpan][]int64 // bucket k (of width reorderBucket) is ring[k mod reorderSpan], for k in [lo, lo+reorderSpan)
	lo      int64
	inRing  int
	started bool // lo is set

	run    []int64 // the sorted output run: values before lo's bucket
	runPos int
	past   int64Heap // values before lo's bucket pushed after the run was made
	far    int64Heap // values at or beyond bucket lo+reorderSpan

	floor    int64 // the last value popped
	released bool
	late     int // late arrivals to give back (at floor) before anything else
}

// push adds an arrival; it reports whether the arrival is late (earlier
// than one already popped).
func (r *reorder) push(v int64) bool {
	if r.released && v < r.floor {
		r.late++
		return true
	}
	k := floorDiv(v, reorderBucket)
	if !r.started {
		r.started, r.lo = true, k
	}
	switch {
	case k < r.lo:
		r.past.push(v)
	case k-r.lo < reorderSpan:
		i := k % reorderSpan
		if i < 0 {
			i += reorderSpan
		}
		r.ring[i] = append(r.ring[i], v)
		r.inRing++
	default:
		r.far.push(v)
	}
	return false
}

// front returns the smallest arrival held (the floor while late arrivals
// are pending), or false when empty.
func (r *reorder) front() (int64, bool) {
	if r.late > 0 {
		return r.floor, true
	}
	if r.runPos == len(r.run) && len(r.past) == 0 {
		r.load()
	}
	v, ok := int64(math.MaxInt64), false
	if r.runPos < len(r.run) {
		v, ok = r.run[r.runPos], true
	}
	if len(r.past) > 0 && r.past[0] < v {
		v, ok = r.past[0], true
	}
	return v, ok
}

// pop removes and returns the smallest arrival; front must have returned
// true.
func (r *reorder) pop() int64 {
	v, _ := r.front()
	switch {
	case r.late > 0:
		r.late--
	case len(r.past) > 0 && (r.runPos == len(r.run) || r.past[0] < r.run[r.runPos]):
		r.past.pop()
	default:
		r.runPos++
	}
	r.floor, r.released = v, true
	return v
}

// load makes the first non-empty bucket the output run, moving the
// calendar past it; with an empty calendar it jumps to the far heap's
// first bucket.
func (r *reorder) load() {
	if r.inRing == 0 {
		if len(r.far) == 0 {
			return
		}
		r.lo = floorDiv(r.far[0], reorderBucket)
		r.migrate()
	}
	for {
		i := r.lo % reorderSpan
		if i < 0 {
			i += reorderSpan
		}
		r.lo++
		if b := r.ring[i]; len(b) > 0 {
			slices.Sort(b)
			r.ring[i], r.run, r.runPos = r.run[:0], b, 0
			r.inRing -= len(b)
			r.migrate()
			return
		}
		r.migrate()
	}
}

// migrate moves far arrivals that now fall in the calendar into it.
func (r *reorder) migrate() {
	for len(r.far) > 0 && floorDiv(r.far[0], reorderBucket)-r.lo < reorderSpan {
		v := r.far.pop()
		k := floorDiv(v, reorderBucket)
		if k < r.lo {
			r.past.push(v)
			continue
		}
		i := k % reorderSpan
		if i < 0 {
			i += reorderSpan
		}
		r.ring[i] = append(r.ring[i], v)
		r.inRing++
	}
}

// reset empties the buffer, keeping its memory.
func (r *reorder) reset() {
	for i := range r.ring {
		r.ring[i] = r.ring[i][:0]
	}
	*r = reorder{ring: r.ring, run: r.run[:0], past: r.past[:0], far: r.far[:0]}
}

// int64Heap is a binary min-heap of int64.
type int64Heap []int64

func (h *int64Heap) push(v int64) {
	*h = append(*h, v)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p] <= s[i] {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *int64Heap) pop() int64 {
	s := *h
	v := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if l+1 < n && s[l+1] < s[l] {
			m = l + 1
		}
		if s[i] <= s[m] {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return v
}
