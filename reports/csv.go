package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// minuteColumn is one column of the per-minute time series: its header
// (for a figure's column, the figure's minute column name) and its cell.
type minuteColumn struct {
	header string
	cell   func(m *MinuteRow) string
}

// figureColumn is the per-minute column of figure id.
func figureColumn(id FigureID, cell func(m *MinuteRow) string) minuteColumn {
	return minuteColumn{header: id.def().minute, cell: cell}
}

// minuteColumns lists the columns of the time series of docs/outputs.md:
// strategy,minute,arrivals,completed,errors,p50_ms,p99_ms,
// instances_in_service,instances_pending,utilization,cost_usd,
// iterator_age_ms,nodes_in_service,nodes_pending. A column
// that follows a figure minute by minute takes its name from the table of
// figures.
func minuteColumns() []minuteColumn {
	count := func(n int64) string { return strconv.FormatInt(n, 10) }
	return []minuteColumn{
		{header: "strategy", cell: func(m *MinuteRow) string { return m.Strategy }},
		{header: "minute", cell: func(m *MinuteRow) string { return strconv.Itoa(m.Minute) }},
		figureColumn(RequestsArrived, func(m *MinuteRow) string { return count(m.Arrivals) }),
		figureColumn(RequestsCompleted, func(m *MinuteRow) string { return count(m.Completed) }),
		{header: "errors", cell: func(m *MinuteRow) string { return count(m.Errors) }},
		figureColumn(LatencyP50, func(m *MinuteRow) string { return formatFloat(m.P50MS) }),
		figureColumn(LatencyP99, func(m *MinuteRow) string { return formatFloat(m.P99MS) }),
		{header: "instances_in_service", cell: func(m *MinuteRow) string { return strconv.Itoa(m.InstancesInService) }},
		{header: "instances_pending", cell: func(m *MinuteRow) string { return strconv.Itoa(m.InstancesPending) }},
		figureColumn(MeanUtilization, func(m *MinuteRow) string { return formatFloat(m.Utilization) }),
		figureColumn(CostTotal, func(m *MinuteRow) string { return formatFloat(m.CostUSD) }),
		{header: "iterator_age_ms", cell: func(m *MinuteRow) string { return formatFloat(m.IteratorAgeMS) }},
		{header: "nodes_in_service", cell: func(m *MinuteRow) string { return strconv.Itoa(m.NodesInService) }},
		{header: "nodes_pending", cell: func(m *MinuteRow) string { return strconv.Itoa(m.NodesPending) }},
	}
}

// csvHeader returns the time-series header of docs/outputs.md.
func csvHeader() []string {
	cols := minuteColumns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.header
	}
	return out
}

// WriteCSV writes r's per-minute time series as docs/outputs.md defines it: the
// header, then one row per strategy per minute, strategies in the order of
// r.Strategies (rows of a strategy not listed there come last), minutes in
// the order given. Floats are rounded to 6 significant digits.
func WriteCSV(w io.Writer, r *Result) error {
	rank := func(name string) int {
		if i := r.strategyIndex(name); i >= 0 {
			return i
		}
		return len(r.Strategies)
	}
	rows := slices.Clone(r.Series)
	slices.SortStableFunc(rows, func(a, b MinuteRow) int { return rank(a.Strategy) - rank(b.Strategy) })

	cw := csv.NewWriter(w)
	cols := minuteColumns()
	if err := cw.Write(csvHeader()); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(cols))
	for i := range rows {
		for j, c := range cols {
			rec[j] = c.cell(&rows[i])
		}
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
