// Package calibrate sets a simulated Auto Scaling group beside the record
// of a real one (package records): it measures the group's launch and
// termination times from its scaling activities and fits the launch time
// a scenario should use, replays the scenario, and scores the simulated
// desired capacity, in-service count, metrics and scaling decisions
// against the record, minute by minute and decision by decision. It also
// writes a run as such a record (FromRun), so that a scenario can be
// calibrated against its own run.
//
// It computes; package records reads and writes the AWS shapes, and
// package reports renders the result.
package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/scenarios"
)

// DefaultMatchWindow is how far apart a recorded and a simulated decision
// may be and still match (--match-window).
const DefaultMatchWindow = 5 * time.Minute

// Options say how to calibrate.
type Options struct {
	// Start is the calendar instant of the scenario's time zero.
	Start time.Time
	// MatchWindow is DefaultMatchWindow when 0.
	MatchWindow time.Duration
	// ApplyFit runs the scenario a second time with the fitted launch
	// time and reports that comparison too.
	ApplyFit bool
	// MaxCapacityError and MaxTimingError, when set, make the calibration
	// a gate: the desired capacity's mean absolute error and the p90
	// timing error of matched decisions may not exceed them, and every
	// recorded decision must be matched.
	MaxCapacityError *float64
	MaxTimingError   *time.Duration
	// Run are the options of the runs (seed, workers, progress, budget);
	// its Strategies and Replications are set by Calibrate.
	Run scenarios.RunOptions
}

// Input is what Calibrate sets beside each other.
type Input struct {
	// Load loads the scenario, with extra --set flags after the user's
	// (the fitted lifecycle, for ApplyFit).
	Load func(extra []string) (*scenarios.Scenario, error)
	// Strategy names the scenario's strategy to compare: its fleet must be
	// an Auto Scaling group.
	Strategy string
	Record   *records.Record
	Options  Options
}

// Calibrate runs the strategy and compares it with the record.
func Calibrate(ctx context.Context, in Input) (*reports.Calibration, error) {
	opt := in.Options
	if opt.MatchWindow <= 0 {
		opt.MatchWindow = DefaultMatchWindow
	}
	sc, err := in.Load(nil)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(sc.StrategyNames(), in.Strategy) {
		return nil, &scenarios.Error{File: sc.File, Msg: fmt.Sprintf("no strategy %q", in.Strategy),
			Hint: "--strategy is one of " + strings.Join(sc.StrategyNames(), ", ")}
	}
	ck := clock{start: opt.Start.UTC(), span: time.Duration(sc.Spec.Duration)}
	lc, flow, notes := Lifecycle(in.Record)
	res, err := runOne(ctx, sc, in.Strategy, opt.Run)
	if err != nil {
		return nil, err
	}
	cmp, minutes, decisions, more := compare(ck, in.Record, res, in.Strategy, opt.MatchWindow)
	c := &reports.Calibration{
		SchemaVersion: reports.SchemaVersion,
		Scenario:      sc.Name(),
		Strategy:      in.Strategy,
		Start:         ck.start.Format(time.RFC3339Nano),
		Lifecycle:     lc,
		Recorded:      recordedCounts(ck, in.Record, len(res.Series)),
		Comparison:    cmp,
		Decisions:     decisions,
		Minutes:       minutes,
		Notes:         append(append(slices.Clone(in.Record.Notes), notes...), more...),
	}
	if opt.ApplyFit {
		if flow == "" {
			c.Notes = append(c.Notes, "--apply-fit: no fitted launch time to apply")
		} else {
			fitted, err := in.Load([]string{"instances.pending=" + flow})
			if err != nil {
				return nil, fmt.Errorf("--apply-fit: %w", err)
			}
			res2, err := runOne(ctx, fitted, in.Strategy, opt.Run)
			if err != nil {
				return nil, fmt.Errorf("--apply-fit: %w", err)
			}
			cmp2, minutes2, decisions2, _ := compare(ck, in.Record, res2, in.Strategy, opt.MatchWindow)
			c.Fitted, c.FitMinutes = &cmp2, minutes2
			for _, d := range decisions2 {
				if d.Simulated != nil {
					c.FitDecided = append(c.FitDecided, *d.Simulated)
				}
			}
		}
	}
	c.Gate = gate(c.Comparison, opt)
	c.Verdict = verdict(c)
	return c, nil
}

// runOne runs one strategy of sc once and checks its fleet is a group.
func runOne(ctx context.Context, sc *scenarios.Scenario, name string, opts scenarios.RunOptions) (*reports.Result, error) {
	opts.Strategies, opts.Replications, opts.Precision, opts.Baseline = []string{name}, 1, 0, ""
	res, err := scenarios.Run(ctx, sc, opts)
	if err != nil {
		return nil, err
	}
	if len(res.Strategies) != 1 || !res.Strategies[0].Group {
		return nil, &scenarios.Error{File: sc.File, Msg: fmt.Sprintf("strategy %s is of type %s: its fleet is not an Auto Scaling group", name, res.Strategies[0].Type),
			Hint: "calibrate compares a group's record with a horizontal (or static) strategy"}
	}
	return res, nil
}

