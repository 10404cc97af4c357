package workloads

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// errTraceRate says a trace has no rate defined without reading the file.
var errTraceRate = errors.New("a trace's rate is not defined without replaying it")

// New builds the Source of a workload. All its randomness comes from rng
// (the scenario's "arrivals" stream), drawn in arrival order. Synthetic
// sources (poisson, steps, diurnal, spike, ramp, and mixes of them) never
// end; the caller stops at its horizon. A trace source ends with its file;
// it opens the file on the first call to Next and reports a file that
// cannot be read through Err as a *TraceError. A trace source (and a mix
// holding one) also implements io.Closer, to release the file when the
// caller stops before the end; it closes itself at the end or on an error.
//
// New checks the configuration and returns an error for nonsense: unknown
// types, negative, NaN or infinite rates, unsorted steps, negative
// durations, a missing or malformed trace description (CheckTrace). A zero
// RateScale or TimeScale means 1.
//
// Limits: mixes nest at most 8 deep; a trace's options are checked by
// CheckTrace (rate_scale and time_scale at most MaxScale, 1e6); a count is
// at most 1e12 per interval, a line at most 1 MiB, a value in a
// whitespace-separated counts file at most 1 KiB, a CloudWatch export at
// most 64 MiB, an ALB log directory at most 2^20 files; date-times lie in
// the years 1678 to 2261 and plain-number timestamps within ±9e9 seconds.
//
// A trace source also has a method Warnings() []string, reporting what
// the replay skipped or moved so far (malformed ALB lines with their line
// numbers, requests longer than ALBReorderWindow, a partial CloudWatch
// export); the Warner interface names it.
func New(cfg Config, rng *rand.Rand) (Source, error) {
	if rng == nil {
		return nil, errors.New("workload: nil random generator")
	}
	s, err := build(cfg, rng, 0)
	if err != nil {
		return nil, fmt.Errorf("workload: %w", err)
	}
	return s, nil
}

func build(cfg Config, rng *rand.Rand, depth int) (Source, error) {
	switch {
	case cfg.Type == "trace":
		return newTrace(cfg.Trace, rng)
	case cfg.Type == "mix" && hasTrace(cfg):
		return newMixSource(cfg, rng, depth)
	}
	p, err := profileOf(cfg, depth)
	if err != nil {
		return nil, err
	}
	return newThinning(p, rng), nil
}

// profileOf builds the rate profile of a synthetic workload.
func profileOf(cfg Config, depth int) (profile, error) {
	switch cfg.Type {
	case "poisson":
		return newPoisson(cfg)
	case "steps":
		return newSteps(cfg)
	case "diurnal":
		return newDiurnal(cfg)
	case "spike":
		return newSpike(cfg)
	case "ramp":
		return newRamp(cfg)
	case "mix":
		return newMixProfile(cfg, depth)
	case "trace":
		return nil, errTraceRate
	case "":
		return nil, errors.New("no type; want one of poisson, steps, diurnal, spike, ramp, trace, mix")
	}
	return nil, fmt.Errorf("unknown type %q; want one of poisson, steps, diurnal, spike, ramp, trace, mix", cfg.Type)
}

// hasTrace reports whether a workload replays a trace, itself or in a mix.
func hasTrace(cfg Config) bool {
	if cfg.Type == "trace" {
		return true
	}
	if cfg.Type != "mix" {
		return false
	}
	for _, c := range cfg.Components {
		if hasTrace(c) {
			return true
		}
	}
	return false
}

// checkRate rejects a rate that is negative, NaN or infinite.
func checkRate(name string, r float64) error {
	if math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
		return fmt.Errorf("%s %v: must be a finite number ≥ 0 (requests per second)", name, r)
	}
	return nil
}
