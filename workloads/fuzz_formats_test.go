package workloads_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/workloads"
)

// checkInfoError checks an error from Peek, Stats, ServiceTimes or
// DetectFormat is a *TraceError with a line ≥ 0 (or a plain configuration
// error when allowed).
func checkInfoError(t *testing.T, who string, err error) {
	t.Helper()
	var te *workloads.TraceError
	if err != nil && (!errors.As(err, &te) || te.Line < 0 || te.Msg == "") {
		t.Fatalf("%s: error %v (%T) is not a *TraceError with a line ≥ 0", who, err, err)
	}
}

// FuzzTraceALB replays fuzzed ALB logs, as one file and split into a
// directory of two, strict or not: arrivals never decrease, errors are
// *TraceErrors, and Peek agrees with the replay. Run it with
//
//	go test ./workloads -run='^$' -fuzz=FuzzTraceALB -fuzztime=60s -fuzzminimizetime=5s
func FuzzTraceALB(f *testing.F) {
	addFixtures(f, "alb_*.log*", "")
	f.Add([]byte(albLine(0, 0.1)+albLine(1, 400)+albLine(0.5, -1)), "", uint8(3))
	f.Add([]byte(`h2 2024-01-01T00:00:01Z x 1:2 - -1 -1 -1 460 - 0 0 "- - - " "-" - - - "-" "-" "-" - -`+"\n"), "", uint8(1))
	f.Add([]byte(`a b c d e f g h i j k l "m" "n`), "", uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, _ string, opt uint8) {
		tc := workloads.TraceConfig{Path: "fuzz.log", Format: "alb", Strict: opt&1 == 1, Open: openBytes(data)}
		n, err := fuzzReplay(t, tc)
		info, perr := peek(tc)
		if n >= 0 {
			sameError(t, err, perr)
			if err == nil && int64(n) != info.Records {
				t.Fatalf("replay gave %d arrivals, Peek counted %d records", n, info.Records)
			}
		}
		// The same lines split across two files of a directory: the same
		// arrivals in total.
		cut := len(data) * int(opt>>1) / 128
		for cut > 0 && cut < len(data) && data[cut-1] != '\n' {
			cut--
		}
		dir := workloads.TraceConfig{Path: "logs", Format: "alb", Strict: tc.Strict, Name: "d", FS: fstest.MapFS{
			"d/a.log": {Data: data[:cut]}, "d/b/c.log": {Data: data[cut:]},
		}}
		dinfo, derr := peek(dir)
		checkInfoError(t, "Peek of a directory", derr)
		gzipped := len(data) > cut+1 && data[cut] == 0x1f && data[cut+1] == 0x8b // b.log would be read as gzip
		if perr == nil && derr == nil && !gzipped && dinfo.Records != info.Records {
			t.Fatalf("a directory of the file's two halves holds %d records, the file %d", dinfo.Records, info.Records)
		}
		dir.RateScale, dir.TimeScale = float64(opt%5)/2, 1+float64(opt%3)
		dir.Start, dir.End = sim.Duration(opt%4)*sim.Second, sim.Duration(opt%4+3)*sim.Minute
		_, _ = fuzzReplay(t, dir)
		_, err = stats(tc)
		checkInfoError(t, "Stats", err)
		_, err = workloads.ServiceTimes(tc, func(s float64) error {
			if !(s > 0) {
				t.Fatalf("service time %v", s)
			}
			return nil
		})
		checkInfoError(t, "ServiceTimes", err)
		_, _, err = workloads.DetectFormat(tc)
		checkInfoError(t, "DetectFormat", err)
	})
}

// FuzzTraceCloudWatch replays fuzzed CloudWatch exports. Run it with
//
//	go test ./workloads -run='^$' -fuzz=FuzzTraceCloudWatch -fuzztime=60s -fuzzminimizetime=5s
func FuzzTraceCloudWatch(f *testing.F) {
	addFixtures(f, "cw_*", "")
	f.Add([]byte(`{"MetricDataResults":[{"Id":"a","Label":"RequestCount","Timestamps":["2024-03-01T12:01:00Z","2024-03-01T12:00:00+00:00"],"Values":[2,1]},{"Id":"b","Timestamps":[],"Values":[]}]}`), "a", uint8(0))
	f.Add([]byte(`{"Label":"x","Datapoints":[{"Timestamp":1709294400,"Sum":3,"ExtendedStatistics":{"p99":1}}]}`), "p99", uint8(60))
	f.Fuzz(func(t *testing.T, data []byte, column string, iv uint8) {
		tc := workloads.TraceConfig{Path: "fuzz.json", Format: "cloudwatch", Column: column,
			Interval: sim.Duration(iv) * sim.Second, RateScale: 1e-3, Open: openBytes(data)}
		n, err := fuzzReplay(t, tc)
		if _, cfgErr := newSource(traceCfg(tc), rng(1)); cfgErr != nil {
			return
		}
		info, perr := peek(tc)
		if n >= 0 {
			sameError(t, err, perr)
		}
		if perr == nil && (info.Interval <= 0 || info.Records <= 0 || info.Arrivals < 0 || !info.DateTime) {
			t.Fatalf("Peek = %+v", info)
		}
		_, err = stats(tc)
		checkInfoError(t, "Stats", err)
		tc.RateScale, tc.TimeScale = float64(iv%5)/4, 0.5+float64(iv%3)
		tc.Start, tc.End = sim.Duration(iv%4)*sim.Minute, sim.Duration(iv%4+5)*sim.Minute
		_, _ = fuzzReplay(t, tc)
	})
}
