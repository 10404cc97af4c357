package workloads_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// A run builds its workload from the scenario's "arrivals" stream and pulls
// arrivals until its horizon.
func ExampleNew() {
	cfg := workloads.Config{Type: "steps", Steps: []workloads.Step{
		{At: 0, Rate: 100},
		{At: 30 * sim.Second, Rate: 400},
	}}
	src, err := newSource(cfg, sim.NewStreams(7).Stream(sim.StreamArrivals))
	if err != nil {
		fmt.Println(err)
		return
	}
	const horizon = sim.Time(60 * sim.Second)
	n := 0
	for {
		t, ok := src.Next()
		if !ok || t >= horizon {
			break
		}
		n++
	}
	fmt.Printf("expected %.0f arrivals in the first minute, got %d\n",
		workloads.ExpectedCount(cfg, 0, horizon), n)
	// Output:
	// expected 15000 arrivals in the first minute, got 14974
}

// A trace replays recorded arrivals; here three requests, the first at
// simulated time 0, played twice as slowly.
func ExampleNew_trace() {
	file := "TIMESTAMP,tokens\r\n2023-11-16 18:17:03.50,10\r\n2023-11-16 18:17:04.25,8\r\n2023-11-16 18:17:06,27"
	cfg := workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{
		Path: "requests.csv", Format: "timestamps", Column: "TIMESTAMP", TimeScale: 2,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(file)), nil },
	}}
	src, err := newSource(cfg, sim.NewStreams(1).Stream(sim.StreamArrivals))
	if err != nil {
		fmt.Println(err)
		return
	}
	for t, ok := src.Next(); ok; t, ok = src.Next() {
		fmt.Println(t)
	}
	if err := src.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 0s
	// 1.5s
	// 5s
}

// Peek describes a trace file without replaying it.
func ExamplePeek() {
	info, err := peek(workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows, %.0f requests over %d intervals (%v), peak %.0f per interval\n",
		info.Records, info.Arrivals, info.Intervals, info.Span, info.MaxCount)
	// Output:
	// 4 rows, 26 requests over 6 intervals (6m0s), peak 8 per interval
}

// Stats summarises a trace's rates; here per-minute counts with two
// missing minutes.
func ExampleStats() {
	st, err := stats(workloads.TraceConfig{Path: "testdata/counts_gap.csv", Format: "counts", Interval: sim.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := st.Rates[0]
	fmt.Printf("per %v: mean %.2f, p50 %v, peak %v (%.2f x the mean), dispersion %.2f; longest gap %v\n",
		r.Bin, r.Mean, r.P50, r.Peak, r.PeakToMean, r.Dispersion, st.LongestGap)
	// Output:
	// per 1m0s: mean 4.33, p50 5, peak 8 (1.85 x the mean), dispersion 2.36; longest gap 2m0s
}
