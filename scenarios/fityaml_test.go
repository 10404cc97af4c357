package scenarios

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// TestFitTimeSpec checks a fit is written to 3 significant digits, with
// the keys of its distribution only.
func TestFitTimeSpec(t *testing.T) {
	cases := []struct {
		in   models.DistConfig
		want TimeSpec
	}{
		{models.DistConfig{Dist: models.DistLognormal, Median: 0.0423178, P99: 0.31, Mean: 9},
			TimeSpec{Dist: models.DistLognormal, Median: 42300 * sim.Microsecond, P99: 310 * sim.Millisecond}},
		{models.DistConfig{Dist: models.DistGamma, Mean: 0.000851, CV: 0.123456},
			TimeSpec{Dist: models.DistGamma, Mean: 851 * sim.Microsecond, CV: 0.123}},
		{models.DistConfig{Dist: models.DistExponential, Mean: 123.4},
			TimeSpec{Dist: models.DistExponential, Mean: 123 * sim.Second}},
	}
	for _, c := range cases {
		if got := FitTimeSpec(c.in); got != c.want {
			t.Errorf("FitTimeSpec(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

// TestServiceYAML renders service-time blocks and pastes each into a
// scenario: it loads back to the same distribution. The time line is the
// block's line.
func TestServiceYAML(t *testing.T) {
	samples := "lat: a#b c.txt" // a path YAML must quote
	for _, ts := range []TimeSpec{
		FitTimeSpec(models.DistConfig{Dist: models.DistLognormal, Median: 0.0423, P99: 0.31}),
		FitTimeSpec(models.DistConfig{Dist: models.DistGamma, Mean: 0.05, CV: 1.5}),
		FitTimeSpec(models.DistConfig{Dist: models.DistExponential, Mean: 0.02}),
		{Dist: models.DistEmpirical, Path: samples},
	} {
		block, err := ServiceYAML(ts)
		if err != nil {
			t.Fatal(err)
		}
		line, err := ServiceTimeYAML(ts)
		if err != nil {
			t.Fatal(err)
		}
		if string(block) != "service:\n  "+string(line) || strings.Count(string(line), "\n") != 1 {
			t.Errorf("%+v: block %q does not hold the line %q", ts, block, line)
		}
		text := "name: y\nduration: 10m\nworkload: {type: poisson, rate: 1}\n" + string(block) +
			"strategies: [{name: a, type: static, instance_type: m5.large, count: 1}]\n"
		fsys := fstest.MapFS{"s.yaml": {Data: []byte(text)}, samples: {Data: []byte("10ms\n20ms\n")}}
		sc, err := Load(fsys, "s.yaml", nil)
		if err != nil {
			t.Fatalf("%+v: the block does not load:\n%s%v", ts, text, err)
		}
		if got := sc.Spec.Service.Time; got != ts {
			t.Errorf("loaded back %+v, want %+v, from\n%s", got, ts, block)
		}
	}
}

// TestFitReport: durations drawn from an exponential of mean 50 ms fit
// best as an exponential of about that mean, and the report carries the
// block to paste; nothing to fit is an error naming the recording.
func TestFitReport(t *testing.T) {
	var data models.FitData
	r := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		if err := data.Add(r.ExpFloat64() * 0.05); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := FitReport("lat.txt", workloads.ServiceTimeInfo{Samples: 20_000}, &data)
	if err != nil {
		t.Fatal(err)
	}
	best := rep.Fits[rep.Best]
	if best.Dist != models.DistExponential || math.Abs(best.Config.Mean-0.05) > 0.002 {
		t.Errorf("best fit %s, mean %v; want an exponential of about 50ms", best.Dist, best.Config.Mean)
	}
	if !strings.HasPrefix(rep.TimeYAML, "time: {dist: exponential, mean: ") || !strings.HasPrefix(rep.ServiceYAML, "service:\n  time: {dist: exponential") {
		t.Errorf("blocks %q, %q", rep.TimeYAML, rep.ServiceYAML)
	}
	if _, err := FitReport("empty.txt", workloads.ServiceTimeInfo{}, &models.FitData{}); err == nil || !strings.HasPrefix(err.Error(), "empty.txt: ") {
		t.Errorf("nothing to fit: %v", err)
	}
}

// TestSamplesRoundTrip: service times written by SamplesWriter load back,
// value for value, as an empirical distribution's samples.
func TestSamplesRoundTrip(t *testing.T) {
	want := []float64{0.042123456, 1.5, 0.000000001, 3600, 0.25}
	var buf strings.Builder
	w := NewSamplesWriter(&buf)
	for _, s := range want {
		if err := w.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	fsys := testFS(strings.Replace(valid, "time: {dist: exponential, mean: 50ms}", "time: {dist: empirical, path: lat.txt}", 1))
	if !strings.Contains(string(fsys["dir/s.yaml"].Data), "empirical") {
		t.Fatal("the test scenario has no service.time to replace")
	}
	fsys["dir/lat.txt"] = &fstest.MapFile{Data: []byte(buf.String())}
	sc, err := Load(fsys, "dir/s.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[float64]bool{}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		got[sc.demand.Sample(r)] = true
	}
	for _, s := range want {
		if !got[s] {
			t.Errorf("sample %v did not come back (drew %v)", s, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("drew %d distinct values, want the %d written", len(got), len(want))
	}
}
