package main

import (
	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/scenarios"
)

// newScenariosCmd builds `scalesim scenarios`.
func newScenariosCmd(ios ioStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios",
		Long: `List the built-in scenarios with a one-line description each. Any of these
names can be given to 'scalesim run' and 'scalesim validate' in place of a file.`,
		Example: `  scalesim scenarios
  scalesim run mmc`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			return runScenarios(ios)
		},
	}
}

// runScenarios prints the built-ins as two aligned columns.
func runScenarios(ios ioStreams) error {
	var t reports.Columns
	for _, b := range scenarios.Builtins() {
		t.Rows = append(t.Rows, []string{b.Name, b.Description})
	}
	_, err := t.WriteTo(ios.Out)
	return err
}
