package queueing

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// relErr returns |got−want|/|want|, or |got| when want is 0.
func relErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// erlangCDirect is the textbook sum formula for Erlang C, evaluated in log
// space (log-sum-exp) so that it stays finite for large c. It shares no code
// with ErlangC's Erlang B recursion. Requires 0 < a < c.
func erlangCDirect(c int, a float64) float64 {
	logTerm := func(k int) float64 { // log(aᵏ/k!)
		lg, _ := math.Lgamma(float64(k) + 1)
		return float64(k)*math.Log(a) - lg
	}
	logLast := logTerm(c) + math.Log(float64(c)/(float64(c)-a))
	top := logLast
	for k := 0; k < c; k++ {
		top = math.Max(top, logTerm(k))
	}
	sum := math.Exp(logLast - top)
	for k := 0; k < c; k++ {
		sum += math.Exp(logTerm(k) - top)
	}
	return math.Exp(logLast-top) / sum
}

func TestErlangCSingleServer(t *testing.T) {
	// M/M/1: an arrival waits iff the server is busy, which it is w.p. ρ.
	for _, rho := range []float64{0, 0.1, 0.5, 0.9, 0.99, 0.999} {
		if got := ErlangC(1, rho); math.Abs(got-rho) > 1e-15 {
			t.Errorf("ErlangC(1, %v) = %v, want %v", rho, got, rho)
		}
	}
}

func TestErlangCPublishedValues(t *testing.T) {
	tests := []struct {
		c        int
		a        float64
		want     float64
		tol      float64
		citation string
	}{
		// By hand: Σ_{k<2} 1/k! = 2; (1²/2!)·2/(2−1) = 1; C = 1/(2+1).
		{2, 1, 1.0 / 3, 1e-14, "hand computation"},
		// By hand: Σ_{k<3} 2ᵏ/k! = 5; (2³/3!)·3/(3−2) = 4; C = 4/9.
		{3, 2, 4.0 / 9, 1e-14, "hand computation"},
		// Erlang C tables (e.g. GSTH ch. 2 tables), printed to 4 digits.
		{10, 8, 0.4092, 5e-5, "published Erlang C table, 4 digits"},
	}
	for _, tc := range tests {
		got := ErlangC(tc.c, tc.a)
		if math.Abs(got-tc.want) > tc.tol {
			t.Errorf("ErlangC(%d, %v) = %.10f, want %.10f ± %g (%s)", tc.c, tc.a, got, tc.want, tc.tol, tc.citation)
		}
		if direct := erlangCDirect(tc.c, tc.a); relErr(got, direct) > 1e-12 {
			t.Errorf("ErlangC(%d, %v) = %.15f, direct sum gives %.15f", tc.c, tc.a, got, direct)
		}
	}
}

func TestErlangCAgainstDirectSum(t *testing.T) {
	for _, tc := range []struct {
		c int
		a float64
	}{
		{1, 0.3}, {2, 1.9}, {4, 0.5}, {5, 4.25}, {8, 7.2}, {16, 12}, {50, 45},
		{100, 99.5}, {200, 150}, {500, 490}, {1000, 950}, {1000, 999.9},
	} {
		got, want := ErlangC(tc.c, tc.a), erlangCDirect(tc.c, tc.a)
		if relErr(got, want) > 1e-10 {
			t.Errorf("ErlangC(%d, %v) = %.15g, direct sum %.15g (rel. error %.2g)", tc.c, tc.a, got, want, relErr(got, want))
		}
	}
}

func TestErlangCLarge(t *testing.T) {
	for _, tc := range []struct {
		c int
		a float64
	}{{500, 490}, {1000, 999}, {1000, 10}, {5000, 4990}} {
		got := ErlangC(tc.c, tc.a)
		if math.IsNaN(got) || math.IsInf(got, 0) || got < 0 || got >= 1 {
			t.Errorf("ErlangC(%d, %v) = %v, want a finite value in [0, 1)", tc.c, tc.a, got)
		}
	}
	if got := ErlangC(500, 490); got <= 0 {
		t.Errorf("ErlangC(500, 490) = %v, want > 0", got)
	}
}

func TestErlangCMonotoneInLoad(t *testing.T) {
	prev := -1.0
	for a := 0.0; a < 20; a += 0.25 {
		got := ErlangC(20, a)
		if got <= prev && a > 0 {
			t.Fatalf("ErlangC(20, %v) = %v, not above ErlangC at the previous load %v", a, got, prev)
		}
		prev = got
	}
}

