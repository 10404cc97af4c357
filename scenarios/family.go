package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// A Family is one kind of scaling strategy, selected by a strategy's type
// key: static, horizontal, vertical, stream or kubernetes, and those to
// come. It is registered once, in a Schema, and nothing else in the module
// names it: the decoder, the validator, the YAML encoder, the runs and the
// reports all go through the FamilySpec its New returns. See the package
// documentation, "Adding a strategy family".
type Family struct {
	// Type is the value of the type key that selects the family: lower
	// case, unique within a Schema.
	Type string
	// New returns an empty section for one strategy of the family: a
	// pointer to a struct whose yaml-tagged fields are the strategy's keys
	// besides name and type.
	New func() FamilySpec
}

// FamilySpec is one strategy's own keys (everything but name and type),
// decoded from the scenario file into the family's struct, and what the
// family does with them. Load decodes and calls Check once; Run calls
// Plan once per run (policies keep state), from several goroutines, so
// Plan, Notes and Story must not change the section.
type FamilySpec interface {
	// Check validates the keys and fills in their defaults, so that the
	// section, written back as YAML, states every value it runs with.
	// Every problem is reported through c, which places it at its line.
	Check(c *Checker) error
	// Plan builds one run of the strategy: its policy, its fleet
	// mechanics and its front door.
	Plan(env PlanEnv) (Plan, error)
	// Notes are remarks on a finished run, one line each, for the
	// result's notes (the table, the JSON and the narrative): policy is
	// the run's policy, s its figures.
	Notes(policy strategies.Strategy, s *reports.StrategySummary) []string
	// Story returns what the strategy's paragraph of the narrative tells
	// after its failures, from its final figures (means over the
	// replications) and notes, or nil for reports.DefaultStory.
	Story(s *reports.StrategySummary) *reports.Story
}

// PlanEnv is what a family's Plan may use besides its own keys.
type PlanEnv struct {
	// Name is the strategy's name.
	Name string
	// LoadBalancer is the scenario's load balancer (routing and prices),
	// for the families behind one.
	LoadBalancer models.LoadBalancer
	// Catalog is the instance catalog.
	Catalog *models.Catalog
	// Start is the calendar instant of simulated time zero
	// (Scenario.StartTime).
	Start time.Time
}

// Plan is one run of a strategy, as its family builds it.
type Plan struct {
	// Policy decides the desired fleet; a fresh one for every run.
	Policy strategies.Strategy
	// Fleet is how instances come and go (models.Group, Resizable,
	// Consumers).
	Fleet models.Mechanics
	// Door is what requests meet first (models.LoadBalancer or Stream).
	Door models.Door
	// MetricWarmup keeps an instance's metrics out of the group's
	// aggregate for this long after it enters service.
	MetricWarmup sim.Duration
}

// Schema is the set of strategy families a scenario may use, in the order
// messages list them. Build one with DefaultSchema, and add a family of
// your own with AddFamily; Load, LoadFile and Builtin use the default.
type Schema struct {
	families []Family
}

// DefaultSchema returns the schema of the built-in families: static,
// horizontal, vertical, stream and kubernetes.
func DefaultSchema() *Schema {
	return &Schema{families: []Family{
		{Type: "static", New: func() FamilySpec { return &StaticSpec{} }},
		{Type: "horizontal", New: func() FamilySpec { return &HorizontalSpec{} }},
		{Type: "vertical", New: func() FamilySpec { return &VerticalSpec{} }},
		{Type: "stream", New: func() FamilySpec { return &StreamSpec{} }},
		{Type: "kubernetes", New: func() FamilySpec { return &KubernetesSpec{} }},
	}}
}

// AddFamily registers f after the families already there. Its Type must
// be new and of [a-z0-9_], and New must return a pointer to a struct whose
// keys are not name or type.
func (sc *Schema) AddFamily(f Family) error {
	if f.Type == "" || strings.Trim(f.Type, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return fmt.Errorf("strategy family %q: a type is one word of a-z, 0-9 and _", f.Type)
	}
	if _, dup := sc.family(f.Type); dup {
		return fmt.Errorf("strategy family %q is registered already", f.Type)
	}
	if f.New == nil {
		return fmt.Errorf("strategy family %s: New is nil", f.Type)
	}
	t := reflect.TypeOf(f.New())
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("strategy family %s: New must return a pointer to a struct, not %v", f.Type, t)
	}
	for _, k := range keysOf(t.Elem()) {
		if k == "name" || k == "type" {
			return fmt.Errorf("strategy family %s: its section may not have a %s key (every strategy has one)", f.Type, k)
		}
	}
	if err := checkSection(t.Elem()); err != nil {
		return fmt.Errorf("strategy family %s: %w", f.Type, err)
	}
	sc.families = append(sc.families, f)
	return nil
}

