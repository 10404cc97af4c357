package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
)

// catalogOptions is what `scalesim catalog` was asked to list.
type catalogOptions struct {
	IO       ioStreams
	Families []string // --family; empty for all
	Output   string   // -o: table, json or csv
}

// newCatalogCmd builds `scalesim catalog`.
func newCatalogCmd(ios ioStreams) *cobra.Command {
	opts := &catalogOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "List the instance types the simulator knows",
		Long: `List the instance types the simulator knows, with their vCPUs, memory, GPUs
and on-demand hourly price, sorted by family and then size. The last line of
the table names where the prices come from and when they were taken.`,
		Example: `  scalesim catalog
  scalesim catalog --family m5
  scalesim catalog --family g4dn,g5 -o json`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			if err := checkFormat(opts.Output, catalogFormats()); err != nil {
				return err
			}
			return runCatalog(opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Families, "family", nil, "list only the instance `FAMILY` (e.g. m5; repeatable or comma-separated)")
	f.StringVarP(&opts.Output, "output", "o", "table", "stdout `FORMAT`: table, json or csv")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(catalogFormats()...))
	_ = cmd.RegisterFlagCompletionFunc("family", completeFamilies)
	return cmd
}

// catalogFormats are the values of catalog's -o flag.
func catalogFormats() []string { return []string{"table", "json", "csv"} }

// runCatalog prints the selected instance types.
func runCatalog(o *catalogOptions) error {
	cat, err := models.DefaultCatalog()
	if err != nil {
		return fmt.Errorf("instance catalog: %w", err)
	}
	types, err := cat.Select(o.Families)
	if err != nil {
		return &inputError{err}
	}
	switch o.Output {
	case "json":
		return reports.WriteCatalogJSON(o.IO.Out, cat, types)
	case "csv":
		return reports.WriteCatalogCSV(o.IO.Out, types)
	default:
		return reports.WriteCatalogTable(o.IO.Out, cat, types)
	}
}

// completeFamilies completes --family from the default catalog.
func completeFamilies(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cat, err := models.DefaultCatalog()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return cat.Families(), cobra.ShellCompDirectiveNoFileComp
}
