package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
	"github.com/scalesim/scalesim/workloads"
)

// validator checks a decoded Spec section by section and fills in the
// defaults: this is the one place defaults are applied. Each check runs
// before anything sized by the value is allocated.
type validator struct {
	loc     *locator
	nulls   map[string]bool // fields written as null count as absent
	cat     *models.Catalog
	fsys    fs.FS  // where the scenario and the files it names live
	dir     string // the scenario file's directory within fsys
	dispDir string // the same directory as the user named it, for messages
	sc      *Scenario
	schema  *Schema // the strategy families
	// slots sizes an instance's worker slots (service.workers_per_vcpu or
	// workers_per_gpu), set by service before the strategies are checked.
	slots models.ServiceConfig
	// modelLoad is service.startup, resolved: the default of a pod's
	// startup.
	modelLoad TimeSpec
	// peeked describes the trace read last at load time, the workload's
	// own when its type is trace: start's default comes from it.
	peeked workloads.TraceInfo
}

// has reports whether the file set the field at path to something.
func (v *validator) has(path string) bool { return v.loc.has(path) && !v.nulls[path] }

// err is an *Error about the field at path.
func (v *validator) err(path, msg, hint string) error { return v.loc.field(path, msg, hint) }

// num formats a number for messages.
func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// validate checks and defaults every section of s, filling v.sc.
func (v *validator) validate(s *Spec) error {
	checks := []func(*Spec) error{v.top, v.workloadSection, v.start, v.service, v.instances, v.balancer, v.metrics, v.failures, v.strategies, v.lesson}
	for _, check := range checks {
		if err := check(s); err != nil {
			return err
		}
	}
	return nil
}

// top checks name, description, seed, duration, warmup and the SLO.
func (v *validator) top(s *Spec) error {
	switch {
	case s.Name == "":
		return v.err("name", "required", "add name: my-scenario")
	case len(s.Name) > maxScenarioName || strings.ContainsFunc(s.Name, isControl):
		return v.err("name", fmt.Sprintf("must be one line of at most %d bytes", maxScenarioName), "use a short name; put the rest in description")
	case len(s.Description) > maxDescriptionLen || strings.ContainsFunc(s.Description, isControl):
		return v.err("description", fmt.Sprintf("must be one line of at most %d bytes", maxDescriptionLen), "put longer notes in YAML comments (# ...)")
	}
	if !v.has("seed") {
		s.Seed = DefaultSeed
	}
	if !v.has("duration") {
		return v.err("duration", "required", `add duration: 1h (Go syntax, plus "d" for days)`)
	}
	if err := v.span("duration", s.Duration, 1, MaxDuration); err != nil {
		return err
	}
	if err := v.span("warmup", s.Warmup, 0, MaxDuration); err != nil {
		return err
	}
	if s.Warmup >= s.Duration {
		return v.err("warmup", fmt.Sprintf("must be shorter than duration (got warmup %v, duration %v)", s.Warmup, s.Duration), "shorten warmup or lengthen duration")
	}
	if !v.has("slo.latency") {
		s.SLO.Latency = DefaultSLOLatency
	}
	return v.span("slo.latency", s.SLO.Latency, 1, MaxSLOLatency)
}

// start checks the start key, RFC 3339, or resolves its default: a
// date-time trace's instant at its start cut (simulated time zero replays
// it), else strategies.DefaultEpochUnix. It runs after the workload, whose
// trace it reads the first instant of.
func (v *validator) start(s *Spec) error {
	if !v.has("start") {
		t := time.Unix(strategies.DefaultEpochUnix, 0).UTC()
		if s.Workload.Type == "trace" && v.peeked.DateTime && v.peeked.Records > 0 {
			t = time.Unix(0, v.peeked.First).UTC().Add(time.Duration(s.Workload.Start))
			v.sc.startKnown = true
		}
		s.Start, v.sc.start = t.Format(time.RFC3339Nano), t
		return nil
	}
	const hint = "write an RFC 3339 instant in quotes or not, e.g. start: 2026-01-10T00:00:00Z (or +01:00 for an offset)"
	t, err := time.Parse(time.RFC3339Nano, s.Start)
	if err != nil {
		return v.err("start", fmt.Sprintf("%q is not an RFC 3339 date-time", clip(s.Start)), hint)
	}
	if t.Unix() <= 0 || t.Year() >= MaxStartYear {
		return v.err("start", fmt.Sprintf("must be after 1970-01-01T00:00:00Z and before %d-01-01T00:00:00Z (got %s)", MaxStartYear, s.Start), hint)
	}
	s.Start, v.sc.start, v.sc.startKnown = t.Format(time.RFC3339Nano), t, true
	return nil
}

