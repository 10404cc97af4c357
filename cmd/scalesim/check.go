package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/reports"
)

// checkOptions is what `scalesim check` was asked to do.
type checkOptions struct {
	IO       ioStreams
	Baseline string   // --baseline file
	Current  string   // the argument
	Limits   []string // --max-regression KEY=LIMIT, in order
	Output   string   // -o: table or markdown

	limits []reports.Limit
}

// newCheckCmd builds `scalesim check`. runF, when not nil, replaces
// runCheck so tests can inspect the options.
func newCheckCmd(ios ioStreams, runF func(*checkOptions) error) *cobra.Command {
	opts := &checkOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "check --baseline BASE.json CURRENT.json",
		Short: "Compare a result with a baseline; exit 1 on a regression (CI)",
		Long: `Compare a result (scalesim run -o json, or sweep -o json point by point,
points matched by their --vary values) with a baseline, strategy by strategy
(matched by name), and exit 1 if a figure got worse by more than its limit.

--max-regression KEY=LIMIT sets a limit (repeatable; it replaces the defaults):
KEY is a figure of the JSON summary (latency_ms.p99, cost_usd.total,
availability.success_ratio, ...); LIMIT is a share of the baseline (5%), or an
amount: a duration for latency (20ms), dollars for cost ($3), or a plain
number in the figure's unit (0.001 for a ratio). Latency, cost and error counts
get worse as they rise; success ratio, SLO attainment and throughput as they
fall. Without --max-regression: latency_ms.p99 +10%,
availability.success_ratio -0.001, cost_usd.total +5%.

When both results carry replications (ci95_half_width), a change beyond the
limit is a regression only if it also exceeds the noise, sqrt(hw_base² +
hw_current²). A strategy (or sweep point) of the baseline missing from the
current result is a failure; one only in the current result is listed as new.

Exit status: 0 no regression, 1 a regression, 2 bad input.`,
		Example: `  scalesim check --baseline baselines/mmc.json current.json
  scalesim check --baseline base.json current.json --max-regression latency_ms.p99=20ms --max-regression cost_usd.total=$3
  scalesim check --baseline base.json current.json -o markdown > comment.md`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Current = args[0]
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runCheck(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Baseline, "baseline", "", "the baseline result, `FILE` (JSON of run or sweep)")
	f.StringArrayVar(&opts.Limits, "max-regression", nil, "allow a figure to get worse by at most `KEY=LIMIT`, e.g. latency_ms.p99=10% (repeatable)")
	f.StringVarP(&opts.Output, "output", "o", "table", "stdout `FORMAT`: table or markdown")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(checkFormats()...))
	return cmd
}

// checkFormats are the values of check's -o flag.
func checkFormats() []string { return []string{"table", "markdown"} }

// validate checks the flags; a bad one is a usage error.
func (o *checkOptions) validate() error {
	if err := checkFormat(o.Output, checkFormats()); err != nil {
		return err
	}
	if o.Baseline == "" {
		return usageErrorf("check needs --baseline FILE, the result to compare with")
	}
	o.limits = nil
	for _, s := range o.Limits {
		l, err := reports.ParseLimit(s)
		if err != nil {
			return &usageError{err}
		}
		if slices.ContainsFunc(o.limits, func(x reports.Limit) bool { return x.Key == l.Key }) {
			return usageErrorf("--max-regression %q: %s has a limit already; give one per figure", s, l.Key)
		}
		o.limits = append(o.limits, l)
	}
	if len(o.limits) == 0 {
		o.limits = reports.DefaultLimits()
	}
	return nil
}

// runCheck compares the files, prints the report and returns an error
// runCheck compares the files, prints the report and returns an error
// wrapping errRegression when something failed.
func runCheck(_ context.Context, o *checkOptions) error {
	var sides [2]reports.CheckInput
	for k, name := range []string{o.Baseline, o.Current} {
		sides[k].Name = name
		err := readInputFile(name, func(r io.Reader) (err error) {
			sides[k].Run, sides[k].Sweep, err = reports.ReadCheckInput(r)
			return err
		})
		if err != nil {
			return err
		}
	}
	rep, err := reports.Check(sides[0], sides[1], o.limits)
	if err != nil {
		return &inputError{fmt.Errorf("check: %w", err)}
	}
	write := reports.WriteCheckTable
	if o.Output == "markdown" {
		write = reports.WriteCheckMarkdown
	}
	if err := write(o.IO.Out, rep); err != nil {
		return err
	}
	if n := rep.Failures(); n > 0 {
		return fmt.Errorf("check %s: %d of the comparisons failed: %w", rep.Scenario, n, errRegression)
	}
	return nil
}
