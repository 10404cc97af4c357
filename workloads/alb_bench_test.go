package workloads_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
	"time"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
	"github.com/scalesim/scalesim/workloads"
)

// albTemplate is a log line of the documented shape (docs/aws-behaviour.md
// §3.7); albGen writes the time field at offset albTimeAt, the target
// processing time at albTargetAt and request_creation_time at albCreatedAt.
const albTemplate = `https 2024-01-01T00:00:00.000000Z app/my-loadbalancer/50dc6c495c0c9188 10.1.2.3:51234 10.0.0.7:8080 0.000 0.000 0.000 200 200 512 1024 "POST https://api.example.com:443/v1/models/resnet/predict HTTP/1.1" "python-requests/2.31.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/inference/73e2d6bc24d8a067 "Root=1-65920000-0123456789abcdef01234567" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2024-01-01T00:00:00.000000Z "forward" "-" "-" "10.0.0.7:8080" "200" "-" "-"` + "\n"

var (
	albTimeAt    = bytes.Index([]byte(albTemplate), []byte("2024"))
	albTargetAt  = bytes.Index([]byte(albTemplate), []byte("0.000 0.000 200"))
	albCreatedAt = bytes.LastIndex([]byte(albTemplate), []byte("2024"))
	albTraceAt   = bytes.Index([]byte(albTemplate), []byte("0123456789abcdef01234567"))
)

// albGenLine writes line i of a log at 1,000 requests per second, in the
// order requests finished (one per millisecond), each having lasted 1 to
// 300 ms: arrivals are out of order within 300 ms, as in a real log. Each
// line has its own pseudo-random trace ID, as a real log does: it makes
// the gzipped log compress (and decompress) like a real one, about 30
// bytes a line rather than 4.
func albGenLine(i int, b []byte) []byte {
	done := int64(i) * 1000 // µs
	d := int64((uint32(i)*2654435761)>>8)%300_000 + 1000
	start := len(b)
	b = append(b, albTemplate...)
	line := b[start:]
	putStamp(line[albTimeAt:], done)
	putStamp(line[albCreatedAt:], done-d)
	putMillis(line[albTargetAt:], d/1000)
	putHex(line[albTraceAt:albTraceAt+24], uint64(i)*0x9E3779B97F4A7C15, uint64(i)*0xC2B2AE3D27D4EB4F)
	return b
}

// putHex writes x then y as 24 hexadecimal digits.
func putHex(b []byte, x, y uint64) {
	const hex = "0123456789abcdef"
	for k := range 16 {
		b[k] = hex[x>>(60-4*k)&15]
	}
	for k := range 8 {
		b[16+k] = hex[y>>(60-4*k)&15]
	}
}

// putStamp writes 2024-01-02 plus us microseconds (within 27 days) as
// "2024-01-DDTHH:MM:SS.ffffffZ".
func putStamp(b []byte, us int64) {
	us += 86400e6 // some arrivals precede the first completion: start on the 2nd
	day, rest := us/86400e6, us%86400e6
	put2 := func(at int, v int64) { b[at], b[at+1] = byte('0'+v/10), byte('0'+v%10) }
	put2(8, day+1)
	put2(11, rest/3600e6)
	put2(14, rest/60e6%60)
	put2(17, rest/1e6%60)
	frac := rest % 1e6
	for k := 25; k >= 20; k-- {
		b[k] = byte('0' + frac%10)
		frac /= 10
	}
}

// putMillis writes ms (< 1000) as "0.mmm".
func putMillis(b []byte, ms int64) {
	b[2], b[3], b[4] = byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10)
}

// TestALBGenerator checks the generated lines read as intended.
func TestALBGenerator(t *testing.T) {
	var b []byte
	for i := range 3 {
		b = albGenLine(i, b)
	}
	got, err := drain(t, mustNew(t, traceCfg(workloads.TraceConfig{Path: "gen", Format: "alb", Open: openBytes(b)}), 1), 10)
	if err != nil || len(got) != 3 {
		t.Fatalf("%d arrivals, %v\n%s", len(got), err, b)
	}
	var secs []float64
	if _, err := workloads.ServiceTimes(workloads.TraceConfig{Path: "gen", Format: "alb", Open: openBytes(b)},
		func(s float64) error { secs = append(secs, s); return nil }); err != nil || len(secs) != 3 {
		t.Fatalf("service times %v, %v", secs, err)
	}
}

