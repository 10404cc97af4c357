package queueing

import (
	"math"
	"testing"
)

// bruteDemand is DemandSlots by its definition: the smallest stable c
// whose p99 sojourn time, by bisection on the CDF, is within the target.
// It shares no code with DemandSlots's search.
func bruteDemand(lambda, meanS, target float64) int {
	mu := 1 / meanS
	for c := 1; c < 100000; c++ {
		if lambda >= float64(c)*mu {
			continue
		}
		if MMcSojournQuantile(c, lambda, mu, 0.99) <= target {
			return c
		}
	}
	return -1
}

func TestDemandSlots(t *testing.T) {
	ln100 := math.Log(100)
	tests := []struct {
		name                 string
		lambda, meanS, targS float64
		want                 int
	}{
		// M/M/1: T ~ Exp(μ−λ), p99 = ln 100/(μ−λ) = 9.21 s for λ = 0.5, μ = 1.
		{"M/M/1 meets 9.3 s", 0.5, 1, 9.3, 1},
		{"M/M/1 misses 9.1 s", 0.5, 1, 9.1, 2},
		{"exactly M/M/1's p99", 0.5, 1, ln100 / 0.5 * (1 + 1e-9), 1},
		// The default scenario's flash sale: 2,400 req/s, 51 ms, 300 ms.
		{"sale peak", 2400, 0.051, 0.3, 0},
		{"sale base", 300, 0.051, 0.3, 0},
		{"heavy load, slack target", 950, 1, 60, 0},
		{"light load", 0.01, 0.05, 0.3, 1},
		{"just above the floor", 100, 0.05, 0.05 * ln100 * 1.01, 0},
	}
	for _, tc := range tests {
		want := tc.want
		if want == 0 {
			want = bruteDemand(tc.lambda, tc.meanS, tc.targS)
		}
		got := DemandSlots(tc.lambda, tc.meanS, tc.targS)
		if got != want {
			t.Errorf("%s: DemandSlots(%v, %v, %v) = %d, want %d", tc.name, tc.lambda, tc.meanS, tc.targS, got, want)
		}
		if bf := bruteDemand(tc.lambda, tc.meanS, tc.targS); bf != got {
			t.Errorf("%s: DemandSlots = %d, the brute-force search finds %d", tc.name, got, bf)
		}
		if got > 1 {
			if p99 := MMcSojournQuantile(got-1, tc.lambda, 1/tc.meanS, 0.99); tc.lambda < float64(got-1)/tc.meanS && p99 <= tc.targS {
				t.Errorf("%s: %d slots, but %d already give p99 %.4g s ≤ %v s", tc.name, got, got-1, p99, tc.targS)
			}
		}
	}
}

func TestDemandSlotsKnownPeak(t *testing.T) {
	// At the sale's peak the offered load is 122.4 Erlangs; the p99 target
	// asks for a few slots more than the load.
	got := DemandSlots(2400, 0.051, 0.3)
	if got < 123 || got > 140 {
		t.Errorf("DemandSlots(2400, 0.051, 0.3) = %d, want a little above the load of 122.4", got)
	}
}

func TestDemandSlotsEdges(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name                 string
		lambda, meanS, targS float64
		want                 int
	}{
		{"no arrivals", 0, 0.05, 0.3, 0},
		{"negative rate", -1, 0.05, 0.3, 0},
		{"NaN rate", nan, 0.05, 0.3, 0},
		{"no service time", 100, 0, 0.3, 0},
		// The service time alone has p99 4.6 × 0.1 s = 0.46 s > 0.3 s: no
		// fleet meets it, so the demand is the fewest slots with which at
		// most 1% wait: C(18, 10) = 1.3%, C(19, 10) = 0.6%.
		{"unreachable target", 100, 0.1, 0.3, 19},
		{"target just below the floor", 100, 0.1, 0.1 * math.Log(100) * (1 - 1e-9), 19},
		{"zero target", 100, 0.1, 0, 19},
		{"NaN target", 100, 0.1, nan, 19},
		// C(1, 0.1) = 10%, C(2, 0.1) = 0.5%.
		{"unreachable, light load", 1, 0.1, 0.3, 2},
		// One server is stable for a load of 0.999, its p99 ln 100/0.01 s =
		// 460.5 s.
		{"load just below 1, 461 s", 9.99, 0.1, 461, 1},
		{"load just below 1, 460 s", 9.99, 0.1, 460, 2},
	}
	for _, tc := range tests {
		if got := DemandSlots(tc.lambda, tc.meanS, tc.targS); got != tc.want {
			t.Errorf("%s: DemandSlots(%v, %v, %v) = %d, want %d", tc.name, tc.lambda, tc.meanS, tc.targS, got, tc.want)
		}
	}
}