func TestInvalidParametersGiveNaN(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		got  float64
	}{
		{"ErlangC(0, 0.5)", ErlangC(0, 0.5)},
		{"ErlangC(2, 2)", ErlangC(2, 2)},
		{"ErlangC(2, 3)", ErlangC(2, 3)},
		{"ErlangC(2, -1)", ErlangC(2, -1)},
		{"ErlangC(2, NaN)", ErlangC(2, nan)},
		{"MMcMeanWait(2, 2, 1)", MMcMeanWait(2, 2, 1)},
		{"MMcMeanWait(2, 1, 0)", MMcMeanWait(2, 1, 0)},
		{"MMcMeanSojourn(1, 1, 1)", MMcMeanSojourn(1, 1, 1)},
		{"MMcSojournCDF(1, 2, 1, 1)", MMcSojournCDF(1, 2, 1, 1)},
		{"MMcSojournCDF(1, 0.5, 1, NaN)", MMcSojournCDF(1, 0.5, 1, nan)},
		{"MMcSojournQuantile(1, 0.5, 1, 1.5)", MMcSojournQuantile(1, 0.5, 1, 1.5)},
		{"MMcSojournQuantile(1, 1, 1, 0.5)", MMcSojournQuantile(1, 1, 1, 0.5)},
		{"PollaczekKhinchineMeanWait(1, 1, 2)", PollaczekKhinchineMeanWait(1, 1, 2)},
		{"PollaczekKhinchineMeanWait(0.5, 1, 0.5)", PollaczekKhinchineMeanWait(0.5, 1, 0.5)},
		{"PollaczekKhinchineMeanSojourn(-1, 1, 1)", PollaczekKhinchineMeanSojourn(-1, 1, 1)},
	}
	for _, tc := range cases {
		if !math.IsNaN(tc.got) {
			t.Errorf("%s = %v, want NaN", tc.name, tc.got)
		}
	}
}

func TestMMcMeans(t *testing.T) {
	tests := []struct {
		name          string
		c             int
		lambda, mu    float64
		wait, sojourn float64
	}{
		// M/M/1: W_q = ρ/(μ−λ), T = 1/(μ−λ).
		{"M/M/1 ρ=0.5", 1, 1, 2, 0.5, 1},
		{"M/M/1 ρ=0.9", 1, 9, 10, 0.9, 1},
		// M/M/2, λ = μ = 1: ρ = 1/2, L = 2ρ/(1−ρ²) = 4/3, so T = L/λ = 4/3
		// and W_q = T − 1/μ = 1/3.
		{"M/M/2 ρ=0.5", 2, 1, 1, 1.0 / 3, 4.0 / 3},
		// No traffic: no wait.
		{"M/M/4 idle", 4, 0, 2, 0, 0.5},
	}
	for _, tc := range tests {
		if got := MMcMeanWait(tc.c, tc.lambda, tc.mu); relErr(got, tc.wait) > 1e-13 {
			t.Errorf("%s: MMcMeanWait = %.15g, want %.15g", tc.name, got, tc.wait)
		}
		if got := MMcMeanSojourn(tc.c, tc.lambda, tc.mu); relErr(got, tc.sojourn) > 1e-13 {
			t.Errorf("%s: MMcMeanSojourn = %.15g, want %.15g", tc.name, got, tc.sojourn)
		}
	}
}

func TestMMcSojournCDFSingleServer(t *testing.T) {
	// M/M/1 FCFS: the sojourn time is Exp(μ−λ).
	const lambda, mu = 7.0, 10.0
	for _, x := range []float64{1e-6, 0.01, 0.1, 0.5, 1, 3, 10} {
		want := -math.Expm1(-(mu - lambda) * x)
		if got := MMcSojournCDF(1, lambda, mu, x); relErr(got, want) > 1e-12 {
			t.Errorf("MMcSojournCDF(1, %v, %v, %v) = %.15g, want %.15g", lambda, mu, x, got, want)
		}
	}
}

