package reports

import (
	"math"
	"testing"
)

// TestPairedAgainstHandComputation: differences 2, 4, 3, 5, 1 have mean 3,
// s = 1.5811, t(0.975, 4) = 2.776445, half-width 1.9632: significant.
func TestPairedAgainstHandComputation(t *testing.T) {
	var base, other []StrategySummary
	for i, d := range []float64{2, 4, 3, 5, 1} {
		b := StrategySummary{LatencyMS: Latency{P99: 100 + float64(i)}}
		o := b
		o.LatencyMS.P99 += d
		base, other = append(base, b), append(other, o)
	}
	got, err := Paired(base, other, []string{"latency_ms.p99"})
	if err != nil {
		t.Fatal(err)
	}
	d := got[0]
	if d.Diff != 3 || math.Abs(d.HalfWidth-1.96324) > 1e-4 || !d.Significant || d.Baseline != 102 || d.Value != 105 {
		t.Fatalf("delta %+v, want diff 3 ± 1.9632, significant, 102 → 105", d)
	}
	// Differences of mixed sign around 0 are not significant.
	for i := range other {
		other[i].LatencyMS.P99 = base[i].LatencyMS.P99 + []float64{-2, 2, -1, 1, 0.5}[i]
	}
	got, _ = Paired(base, other, []string{"latency_ms.p99"})
	if got[0].Significant {
		t.Fatalf("noise marked significant: %+v", got[0])
	}
	// One replication: no interval, never significant.
	got, _ = Paired(base[:1], other[:1], []string{"latency_ms.p99"})
	if got[0].HalfWidth != 0 || got[0].Replications != 1 || got[0].Significant {
		t.Fatalf("single replication: %+v", got[0])
	}
	if _, err := Paired(base, other, []string{"latency_ms.p98"}); err == nil {
		t.Fatal("unknown key accepted")
	}
}

// TestMSER5FindsTheTransient: a series that starts 10 times too high for
// 40 observations and then settles is cut near 40, a stationary one at 0.
func TestMSER5FindsTheTransient(t *testing.T) {
	var xs []float64
	for i := range 400 {
		v := 1.0 + 0.1*math.Sin(float64(i)*1.7)
		if i < 40 {
			v = 10 - float64(i)*0.2
		}
		xs = append(xs, v)
	}
	if cut := MSER5(xs); cut < 35 || cut > 45 {
		t.Fatalf("cut at %d, want about 40", cut)
	}
	if cut := MSER5(xs[40:]); cut > 10 {
		t.Fatalf("stationary series cut at %d", cut)
	}
	if cut := MSER5(xs[:20]); cut != 0 {
		t.Fatalf("short series cut at %d", cut)
	}
}
