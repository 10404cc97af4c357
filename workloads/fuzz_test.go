package workloads_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// fuzzCap bounds the arrivals one fuzz input may produce, keeping each
// execution to a millisecond or so: the fuzzer's minimisation of a new
// input runs it thousands of times. Run the targets with, for example,
//
//	go test ./workloads -run='^$' -fuzz=FuzzTraceCounts -fuzztime=60s -fuzzminimizetime=5s
const fuzzCap = 5_000

// addFixtures seeds a fuzz corpus with the testdata files.
func addFixtures(f *testing.F, pattern string, column string) {
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, column, uint8(0))
	}
}

func openBytes(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// fuzzReplay replays a fuzzed trace. It checks the arrivals never decrease
// and any error is a *TraceError with a line ≥ 0. It returns the number of
// arrivals (or -1 when capped) and the error.
func fuzzReplay(t *testing.T, tc workloads.TraceConfig) (int, error) {
	src, err := newSource(workloads.Config{Type: "trace", Trace: &tc}, rng(1))
	if err != nil {
		return -1, err
	}
	n, prev := 0, sim.Time(-1<<63)
	for ; n < fuzzCap; n++ {
		at, ok := src.Next()
		if !ok {
			break
		}
		if at < prev {
			t.Fatalf("arrival %d at %v after one at %v", n, at, prev)
		}
		prev = at
	}
	if n == fuzzCap {
		n = -1
		if c, ok := src.(io.Closer); ok {
			_ = c.Close()
		}
	}
	err = src.Err()
	var te *workloads.TraceError
	if err != nil && (!errors.As(err, &te) || te.Line < 0 || te.Msg == "") {
		t.Fatalf("error %v (%T) is not a *TraceError with a line ≥ 0", err, err)
	}
	return n, err
}

// sameError checks the replay and Peek agree on a file's error.
func sameError(t *testing.T, replay, peek error) {
	if (replay == nil) != (peek == nil) || replay != nil && replay.Error() != peek.Error() {
		t.Fatalf("replay error %v, Peek error %v", replay, peek)
	}
}

func FuzzTraceTimestamps(f *testing.F) {
	addFixtures(f, "ts_*", "")
	addFixtures(f, "*.txt", "")
	f.Add([]byte("TIMESTAMP,x\r\n2023-11-16 18:17:03.9799600,1\r\n2023-11-16 18:17:04,2"), "TIMESTAMP", uint8(5))
	f.Add([]byte("a,b\n1,2024-01-01T00:00:00+01:00\n2,2024-01-01T00:00:00Z\n"), "2", uint8(2))
	f.Add([]byte("\"t\"\n\"1.5\"\n\"2\"\n1e3\n"), "", uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, column string, scale uint8) {
		tc := workloads.TraceConfig{Path: "fuzz.csv", Format: "timestamps", Column: column, Open: openBytes(data)}
		n, err := fuzzReplay(t, tc)
		if _, cfgErr := newSource(workloads.Config{Type: "trace", Trace: &tc}, rng(1)); cfgErr != nil {
			return // a column New rejects
		}
		info, perr := peek(tc)
		sameError(t, err, perr)
		if err == nil && n >= 0 && int64(n) != info.Records {
			t.Fatalf("replay gave %d arrivals, Peek counted %d records", n, info.Records)
		}
		// Scaled and windowed: still sorted, same kind of errors.
		tc.RateScale, tc.TimeScale = float64(scale%7)/2, 1+float64(scale%3)
		tc.Start, tc.End = sim.Duration(scale%4)*sim.Second, sim.Duration(scale%4+3)*sim.Second
		_, _ = fuzzReplay(t, tc)
	})
}

func FuzzTraceCounts(f *testing.F) {
	addFixtures(f, "counts_*", "")
	f.Add([]byte("period,count\n1998-04-30 21:30:00,2\n1998-04-30 21:31:00,11\n1998-04-30 21:35:00,0.5\n"), "count", uint8(0))
	f.Add([]byte("1 0 0 0 0 1 0 0 1 0 2 3 "), "", uint8(1))
	f.Add([]byte("views\n12\n\n13\n"), "1", uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, column string, scale uint8) {
		tc := workloads.TraceConfig{Path: "fuzz.txt", Format: "counts", Column: column, Interval: sim.Second,
			RateScale: 1e-3, Open: openBytes(data)}
		n, err := fuzzReplay(t, tc)
		if _, cfgErr := newSource(workloads.Config{Type: "trace", Trace: &tc}, rng(1)); cfgErr != nil {
			return
		}
		if n >= 0 { // the replay read the whole file
			_, perr := peek(tc)
			sameError(t, err, perr)
		}
		tc.RateScale, tc.TimeScale = float64(scale%5)/4, 0.5+float64(scale%3)
		tc.Start, tc.End = sim.Duration(scale%4)*sim.Second/2, sim.Duration(scale%4+5)*sim.Second
		_, _ = fuzzReplay(t, tc)
	})
}
