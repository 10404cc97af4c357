package sim

import "testing"

// TestStreamsGolden pins the first values of named streams: a change here
// changes every result scalesim has ever printed, so it must be deliberate.
func TestStreamsGolden(t *testing.T) {
	s := NewStreams(42)
	got := [3]uint64{s.Stream(StreamArrivals).Uint64(), s.Stream(StreamService).Uint64(), NewStreams(43).Stream(StreamArrivals).Uint64()}
	want := [3]uint64{0xe5d68c6ce8e6f2ad, 0x879075b028d45b06, 0x4beca367ab61f9a2}
	if got != want {
		t.Fatalf("stream values %#v, want %#v", got, want)
	}
}

func TestStreamsIndependentOfOtherStreams(t *testing.T) {
	a := NewStreams(7)
	first := a.Stream(StreamService)
	x := first.Float64()
	_ = a.Stream("some-new-purpose").Float64() // adding a stream...
	if y := a.Stream(StreamService).Float64(); y != x {
		t.Fatalf("service stream changed: %v then %v", x, y) // ...never shifts another
	}
	if a.Stream(StreamService).Uint64() == a.Stream(StreamArrivals).Uint64() {
		t.Fatal("two purposes share a sequence")
	}
}
