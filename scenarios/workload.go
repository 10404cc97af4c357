package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// workloadSection checks the workload, converts it to a workloads.Config and
// checks the event budget: the expected number of arrivals over the run.
func (v *validator) workloadSection(s *Spec) error {
	if !v.has("workload") {
		return v.err("workload", "required", "add workload: {type: poisson, rate: 100}")
	}
	cfg, err := v.workload(&s.Workload, "workload", 1)
	if err != nil {
		return err
	}
	n, err := v.expected(cfg, s.Duration)
	if err != nil {
		return err
	}
	if n > MaxArrivals {
		return v.err("workload", fmt.Sprintf("expects about %.3g arrivals over %v, more than the limit of %.0g per run", n, s.Duration, MaxArrivals),
			"shorten duration or lower the rate; a run of that size would take hours")
	}
	v.sc.workload = cfg
	return v.sc.checkSource()
}

// expected returns the expected number of arrivals of cfg in [0, d).
// A trace counts as its records scaled by rate_scale, an upper bound.
func (v *validator) expected(cfg workloads.Config, d sim.Duration) (float64, error) {
	switch cfg.Type {
	case "trace":
		return v.traceArrivals(cfg.Trace)
	case "mix":
		var sum float64
		for _, c := range cfg.Components {
			n, err := v.expected(c, d)
			if err != nil {
				return 0, err
			}
			sum += n
		}
		return sum, nil
	}
	n := workloads.ExpectedCount(cfg, 0, sim.Time(d))
	if math.IsNaN(n) {
		// Validation accepted what the workloads package rejects: a bug in
		// one of the two, not the user's input.
		return 0, fmt.Errorf("scenario workload %s: the workloads package rejects a configuration validation accepted", cfg.Type)
	}
	return n, nil
}

// workload checks one workload (at path, nested depth deep) and converts it.
func (v *validator) workload(w *WorkloadSpec, path string, depth int) (workloads.Config, error) {
	tp := child(path, "type")
	if w.Type == "" {
		return workloads.Config{}, v.err(tp, "required", "want "+orList(workloadTypes()))
	}
	keys := workloadKeys(w.Type)
	if keys == nil {
		return workloads.Config{}, v.err(tp, fmt.Sprintf("unknown workload type %q", clip(w.Type)), didYouMean(w.Type, workloadTypes()))
	}
	if err := v.unused(path, reflect.TypeFor[WorkloadSpec](), keys, "a "+w.Type+" workload"); err != nil {
		return workloads.Config{}, err
	}
	cfg := workloads.Config{Type: w.Type}
	var err error
	switch w.Type {
	case "poisson":
		if err = v.required(child(path, "rate"), "set requests per second, e.g. rate: 100"); err == nil {
			err = v.rate(child(path, "rate"), w.Rate, true)
		}
		cfg.Rate = w.Rate
	case "steps":
		cfg.Steps, err = v.steps(w, path)
	case "diurnal":
		err = v.diurnal(w, path, &cfg)
	case "spike":
		err = v.spike(w, path, &cfg)
	case "ramp":
		err = v.ramp(w, path, &cfg)
	case "mix":
		cfg.Components, err = v.mix(w, path, depth)
	case "trace":
		cfg.Trace, err = v.trace(w, path)
	}
	return cfg, err
}

// steps checks a steps workload: the first at 0s, the ats increasing.
func (v *validator) steps(w *WorkloadSpec, path string) ([]workloads.Step, error) {
	sp := child(path, "steps")
	if err := v.required(sp, "list {at, rate} pairs, e.g. steps: [{at: 0s, rate: 50}, {at: 1h, rate: 200}]"); err != nil {
		return nil, err
	}
	if len(w.Steps) == 0 || len(w.Steps) > MaxSteps {
		return nil, v.err(sp, fmt.Sprintf("must list 1 to %d steps (got %d)", MaxSteps, len(w.Steps)), "for long recorded rates use a counts trace")
	}
	out := make([]workloads.Step, len(w.Steps))
	for i, st := range w.Steps {
		ip := item(sp, i)
		for _, k := range []string{"at", "rate"} {
			if err := v.required(child(ip, k), "each step takes at and rate"); err != nil {
				return nil, err
			}
		}
		if err := v.rate(child(ip, "rate"), st.Rate, false); err != nil {
			return nil, err
		}
		if err := v.span(child(ip, "at"), st.At, 0, MaxDuration); err != nil {
			return nil, err
		}
		switch {
		case i == 0 && st.At != 0:
			return nil, v.err(child(ip, "at"), fmt.Sprintf("the first step must be at 0s (got %v)", st.At), "start the list with {at: 0s, rate: ...}")
		case i > 0 && st.At <= w.Steps[i-1].At:
			return nil, v.err(child(ip, "at"), fmt.Sprintf("steps must be sorted by at: step %d at %v does not come after step %d at %v", i+1, st.At, i, w.Steps[i-1].At), "list the steps in time order, each at a later time")
		}
		out[i] = workloads.Step{At: st.At, Rate: st.Rate}
	}
	return out, nil
}

