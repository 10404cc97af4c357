package simtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// boundary is what the non-test files of one package (or package tree) may
// import besides the standard library. Patterns are paths relative to the
// module root (for module packages) or full import paths (third party); a
// trailing "/..." also matches every package below, and "..." alone matches
// everything.
type boundary struct {
	pkg         string   // package path relative to the module root
	subpackages bool     // the rule also covers pkg/...
	module      []string // module packages it may import
	moduleNot   []string // exceptions to module
	thirdParty  []string // third-party packages it may import
	stdNot      []string // standard-library packages it must not import
	scan        bool     // scan sources for wall-clock reads and global rand
}

// boundaries returns the module's import direction, enforced: each layer
// imports only the layers below it. sim and queueing (closed-form
// queueing results) are the bottom; workloads and
// strategies know sim only; models adds them; reports renders what models
// and workloads produce; scenarios ties everything together; records
// reads and writes AWS's records of a group and knows nothing else;
// calibrate sets scenarios' runs beside them; playground runs scenarios
// for the browser page, which only cmd/scalesim-wasm carries there; only
// the CLI and the test helpers may import anything. The core does no OS I/O and
// draws no OS randomness. A new package needs an entry here.
func boundaries() []boundary {
	coreStdNot := []string{"os/...", "crypto/rand"} // files come through an fs.FS or an Open func
	return []boundary{
		{pkg: "sim", stdNot: coreStdNot, scan: true},
		{pkg: "queueing", stdNot: coreStdNot, scan: true},
		{pkg: "workloads", module: []string{"sim"}, stdNot: coreStdNot, scan: true},
		{pkg: "strategies", module: []string{"sim"}, stdNot: coreStdNot, scan: true},
		{pkg: "records", stdNot: coreStdNot, scan: true},
		{
			pkg:        "models",
			module:     []string{"sim", "workloads", "strategies"},
			thirdParty: []string{"gonum.org/v1/gonum/..."},
			stdNot:     coreStdNot,
			scan:       true,
		},
		{
			pkg:         "reports",
			subpackages: true,
			module:      []string{"models", "strategies", "workloads", "sim", "queueing", "reports/..."},
			thirdParty: []string{
				"gonum.org/v1/gonum/...",
				"gonum.org/v1/plot/...",
				"github.com/HdrHistogram/hdrhistogram-go/...",
			},
			stdNot: []string{"crypto/rand"},
			scan:   true,
		},
		{
			pkg:        "scenarios",
			module:     []string{"..."},
			moduleNot:  []string{"cmd/...", "sim/simtest/..."},
			thirdParty: []string{"gopkg.in/yaml.v3/...", "gonum.org/v1/gonum/..."},
		},
		{
			pkg:       "calibrate",
			module:    []string{"..."},
			moduleNot: []string{"cmd/...", "sim/simtest/..."},
			scan:      true,
		},
		{
			pkg:    "playground",
			module: []string{"scenarios", "reports/...", "models", "strategies", "sim"},
			stdNot: coreStdNot,
			scan:   true,
		},
		{pkg: "cmd/scalesim", subpackages: true, module: []string{"..."}, thirdParty: []string{"..."}},
		{pkg: "cmd/scalesim-wasm", module: []string{"playground", "scenarios"}},
		{pkg: "sim/simtest", module: []string{"..."}, thirdParty: []string{"..."}},
	}
}

// randAllowed returns the selectors of math/rand/v2 that do not touch the
// global generator; any other exported name (Float64, IntN, ExpFloat64,
// Shuffle, N, ...) does.
func randAllowed() []string {
	return []string{"New", "NewPCG", "NewChaCha8", "NewZipf", "Rand", "Source", "PCG", "ChaCha8", "Zipf"}
}

// timeForbidden returns the selectors of package time that read or wait on
// the wall clock.
func timeForbidden() []string {
	return []string{"Now", "Since", "Until", "Sleep", "After", "AfterFunc", "Tick", "NewTicker", "NewTimer"}
}

// listedPackage holds the fields of `go list -json` that the check reads.
type listedPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Imports    []string
	Error      *struct{ Err string }
}

func TestImportBoundaries(t *testing.T) {
	checkBoundaries(t, nil, "sim", "sim/simtest")
}

