package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// RunOptions adjusts a run without changing the scenario.
type RunOptions struct {
	// Seed, if set, replaces the scenario's seed.
	Seed *uint64
	// Strategies, if not empty, runs only the strategies of these names (in
	// scenario order); an unknown name is an *Error.
	Strategies []string
	// Replications is the number of runs per strategy, with seeds seed,
	// seed+1, ... (default 1; at most MaxReplications). With Precision it
	// is the number to start from (at least 3).
	Replications int
	// Baseline names the strategy the others are compared with (paired
	// differences over the same replications); default the first strategy
	// run. A name not among the strategies run is an *Error.
	Baseline string
	// Precision, if > 0, adds replications until every strategy's p99
	// latency is known within this fraction of its mean (0.02 for ±2%):
	// see Run. At most 1.
	Precision float64
	// MaxReplications caps the replications Precision may run (default
	// DefaultMaxReplications; at least Replications and at most the
	// package's MaxReplications). Without Precision it is not used.
	MaxReplications int
	// Workers is the number of runs executed at once (0 = GOMAXPROCS). It
	// never changes the result.
	Workers int
	// Progress, if set, is called now and then with the simulated seconds
	// done so far over all runs and the total to do (which grows when
	// Precision adds replications). Calls are serialised; it should return
	// quickly. It never affects the result.
	Progress func(done, total float64)
	// Checks makes every run verify its invariants after each event (slow;
	// tests set it).
	Checks bool
	// MaxInFlight is the most requests one run may hold at once (queued,
	// served, abandoned but still held, or in a stream); a run that needs
	// more stops with an error naming the strategy, the minute and the
	// limits to set, and nothing is reported. 0 means no budget. The CLI's
	// default is DefaultMaxInFlight.
	MaxInFlight int64
}

// DefaultMaxInFlight is the CLI's budget of requests one run holds at
// once: 20 million, about 2 GB (a held request costs about 100 bytes: its
// record and its place in a queue).
const DefaultMaxInFlight = 20_000_000

// job is one (strategy, replication) run.
type job struct {
	rep    int          // replication, 0-based
	slot   int          // index of the strategy in the result
	strat  int          // index of the strategy in the scenario
	warmup sim.Duration // requests arriving before it are not measured
	detail bool         // keep the replication-0 detail (series, decisions, ...)
}

// jobResult is what one job produces.
type jobResult struct {
	summary  reports.StrategySummary
	detail   *jobDetail // when the job asked for it
	warnings []string   // what the trace replay skipped or moved (workloads.Warner)
}

// jobDetail is what replication 0 keeps beyond the summary: the
// per-minute series, the scaling decisions and fleet events, and the
// latency distribution.
type jobDetail struct {
	series    []reports.MinuteRow
	decisions []reports.DecisionRecord
	events    []reports.EventRecord
	instances []reports.InstanceRecord
	cdf       reports.LatencyCDF
}

