package scenarios

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// checkFuzzResult asserts the loader's contract on arbitrary input: an
// error is an input error rendered on one line; a scenario renders to YAML
// that loads back to the same Spec.
func checkFuzzResult(t *testing.T, fsys fstest.MapFS, sc *Scenario, err error) {
	t.Helper()
	if err != nil {
		if !IsInputError(err) {
			t.Fatalf("not an input error: %T %v", err, err)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || msg == "" {
			t.Fatalf("message is not one line: %q", msg)
		}
		return
	}
	y, err := sc.YAML()
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	fsys["dir/resolved.yaml"] = &fstest.MapFile{Data: y}
	again, err := Load(fsys, "dir/resolved.yaml", nil)
	if err != nil {
		t.Fatalf("resolved scenario does not load: %v\n%s", err, y)
	}
	if !reflect.DeepEqual(again.Spec, sc.Spec) {
		t.Fatalf("resolved scenario loads differently:\n%+v\n%+v\n%s", sc.Spec, again.Spec, y)
	}
}

// fuzzFS is the file system fuzzed scenarios live in, with a trace and a
// samples file they may name.
func fuzzFS(scenario []byte) fstest.MapFS {
	return fstest.MapFS{
		"dir/s.yaml":   {Data: scenario},
		"dir/t.csv":    {Data: []byte("0\n0.5\n1.25\n")},
		"dir/lat.txt":  {Data: []byte("10ms\n0.02\n")},
		"dir/bad.yaml": {Data: []byte("x")},
	}
}

// seedFiles returns every built-in scenario and every bad one.
func seedFiles(t interface{ Fatal(...any) }) [][]byte {
	var out [][]byte
	for _, b := range Builtins() {
		data, err := fs.ReadFile(builtinFS, builtinDir+"/"+b.Name+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "testdata/two.yaml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return append(out, []byte(valid))
}

func FuzzLoadScenario(f *testing.F) {
	for _, data := range seedFiles(f) {
		f.Add(data)
	}
	f.Add([]byte("name: x\nduration: 1h\nworkload: {type: trace, path: t.csv, format: timestamps}\nservice: {time: {dist: empirical, path: lat.txt}}\nstrategies: [{name: a, type: static, instance_type: m5.large, count: 1}]\n"))
	f.Add([]byte("base: &b {type: static, instance_type: m5.large, count: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fuzzFS(data)
		sc, err := Load(fsys, "dir/s.yaml", nil)
		checkFuzzResult(t, fsys, sc, err)
	})
}

func FuzzSetPath(f *testing.F) {
	for _, s := range []string{
		"workload.rate=500", "service.timeout=2s", "strategies.small.count=7", "strategies.asg.policy.target=60",
		"workload.steps=[{at: 0s, rate: 5}]", "workload={type: steps, steps: [{at: 0s, rate: 5}]}",
		"workload.rat=5", "strategies.nope.max=3", "=", "a.b.c.d=", "seed=-1", "duration=1e400",
		"strategies.0.name=x y", "strategies=[]", "slo={latency: 5}", "workload.type=trace",
		"service.time={dist: empirical, path: lat.txt}", "load_balancer.routing=random",
	} {
		f.Add(s, "")
		f.Add(s, "seed=3")
	}
	f.Fuzz(func(t *testing.T, set1, set2 string) {
		fsys := fuzzFS([]byte(valid))
		sc, err := Load(fsys, "dir/s.yaml", []string{set1, set2})
		checkFuzzResult(t, fsys, sc, err)
	})
}
