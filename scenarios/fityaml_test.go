package scenarios

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
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
