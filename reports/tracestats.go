package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/scalesim/scalesim/workloads"
)

// The rendering of a trace's statistics (workloads.Stats), as `scalesim
// trace stats` prints them: a table for people, JSON for programs.

// traceClock formats instants of a trace: UTC date-times, or seconds.
type traceClock struct{ dateTime bool }

// at formats an instant for the table.
func (c traceClock) at(ns int64) string {
	if !c.dateTime {
		return strconv.FormatFloat(float64(ns)/1e9, 'f', -1, 64) + " s"
	}
	t := time.Unix(0, ns).UTC()
	if t.Nanosecond() == 0 {
		return t.Format(time.DateTime) + " UTC"
	}
	return t.Format("2006-01-02 15:04:05.999999999") + " UTC"
}

// rfc formats an instant for JSON: RFC 3339, or "" for plain seconds.
func (c traceClock) rfc(ns int64) string {
	if !c.dateTime {
		return ""
	}
	return time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
}

// traceEnd returns the trace's end: the last arrival, or the end of the
// last count's interval.
func traceEnd(info workloads.TraceInfo) int64 {
	if info.Intervals > 0 {
		return info.First + int64(info.Span)
	}
	return info.Last
}

// formatLine describes the format, with the interval of counts.
func formatLine(info workloads.TraceInfo) string {
	if info.Interval > 0 {
		return fmt.Sprintf("%s, one count per %v", info.Format, info.Interval)
	}
	return info.Format
}

// WriteTraceStats writes a trace's statistics as a table: the trace
// (path), its format, span, records, arrivals, mean rate and longest gap,
// then a row per bin width of the per-bin counts' mean, percentiles, peak
// (and when), peak-to-mean ratio and index of dispersion.
func WriteTraceStats(w io.Writer, path string, st workloads.TraceStats) error {
	info := st.Info
	clk := traceClock{info.DateTime}
	var b strings.Builder
	kv := func(k, v string) { fmt.Fprintf(&b, "%-12s %s\n", k, v) }
	kv("trace", path)
	kv("format", formatLine(info))
	kv("span", fmt.Sprintf("%s to %s (%v)", clk.at(info.First), clk.at(traceEnd(info)), info.Span))
	kv("records", strconv.FormatInt(info.Records, 10))
	kv("arrivals", strconv.FormatFloat(info.Arrivals, 'f', -1, 64))
	kv("mean rate", fmt.Sprintf("%.4g req/s", st.MeanRate))
	if st.LongestGap > 0 {
		kv("longest gap", fmt.Sprintf("%v from %s", st.LongestGap, clk.at(st.GapAt)))
	} else {
		kv("longest gap", "0s")
	}
	b.WriteString("\n")
	header := []string{"PER", "BINS", "MEAN", "P50", "P95", "P99", "PEAK", "PEAK/MEAN", "DISPERSION", "PEAK AT"}
	right := []bool{false, true, true, true, true, true, true, true, true, false}
	var rows [][]string
	for _, r := range st.Rates {
		rows = append(rows, []string{r.Bin.String(), strconv.FormatInt(r.Bins, 10), num4(r.Mean), num4(r.P50), num4(r.P95),
			num4(r.P99), num4(r.Peak), fmt.Sprintf("%.2f", r.PeakToMean), fmt.Sprintf("%.2f", r.Dispersion), clk.at(r.PeakAt)})
	}
	b.WriteString(Columns{Header: header, Rows: rows, Right: right}.String())
	_, err := io.WriteString(w, b.String())
	return err
}

// num4 prints a count: whole numbers as such, others with 4 significant
// digits (no exponent above 1).
func num4(x float64) string {
	a := math.Abs(x)
	switch {
	case x == math.Trunc(x) && a < 1e15 || a >= 1000:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 10:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// traceStatsJSON is the JSON of a trace's statistics.
type traceStatsJSON struct {
	Trace        string          `json:"trace"`
	Format       string          `json:"format"`
	IntervalS    float64         `json:"interval_s,omitempty"`
	Records      int64           `json:"records"`
	Arrivals     float64         `json:"arrivals"`
	DateTime     bool            `json:"date_time"`
	First        string          `json:"first,omitempty"`
	End          string          `json:"end,omitempty"`
	FirstS       float64         `json:"first_s"`
	EndS         float64         `json:"end_s"`
	SpanS        float64         `json:"span_s"`
	MeanRate     float64         `json:"mean_rate_per_s"`
	LongestGapS  float64         `json:"longest_gap_s"`
	LongestGapAt string          `json:"longest_gap_at,omitempty"`
	Rates        []traceRateJSON `json:"rates"`
	Warnings     []string        `json:"warnings"`
}

// traceRateJSON is the JSON of the counts per bin of one width.
type traceRateJSON struct {
	BinS       float64 `json:"bin_s"`
	Bins       int64   `json:"bins"`
	Mean       float64 `json:"mean"`
	P50        float64 `json:"p50"`
	P95        float64 `json:"p95"`
	P99        float64 `json:"p99"`
	Peak       float64 `json:"peak"`
	PeakAt     string  `json:"peak_at,omitempty"`
	PeakAtS    float64 `json:"peak_at_s"`
	PeakToMean float64 `json:"peak_to_mean"`
	Dispersion float64 `json:"dispersion"`
}

// WriteTraceStatsJSON writes a trace's statistics as indented JSON, rates
// rounded to 6 significant digits; instants are in seconds (since the Unix
// epoch for date-times, which are also given in RFC 3339).
func WriteTraceStatsJSON(w io.Writer, path string, st workloads.TraceStats) error {
	info := st.Info
	clk := traceClock{info.DateTime}
	r6 := func(x float64) float64 { return roundSig(x, renderSigDigits) }
	out := traceStatsJSON{Trace: path, Format: info.Format, IntervalS: info.Interval.Seconds(), Records: info.Records,
		Arrivals: info.Arrivals, DateTime: info.DateTime, First: clk.rfc(info.First), End: clk.rfc(traceEnd(info)),
		FirstS: float64(info.First) / 1e9, EndS: float64(traceEnd(info)) / 1e9, SpanS: info.Span.Seconds(),
		MeanRate: r6(st.MeanRate), LongestGapS: st.LongestGap.Seconds(), Rates: []traceRateJSON{}, Warnings: info.Warnings}
	if st.LongestGap > 0 {
		out.LongestGapAt = clk.rfc(st.GapAt)
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, r := range st.Rates {
		out.Rates = append(out.Rates, traceRateJSON{BinS: r.Bin.Seconds(), Bins: r.Bins, Mean: r6(r.Mean), P50: r6(r.P50),
			P95: r6(r.P95), P99: r6(r.P99), Peak: r6(r.Peak), PeakAt: clk.rfc(r.PeakAt), PeakAtS: float64(r.PeakAt) / 1e9,
			PeakToMean: r6(r.PeakToMean), Dispersion: r6(r.Dispersion)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