// Run runs the scenario: every selected strategy, each replication, on the
// same traffic (common random numbers: replication r of every strategy uses
// the streams of seed+r). Runs execute on a small pool of goroutines and
// write their results by index, so the Result never depends on scheduling.
// Cancelling ctx stops the run between jobs.
//
// The Result holds the figures of every strategy (means over the
// replications, with 95% half-widths when there are several), replication
// 0's time series, decisions, events and latency distributions, and, with
// two strategies or more, each strategy's paired differences from the
// baseline (reports.CompareToBaseline).
//
// With opts.Precision (sequential replications, as JMT stops a simulation
// on a confidence-interval target): Run starts with max(Replications, 3)
// replications, then adds replications in rounds until the 95% half-width
// of every strategy's p99 latency is at most Precision times its mean, or
// PrecisionReplications are done. Each round's size is fixed by the
// results so far, before it starts (see nextReplications), so the number
// of replications, like every figure, is the same whatever the number of
// workers. Stopping at the cap adds a warning with the precision each
// strategy reached.
//
// With "warmup: auto", each strategy's warm-up is detected first: its
// replication 0 runs with no warm-up, the MSER-5 rule (reports.MSER5) is
// applied to its per-minute p99 latency, and the whole minutes it cuts
// become that strategy's warm-up in every replication (reported as
// StrategySummary.WarmupCutS).
func Run(ctx context.Context, sc *Scenario, opts RunOptions) (*reports.Result, error) {
	picked, err := sc.pick(opts.Strategies)
	if err != nil {
		return nil, err
	}
	plan, err := newRunPlan(sc, picked, opts)
	if err != nil {
		return nil, err
	}
	for _, i := range picked {
		if _, err := sc.plan(i); err != nil {
			return nil, err
		}
	}
	seed := sc.Spec.Seed
	if opts.Seed != nil {
		seed = *opts.Seed
	}
	exec := &executor{sc: sc, seed: seed, opts: opts, picked: picked,
		prog: newProgress(sc.Spec.Duration, opts.Progress), warnings: slices.Clone(sc.traceWarnings)}
	res := &reports.Result{
		SchemaVersion: reports.SchemaVersion,
		Scenario:      sc.Spec.Name,
		Seed:          seed,
		DurationS:     sc.Spec.Duration.Seconds(),
		WarmupS:       sc.Spec.Warmup.Seconds(),
		SLOLatencyMS:  sc.Spec.SLO.Latency.Milliseconds(),
		ServiceMeanS:  sc.demand.Mean(),
		Lesson:        sc.Spec.Lesson.report(),
	}
	warmups := make([]sim.Duration, len(picked))
	var pilots []jobResult
	if sc.Spec.WarmupAuto {
		if warmups, pilots, err = exec.autoWarmups(ctx); err != nil {
			return nil, err
		}
	} else {
		for k := range warmups {
			warmups[k] = sc.Spec.Warmup
		}
	}
	byRep, detail, err := exec.replicate(ctx, plan, warmups, pilots)
	if err != nil {
		return nil, err
	}
	res.Replications = len(byRep)
	if res.Strategies, err = reports.Aggregate(byRep); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Spec.Name, err)
	}
	if sc.Spec.WarmupAuto {
		reportCuts(res.Strategies, warmups)
	}
	for k, i := range picked {
		res.Strategies[k].Story = sc.Spec.Strategies[i].Spec.Story(&res.Strategies[k])
	}
	for _, d := range detail {
		res.Series = append(res.Series, d.series...)
		res.Decisions = append(res.Decisions, d.decisions...)
		res.Events = append(res.Events, d.events...)
		res.Instances = append(res.Instances, d.instances...)
		res.Distributions = append(res.Distributions, d.cdf)
	}
	if w := plan.shortfall(res.Strategies); w != "" {
		res.Warnings = append(res.Warnings, w)
	}
	for _, w := range exec.warnings {
		res.Warnings = addWarning(res.Warnings, w)
	}
	if err := compareToBaseline(res, byRep, plan.baseline); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Spec.Name, err)
	}
	return res, nil
}

// executor runs jobs for one call of Run.
type executor struct {
	sc     *Scenario
	seed   uint64
	opts   RunOptions
	picked []int // scenario indexes of the strategies run, in order
	prog   *progress
	// warnings are the traces' warnings: those of reading them at load
	// time, then those of the replays, in job order, each once.
	warnings []string
}

