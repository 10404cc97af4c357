package charts

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
)

// labels returns the labelled ticks' labels.
func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestTicks(t *testing.T) {
	cases := []struct {
		name   string
		ticker plot.Ticker
		lo, hi float64
		want   []string
	}{
		{"two hours", timeTicks{}, 0, 120, []string{"00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30", "01:45", "02:00"}},
		{"twenty minutes", timeTicks{}, 0, 20, []string{"00:00", "00:05", "00:10", "00:15", "00:20"}},
		{"a day", timeTicks{}, 0, 1440, []string{"00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "24:00"}},
		{"three days", timeTicks{}, 0, 3 * 1440, []string{"00:00", "12:00", "24:00", "36:00", "48:00", "60:00", "72:00"}},
		{"log, wide", logTicks{}, 150, 5e6, []string{"1,000", "10,000", "100,000", "1,000,000"}},
		{"log, narrow", logTicks{}, 15, 900, []string{"20", "50", "100", "200", "500"}},
		{"log, sub-millisecond", logTicks{}, 0.05, 2, []string{"0.05", "0.1", "0.2", "0.5", "1", "2"}},
		{"commas", commaTicks{}, 0, 3000, []string{"0", "1,000", "2,000", "3,000"}},
		{"big counts", commaTicks{}, 0, 75000, []string{"0", "20,000", "40,000", "60,000"}},
		{"dollars", commaTicks{}, 0, 1.7, []string{"0", "0.5", "1.0", "1.5"}},
		{"quarters", commaTicks{}, 0, 1.1, []string{"0", "0.25", "0.50", "0.75", "1.00"}},
		{"negative", commaTicks{}, -10, 10, []string{"-10", "-5", "0", "5", "10"}},
		{"small counts", integerTicks{}, 0, 2, []string{"0", "1", "2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := labels(tc.ticker.Ticks(tc.lo, tc.hi)); !slices.Equal(got, tc.want) {
				t.Errorf("Ticks(%g, %g) labels %q, want %q", tc.lo, tc.hi, got, tc.want)
			}
		})
	}
	for _, tk := range []plot.Ticker{timeTicks{}, logTicks{}} {
		if got := tk.Ticks(5, 5); got != nil {
			t.Errorf("%T.Ticks on an empty range = %v", tk, got)
		}
		if got := tk.Ticks(0, math.Inf(1)); got != nil {
			t.Errorf("%T.Ticks on an infinite range = %v", tk, got)
		}
	}
}

func TestClockAndNumber(t *testing.T) {
	for _, tc := range []struct {
		minutes float64
		want    string
	}{{0, "00:00"}, {59.6, "01:00"}, {125, "02:05"}, {1500, "25:00"}, {-5, "-00:05"}} {
		if got := clock(tc.minutes); got != tc.want {
			t.Errorf("clock(%g) = %q, want %q", tc.minutes, got, tc.want)
		}
	}
	for _, tc := range []struct {
		v    float64
		want string
	}{{0, "0"}, {0.01, "0.01"}, {1234567, "1,234,567"}, {-2500, "-2,500"}, {300, "300"}} {
		if got := number(tc.v); got != tc.want {
			t.Errorf("number(%g) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// TestLooksDiffer: the first strategies differ in dash and marker, not
// only in colour, so they stay apart when printed in grey.
func TestLooksDiffer(t *testing.T) {
	const n = 6
	for i := range n {
		for j := i + 1; j < n; j++ {
			a, b := lookFor(i), lookFor(j)
			if slices.Equal(a.dash, b.dash) || a.glyph == b.glyph {
				t.Errorf("strategies %d and %d share a dash pattern or a marker", i, j)
			}
		}
	}
}

func TestMarkerEvery(t *testing.T) {
	// 120 points, 4 strategies: a marker every 15 points, offsets
	// (7 + ⌊i·15/4⌋) mod 15 = 7, 10, 14, 3.
	var offsets []int
	for i := range 4 {
		every, off := markerEvery(120, i, 4)
		if every != 15 {
			t.Fatalf("every = %d, want 15", every)
		}
		offsets = append(offsets, off)
	}
	if want := []int{7, 10, 14, 3}; !slices.Equal(offsets, want) {
		t.Errorf("offsets %v, want %v", offsets, want)
	}
	if every, off := markerEvery(3, 0, 1); every != 1 || off != 0 {
		t.Errorf("markerEvery(3) = %d, %d; want 1, 0", every, off)
	}
}
