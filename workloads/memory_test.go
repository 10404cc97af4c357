package workloads_test

import (
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// genReader generates a trace file on the fly: n records, each written by
// line into the buffer, so a test can replay millions of records without
// holding them. n < 0 means no end.
type genReader struct {
	n, i int
	line func(i int, b []byte) []byte
	buf  []byte
}

func (g *genReader) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && (g.n < 0 || g.i < g.n) {
		g.buf = g.line(g.i, g.buf)
		g.i++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	return n, nil
}

func (g *genReader) Close() error { return nil }

// secondsLine writes record i as "i.500\n" seconds.
func secondsLine(i int, b []byte) []byte {
	return append(strconv.AppendInt(b, int64(i), 10), ".500\n"...)
}

// countLine writes count 2 for every interval, space-separated on one line.
func countLine(_ int, b []byte) []byte { return append(b, "2 "...) }

func genOpen(n int, line func(int, []byte) []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return &genReader{n: n, line: line}, nil }
}

// replayMemory replays a generated trace of n records to its end and
// returns the arrivals, the peak heap in use sampled along the way, and
// the heap allocations made during the replay.
func replayMemory(t *testing.T, tc workloads.TraceConfig) (arrivals int, peak, mallocs uint64) {
	t.Helper()
	src := mustNew(t, workloads.Config{Type: "trace", Trace: &tc}, 1)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, mallocs0 := ms.HeapInuse, ms.Mallocs
	for {
		_, ok := src.Next()
		if !ok {
			break
		}
		arrivals++
		if arrivals%(1<<18) == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse-min(base, ms.HeapInuse))
		}
	}
	if err := src.Err(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&ms)
	return arrivals, peak, ms.Mallocs - mallocs0
}

// TestReplayMemoryIsFlat replays generated timestamps and counts traces of
// two sizes (4x apart) and checks the heap in use does not grow with the
// size and the replay does not allocate per record.
func TestReplayMemoryIsFlat(t *testing.T) {
	small, large := 1_000_000, 4_000_000
	if testing.Short() {
		small, large = 250_000, 1_000_000
	}
	formats := []struct {
		name string
		tc   func(n int) workloads.TraceConfig
		per  int // arrivals per record, in expectation
	}{
		{"timestamps", func(n int) workloads.TraceConfig {
			return workloads.TraceConfig{Path: "gen", Format: "timestamps", Open: genOpen(n, secondsLine)}
		}, 1},
		{"counts", func(n int) workloads.TraceConfig {
			return workloads.TraceConfig{Path: "gen", Format: "counts", Interval: sim.Second, RateScale: 0.5, Open: genOpen(n, countLine)}
		}, 1},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			var peaks [2]uint64
			for i, n := range []int{small, large} {
				got, peak, mallocs := replayMemory(t, f.tc(n))
				if f.name == "timestamps" && got != n {
					t.Fatalf("%d records gave %d arrivals", n, got)
				}
				if per := float64(mallocs) / float64(n); per > 0.001 {
					t.Errorf("%d records: %d allocations (%.4f per record), want none per record", n, mallocs, per)
				}
				peaks[i] = peak
			}
			const slack = 4 << 20
			if peaks[1] > peaks[0]+slack {
				t.Errorf("peak heap in use grew from %d KiB (%d records) to %d KiB (%d records)", peaks[0]>>10, small, peaks[1]>>10, large)
			}
		})
	}
}