// checkSection reports a field of a section's struct type t that the
// decoder and the encoder cannot take: every exported field has a yaml
// tag (or yaml:"-") and is a string, bool, int, float64, uint64 or
// sim.Duration, or a struct, slice or pointer of such.
func checkSection(t reflect.Type) error {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("yaml") == "-" {
			continue
		}
		if f.Tag.Get("yaml") == "" {
			return fmt.Errorf("field %s of %v has no yaml tag: tag it with its key, or yaml:\"-\"", f.Name, t)
		}
		if err := checkValueType(f.Type); err != nil {
			return fmt.Errorf("field %s of %v: %w", f.Name, t, err)
		}
	}
	return nil
}

// checkValueType reports a type the decoder and encoder cannot take.
func checkValueType(t reflect.Type) error {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Float64, reflect.Uint64:
		return nil
	case reflect.Int64:
		if t == reflect.TypeFor[sim.Duration]() {
			return nil
		}
	case reflect.Pointer, reflect.Slice:
		return checkValueType(t.Elem())
	case reflect.Struct:
		return checkSection(t)
	}
	return fmt.Errorf("a %v cannot be written in a scenario", t)
}

// Types returns the families' types in order.
func (sc *Schema) Types() []string {
	out := make([]string, len(sc.families))
	for i, f := range sc.families {
		out[i] = f.Type
	}
	return out
}

// family returns the family of type typ.
func (sc *Schema) family(typ string) (Family, bool) {
	i := slices.IndexFunc(sc.families, func(f Family) bool { return f.Type == typ })
	if i < 0 {
		return Family{}, false
	}
	return sc.families[i], true
}

// sectionType returns the struct type of a family's section.
func sectionType(f Family) reflect.Type { return reflect.TypeOf(f.New()).Elem() }

