//go:build validation

package models_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/queueing"
	"github.com/scalesim/scalesim/sim"
)

// TestValidationMMcGrid is the long validation (make validate): more
// (c, rho) points, including rho 0.95, each over several independent seeds,
// with tolerances of 1% on the mean and 2% on p50 and p99.
func TestValidationMMcGrid(t *testing.T) {
	cases := []struct {
		typ   string
		c, k  int
		rho   float64
		hours float64
	}{
		{"t.c1", 1, 8, 0.7, 24},
		{"t.c2", 2, 8, 0.9, 24},
		{"t.c4", 4, 8, 0.95, 24},
		{"t.c8", 8, 4, 0.8, 24},
	}
	const meanS = 0.05
	mu := 1 / meanS
	for _, tc := range cases {
		t.Run(fmt.Sprintf("c=%d,rho=%.2f", tc.c, tc.rho), func(t *testing.T) {
			t.Parallel()
			perQueue := tc.rho * float64(tc.c) * mu
			sink, _ := mmcRun(t, tc.typ, tc.k, perQueue*float64(tc.k), exponential(t, meanS), sim.FromSeconds(tc.hours*3600), 10*sim.Minute, 1234, false)
			n := float64(sink.outcomes[models.Completed])
			for _, c := range []struct {
				name      string
				got, want float64
				tol       float64
			}{
				{"mean", sink.sumLat / n, queueing.MMcMeanSojourn(tc.c, perQueue, mu), 0.01},
				{"p50", sink.quantile(0.5), queueing.MMcSojournQuantile(tc.c, perQueue, mu, 0.5), 0.02},
				{"p99", sink.quantile(0.99), queueing.MMcSojournQuantile(tc.c, perQueue, mu, 0.99), 0.02},
			} {
				rel := c.got/c.want - 1
				t.Logf("%s: simulated %.5f s, exact %.5f s (%+.2f%%, n=%.0f)", c.name, c.got, c.want, 100*rel, n)
				if math.Abs(rel) > c.tol {
					t.Errorf("%s %.5f s is %+.2f%% from the exact %.5f s", c.name, c.got, 100*rel, c.want)
				}
			}
		})
	}
}