// span checks that a duration lies in [lo, hi].
func (v *validator) span(path string, d, lo, hi sim.Duration) error {
	switch {
	case d < lo && lo > 0:
		return v.err(path, fmt.Sprintf("must be > 0 (got %v)", d), `write a positive duration, e.g. "30s"`)
	case d < lo:
		return v.err(path, fmt.Sprintf("must be ≥ 0 (got %v)", d), "remove the minus sign")
	case d > hi:
		return v.err(path, fmt.Sprintf("must be at most %v (got %v)", hi, d), "that is the simulator's limit")
	}
	return nil
}

// rate checks a rate in requests per second: finite, at most MaxRate, and
// > 0 if positive is set (else ≥ 0).
func (v *validator) rate(path string, r float64, positive bool) error {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return v.err(path, fmt.Sprintf("must be a finite number (got %s)", num(r)), "set requests per second, e.g. 100")
	case positive && r <= 0:
		return v.err(path, fmt.Sprintf("must be > 0 (got %s)", num(r)), "set a positive requests-per-second")
	case r < 0:
		return v.err(path, fmt.Sprintf("must be ≥ 0 (got %s)", num(r)), "set a requests-per-second of 0 or more")
	case r > MaxRate:
		return v.err(path, fmt.Sprintf("must be at most %s requests per second (got %s)", num(MaxRate), num(r)), "that is the simulator's limit; scale the scenario down")
	}
	return nil
}

// count checks a whole number in [lo, hi].
func (v *validator) count(path string, n, lo, hi int, hint string) error {
	switch {
	case hint != "":
	case n > hi:
		hint = "that is the simulator's limit"
	default:
		hint = fmt.Sprintf("set at least %d", lo)
	}
	if n < lo || n > hi {
		return v.err(path, fmt.Sprintf("must be from %d to %d (got %d)", lo, hi, n), hint)
	}
	return nil
}

// required reports a missing field.
func (v *validator) required(path, hint string) error {
	if v.has(path) {
		return nil
	}
	return v.err(path, "required", hint)
}

// unused rejects fields of a polymorphic section that its type does not
// take, so a misplaced key is reported, not ignored.
func (v *validator) unused(path string, t reflect.Type, used []string, what string) error {
	for _, k := range keysOf(t) {
		if !slices.Contains(used, k) && v.has(child(path, k)) {
			return v.err(child(path, k), "not used by "+what, "it takes "+strings.Join(used, ", ")+"; remove the key")
		}
	}
	return nil
}

// instanceType checks that name is in the catalog and can serve the
// model: a GPU-bound model needs a type with GPUs.
func (v *validator) instanceType(path, name string) error {
	if name == "" {
		return v.err(path, "required", "name an EC2 instance type, e.g. m5.xlarge (see scalesim catalog)")
	}
	if t, ok := v.cat.Lookup(name); ok {
		if v.slots.Slots(t) > 0 {
			return nil
		}
		where := "service.workers_per_gpu"
		if line := v.loc.lookup(where); line > 0 {
			where += fmt.Sprintf(" (line %d)", line)
		}
		return v.err(path, fmt.Sprintf("%s has no GPU, and %s sizes the model's worker slots by GPUs", name, where),
			fmt.Sprintf("choose a type with GPUs (the %s families; see scalesim catalog), or size the slots by vCPUs with service.workers_per_vcpu",
				orList(gpuFamilies(v.cat))))
	}
	hint := "see scalesim catalog for the known types"
	if s := v.cat.Suggest(name); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	return v.err(path, fmt.Sprintf("unknown instance type %q", clip(name)), hint)
}

// service checks the service section and builds the demand sampler.
func (v *validator) service(s *Spec) error {
	svc := &s.Service
	demand, err := v.dist("service.time", &svc.Time, nil, MaxServiceMean)
	if err != nil {
		return err
	}
	v.sc.demand = demand
	if v.sc.startup, err = v.dist("service.startup", &svc.Startup, &TimeSpec{Dist: "lognormal", Median: DefaultStartupMedian, P99: DefaultStartupP99}, MaxLifecycleMean); err != nil {
		return err
	}
	v.modelLoad = svc.Startup
	if err := v.workers(svc); err != nil {
		return err
	}
	v.defaultInt("service.queue_limit", &svc.QueueLimit, DefaultQueueLimit)
	if err := v.count("service.queue_limit", svc.QueueLimit, 0, MaxQueueLimit, "0 means unbounded (default 100)"); err != nil {
		return err
	}
	if svc.OnClientTimeout == "" {
		svc.OnClientTimeout = OnTimeoutServe
	}
	if err := v.oneOf("service.on_client_timeout", "choice", svc.OnClientTimeout, []string{OnTimeoutServe, OnTimeoutSkip}); err != nil {
		return err
	}
	return v.span("service.timeout", svc.Timeout, 0, MaxTimeout)
}

