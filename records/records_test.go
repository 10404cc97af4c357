package records_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/records"
)

// format returns the named format or stops the test.
func format(t testing.TB, name string) records.Format {
	t.Helper()
	f, ok := records.LookupFormat(name)
	if !ok {
		t.Fatalf("no format %q", name)
	}
	return f
}

// readFiles reads the testdata files into one record.
func readFiles(t testing.TB, name string, files ...string) *records.Record {
	t.Helper()
	rec := &records.Record{}
	for _, file := range files {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		if err := format(t, name).Read(file, bytes.NewReader(data), rec); err != nil {
			t.Fatalf("Read(%s): %v", file, err)
		}
	}
	return rec
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestFormats(t *testing.T) {
	var names []string
	for _, f := range records.Formats() {
		names = append(names, f.Name)
		if f.Summary == "" || !strings.HasPrefix(f.Command, "aws ") {
			t.Errorf("format %s: Summary %q, Command %q", f.Name, f.Summary, f.Command)
		}
		if g, ok := records.LookupFormat(f.Name); !ok || g.Name != f.Name {
			t.Errorf("LookupFormat(%q) = %v, %v", f.Name, g.Name, ok)
		}
	}
	if want := []string{"activities", "metrics"}; !slices.Equal(names, want) {
		t.Errorf("Formats() = %v, want %v", names, want)
	}
	if _, ok := records.LookupFormat("cloudwatch"); ok {
		t.Error("LookupFormat found a format that does not exist")
	}
}

// The fixture's activities, as read from its two pages: the pages overlap
// by two activities, printed once with "+00:00" and once with "Z".
func TestReadActivities(t *testing.T) {
	alarm := func(at string, from, to int) *records.Change {
		return &records.Change{At: utc(at), From: from, To: to,
			Trigger: "a monitor alarm TargetTracking-web-asg-AlarmHigh-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d in state ALARM triggered policy cpu50"}
	}
	created := &records.Change{At: utc("2026-01-10T01:50:00Z"), From: 0, To: 2, Trigger: "a user request created an AutoScalingGroup"}
	type want struct {
		id       string
		kind     records.Kind
		status   string
		instance string
		zone     string
		start    string
		end      string
		change   *records.Change
	}
	wants := []want{
		{"2b1a0f9e-8d7c-4b6a-8f5e-4d3c2b1a0f9e", records.Launch, "Successful", "i-03c4d5e6f7a8b9c0d", "us-east-1a", "2026-01-10T01:50:12.415Z", "2026-01-10T01:50:44Z", created},
		{"3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a", records.Launch, "Successful", "i-02b3c4d5e6f7a8b9c", "us-east-1b", "2026-01-10T01:50:12.415Z", "2026-01-10T01:50:45Z", created},
		{"7c1e9a52-3b4d-4f6a-8e2b-1d0c9f8e7a61", records.Launch, "Successful", "i-0a1b2c3d4e5f60789", "us-east-1a", "2026-01-10T02:06:13.15Z", "2026-01-10T02:06:45Z", alarm("2026-01-10T02:06:00Z", 2, 4)},
		{"0d5f4e3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f", records.Launch, "Failed", "", "us-east-1b", "2026-01-10T02:06:14Z", "2026-01-10T02:06:14Z", alarm("2026-01-10T02:06:00Z", 2, 4)},
		{"6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2f1e", records.Launch, "Successful", "i-01a2b3c4d5e6f7a8b", "us-east-1a", "2026-01-10T02:07:20.09Z", "2026-01-10T02:07:52Z", nil},
		{"80f9e8d7-c6b5-4a4f-8e3d-2c1b0a9f8e7d", records.Launch, "Cancelled", "i-0f4a5b6c7d8e90a1b", "us-east-1a", "2026-01-10T02:30:05Z", "2026-01-10T02:36:05Z",
			&records.Change{At: utc("2026-01-10T02:30:00Z"), From: 4, To: 5, Trigger: "a scheduled action update of AutoScalingGroup constraints to min: 2, max: 10, desired: 5"}},
		{"91a0b9c8-d7e6-4f5a-9b4c-3d2e1f0a9b8c", records.Terminate, "Successful", "i-0e3f4a5b6c7d80910", "us-east-1b", "2026-01-10T02:45:04.201Z", "2026-01-10T02:46:10Z",
			&records.Change{At: utc("2026-01-10T02:45:00Z"), From: 5, To: 3, Trigger: "a user request update of AutoScalingGroup constraints to min: 1, max: 10, desired: 3"}},
		{"a2b1c0d9-e8f7-4a6b-8c5d-4e3f2a1b0c9d", records.Terminate, "Successful", "i-0d2e3f4a5b6c70819", "us-east-1a", "2026-01-10T02:49:58.512Z", "2026-01-10T02:50:31Z", nil},
		{"b3c2d1e0-f9a8-4b7c-9d6e-5f4a3b2c1d0e", records.Other, "Successful", "i-0c1d2e3f4a5b60718", "us-east-1b", "2026-01-10T02:55:02Z", "2026-01-10T02:55:40Z", nil},
		{"e4f3a2b1-9c8d-4e7f-a6b5-c4d3e2f1a0b9", records.Launch, "InProgress", "i-0f9e8d7c6b5a40312", "us-east-1a", "2026-01-10T03:01:06.804Z", "", alarm("2026-01-10T03:01:00Z", 3, 4)},
	}
	for _, order := range [][]string{{"activities_page1.json", "activities_page2.json"}, {"activities_page2.json", "activities_page1.json"}} {
		rec := readFiles(t, "activities", order...)
		if len(rec.Activities) != len(wants) {
			t.Fatalf("%v: %d activities, want %d", order, len(rec.Activities), len(wants))
		}
		for i, w := range wants {
			a := rec.Activities[i]
			var end time.Time
			if w.end != "" {
				end = utc(w.end)
			}
			if a.ID != w.id || a.Kind != w.kind || a.Status != w.status || a.Instance != w.instance || a.Zone != w.zone ||
				!a.Start.Equal(utc(w.start)) || !a.End.Equal(end) || a.Group != "web-asg" || !reflect.DeepEqual(a.Change, w.change) {
				t.Errorf("%v: activity %d = %+v (change %+v), want %+v (change %+v)", order, i, a, a.Change, w, w.change)
			}
		}
		failed := rec.Activities[3]
		if !strings.HasPrefix(failed.StatusMessage, "We currently do not have sufficient c5.xlarge capacity") {
			t.Errorf("the failed launch's StatusMessage is %q", failed.StatusMessage)
		}
		if len(rec.Notes) != 1 || !strings.Contains(rec.Notes[0], "activities_page1.json: the export has a NextToken") {
			t.Errorf("notes = %q, want one on page 1's NextToken", rec.Notes)
		}
	}
}

func TestDescriptions(t *testing.T) {
	cases := []struct {
		desc     string
		kind     records.Kind
		instance string
	}{
		{"Launching a new EC2 instance: i-0d44425630326060f", records.Launch, "i-0d44425630326060f"},
		{records.LaunchDescription("i-0abc12345678"), records.Launch, "i-0abc12345678"},
		{"Launching a new EC2 instance.  Status Reason: Your Spot request price of 0.001 is lower than the minimum required Spot request fulfillment price of 0.0031. Launching EC2 instance failed.", records.Launch, ""},
		{records.FailedLaunchDescription("We currently do not have sufficient m5.large capacity."), records.Launch, ""},
		{"Launching a new EC2 instance from warm pool: i-0ea10fdc59a07df6e", records.Launch, "i-0ea10fdc59a07df6e"},
		{"Launching a new EC2 instance into warm pool: i-0ea10fdc59a07df6e", records.Other, "i-0ea10fdc59a07df6e"},
		{"Terminating EC2 instance: i-59824f1c", records.Terminate, "i-59824f1c"},
		{records.TerminateDescription("i-59824f1c"), records.Terminate, "i-59824f1c"},
		{"Terminating EC2 instance: i-59824f1c - Waiting For Lifecycle Action", records.Terminate, "i-59824f1c"},
		{"Moving EC2 instance out of Standby: i-0123456789abcdef0", records.Other, "i-0123456789abcdef0"},
		{"Updating load balancers", records.Other, ""},
		{"", records.Other, ""},
	}
	for _, c := range cases {
		rec := readOne(t, activityJSON(c.desc, "At 2026-01-10T02:06:00Z a user request explicitly set group desired capacity changing the desired capacity from 1 to 2."))
		if a := rec.Activities[0]; a.Kind != c.kind || a.Instance != c.instance {
			t.Errorf("%q: kind %v, instance %q; want %v, %q", c.desc, a.Kind, a.Instance, c.kind, c.instance)
		}
	}
}

// activityJSON is an export of one activity with desc and cause.
func activityJSON(desc, cause string) string {
	return `{"Activities": [{"ActivityId": "f9f2d65b-f1f2-43e7-b46d-d86756459699", "AutoScalingGroupName": "my-asg",
  "Description": ` + quote(desc) + `, "Cause": ` + quote(cause) + `,
  "StartTime": "2020-10-30T19:36:09.766Z", "EndTime": "2020-10-30T19:36:41Z", "StatusCode": "Successful", "Progress": 100,
  "Details": "{\"Subnet ID\":\"subnet-5ea0c127\",\"Availability Zone\":\"us-west-2b\"}"}]}`
}

func quote(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// readOne reads an activities export given as text.
func readOne(t *testing.T, text string) *records.Record {
	t.Helper()
	rec := &records.Record{}
	if err := format(t, "activities").Read("x.json", strings.NewReader(text), rec); err != nil {
		t.Fatalf("Read: %v", err)
	}
	return rec
}

// Causes as AWS writes them, from the describe-scaling-activities CLI
// reference and the EC2 Auto Scaling user guide (docs/records.md).
func TestCauses(t *testing.T) {
	cases := []struct {
		cause string
		want  *records.Change
	}{
		{"At 2020-10-30T19:35:51Z a user request update of AutoScalingGroup constraints to min: 0, max: 16, desired: 16 changing the desired capacity from 0 to 16.  At 2020-10-30T19:36:07Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 16.",
			&records.Change{At: utc("2020-10-30T19:35:51Z"), From: 0, To: 16, Trigger: "a user request update of AutoScalingGroup constraints to min: 0, max: 16, desired: 16"}},
		{"At 2026-01-10T02:06:00Z a monitor alarm TargetTracking-my-asg-AlarmHigh-1a2b in state ALARM triggered policy cpu50 changing the desired capacity from 2 to 4.  At 2026-01-10T02:06:11Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4.",
			&records.Change{At: utc("2026-01-10T02:06:00Z"), From: 2, To: 4, Trigger: "a monitor alarm TargetTracking-my-asg-AlarmHigh-1a2b in state ALARM triggered policy cpu50"}},
		{"At 2026-01-10T02:00:00Z a scheduled action update of AutoScalingGroup constraints to min: 2, max: 10, desired: 5 changing the desired capacity from 2 to 5.",
			&records.Change{At: utc("2026-01-10T02:00:00Z"), From: 2, To: 5, Trigger: "a scheduled action update of AutoScalingGroup constraints to min: 2, max: 10, desired: 5"}},
		// The console's rendering, one space between clauses.
		{"At 2017-06-13T17:19:15Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 1. At 2017-06-13T17:19:28Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.",
			&records.Change{At: utc("2017-06-13T17:19:15Z"), From: 0, To: 1, Trigger: "a user request created an AutoScalingGroup"}},
		// A policy named with a full stop.
		{"At 2026-01-10T02:06:00Z a monitor alarm hi.cpu in state ALARM triggered policy v1.2 changing the desired capacity from 10 to 12.",
			&records.Change{At: utc("2026-01-10T02:06:00Z"), From: 10, To: 12, Trigger: "a monitor alarm hi.cpu in state ALARM triggered policy v1.2"}},
		{"At 2016-01-06T21:06:02Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 1 to 2.", nil},
		{"At 2026-01-10T02:49:58Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.", nil},
		// Only the first clause states the change that caused the activity.
		{"At 2026-01-10T02:06:11Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4.  At 2026-01-10T02:06:00Z a user request explicitly set group desired capacity changing the desired capacity from 2 to 4.", nil},
		{"", nil},
		{"changing the desired capacity from 1 to 2.", nil},
	}
	for _, c := range cases {
		rec := readOne(t, activityJSON("Launching a new EC2 instance: i-0d44425630326060f", c.cause))
		if got := rec.Activities[0].Change; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", c.cause, got, c.want)
		}
	}
}

// The composers write the texts of the CLI reference's example 1
// (https://docs.aws.amazon.com/cli/latest/reference/autoscaling/describe-scaling-activities.html)
// and of the user guide's verify-a-scaling-activity page.
func TestComposeTexts(t *testing.T) {
	c := &records.Change{At: utc("2020-10-30T19:35:51Z"), From: 0, To: 16, Trigger: records.UserTrigger(0, 16, 16)}
	cases := []struct{ got, want string }{
		{records.LaunchCause(c, utc("2020-10-30T19:36:07.5Z"), 0, 16),
			"At 2020-10-30T19:35:51Z a user request update of AutoScalingGroup constraints to min: 0, max: 16, desired: 16 changing the desired capacity from 0 to 16.  At 2020-10-30T19:36:07Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 16."},
		{records.LaunchCause(nil, utc("2016-01-06T21:06:02Z"), 1, 2),
			"At 2016-01-06T21:06:02Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 1 to 2."},
		{records.TerminateCause(&records.Change{At: utc("2016-06-12T02:55:14Z"), From: 1, To: 0, Trigger: records.UserTrigger(0, 1, 0)}, utc("2016-06-12T02:55:41Z"), 1, 0, "i-59824f1c"),
			"At 2016-06-12T02:55:14Z a user request update of AutoScalingGroup constraints to min: 0, max: 1, desired: 0 changing the desired capacity from 1 to 0.  At 2016-06-12T02:55:41Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 1 to 0.  At 2016-06-12T02:55:41Z instance i-59824f1c was selected for termination."},
		{records.TerminateCause(nil, utc("2016-06-12T02:55:41Z"), 3, 2, ""),
			"At 2016-06-12T02:55:41Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 3 to 2."},
		{records.ChangeCause(records.Change{At: utc("2026-01-10T02:06:00Z"), From: 2, To: 4, Trigger: records.AlarmTrigger("TargetTracking-my-asg-AlarmHigh-1a2b", "cpu50")}),
			"At 2026-01-10T02:06:00Z a monitor alarm TargetTracking-my-asg-AlarmHigh-1a2b in state ALARM triggered policy cpu50 changing the desired capacity from 2 to 4."},
		{records.ScheduledTrigger(2, 10, 5), "a scheduled action update of AutoScalingGroup constraints to min: 2, max: 10, desired: 5"},
		{records.UnhealthyCause(utc("2026-01-10T02:49:58Z"), false),
			"At 2026-01-10T02:49:58Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped."},
		{records.UnhealthyCause(utc("2026-01-10T02:49:58Z"), true),
			"At 2026-01-10T02:49:58Z an instance was taken out of service in response to an ELB system health check failure."},
		{records.LaunchDescription("i-0d44425630326060f"), "Launching a new EC2 instance: i-0d44425630326060f"},
		{records.FailedLaunchDescription("x"), "Launching a new EC2 instance.  Status Reason: x"},
		{records.TerminateDescription("i-59824f1c"), "Terminating EC2 instance: i-59824f1c"},
		{records.ZoneDetails("us-west-2b"), `{"Subnet ID":"subnet-53068a63bfa1645a3","Availability Zone":"us-west-2b"}`},
		{records.ZoneDetails(""), "{}"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got  %q\nwant %q", c.got, c.want)
		}
	}
}

// Bad input: one line naming the file, the line and a fix.
func TestReadErrors(t *testing.T) {
	act := func(fields string) string {
		return "{\n\"Activities\": [\n{\"ActivityId\": \"a1\", \"Description\": \"Launching a new EC2 instance: i-0abc12345678\",\n" + fields + "}\n]\n}"
	}
	const start = `"StartTime": "2026-01-10T02:06:13Z"`
	series := func(fields string) string {
		return "{\"MetricDataResults\": [\n{\"Id\": \"cpu\", \"Label\": \"CPUUtilization\",\n" + fields + "}\n]}"
	}
	cases := []struct {
		name, format, text string
		line               int
		msg                string
	}{
		{"empty", "activities", " \n", 0, "the file is empty"},
		{"not JSON", "activities", "{\n\"Activities\": [\n{,}\n]}", 3, "not JSON"},
		{"trailing text", "activities", "{\"Activities\": []}\nmore", 2, "not JSON"},
		{"a number", "activities", "42", 1, "not a JSON object"},
		{"no Activities", "activities", "{\n\"ActivityIds\": []\n}", 0, "no Activities list"},
		{"metrics as activities", "activities", `{"MetricDataResults": []}`, 0, "this is a metrics export"},
		{"Activities not a list", "activities", "{\n\"Activities\":\n{}}", 2, "Activities is an object, not a list"},
		{"activity not an object", "activities", "{\"Activities\": [\n\"a1\"\n]}", 2, "Activities[0]"},
		{"no ActivityId", "activities", "[\n{\"StartTime\": \"2026-01-10T02:06:13Z\"}]", 2, "has no ActivityId"},
		{"no StartTime", "activities", act(`"StatusCode": "Successful"`), 3, "has no StartTime"},
		{"StartTime not a date", "activities", act("\"StatusCode\": \"Successful\",\n\"StartTime\": \"yesterday\""), 5, `StartTime "yesterday" is not a date-time`},
		{"StartTime without zone", "activities", act(`"StartTime": "2026-01-10T02:06:13"`), 4, "is not a date-time"},
		{"StartTime a number", "activities", act(`"StartTime": 1767996373`), 4, "Activities[0]"},
		{"EndTime not a date", "activities", act(start + ",\n\"EndTime\": \"soon\""), 5, `EndTime "soon" is not a date-time`},
		{"EndTime before StartTime", "activities", act(start + ",\n\"EndTime\": \"2026-01-10T02:06:12Z\""), 5, "ends (2026-01-10T02:06:12Z) before it starts"},
		{"capacity not a number", "activities", act(start + ",\n\"Cause\": \"At 2026-01-10T02:06:00Z a user request explicitly set group desired capacity changing the desired capacity from 1 to two.\""), 5, `from "1" to "two"`},
		{"capacity a fraction", "activities", act(start + ",\n\"Cause\": \"At 2026-01-10T02:06:00Z a user request explicitly set group desired capacity changing the desired capacity from 1.5 to 2.\""), 5, `from "1.5" to "2"`},
		{"Cause instant", "activities", act(start + ",\n\"Cause\": \"At noon a user request explicitly set group desired capacity changing the desired capacity from 1 to 2.\""), 5, `instant "noon"`},
		{"same id, other content", "activities", "[\n" + `{"ActivityId": "a1", "StartTime": "2026-01-10T02:06:13Z", "StatusCode": "Successful"},` + "\n" +
			`{"ActivityId": "a1", "StartTime": "2026-01-10T02:06:13Z", "StatusCode": "Failed"}]`, 3, "activity a1 appears twice with different content"},
		{"metrics: not JSON", "metrics", "{\"MetricDataResults\": [\n}", 2, "not JSON"},
		{"metrics: no results", "metrics", "{\"Metrics\": []}", 0, "no MetricDataResults"},
		{"metrics: statistics", "metrics", `{"Label": "CPUUtilization", "Datapoints": []}`, 0, "get-metric-statistics"},
		{"metrics: activities", "metrics", `{"Activities": []}`, 0, "export of scaling activities"},
		{"metrics: lengths", "metrics", series("\"Timestamps\": [\"2026-01-10T02:06:00Z\"],\n\"Values\": []"), 4, "1 timestamps but 0 values"},
		{"metrics: negative", "metrics", series("\"Timestamps\": [\"2026-01-10T02:06:00Z\"],\n\"Values\": [-1]"), 4, "Values[0] is -1"},
		{"metrics: NaN", "metrics", series("\"Timestamps\": [\"2026-01-10T02:06:00Z\"],\n\"Values\": [NaN]"), 4, "not JSON"},
		{"metrics: bad timestamp", "metrics", series("\"Timestamps\": [\"02:06\"],\n\"Values\": [1]"), 3, `Timestamps[0] "02:06" is not a date-time`},
		{"metrics: Forbidden", "metrics", series("\"Timestamps\": [],\n\"Values\": [],\n\"StatusCode\": \"Forbidden\""), 5, "StatusCode Forbidden"},
		{"metrics: InternalError", "metrics", series("\"Timestamps\": [],\n\"Values\": [],\n\"StatusCode\": \"InternalError\""), 5, "StatusCode InternalError"},
		{"metrics: two ids", "metrics", "{\"MetricDataResults\": [\n{\"Id\": \"cpu\", \"Timestamps\": [], \"Values\": []},\n{\"Id\": \"m1\", \"Label\": \"CPUUtilization\", \"Timestamps\": [], \"Values\": []}]}", 3,
			`(Id "m1", Label "CPUUtilization") and the series with Id "cpu" both hold CPUUtilization`},
		{"metrics: conflicting pages", "metrics", "{\"MetricDataResults\": [\n{\"Id\": \"cpu\", \"Timestamps\": [\"2026-01-10T02:06:00Z\"], \"Values\": [1]},\n{\"Id\": \"cpu\", \"Timestamps\": [\"2026-01-10T02:06:00+00:00\"], \"Values\": [2]}]}", 3,
			"two values at 2026-01-10T02:06:00+00:00 (1 and 2)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &records.Record{}
			err := format(t, c.format).Read("bad.json", strings.NewReader(c.text), rec)
			var ie *records.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want an *InputError", err, err)
			}
			if ie.File != "bad.json" || ie.Line != c.line || !strings.Contains(ie.Msg, c.msg) || ie.Hint == "" {
				t.Errorf("error %+v, want line %d and a message with %q and a hint", ie, c.line, c.msg)
			}
			prefix := "bad.json: "
			if c.line > 0 {
				prefix = "bad.json:" + strconv.Itoa(c.line) + ": "
			}
			if s := err.Error(); !strings.HasPrefix(s, prefix) || strings.Contains(s, "\n") || !strings.Contains(s, "; ") {
				t.Errorf("error renders as %q, want one line starting %q with a hint", s, prefix)
			}
			if len(rec.Activities) != 0 || len(rec.Series) != 0 || len(rec.Notes) != 0 {
				t.Errorf("a failed read changed the record: %+v", rec)
			}
		})
	}
}

