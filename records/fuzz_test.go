package records_test

import (
	"bytes"
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/scalesim/scalesim/records"
)

// fuzzRead checks that reading any bytes never panics, fails only with an
// *InputError, and that what it reads is written and read back the same.
func fuzzRead(f *testing.F, name string, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(filepath.Join("testdata", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	format := format(f, name)
	f.Fuzz(func(t *testing.T, data []byte) {
		rec := &records.Record{}
		err := format.Read("fuzz.json", bytes.NewReader(data), rec)
		if err != nil {
			var ie *records.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is a %T, not an *InputError", err, err)
			}
			return
		}
		var b bytes.Buffer
		if err := format.Write(&b, rec); err != nil {
			t.Fatalf("writing what was read: %v", err)
		}
		again := &records.Record{}
		if err := format.Read("again.json", &b, again); err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, b.Bytes())
		}
		for i := range rec.Series { // the writer names an unnamed series
			s := &rec.Series[i]
			s.ID, s.Label = cmp.Or(s.ID, s.Metric.Alias()), cmp.Or(s.Label, string(s.Metric))
		}
		if !reflect.DeepEqual(again.Activities, rec.Activities) || !reflect.DeepEqual(again.Series, rec.Series) {
			t.Fatalf("the record changed when written and read again:\n%+v\n%+v", rec, again)
		}
	})
}

func FuzzReadActivities(f *testing.F) {
	f.Add([]byte(`[{"ActivityId": "a", "StartTime": "2026-01-10T02:06:13Z", "Cause": "At 2026-01-10T02:06:00Z x changing the desired capacity from 1 to 2."}]`))
	f.Add([]byte(`{"Activities": null}`))
	fuzzRead(f, "activities", "activities_page1.json", "activities_page2.json", "written_activities.json")
}

func FuzzReadMetrics(f *testing.F) {
	f.Add([]byte(`[{"Id": "cpu", "Timestamps": [1768010460.5], "Values": [1e-7]}]`))
	f.Add([]byte(`{"MetricDataResults": null}`))
	fuzzRead(f, "metrics", "metrics.json", "written_metrics.json")
}
