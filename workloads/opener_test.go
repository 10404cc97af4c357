package workloads_test

import (
	"io"
	"math/rand/v2"
	"os"

	"github.com/scalesim/scalesim/workloads"
)

// withFiles gives every trace in cfg that has neither an Open func nor an
// FS one that reads Path from disk, as the scenarios package does through
// its fs.FS.
func withFiles(cfg workloads.Config) workloads.Config {
	if cfg.Trace != nil && cfg.Trace.Open == nil && cfg.Trace.FS == nil && cfg.Trace.Path != "" {
		tc := *cfg.Trace
		tc.Open = fileOpener(tc.Path)
		cfg.Trace = &tc
	}
	if len(cfg.Components) > 0 {
		comps := make([]workloads.Config, len(cfg.Components))
		for i, c := range cfg.Components {
			comps[i] = withFiles(c)
		}
		cfg.Components = comps
	}
	return cfg
}

func fileOpener(path string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return os.Open(path) }
}

// newSource is workloads.New with disk access for traces.
func newSource(cfg workloads.Config, rng *rand.Rand) (workloads.Source, error) {
	return workloads.New(withFiles(cfg), rng)
}

// peek is workloads.Peek with disk access.
func peek(tc workloads.TraceConfig) (workloads.TraceInfo, error) {
	if tc.Open == nil && tc.FS == nil && tc.Path != "" {
		tc.Open = fileOpener(tc.Path)
	}
	return workloads.Peek(tc)
}
