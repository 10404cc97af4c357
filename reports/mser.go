package reports

// MSER5 chooses where to cut the initial transient of a series by the
// MSER-5 rule (White 1997; Franklin and White 2008): average the series in
// batches of 5, and pick the number of leading batches d (at most half of
// them) that minimises the marginal standard error
//
//	MSER(d) = Σ_{i>d} (z_i − z̄_d)² / (k − d)²
//
// of the k batch means z. It returns the number of leading observations to
// drop (5·d); 0 when the series is too short to judge (under 10 batches).
func MSER5(xs []float64) int {
	const b = 5
	k := len(xs) / b
	if k < 10 {
		return 0
	}
	z := make([]float64, k)
	for i := range k {
		var s float64
		for _, x := range xs[i*b : i*b+b] {
			s += x
		}
		z[i] = s / b
	}
	// Suffix sums give each MSER(d) in O(1).
	sum := make([]float64, k+1)
	sq := make([]float64, k+1)
	for i := k - 1; i >= 0; i-- {
		sum[i] = sum[i+1] + z[i]
		sq[i] = sq[i+1] + z[i]*z[i]
	}
	best, bestD := 0.0, 0
	for d := 0; d <= k/2; d++ {
		n := float64(k - d)
		mean := sum[d] / n
		ss := sq[d] - n*mean*mean
		m := ss / (n * n)
		if d == 0 || m < best {
			best, bestD = m, d
		}
	}
	return bestD * b
}
