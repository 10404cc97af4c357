package records_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/records"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestReadMetrics(t *testing.T) {
	rec := readFiles(t, "metrics", "metrics.json")
	want := []struct {
		metric    records.Metric
		id, label string
		first     float64
		last      float64
	}{
		{records.GroupDesiredCapacity, "desired", "web-asg GroupDesiredCapacity", 2, 4},
		{records.GroupInServiceInstances, "m2", "GroupInServiceInstances", 2, 3},
		{records.GroupPendingInstances, "pending", "web-asg GroupPendingInstances", 0, 0},
		{records.CPUUtilization, "cpu", "CPUUtilization", 41.5, 48.5},
		{records.RequestCount, "request_count", "app/web-alb/50dc6c495c0c9188 RequestCount", 1200, 1705},
		{records.TargetResponseTime, "latency", "TargetResponseTime", 0.042, 0.052},
	}
	if len(rec.Series) != len(want) {
		t.Fatalf("%d series, want %d", len(rec.Series), len(want))
	}
	t0 := utc("2026-01-10T02:00:00Z")
	for i, w := range want {
		s := rec.Series[i]
		if s.Metric != w.metric || s.ID != w.id || s.Label != w.label || len(s.Points) != 10 {
			t.Errorf("series %d: %s %q %q with %d points, want %s %q %q with 10", i, s.Metric, s.ID, s.Label, len(s.Points), w.metric, w.id, w.label)
			continue
		}
		for j, p := range s.Points {
			if !p.At.Equal(t0.Add(time.Duration(j) * time.Minute)) {
				t.Errorf("%s: point %d at %v", s.Metric, j, p.At)
			}
		}
		if s.Points[0].Value != w.first || s.Points[9].Value != w.last {
			t.Errorf("%s: first %g, last %g; want %g, %g", s.Metric, s.Points[0].Value, s.Points[9].Value, w.first, w.last)
		}
	}
	notes := strings.Join(rec.Notes, "\n")
	for _, want := range []string{`Id "m2", Label "GroupInServiceInstances"): StatusCode PartialData`, `Id "m7", Label "HealthyHostCount") is none of the metrics`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if len(rec.Notes) != 2 {
		t.Errorf("notes = %q, want 2", rec.Notes)
	}
}

// Pages in several files join; a series under another Id is refused.
func TestReadMetricsPages(t *testing.T) {
	page := func(id, stamp string, v string) string {
		return `{"MetricDataResults": [{"Id": "` + id + `", "Label": "x", "Timestamps": [` + stamp + `], "Values": [` + v + `], "StatusCode": "Complete"}], "Messages": []}`
	}
	f := format(t, "metrics")
	rec := &records.Record{}
	for _, p := range []string{page("cpu", `"2026-01-10T02:01:00Z"`, "2"), page("cpu", `"2026-01-10T02:00:00+00:00"`, "1"), page("cpu", "1768010460", "2")} {
		if err := f.Read("p.json", strings.NewReader(p), rec); err != nil {
			t.Fatal(err)
		}
	}
	want := []records.Point{{At: utc("2026-01-10T02:00:00Z"), Value: 1}, {At: utc("2026-01-10T02:01:00Z"), Value: 2}}
	if len(rec.Series) != 1 || !reflect.DeepEqual(rec.Series[0].Points, want) {
		t.Fatalf("series = %+v, want cpu with %v", rec.Series, want)
	}
	other := strings.Replace(page("m1", `"2026-01-10T02:02:00Z"`, "3"), `"x"`, `"CPUUtilization"`, 1)
	err := f.Read("q.json", strings.NewReader(other), rec)
	if err == nil || !strings.Contains(err.Error(), `q.json:1: MetricDataResults[0] (Id "m1", Label "CPUUtilization") and the series with Id "cpu" both hold CPUUtilization`) {
		t.Fatalf("a second series of CPU in another file: %v", err)
	}
}

