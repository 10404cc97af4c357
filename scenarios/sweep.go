package scenarios

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/scalesim/scalesim/reports"
)

// LoadFunc loads the scenario a sweep varies with the given --set flags
// (PATH=VALUE) applied, as Load, LoadFile and Builtin do.
type LoadFunc func(sets []string) (*Scenario, error)

// SweepOptions say what grid to sweep and how to run each point.
type SweepOptions struct {
	// Axes are the --vary flags, parsed by ParseVary, in order: the first
	// varies slowest. At least one, at most MaxSweepAxes, distinct paths.
	Axes []reports.Axis
	// Sets are the --set flags applied to every point, before the point's
	// own values.
	Sets []string
	// Run applies to every point. Workers is the number of runs executed at
	// once over the whole sweep (0 = GOMAXPROCS); Progress, if set, is
	// called with the simulated seconds done over the whole sweep (or
	// shard). Neither changes the result.
	Run RunOptions
	// Shard, if not zero, runs only the points of that shard.
	Shard Shard
	// SLO is the --slo filter; it is recorded in the result (and in the
	// grid hash), not used to run anything.
	SLO []reports.SLOClause
}

// Sweep runs the scenario at every point of the grid of opts.Axes (or of
// its shard): point k is the scenario loaded with opts.Sets followed by
// the point's values as --set flags, run with opts.Run, so it equals
// `scalesim run` with those --set flags. Every point of the whole grid is
// loaded (and so validated) before any runs, so every shard refuses a bad
// grid alike. Points run in parallel, each by index into the result, so
// the result does not depend on the number of workers.
func Sweep(ctx context.Context, load LoadFunc, opts SweepOptions) (*reports.Sweep, error) {
	total, err := checkAxes(opts.Axes)
	if err != nil {
		return nil, err
	}
	if opts.Shard != (Shard{}) {
		if err := opts.Shard.check(fmt.Sprintf("%d/%d", opts.Shard.Index, opts.Shard.Count)); err != nil {
			return nil, err
		}
	}
	base, err := load(opts.Sets)
	if err != nil {
		return nil, err
	}
	if _, err := base.pick(opts.Run.Strategies); err != nil {
		return nil, err
	}
	var mine []int
	var work []float64 // simulated seconds of each of mine, for progress
	for k := range total {
		sc, err := loadPoint(load, opts, k)
		if err != nil {
			return nil, err
		}
		if opts.Shard.holds(k) {
			mine = append(mine, k)
			work = append(work, pointWork(sc, opts.Run))
		}
	}
	points, err := runPoints(ctx, load, opts, mine, work)
	if err != nil {
		return nil, err
	}
	return newSweepResult(base, opts, total, points)
}

// checkAxes checks the number and paths of the axes and returns the size
// of their grid.
func checkAxes(axes []reports.Axis) (int, error) {
	switch {
	case len(axes) == 0:
		return 0, &Error{File: "--vary", Msg: "a sweep needs at least one --vary", Hint: "e.g. --vary strategies.fixed.count=4,6,8"}
	case len(axes) > MaxSweepAxes:
		return 0, &Error{File: "--vary", Msg: fmt.Sprintf("at most %d --vary flags (got %d)", MaxSweepAxes, len(axes))}
	}
	for i, a := range axes {
		if len(a.Values) == 0 {
			return 0, &Error{File: "--vary " + a.Path, Msg: "no values"}
		}
		if slices.ContainsFunc(axes[:i], func(b reports.Axis) bool { return b.Path == a.Path }) {
			return 0, &Error{File: "--vary " + a.Path, Msg: "the path is varied twice", Hint: "give all its values in one --vary"}
		}
	}
	total := reports.GridSize(axes, MaxSweepPoints)
	if total > MaxSweepPoints {
		return 0, &Error{File: "--vary", Msg: fmt.Sprintf("the grid has more than %d points", MaxSweepPoints), Hint: "vary fewer values, or split the sweep into several"}
	}
	return total, nil
}

// loadPoint loads grid point k. An error caused by one of the point's
// values names the --vary flag and the value rather than a --set flag.
func loadPoint(load LoadFunc, opts SweepOptions, k int) (*Scenario, error) {
	vary := reports.GridPoint(opts.Axes, k)
	own := vary.Sets()
	sc, err := load(append(slices.Clone(opts.Sets), own...))
	if err == nil {
		return sc, nil
	}
	var se *Error
	if errors.As(err, &se) {
		for i, s := range own {
			if se.File == "--set "+s {
				se.File = fmt.Sprintf("--vary %s (value %s)", vary[i].Path, clip(vary[i].Value))
				if se.Path == vary[i].Path {
					se.Path = ""
				}
			}
		}
	}
	return nil, err
}

// pointWork is the simulated seconds a point runs: its duration for each
// strategy and replication.
func pointWork(sc *Scenario, ro RunOptions) float64 {
	strats := len(sc.Spec.Strategies)
	if len(ro.Strategies) > 0 {
		strats = len(ro.Strategies)
	}
	return sc.Spec.Duration.Seconds() * float64(strats) * float64(max(ro.Replications, 1))
}

