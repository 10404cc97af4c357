// Package sim is scalesim's discrete-event engine: simulated time, a typed
// event queue and named random streams. It knows nothing of requests,
// instances or files.
//
// The loop, in full:
//
//	eng := sim.NewEngine(1024)
//	eng.Schedule(0, kindArrival, 0, 0)
//	for {
//		ev, ok := eng.Next(horizon)
//		if !ok {
//			break
//		}
//		switch ev.Kind { // the model's one switch
//		case kindArrival:
//			// ... eng.Schedule(eng.Now()+gap, kindArrival, 0, 0)
//		}
//	}
//
// Determinism rules:
//   - Time is an integer number of nanoseconds; floats appear only at the edges.
//   - Events are ordered by (At, Kind, Seq): at the same instant a lower Kind
//     runs first, and events of the same kind run in the order they were
//     scheduled. Models number their kinds in the order they must run.
//   - Randomness comes only from Streams, one named stream per purpose, each
//     derived from the seed and its name, so adding a stream never shifts
//     another.
//   - Nothing reads the wall clock, starts a goroutine or iterates a map.
package sim