// TestALBReplayMemoryIsFlat replays generated ALB logs of two sizes (4x
// apart; 1,000 requests per second, so both outlast the reorder window)
// and checks the heap in use does not grow with the size and the replay
// does not allocate per line.
func TestALBReplayMemoryIsFlat(t *testing.T) {
	small, large := 1_000_000, 4_000_000
	if testing.Short() {
		small, large = 400_000, 1_600_000
	}
	var peaks, mallocs [2]uint64
	for i, n := range []int{small, large} {
		got, peak, m := replayMemory(t, workloads.TraceConfig{Path: "gen", Format: "alb", Open: genOpen(n, albGenLine)})
		if got != n {
			t.Fatalf("%d lines gave %d arrivals", n, got)
		}
		peaks[i], mallocs[i] = peak, m
	}
	// The reorder buffer's buckets grow once (a few thousand allocations),
	// then nothing is allocated per line.
	if per := float64(mallocs[1]-min(mallocs[0], mallocs[1])) / float64(large-small); per > 0.001 {
		t.Errorf("%d then %d allocations for %d and %d lines: %.4f per extra line, want none", mallocs[0], mallocs[1], small, large, per)
	}
	const slack = 4 << 20
	if peaks[1] > peaks[0]+slack {
		t.Errorf("peak heap in use grew from %d KiB (%d lines) to %d KiB (%d lines)", peaks[0]>>10, small, peaks[1]>>10, large)
	}
	t.Logf("peak heap in use: %d KiB for %d lines, %d KiB for %d lines", peaks[0]>>10, small, peaks[1]>>10, large)
}

// gzipLog compresses n generated lines.
func gzipLog(b *testing.B, n int) []byte {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.DefaultCompression)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(zw, &genReader{n: n, line: albGenLine}); err != nil {
		b.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// BenchmarkALBReplay pulls b.N arrivals from a generated ALB log at 1,000
// requests per second (about 400 bytes a line), plain and gzipped, beside
// a synthetic Poisson workload of the same rate, reporting arrivals/s. The
// plain log is generated while it is read; BenchmarkALBGenerate measures
// that cost, to subtract.
func BenchmarkALBReplay(b *testing.B) {
	b.Run("poisson", func(b *testing.B) {
		benchArrivals(b, workloads.Config{Type: "poisson", Rate: 1000})
	})
	b.Run("plain", func(b *testing.B) {
		benchArrivals(b, workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{
			Path: "gen", Format: "alb", Open: genOpen(-1, albGenLine)}})
	})
	b.Run("gzip", func(b *testing.B) {
		data := gzipLog(b, b.N+1)
		benchArrivals(b, workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{
			Path: "gen", Format: "alb", Open: openBytes(data)}})
	})
}