func TestMMcSojournCDFDegenerate(t *testing.T) {
	// c = 2, λ = μ = 1: θ = cμ − λ = μ, C = 1/3, W+S is Erlang-2 given a
	// wait, so P(T > t) = (2/3)e^{−t} + (1/3)e^{−t}(1+t) = e^{−t}(1 + t/3).
	for _, x := range []float64{0.01, 0.5, 1, 2, 5, 20} {
		want := 1 - math.Exp(-x)*(1+x/3)
		if got := MMcSojournCDF(2, 1, 1, x); relErr(got, want) > 1e-12 {
			t.Errorf("MMcSojournCDF(2, 1, 1, %v) = %.15g, want %.15g", x, got, want)
		}
		// Continuity: θ just above and just below μ.
		for _, lambda := range []float64{1 - 1e-9, 1 + 1e-9} {
			if got := MMcSojournCDF(2, lambda, 1, x); math.Abs(got-want) > 1e-8 {
				t.Errorf("MMcSojournCDF(2, %v, 1, %v) = %.15g, want ≈ %.15g (continuity at θ = μ)", lambda, x, got, want)
			}
		}
	}
}

// sojournCases cover θ = cμ−λ below, equal to and above μ.
var sojournCases = []struct {
	name       string
	c          int
	lambda, mu float64
}{
	{"M/M/1 ρ=0.8 θ<μ", 1, 0.8, 1},
	{"M/M/4 ρ=0.85 θ<μ", 4, 3.4, 1},
	{"M/M/2 ρ=0.5 θ=μ", 2, 1, 1},
	{"M/M/10 ρ=0.8 θ>μ", 10, 8, 1},
	{"M/M/50 ρ=0.95 θ>μ", 50, 47.5, 2},
}

func TestMMcSojournCDFShape(t *testing.T) {
	for _, tc := range sojournCases {
		f := func(x float64) float64 { return MMcSojournCDF(tc.c, tc.lambda, tc.mu, x) }
		if got := f(0); got != 0 {
			t.Errorf("%s: CDF(0) = %v, want 0 (service is continuous)", tc.name, got)
		}
		if got := f(-1); got != 0 {
			t.Errorf("%s: CDF(-1) = %v, want 0", tc.name, got)
		}
		if got := f(1e4 / tc.mu); math.Abs(got-1) > 1e-15 {
			t.Errorf("%s: CDF(1e4/μ) = %v, want 1", tc.name, got)
		}
		mean := MMcMeanSojourn(tc.c, tc.lambda, tc.mu)
		prev := 0.0
		for i := 1; i <= 2000; i++ {
			x := float64(i) * mean / 100
			cdf, surv := mmcSojourn(tc.c, tc.lambda, tc.mu, x)
			if cdf < prev {
				t.Fatalf("%s: CDF(%v) = %v < CDF at the previous point %v", tc.name, x, cdf, prev)
			}
			if math.Abs(cdf+surv-1) > 1e-15 {
				t.Fatalf("%s: CDF + survival at %v = %v, want 1", tc.name, x, cdf+surv)
			}
			prev = cdf
		}
	}
}

func TestMMcSojournCDFIntegratesToMean(t *testing.T) {
	// E[T] = ∫₀^∞ P(T > t) dt, by composite Simpson; checks the CDF against
	// the independent mean formula.
	for _, tc := range sojournCases {
		mean := MMcMeanSojourn(tc.c, tc.lambda, tc.mu)
		upper := 60 * mean // survival there is below e^{-40}
		const n = 20000    // even
		h := upper / n
		surv := func(x float64) float64 { _, s := mmcSojourn(tc.c, tc.lambda, tc.mu, x); return s }
		sum := surv(0) + surv(upper)
		for i := 1; i < n; i++ {
			w := 2.0
			if i%2 == 1 {
				w = 4
			}
			sum += w * surv(float64(i)*h)
		}
		if got := sum * h / 3; relErr(got, mean) > 1e-9 {
			t.Errorf("%s: ∫ survival = %.12g, MMcMeanSojourn = %.12g", tc.name, got, mean)
		}
	}
}

func TestMMcSojournQuantileSingleServer(t *testing.T) {
	// M/M/1: the p-quantile of Exp(μ−λ) is −ln(1−p)/(μ−λ).
	for _, q := range []struct{ lambda, mu float64 }{{0.5, 1}, {9, 10}, {450, 500}} {
		for _, p := range []float64{1e-6, 0.1, 0.5, 0.9, 0.99, 0.999, 0.999999} {
			want := -math.Log1p(-p) / (q.mu - q.lambda)
			if got := MMcSojournQuantile(1, q.lambda, q.mu, p); relErr(got, want) > 1e-10 {
				t.Errorf("MMcSojournQuantile(1, %v, %v, %v) = %.15g, want %.15g", q.lambda, q.mu, p, got, want)
			}
		}
	}
	if got := MMcSojournQuantile(1, 0.5, 1, 0); got != 0 {
		t.Errorf("quantile at p=0 = %v, want 0", got)
	}
	if got := MMcSojournQuantile(1, 0.5, 1, 1); !math.IsInf(got, 1) {
		t.Errorf("quantile at p=1 = %v, want +Inf", got)
	}
}

