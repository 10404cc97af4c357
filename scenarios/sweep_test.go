package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

func TestParseVary(t *testing.T) {
	good := []struct {
		in   string
		path string
		want []string
	}{
		{"strategies.fixed.count=4,6,8", "strategies.fixed.count", []string{"4", "6", "8"}},
		{" workload.rate = 40..80/10 ", "workload.rate", []string{"40", "50", "60", "70", "80"}},
		{"workload.rate=1..3", "workload.rate", []string{"1", "2", "3"}},
		{"workload.rate=40..75/10", "workload.rate", []string{"40", "50", "60", "70"}},
		{"workload.rate=1..2,10,20..30/10", "workload.rate", []string{"1", "2", "10", "20", "30"}},
		{"workload.rate=-10..10/10", "workload.rate", []string{"-10", "0", "10"}},
		{"strategies.asg.policy.target=0.1..0.3/0.1", "strategies.asg.policy.target", []string{"0.1", "0.2", "0.3"}},
		{"x=0.5..2/0.5", "x", []string{"0.5", "1", "1.5", "2"}},
		{"x=5..5", "x", []string{"5"}},
		{"service.timeout=500ms,1s,2s", "service.timeout", []string{"500ms", "1s", "2s"}},
		{"strategies.resize.ladder=[m5.large, m5.xlarge],[m5.xlarge, m5.2xlarge]", "strategies.resize.ladder",
			[]string{"[m5.large, m5.xlarge]", "[m5.xlarge, m5.2xlarge]"}},
		{`name="a,b",c`, "name", []string{`"a,b"`, "c"}},
		{"workload.path=../a.csv,../b.csv", "workload.path", []string{"../a.csv", "../b.csv"}},
	}
	for _, tt := range good {
		got, err := ParseVary(tt.in)
		if err != nil || got.Path != tt.path || !slices.Equal(got.Values, tt.want) {
			t.Errorf("ParseVary(%q) = %v, %v; want %s %q", tt.in, got, err, tt.path, tt.want)
		}
	}
	bad := []struct{ in, want string }{
		{"strategies.fixed.count", "--vary strategies.fixed.count: want PATH=V1,V2,..."},
		{"=1,2", "want PATH=V1,V2,..."},
		{"a..b=1", `"a..b" is not a field path`},
		{"a b=1", `"a b" is not a field path`},
		{"x=", "an empty value"},
		{"x=1,,2", "an empty value"},
		{"x=1,2,1", "the value 1 appears twice"},
		{"x=1..3,2", "the value 2 appears twice"},
		{"x=80..40/10", `range "80..40/10": the start is above the end`},
		{"x=40..80/0", `range "40..80/0": the step must be > 0`},
		{"x=40..80/-10", "the step must be > 0"},
		{"x=40..eighty", `range "40..eighty": "eighty" is not a number`},
		{"x=40..80/ten", `"ten" is not a number`},
		{"x=1..100000", "more than 10000 values"},
	}
	for _, tt := range bad {
		_, err := ParseVary(tt.in)
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseVary(%q) error = %v, want an *Error containing %q", tt.in, err, tt.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	for in, want := range map[string]Shard{"1/1": {1, 1}, "3/7": {3, 7}, " 2 / 2 ": {2, 2}} {
		if got, err := ParseShard(in); err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"3":       "want I/N",
		"a/3":     "I and N must be whole numbers",
		"1/0":     "N must be at least 1 (got 0)",
		"0/3":     "I must be from 1 to 3 (got 0)",
		"4/3":     "I must be from 1 to 3 (got 4)",
		"-1/3":    "I must be from 1 to 3 (got -1)",
		"1/10001": "N must be at most 10000",
	} {
		_, err := ParseShard(in)
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "--shard "+in+": "+want) {
			t.Errorf("ParseShard(%q) error = %v, want %q", in, err, want)
		}
	}
}

