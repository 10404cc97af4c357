package workloads

import (
	"bytes"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// FuzzALBFastPath checks the fast path agrees with the general splitter
// on every line it accepts. The input is read as lines through one
// parser, so what the fast path remembers from line to line is exercised
// too. Run it with
//
//	go test ./workloads -run='^$' -fuzz=FuzzALBFastPath -fuzztime=30s
func FuzzALBFastPath(f *testing.F) {
	const usual = `http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:...:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"`
	f.Add([]byte(usual))
	f.Add([]byte(usual + "\n" + strings.Replace(usual, "48.364000Z", "59.999999Z", 1) + "\n" + strings.Replace(usual, "- - arn", "-  arn", 1)))
	f.Add([]byte(usual + "\n" + strings.Replace(usual, "22:22:48", "22:23:48", 1) + "\n" + strings.Replace(usual, "0 2018-07-02T22:22:48.364000Z", "0 -", 1)))
	f.Add([]byte(`h2 2018-07-02T22:23:00.186641Z a b c d e f g h i j "k" "l" m n o "p" "q" "r" s -`))
	f.Add([]byte(`h2 2018-07-02T22:23:00.186641Z a b c d e f g h i j "k" "l" m n o "p" "q" "r" s 2018-07-02T23:59:60.000001Z`))
	f.Add([]byte(`h2 2018-07-02T22:23:00.186641Z a b c d e f g h i j "k" "l" m n o "p" "q" "r" s 2018-07-02 23:59:60.000001Z`))
	f.Add([]byte(`h2  a b c d e f g h i j "k" "l"x" m n o "p" "q" "r"  2018-07-02T22:23:00Z`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast, slow albParser
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			a, d, ok := fast.fast(line)
			wa, wd, reason := slow.slow(line)
			if !ok {
				continue
			}
			if reason != "" {
				t.Fatalf("fast path accepted a line the splitter refuses (%s): %q", reason, line)
			}
			if a != wa || d != wd {
				t.Fatalf("fast path read arrival %d, time %d; the splitter %d, %d: %q", a, d, wa, wd, line)
			}
		}
	})
}

// BenchmarkALBParse measures parsing alone on a line of the usual shape.
func BenchmarkALBParse(b *testing.B) {
	line := []byte(`https 2024-01-02T00:00:01.000000Z app/my-loadbalancer/50dc6c495c0c9188 10.1.2.3:51234 10.0.0.7:8080 0.000 0.123 0.000 200 200 512 1024 "POST https://api.example.com:443/v1/models/resnet/predict HTTP/1.1" "python-requests/2.31.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/inference/73e2d6bc24d8a067 "Root=1-65920000-0123456789abcdef01234567" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2024-01-02T00:00:00.877000Z "forward" "-" "-" "10.0.0.7:8080" "200" "-" "-"`)
	var ps albParser
	var sum int64
	for range b.N {
		a, d, reason := ps.parse(line)
		if reason != "" {
			b.Fatal(reason)
		}
		sum += a - d
	}
	if sum == 0 {
		b.Fatal(sum)
	}
}

// BenchmarkReorder pushes arrivals out of order by up to 300 ms at 1,000
// per second and pops them as a replay does.
func BenchmarkReorder(b *testing.B) {
	var r reorder
	window := int64(ALBReorderWindow)
	for i := range b.N {
		done := int64(i) * 1e6
		r.push(done - (int64(uint32(i)*2654435761>>8)%300_000+1000)*1000)
		if v, ok := r.front(); ok && v <= done-window {
			r.pop()
		}
	}
}

// refReorder is the reorder buffer's contract, kept plainly: a sorted
// slice, and late values given back at the floor.
type refReorder struct {
	vals     []int64
	floor    int64
	released bool
	late     int
}

func (r *refReorder) push(v int64) bool {
	if r.released && v < r.floor {
		r.late++
		return true
	}
	i, _ := slices.BinarySearch(r.vals, v)
	r.vals = slices.Insert(r.vals, i, v)
	return false
}

