package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
)

// WriteJSON writes r as the JSON summary of docs/outputs.md: indented by two
// spaces, keys in the order of the struct fields (map keys sorted), every
// float rounded to 6 significant digits, HTML characters not escaped, and
// a trailing newline. The time series is not part of it. A NaN or infinite
// figure is an error.
func WriteJSON(w io.Writer, r *Result) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(roundedResult(r)); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// roundedResult returns a copy of r's summary with every float rounded to
// renderSigDigits significant digits and the slices never nil (so they
// render as [], not null).
func roundedResult(r *Result) *Result {
	c := *r
	c.Series = nil
	c.DurationS = roundSig(c.DurationS, renderSigDigits)
	c.WarmupS = roundSig(c.WarmupS, renderSigDigits)
	c.SLOLatencyMS = roundSig(c.SLOLatencyMS, renderSigDigits)
	c.Strategies = make([]StrategySummary, len(r.Strategies))
	for i, s := range r.Strategies {
		c.Strategies[i] = roundedSummary(s)
	}
	if r.Comparisons != nil {
		c.Comparisons = make([]Comparison, len(r.Comparisons))
		for i, cmp := range r.Comparisons {
			c.Comparisons[i] = Comparison{Strategy: cmp.Strategy, Deltas: make([]Delta, len(cmp.Deltas))}
			for j, d := range cmp.Deltas {
				for _, x := range []*float64{&d.Baseline, &d.Value, &d.Diff, &d.HalfWidth} {
					*x = roundSig(*x, renderSigDigits)
				}
				c.Comparisons[i].Deltas[j] = d
			}
		}
	}
	return &c
}

// roundedSummary returns s with every float figure (the table's stored
// figures that are not whole numbers) and half-width rounded.
func roundedSummary(s StrategySummary) StrategySummary {
	for _, f := range figureDefs {
		if f.stored() && !f.value.integer {
			v, _ := f.value.get(&s)
			f.value.set(&s, roundSig(v, renderSigDigits))
		}
	}
	if s.CI95HalfWidth != nil {
		ci := maps.Clone(s.CI95HalfWidth)
		for k, v := range ci {
			ci[k] = roundSig(v, renderSigDigits)
		}
		s.CI95HalfWidth = ci
	}
	return s
}