// strategyKeys returns every key a strategy of some family may have:
// name and type, then each family's keys in order, each once.
func (sc *Schema) strategyKeys() []string {
	keys := []string{"name", "type"}
	for _, f := range sc.families {
		for _, k := range keysOf(sectionType(f)) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// keyType returns the Go type of a strategy's key: that of the family typ
// when it has the key, else that of the first family that has it.
func (sc *Schema) keyType(typ, key string) (reflect.Type, bool) {
	if key == "name" || key == "type" {
		return reflect.TypeFor[string](), true
	}
	if f, ok := sc.family(typ); ok {
		if i, ok := fieldByKey(sectionType(f), key); ok {
			return sectionType(f).Field(i).Type, true
		}
	}
	for _, f := range sc.families {
		if i, ok := fieldByKey(sectionType(f), key); ok {
			return sectionType(f).Field(i).Type, true
		}
	}
	return nil, false
}

// Checker checks one strategy's own keys and fills in their defaults: a
// family's Check gets one, and the built-in families use nothing else but
// the policy checks of their own file. Keys are given below the strategy,
// dotted for nested ones ("warm_pool.size"), list items by index
// ("ladder[2]"); every problem it reports names the line of the scenario
// file (or the --set flag) that wrote the key, or its nearest written
// parent.
type Checker struct {
	v    *validator
	path string // the strategy's path, "strategies[2]"
	name string
}

// key is the full path of a key of the strategy.
func (c *Checker) key(k string) string { return child(c.path, k) }

// Name returns the strategy's name.
func (c *Checker) Name() string { return c.name }

// Catalog returns the instance catalog.
func (c *Checker) Catalog() *models.Catalog { return c.v.cat }

// Start returns the calendar instant of simulated time zero, the
// scenario's resolved start (Scenario.StartTime).
func (c *Checker) Start() time.Time { return c.v.sc.start }

// SlotSizing returns how the scenario's service sizes an instance's worker
// slots (Slots, Processors): only its WorkersPerVCPU and WorkersPerGPU are
// set.
func (c *Checker) SlotSizing() models.ServiceConfig { return c.v.slots }

// ModelLoad returns the scenario's service.startup, resolved: how long an
// instance takes to load the model.
func (c *Checker) ModelLoad() TimeSpec { return c.v.modelLoad }

// Has reports whether the strategy sets key (to something other than null).
func (c *Checker) Has(key string) bool { return c.v.has(c.key(key)) }

// Error returns the problem msg with key, and what to change (hint).
func (c *Checker) Error(key, msg, hint string) error { return c.v.err(c.key(key), msg, hint) }

// Required returns an error when key is absent.
func (c *Checker) Required(key, hint string) error { return c.v.required(c.key(key), hint) }

// Count checks the whole number n of key: it must be from lo to hi.
func (c *Checker) Count(key string, n, lo, hi int, hint string) error {
	return c.v.count(c.key(key), n, lo, hi, hint)
}

// InstanceType checks that name, the value of key, is in the catalog and
// can serve the model (a GPU-bound model needs a type with GPUs).
func (c *Checker) InstanceType(key, name string) error { return c.v.instanceType(c.key(key), name) }

// Between checks that the duration d of key lies in [lo, hi].
func (c *Checker) Between(key string, d, lo, hi sim.Duration, hint string) error {
	return c.v.between(c.key(key), d, lo, hi, hint)
}

// Number checks that the number x of key is finite and lies in [lo, hi].
func (c *Checker) Number(key string, x, lo, hi float64, hint string) error {
	return c.v.number(c.key(key), x, lo, hi, hint)
}

// OneOf checks that value, the value of key, is one of names; what names
// the kind of value in messages ("resize mode").
func (c *Checker) OneOf(key, what, value string, names []string) error {
	return c.v.oneOf(c.key(key), what, value, names)
}

// Dist checks the distribution block of key (like service.time), setting
// it to def when the strategy does not set it and def is not nil, and
// returns its sampler; its mean must be at most maxMean.
func (c *Checker) Dist(key string, t *TimeSpec, def *TimeSpec, maxMean sim.Duration) (models.Sampler, error) {
	return c.v.dist(c.key(key), t, def, maxMean)
}

// DefaultInt sets *n to def when the strategy does not set key.
func (c *Checker) DefaultInt(key string, n *int, def int) { c.v.defaultInt(c.key(key), n, def) }

// DefaultFloat sets *x to def when the strategy does not set key.
func (c *Checker) DefaultFloat(key string, x *float64, def float64) {
	c.v.defaultFloat(c.key(key), x, def)
}

// DefaultDuration sets *d to def when the strategy does not set key.
func (c *Checker) DefaultDuration(key string, d *sim.Duration, def sim.Duration) {
	c.v.defaultDuration(c.key(key), d, def)
}

// FieldError places an error of the strategies package at the line of the
// key its *strategies.FieldError names (any other error at the strategy).
// hint, when not nil, gives the advice for the key's last part, or ""
// for the general advice.
func (c *Checker) FieldError(err error, hint func(key string) string) error {
	var fe *strategies.FieldError
	if !errors.As(err, &fe) {
		return c.v.err(c.path, oneLine(err.Error()), "check the strategy's keys against the README")
	}
	path, leaf := fieldPath(fe.Field)
	advice := ""
	if hint != nil {
		advice = hint(leaf)
	}
	if advice == "" {
		advice = "see the strategy keys in the README"
	}
	return c.v.err(child(c.path, path), oneLine(fe.Msg), advice)
}

// datapoints defaults and checks an alarm's M of M datapoints at key.
func (c *Checker) datapoints(key string, n *int, def int) error {
	return c.v.datapoints(c.key(key), n, def)
}

// strategy checks strategy st at path p: its type names a family, it sets
// no key of another family, and its own keys pass the family's Check.
func (v *validator) strategy(st *StrategySpec, p string) error {
	types := v.schema.Types()
	if st.Type == "" {
		return v.err(child(p, "type"), "required", "want "+orList(types))
	}
	f, ok := v.schema.family(st.Type)
	if !ok {
		return v.err(child(p, "type"), fmt.Sprintf("unknown strategy type %q", clip(st.Type)), didYouMean(st.Type, types))
	}
	if len(st.misplaced) > 0 {
		keys := append([]string{"name", "type"}, keysOf(sectionType(f))...)
		return v.err(child(p, st.misplaced[0]), "not used by a "+st.Type+" strategy", "it takes "+strings.Join(keys, ", ")+"; remove the key")
	}
	return st.Spec.Check(&Checker{v: v, path: p, name: st.Name})
}

// datapoints defaults and checks an alarm's M of M at path.
func (v *validator) datapoints(path string, n *int, def int) error {
	v.defaultInt(path, n, def)
	return v.count(path, *n, 1, strategies.MaxEvaluationPeriods, "datapoints are one metric period each")
}

// fieldPath turns a strategies.FieldError field ("policies.0.steps.2.lower")
// into the scenario's path below the strategy ("policies[0].steps[2].lower")
// and its last key ("lower").
func fieldPath(field string) (path, leaf string) {
	for _, k := range strings.Split(field, ".") {
		if _, err := strconv.Atoi(k); err == nil && path != "" {
			path += "[" + k + "]"
			continue
		}
		path, leaf = child(path, k), k
	}
	return path, leaf
}