// BenchmarkALBGenerate measures the generator alone.
func BenchmarkALBGenerate(b *testing.B) {
	g := &genReader{n: -1, line: albGenLine}
	buf := make([]byte, 64<<10)
	var n int64
	for n < int64(b.N)*int64(len(albTemplate)) {
		k, _ := g.Read(buf)
		n += int64(k)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

type nullSink struct{}

func (nullSink) Arrived(sim.Time)                                            {}
func (nullSink) Finished(_, _ sim.Time, _ models.Outcome)                    {}
func (nullSink) Sampled(models.FleetSample)                                  {}
func (nullSink) Decided(sim.Time, strategies.Decision, strategies.FleetView) {}

// plainLog generates n lines into memory.
func plainLog(b *testing.B, n int) []byte {
	out := make([]byte, 0, n*len(albTemplate))
	for i := range n {
		out = albGenLine(i, out)
	}
	return out
}

// albModel runs the model for horizon at 1,000 requests per second (20 ×
// m5.xlarge, exponential 50 ms) fed by cfg, and returns the arrivals.
func albModel(b *testing.B, cfg workloads.Config, horizon sim.Time, seed uint64) int64 {
	cat, err := models.DefaultCatalog()
	if err != nil {
		b.Fatal(err)
	}
	rs := sim.NewStreams(seed)
	demand, _ := models.NewSampler(models.DistConfig{Dist: "exponential", Mean: 0.05})
	st, _ := strategies.NewStatic("s", "m5.xlarge", 20)
	src := mustNew(b, cfg, seed)
	if c, ok := src.(io.Closer); ok {
		defer c.Close()
	}
	mc := models.Config{Horizon: horizon, Catalog: cat,
		Service: models.ServiceConfig{Demand: demand, WorkersPerVCPU: 1}}
	sys, err := models.NewSystem(mc, src, st, nullSink{}, rs)
	if err != nil {
		b.Fatal(err)
	}
	stats, err := sys.Run()
	if err != nil {
		b.Fatal(err)
	}
	return stats.Arrivals
}

// BenchmarkALBEndToEnd runs the model for a simulated 10 minutes at 1,000
// requests per second (20 × m5.xlarge, exponential 50 ms) fed by a
// Poisson workload and by a generated ALB log of the same rate and length,
// plain and gzipped at the default level, and by the same arrivals
// converted to a gzipped timestamps file, all read from memory as a file
// in the page cache would be: the issue asks the log to replay at no less
// than half the speed of the synthetic workload. It reports req/s;
// BenchmarkALBDay is the same over a whole day.
func BenchmarkALBEndToEnd(b *testing.B) {
	const lines = 600_000
	horizon := sim.Time(lines)*sim.Time(sim.Millisecond) + sim.Time(sim.Second)
	plain := plainLog(b, lines)
	gz := gzipLog(b, lines)
	stamps := stampsOf(b, plain)
	for _, c := range []struct {
		name string
		cfg  workloads.Config
	}{
		{"poisson", workloads.Config{Type: "poisson", Rate: 1000}},
		{"alb-plain", workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{Path: "gen", Format: "alb", Open: openBytes(plain)}}},
		{"alb-gzip", workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{Path: "gen", Format: "alb", Open: openBytes(gz)}}},
		{"timestamps-gzip", workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{Path: "gen", Format: "timestamps", Open: openBytes(stamps)}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var reqs int64
			for i := range b.N {
				reqs += albModel(b, c.cfg, horizon, uint64(i)+1)
			}
			b.ReportMetric(float64(reqs)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// stampsOf converts an ALB log to a gzipped timestamps file, as
// `scalesim trace convert --to timestamps` does.
func stampsOf(b *testing.B, log []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	buf := []byte("time\n")
	_, err := workloads.Instants(workloads.TraceConfig{Path: "gen", Format: "alb", Open: openBytes(log)}, func(ns int64, _ bool) error {
		buf = time.Unix(0, ns).UTC().AppendFormat(buf, "2006-01-02T15:04:05.000000Z07:00")
		buf = append(buf, '\n')
		if len(buf) > 64<<10 {
			_, err := zw.Write(buf)
			buf = buf[:0]
			return err
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := zw.Write(buf); err != nil {
		b.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// BenchmarkALBDay is the case in full: a day at 1,000 requests per
// second, 86.4 million requests, from a Poisson workload and from a plain
// ALB log generated while it is read (the generator runs in the read-ahead
// goroutine, so it is counted against the log). Run it with -benchtime 1x;
// it takes a minute or two.
func BenchmarkALBDay(b *testing.B) {
	const lines = 86_400_000
	horizon := sim.Time(lines)*sim.Time(sim.Millisecond) + sim.Time(sim.Second)
	for _, c := range []struct {
		name string
		cfg  workloads.Config
	}{
		{"poisson", workloads.Config{Type: "poisson", Rate: 1000}},
		{"alb-plain", workloads.Config{Type: "trace", Trace: &workloads.TraceConfig{Path: "gen", Format: "alb", Open: genOpen(lines, albGenLine)}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var reqs int64
			for i := range b.N {
				reqs += albModel(b, c.cfg, horizon, uint64(i)+1)
			}
			b.ReportMetric(float64(reqs)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
