package sim

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// before is the documented event order, written out independently of the
// heap's less: earlier At first; at the same instant the lower Kind; then
// the earlier scheduled (the sequence number, kept in Arg by the test).
func before(a, b Event) int {
	return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Arg, b.Arg))
}

// TestQueueMatchesSortedSlice checks the heap against a naive model: a plain
// slice sorted by (At, Kind, sequence) with its own comparison, over random
// interleavings of push and pop. Times and kinds collide often, so ties on
// both are broken by the sequence alone.
func TestQueueMatchesSortedSlice(t *testing.T) {
	kinds := []Kind{0, 1, 2, 3, 255}
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		var q queue
		var model []Event
		var seq uint64
		for step := 0; step < 500; step++ {
			if r.IntN(3) > 0 || len(model) == 0 {
				seq++
				k := kinds[r.IntN(len(kinds))]
				// key is packed the way Engine.Schedule packs it.
				e := Event{At: Time(r.IntN(50)), Kind: k, Obj: int32(step), Arg: int64(seq), key: uint64(k)<<seqBits | seq}
				q.push(e)
				model = append(model, e)
				slices.SortFunc(model, before)
				continue
			}
			got := q.pop()
			want := model[0]
			model = model[1:]
			if got != want {
				t.Fatalf("seed %d step %d: popped %+v, want %+v", seed, step, got, want)
			}
		}
		for len(model) > 0 {
			if got := q.pop(); got != model[0] {
				t.Fatalf("seed %d, draining: popped %+v, want %+v", seed, got, model[0])
			}
			model = model[1:]
		}
		if q.len() != 0 {
			t.Fatalf("seed %d: queue holds %d after the model is empty", seed, q.len())
		}
	}
}
