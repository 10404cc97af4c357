package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/reports"
)

// mergeOptions is what `scalesim merge` was asked to do.
type mergeOptions struct {
	IO     ioStreams
	Parts  []string // the part files, as given
	Output string   // -o: json, table or csv
	OutDir string   // --out: bundle directory; "" for none
}

// newMergeCmd builds `scalesim merge`.
func newMergeCmd(ios ioStreams) *cobra.Command {
	opts := &mergeOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "merge PART.json...",
		Short: "Combine the parts of a sharded sweep into one result",
		Long: `Combine the JSON parts written by 'scalesim sweep --shard I/N -o json' into
the result the unsharded sweep prints: with -o json (the default), the same
bytes. Parts may be given in any order.

merge refuses (exit status 2) parts of different scenarios or grids (other
--vary, --set, --seed, --replications, --strategy or --slo values), parts of
different shard counts, the same shard twice, a missing shard, and files that
are not sweep results.`,
		Example: `  scalesim merge part-*.json > sweep.json
  scalesim merge /results/part-*.json -o table
  scalesim merge part-1.json part-2.json part-3.json --out report/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Parts = args
			if err := checkFormat(opts.Output, mergeFormats()); err != nil {
				return err
			}
			return runMerge(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "json", "stdout `FORMAT`: json, table or csv")
	f.StringVar(&opts.OutDir, "out", "", "write sweep.json, sweep.csv and charts/pareto.{svg,png} to `DIR`")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(mergeFormats()...))
	return cmd
}

// mergeFormats are the values of merge's -o flag.
func mergeFormats() []string { return []string{"json", "table", "csv"} }

// runMerge reads, merges and prints the parts.
func runMerge(_ context.Context, o *mergeOptions) error {
	parts := make([]reports.SweepPart, 0, len(o.Parts))
	for _, name := range o.Parts {
		var s *reports.Sweep
		err := readInputFile(name, func(r io.Reader) (err error) { s, err = reports.ReadSweep(r); return err })
		if err != nil {
			return err
		}
		parts = append(parts, reports.SweepPart{Name: name, Sweep: s})
	}
	merged, err := reports.MergeSweeps(parts)
	if err != nil {
		return &inputError{fmt.Errorf("merge: %w", err)}
	}
	return emitSweep(o.IO, merged, o.Output, o.OutDir)
}

// readInputFile opens the file name and reads it with read; any failure
// is an input error naming the file.
func readInputFile(name string, read func(io.Reader) error) error {
	f, err := os.Open(name)
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", name, unwrapPathError(err))}
	}
	defer f.Close()
	if err := read(f); err != nil {
		return &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	return nil
}

// unwrapPathError drops the path (which the caller names) from an
// *os.PathError.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
