// Package simtest holds helpers for scalesim's tests; no non-test code may
// import it.
//
// It provides:
//   - BareMMc, a hand-written M/M/c loop, the yardstick of the engine's
//     speed;
//   - Golden, the golden-file comparison behind each package's -update flag;
//   - Chromium, the headless browser the page tests (the HTML report, the
//     playground) drive, when one is installed;
//   - TestImportBoundaries (in this package's tests), which enforces the
//     import direction between scalesim's packages and forbids wall-clock
//     reads and global random numbers in the simulation core.
//
// The closed-form results simulated numbers are validated against (Erlang
// C, the M/M/c sojourn-time distribution, Pollaczek–Khinchine, Little's
// law) are in package queueing. A validation test puts the simulated number
// next to the exact one:
//
//	const c, lambda, mu = 8, 7.2, 1.0 // ρ = 0.9
//	p99 := queueing.MMcSojournQuantile(c, lambda, mu, 0.99)
//	if rel := math.Abs(got.P99-p99) / p99; rel > 0.05 {
//		t.Errorf("p99 sojourn = %.4g s, M/M/%d theory %.4g s (rel. error %.3f)", got.P99, c, p99, rel)
//	}
//
// and a rendering test pins its output:
//
//	var update = flag.Bool("update", false, "rewrite golden files")
//
//	func TestTable(t *testing.T) {
//		var buf bytes.Buffer
//		// ... render into buf
//		simtest.Golden(t, "testdata/table.golden", buf.Bytes(), *update)
//	}
package simtest
