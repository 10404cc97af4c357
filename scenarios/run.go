package scenarios

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// RunOptions adjusts a run without changing the scenario.
type RunOptions struct {
	// Seed, if set, replaces the scenario's seed.
	Seed *uint64
	// Strategies, if not empty, runs only the strategies of these names (in
	// scenario order); an unknown name is an *Error.
	Strategies []string
	// Replications is the number of runs per strategy, with seeds seed,
	// seed+1, ... (default 1; at most MaxReplications).
	Replications int
	// Workers is the number of runs executed at once (0 = GOMAXPROCS). It
	// never changes the result.
	Workers int
	// Progress, if set, is called now and then with the simulated seconds
	// done so far over all runs and the total to do. Calls are serialised;
	// it should return quickly. It never affects the result.
	Progress func(done, total float64)
	// Checks makes every run verify its invariants after each event (slow;
	// tests set it).
	Checks bool
}

// job is one (strategy, replication) run.
type job struct {
	rep   int // replication, 0-based
	slot  int // index of the strategy in the result
	strat int // index of the strategy in the scenario
}

// jobResult is what one job produces.
type jobResult struct {
	summary reports.StrategySummary
	series  []reports.MinuteRow // replication 0 only
}

// Run runs the scenario: every selected strategy, each replication, on the
// same traffic (common random numbers: replication r of every strategy uses
// the streams of seed+r). Runs execute on a small pool of goroutines and
// write their results by index, so the Result never depends on scheduling.
// Cancelling ctx stops the run between jobs.
func Run(ctx context.Context, sc *Scenario, opts RunOptions) (*reports.Result, error) {
	picked, err := sc.pick(opts.Strategies)
	if err != nil {
		return nil, err
	}
	reps := opts.Replications
	if reps == 0 {
		reps = 1
	}
	if reps < 1 || reps > MaxReplications {
		return nil, &Error{File: "--replications", Msg: fmt.Sprintf("must be from 1 to %d (got %d)", MaxReplications, reps)}
	}
	for _, i := range picked {
		if _, err := sc.buildStrategy(i); err != nil {
			return nil, err
		}
	}
	seed := sc.Spec.Seed
	if opts.Seed != nil {
		seed = *opts.Seed
	}
	var jobs []job
	for r := range reps {
		for k, i := range picked {
			jobs = append(jobs, job{rep: r, slot: k, strat: i})
		}
	}
	results, err := runJobs(ctx, sc, jobs, seed, opts)
	if err != nil {
		return nil, err
	}
	byRep := make([][]reports.StrategySummary, reps)
	for r := range byRep {
		byRep[r] = make([]reports.StrategySummary, len(picked))
	}
	res := &reports.Result{
		SchemaVersion: reports.SchemaVersion,
		Scenario:      sc.Spec.Name,
		Seed:          seed,
		DurationS:     sc.Spec.Duration.Seconds(),
		WarmupS:       sc.Spec.Warmup.Seconds(),
		SLOLatencyMS:  sc.Spec.SLO.Latency.Milliseconds(),
		Replications:  reps,
	}
	for n, j := range jobs {
		byRep[j.rep][j.slot] = results[n].summary
		if j.rep == 0 {
			res.Series = append(res.Series, results[n].series...)
		}
	}
	if res.Strategies, err = reports.Aggregate(byRep); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Spec.Name, err)
	}
	return res, nil
}

// pick returns the scenario indexes of the strategies to run, in scenario
// order.
func (s *Scenario) pick(names []string) ([]int, error) {
	all := s.StrategyNames()
	for _, n := range names {
		if !slices.Contains(all, n) {
			return nil, &Error{File: "--strategy " + n, Msg: fmt.Sprintf("scenario %s has no strategy named %q", s.Spec.Name, clip(n)), Hint: didYouMean(n, all)}
		}
	}
	var out []int
	for i, n := range all {
		if len(names) == 0 || slices.Contains(names, n) {
			out = append(out, i)
		}
	}
	return out, nil
}

// runJobs runs the jobs on a pool of workers and returns their results in
// job order. After a failure no new job starts; the error returned is that
// of the lowest-numbered failed job, which (jobs being taken in order)
// does not depend on scheduling.
func runJobs(ctx context.Context, sc *Scenario, jobs []job, seed uint64, opts RunOptions) ([]jobResult, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(jobs))
	results := make([]jobResult, len(jobs))
	errs := make([]error, len(jobs))
	prog := newProgress(len(jobs), sc.Spec.Duration, opts.Progress)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				n := int(next.Add(1) - 1)
				if n >= len(jobs) || failed.Load() {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[n] = fmt.Errorf("scenario %s: run stopped: %w", sc.Spec.Name, err)
					failed.Store(true)
					return
				}
				results[n], errs[n] = runJob(sc, jobs[n], seed, opts.Checks, prog.tracker(n))
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
	return results, nil
}

