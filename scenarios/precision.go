package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/reports"
)

// DefaultMaxReplications is RunOptions.MaxReplications when it is not set:
// the most replications a precision target may run.
const DefaultMaxReplications = 50

// precisionMinReplications is the fewest replications a precision target
// starts with: two give a half-width, but with t(0.975, 1) = 12.7 so loose
// that the next round's size would be a guess.
const precisionMinReplications = 3

// precisionFigure is the figure whose half-width a precision target
// bounds.
const precisionFigure = reports.LatencyP99

// runPlan is how many replications Run does and which strategy the others
// are compared with, from the options, checked.
type runPlan struct {
	first     int     // replications of the first round
	precision float64 // target relative half-width of p99; 0 for none
	max       int     // most replications with a precision target
	baseline  int     // index of the baseline among the strategies run
}

// newRunPlan checks opts' replication, precision and baseline settings
// for the strategies picked (scenario indexes).
func newRunPlan(sc *Scenario, picked []int, opts RunOptions) (*runPlan, error) {
	p := &runPlan{first: opts.Replications, precision: opts.Precision}
	if p.first == 0 {
		p.first = 1
	}
	if p.first < 1 || p.first > MaxReplications {
		return nil, &Error{File: "--replications", Msg: fmt.Sprintf("must be from 1 to %d (got %d)", MaxReplications, p.first)}
	}
	if math.IsNaN(p.precision) || p.precision < 0 || p.precision > 1 {
		return nil, &Error{File: "--precision", Msg: fmt.Sprintf("must be a fraction from 0 to 1 (got %v)", p.precision),
			Hint: `write it as a percentage, e.g. --precision 2%`}
	}
	if p.precision > 0 {
		p.max = opts.MaxReplications
		if p.max == 0 {
			p.max = DefaultMaxReplications
		}
		if p.max < 1 || p.max > MaxReplications {
			return nil, &Error{File: "--max-replications", Msg: fmt.Sprintf("must be from 1 to %d (got %d)", MaxReplications, p.max)}
		}
		if p.max < p.first {
			return nil, &Error{File: "--max-replications", Msg: fmt.Sprintf("%d is fewer than the %d replications asked for", p.max, p.first),
				Hint: "raise --max-replications or lower --replications"}
		}
		p.first = min(max(p.first, precisionMinReplications), p.max)
	}
	names := make([]string, len(picked))
	for k, i := range picked {
		names[k] = sc.Spec.Strategies[i].Name
	}
	if opts.Baseline != "" {
		p.baseline = slices.Index(names, opts.Baseline)
		if p.baseline < 0 {
			return nil, &Error{File: "--baseline " + clip(opts.Baseline),
				Msg:  fmt.Sprintf("no strategy %q among those run (%s)", clip(opts.Baseline), strings.Join(names, ", ")),
				Hint: didYouMean(opts.Baseline, names)}
		}
	}
	return p, nil
}

// next returns the number of replications to have after the ones in
// byRep: len(byRep) when done. The rule, fixed before a round starts and
// so independent of the worker count:
//
//   - without a precision target, or at the cap, stop;
//   - let q be the largest, over the strategies, of h/(P·m), with h the
//     95% half-width of the strategy's p99, m its mean and P the target
//     (a p99 of 0 with h = 0 meets any target); if q ≤ 1, stop;
//   - else the half-width shrinking as 1/√n, about n·q² replications
//     would do: go to that many, but at least one more and at most twice
//     as many (the estimate from few replications is rough), and never
//     past the cap.
func (p *runPlan) next(byRep [][]reports.StrategySummary) (int, error) {
	n := len(byRep)
	if p.precision <= 0 || n >= p.max {
		return n, nil
	}
	agg, err := reports.Aggregate(byRep)
	if err != nil {
		return 0, err
	}
	q := 0.0
	for _, s := range agg {
		q = max(q, relativeHalfWidth(s)/p.precision)
	}
	if q <= 1 {
		return n, nil
	}
	want := float64(n) * q * q
	if math.IsInf(want, 0) || want > float64(2*n) {
		want = float64(2 * n)
	}
	return min(max(int(math.Ceil(want)), n+1), p.max), nil
}

// relativeHalfWidth is the 95% half-width of s's p99 over its mean: 0 when
// both are 0, +Inf when only the mean is.
func relativeHalfWidth(s reports.StrategySummary) float64 {
	hw := s.CI95HalfWidth[precisionFigure.Key()]
	mean, _ := precisionFigure.Value(&s)
	switch {
	case hw == 0:
		return 0
	case mean == 0:
		return math.Inf(1)
	}
	return hw / mean
}

// shortfall returns the warning for a precision target not met within the
// cap, naming the precision each strategy reached; "" when it was met (or
// there was none).
func (p *runPlan) shortfall(strats []reports.StrategySummary) string {
	if p.precision <= 0 {
		return ""
	}
	met := true
	var reached []string
	for _, s := range strats {
		rel := relativeHalfWidth(s)
		met = met && rel <= p.precision
		reached = append(reached, fmt.Sprintf("%s ±%s", s.Name, percent(rel)))
	}
	if met {
		return ""
	}
	return fmt.Sprintf("precision: stopped at %d replications (--max-replications) before every strategy's p99 latency "+
		"was within ±%s of its mean (95%% confidence); reached: %s", p.max, percent(p.precision), strings.Join(reached, ", "))
}

// percent formats a fraction as a percentage with up to 2 decimals, or
// as written when smaller than that.
func percent(x float64) string {
	p := x * 100
	switch {
	case math.IsInf(p, 0):
		return "∞%"
	case p != 0 && math.Abs(p) < 0.01:
		return strconv.FormatFloat(p, 'g', 3, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(p*100)/100, 'f', -1, 64) + "%"
}
