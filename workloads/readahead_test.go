package workloads

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// readAheadLog writes a node's ALB log of n lines at 100 requests per
// second from start (seconds into the day; files of 8,000 lines overlap), each request lasting up to
// 2 s, with a malformed line every 997 lines, a request longer than the
// reorder window every 4,001, and an h2 line with appended fields now and
// then.
func readAheadLog(node, n, start int) []byte {
	var b bytes.Buffer
	stamp := func(ms int) string {
		d := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(ms) * time.Millisecond)
		return d.Format("2006-01-02T15:04:05.000000Z")
	}
	for i := range n {
		done := start*1000 + i*10 + node
		lasted := (i*7919)%2000 + 1
		if i%4001 == 4000 {
			lasted = 7 * 60 * 1000
		}
		switch {
		case i%997 == 996:
			fmt.Fprintf(&b, "https %s truncated line %d\n", stamp(done), i)
		default:
			extra := ""
			if i%13 == 0 {
				extra = ` "-" "-" "-" "10.0.0.7:8080" "200" "-" "-" TID_1234`
			}
			fmt.Fprintf(&b, `https %s app/lb/50dc 10.1.2.3:5%04d 10.0.0.7:8080 0.000 0.%03d 0.000 200 200 512 1024 "POST https://api.example.com:443/v1/predict?i=%d HTTP/1.1" "agent/%d" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:tg/%d "Root=1-%08x" "api.example.com" "arn:cert" 0 %s "forward"%s`+"\n",
				stamp(done), i%10000, lasted%1000, i, i%3, node, i, stamp(done-lasted), extra)
		}
	}
	return b.Bytes()
}

func gzipped(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readAheadFS is a directory of three nodes' logs, two 5-minute files
// each, one gzipped and cut short so that it ends with a read error.
func readAheadFS(t *testing.T) fstest.MapFS {
	fsys := fstest.MapFS{}
	for node := range 3 {
		for part := range 2 {
			log := readAheadLog(node, 8_000, part*300)
			name := fmt.Sprintf("logs/node%d_%d.log", node, part)
			if node == 1 {
				log, name = gzipped(t, log), name+".gz"
			}
			fsys[name] = &fstest.MapFile{Data: log}
		}
	}
	return fsys
}

// albState is what a reader of an instant stream sees after a call.
type albState struct {
	at       int64
	err      string
	warnings string
	failFile string
}

func albStates(t *testing.T, s instantStream, calls int) []albState {
	t.Helper()
	var out []albState
	for range calls {
		v, _, err := s.next()
		st := albState{at: v, warnings: strings.Join(s.warnings(), "\n"), failFile: s.fail(0, "", "x").File}
		if err != nil {
			st.err = err.Error()
		}
		out = append(out, st)
		if err != nil {
			break
		}
	}
	return out
}

// TestReadAheadMatchesInLine reads ALB traces (a directory of several
// nodes' files with malformed and late lines, a truncated gzip, strict
// mode) in line and read ahead, stopping at points around the batch
// boundaries: after every call the arrival, the error, the warnings and
// the file errors name must be the same, whatever the goroutines did.
func TestReadAheadMatchesInLine(t *testing.T) {
	fsys := readAheadFS(t)
	truncated := gzipped(t, readAheadLog(0, 20_000, 0))
	truncated = truncated[:len(truncated)*2/3]
	cases := []struct {
		name string
		p    traceParams
	}{
		{"directory", traceParams{path: "logs", format: albFormat(), fsys: fsys, name: "logs"}},
		{"strict", traceParams{path: "logs", format: albFormat(), fsys: fsys, name: "logs", strict: true}},
		{"truncated gzip", traceParams{path: "cut.log.gz", format: albFormat(),
			open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(truncated)), nil }}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			open := func() *albStream {
				p := c.p
				s, err := openALB(&p)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			in := open()
			want := albStates(t, in, 1<<30)
			_ = in.Close()
			if len(want) < 3*albBatchLen && c.name == "directory" {
				t.Fatalf("only %d calls: the trace must span several batches", len(want))
			}
			last := want[len(want)-1]
			if last.err == "" || c.name != "strict" && last.warnings == "" {
				t.Fatalf("the fixture should end in an error and warn: %+v", last)
			}
			for _, stop := range []int{0, 1, albBatchLen - 1, albBatchLen, albBatchLen + 1, 2*albBatchLen + 5, len(want) - 1, len(want)} {
				if stop > len(want) {
					continue
				}
				a := readAheadALB(open())
				got := albStates(t, a, stop)
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("stop %d, call %d: read ahead %+v, in line %+v", stop, i+1, got[i], want[i])
					}
				}
				_ = a.Close()
				_ = a.Close()
				ref := open()
				albStates(t, ref, stop)
				_ = ref.Close()
				_, _, werr := ref.next()
				if _, _, err := a.next(); fmt.Sprint(err) != fmt.Sprint(werr) {
					t.Fatalf("stop %d, after Close: %v; in line %v", stop, err, werr)
				}
			}
		})
	}
}

// TestReadAheadStops checks Close ends the goroutines of a replay stopped
// early and of one read to the end, and that a read-ahead reader reports
// the bytes it was given and nothing more.
func TestReadAheadStops(t *testing.T) {
	base := runtime.NumGoroutine()
	fsys := readAheadFS(t)
	for _, calls := range []int{0, 10, 1 << 30} {
		s, err := openALB(&traceParams{path: "logs", format: albFormat(), fsys: fsys, name: "logs"})
		if err != nil {
			t.Fatal(err)
		}
		a := readAheadALB(s)
		albStates(t, a, calls)
		_ = a.Close()
	}
	// A goroutine that has closed its done channel may take a moment to
	// be gone.
	for range 1000 {
		if runtime.NumGoroutine() <= base {
			break
		}
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines left running, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}

	data := bytes.Repeat([]byte("0123456789abcdef\n"), 100_000)
	boom := errors.New("boom")
	br := newBlockReader(io.MultiReader(bytes.NewReader(data), iotest{err: boom}))
	var got []byte
	for {
		b, _, err := br.slice('\n')
		got = append(got, b...)
		if err != nil {
			if err != boom {
				t.Fatalf("error %v, want the reader's", err)
			}
			break
		}
	}
	br.Close()
	if !slices.Equal(got, data) {
		t.Fatalf("read %d bytes, want the %d given", len(got), len(data))
	}
	if _, _, err := br.slice('\n'); err != io.ErrClosedPipe {
		t.Fatalf("after Close: %v", err)
	}
}

// iotest is a reader that fails.
type iotest struct{ err error }

func (r iotest) Read([]byte) (int, error) { return 0, r.err }
