package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
)

func loadTransient(t *testing.T, sets ...string) *Scenario {
	t.Helper()
	sc, err := Load(os.DirFS("testdata"), "transient.yaml", sets)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestWarmupAuto: the small fleet is swamped for its first five minutes
// and recovers in the sixth; MSER-5 (in batches of five minutes) must cut
// at least those two batches and at most half the run. The big fleet has
// no transient.
func TestWarmupAuto(t *testing.T) {
	sc := loadTransient(t)
	if !sc.Spec.WarmupAuto || sc.Spec.Warmup != 0 {
		t.Fatalf("warmup: auto loaded as %v, auto %v", sc.Spec.Warmup, sc.Spec.WarmupAuto)
	}
	res, err := Run(context.Background(), sc, RunOptions{Workers: 1, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	small, big := res.Strategies[0], res.Strategies[1]
	if small.WarmupCutS < 600 || small.WarmupCutS > 1800 || small.WarmupCutS != float64(int(small.WarmupCutS)/60*60) {
		t.Errorf("small: cut %v s, want whole minutes from 10 to 30", small.WarmupCutS)
	}
	if big.WarmupCutS != 0 || len(big.Notes) != 1 || !strings.Contains(big.Notes[0], "no initial transient") {
		t.Errorf("big: cut %v s, notes %q; want 0 and a note", big.WarmupCutS, big.Notes)
	}
	if res.WarmupS != 0 {
		t.Errorf("warmup_s %v with warmup: auto, want 0 (the cut is per strategy)", res.WarmupS)
	}

	// The cut is the warm-up of every replication: the same figures as a
	// run told to use it.
	cut := sim.Duration(small.WarmupCutS) * sim.Second
	fixed, err := Run(context.Background(), loadTransient(t, "warmup="+cut.String()), RunOptions{Strategies: []string{"small"}, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := small
	got.WarmupCutS, got.Notes = 0, nil
	if a, b := summaryJSON(t, got), summaryJSON(t, fixed.Strategies[0]); a != b {
		t.Errorf("auto cut of %v differs from warmup: %v:\n%s\n%s", cut, cut, a, b)
	}
	// Replication 0's detail is that of the cut run too.
	if !reflect.DeepEqual(seriesOf(res, "small"), fixed.Series) || len(res.Distributions) != 2 {
		t.Error("the series of the auto warm-up run is not the cut run's")
	}
	// The worker count changes nothing.
	two, err := Run(context.Background(), sc, RunOptions{Workers: 2, Replications: 2, Strategies: []string{"small"}})
	if err != nil {
		t.Fatal(err)
	}
	if summaryJSON(t, two.Strategies[0]) != summaryJSON(t, small) {
		t.Error("warmup: auto depends on the number of workers")
	}
}

func summaryJSON(t *testing.T, s reports.StrategySummary) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWarmupAutoYAML(t *testing.T) {
	sc := loadTransient(t)
	y, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(y, []byte("\nwarmup: auto\n")) {
		t.Errorf("resolved YAML does not keep warmup: auto:\n%s", y)
	}
	back, err := Load(testFS(string(y)), "dir/s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Spec, sc.Spec) {
		t.Errorf("reloaded spec differs:\n%+v\n%+v", back.Spec, sc.Spec)
	}
	// --set turns it on and off.
	if s := loadTwo(t, "warmup=auto"); !s.Spec.WarmupAuto || s.Spec.Warmup != 0 {
		t.Errorf("--set warmup=auto: %v, auto %v", s.Spec.Warmup, s.Spec.WarmupAuto)
	}
	if s := loadTransient(t, "warmup=2m"); s.Spec.WarmupAuto || s.Spec.Warmup != 2*sim.Minute {
		t.Errorf("--set warmup=2m over auto: %v, auto %v", s.Spec.Warmup, s.Spec.WarmupAuto)
	}
	if s := loadTwo(t); s.Spec.WarmupAuto {
		t.Error("warmup: 1m loaded as auto")
	}
	// Only "auto" is a word it takes, and only for warmup.
	_, err = Load(os.DirFS("testdata"), "two.yaml", []string{"warmup=soon"})
	if e := checkInputError(t, err, "--set warmup=soon"); !strings.Contains(e.Hint, `"auto"`) {
		t.Errorf("hint %q does not offer auto", e.Hint)
	}
	_, err = Load(os.DirFS("testdata"), "two.yaml", []string{"slo.latency=auto"})
	if e := checkInputError(t, err, "--set slo.latency=auto"); strings.Contains(e.Hint, "auto") {
		t.Errorf("slo.latency offered auto: %q", e.Hint)
	}
}
