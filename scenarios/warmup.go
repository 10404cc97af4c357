package scenarios

import (
	"context"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
)

// autoWarmups detects each strategy's initial transient for "warmup:
// auto": it runs replication 0 of every strategy with no warm-up, applies
// the MSER-5 rule to the per-minute p99 latency (reports.MSER5) and
// returns the whole minutes it cuts, per strategy in run order, with the
// detection runs themselves (Run reuses one as replication 0 when its cut
// is 0: it is the same run).
func (e *executor) autoWarmups(ctx context.Context) ([]sim.Duration, []jobResult, error) {
	jobs := make([]job, len(e.picked))
	for k, i := range e.picked {
		jobs[k] = job{rep: 0, slot: k, strat: i, detail: true}
	}
	pilots, err := e.run(ctx, jobs)
	if err != nil {
		return nil, nil, err
	}
	cuts := make([]sim.Duration, len(pilots))
	for k, p := range pilots {
		cuts[k] = warmupCut(p.detail.series)
	}
	return cuts, pilots, nil
}

// warmupCut applies MSER-5 to a strategy's per-minute p99 latencies and
// returns the cut in whole minutes.
func warmupCut(series []reports.MinuteRow) sim.Duration {
	p99 := make([]float64, len(series))
	for m, row := range series {
		p99[m] = row.P99MS
	}
	return sim.Duration(reports.MSER5(p99)) * sim.Minute
}

// reportCuts records each strategy's warm-up cut in its summary, with a
// note where MSER-5 cut nothing (so that a reader knows it looked).
func reportCuts(strats []reports.StrategySummary, cuts []sim.Duration) {
	for k := range strats {
		strats[k].WarmupCutS = cuts[k].Seconds()
		if cuts[k] == 0 {
			strats[k].Notes = append(strats[k].Notes, "warm-up: MSER-5 found no initial transient to cut (warmup: auto)")
		}
	}
}
