package sim_test

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// The loop a model writes: pull due events and switch on their kind.
func ExampleEngine() {
	const tick sim.Kind = 1
	eng := sim.NewEngine(16)
	eng.Schedule(0, tick, 0, 0)
	for {
		ev, ok := eng.Next(sim.Time(3 * sim.Second))
		if !ok {
			break
		}
		fmt.Println("tick at", ev.At)
		eng.Schedule(ev.At.Add(sim.Second), tick, 0, 0)
	}
	// Output:
	// tick at 0s
	// tick at 1s
	// tick at 2s
	// tick at 3s
}

// Streams give each purpose its own reproducible sequence.
func ExampleStreams() {
	s := sim.NewStreams(1)
	a := s.Stream(sim.StreamArrivals).Float64()
	b := sim.NewStreams(1).Stream(sim.StreamArrivals).Float64()
	fmt.Println(a == b)
	// Output: true
}
