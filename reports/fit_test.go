package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// TestFitDuration checks fitted times are written to 3 significant
// digits.
func TestFitDuration(t *testing.T) {
	for _, c := range []struct {
		s    float64
		want string
	}{{0.0423178, "42.3ms"}, {0.31, "310ms"}, {1.25, "1.25s"}, {0.000851, "851µs"}, {123.4, "2m3s"}, {0.05, "50ms"}} {
		if got := FitDuration(c.s).String(); got != c.want {
			t.Errorf("FitDuration(%v) = %q, want %q", c.s, got, c.want)
		}
	}
	if got := FitDuration(1e300); got != sim.Duration(math.MaxInt64) {
		t.Errorf("FitDuration(1e300) = %v, want the longest duration", got)
	}
	if got := FitCV(0.123456); got != 0.123 {
		t.Errorf("FitCV(0.123456) = %v", got)
	}
}

// fitReport is a report of three fits whose first a scenario cannot use.
func fitReport() FitReport {
	return FitReport{
		Trace: "logs",
		Info:  workloads.ServiceTimeInfo{Samples: 1000, NotServed: 2, Zero: 3},
		Fits: []models.Fit{
			{Dist: models.DistGamma, Config: models.DistConfig{Dist: models.DistGamma, Mean: 0.0501234, CV: 6.54321}, KS: 0.01234, AIC: -1000.04},
			{Dist: models.DistLognormal, Config: models.DistConfig{Dist: models.DistLognormal, Median: 0.0423178, P99: 0.31}, KS: 0.02, AIC: -990, LogLik: 497.1234567},
			{Dist: models.DistExponential, Config: models.DistConfig{Dist: models.DistExponential, Mean: 0.05}, KS: 0.1, AIC: -900},
		},
		Best: 1, Note: "the gamma fit ranks first but a scenario cannot use it",
		TimeYAML:    "time: {dist: lognormal, median: 42.3ms, p99: 310ms}\n",
		ServiceYAML: "service:\n  time: {dist: lognormal, median: 42.3ms, p99: 310ms}\n",
	}
}

// TestFitTable checks the table: the summary, a row per fit with its
// parameters as a scenario writes them, the best fit with the note, and
// the service block as given.
func TestFitTable(t *testing.T) {
	var b bytes.Buffer
	if err := fitReport().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"1000 durations; left out: 2 with timing -1 (not dispatched, or the target closed or timed out), 3 of 0 (below the recording's resolution)\n\n",
		"gamma        mean: 50.1ms, cv: 6.54      0.0123  -1000.0\n",
		"lognormal    median: 42.3ms, p99: 310ms  0.0200   -990.0\n",
		"exponential  mean: 50ms                  0.1000   -900.0\n",
		"\n# best fit by AIC: lognormal (KS distance 0.0200); the gamma fit ranks first but a scenario cannot use it\n" +
			"service:\n  time: {dist: lognormal, median: 42.3ms, p99: 310ms}\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "310ms}\n") {
		t.Errorf("the table does not end with the service block:\n%s", out)
	}
}

// TestFitJSON checks the JSON: the best fit by name, its time line without
// the newline, figures to 6 significant digits, an empty warning list.
func TestFitJSON(t *testing.T) {
	var b bytes.Buffer
	if err := fitReport().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Trace, Best, Note, YAML string
		Samples                 int64
		Warnings                []string
		Fits                    []struct {
			Dist   string
			MeanS  float64 `json:"mean_s"`
			LogLik float64 `json:"log_likelihood"`
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Trace != "logs" || got.Best != "lognormal" || got.YAML != "time: {dist: lognormal, median: 42.3ms, p99: 310ms}" ||
		got.Samples != 1000 || got.Warnings == nil || len(got.Fits) != 3 || got.Fits[0].MeanS != 0.0501234 || got.Fits[1].LogLik != 497.123 ||
		!strings.Contains(b.String(), `"warnings": []`) {
		t.Errorf("JSON:\n%s", b.String())
	}
}
