package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// csvHeader returns the time-series header of docs/outputs.md.
func csvHeader() []string {
	return []string{
		"strategy", "minute", "arrivals", "completed", "errors", "p50_ms", "p99_ms",
		"instances_in_service", "instances_pending", "utilization", "cost_usd",
	}
}

// WriteCSV writes r's per-minute time series as docs/outputs.md defines it: the
// header, then one row per strategy per minute, strategies in the order of
// r.Strategies (rows of a strategy not listed there come last), minutes in
// the order given. Floats are rounded to 6 significant digits.
func WriteCSV(w io.Writer, r *Result) error {
	rank := func(name string) int {
		for i := range r.Strategies {
			if r.Strategies[i].Name == name {
				return i
			}
		}
		return len(r.Strategies)
	}
	rows := slices.Clone(r.Series)
	slices.SortStableFunc(rows, func(a, b MinuteRow) int { return rank(a.Strategy) - rank(b.Strategy) })

	cw := csv.NewWriter(w)
	header := csvHeader()
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(header))
	for _, m := range rows {
		rec[0] = m.Strategy
		rec[1] = strconv.Itoa(m.Minute)
		rec[2] = strconv.FormatInt(m.Arrivals, 10)
		rec[3] = strconv.FormatInt(m.Completed, 10)
		rec[4] = strconv.FormatInt(m.Errors, 10)
		rec[5] = formatFloat(m.P50MS)
		rec[6] = formatFloat(m.P99MS)
		rec[7] = strconv.Itoa(m.InstancesInService)
		rec[8] = strconv.Itoa(m.InstancesPending)
		rec[9] = formatFloat(m.Utilization)
		rec[10] = formatFloat(m.CostUSD)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
