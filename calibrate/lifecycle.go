package calibrate

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/scenarios"
)

// Lifecycle summarises the record's launches and terminations: the
// durations of the successful ones (StartTime to EndTime: a launch
// activity ends when the instance is InService, docs/aws-behaviour.md
// §1.3), the failed launches apart with their reasons, and the
// instances.pending block fitted to the launch durations with the model
// selection of `trace fit`. flow is that block as a --set value, "" when
// there is nothing to fit.
func Lifecycle(rec *records.Record) (lc reports.CalLifecycle, flow string, notes []string) {
	var launch, term []float64
	reasons := map[string]int{}
	cancelled := 0
	for _, a := range rec.Activities {
		switch {
		case a.Kind == records.Launch && a.Status == records.StatusFailed:
			lc.FailedLaunches++
			reasons[failureReason(a.StatusMessage)]++
		case a.Kind == records.Launch && a.Status == records.StatusCancelled:
			cancelled++
		case a.Status != records.StatusSuccessful || a.End.IsZero() || a.End.Before(a.Start):
		case a.Kind == records.Launch:
			launch = append(launch, a.End.Sub(a.Start).Seconds())
		case a.Kind == records.Terminate:
			term = append(term, a.End.Sub(a.Start).Seconds())
		}
	}
	for r, n := range reasons {
		lc.FailureReasons = append(lc.FailureReasons, reports.CalReason{Reason: r, Count: n})
	}
	slices.SortFunc(lc.FailureReasons, func(a, b reports.CalReason) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
	if cancelled > 0 {
		notes = append(notes, plural(cancelled, "cancelled launch was", "cancelled launches were")+" left out of the launch durations")
	}
	lc.LaunchS, lc.TerminateS = durationStats(launch), durationStats(term)
	sug, flow, note := fitLaunch(launch)
	lc.Suggested = sug
	if note != "" {
		notes = append(notes, note)
	}
	return lc, flow, notes
}

// failureReason is the first sentence of a failed launch's status
// message, the part that names the cause.
func failureReason(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	if msg == "" {
		return "no status message"
	}
	if i := strings.Index(msg, ". "); i > 0 {
		msg = msg[:i]
	}
	return strings.TrimSuffix(msg, ".")
}

// fitLaunch fits the launch durations as `trace fit` fits service times.
func fitLaunch(secs []float64) (*reports.CalSuggested, string, string) {
	var data models.FitData
	for _, s := range secs {
		if s > 0 {
			_ = data.Add(s) // positive and finite: cannot fail
		}
	}
	fits, err := models.FitServiceTimes(&data)
	if err != nil {
		if len(secs) == 0 {
			return nil, "", "no successful launch in the record: nothing to fit"
		}
		return nil, "", "the launch durations cannot be fitted (" + err.Error() + ")"
	}
	best, _ := models.BestFit(fits)
	ts := scenarios.FitTimeSpec(fits[best].Config)
	block, flow, err := scenarios.PendingYAML(ts)
	if err != nil {
		return nil, "", "the fitted launch time cannot be written: " + err.Error()
	}
	return &reports.CalSuggested{LaunchDist: fits[best].Dist, LaunchKS: fits[best].KS, YAML: string(block)}, flow, ""
}

// durationStats summarises durations in seconds: count, median, p90, p99
// (linear interpolation between order statistics) and mean.
func durationStats(xs []float64) reports.DurationStats {
	if len(xs) == 0 {
		return reports.DurationStats{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	return reports.DurationStats{N: len(s), Median: quantile(s, 0.5), P90: quantile(s, 0.9), P99: quantile(s, 0.99),
		Mean: round3(sum / float64(len(s)))}
}

// quantile is the q-quantile of sorted s, interpolating linearly between
// order statistics, rounded to the millisecond.
func quantile(s []float64, q float64) float64 {
	if len(s) == 0 {
		return 0
	}
	pos := q * float64(len(s)-1)
	i := int(math.Floor(pos))
	if i+1 >= len(s) {
		return round3(s[len(s)-1])
	}
	return round3(s[i] + (pos-float64(i))*(s[i+1]-s[i]))
}

// round3 rounds seconds to the millisecond, so figures print steadily.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// plural renders "1 thing was" or "N things were".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}
