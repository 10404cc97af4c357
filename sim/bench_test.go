package sim

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkEngineHold is the classic hold model: a queue of n pending events;
// each step pops the earliest and schedules one at a random later time.
func BenchmarkEngineHold(b *testing.B) {
	for _, n := range []int{16, 1024, 65536} {
		b.Run(itoa(n), func(b *testing.B) {
			e := NewEngine(n)
			r := rand.New(rand.NewPCG(1, 2))
			for i := 0; i < n; i++ {
				e.Schedule(Time(r.Int64N(1e9)), 1, 0, 0)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ev, _ := e.Next(Never - 1)
				e.Schedule(ev.At+Time(r.Int64N(1e9)), ev.Kind, 0, 0)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}
