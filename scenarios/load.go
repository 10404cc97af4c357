package scenarios

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/workloads"
)

// Scenario is a validated scenario with every default filled in: what Run
// needs to build its workloads, samplers and strategies. Build one with Load,
// LoadFile or Builtin.
type Scenario struct {
	// Spec is the resolved scenario, defaults applied. It is for reading:
	// changing it does not change what Run does (load again with --set
	// flags instead).
	Spec Spec
	// File is the scenario's name in messages: the path as the user gave
	// it, or builtin/NAME.yaml.
	File string

	loc      *locator
	catalog  *models.Catalog
	workload workloads.Config // a trace reads through the scenario's fs.FS
	demand   models.Sampler   // immutable; shared by every run
	routing  models.Routing
	pending  models.Sampler // instances.pending
	boot     models.Sampler // instances.boot
	startup  models.Sampler // service.startup
	// traceWarnings are what reading the traces at load time skipped or
	// moved (workloads.TraceInfo.Warnings), one line each; Run reports them.
	traceWarnings []string
	start         time.Time // Spec.Start parsed
	startKnown    bool      // start was written, or read from a date-time trace
}

// StartTime returns the calendar instant of simulated time zero, the
// resolved start key: simulated time t is StartTime().Add(time.Duration(t)).
// Cron schedules and a predictive policy's history follow it; other
// commands use it to put a run's times on the calendar.
func (s *Scenario) StartTime() time.Time { return s.start }

// StartKnown reports whether the scenario says when its time zero is: its
// start key is written, or its workload is a trace of date-times. When it
// is not, StartTime is strategies.DefaultEpochUnix, a convention.
func (s *Scenario) StartKnown() bool { return s.startKnown }

// Name returns the scenario's name.
func (s *Scenario) Name() string { return s.Spec.Name }

// StrategyNames returns the strategies' names in scenario order.
func (s *Scenario) StrategyNames() []string { return s.Spec.strategyNames() }

// strategyNames returns the strategies' names in scenario order.
func (s *Spec) strategyNames() []string {
	names := make([]string, len(s.Strategies))
	for i, st := range s.Strategies {
		names[i] = st.Name
	}
	return names
}

// Load reads the scenario file at name in fsys, applies the --set flags
// (each "PATH=VALUE"), checks every key and value, and applies the defaults.
// Files the scenario names (traces, service-time samples) are read from
// fsys relative to the scenario file's directory. Bad input of any kind is
// an *Error naming the file (or the flag), the line where known, and what to
// change; IsInputError reports it.
func Load(fsys fs.FS, name string, sets []string) (*Scenario, error) {
	return DefaultSchema().Load(fsys, name, sets)
}

// Load is Load with the strategy families of schema sc.
func (sc *Schema) Load(fsys fs.FS, name string, sets []string) (*Scenario, error) {
	return sc.load(fsys, name, name, sets)
}

// LoadFile is Load for a file of the operating system, named as the user
// typed it. Paths inside the scenario may leave its directory ("../x.csv")
// or be absolute.
func LoadFile(filename string, sets []string) (*Scenario, error) {
	return DefaultSchema().LoadFile(filename, sets)
}

// LoadFile is LoadFile with the strategy families of schema sc.
func (sc *Schema) LoadFile(filename string, sets []string) (*Scenario, error) {
	abs, err := filepath.Abs(filename)
	if err != nil {
		return nil, &Error{File: filename, Msg: "cannot resolve the path: " + oneLine(err.Error())}
	}
	root := filepath.VolumeName(abs) + string(filepath.Separator)
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return nil, &Error{File: filename, Msg: "cannot resolve the path: " + oneLine(err.Error())}
	}
	return sc.load(os.DirFS(root), filepath.ToSlash(rel), filepath.ToSlash(filename), sets)
}

// load reads name from fsys; display is the name used in messages.
func (sc *Schema) load(fsys fs.FS, name, display string, sets []string) (*Scenario, error) {
	data, err := readCapped(fsys, name, display)
	if err != nil {
		return nil, err
	}
	return sc.parse(fsys, name, display, data, sets)
}