// runPoints runs the grid points ks on a pool of workers and returns them
// in order. With at least as many points as workers each point runs on one
// worker; with fewer, each point's runs share the workers. After a failure
// no new point starts; the error returned is that of the first failed
// point in grid order.
func runPoints(ctx context.Context, load LoadFunc, opts SweepOptions, ks []int, work []float64) ([]reports.SweepPoint, error) {
	workers := opts.Run.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	outer := max(1, min(workers, len(ks)))
	inner := (workers + outer - 1) / outer
	out := make([]reports.SweepPoint, len(ks))
	errs := make([]error, len(ks))
	prog := newSweepProgress(work, opts.Run.Progress)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range outer {
		wg.Go(func() {
			for {
				n := int(next.Add(1) - 1)
				if n >= len(ks) || failed.Load() {
					return
				}
				out[n], errs[n] = runPoint(ctx, load, opts, ks[n], inner, prog.tracker(n))
				if errs[n] != nil {
					failed.Store(true)
				}
				prog.finish(n)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// runPoint loads and runs grid point k with workers workers.
func runPoint(ctx context.Context, load LoadFunc, opts SweepOptions, k, workers int, progress func(done, total float64)) (reports.SweepPoint, error) {
	vary := reports.GridPoint(opts.Axes, k)
	sc, err := loadPoint(load, opts, k)
	if err != nil {
		return reports.SweepPoint{}, err
	}
	ro := opts.Run
	ro.Workers = workers
	ro.Progress = progress
	res, err := Run(ctx, sc, ro)
	if err != nil {
		return reports.SweepPoint{}, fmt.Errorf("sweep point %d (%s): %w", k, vary, err)
	}
	return reports.SweepPoint{Index: k, Vary: vary, Strategies: res.Strategies, Warnings: res.Warnings}, nil
}

// newSweepResult assembles the sweep's result.
func newSweepResult(base *Scenario, opts SweepOptions, total int, points []reports.SweepPoint) (*reports.Sweep, error) {
	seed := base.Spec.Seed
	if opts.Run.Seed != nil {
		seed = *opts.Run.Seed
	}
	s := &reports.Sweep{
		Scenario:     base.Spec.Name,
		Seed:         seed,
		DurationS:    base.Spec.Duration.Seconds(),
		WarmupS:      base.Spec.Warmup.Seconds(),
		SLOLatencyMS: base.Spec.SLO.Latency.Milliseconds(),
		Replications: max(opts.Run.Replications, 1),
		Grid:         opts.Axes,
		Points:       points,
		SLO:          opts.SLO,
	}
	if opts.Shard != (Shard{}) {
		hash, err := GridHash(base, opts)
		if err != nil {
			return nil, err
		}
		s.Shard = &reports.ShardInfo{Index: opts.Shard.Index, Count: opts.Shard.Count, PointsTotal: total, GridHash: hash}
	}
	return s, nil
}

// GridHash identifies a sweep for merging its shards: a hash (16 hex
// digits of SHA-256) of the resolved base scenario (with opts.Sets), the
// grid, and the options that change results or output (seed,
// replications, strategies, SLO). The shard and the number of workers are
// not part of it.
func GridHash(base *Scenario, opts SweepOptions) (string, error) {
	y, err := base.YAML()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("scalesim sweep 1\n")
	b.Write(y)
	for _, a := range opts.Axes {
		b.WriteString("\x00vary " + a.Path + "=" + strings.Join(a.Values, "\x1f"))
	}
	b.WriteString("\x00seed ")
	if opts.Run.Seed != nil {
		b.WriteString(strconv.FormatUint(*opts.Run.Seed, 10))
	}
	b.WriteString("\x00replications " + strconv.Itoa(max(opts.Run.Replications, 1)))
	b.WriteString("\x00strategies " + strings.Join(opts.Run.Strategies, "\x1f"))
	for _, c := range opts.SLO {
		b.WriteString("\x00slo " + c.String())
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8]), nil
}

// sweepProgress adds up the progress of concurrent points and reports it
// through the caller's callback, one call at a time.
type sweepProgress struct {
	mu    sync.Mutex
	fn    func(done, total float64)
	work  []float64 // simulated seconds of each point
	done  []float64
	sum   float64
	total float64
}

func newSweepProgress(work []float64, fn func(done, total float64)) *sweepProgress {
	p := &sweepProgress{fn: fn, work: work, done: make([]float64, len(work))}
	for _, w := range work {
		p.total += w
	}
	return p
}

// tracker returns point n's RunOptions.Progress, or nil when nobody
// listens.
func (p *sweepProgress) tracker(n int) func(done, total float64) {
	if p.fn == nil {
		return nil
	}
	return func(done, _ float64) { p.set(n, min(done, p.work[n])) }
}

// finish marks point n done.
func (p *sweepProgress) finish(n int) {
	if p.fn != nil {
		p.set(n, p.work[n])
	}
}

func (p *sweepProgress) set(n int, secs float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sum += secs - p.done[n]
	p.done[n] = secs
	p.fn(min(p.sum, p.total), p.total)
}