// replicate runs the replications the plan asks for, round by round, and
// returns each replication's summaries (byRep[r][k] is strategy k in
// replication r) and replication 0's detail per strategy. pilots, when not
// nil, are the warm-up detection runs: replication 0 with no warm-up,
// reused as replication 0 where the cut is 0.
func (e *executor) replicate(ctx context.Context, plan *runPlan, warmups []sim.Duration, pilots []jobResult) ([][]reports.StrategySummary, []jobDetail, error) {
	var byRep [][]reports.StrategySummary
	detail := make([]jobDetail, len(e.picked))
	for n := plan.first; ; {
		var jobs []job
		done := len(byRep)
		for r := done; r < n; r++ {
			byRep = append(byRep, make([]reports.StrategySummary, len(e.picked)))
			for k, i := range e.picked {
				if r == 0 && pilots != nil && warmups[k] == 0 {
					byRep[0][k], detail[k] = pilots[k].summary, *pilots[k].detail
					continue
				}
				jobs = append(jobs, job{rep: r, slot: k, strat: i, warmup: warmups[k], detail: r == 0})
			}
		}
		results, err := e.run(ctx, jobs)
		if err != nil {
			return nil, nil, err
		}
		for m, j := range jobs {
			byRep[j.rep][j.slot] = results[m].summary
			if j.detail {
				detail[j.slot] = *results[m].detail
			}
		}
		next, err := plan.next(byRep)
		if err != nil {
			return nil, nil, fmt.Errorf("scenario %s: %w", e.sc.Spec.Name, err)
		}
		if next == n {
			return byRep, detail, nil
		}
		n = next
	}
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

// run runs the jobs on a pool of workers and returns their results in
// job order. After a failure no new job starts; the error returned is that
// of the lowest-numbered failed job, which (jobs being taken in order)
// does not depend on scheduling.
func (e *executor) run(ctx context.Context, jobs []job) ([]jobResult, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	sc := e.sc
	workers := e.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(jobs))
	results := make([]jobResult, len(jobs))
	errs := make([]error, len(jobs))
	first := e.prog.add(len(jobs))
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
				results[n], errs[n] = runJob(sc, jobs[n], e.seed, e.opts, e.prog.tracker(first+n))
				if errs[n] != nil {
					failed.Store(true)
				}
				e.prog.finish(first + n)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, r := range results {
		for _, w := range r.warnings {
			e.warnings = addWarning(e.warnings, w)
		}
	}
	return results, nil
}

// runJob runs one strategy for one replication.
func runJob(sc *Scenario, j job, seed uint64, opts RunOptions, progress func(sim.Time)) (jobResult, error) {
	st := sc.Spec.Strategies[j.strat]
	checks := opts.Checks
	fail := func(err error) (jobResult, error) {
		var held *models.HeldLimitError
		if errors.As(err, &held) { // it names the strategy itself
			return jobResult{}, fmt.Errorf("scenario %s, replication %d (seed %d): %w", sc.Spec.Name, j.rep, seed+uint64(j.rep), err)
		}
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
	plan, err := sc.plan(j.strat)
	if err != nil {
		return jobResult{}, err
	}
	col := reports.NewCollector(reports.CollectorConfig{
		Warmup:       sim.Time(j.warmup),
		Horizon:      sim.Time(sc.Spec.Duration),
		SLO:          sc.Spec.SLO.Latency,
		ServiceMeanS: sc.demand.Mean(),
	})
	sys, err := models.NewSystem(sc.systemConfig(plan, opts, progress), src, plan.Policy, col, streams)
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
	out := jobResult{summary: col.Summary(st.Name, st.Type)}
	_, out.summary.Group = plan.Fleet.(models.Group)
	if w, ok := src.(workloads.Warner); ok {
		out.warnings = w.Warnings()
	}
	out.summary.Notes = st.Spec.Notes(plan.Policy, &out.summary)
	if j.detail {
		out.detail = &jobDetail{
			series:    col.Series(st.Name),
			decisions: col.Decisions(st.Name),
			events:    col.Events(st.Name),
			instances: col.Instances(st.Name),
			cdf:       col.LatencyCDF(st.Name),
		}
	}
	return out, nil
}

// progress aggregates the simulated time done by concurrent jobs and
// reports it through the caller's callback, one call at a time. Jobs are
// numbered in the order they were added; rounds of replications add more.
type progress struct {
	mu    sync.Mutex
	fn    func(done, total float64)
	each  float64   // seconds of one job
	done  []float64 // seconds done per job
	sum   float64
	total float64
}

func newProgress(d sim.Duration, fn func(done, total float64)) *progress {
	return &progress{fn: fn, each: d.Seconds()}
}

// add counts n more jobs and returns the number of the first.
func (p *progress) add(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	first := len(p.done)
	p.done = append(p.done, make([]float64, n)...)
	p.total += float64(n) * p.each
	return first
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
