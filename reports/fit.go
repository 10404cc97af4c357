package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// The rendering of service-time fits (models.FitServiceTimes), as `scalesim
// trace fit` prints them.

// fitDigits is the precision of a fitted parameter as a scenario writes it.
const fitDigits = 3

// FitDuration is a fitted time in seconds as a scenario writes it: a
// duration to 3 significant digits (saturating at the longest Duration).
func FitDuration(seconds float64) sim.Duration {
	ns := roundSig(seconds*1e9, fitDigits)
	if ns >= math.MaxInt64 {
		return sim.Duration(math.MaxInt64)
	}
	return sim.Duration(math.Round(ns))
}

// FitCV is a fitted coefficient of variation as a scenario writes it, to 3
// significant digits.
func FitCV(cv float64) float64 { return roundSig(cv, fitDigits) }

// FitReport is what a fit of service times found: the durations read,
// the fits ranked best first, the one a scenario should use and its
// service.time block.
type FitReport struct {
	Trace string // the file read
	Info  workloads.ServiceTimeInfo
	Fits  []models.Fit // best first (models.FitServiceTimes)
	Best  int          // the fit to use (models.BestFit)
	Note  string       // why Best is not the first fit, or ""
	// TimeYAML is the best fit's "time: {...}" line, and ServiceYAML the
	// whole "service:" block holding it, as a scenario writes them
	// (scenarios.ServiceTimeYAML and ServiceYAML).
	TimeYAML, ServiceYAML string
}

// fitParams describes a fit's parameters as a scenario writes them.
func fitParams(f models.Fit) string {
	switch f.Dist {
	case models.DistLognormal:
		return "median: " + FitDuration(f.Config.Median).String() + ", p99: " + FitDuration(f.Config.P99).String()
	case models.DistGamma:
		return "mean: " + FitDuration(f.Config.Mean).String() + ", cv: " + strconv.FormatFloat(FitCV(f.Config.CV), 'g', -1, 64)
	}
	return "mean: " + FitDuration(f.Config.Mean).String()
}

// summary says how many durations were read and which were left out.
func (r FitReport) summary() string {
	s := fmt.Sprintf("%d durations", r.Info.Samples)
	var left []string
	if r.Info.NotServed > 0 {
		left = append(left, fmt.Sprintf("%d with timing -1 (not dispatched, or the target closed or timed out)", r.Info.NotServed))
	}
	if r.Info.Zero > 0 {
		left = append(left, fmt.Sprintf("%d of 0 (below the recording's resolution)", r.Info.Zero))
	}
	if len(left) > 0 {
		s += "; left out: " + strings.Join(left, ", ")
	}
	return s
}

// WriteTable writes the fits as a table (distribution, parameters, KS
// distance, AIC) under a summary of the durations, then the best fit and
// its service block.
func (r FitReport) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", r.summary())
	header := []string{"DIST", "PARAMETERS", "KS", "AIC"}
	right := []bool{false, false, true, true}
	var rows [][]string
	for _, f := range r.Fits {
		rows = append(rows, []string{f.Dist, fitParams(f), strconv.FormatFloat(f.KS, 'f', 4, 64), strconv.FormatFloat(f.AIC, 'f', 1, 64)})
	}
	b.WriteString(Columns{Header: header, Rows: rows, Right: right}.String())
	best := r.Fits[r.Best]
	fmt.Fprintf(&b, "\n# best fit by AIC: %s (KS distance %.4f)", best.Dist, best.KS)
	if r.Note != "" {
		b.WriteString("; " + r.Note)
	}
	b.WriteString("\n" + r.ServiceYAML)
	_, err := io.WriteString(w, b.String())
	return err
}

// fitJSON is the JSON of a FitReport.
type fitJSON struct {
	Trace     string        `json:"trace"`
	Samples   int64         `json:"samples"`
	NotServed int64         `json:"not_served"`
	Zero      int64         `json:"zero"`
	Fits      []fitItemJSON `json:"fits"`
	Best      string        `json:"best"`
	Note      string        `json:"note,omitempty"`
	YAML      string        `json:"yaml"`
	Warnings  []string      `json:"warnings"`
}

// fitItemJSON is the JSON of one fit.
type fitItemJSON struct {
	Dist    string  `json:"dist"`
	MeanS   float64 `json:"mean_s,omitempty"`
	MedianS float64 `json:"median_s,omitempty"`
	P99S    float64 `json:"p99_s,omitempty"`
	CV      float64 `json:"cv,omitempty"`
	KS      float64 `json:"ks"`
	AIC     float64 `json:"aic"`
	LogLik  float64 `json:"log_likelihood"`
}

// WriteJSON writes the report as indented JSON, figures rounded to 6
// significant digits; yaml is the best fit's time line.
func (r FitReport) WriteJSON(w io.Writer) error {
	r6 := func(x float64) float64 { return roundSig(x, renderSigDigits) }
	out := fitJSON{Trace: r.Trace, Samples: r.Info.Samples, NotServed: r.Info.NotServed, Zero: r.Info.Zero,
		Best: r.Fits[r.Best].Dist, Note: r.Note, YAML: strings.TrimSuffix(r.TimeYAML, "\n"), Warnings: r.Info.Warnings}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, f := range r.Fits {
		out.Fits = append(out.Fits, fitItemJSON{Dist: f.Dist, MeanS: r6(f.Config.Mean), MedianS: r6(f.Config.Median),
			P99S: r6(f.Config.P99), CV: r6(f.Config.CV), KS: r6(f.KS), AIC: r6(f.AIC), LogLik: r6(f.LogLik)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
