package calibrate

import (
	"math"
	"time"

	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
)

// comparable is how one recorded metric is set beside a run's minutes.
type comparable struct {
	metric records.Metric
	unit   string
	// sum: a datapoint covering several minutes holds their sum (a
	// count); otherwise their mean.
	sum bool
	// value is the run's counterpart in minute row r, and its weight in a
	// mean over minutes (0: the minute has no value).
	value func(r reports.MinuteRow) (v, weight float64)
}

// comparables returns how each metric of records.Metrics is compared, in
// that order. A group metric's datapoint at T is set beside the run's
// state at the end of the minute that starts at T: AWS samples the group
// once within each minute (docs/records.md).
func comparables() []comparable {
	one := func(f func(reports.MinuteRow) float64) func(reports.MinuteRow) (float64, float64) {
		return func(r reports.MinuteRow) (float64, float64) { return f(r), 1 }
	}
	return []comparable{
		{records.GroupDesiredCapacity, "instances", false, one(func(r reports.MinuteRow) float64 { return float64(r.Desired) })},
		{records.GroupInServiceInstances, "instances", false, one(func(r reports.MinuteRow) float64 { return float64(r.GroupInService) })},
		{records.GroupPendingInstances, "instances", false, one(func(r reports.MinuteRow) float64 { return float64(r.GroupPending) })},
		{records.CPUUtilization, "%", false, one(func(r reports.MinuteRow) float64 { return 100 * r.Utilization })},
		{records.RequestCount, "requests", true, one(func(r reports.MinuteRow) float64 { return float64(r.Arrivals) })},
		{records.TargetResponseTime, "s", false, func(r reports.MinuteRow) (float64, float64) {
			return r.MeanMS / 1000, float64(r.Completed)
		}},
	}
}

// compared is one series set beside the run: its error, and the recorded
// and simulated values per minute (NaN where the record has none).
type compared struct {
	err                reports.SeriesError
	capacity           *reports.CapacityError
	recorded, simulate []float64
}

// compareSeries sets series s beside the run's minutes rows.
func compareSeries(ck clock, s records.Series, c comparable, rows []reports.MinuteRow) (compared, int) {
	out := compared{err: reports.SeriesError{Metric: string(c.metric), Unit: c.unit},
		recorded: nanSlice(len(rows)), simulate: nanSlice(len(rows))}
	period := seriesPeriod(s.Points)
	k := int(period / time.Minute)
	outside := 0
	var sumRec, sumSim, sumAbs float64
	equal, minutes := 0, 0
	for _, p := range s.Points {
		off := p.At.Sub(ck.start)
		m0 := int(math.Floor(off.Minutes()))
		if off < 0 || m0+k > len(rows) {
			outside++
			continue
		}
		var v, w float64
		for m := m0; m < m0+k; m++ {
			x, wt := c.value(rows[m])
			v += x * wt
			w += wt
		}
		if w == 0 {
			continue // no simulated value (no completions in those minutes)
		}
		if !c.sum {
			v /= w
		}
		d := math.Abs(p.Value - v)
		out.err.Points++
		sumRec += p.Value
		sumSim += v
		sumAbs += d
		out.err.MaxAbsError = max(out.err.MaxAbsError, d)
		if d < 0.5 {
			equal += k
		}
		minutes += k
		for m := m0; m < m0+k; m++ {
			out.recorded[m], out.simulate[m] = p.Value, v
		}
	}
	if n := float64(out.err.Points); n > 0 {
		out.err.RecordedMean, out.err.SimulatedMean, out.err.MAE = sumRec/n, sumSim/n, sumAbs/n
		roundError(&out.err)
		out.capacity = &reports.CapacityError{Source: string(c.metric), Minutes: minutes,
			MAEInstances: out.err.MAE, MinutesEqualShare: float64(equal) / float64(minutes), MaxAbsError: out.err.MaxAbsError}
	}
	return out, outside
}

// desiredFromChanges rebuilds the desired capacity minute by minute from
// the recorded changes: at each minute's end, the To of the last change
// made before then, or the From of the first change before any (a change
// at the very end of a minute counts from the next, as the group's sample
// at that instant is taken first). Nil when the
// record holds no change.
func desiredFromChanges(ck clock, changes []records.Change, rows []reports.MinuteRow) *compared {
	if len(changes) == 0 {
		return nil
	}
	out := &compared{recorded: nanSlice(len(rows)), simulate: nanSlice(len(rows))}
	capErr := &reports.CapacityError{Source: "activities", Minutes: len(rows)}
	var sumAbs float64
	equal, i := 0, 0
	for m, r := range rows {
		end := ck.start.Add(time.Duration(m+1) * time.Minute)
		for i < len(changes) && changes[i].At.Before(end) {
			i++
		}
		v := changes[0].From
		if i > 0 {
			v = changes[i-1].To
		}
		d := math.Abs(float64(v - r.Desired))
		sumAbs += d
		capErr.MaxAbsError = max(capErr.MaxAbsError, d)
		if d < 0.5 {
			equal++
		}
		out.recorded[m], out.simulate[m] = float64(v), float64(r.Desired)
	}
	if len(rows) > 0 {
		capErr.MAEInstances = round3(sumAbs / float64(len(rows)))
		capErr.MinutesEqualShare = float64(equal) / float64(len(rows))
	}
	out.capacity = capErr
	return out
}

// seriesPeriod is a series' period: the smallest gap between its
// datapoints, in whole minutes (at least one).
func seriesPeriod(pts []records.Point) time.Duration {
	p := time.Duration(0)
	for i := 1; i < len(pts); i++ {
		if g := pts[i].At.Sub(pts[i-1].At); g > 0 && (p == 0 || g < p) {
			p = g
		}
	}
	p = p.Truncate(time.Minute)
	if p < time.Minute {
		p = time.Minute
	}
	return p
}

// roundError rounds a series' figures for steady output.
func roundError(e *reports.SeriesError) {
	for _, x := range []*float64{&e.RecordedMean, &e.SimulatedMean, &e.MAE, &e.MaxAbsError} {
		*x = math.Round(*x*1e4) / 1e4
	}
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
