package scenarios

import (
	"fmt"

	"github.com/scalesim/scalesim/reports"
)

// compareToBaseline fills res.Baseline and res.Comparisons: every strategy
// but the baseline (index base) compared with it replication by
// replication (byRep[r][k] is strategy k in replication r), on the figures
// of reports.ComparedKeys. With a single strategy there is nothing to
// compare and both stay empty.
func compareToBaseline(res *reports.Result, byRep [][]reports.StrategySummary, base int) error {
	if len(res.Strategies) < 2 {
		return nil
	}
	column := func(k int) []reports.StrategySummary {
		col := make([]reports.StrategySummary, len(byRep))
		for r := range byRep {
			col[r] = byRep[r][k]
		}
		return col
	}
	baseCol := column(base)
	res.Baseline = res.Strategies[base].Name
	for k, s := range res.Strategies {
		if k == base {
			continue
		}
		deltas, err := reports.CompareToBaseline(baseCol, column(k))
		if err != nil {
			return fmt.Errorf("comparing %s with %s: %w", s.Name, res.Baseline, err)
		}
		res.Comparisons = append(res.Comparisons, reports.Comparison{Strategy: s.Name, Deltas: deltas})
	}
	return nil
}