// diurnal checks a daily cycle between base and peak.
func (v *validator) diurnal(w *WorkloadSpec, path string, cfg *workloads.Config) error {
	if err := v.required(child(path, "peak"), "set the busiest rate in requests per second, e.g. peak: 500"); err != nil {
		return err
	}
	if err := v.rate(child(path, "peak"), w.Peak, true); err != nil {
		return err
	}
	if err := v.rate(child(path, "base"), w.Base, false); err != nil {
		return err
	}
	if w.Base > w.Peak {
		return v.err(child(path, "base"), fmt.Sprintf("must be at most peak (got base %s, peak %s)", num(w.Base), num(w.Peak)), "base is the quietest rate, peak the busiest")
	}
	if !v.has(child(path, "period")) {
		w.Period = DefaultDiurnalPeriod
	}
	if err := v.span(child(path, "period"), w.Period, sim.Minute, MaxDuration); err != nil {
		return err
	}
	if hours := w.Period.Seconds() / 3600; !(w.PeakHour >= 0 && w.PeakHour < hours) {
		return v.err(child(path, "peak_hour"), fmt.Sprintf("must be in [0, %s) hours (got %s)", num(hours), num(w.PeakHour)), "the hour of the period at which the rate peaks")
	}
	cfg.Base, cfg.Peak, cfg.PeakHour, cfg.Period = w.Base, w.Peak, w.PeakHour, w.Period
	return nil
}

// spike checks a flash-crowd spike: base, a rise to peak, a hold, a fall.
func (v *validator) spike(w *WorkloadSpec, path string, cfg *workloads.Config) error {
	for _, k := range []string{"peak", "at"} {
		if err := v.required(child(path, k), "a spike takes base, peak, at, rise, hold and fall"); err != nil {
			return err
		}
	}
	if err := v.rate(child(path, "base"), w.Base, false); err != nil {
		return err
	}
	if err := v.rate(child(path, "peak"), w.Peak, false); err != nil {
		return err
	}
	if w.Base == 0 && w.Peak == 0 {
		return v.err(child(path, "peak"), "a spike from base 0 to peak 0 has no traffic", "set a positive peak")
	}
	for _, k := range []struct {
		key string
		d   sim.Duration
	}{{"at", w.At}, {"rise", w.Rise}, {"hold", w.Hold}, {"fall", w.Fall}} {
		if err := v.span(child(path, k.key), k.d, 0, MaxDuration); err != nil {
			return err
		}
	}
	cfg.Base, cfg.Peak, cfg.At, cfg.Rise, cfg.Hold, cfg.Fall = w.Base, w.Peak, w.At, w.Rise, w.Hold, w.Fall
	return nil
}

// ramp checks a linear change of rate from from to to.
func (v *validator) ramp(w *WorkloadSpec, path string, cfg *workloads.Config) error {
	for _, k := range []struct {
		key string
		r   float64
	}{{"from", w.From}, {"to", w.To}} {
		if err := v.required(child(path, k.key), "a ramp takes from, to, at and over"); err != nil {
			return err
		}
		if err := v.rate(child(path, k.key), k.r, false); err != nil {
			return err
		}
	}
	if w.From == 0 && w.To == 0 {
		return v.err(child(path, "to"), "a ramp from 0 to 0 has no traffic", "set a positive from or to")
	}
	if err := v.span(child(path, "at"), w.At, 0, MaxDuration); err != nil {
		return err
	}
	if err := v.span(child(path, "over"), w.Over, 0, MaxDuration); err != nil {
		return err
	}
	cfg.From, cfg.To, cfg.At, cfg.Over = w.From, w.To, w.At, w.Over
	return nil
}