// runJob runs one strategy for one replication.
func runJob(sc *Scenario, j job, seed uint64, checks bool, progress func(sim.Time)) (jobResult, error) {
	st := sc.Spec.Strategies[j.strat]
	fail := func(err error) (jobResult, error) {
		return jobResult{}, fmt.Errorf("scenario %s: strategy %s, replication %d (seed %d): %w", sc.Spec.Name, st.Name, j.rep, seed+uint64(j.rep), err)
	}
	streams := sim.NewStreams(seed + uint64(j.rep))
	src, err := sc.newSource(streams.Stream(sim.StreamArrivals))
	if err != nil {
		return jobResult{}, err
	}
	if c, ok := src.(io.Closer); ok {
		defer c.Close()
	}
	strat, err := sc.buildStrategy(j.strat)
	if err != nil {
		return jobResult{}, err
	}
	col := reports.NewCollector(reports.CollectorConfig{
		Warmup:  sim.Time(sc.Spec.Warmup),
		Horizon: sim.Time(sc.Spec.Duration),
		SLO:     sc.Spec.SLO.Latency,
	})
	sys, err := models.NewSystem(sc.systemConfig(j.strat, strat, checks, progress), src, strat, col, streams)
	if err != nil {
		return fail(err)
	}
	if _, err := sys.Run(); err != nil {
		return fail(err)
	}
	if checks {
		if err := col.Check(); err != nil {
			return fail(err)
		}
	}
	out := jobResult{summary: col.Summary(st.Name, strat.Family())}
	out.summary.Notes = sc.notes(j.strat, strat, out.summary)
	if j.rep == 0 {
		out.series = col.Series(st.Name)
	}
	return out, nil
}

// notes are the remarks a run of strategy i, built as strat, adds to its
// summary: a vertical strategy that hit its ladder's ceiling; stream
// consumers left without a shard to read; a backlog left in the stream.
func (s *Scenario) notes(i int, strat strategies.Strategy, sum reports.StrategySummary) []string {
	st := s.Spec.Strategies[i]
	var out []string
	if v, ok := strat.(*strategies.Vertical); ok && v.CeilingHits() > 0 {
		minutes := "minutes"
		if v.CeilingHits() == 1 {
			minutes = "minute"
		}
		out = append(out, fmt.Sprintf("ceiling: the ladder's top (%s) was reached and CPU stayed above %s%% for %d %s",
			st.Ladder[len(st.Ladder)-1], num(st.ScaleUpCPU), v.CeilingHits(), minutes))
	}
	if r := sum.Requests; st.Type == "stream" && r.Arrived > 0 && r.InFlightAtEnd*100 >= r.Arrived {
		out = append(out, fmt.Sprintf("backlog: %d records (%.0f%% of arrivals) were still waiting in the stream at the end; "+
			"success_ratio leaves them out", r.InFlightAtEnd, 100*float64(r.InFlightAtEnd)/float64(r.Arrived)))
	}
	if st.Type == "stream" && st.Consumers.Count > st.Shards {
		out = append(out, fmt.Sprintf("idle consumers: %d consumers read %d shards, one consumer per shard, so %d never get a record",
			st.Consumers.Count, st.Shards, st.Consumers.Count-st.Shards))
	}
	return out
}

// progress aggregates the simulated time done by concurrent jobs and
// reports it through the caller's callback, one call at a time.
type progress struct {
	mu    sync.Mutex
	fn    func(done, total float64)
	each  float64   // seconds of one job
	done  []float64 // seconds done per job
	sum   float64
	total float64
}

func newProgress(jobs int, d sim.Duration, fn func(done, total float64)) *progress {
	return &progress{fn: fn, each: d.Seconds(), done: make([]float64, jobs), total: float64(jobs) * d.Seconds()}
}

// tracker returns job n's models.Config.Progress callback, or nil when
// nobody listens.
func (p *progress) tracker(n int) func(sim.Time) {
	if p.fn == nil {
		return nil
	}
	return func(now sim.Time) { p.set(n, min(now.Seconds(), p.each)) }
}

// finish marks job n done.
func (p *progress) finish(n int) {
	if p.fn != nil {
		p.set(n, p.each)
	}
}

func (p *progress) set(n int, secs float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sum += secs - p.done[n]
	p.done[n] = secs
	p.fn(min(p.sum, p.total), p.total)
}