// compare sets run res's strategy beside the record on clock ck: desired
// capacity (GroupDesiredCapacity, or rebuilt from the causes), every
// recorded metric, and the decisions matched within window. It returns
// the comparison, the minutes for the charts, the matched decisions and
// notes on what was left out.
func compare(ck clock, rec *records.Record, res *reports.Result, strategy string, window time.Duration) (reports.CalComparison, []reports.CalMinute, []reports.CalDecision, []string) {
	var rows []reports.MinuteRow
	for _, r := range res.Series {
		if r.Strategy == strategy {
			rows = append(rows, r)
		}
	}
	var sim []reports.DecisionRecord
	for _, d := range res.Decisions {
		if d.Strategy == strategy {
			sim = append(sim, d)
		}
	}
	changes := recordedChanges(rec)
	var out reports.CalComparison
	var notes []string
	minutes := make([]reports.CalMinute, len(rows))
	for m, r := range rows {
		minutes[m] = reports.CalMinute{Minute: m, RecordedDesired: math.NaN(), SimDesired: float64(r.Desired),
			RecordedInService: math.NaN(), SimInServ: float64(r.GroupInService)}
	}
	comps := comparables()
	for _, s := range rec.Series {
		i := slices.IndexFunc(comps, func(c comparable) bool { return c.metric == s.Metric })
		if i < 0 {
			continue
		}
		got, outside := compareSeries(ck, s, comps[i], rows)
		if outside > 0 {
			notes = append(notes, fmt.Sprintf("%s: %s outside the run's span left out", s.Metric, plural(outside, "datapoint", "datapoints")))
		}
		if got.err.Points == 0 {
			notes = append(notes, fmt.Sprintf("%s: no datapoint within the run: is --start right?", s.Metric))
			continue
		}
		out.Series = append(out.Series, got.err)
		switch s.Metric {
		case records.GroupDesiredCapacity:
			out.Capacity = got.capacity
			for m := range minutes {
				minutes[m].RecordedDesired = got.recorded[m]
			}
		case records.GroupInServiceInstances:
			out.InService = got.capacity
			for m := range minutes {
				minutes[m].RecordedInService = got.recorded[m]
			}
		}
	}
	if out.Capacity == nil {
		if got := desiredFromChanges(ck, changes, rows); got != nil {
			out.Capacity = got.capacity
			for m := range minutes {
				minutes[m].RecordedDesired = got.recorded[m]
			}
		} else {
			notes = append(notes, "the record gives no desired capacity (no GroupDesiredCapacity and no change in the causes): capacity is not compared")
		}
	}
	decisions, matches := matchDecisions(ck, changes, sim, window)
	out.Decisions = matches
	return out, minutes, decisions, notes
}

// recordedCounts counts what the record holds within the run: activities
// that started in it, the desired-capacity changes made in it, and the
// minutes the comparison covers.
func recordedCounts(ck clock, rec *records.Record, minutes int) reports.CalRecorded {
	var out reports.CalRecorded
	for _, a := range rec.Activities {
		if ck.within(a.Start) {
			out.Activities++
		}
	}
	for _, c := range recordedChanges(rec) {
		if ck.within(c.At) {
			out.Decisions++
		}
	}
	out.Minutes = minutes
	for _, s := range rec.Series {
		out.Series = append(out.Series, string(s.Metric))
	}
	return out
}

// gate applies --max-capacity-error and --max-timing-error; nil without
// either.
func gate(cmp reports.CalComparison, opt Options) *reports.CalGate {
	if opt.MaxCapacityError == nil && opt.MaxTimingError == nil {
		return nil
	}
	g := &reports.CalGate{MaxCapacityError: opt.MaxCapacityError}
	if opt.MaxCapacityError != nil {
		switch c := cmp.Capacity; {
		case c == nil:
			g.Failures = append(g.Failures, "the record gives no desired capacity to compare")
		case c.MAEInstances > *opt.MaxCapacityError:
			g.Failures = append(g.Failures, fmt.Sprintf("desired capacity is off by %.2f instances on average, more than %g", c.MAEInstances, *opt.MaxCapacityError))
		}
	}
	if opt.MaxTimingError != nil {
		s := opt.MaxTimingError.Seconds()
		g.MaxTimingErrorS = &s
		d := cmp.Decisions
		if miss := d.Recorded - d.Matched; miss > 0 {
			g.Failures = append(g.Failures, fmt.Sprintf("%s no simulated match within %s", plural(miss, "recorded decision has", "recorded decisions have"), time.Duration(d.WindowS*1e9)))
		}
		if d.Matched > 0 && d.TimingErrorS.P90 > s {
			g.Failures = append(g.Failures, fmt.Sprintf("decisions are %gs apart at p90, more than %gs", d.TimingErrorS.P90, s))
		}
	}
	g.Passed = len(g.Failures) == 0
	return g
}

// verdict is the report's one-line conclusion.
func verdict(c *reports.Calibration) string {
	cmp := c.Comparison
	d := cmp.Decisions
	var parts []string
	near := true
	if e := cmp.Capacity; e != nil {
		parts = append(parts, fmt.Sprintf("desired capacity off by %.2f instances on average (equal in %.0f%% of %d minutes)",
			e.MAEInstances, 100*e.MinutesEqualShare, e.Minutes))
		near = e.MAEInstances < 0.5
	}
	dec := fmt.Sprintf("%d of %d recorded decisions matched within %s", d.Matched, d.Recorded, time.Duration(d.WindowS*1e9))
	if d.Matched > 0 {
		dec += fmt.Sprintf(", median timing error %gs", d.TimingErrorS.Median)
	}
	parts = append(parts, dec)
	near = near && d.Matched == d.Recorded && d.Simulated == d.Recorded
	lead := "The simulation reproduces the record: "
	if !near {
		lead = "The simulation differs from the record: "
	}
	v := lead + strings.Join(parts, "; ") + "."
	if c.Gate != nil {
		if c.Gate.Passed {
			v += " Gate passed."
		} else {
			v += " Gate failed: " + strings.Join(c.Gate.Failures, "; ") + "."
		}
	}
	return v
}