// mix checks a sum of workloads.
func (v *validator) mix(w *WorkloadSpec, path string, depth int) ([]workloads.Config, error) {
	cp := child(path, "components")
	if err := v.required(cp, "list the workloads to add up"); err != nil {
		return nil, err
	}
	if depth > MaxMixDepth {
		return nil, v.err(path, fmt.Sprintf("mixes nest at most %d deep", MaxMixDepth), "flatten the mix")
	}
	if len(w.Components) == 0 || len(w.Components) > MaxMixComponents {
		return nil, v.err(cp, fmt.Sprintf("must list 1 to %d workloads (got %d)", MaxMixComponents, len(w.Components)), "")
	}
	out := make([]workloads.Config, len(w.Components))
	for i := range w.Components {
		c, err := v.workload(&w.Components[i], item(cp, i), depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// trace checks a recorded-traffic replay with the workloads package's one
// validator of a trace's options, placing a problem at its key, and
// resolves the file (for a format that reads directories, such as alb, a
// file or a directory of logs, as S3 delivers them).
func (v *validator) trace(w *WorkloadSpec, path string) (*workloads.TraceConfig, error) {
	fk := child(path, workloads.KeyFormat)
	f, ok := workloads.LookupFormat(w.Format)
	switch {
	case w.Format == "":
		return nil, v.err(fk, "required", "want "+orList(workloads.FormatNames()))
	case !ok:
		return nil, v.err(fk, fmt.Sprintf("unknown trace format %q", clip(w.Format)), didYouMean(w.Format, workloads.FormatNames()))
	}
	fp, display, err := v.resolvePath(child(path, "path"), w.Path, f.Options.Dir)
	if err != nil {
		return nil, err
	}
	for _, k := range []struct {
		key string
		f   *float64
	}{{workloads.KeyRateScale, &w.RateScale}, {workloads.KeyTimeScale, &w.TimeScale}} {
		if !v.has(child(path, k.key)) {
			*k.f = 1
		}
	}
	// Read through the file system by name (Open stays nil), so an alb
	// directory is walked; messages name files as display/below/dir:LINE.
	tc := &workloads.TraceConfig{
		Path: display, Format: w.Format, Column: w.Column, Interval: w.Interval,
		RateScale: w.RateScale, TimeScale: w.TimeScale, Start: w.Start, End: w.End,
		Strict: w.Strict, FS: v.fsys, Name: fp,
	}
	if err := workloads.CheckTrace(*tc, func(key string) bool { return v.has(child(path, key)) }); err != nil {
		var oe *workloads.OptionError
		if errors.As(err, &oe) {
			return nil, v.err(child(path, oe.Key), oe.Msg, oe.Hint)
		}
		return nil, v.err(path, oneLine(err.Error()), "")
	}
	if err := v.span(child(path, workloads.KeyStart), w.Start, 0, MaxDuration); err != nil {
		return nil, err
	}
	if err := v.span(child(path, workloads.KeyEnd), w.End, 0, MaxDuration); err != nil {
		return nil, err
	}
	return tc, nil
}

// traceArrivals reads the trace once (workloads.Peek), reporting a bad
// record with the trace file's line, and bounds its arrivals for the event
// budget: the recorded arrivals times rate_scale (a trace plays once).
// What the reading skipped or moved is kept for the result's warnings.
func (v *validator) traceArrivals(tc *workloads.TraceConfig) (float64, error) {
	info, err := workloads.Peek(*tc)
	if err != nil {
		return 0, v.traceError(err, tc.Path, "workload")
	}
	for _, w := range info.Warnings {
		v.sc.traceWarnings = addWarning(v.sc.traceWarnings, w)
	}
	v.peeked = info
	return info.Arrivals * tc.RateScale, nil
}

// traceError reports a problem the workloads package found reading file:
// a *workloads.TraceError at the file's line, anything else at field of
// the scenario.
func (v *validator) traceError(err error, file, field string) error {
	var te *workloads.TraceError
	if errors.As(err, &te) {
		if te.File != "" {
			file = te.File
		}
		return &Error{File: file, Line: te.Line, Msg: oneLine(te.Msg), Hint: oneLine(te.Hint)}
	}
	return v.err(field, oneLine(err.Error()), "")
}

// addWarning appends warning w to ws, on one line, unless ws holds it.
func addWarning(ws []string, w string) []string {
	w = oneLine(w)
	if slices.Contains(ws, w) {
		return ws
	}
	return append(ws, w)
}
