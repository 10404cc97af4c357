package workloads

import (
	"math"
	"slices"
)

// A reorder buffer's buckets span 2^reorderShift ns (about 1.07 s), and
// there are reorderSpan of them: the reorder window plus a margin, so that
// arrivals up to a minute after the latest completion still fit. A bucket
// is sorted by counting its values into reorderSubs sub-buckets (of about
// 8 ms) and sorting each by insertion; a sub-bucket over reorderSmall
// values (a burst) is sorted by slices.Sort.
const (
	reorderShift    = 30
	reorderBucket   = int64(1) << reorderShift
	reorderSpan     = int64(ALBReorderWindow)/reorderBucket + 64
	reorderSubShift = 7
	reorderSubs     = 1 << reorderSubShift
	reorderSmall    = 24
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
	sorted []int64   // where the next bucket is sorted into
	past   int64Heap // values before lo's bucket pushed after the run was made
	far    int64Heap // values at or beyond bucket lo+reorderSpan

	hint     int   // capacity to give a bucket that grows: the largest bucket so far, and a margin
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
	k := v >> reorderShift // floor division
	if !r.started {
		r.started, r.lo = true, k
	}
	switch {
	case k < r.lo:
		r.past.push(v)
	case k-r.lo < reorderSpan:
		r.add(k, v)
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
		r.lo = r.far[0] >> reorderShift
		r.migrate()
	}
	for {
		i := r.lo % reorderSpan
		if i < 0 {
			i += reorderSpan
		}
		r.lo++
		if b := r.ring[i]; len(b) > 0 {
			out := sortBucket(r.sorted, b)
			r.ring[i], r.sorted, r.run, r.runPos = r.run[:0], b[:0], out, 0
			r.inRing -= len(b)
			r.migrate()
			return
		}
		r.migrate()
	}
}

// migrate moves far arrivals that now fall in the calendar into it.
func (r *reorder) migrate() {
	for len(r.far) > 0 && r.far[0]>>reorderShift-r.lo < reorderSpan {
		v := r.far.pop()
		k := v >> reorderShift
		if k < r.lo {
			r.past.push(v)
			continue
		}
		r.add(k, v)
	}
}

// add puts v in bucket k of the calendar. A bucket that must grow is
// given room for the largest bucket so far and a margin, rather than
// doubled again and again: on the calendar's first lap every bucket
// grows from nothing.
func (r *reorder) add(k, v int64) {
	i := k % reorderSpan
	if i < 0 {
		i += reorderSpan
	}
	b := r.ring[i]
	if len(b) == cap(b) {
		r.hint = max(r.hint, len(b)+len(b)/4+16)
		b = append(make([]int64, 0, max(2*len(b), r.hint)), b...)
	}
	r.ring[i] = append(b, v)
	r.inRing++
}

// reset empties the buffer, keeping its memory.
func (r *reorder) reset() {
	for i := range r.ring {
		r.ring[i] = r.ring[i][:0]
	}
	*r = reorder{ring: r.ring, run: r.run[:0], sorted: r.sorted[:0], past: r.past[:0], far: r.far[:0]}
}

// sortBucket returns the values of one bucket sorted, in dst's memory
// (grown if need be): a counting sort by sub-bucket, then an insertion
// sort within each, as arrivals of a log are spread evenly enough that
// sub-buckets hold a few values each.
func sortBucket(dst, src []int64) []int64 {
	var ends [reorderSubs + 1]int32
	const shift = reorderShift - reorderSubShift
	const mask = reorderSubs - 1
	for _, v := range src {
		ends[(v>>shift)&mask+1]++
	}
	for k := 1; k <= reorderSubs; k++ {
		ends[k] += ends[k-1]
	}
	dst = slices.Grow(dst[:0], len(src))[:len(src)]
	next := ends
	for _, v := range src {
		k := (v >> shift) & mask
		dst[next[k]] = v
		next[k]++
	}
	for k := range reorderSubs {
		sub := dst[ends[k]:ends[k+1]]
		if len(sub) > reorderSmall {
			slices.Sort(sub)
			continue
		}
		for i := 1; i < len(sub); i++ {
			v, j := sub[i], i
			for ; j > 0 && sub[j-1] > v; j-- {
				sub[j] = sub[j-1]
			}
			sub[j] = v
		}
	}
	return dst
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