func TestDemandSlotsUnreachableIsNoWait(t *testing.T) {
	// Where the target is out of reach, the demand is the smallest c with
	// Erlang C at most 1%, by the direct sum.
	for _, lambda := range []float64{0.5, 7, 100, 333, 2400} {
		const meanS, target = 0.076, 0.3 // p99 floor 350 ms
		if P99Reachable(meanS, target) {
			t.Fatalf("P99Reachable(%v, %v) = true, want false", meanS, target)
		}
		a := lambda * meanS
		want := StableSlots(lambda, meanS)
		for a >= 1e-9 && erlangCDirect(want, a) > 0.01 {
			want++
		}
		if got := DemandSlots(lambda, meanS, target); got != want {
			t.Errorf("DemandSlots(%v, %v, %v) = %d, want %d (C ≤ 1%%)", lambda, meanS, target, got, want)
		}
	}
}

func TestDemandSlotsMonotone(t *testing.T) {
	// More traffic never needs fewer slots, nor a tighter target.
	prev := 0
	for lambda := 0.0; lambda <= 500; lambda += 2.5 {
		got := DemandSlots(lambda, 0.05, 0.3)
		if got < prev {
			t.Fatalf("DemandSlots(%v, 0.05, 0.3) = %d, below %d at the previous rate", lambda, got, prev)
		}
		if stable := StableSlots(lambda, 0.05); got < stable {
			t.Fatalf("DemandSlots(%v, 0.05, 0.3) = %d, below the %d slots stability needs", lambda, got, stable)
		}
		prev = got
	}
	prev = 0
	for target := 1.0; target > 0.24; target -= 0.01 {
		got := DemandSlots(300, 0.05, target)
		if got < prev {
			t.Fatalf("DemandSlots(300, 0.05, %v) = %d, below %d at the looser target", target, got, prev)
		}
		prev = got
	}
}

func TestStableSlotsAndFloor(t *testing.T) {
	for _, tc := range []struct {
		lambda, meanS float64
		want          int
	}{{0, 1, 0}, {1, 0.5, 1}, {2, 0.5, 2}, {2.5, 2, 6}, {1e12, 1e3, math.MaxInt32}} {
		if got := StableSlots(tc.lambda, tc.meanS); got != tc.want {
			t.Errorf("StableSlots(%v, %v) = %d, want %d", tc.lambda, tc.meanS, got, tc.want)
		}
	}
	for _, tc := range []struct {
		meanS, target float64
		want          bool
	}{{0.05, 0.3, true}, {0.076, 0.3, false}, {0.05, 0.05 * math.Log(100) * 1.001, true}, {0, 0.3, false}, {-1, 0.3, false}} {
		if got := P99Reachable(tc.meanS, tc.target); got != tc.want {
			t.Errorf("P99Reachable(%v, %v) = %v, want %v", tc.meanS, tc.target, got, tc.want)
		}
	}
	if got, want := SojournQuantileFloor(0.05, 0.99), 0.05*math.Log(100); relErr(got, want) > 1e-15 {
		t.Errorf("SojournQuantileFloor(0.05, 0.99) = %v, want %v", got, want)
	}
	// The floor is the limit of the M/M/c quantile as servers are added.
	if got, floor := MMcSojournQuantile(400, 100, 20, 0.99), SojournQuantileFloor(0.05, 0.99); relErr(got, floor) > 1e-9 {
		t.Errorf("M/M/400 p99 at light load = %v, want the floor %v", got, floor)
	}
	for _, bad := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if got := SojournQuantileFloor(bad, 0.99); !math.IsNaN(got) {
			t.Errorf("SojournQuantileFloor(%v, 0.99) = %v, want NaN", bad, got)
		}
	}
}
