package main

import (
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/scenarios"
)

// runFlags are what run and sweep share: the scenario and how to run it.
type runFlags struct {
	Scenario     string   // argument as given; "" for the built-in default
	Seed         *uint64  // --seed; nil keeps the scenario's
	Output       string   // -o: what goes to stdout
	OutDir       string   // --out: bundle directory; "" for none
	Strategies   []string // --strategy: run only these; empty for all
	Replications int      // --replications, >= 1
	Sets         []string // --set PATH=VALUE, in order
	Workers      int      // --workers; 0 means all cores until complete
	NoProgress   bool     // --no-progress
	Checks       bool     // --checks (hidden): invariant checks after every event
	MaxInFlight  int64    // --max-in-flight: requests one run may hold at once; 0 for no budget

	seed    uint64      // --seed's value, taken when the flag is given
	formats []string    // -o's values, the first the default
	ref     scenarioRef // the resolved scenario, set by complete
}

// add defines the shared flags on cmd; formats are -o's values, the first
// the default, and outHelp describes --out.
func (f *runFlags) add(cmd *cobra.Command, formats []string, outHelp string) {
	f.formats = formats
	fs := cmd.Flags()
	fs.Uint64Var(&f.seed, "seed", 0, "random seed `N` (overrides the scenario's); replication i uses N+i")
	fs.StringVarP(&f.Output, "output", "o", formats[0], "stdout `FORMAT`: "+orList(formats))
	fs.StringVar(&f.OutDir, "out", "", outHelp)
	fs.StringArrayVar(&f.Strategies, "strategy", nil, "run only the strategy `NAME` (repeatable)")
	fs.IntVar(&f.Replications, "replications", 1, "`N` runs of each strategy (seeds seed, seed+1, ...); figures are their means")
	fs.StringArrayVar(&f.Sets, "set", nil, "override one scenario field, `PATH=VALUE`, e.g. workload.rate=500 (repeatable)")
	fs.IntVar(&f.Workers, "workers", 0, "run `N` simulations in parallel (0: all cores)")
	fs.BoolVar(&f.NoProgress, "no-progress", false, "never show the progress bar")
	fs.Int64Var(&f.MaxInFlight, "max-in-flight", scenarios.DefaultMaxInFlight,
		"stop a run that holds more than `N` requests at once (about 100 bytes each; 0: no budget)")
	fs.BoolVar(&f.Checks, "checks", false, "check the simulation invariants after every event (slow)")
	_ = fs.MarkHidden("checks")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(formats...))
}

// parse takes the arguments and the flags given; a bad value is a usage
// error.
func (f *runFlags) parse(cmd *cobra.Command, args []string) error {
	if len(args) == 1 {
		f.Scenario = args[0]
	}
	if cmd.Flags().Changed("seed") {
		f.Seed = &f.seed
	}
	if err := checkFormat(f.Output, f.formats); err != nil {
		return err
	}
	if f.Replications < 1 {
		return usageErrorf("--replications must be at least 1 (got %d)", f.Replications)
	}
	if f.MaxInFlight < 0 {
		return usageErrorf("--max-in-flight must be 0 (no budget) or more (got %d)", f.MaxInFlight)
	}
	if f.Workers < 0 {
		return usageErrorf("--workers must be 0 (all cores) or more (got %d)", f.Workers)
	}
	for _, s := range f.Strategies {
		if strings.TrimSpace(s) == "" {
			return usageErrorf("--strategy needs a strategy name")
		}
	}
	return checkSets(f.Sets)
}

// complete resolves the scenario argument and the number of workers.
func (f *runFlags) complete() error {
	ref, err := resolveScenario(f.Scenario)
	if err != nil {
		return err
	}
	f.ref = ref
	if f.Workers == 0 {
		f.Workers = runtime.GOMAXPROCS(0)
	}
	return nil
}

// runOptions are the scenarios.RunOptions of the flags, with a progress
// bar on ios's stderr when it is a terminal (stop it when done).
func (f *runFlags) runOptions(ios ioStreams) (scenarios.RunOptions, *progress) {
	ro := scenarios.RunOptions{Seed: f.Seed, Strategies: f.Strategies, Replications: f.Replications,
		Workers: f.Workers, Checks: f.Checks, MaxInFlight: f.MaxInFlight}
	if !ios.ErrIsTTY || f.NoProgress {
		return ro, nil
	}
	bar := startProgress(ios.Err, time.Now)
	ro.Progress = bar.update
	return ro, bar
}