// A failed read leaves the record as it was.
func TestReadErrorKeepsRecord(t *testing.T) {
	rec := readFiles(t, "activities", "activities_page2.json")
	before := *rec
	before.Activities = slices.Clone(rec.Activities)
	bad := `[{"ActivityId": "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a", "StartTime": "2026-01-10T01:50:12.415Z"}]`
	if err := format(t, "activities").Read("bad.json", strings.NewReader(bad), rec); err == nil {
		t.Fatal("an activity read again with other content was accepted")
	}
	if !reflect.DeepEqual(*rec, before) {
		t.Error("a failed read changed the record")
	}
}

func TestInputErrorRendering(t *testing.T) {
	cases := []struct {
		err  records.InputError
		want string
	}{
		{records.InputError{File: "a.json", Line: 3, Msg: "bad", Hint: "fix it"}, "a.json:3: bad; fix it"},
		{records.InputError{File: "a.json", Msg: "bad"}, "a.json: bad"},
		{records.InputError{Line: 2, Msg: "bad", Hint: "h"}, "line 2: bad; h"},
		{records.InputError{Msg: "bad"}, "bad"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%+v renders %q, want %q", c.err, got, c.want)
		}
	}
	under := errors.New("under")
	if e := (&records.InputError{Err: under}); !errors.Is(e, under) {
		t.Error("InputError does not unwrap")
	}
}

// Details that are not JSON are kept as recorded and name no zone.
func TestBadDetails(t *testing.T) {
	text := strings.Replace(activityJSON("Launching a new EC2 instance: i-0d44425630326060f", ""),
		`"{\"Subnet ID\":\"subnet-5ea0c127\",\"Availability Zone\":\"us-west-2b\"}"`, `"{\"Subnet ID\":"`, 1)
	a := readOne(t, text).Activities[0]
	if a.Zone != "" || a.Details != `{"Subnet ID":` {
		t.Errorf("zone %q, details %q", a.Zone, a.Details)
	}
}

// spaces is an endless reader of spaces.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// A file is read whole, up to 64 MiB.
func TestReadTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	err := format(t, "metrics").Read("big.json", spaces{}, &records.Record{})
	var ie *records.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "big.json: the file is larger than 64 MiB") {
		t.Errorf("error %v", err)
	}
}
