package reports

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Aggregate combines the summaries of N replications of the same
// strategies: reps[r][i] is strategy i in replication r, and every
// replication lists the same strategies in the same order.
//
// With N = 1 it returns a copy of reps[0]. With N > 1 each figure is the
// mean over the replications of the per-replication figure (so a ratio is
// the mean of the ratios), and CI95HalfWidth gains, for every figure stored
// in the summary, keyed like its JSON path (FigureKeys), the Student-t 95%
// half-width
//
//	t(0.975, N−1) · s / √N
//
// with s the sample standard deviation. Integer figures are reported as
// rounded means; their half-widths stay exact (unrounded). The request
// counts are rounded together so that they still balance: arrived is the
// rounded mean, and the outcome counts are their means rounded by largest
// remainder to sum to it, each within 1 of its mean.
func Aggregate(reps [][]StrategySummary) ([]StrategySummary, error) {
	if len(reps) == 0 {
		return nil, errors.New("aggregate: no replications")
	}
	first := reps[0]
	for r, rep := range reps[1:] {
		if len(rep) != len(first) {
			return nil, fmt.Errorf("aggregate: replication %d has %d strategies, replication 0 has %d", r+1, len(rep), len(first))
		}
		for i := range rep {
			if rep[i].Name != first[i].Name {
				return nil, fmt.Errorf("aggregate: replication %d lists strategy %q where replication 0 lists %q", r+1, rep[i].Name, first[i].Name)
			}
		}
	}
	out := make([]StrategySummary, len(first))
	for i := range first {
		col := make([]StrategySummary, len(reps))
		for r := range reps {
			col[r] = reps[r][i]
		}
		out[i] = aggregateOne(col)
	}
	return out, nil
}

// aggregateOne combines one strategy's replications.
func aggregateOne(col []StrategySummary) StrategySummary {
	out := col[0]
	out.CI95HalfWidth = nil
	n := len(col)
	if n == 1 {
		return out
	}
	out.CI95HalfWidth = map[string]float64{}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	vals := make([]float64, n)
	for _, f := range figureDefs {
		if !f.stored() {
			continue
		}
		for r := range col {
			vals[r], _ = f.value.get(&col[r])
		}
		mean, sd := meanSD(vals)
		out.CI95HalfWidth[f.key] = t * sd / math.Sqrt(float64(n))
		f.value.set(&out, mean)
	}
	out.Requests = balancedRequests(col)
	return out
}

// meanSD returns the mean and the sample standard deviation (n−1) of xs.
func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		d := x - mean
		ss += d * d
	}
	if len(xs) > 1 {
		sd = math.Sqrt(ss / float64(len(xs)-1))
	}
	return mean, sd
}

// balancedRequests averages the request counts so that they balance:
// arrived = completed + rejected + timed_out + dropped + in_flight_at_end.
// Reprocessed, outside the balance, is its rounded mean.
// The mean of arrived is the sum of the outcome means, so rounding the
// outcomes by largest remainder to round(mean arrived) keeps the identity
// and leaves each count within 1 of its mean. Ties go to the earlier
// outcome in that order.
func balancedRequests(col []StrategySummary) Requests {
	n := float64(len(col))
	var arrived float64
	var means [5]float64
	for _, s := range col {
		q := s.Requests
		arrived += float64(q.Arrived)
		for k, v := range [5]int64{q.Completed, q.Rejected, q.TimedOut, q.Dropped, q.InFlightAtEnd} {
			means[k] += float64(v)
		}
	}
	arrived /= n
	total := int64(math.Round(arrived))
	var counts [5]int64
	var rem [5]float64
	var sum int64
	for k := range means {
		means[k] /= n
		counts[k] = int64(math.Floor(means[k]))
		rem[k] = means[k] - float64(counts[k])
		sum += counts[k]
	}
	for left := total - sum; left > 0; left-- {
		best := 0
		for k := 1; k < len(rem); k++ {
			if rem[k] > rem[best] {
				best = k
			}
		}
		counts[best]++
		rem[best] = -1
	}
	var repeats float64
	for _, s := range col {
		repeats += float64(s.Requests.Reprocessed)
	}
	return Requests{Arrived: sum + max(total-sum, 0), Completed: counts[0], Rejected: counts[1],
		TimedOut: counts[2], Dropped: counts[3], InFlightAtEnd: counts[4], Reprocessed: int64(math.Round(repeats / n))}
}
