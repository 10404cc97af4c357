package simtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// importFixture is a small module that breaks each rule once, plus lines
// that look like violations but are not.
func importFixture() map[string]string {
	return map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.21\n",
		"sim/a.go": `package sim

import (
	"math/rand"
	"os"

	"example.com/m/models"
	"example.com/other/pkg"
)

var _, _, _, _ = rand.Int, os.Args, models.X, pkg.Y
`,
		"sim/b.go": `package sim

import (
	mrand "math/rand/v2"
	"time"
)

// time.Now() and mrand.Float64() in a comment are fine.
func f(r *mrand.Rand) float64 {
	t0 := time.Now()
	_ = time.Since(t0)
	d, _ := time.ParseDuration("1s")
	_ = mrand.New(mrand.NewPCG(1, 2))
	_ = mrand.IntN(3)
	g := mrand.Float64
	_ = g
	return r.Float64() + mrand.ExpFloat64() + d.Seconds()
}

func h() int {
	time := struct{ Now func() int }{} // a local name, not the package
	return time.Now()
}
`,
		"sim/b_test.go": `package sim

import (
	"math/rand/v2"
	"os"
	"time"
)

var _, _, _ = rand.Float64(), time.Now(), os.Args
`,
		"models/m.go": `package models

import (
	"example.com/m/reports"
	"example.com/m/sim"
	"gonum.org/v1/gonum/stat/distuv"
)

const X = 1

var _, _, _ = reports.Z, sim.W, distuv.Normal{}
`,
		"reports/r.go": `package reports

import (
	"github.com/HdrHistogram/hdrhistogram-go"
	"gopkg.in/yaml.v3"
)

const Z = 1

var _, _ = hdrhistogram.New, yaml.Marshal
`,
		"extra/e.go":           "package extra\n\nconst E = 1\n",
		"cmd/scalesim/main.go": "package main\n\nimport \"math/rand\"\n\nfunc main() { _ = rand.Int() }\n",
	}
}

func TestImportBoundariesCatchViolations(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipping: the go command is not on PATH (%v)", err)
	}
	root := t.TempDir()
	for name, src := range importFixture() { // independent writes: order does not matter
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"GOFLAGS=", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local"}
	res, err := checkModule(goCmd, root, "example.com/m", env)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ // sorted as the violations are
		`cmd/scalesim/main.go:3: cmd/scalesim imports "math/rand": math/rand (v1)`,
		`extra: package extra has no entry`,
		`models/m.go:4: models imports "example.com/m/reports": module package`,
		`reports/r.go:5: reports imports "gopkg.in/yaml.v3": third-party`,
		`sim/a.go:4: sim imports "math/rand": math/rand (v1)`,
		`sim/a.go:5: sim imports "os": standard package`,
		`sim/a.go:7: sim imports "example.com/m/models": module package`,
		`sim/a.go:8: sim imports "example.com/other/pkg": third-party`,
		`sim/b.go:10: time.Now reads the wall clock`,
		`sim/b.go:11: time.Since reads the wall clock`,
		`sim/b.go:14: mrand.IntN uses the global`,
		`sim/b.go:15: mrand.Float64 uses the global`,
		`sim/b.go:17: mrand.ExpFloat64 uses the global`,
	}
	ok := len(res.violations) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(res.violations[i], want[i])
	}
	if !ok {
		t.Errorf("violations:\n%s\nwant (prefixes):\n%s", strings.Join(res.violations, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range []string{"sim", "models", "reports", "extra", "cmd/scalesim"} {
		if !slices.Contains(res.packages, p) {
			t.Errorf("package %s not checked; checked %q", p, res.packages)
		}
	}
}

func TestImportViolationRules(t *testing.T) {
	const mod = "example.com/m"
	tests := []struct {
		pkg, imp string
		allowed  bool
	}{
		{"sim", "time", true},
		{"sim", "os", false},
		{"sim", "os/exec", false},
		{"sim", "crypto/rand", false},
		{"sim", mod + "/sim/simtest", false},
		{"workloads", mod + "/sim", true},
		{"workloads", mod + "/strategies", false},
		{"workloads", "io/fs", true},
		{"strategies", mod + "/workloads", false},
		{"models", mod + "/workloads", true},
		{"models", "gonum.org/v1/gonum/stat/distuv", true},
		{"models", "gonum.org/v1/plot", false},
		{"models", "gonum.org/v1/gonumx", false},
		{"reports/charts", mod + "/reports", true},
		{"reports/html", mod + "/reports/charts", true},
		{"reports", "gonum.org/v1/plot/plotter", true},
		{"reports", "github.com/HdrHistogram/hdrhistogram-go", true},
		{"reports", "os", true},
		{"reports", mod + "/scenarios", false},
		{"reports", mod + "/workloads", true},
		{"scenarios", mod + "/reports/html", true},
		{"scenarios", mod + "/workloads", true},
		{"scenarios", mod + "/cmd/scalesim", false},
		{"scenarios", mod + "/sim/simtest", false},
		{"scenarios", "gopkg.in/yaml.v3", true},
		{"scenarios", "github.com/spf13/cobra", false},
		{"cmd/scalesim", "github.com/spf13/cobra", true},
		{"cmd/scalesim", mod + "/scenarios", true},
		{"cmd/scalesim", "math/rand", false},
		{"sim/simtest", "gonum.org/v1/gonum/stat", true},
		{"sim/simtest", "math/rand", false},
	}
	for _, tc := range tests {
		b, ok := ruleFor(tc.pkg)
		if !ok {
			t.Errorf("no rule for %s", tc.pkg)
			continue
		}
		reason := importViolation(b, mod, tc.imp)
		if got := reason == ""; got != tc.allowed {
			t.Errorf("%s importing %s: allowed = %v (%q), want %v", tc.pkg, tc.imp, got, reason, tc.allowed)
		}
	}
	for _, pkg := range []string{"models/internal", "simx", "sim/other", "."} {
		if _, ok := ruleFor(pkg); ok {
			t.Errorf("ruleFor(%q) found a rule, want none", pkg)
		}
	}
}