// workers checks how the service sizes an instance's worker slots: by
// vCPUs (workers_per_vcpu, 1 by default) or by GPUs (workers_per_gpu), not
// both.
func (v *validator) workers(svc *ServiceSpec) error {
	const vcpu, gpu = "service.workers_per_vcpu", "service.workers_per_gpu"
	if v.has(gpu) {
		if v.has(vcpu) {
			at, other := v.later(gpu, vcpu)
			msg := "workers_per_vcpu and workers_per_gpu are both set"
			if line := v.loc.lookup(other); line > 0 {
				msg += fmt.Sprintf(" (%s at line %d)", other, line)
			}
			return v.err(at, msg,
				"keep workers_per_gpu for a GPU-bound model (slots = GPUs × it) or workers_per_vcpu for a CPU-bound one (slots = vCPUs × it), and remove the other (--set KEY=null removes a key of the file)")
		}
		if err := v.count(gpu, svc.WorkersPerGPU, 1, MaxWorkersPerGPU, ""); err != nil {
			return err
		}
	} else {
		if !v.has(vcpu) {
			svc.WorkersPerVCPU = 1
		}
		if err := v.count(vcpu, svc.WorkersPerVCPU, 1, MaxWorkersPerVCPU, ""); err != nil {
			return err
		}
	}
	v.slots = models.ServiceConfig{WorkersPerVCPU: svc.WorkersPerVCPU, WorkersPerGPU: svc.WorkersPerGPU}
	return nil
}

// later orders two written fields by where they were written, the later
// first: a --set flag comes after the file, a later flag after an earlier
// one.
func (v *validator) later(a, b string) (last, first string) {
	pa, pb := v.loc.lookup(a), v.loc.lookup(b)
	// Lines are positive; the --set flag i is -(i+1).
	if pb < 0 && (pa > 0 || pb < pa) || pa > 0 && pb > pa {
		return b, a
	}
	return a, b
}

// gpuFamilies returns the families of cat that have GPUs, in catalog order.
func gpuFamilies(cat *models.Catalog) []string {
	var out []string
	for _, t := range cat.Types() {
		if t.GPUs > 0 && !slices.Contains(out, t.Family) {
			out = append(out, t.Family)
		}
	}
	return out
}

// dist checks the distribution block at path p and returns its sampler,
// whose mean must be at most maxMean. When the file does not set the block
// and def is not nil, the block becomes def.
func (v *validator) dist(p string, t *TimeSpec, def *TimeSpec, maxMean sim.Duration) (models.Sampler, error) {
	if def != nil && !v.has(p) {
		*t = *def
		return models.NewSampler(models.DistConfig{Dist: t.Dist, Mean: t.Mean.Seconds(), Median: t.Median.Seconds(),
			P99: t.P99.Seconds(), Value: t.Value.Seconds(), CV: t.CV})
	}
	dc, err := v.distConfig(p, t)
	if err != nil {
		return nil, err
	}
	smp, err := models.NewSampler(dc)
	if err != nil {
		return nil, v.err(p, oneLine(err.Error()), "")
	}
	if m := smp.Mean(); !(m <= maxMean.Seconds()) {
		return nil, v.err(p, fmt.Sprintf("the mean must be at most %v (got %v)", maxMean, sim.FromSeconds(m)), "lower the times, or narrow p99 against median")
	}
	return smp, nil
}

