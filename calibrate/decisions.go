package calibrate

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
)

// recordedChanges returns the desired-capacity changes the record's
// causes state, each once (one change launches several instances, each
// its own activity, all giving the same cause), oldest first.
func recordedChanges(rec *records.Record) []records.Change {
	var out []records.Change
	for _, a := range rec.Activities {
		c := a.Change
		if c == nil || c.From == c.To {
			continue
		}
		if slices.ContainsFunc(out, func(o records.Change) bool { return o.At.Equal(c.At) && o.From == c.From && o.To == c.To }) {
			continue
		}
		out = append(out, *c)
	}
	slices.SortStableFunc(out, func(a, b records.Change) int { return a.At.Compare(b.At) })
	return out
}

// clock places calendar instants on a run's clock.
type clock struct {
	start time.Time
	span  time.Duration // the run's duration
}

// at returns the seconds from time zero of instant t.
func (c clock) at(t time.Time) float64 { return t.Sub(c.start).Seconds() }

// within reports whether t falls inside the run.
func (c clock) within(t time.Time) bool { return !t.Before(c.start) && t.Sub(c.start) <= c.span }

// instant returns the calendar instant secs after time zero, RFC 3339.
func (c clock) instant(secs float64) string {
	return c.start.Add(time.Duration(math.Round(secs * 1e9))).UTC().Format(time.RFC3339Nano)
}

// matchDecisions sets the recorded changes within the run beside the
// simulated ones: each recorded change is matched to the nearest
// simulated change in the same direction within window, one to one,
// closest pairs first. It returns the rows (in time order) and the counts.
func matchDecisions(ck clock, changes []records.Change, sim []reports.DecisionRecord, window time.Duration) ([]reports.CalDecision, reports.DecisionMatches) {
	var rec, simd []*reports.CalDecisionPoint
	for _, c := range changes {
		if ck.within(c.At) {
			s := ck.at(c.At)
			rec = append(rec, &reports.CalDecisionPoint{AtS: s, Time: ck.instant(s), From: c.From, To: c.To, Why: c.Trigger})
		}
	}
	for _, d := range sim {
		if d.From != d.To {
			s := d.At.Seconds()
			simd = append(simd, &reports.CalDecisionPoint{AtS: s, Time: ck.instant(s), From: d.From, To: d.To, Why: d.Reason})
		}
	}
	type pair struct {
		r, s int
		gap  float64
	}
	var pairs []pair
	for i, r := range rec {
		for j, s := range simd {
			gap := math.Abs(s.AtS - r.AtS)
			if sign(r.To-r.From) == sign(s.To-s.From) && gap <= window.Seconds() {
				pairs = append(pairs, pair{i, j, gap})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.gap, b.gap), cmp.Compare(a.r, b.r), cmp.Compare(a.s, b.s))
	})
	simOf := make([]int, len(rec))
	for i := range simOf {
		simOf[i] = -1
	}
	taken := make([]bool, len(simd))
	for _, p := range pairs {
		if simOf[p.r] < 0 && !taken[p.s] {
			simOf[p.r], taken[p.s] = p.s, true
		}
	}
	var rows []reports.CalDecision
	var errs []float64
	for i, r := range rec {
		row := reports.CalDecision{Recorded: r}
		if j := simOf[i]; j >= 0 {
			row.Simulated, row.ErrorS = simd[j], round3(simd[j].AtS-r.AtS)
			errs = append(errs, math.Abs(row.ErrorS))
		}
		rows = append(rows, row)
	}
	for j, s := range simd {
		if !taken[j] {
			rows = append(rows, reports.CalDecision{Simulated: s})
		}
	}
	slices.SortStableFunc(rows, func(a, b reports.CalDecision) int { return cmp.Compare(rowTime(a), rowTime(b)) })
	m := reports.DecisionMatches{Recorded: len(rec), Simulated: len(simd), Matched: len(errs), WindowS: window.Seconds()}
	slices.Sort(errs)
	m.TimingErrorS.Median, m.TimingErrorS.P90 = quantile(errs, 0.5), quantile(errs, 0.9)
	return rows, m
}

// rowTime orders matched rows by the recorded time, else the simulated.
func rowTime(d reports.CalDecision) float64 {
	if d.Recorded != nil {
		return d.Recorded.AtS
	}
	return d.Simulated.AtS
}

// sign is -1, 0 or 1.
func sign(n int) int { return cmp.Compare(n, 0) }

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }
