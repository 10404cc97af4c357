package workloads

import (
	"bytes"
	"fmt"
	"io"
)

// Read-ahead. Replaying a large log is bound by reading it: decompressing,
// splitting lines, parsing. The readers below do that work in a goroutine
// of their own, ahead of the replay, and hand over the results in order
// through channels. What the replay sees (bytes, then arrivals, errors and
// warnings, each at the same position) is the same sequence as reading in
// line, whatever the scheduling: the goroutines only change when the work
// is done, never its result. Close stops the goroutine and waits for it.

// Read-ahead sizes: blocks of decompressed bytes, and how many may wait.
const (
	aheadBlockBytes = 256 << 10
	aheadBlocks     = 4
)

// relay hands buffers from a producer goroutine to a reader, in order,
// through a fixed set of buffers that travel back and forth, so neither
// side allocates once it runs. The producer takes an empty buffer, fills
// it and gives it; the reader gets it and puts it back when done.
type relay[T any] struct {
	full, empty chan *T
	quit, done  chan struct{}
	stopped     bool
}

// startRelay makes n buffers with blank and runs produce in a goroutine.
func startRelay[T any](n int, blank func() *T, produce func(*relay[T])) *relay[T] {
	r := &relay[T]{
		full:  make(chan *T, n),
		empty: make(chan *T, n),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	for range n {
		r.empty <- blank()
	}
	go func() {
		defer close(r.done)
		produce(r)
	}()
	return r
}

// take gives the producer an empty buffer; false once the reader stopped.
func (r *relay[T]) take() (*T, bool) {
	select {
	case b := <-r.empty:
		return b, true
	case <-r.quit:
		return nil, false
	}
}

// give hands the reader a filled buffer; false once the reader stopped.
func (r *relay[T]) give(b *T) bool {
	select {
	case r.full <- b:
		return true
	case <-r.quit:
		return false
	}
}

// get waits for the next filled buffer.
func (r *relay[T]) get() *T { return <-r.full }

// put returns a buffer the reader is done with. It never blocks: there
// are as many slots as buffers.
func (r *relay[T]) put(b *T) { r.empty <- b }

// stop ends the producer and waits for it. Stopping twice is safe.
func (r *relay[T]) stop() {
	if r.stopped {
		return
	}
	r.stopped = true
	close(r.quit)
	<-r.done
}

// aheadBlock is one block of bytes read ahead; err, when set, follows the
// bytes.
type aheadBlock struct {
	b   []byte
	err error
}

// blockReader reads r ahead in a goroutine, in blocks handed over in
// order: the blocks hold exactly the bytes r returns, the last one r's
// error (io.EOF at the end).
type blockReader struct {
	relay *relay[aheadBlock]
	cur   *aheadBlock // the block being read; nil before the first
	off   int         // read position in cur
}

// newBlockReader starts reading r ahead; the goroutine owns r until Close.
func newBlockReader(r io.Reader) *blockReader {
	blank := func() *aheadBlock { return &aheadBlock{b: make([]byte, 0, aheadBlockBytes)} }
	return &blockReader{relay: startRelay(aheadBlocks, blank, func(rl *relay[aheadBlock]) { fillBlocks(rl, r) })}
}

// fillBlocks runs in the goroutine: it fills blocks from r until r fails or
// the reader stops.
func fillBlocks(rl *relay[aheadBlock], r io.Reader) {
	for {
		blk, ok := rl.take()
		if !ok {
			return
		}
		blk.b, blk.err = blk.b[:0], nil
		for empty := 0; len(blk.b) < cap(blk.b) && blk.err == nil; {
			n, err := r.Read(blk.b[len(blk.b):cap(blk.b)])
			blk.b = blk.b[:len(blk.b)+n]
			blk.err = err
			if n > 0 {
				empty = 0
			} else if empty++; empty == 100 && err == nil {
				blk.err = io.ErrNoProgress
			}
		}
		if !rl.give(blk) || blk.err != nil {
			return
		}
	}
}

// slice returns the bytes of the current block up to and including the
// next delim, or the rest of the block when it holds no delim (then more
// is true unless the block was the last). The bytes are valid until the
// next call. At the end, with nothing left, it returns the error that
// ended r. After Close it returns io.ErrClosedPipe.
func (br *blockReader) slice(delim byte) (b []byte, more bool, err error) {
	for br.cur == nil || br.off == len(br.cur.b) {
		if br.relay.stopped {
			return nil, false, io.ErrClosedPipe
		}
		if br.cur != nil {
			if br.cur.err != nil {
				return nil, false, br.cur.err
			}
			br.relay.put(br.cur)
		}
		br.cur, br.off = br.relay.get(), 0
	}
	rest := br.cur.b[br.off:]
	if i := bytes.IndexByte(rest, delim); i >= 0 {
		br.off += i + 1
		return rest[:i+1], false, nil
	}
	br.off = len(br.cur.b)
	return rest, br.cur.err == nil, br.cur.err
}

// Close stops the goroutine and waits for it. Closing twice is safe.
func (br *blockReader) Close() {
	br.relay.stop()
	br.cur = nil
}

// albView is what a reader of an ALB stream sees beside its arrivals: what
// was skipped or moved so far, and the file of the last arrival. It changes
// rarely, so the read-ahead hands it over only when it does.
type albView struct {
	notes albNotes
	file  string
}

// changed reports whether the stream's view differs from v. The notes'
// list of first malformed lines only grows, so its length tells whether
// it changed.
func (s *albStream) changed(v *albView) bool {
	return s.notes.malformed != v.notes.malformed || s.notes.late != v.notes.late ||
		len(s.notes.first) != len(v.notes.first) || s.lastFile() != v.file
}

// view returns the stream's view after the last arrival it returned.
func (s *albStream) view() albView {
	return albView{notes: s.notes, file: s.lastFile()}
}

// albBatchLen is the number of arrivals handed over at once.
const albBatchLen = 8192

// albBatch is a run of arrivals read ahead. Mark k says the view changed
// to marks[k].view when arrival marks[k].after was read (after = len(at):
// when the stream ended, with end).
type albBatch struct {
	at    []int64
	marks []albMark
	end   error // io.EOF, or the error that stopped the stream; nil while it goes on
}

type albMark struct {
	after int
	view  albView
}

// albAhead is an ALB stream read ahead in a goroutine: it returns the
// arrivals, warnings and errors the stream returns, at the same positions.
type albAhead struct {
	relay     *relay[albBatch]
	cur       *albBatch
	pos, mark int
	view      albView
	err       error
}

// readAheadALB starts reading s in a goroutine, which owns s until Close.
func readAheadALB(s *albStream) *albAhead {
	a := &albAhead{view: s.view()}
	blank := func() *albBatch { return &albBatch{at: make([]int64, 0, albBatchLen)} }
	a.relay = startRelay(aheadBlocks, blank, func(rl *relay[albBatch]) { readBatches(rl, s, a.view) })
	return a
}

// readBatches runs in the goroutine: it reads s into batches until s ends or
// the reader stops, then closes s.
func readBatches(rl *relay[albBatch], s *albStream, last albView) {
	defer s.Close()
	for {
		b, ok := rl.take()
		if !ok {
			return
		}
		b.at, b.marks, b.end = b.at[:0], b.marks[:0], nil
		for len(b.at) < cap(b.at) && b.end == nil {
			v, _, err := s.next()
			after := len(b.at)
			if err == nil {
				b.at = append(b.at, v)
			} else {
				b.end = err
			}
			if s.changed(&last) {
				last = s.view()
				b.marks = append(b.marks, albMark{after: after, view: last})
			}
		}
		if !rl.give(b) || b.end != nil {
			return
		}
	}
}

// next returns the next arrival, as albStream.next.
func (a *albAhead) next() (int64, int, error) {
	for a.err == nil {
		if b := a.cur; b != nil {
			if a.pos < len(b.at) {
				v := b.at[a.pos]
				a.apply(a.pos)
				a.pos++
				return v, 0, nil
			}
			a.apply(len(b.at))
			if b.end != nil {
				a.err = b.end
				break
			}
			a.relay.put(b)
		}
		a.cur, a.pos, a.mark = a.relay.get(), 0, 0
	}
	return 0, 0, a.err
}

// apply takes the view changes made when arrival i of the batch was read.
func (a *albAhead) apply(i int) {
	for b := a.cur; a.mark < len(b.marks) && b.marks[a.mark].after == i; a.mark++ {
		a.view = b.marks[a.mark].view
	}
}

// fail builds a *TraceError in the file of the last arrival.
func (a *albAhead) fail(line int, hint, format string, args ...any) *TraceError {
	return &TraceError{File: a.view.file, Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

func (a *albAhead) isDateTime() bool   { return true }
func (a *albAhead) warnings() []string { return a.view.notes.warnings() }

// Close stops the goroutine, which closes the files, and waits for it;
// next then returns io.EOF.
func (a *albAhead) Close() error {
	a.err, a.cur = io.EOF, nil
	a.relay.stop()
	return nil
}
