package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// TestWriteTraceStats renders hand-made statistics of a counts trace with
// date-times and checks each line against the figures given.
func TestWriteTraceStats(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	st := workloads.TraceStats{
		Info: workloads.TraceInfo{Format: "counts", Records: 3, Arrivals: 1500.5, MaxCount: 1234.5678, Intervals: 3,
			Interval: sim.Minute, DateTime: true, First: t0, Last: t0 + 120e9, Span: 3 * sim.Minute},
		MeanRate: 1500.5 / 180, LongestGap: sim.Minute, GapAt: t0 + 60e9,
		Rates: []workloads.RateStats{{Bin: sim.Minute, Bins: 3, Mean: 500.1666, P50: 123.456, P95: 12.3456, P99: 1.23456,
			Peak: 1234.5678, PeakAt: t0 + 120e9, PeakToMean: 2.4683, Dispersion: 0.000123456}},
	}
	var b bytes.Buffer
	if err := WriteTraceStats(&b, "c.csv", st); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"trace        c.csv\n",
		"format       counts, one count per 1m0s\n",
		"span         2024-03-01 00:00:00 UTC to 2024-03-01 00:03:00 UTC (3m0s)\n",
		"arrivals     1500.5\n",
		"mean rate    8.336 req/s\n",
		"longest gap  1m0s from 2024-03-01 00:01:00 UTC\n",
		"\n\nPER   BINS   MEAN    P50    P95    P99  PEAK  PEAK/MEAN  DISPERSION  PEAK AT\n",
		"1m0s     3  500.2  123.5  12.35  1.235  1235       2.47        0.00  2024-03-01 00:02:00 UTC\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
}

// TestWriteTraceStatsJSON checks the JSON of statistics of plain seconds:
// figures to 6 significant digits, no date-times, an empty warning list.
func TestWriteTraceStatsJSON(t *testing.T) {
	st := workloads.TraceStats{
		Info:     workloads.TraceInfo{Format: "timestamps", Records: 2, Arrivals: 2, First: 500e6, Last: 2500e6, Span: 2 * sim.Second},
		MeanRate: 1.0000004,
		Rates:    []workloads.RateStats{{Bin: sim.Second, Bins: 3, Mean: 2.0 / 3, Peak: 1, PeakAt: 2e9, PeakToMean: 1.5, Dispersion: 0.5}},
	}
	var b bytes.Buffer
	if err := WriteTraceStatsJSON(&b, "t.txt", st); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	rate := got["rates"].([]any)[0].(map[string]any)
	warnings, isList := got["warnings"].([]any)
	_, hasFirst := got["first"]
	_, hasPeakAt := rate["peak_at"]
	if got["trace"] != "t.txt" || got["mean_rate_per_s"] != 1.0 || got["first_s"] != 0.5 || got["end_s"] != 2.5 ||
		rate["mean"] != 0.666667 || rate["peak_at_s"] != 2.0 || !isList || len(warnings) != 0 || hasFirst || hasPeakAt {
		t.Errorf("JSON:\n%s", b.String())
	}
}
