package sim

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// TestQueueMatchesSortedSlice checks the heap against a naive model: a slice
// kept sorted by (At, Kind, Seq), over random interleavings of push and pop.
func TestQueueMatchesSortedSlice(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		var q queue
		var model []Event
		var seq uint64
		for step := 0; step < 500; step++ {
			if r.IntN(3) > 0 || len(model) == 0 {
				seq++
				k := Kind(r.IntN(4))
				e := Event{At: Time(r.IntN(50)), Kind: k, Obj: int32(step), key: uint64(k)<<seqBits | seq}
				q.push(e)
				model = append(model, e)
				sort.SliceStable(model, func(i, j int) bool { return less(&model[i], &model[j]) })
				continue
			}
			got := q.pop()
			want := model[0]
			model = model[1:]
			if got != want {
				t.Fatalf("seed %d step %d: popped %+v, want %+v", seed, step, got, want)
			}
		}
		if q.len() != len(model) {
			t.Fatalf("seed %d: queue holds %d, model %d", seed, q.len(), len(model))
		}
	}
}