func TestMMcSojournQuantileRoundTrip(t *testing.T) {
	for _, tc := range sojournCases {
		for _, p := range []float64{0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999} {
			x := MMcSojournQuantile(tc.c, tc.lambda, tc.mu, p)
			if got := MMcSojournCDF(tc.c, tc.lambda, tc.mu, x); math.Abs(got-p) > 1e-12 {
				t.Errorf("%s: CDF(quantile(%v)) = %.15g", tc.name, p, got)
			}
		}
		mean := MMcMeanSojourn(tc.c, tc.lambda, tc.mu)
		for _, k := range []float64{0.05, 0.5, 1, 2, 5} {
			x := k * mean
			p := MMcSojournCDF(tc.c, tc.lambda, tc.mu, x)
			if got := MMcSojournQuantile(tc.c, tc.lambda, tc.mu, p); relErr(got, x) > 1e-9 {
				t.Errorf("%s: quantile(CDF(%v)) = %.15g", tc.name, x, got)
			}
		}
	}
}

func TestMMcSojournCDFMonteCarlo(t *testing.T) {
	// Sample T = W + S directly from its definition (W = 0 w.p. 1−C, else
	// Exp(cμ−λ); S ~ Exp(μ)) and bound the Kolmogorov–Smirnov distance. For
	// n = 10⁶ the 0.1% critical value is 1.95/√n ≈ 0.002.
	n := 1_000_000
	if testing.Short() {
		n = 200_000
	}
	tol := 3 / math.Sqrt(float64(n))
	for i, tc := range sojournCases {
		r := rand.New(rand.NewPCG(42, uint64(i)))
		pw := ErlangC(tc.c, tc.lambda/tc.mu)
		theta := float64(tc.c)*tc.mu - tc.lambda
		xs := make([]float64, n)
		for j := range xs {
			x := r.ExpFloat64() / tc.mu
			if r.Float64() < pw {
				x += r.ExpFloat64() / theta
			}
			xs[j] = x
		}
		slices.Sort(xs)
		d := 0.0
		for j, x := range xs {
			f := MMcSojournCDF(tc.c, tc.lambda, tc.mu, x)
			d = max(d, float64(j+1)/float64(n)-f, f-float64(j)/float64(n))
		}
		if d > tol {
			t.Errorf("%s: KS distance to %d samples = %.5f, want < %.4f", tc.name, n, d, tol)
		}
	}
}

func TestPollaczekKhinchine(t *testing.T) {
	const lambda, mu = 0.8, 1.0
	rho := lambda / mu
	// Exponential service (E[S²] = 2/μ²): M/G/1 reduces to M/M/1.
	if got, want := PollaczekKhinchineMeanSojourn(lambda, 1/mu, 2/(mu*mu)), MMcMeanSojourn(1, lambda, mu); relErr(got, want) > 1e-14 {
		t.Errorf("P-K exponential mean sojourn = %v, M/M/1 gives %v", got, want)
	}
	// Deterministic service (E[S²] = 1/μ²): M/D/1, W_q = ρ/(2μ(1−ρ)).
	if got, want := PollaczekKhinchineMeanWait(lambda, 1/mu, 1/(mu*mu)), rho/(2*mu*(1-rho)); relErr(got, want) > 1e-14 {
		t.Errorf("P-K M/D/1 mean wait = %v, want %v", got, want)
	}
	// By hand: λ = 0.5, E[S] = 1, E[S²] = 3 (CV² = 2): W_q = 0.5·3/(2·0.5) = 1.5, T = 2.5.
	if got := PollaczekKhinchineMeanSojourn(0.5, 1, 3); relErr(got, 2.5) > 1e-15 {
		t.Errorf("P-K mean sojourn(0.5, 1, 3) = %v, want 2.5", got)
	}
}

func TestLittleL(t *testing.T) {
	// M/M/1: L = ρ/(1−ρ) = λ·T.
	const lambda, mu = 3.0, 4.0
	if got, want := LittleL(lambda, MMcMeanSojourn(1, lambda, mu)), 3.0; relErr(got, want) > 1e-14 {
		t.Errorf("LittleL for M/M/1 ρ=0.75 = %v, want %v", got, want)
	}
	if got := LittleL(2.5, 4); got != 10 {
		t.Errorf("LittleL(2.5, 4) = %v, want 10", got)
	}
}