// TestImportBoundariesWasm checks the packages of the browser playground's
// build (GOOS=js GOARCH=wasm), where its command's files are the ones
// compiled.
func TestImportBoundariesWasm(t *testing.T) {
	checkBoundaries(t, []string{"GOOS=js", "GOARCH=wasm"}, "cmd/scalesim-wasm", "playground")
}

// checkBoundaries lists the module with the environment variables env
// added, checks that go list reported the packages want, and reports every
// import-boundary violation.
func checkBoundaries(t *testing.T, env []string, want ...string) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipping the import-boundary check: the go command is not on PATH (%v)", err)
	}
	root, modPath, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	res, err := checkModule(goCmd, root, modPath, env)
	if err != nil {
		t.Fatal(err)
	}
	for _, note := range res.notes {
		t.Log(note)
	}
	for _, core := range want {
		if !slices.Contains(res.packages, core) {
			t.Errorf("go list did not report package %s: the check ran on the wrong tree", core)
		}
	}
	if len(res.violations) > 0 {
		t.Errorf("%d import-boundary violation(s) (rules in sim/simtest/imports_test.go: each layer imports only the layers below it):\n%s",
			len(res.violations), strings.Join(res.violations, "\n"))
	}
}

// checkResult is the outcome of checkModule.
type checkResult struct {
	packages   []string // module packages checked, relative to the root
	violations []string // "file:line: what", sorted
	notes      []string // packages go list could not load fully
}

// checkModule lists the module at root with one go list call (extra
// environment variables in env) and checks every package against
// boundaries().
func checkModule(goCmd, root, modPath string, env []string) (checkResult, error) {
	pkgs, err := goList(goCmd, root, env)
	if err != nil {
		return checkResult{}, err
	}
	var res checkResult
	for _, p := range pkgs {
		if p.Error != nil {
			res.notes = append(res.notes, fmt.Sprintf("note: go list reports %s: %s (checked what it could load)", p.ImportPath, p.Error.Err))
		}
		rel, ok := relPath(p.ImportPath, modPath)
		if !ok {
			continue
		}
		res.packages = append(res.packages, rel)
		res.violations = append(res.violations, checkPackage(root, modPath, rel, p)...)
	}
	slices.Sort(res.violations)
	return res, nil
}

// checkPackage returns the violations of one module package.
func checkPackage(root, modPath, rel string, p listedPackage) []string {
	files := make([]*parsedFile, 0, len(p.GoFiles)+len(p.CgoFiles))
	var out []string
	for _, name := range append(slices.Clone(p.GoFiles), p.CgoFiles...) {
		f, err := parseFile(root, filepath.Join(p.Dir, name))
		if err != nil {
			out = append(out, err.Error())
			continue
		}
		files = append(files, f)
	}
	b, ok := ruleFor(rel)
	if !ok {
		return append(out, fmt.Sprintf("%s: package %s has no entry in the import-boundary table; add one to sim/simtest/imports_test.go",
			relDir(root, p.Dir), rel))
	}
	for _, imp := range p.Imports {
		if reason := importViolation(b, modPath, imp); reason != "" {
			out = append(out, fmt.Sprintf("%s: %s imports %q: %s", importPos(files, imp, relDir(root, p.Dir)), rel, imp, reason))
		}
	}
	if b.scan {
		for _, f := range files {
			out = append(out, scanFile(f)...)
		}
	}
	return out
}

// ruleFor returns the boundary that governs the package at rel.
func ruleFor(rel string) (boundary, bool) {
	for _, b := range boundaries() {
		if rel == b.pkg || (b.subpackages && strings.HasPrefix(rel, b.pkg+"/")) {
			return b, true
		}
	}
	return boundary{}, false
}

// importViolation returns why b forbids imp, or "" if it is allowed.
func importViolation(b boundary, modPath, imp string) string {
	if imp == "math/rand" {
		return "math/rand (v1) is forbidden everywhere; use math/rand/v2 through a *rand.Rand passed in"
	}
	if rel, ok := relPath(imp, modPath); ok {
		if !matchAny(b.module, rel) || matchAny(b.moduleNot, rel) {
			return "module package not allowed here"
		}
		return ""
	}
	if first, _, _ := strings.Cut(imp, "/"); !strings.Contains(first, ".") {
		if matchAny(b.stdNot, imp) {
			return "standard package forbidden here (the core does no OS I/O and draws no OS randomness: files come through an fs.FS or an Open func)"
		}
		return ""
	}
	if !matchAny(b.thirdParty, imp) {
		return "third-party package not allowed here"
	}
	return ""
}