func TestMatchMetric(t *testing.T) {
	cases := []struct {
		id, label string
		want      records.Metric
	}{
		{"desired", "", records.GroupDesiredCapacity},
		{"m1", "GroupDesiredCapacity", records.GroupDesiredCapacity},
		{"m1", "groupdesiredcapacity", records.GroupDesiredCapacity},
		{"in_service", "", records.GroupInServiceInstances},
		{"InService", "", records.GroupInServiceInstances},
		{"in-service", "", records.GroupInServiceInstances},
		{"m1", "my-asg GroupInServiceInstances", records.GroupInServiceInstances},
		{"PENDING", "", records.GroupPendingInstances},
		{"cpu", "", records.CPUUtilization},
		{"m1", "CPUUtilization Average", records.CPUUtilization},
		{"requests", "", records.RequestCount},
		{"request_count", "", records.RequestCount},
		{"m1", "app/my-alb/123 RequestCount", records.RequestCount},
		{"response_time", "", records.TargetResponseTime},
		{"Latency", "", records.TargetResponseTime},
		{"m1", "TargetResponseTime p99", records.TargetResponseTime},
		{"m1", "RequestCountPerTarget", ""},
		{"m1", "HealthyHostCount", ""},
		{"m1", "GroupDesiredCapacity vs GroupInServiceInstances", ""},
	}
	for _, c := range cases {
		text := `{"MetricDataResults": [{"Id": "` + c.id + `", "Label": "` + c.label + `", "Timestamps": ["2026-01-10T02:00:00Z"], "Values": [1]}]}`
		rec := &records.Record{}
		if err := format(t, "metrics").Read("m.json", strings.NewReader(text), rec); err != nil {
			t.Fatal(err)
		}
		var got records.Metric
		if len(rec.Series) == 1 {
			got = rec.Series[0].Metric
		}
		if got != c.want {
			t.Errorf("Id %q, Label %q read as %q, want %q", c.id, c.label, got, c.want)
		}
	}
	for _, m := range records.Metrics() {
		if got, ok := records.ParseMetric(m.Alias()); !ok || got != m {
			t.Errorf("ParseMetric(%q) = %q, %v", m.Alias(), got, ok)
		}
	}
}

// record is a history as a simulation would compose it.
func record() *records.Record {
	alarm := &records.Change{At: utc("2026-01-10T02:06:00Z"), From: 2, To: 4, Trigger: records.AlarmTrigger("TargetTracking-web-asg-AlarmHigh-1a2b", "cpu50")}
	sched := &records.Change{At: utc("2026-01-10T03:00:00Z"), From: 4, To: 3, Trigger: records.ScheduledTrigger(1, 10, 3)}
	reason := "We currently do not have sufficient c5.xlarge capacity in the Availability Zone you requested (us-east-1b)."
	acts := []records.Activity{
		{Group: "web-asg", Kind: records.Launch, Status: records.StatusSuccessful, Start: utc("2026-01-10T02:06:13.150Z"), End: utc("2026-01-10T02:06:45Z"),
			Instance: "i-0000000000000001", Zone: "us-east-1a", Description: records.LaunchDescription("i-0000000000000001"),
			Cause: records.LaunchCause(alarm, utc("2026-01-10T02:06:11Z"), 2, 4), Change: alarm},
		{Group: "web-asg", Kind: records.Launch, Status: records.StatusFailed, StatusMessage: reason, Start: utc("2026-01-10T02:06:14Z"), End: utc("2026-01-10T02:06:14Z"),
			Zone: "us-east-1b", Description: records.FailedLaunchDescription(reason),
			Cause: records.LaunchCause(alarm, utc("2026-01-10T02:06:11Z"), 2, 4), Change: alarm},
		{Group: "web-asg", Kind: records.Launch, Status: records.StatusSuccessful, Start: utc("2026-01-10T02:20:01.000001Z"), End: utc("2026-01-10T02:20:30Z"),
			Instance: "i-0000000000000002", Zone: "us-east-1c", Description: records.LaunchDescription("i-0000000000000002"),
			Cause: records.LaunchCause(nil, utc("2026-01-10T02:20:00Z"), 3, 4)},
		{Group: "web-asg", Kind: records.Terminate, Status: records.StatusSuccessful, Start: utc("2026-01-10T03:00:04Z"), End: utc("2026-01-10T03:01:10Z"),
			Instance: "i-0000000000000001", Zone: "us-east-1a", Description: records.TerminateDescription("i-0000000000000001"),
			Cause: records.TerminateCause(sched, utc("2026-01-10T03:00:04Z"), 4, 3, "i-0000000000000001"), Change: sched},
		{Group: "web-asg", Kind: records.Launch, Status: records.StatusInProgress, Start: utc("2026-01-10T03:10:00.5Z"),
			Instance: "i-0000000000000003", Zone: "us-east-1b", Description: records.LaunchDescription("i-0000000000000003"),
			Cause: records.LaunchCause(nil, utc("2026-01-10T03:10:00Z"), 3, 4)},
	}
	rec := &records.Record{Activities: acts}
	t0 := utc("2026-01-10T02:00:00Z")
	for k, m := range records.Metrics() {
		s := records.Series{Metric: m}
		for i := range 5 {
			s.Points = append(s.Points, records.Point{At: t0.Add(time.Duration(i) * time.Minute), Value: float64(k*10+i) / 4})
		}
		rec.Series = append(rec.Series, s)
	}
	return rec
}