// sweepTwo sweeps testdata/two.yaml, shortened, over two axes (4 points).
func sweepTwo(t *testing.T, workers int, shard Shard, extra ...string) *reports.Sweep {
	t.Helper()
	opts := SweepOptions{
		Axes: []reports.Axis{
			{Path: "strategies.small.count", Values: []string{"2", "3"}},
			{Path: "workload.peak", Values: []string{"300", "400"}},
		},
		Sets:  append([]string{"duration=4m", "warmup=30s"}, extra...),
		Run:   RunOptions{Workers: workers, Checks: true},
		Shard: shard,
	}
	s, err := Sweep(context.Background(), twoLoader, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func twoLoader(sets []string) (*Scenario, error) { return Load(os.DirFS("testdata"), "two.yaml", sets) }

func sweepJSON(t *testing.T, s *reports.Sweep) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := reports.WriteSweepJSON(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// strategiesJSON returns the compacted "strategies" array of a JSON object.
func strategiesJSON(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var obj struct{ Strategies json.RawMessage }
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, obj.Strategies); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSweepPointsMatchRuns: each point's summaries are, byte for byte, those
// of a run with the same --set flags.
func TestSweepPointsMatchRuns(t *testing.T) {
	s := sweepTwo(t, 2, Shard{})
	var out struct{ Points []json.RawMessage }
	if err := json.Unmarshal(sweepJSON(t, s), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Points) != 4 {
		t.Fatalf("%d points, want 4", len(out.Points))
	}
	for k, p := range s.Points {
		sets := append([]string{"duration=4m", "warmup=30s"}, p.Vary.Sets()...)
		res := run(t, loadTwo(t, sets...), RunOptions{Workers: 1})
		if got, want := strategiesJSON(t, out.Points[k]), strategiesJSON(t, json.RawMessage(jsonOf(t, res))); got != want {
			t.Errorf("point %d (%s):\n sweep %s\n   run %s", k, p.Vary, got, want)
		}
	}
	if s.Points[0].Strategies[0].Requests.Arrived == s.Points[1].Strategies[0].Requests.Arrived {
		t.Error("points 0 and 1 vary workload.peak but have the same arrivals")
	}
}

// TestSweepWorkers: 1, 2 and 4 workers give the same bytes.
func TestSweepWorkers(t *testing.T) {
	want := sweepJSON(t, sweepTwo(t, 1, Shard{}))
	for _, w := range []int{2, 4} {
		if got := sweepJSON(t, sweepTwo(t, w, Shard{})); !bytes.Equal(got, want) {
			t.Errorf("%d workers: the JSON differs from 1 worker's", w)
		}
	}
}

// TestSweepShardsMerge: shards 1..N, read back and merged, give the
// unsharded bytes, for N up to beyond the grid's 4 points.
func TestSweepShardsMerge(t *testing.T) {
	whole := sweepJSON(t, sweepTwo(t, 2, Shard{}))
	for _, n := range []int{1, 2, 3, 7} {
		var parts []reports.SweepPart
		hashes := map[string]bool{}
		for i := 1; i <= n; i++ {
			part := sweepTwo(t, 2, Shard{Index: i, Count: n})
			if want := max(0, (4-i+n)/n); len(part.Points) != want {
				t.Errorf("shard %d/%d holds %d points, want %d", i, n, len(part.Points), want)
			}
			hashes[part.Shard.GridHash] = true
			back, err := reports.ReadSweep(bytes.NewReader(sweepJSON(t, part)))
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, reports.SweepPart{Name: fmt.Sprintf("%d", i), Sweep: back})
		}
		if len(hashes) != 1 {
			t.Errorf("N=%d: the shards have %d grid hashes, want 1", n, len(hashes))
		}
		merged, err := reports.MergeSweeps(parts)
		if err != nil {
			t.Fatal(err)
		}
		if got := sweepJSON(t, merged); !bytes.Equal(got, whole) {
			t.Errorf("N=%d: merged JSON differs from the unsharded sweep", n)
		}
	}
}

func TestGridHash(t *testing.T) {
	base, err := twoLoader([]string{"duration=4m"})
	if err != nil {
		t.Fatal(err)
	}
	axes := []reports.Axis{{Path: "workload.peak", Values: []string{"300", "400"}}}
	seed := uint64(3)
	hash := func(o SweepOptions) string {
		h, err := GridHash(base, o)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	ref := hash(SweepOptions{Axes: axes})
	same := []SweepOptions{
		{Axes: axes, Run: RunOptions{Workers: 7}},
		{Axes: axes, Shard: Shard{2, 3}},
		{Axes: axes, Run: RunOptions{Replications: 1}},
	}
	for _, o := range same {
		if h := hash(o); h != ref {
			t.Errorf("%+v: hash %s, want %s (workers and shards do not change results)", o, h, ref)
		}
	}
	differ := []SweepOptions{
		{Axes: []reports.Axis{{Path: "workload.peak", Values: []string{"300", "500"}}}},
		{Axes: axes, Run: RunOptions{Seed: &seed}},
		{Axes: axes, Run: RunOptions{Replications: 2}},
		{Axes: axes, Run: RunOptions{Strategies: []string{"big"}}},
		{Axes: axes, SLO: []reports.SLOClause{{Key: "latency_ms.p99", Op: "<=", Value: 300}}},
	}
	for _, o := range differ {
		if h := hash(o); h == ref || len(h) != 16 {
			t.Errorf("%+v: hash %s, want 16 hex digits other than %s", o, h, ref)
		}
	}
	other, err := twoLoader([]string{"duration=5m"})
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := GridHash(other, SweepOptions{Axes: axes}); h == ref {
		t.Error("a different --set gives the same hash")
	}
}

func TestSweepRefuses(t *testing.T) {
	axis := func(path string, vals ...string) reports.Axis { return reports.Axis{Path: path, Values: vals} }
	tests := []struct {
		name string
		opts SweepOptions
		want string
	}{
		{"no axes", SweepOptions{}, "a sweep needs at least one --vary"},
		{"path twice", SweepOptions{Axes: []reports.Axis{axis("workload.peak", "1"), axis("workload.peak", "2")}}, "--vary workload.peak: the path is varied twice"},
		{"too many points", SweepOptions{Axes: []reports.Axis{axis("a", make([]string, 200)...), axis("b", make([]string, 200)...)}}, "the grid has more than 10000 points"},
		{"unknown path", SweepOptions{Axes: []reports.Axis{axis("strategies.smal.count", "2")}},
			`--vary strategies.smal.count (value 2): no strategy named "smal" in strategies; did you mean "small"?`},
		{"bad value at a later point", SweepOptions{Axes: []reports.Axis{axis("strategies.small.count", "2", "0")}},
			"--vary strategies.small.count (value 0)"},
		{"unknown strategy", SweepOptions{Axes: []reports.Axis{axis("workload.peak", "300")}, Run: RunOptions{Strategies: []string{"huge"}}},
			`scenario two has no strategy named "huge"`},
		{"bad shard", SweepOptions{Axes: []reports.Axis{axis("workload.peak", "300")}, Shard: Shard{3, 2}}, "--shard 3/2: I must be from 1 to 2"},
	}
	for _, tt := range tests {
		_, err := Sweep(context.Background(), twoLoader, tt.opts)
		if !IsInputError(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want an input error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestSweepProgress(t *testing.T) {
	var last, total float64
	calls := 0
	opts := SweepOptions{
		Axes: []reports.Axis{{Path: "workload.peak", Values: []string{"300", "400"}}},
		Sets: []string{"duration=2m", "warmup=0s"},
		Run: RunOptions{Workers: 2, Strategies: []string{"big"}, Progress: func(done, tot float64) {
			calls++
			if done < last-1e-9 && tot == total {
				t.Errorf("progress went back: %v after %v", done, last)
			}
			last, total = done, tot
		}},
	}
	if _, err := Sweep(context.Background(), twoLoader, opts); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || total != 240 || last != 240 {
		t.Errorf("progress: %d calls, last %v of %v; want the end at 240 of 240 simulated seconds", calls, last, total)
	}
}

// TestShardFromEnv: an Indexed Job's 0-based index and the shard count
// the Job sets make the shard; without the index there is none; an index
// without a count, or values that make no shard, are errors naming them.
func TestShardFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want Shard
		ok   bool
		err  string
	}{
		{map[string]string{}, Shard{}, false, ""},
		{map[string]string{EnvShards: "4"}, Shard{}, false, ""},
		{map[string]string{EnvCompletionIndex: "0", EnvShards: "4"}, Shard{Index: 1, Count: 4}, true, ""},
		{map[string]string{EnvCompletionIndex: " 3", EnvShards: "4 "}, Shard{Index: 4, Count: 4}, true, ""},
		{map[string]string{EnvCompletionIndex: "2"}, Shard{}, false, "JOB_COMPLETION_INDEX=2 is set (a Kubernetes Indexed Job), but SCALESIM_SHARDS is not"},
		{map[string]string{EnvCompletionIndex: "-1", EnvShards: "4"}, Shard{}, false, `JOB_COMPLETION_INDEX="-1": want a 0-based index`},
		{map[string]string{EnvCompletionIndex: "4", EnvShards: "4"}, Shard{}, false, "JOB_COMPLETION_INDEX=4 and SCALESIM_SHARDS=4 do not make a shard"},
	} {
		sh, ok, err := ShardFromEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
		if sh != tc.want || ok != tc.ok || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%v: shard %+v, %v, %v; want %+v, %v, %q", tc.env, sh, ok, err, tc.want, tc.ok, tc.err)
		}
	}
}