// matchAny reports whether path matches one of the patterns.
func matchAny(patterns []string, path string) bool {
	for _, pat := range patterns {
		if pat == "..." || pat == path {
			return true
		}
		if base, ok := strings.CutSuffix(pat, "/..."); ok && (path == base || strings.HasPrefix(path, base+"/")) {
			return true
		}
	}
	return false
}

// parsedFile is one non-test source file, named relative to the module root.
type parsedFile struct {
	name string
	fset *token.FileSet
	ast  *ast.File
}

func parseFile(root, path string) (*parsedFile, error) {
	fset := token.NewFileSet()
	name := relDir(root, path)
	// Object resolution stays on: a package name is an unresolved
	// identifier, so a local variable called rand or time is not mistaken
	// for the package.
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot parse for the import-boundary scan: %w", name, err)
	}
	return &parsedFile{name: name, fset: fset, ast: f}, nil
}

// importPos returns "file:line" of the import of imp in files, or dir.
func importPos(files []*parsedFile, imp, dir string) string {
	for _, f := range files {
		for _, spec := range f.ast.Imports {
			if path, err := strconv.Unquote(spec.Path.Value); err == nil && path == imp {
				return fmt.Sprintf("%s:%d", f.name, f.fset.Position(spec.Pos()).Line)
			}
		}
	}
	return dir
}

// scanFile returns the file's uses of the wall clock and of the global
// math/rand/v2 generator.
func scanFile(f *parsedFile) []string {
	randName, timeName := importName(f.ast, "math/rand/v2", "rand"), importName(f.ast, "time", "time")
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s:%d: ", f.name, f.fset.Position(n.Pos()).Line)+fmt.Sprintf(format, args...))
	}
	for _, name := range []string{randName, timeName} {
		if name == "." {
			report(f.ast, "dot import hides wall-clock or global-rand calls from this check")
		}
	}
	ast.Inspect(f.ast, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || id.Obj != nil { // id.Obj != nil: a local name, not a package
			return true
		}
		switch name := sel.Sel.Name; {
		case id.Name == randName && ast.IsExported(name) && !slices.Contains(randAllowed(), name):
			report(sel, "%s.%s uses the global math/rand/v2 generator; draw from a *rand.Rand passed in", id.Name, name)
		case id.Name == timeName && slices.Contains(timeForbidden(), name):
			report(sel, "%s.%s reads the wall clock; simulated time is passed in as sim.Time", id.Name, name)
		}
		return true
	})
	return out
}

// importName returns the name under which f imports path ("" if it does
// not), defaulting to def.
func importName(f *ast.File, path, def string) string {
	for _, spec := range f.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err != nil || p != path {
			continue
		}
		if spec.Name != nil {
			if spec.Name.Name == "_" {
				return ""
			}
			return spec.Name.Name
		}
		return def
	}
	return ""
}

// goList runs one `go list -e -json ./...` in the module root, with env
// added to the environment.
func goList(goCmd, root string, env []string) ([]listedPackage, error) {
	cmd := exec.Command(goCmd, "list", "-e", "-json=ImportPath,Dir,GoFiles,CgoFiles,Imports,Error", "./...")
	cmd.Dir = root
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list in %s: %w\n%s", root, err, stderr.Bytes())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(&stdout)
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("decoding go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}

// moduleRoot walks up from the working directory to the directory holding
// go.mod and returns it with the module path.
func moduleRoot() (dir, modPath string, err error) {
	dir, err = os.Getwd()
	if err != nil {
		return "", "", fmt.Errorf("finding the module root: %w", err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(rest), `"`), nil
				}
			}
			return "", "", fmt.Errorf("%s: no module line", filepath.Join(dir, "go.mod"))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// relPath returns imp relative to the module path, if it is in the module.
func relPath(imp, modPath string) (string, bool) {
	if imp == modPath {
		return ".", true
	}
	return strings.CutPrefix(imp, modPath+"/")
}

// relDir returns path relative to root, slash-separated.
func relDir(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}