// distConfig checks a distribution block at path p and converts it to
// seconds.
func (v *validator) distConfig(p string, t *TimeSpec) (models.DistConfig, error) {
	if !v.has(p) {
		return models.DistConfig{}, v.err(p, "required", "add "+p[strings.LastIndexByte(p, '.')+1:]+": {dist: exponential, mean: 50ms}")
	}
	if t.Dist == "" {
		return models.DistConfig{}, v.err(p+".dist", "required", "want "+orList(distNames()))
	}
	keys := timeKeys(t.Dist)
	if keys == nil {
		return models.DistConfig{}, v.err(p+".dist", fmt.Sprintf("unknown distribution %q", clip(t.Dist)), didYouMean(t.Dist, distNames()))
	}
	if err := v.unused(p, reflect.TypeFor[TimeSpec](), keys, "a "+t.Dist+" distribution"); err != nil {
		return models.DistConfig{}, err
	}
	for _, k := range keys[1:] {
		if k == "column" || k == "cv" {
			continue
		}
		if err := v.required(child(p, k), fmt.Sprintf("a %s distribution takes %s", t.Dist, strings.Join(keys[1:], ", "))); err != nil {
			return models.DistConfig{}, err
		}
	}
	dc := models.DistConfig{Dist: t.Dist}
	positive := func(k string, d sim.Duration) (float64, error) {
		if d <= 0 {
			return 0, v.err(child(p, k), fmt.Sprintf("must be > 0 (got %v)", d), `write a positive duration, e.g. "50ms"`)
		}
		return d.Seconds(), nil
	}
	var err error
	switch t.Dist {
	case "exponential":
		dc.Mean, err = positive("mean", t.Mean)
	case "deterministic":
		dc.Value, err = positive("value", t.Value)
	case "lognormal":
		if dc.Median, err = positive("median", t.Median); err != nil {
			break
		}
		if dc.P99, err = positive("p99", t.P99); err != nil {
			break
		}
		if t.P99 <= t.Median {
			err = v.err(p+".p99", fmt.Sprintf("must be greater than median (got p99 %v, median %v)", t.P99, t.Median), "a lognormal's p99 lies above its median")
		}
	case "gamma":
		if dc.Mean, err = positive("mean", t.Mean); err != nil {
			break
		}
		if err = v.required(p+".cv", "set the coefficient of variation, e.g. cv: 1.5"); err != nil {
			break
		}
		if !(t.CV > 0 && t.CV <= models.GammaMaxCV) {
			err = v.err(p+".cv", fmt.Sprintf("must be in (0, %d] (got %s)", models.GammaMaxCV, num(t.CV)), "cv 1 matches an exponential; larger is more variable")
		}
		dc.CV = t.CV
	case "empirical":
		dc.Samples, err = v.samples(p, t)
	}
	return dc, err
}

// strategies checks the list of strategies: at least one, names unique.
func (v *validator) strategies(s *Spec) error {
	if len(s.Strategies) == 0 {
		return v.err("strategies", "required: at least one strategy", "add strategies: [{name: fixed, type: static, instance_type: m5.xlarge, count: 4}]")
	}
	if len(s.Strategies) > MaxStrategies {
		return v.err("strategies", fmt.Sprintf("at most %d strategies (got %d)", MaxStrategies, len(s.Strategies)), "split the comparison into several scenarios")
	}
	seen := map[string]int{}
	for i := range s.Strategies {
		st := &s.Strategies[i]
		p := item("strategies", i)
		if st.Name == "" {
			return v.err(child(p, "name"), "required", "give each strategy a unique name of [a-z0-9_-]")
		}
		if !validName(st.Name) {
			return v.err(child(p, "name"), fmt.Sprintf("invalid name %q", clip(st.Name)), fmt.Sprintf("use 1 to %d of a-z, 0-9, _ and -", maxNameLen))
		}
		if j, dup := seen[st.Name]; dup {
			hint := "give each strategy its own name"
			if line := v.loc.lookup(item("strategies", j)); line > 0 {
				hint = fmt.Sprintf("line %d uses it already; give each strategy its own name", line)
			}
			return v.err(child(p, "name"), fmt.Sprintf("duplicate strategy name %q", st.Name), hint)
		}
		seen[st.Name] = i
		if err := v.strategy(st, p); err != nil {
			return err
		}
	}
	return nil
}

// resolvePath maps a path written in the scenario (relative to the
// scenario file; an absolute path is taken from fsys's root) to a path in
// fsys, and a form for messages. It checks that the file exists; dirOK
// accepts a directory too (an alb trace's directory of logs).
func (v *validator) resolvePath(field, p string, dirOK bool) (fsPath, display string, err error) {
	if p == "" {
		return "", "", v.err(field, "required", "name a file, relative to the scenario file")
	}
	if path.IsAbs(p) {
		fsPath, display = strings.TrimLeft(path.Clean(p), "/"), p
		if fsPath == "" {
			fsPath = "."
		}
	} else {
		fsPath, display = path.Join(v.dir, p), path.Join(v.dispDir, p)
	}
	if !fs.ValidPath(fsPath) {
		return "", "", v.err(field, fmt.Sprintf("%q lies outside the directory the scenario was read from", clip(p)), "move the file next to the scenario")
	}
	info, err := fs.Stat(v.fsys, fsPath)
	switch {
	case err != nil:
		return "", "", v.err(field, fmt.Sprintf("cannot open %q: %s", clip(display), fsReason(err)), "paths are relative to the scenario file")
	case info.IsDir() && !dirOK:
		return "", "", v.err(field, fmt.Sprintf("%q is a directory", clip(display)), "name a file (only an alb trace reads a directory of logs)")
	}
	return fsPath, display, nil
}

// fsReason shortens a file-system error to its cause.
func fsReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return oneLine(pe.Err.Error())
	}
	return oneLine(err.Error())
}
