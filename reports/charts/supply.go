package charts

import (
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/scalesim/scalesim/queueing"
	"github.com/scalesim/scalesim/reports"
)

// supplyDemand draws the worker slots the traffic asked for each minute
// (MinuteRow.Demand: the fewest that keep the M/M/c p99 within the SLO; the
// same for every strategy, drawn once, bold) against each strategy's
// slots in service at the minute's end: the two curves the elasticity
// figures compare. Without a demand (no SLO latency or mean service time)
// only the slots are drawn.
//
// The legend names the rule that sized the demand: the M/M/c p99 within
// the SLO, or, where no fleet reaches that, at most 1% of requests
// waiting.
func supplyDemand(r *reports.Result, d *data, title string) *figure {
	f := timeFigure(r, d, title, "worker slots")
	f.main.Y.Tick.Marker = integerTicks{}
	for i := range d.names {
		pts := perMinute(d.rows[i], midMinute, func(m reports.MinuteRow) float64 { return float64(m.Demand) })
		if !anyAboveZero(pts) {
			continue
		}
		dem := &series{pts: pts, line: draw.LineStyle{Color: ink(), Width: vg.Points(trafficWidth)}}
		f.main.Add(dem)
		f.addLegend(demandLegend(r), dem)
		break
	}
	addStrategies(f, d, "(no data)", func(i int) []xy {
		return perMinute(d.rows[i], endMinute, func(m reports.MinuteRow) float64 { return float64(m.Slots) })
	})
	return finishTime(f, r, d, true)
}

// demandLegend is the demand's legend entry, naming the rule that sized it.
func demandLegend(r *reports.Result) string {
	if queueing.P99Reachable(r.ServiceMeanS, r.SLOLatencyMS/1e3) {
		return "demand (M/M/c p99 ≤ SLO)"
	}
	return "demand (M/M/c: ≤ 1% wait)"
}
