package reports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// explainedResult has two strategies' decisions and events, interleaved
// in time, with a reason that needs quoting and a target never reached.
func explainedResult() *Result {
	s := func(sec float64) sim.Time { return sim.Time(sim.FromSeconds(sec)) }
	return &Result{
		Strategies: []StrategySummary{{Name: "asg"}, {Name: "resize"}},
		Decisions: []DecisionRecord{
			{Strategy: "asg", At: s(1980), From: 6, To: 14, InstanceType: "m5.xlarge", InService: 6, Pending: 0,
				Reason: `target tracking cpu: AlarmHigh 3 of 3 datapoints above 50 (65.2, 63.2, 64.1); ceil(6 × 64.1 / 50) = 14`, ReachedAt: s(2200)},
			{Strategy: "asg", At: s(5400), From: 14, To: 6, InstanceType: "m5.xlarge", InService: 14, Pending: 0,
				Reason: `scale in "slowly"`, ReachedAt: -1},
			{Strategy: "resize", At: s(2040), From: 1, To: 1, InstanceType: "m5.4xlarge", InService: 1,
				Reason: "vertical: up alarm\n3 of 3", ReachedAt: s(2400)},
		},
		Events: []EventRecord{
			{Strategy: "asg", At: s(2190.5), Kind: "in_service", Detail: "instance 7 (m5.xlarge, zone b) in service"},
			{Strategy: "resize", At: s(2040), Kind: "resize", Detail: "stop/start resize m5.2xlarge → m5.4xlarge"},
			{Strategy: "resize", At: s(90061), Kind: "resized", Detail: "now serving on m5.4xlarge"},
		},
	}
}

func TestGoldenDecisions(t *testing.T) {
	r := explainedResult()
	for _, c := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"decisions.csv", func(b *bytes.Buffer) error { return WriteDecisionsCSV(b, r) }},
		{"events.csv", func(b *bytes.Buffer) error { return WriteEventsCSV(b, r) }},
		{"explain.txt", func(b *bytes.Buffer) error { return WriteExplain(b, r) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.name, buf.Bytes())
		})
	}
}

func TestDecisionsCSVParses(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDecisionsCSV(&buf, explainedResult()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "strategy,time_s,time,from,to,instance_type,in_service,pending,reached_s,reason" {
		t.Errorf("header %q", got)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want a header and 3 decisions", len(recs))
	}
	first := recs[1]
	if first[1] != "1980" || first[2] != "00:33:00" || first[3] != "6" || first[4] != "14" || first[8] != "2200" ||
		!strings.HasPrefix(first[9], "target tracking cpu: AlarmHigh 3 of 3 datapoints above 50 (65.2, 63.2,") {
		t.Errorf("first decision %q", first)
	}
	if recs[2][8] != "" || recs[2][9] != `scale in "slowly"` {
		t.Errorf("unreached decision: reached %q, reason %q", recs[2][8], recs[2][9])
	}
	if recs[3][9] != "vertical: up alarm 3 of 3" {
		t.Errorf("a reason on two lines became %q", recs[3][9])
	}
}

func TestExplainTimeOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteExplain(&buf, explainedResult()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"[asg] 00:33:00 scale 6→14: target tracking cpu:",
		"[resize] 00:34:00 resize to m5.4xlarge: vertical: up alarm 3 of 3",
		"[resize] 00:34:00 resize: stop/start resize",
		"[asg] 00:36:30 in_service: instance 7",
		"[asg] 00:36:40 capacity 14 reached",
		"[resize] 00:40:00 capacity 1 (m5.4xlarge) reached",
		"[asg] 01:30:00 scale 14→6: scale in \"slowly\"",
		"[resize] 25:01:01 resized: now serving on m5.4xlarge",
	}
	got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), buf.String())
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("line %d = %q, want it to start %q", i+1, got[i], want[i])
		}
	}
}

func TestDecisionWritersReturnErrors(t *testing.T) {
	r := explainedResult()
	for _, w := range []func() error{
		func() error { return WriteDecisionsCSV(failWriter{}, r) },
		func() error { return WriteEventsCSV(failWriter{}, r) },
		func() error { return WriteExplain(failWriter{}, r) },
	} {
		if err := w(); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("got %v, want the writer's error", err)
		}
	}
}