func (r *refReorder) front() (int64, bool) {
	if r.late > 0 {
		return r.floor, true
	}
	if len(r.vals) == 0 {
		return 0, false
	}
	return r.vals[0], true
}

func (r *refReorder) pop() int64 {
	v, _ := r.front()
	if r.late > 0 {
		r.late--
	} else {
		r.vals = r.vals[1:]
	}
	r.floor, r.released = v, true
	return v
}

// TestReorderMatchesReference drives the reorder buffer and the reference
// with the same random pushes and pops: arrivals spread evenly, in bursts
// on one instant, across gaps longer than the calendar, before zero, and
// late; the outputs must agree value for value.
func TestReorderMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	shapes := map[string]func(done int64) int64{
		"spread":   func(done int64) int64 { return done - rng.Int64N(int64(300*sim.Millisecond)) },
		"burst":    func(done int64) int64 { return done / int64(sim.Second) * int64(sim.Second) },
		"gaps":     func(done int64) int64 { return done*1000 - rng.Int64N(int64(sim.Hour)) },
		"late":     func(done int64) int64 { return done - rng.Int64N(int64(2*ALBReorderWindow)) },
		"negative": func(done int64) int64 { return -int64(sim.Hour) + done - rng.Int64N(int64(sim.Second)) },
	}
	for _, name := range slices.Sorted(maps.Keys(shapes)) {
		arrival := shapes[name]
		var r reorder
		var ref refReorder
		window := int64(ALBReorderWindow)
		maxDone := int64(math.MinInt64)
		n := 0
		for i := range 200_000 {
			done := int64(i) * int64(sim.Millisecond)
			v := arrival(done)
			if got, want := r.push(v), ref.push(v); got != want {
				t.Fatalf("%s: push %d (#%d): late %v, reference %v", name, v, i, got, want)
			}
			maxDone = max(maxDone, done)
			for {
				got, ok := r.front()
				want, wok := ref.front()
				if ok != wok || ok && got != want {
					t.Fatalf("%s: after %d pushes: front %d %v, reference %d %v", name, i+1, got, ok, want, wok)
				}
				if !ok || got > satSub(maxDone, window) || rng.IntN(4) == 0 {
					break
				}
				r.pop()
				ref.pop()
				n++
			}
		}
		for {
			got, ok := r.front()
			want, wok := ref.front()
			if ok != wok || ok && got != want {
				t.Fatalf("%s: draining: front %d %v, reference %d %v", name, got, ok, want, wok)
			}
			if !ok {
				break
			}
			r.pop()
			ref.pop()
			n++
		}
		if n < 200_000 {
			t.Fatalf("%s: %d values out for 200000 in", name, n)
		}
		r.reset()
		if _, ok := r.front(); ok {
			t.Fatalf("%s: not empty after reset", name)
		}
	}
}

// FuzzStampCache checks the timestamp cache agrees with the general
// parser on every timestamp it accepts, fed the input's lines in turn so
// that the remembered minute is exercised.
func FuzzStampCache(f *testing.F) {
	f.Add([]byte("2024-01-02T00:00:01.000000Z\n2024-01-02T00:00:59.999999Z\n2024-01-02T00:01:00.000001Z"))
	f.Add([]byte("2016-12-31T23:59:60.000000Z\n2017-01-01T00:00:00.000000Z\n2017-02-29T00:00:00.000000Z"))
	f.Add([]byte("2024-01-02T00:00:01.00000aZ\n2024-01-02 00:00:01.000000Z\n2024-01-02T00:00:61.000000Z"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c stampCache
		for b := range bytes.SplitSeq(data, []byte("\n")) {
			got, ok := c.parse(b)
			if !ok {
				continue
			}
			if want, wok := parseDateTime(b); !wok || got != want {
				t.Fatalf("%q: cache %d, parseDateTime %d %v", b, got, want, wok)
			}
		}
	})
}
