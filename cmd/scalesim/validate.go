package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/scenarios"
)

// validateOptions is what `scalesim validate` was asked to check.
type validateOptions struct {
	IO        ioStreams
	Scenarios []string // files or built-in names, in order
	Sets      []string // --set PATH=VALUE, applied to each
}

// newValidateCmd builds `scalesim validate`.
func newValidateCmd(ios ioStreams) *cobra.Command {
	opts := &validateOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "validate SCENARIO...",
		Short: "Check scenario files without running them",
		Long: `Check scenario files (or built-in scenarios) without running them.

Each SCENARIO is loaded as 'scalesim run' would load it, with the --set
overrides applied. A valid one prints "OK  SCENARIO" to stdout; every error
goes to stderr with the file, the line and what to change. The exit status is
2 if any scenario is invalid.`,
		Example: `  scalesim validate my.yaml
  scalesim validate scenarios/*.yaml
  scalesim validate my.yaml --set workload.rate=900`,
		Args: cobra.MinimumNArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return completeScenarios(toComplete)
		},
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Scenarios = args
			if err := checkSets(opts.Sets); err != nil {
				return err
			}
			return runValidate(opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Sets, "set", nil, "override one scenario field, `PATH=VALUE` (repeatable)")
	return cmd
}

// runValidate loads every scenario, reporting each result, and fails with
// exit status 2 if any is invalid.
func runValidate(o *validateOptions) error {
	failed := 0
	for _, arg := range o.Scenarios {
		if err := validateOne(o.IO.Schema, arg, o.Sets); err != nil {
			printError(o.IO.Err, err)
			failed++
			continue
		}
		fmt.Fprintf(o.IO.Out, "OK  %s\n", arg)
	}
	if failed > 0 {
		return &reportedError{code: exitInput}
	}
	return nil
}

// validateOne resolves and loads one scenario.
func validateOne(schema *scenarios.Schema, arg string, sets []string) error {
	ref, err := resolveScenario(arg)
	if err != nil {
		return err
	}
	_, err = ref.load(schema, sets)
	return err
}
