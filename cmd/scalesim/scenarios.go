package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

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
	tw := tabwriter.NewWriter(ios.Out, 0, 0, 2, ' ', 0)
	for _, b := range scenarios.Builtins() {
		fmt.Fprintf(tw, "%s\t%s\n", b.Name, b.Description)
	}
	return tw.Flush()
}