// readCapped reads a scenario file of at most MaxFileSize bytes.
func readCapped(fsys fs.FS, name, display string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &Error{File: display, Msg: "cannot read the scenario: " + fsReason(err), Hint: "check the path, or run scalesim scenarios for the built-in names"}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	switch {
	case err != nil:
		return nil, &Error{File: display, Msg: "cannot read the scenario: " + fsReason(err)}
	case len(data) > MaxFileSize:
		return nil, &Error{File: display, Msg: fmt.Sprintf("the file is larger than %d KiB", MaxFileSize>>10), Hint: "a scenario is a short YAML file; keep traces in their own files"}
	}
	return data, nil
}

// parse turns a scenario file's bytes into a Scenario.
func (sc *Schema) parse(fsys fs.FS, name, display string, data []byte, sets []string) (*Scenario, error) {
	root, err := parseDocument(data, display)
	if err != nil {
		return nil, err
	}
	for i, s := range sets {
		if err := applySet(sc, root, i, s); err != nil {
			return nil, err
		}
	}
	loc := newLocator(display, sets)
	d := &decoder{schema: sc, loc: loc, nulls: map[string]bool{}, budget: maxNodes}
	var spec Spec
	if err := d.decode(root, reflect.ValueOf(&spec).Elem(), ""); err != nil {
		return nil, err
	}
	spec.WarmupAuto = d.warmupAuto
	cat, err := models.DefaultCatalog()
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", display, err)
	}
	out := &Scenario{File: display, loc: loc, catalog: cat}
	v := &validator{loc: loc, nulls: d.nulls, cat: cat, fsys: fsys,
		dir: path.Dir(name), dispDir: path.Dir(display), sc: out, schema: sc}
	if err := v.validate(&spec); err != nil {
		return nil, err
	}
	out.Spec = spec
	return out, nil
}

// BuiltinInfo describes a built-in scenario.
type BuiltinInfo struct {
	Name        string // what scalesim run NAME takes
	Description string // the scenario's one-line description
}

// builtinDir is the directory of the built-in scenarios in the embedded FS.
const builtinDir = "builtin"

// IsBuiltin reports whether name is a built-in scenario's name.
func IsBuiltin(name string) bool {
	if name == "" || !fs.ValidPath(name) || path.Base(name) != name || path.Ext(name) != "" {
		return false
	}
	_, err := fs.Stat(builtinFS, builtinDir+"/"+name+".yaml")
	return err == nil
}

// Builtin loads the built-in scenario called name, applying the --set
// flags. Messages name it builtin/NAME.yaml.
func Builtin(name string, sets []string) (*Scenario, error) {
	return DefaultSchema().Builtin(name, sets)
}

// Builtin is Builtin with the strategy families of schema sc.
func (sc *Schema) Builtin(name string, sets []string) (*Scenario, error) {
	if !IsBuiltin(name) {
		var names []string
		for _, b := range Builtins() {
			names = append(names, b.Name)
		}
		return nil, &Error{File: name, Msg: "no such built-in scenario", Hint: didYouMean(name, names)}
	}
	file := builtinDir + "/" + name + ".yaml"
	return sc.load(builtinFS, file, file, sets)
}

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []BuiltinInfo {
	entries, err := fs.ReadDir(builtinFS, builtinDir) // sorted by name
	if err != nil {
		return nil
	}
	var out []BuiltinInfo
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok || e.IsDir() {
			continue
		}
		out = append(out, BuiltinInfo{Name: name, Description: builtinDescription(builtinDir + "/" + e.Name())})
	}
	return out
}

// builtinDescription reads a built-in scenario's description key.
func builtinDescription(file string) string {
	data, err := fs.ReadFile(builtinFS, file)
	if err != nil {
		return ""
	}
	root, err := parseDocument(data, file)
	if err != nil {
		return ""
	}
	if n := mappingValue(root, "description"); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}
