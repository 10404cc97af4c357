package sim

// queue is a 4-ary min-heap of events stored by value, keyed by (At, Kind,
// Seq). A 4-ary heap halves the depth of a binary one and keeps siblings in
// one cache line, which suits a queue popped once per event.
type queue struct {
	ev []Event
}

func (q *queue) len() int { return len(q.ev) }

func (q *queue) push(e Event) {
	q.ev = append(q.ev, e)
	q.up(len(q.ev) - 1)
}

// peek returns the earliest event; the queue must not be empty.
func (q *queue) peek() *Event { return &q.ev[0] }

// pop removes and returns the earliest event; the queue must not be empty.
func (q *queue) pop() Event {
	top := q.ev[0]
	last := len(q.ev) - 1
	q.ev[0] = q.ev[last]
	q.ev = q.ev[:last]
	if last > 0 {
		q.down(0)
	}
	return top
}

func (q *queue) up(i int) {
	ev := q.ev
	x := ev[i]
	for i > 0 {
		p := (i - 1) / 4
		if !less(&x, &ev[p]) {
			break
		}
		ev[i] = ev[p]
		i = p
	}
	ev[i] = x
}

func (q *queue) down(i int) {
	ev := q.ev
	n := len(ev)
	x := ev[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if less(&ev[j], &ev[m]) {
				m = j
			}
		}
		if !less(&ev[m], &x) {
			break
		}
		ev[i] = ev[m]
		i = m
	}
	ev[i] = x
}