// write writes rec in the named format.
func write(t *testing.T, name string, rec *records.Record) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := format(t, name).Write(&b, rec); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Write then Read gives the record back: activities with their kinds,
// instances, zones and changes parsed from the written texts.
func TestRoundTrip(t *testing.T) {
	rec := record()
	got := &records.Record{}
	for _, name := range []string{"activities", "metrics"} {
		if err := format(t, name).Read(name+".json", bytes.NewReader(write(t, name, rec)), got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	want := record()
	for i := range want.Activities {
		a := &want.Activities[i]
		a.ID, a.Details = records.ActivityID(*a), records.ZoneDetails(a.Zone)
	}
	for i := range want.Series {
		s := &want.Series[i]
		s.ID, s.Label = s.Metric.Alias(), string(s.Metric)
	}
	if !reflect.DeepEqual(got.Activities, want.Activities) {
		for i := range got.Activities {
			t.Logf("got  %+v %+v\nwant %+v %+v", got.Activities[i], got.Activities[i].Change, want.Activities[i], want.Activities[i].Change)
		}
		t.Error("activities differ after a round trip")
	}
	if !reflect.DeepEqual(got.Series, want.Series) {
		t.Errorf("series differ after a round trip:\n got %+v\nwant %+v", got.Series, want.Series)
	}
	if len(got.Notes) != 0 {
		t.Errorf("notes %q", got.Notes)
	}
	// A record read from AWS's files is written back as it was read.
	for _, c := range []struct {
		name  string
		files []string
	}{{"activities", []string{"activities_page1.json", "activities_page2.json"}}, {"metrics", []string{"metrics.json"}}} {
		rec := readFiles(t, c.name, c.files...)
		again := &records.Record{}
		if err := format(t, c.name).Read("again.json", bytes.NewReader(write(t, c.name, rec)), again); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again.Activities, rec.Activities) || !reflect.DeepEqual(again.Series, rec.Series) {
			t.Errorf("%s: the fixture's record changes when written and read again", c.name)
		}
	}
}

// The writers' bytes, against golden files (go test ./records -run
// TestWriteGolden -update rewrites them).
func TestWriteGolden(t *testing.T) {
	for _, name := range []string{"activities", "metrics"} {
		got := write(t, name, record())
		if again := write(t, name, record()); !bytes.Equal(got, again) {
			t.Errorf("%s: two writes of one record differ", name)
		}
		path := filepath.Join("testdata", "written_"+name+".json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: written bytes differ from %s (rerun with -update after checking):\n%s", name, path, got)
		}
	}
}

// The writer refuses a value JSON cannot hold.
func TestWriteMetricsNaN(t *testing.T) {
	rec := &records.Record{Series: []records.Series{{Metric: records.CPUUtilization, Points: []records.Point{{At: utc("2026-01-10T02:00:00Z"), Value: nanValue()}}}}}
	if err := format(t, "metrics").Write(&bytes.Buffer{}, rec); err == nil {
		t.Error("NaN written")
	}
	var ie *records.InputError
	if err := (records.Format{}).Read("x", strings.NewReader("{}"), rec); !errors.As(err, &ie) {
		t.Errorf("the zero Format's Read returned %v", err)
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}
