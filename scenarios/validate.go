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

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
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
}

// has reports whether the file set the field at path to something.
func (v *validator) has(path string) bool { return v.loc.has(path) && !v.nulls[path] }

// err is an *Error about the field at path.
func (v *validator) err(path, msg, hint string) error { return v.loc.field(path, msg, hint) }

// num formats a number for messages.
func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// validate checks and defaults every section of s, filling v.sc.
func (v *validator) validate(s *Spec) error {
	checks := []func(*Spec) error{v.top, v.workloadSection, v.service, v.balancer, v.strategies}
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

// instanceType checks that name is in the catalog.
func (v *validator) instanceType(path, name string) error {
	if name == "" {
		return v.err(path, "required", "name an EC2 instance type, e.g. m5.xlarge (see scalesim catalog)")
	}
	if _, ok := v.cat.Lookup(name); ok {
		return nil
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
	if !v.has("service.time") {
		return v.err("service.time", "required", "add time: {dist: exponential, mean: 50ms}")
	}
	dc, err := v.serviceTime(&svc.Time)
	if err != nil {
		return err
	}
	demand, err := models.NewSampler(dc)
	if err != nil {
		return v.err("service.time", oneLine(err.Error()), "")
	}
	if m := demand.Mean(); !(m <= MaxServiceMean.Seconds()) {
		return v.err("service.time", fmt.Sprintf("the mean service time must be at most %v (got %v)", MaxServiceMean, sim.FromSeconds(m)), "lower the times, or narrow p99 against median")
	}
	v.sc.demand = demand
	if !v.has("service.workers_per_vcpu") {
		svc.WorkersPerVCPU = 1
	}
	if err := v.count("service.workers_per_vcpu", svc.WorkersPerVCPU, 1, MaxWorkersPerVCPU, ""); err != nil {
		return err
	}
	if err := v.count("service.queue_limit", svc.QueueLimit, 0, MaxQueueLimit, "0 means unbounded"); err != nil {
		return err
	}
	return v.span("service.timeout", svc.Timeout, 0, MaxTimeout)
}

// serviceTime checks a service-time distribution and converts it to seconds.
func (v *validator) serviceTime(t *TimeSpec) (models.DistConfig, error) {
	const p = "service.time"
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
		dc.Samples, err = v.samples(t)
	}
	return dc, err
}

// balancer checks the load balancer's routing.
func (v *validator) balancer(s *Spec) error {
	lb := &s.LoadBalancer
	if lb.Routing == "" {
		lb.Routing = "round_robin"
	}
	r, err := models.ParseRouting(lb.Routing)
	if err != nil {
		return v.err("load_balancer.routing", fmt.Sprintf("unknown routing %q", clip(lb.Routing)), didYouMean(lb.Routing, routingNames()))
	}
	v.sc.routing = r
	return nil
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

// strategy checks one strategy's type-specific keys and fills defaults.
func (v *validator) strategy(st *StrategySpec, p string) error {
	if st.Type == "" {
		return v.err(child(p, "type"), "required", "want "+orList(strategyTypes()))
	}
	keys := strategyKeys(st.Type)
	if keys == nil {
		return v.err(child(p, "type"), fmt.Sprintf("unknown strategy type %q", clip(st.Type)), didYouMean(st.Type, strategyTypes()))
	}
	if err := v.unused(p, reflect.TypeFor[StrategySpec](), keys, "a "+st.Type+" strategy"); err != nil {
		return err
	}
	switch st.Type {
	case "static":
		if err := v.instanceType(child(p, "instance_type"), st.InstanceType); err != nil {
			return err
		}
		if err := v.required(child(p, "count"), "set the number of instances, e.g. count: 4"); err != nil {
			return err
		}
		return v.count(child(p, "count"), st.Count, 1, MaxFleet, "")
	case "horizontal":
		return v.horizontal(st, p)
	case "vertical":
		return v.vertical(st, p)
	}
	return v.stream(st, p)
}

// horizontal checks an auto-scaling group.
func (v *validator) horizontal(st *StrategySpec, p string) error {
	if err := v.instanceType(child(p, "instance_type"), st.InstanceType); err != nil {
		return err
	}
	for _, k := range []string{"min", "max", "policy"} {
		if err := v.required(child(p, k), "a horizontal strategy takes instance_type, min, max and policy"); err != nil {
			return err
		}
	}
	if err := v.count(child(p, "min"), st.Min, 0, MaxFleet, ""); err != nil {
		return err
	}
	if err := v.count(child(p, "max"), st.Max, max(1, st.Min), MaxFleet, "max must be ≥ min and ≥ 1"); err != nil {
		return err
	}
	if !v.has(child(p, "initial")) {
		st.Initial = Initial(strconv.Itoa(st.Min))
	}
	n, err := strconv.Atoi(string(st.Initial))
	if err != nil {
		return v.err(child(p, "initial"), fmt.Sprintf("want a whole number of instances (got %q)", clip(string(st.Initial))), "a horizontal strategy starts from a count, e.g. initial: 2")
	}
	if err := v.count(child(p, "initial"), n, st.Min, st.Max, "initial lies between min and max"); err != nil {
		return err
	}
	st.Initial = Initial(strconv.Itoa(n))
	return v.policy(&st.Policy, child(p, "policy"))
}

// policy checks a horizontal strategy's scaling policy.
func (v *validator) policy(pol *PolicySpec, p string) error {
	if pol.Type == "" {
		return v.err(child(p, "type"), "required", "want "+orList(policyTypes()))
	}
	if !slices.Contains(policyTypes(), pol.Type) {
		return v.err(child(p, "type"), fmt.Sprintf("unknown policy type %q", clip(pol.Type)), didYouMean(pol.Type, policyTypes()))
	}
	if pol.Type != "target_tracking" {
		return nil
	}
	if err := v.required(child(p, "metric"), "want "+orList(policyMetrics())); err != nil {
		return err
	}
	if !slices.Contains(policyMetrics(), pol.Metric) {
		return v.err(child(p, "metric"), fmt.Sprintf("unknown metric %q", clip(pol.Metric)), didYouMean(pol.Metric, policyMetrics()))
	}
	if err := v.required(child(p, "target"), "set the metric's target value, e.g. target: 50"); err != nil {
		return err
	}
	hi := math.MaxFloat64
	if pol.Metric == "cpu" {
		hi = 100
	}
	if !(pol.Target > 0 && pol.Target <= hi) {
		return v.err(child(p, "target"), fmt.Sprintf("must be > 0 and at most %s (got %s)", num(hi), num(pol.Target)), "cpu is a percentage of busy worker slots")
	}
	return nil
}

// vertical checks a resize ladder.
func (v *validator) vertical(st *StrategySpec, p string) error {
	if err := v.required(child(p, "ladder"), "list the instance types to resize between, smallest first"); err != nil {
		return err
	}
	lp := child(p, "ladder")
	if len(st.Ladder) == 0 || len(st.Ladder) > MaxLadder {
		return v.err(lp, fmt.Sprintf("must list 1 to %d instance types (got %d)", MaxLadder, len(st.Ladder)), "list the sizes to resize between, smallest first")
	}
	for i, name := range st.Ladder {
		if err := v.instanceType(item(lp, i), name); err != nil {
			return err
		}
		if slices.Contains(st.Ladder[:i], name) {
			return v.err(item(lp, i), fmt.Sprintf("%s appears twice in the ladder", name), "list each type once")
		}
	}
	if !v.has(child(p, "initial")) {
		st.Initial = Initial(st.Ladder[0])
	}
	if !slices.Contains(st.Ladder, string(st.Initial)) {
		return v.err(child(p, "initial"), fmt.Sprintf("%q is not on the ladder", clip(string(st.Initial))), "start from one of "+orList(st.Ladder))
	}
	return nil
}

// stream checks a Kinesis-style stream and its consumers.
func (v *validator) stream(st *StrategySpec, p string) error {
	if err := v.required(child(p, "shards"), "set the number of shards, e.g. shards: 4"); err != nil {
		return err
	}
	if err := v.count(child(p, "shards"), st.Shards, 1, MaxFleet, ""); err != nil {
		return err
	}
	cp := child(p, "consumers")
	if err := v.required(cp, "add consumers: {instance_type: m5.xlarge, count: 2}"); err != nil {
		return err
	}
	if err := v.instanceType(child(cp, "instance_type"), st.Consumers.InstanceType); err != nil {
		return err
	}
	if err := v.required(child(cp, "count"), "set the number of consumer instances, e.g. count: 2"); err != nil {
		return err
	}
	return v.count(child(cp, "count"), st.Consumers.Count, 1, MaxFleet, "")
}

// resolvePath maps a path written in the scenario (relative to the
// scenario file; an absolute path is taken from fsys's root) to a path in
// fsys, and a form for messages. It checks that the file exists.
func (v *validator) resolvePath(field, p string) (fsPath, display string, err error) {
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
	case info.IsDir():
		return "", "", v.err(field, fmt.Sprintf("%q is a directory", clip(display)), "name a file")
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
