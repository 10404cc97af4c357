package calibrate

import (
	"bytes"
	"fmt"
	"path"
	"time"

	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/bundle"
)

// RecordsDir is the directory of a report bundle that holds each group's
// record, in AWS's shapes.
const RecordsDir = "aws"

// RecordFiles returns, for every strategy of r whose fleet is an Auto
// Scaling group, its record as AWS would have written it (FromRun, time
// zero at start) in each record format: aws/NAME-activities.json and
// aws/NAME-metrics.json. `scalesim calibrate` reads them back.
func RecordFiles(r *reports.Result, start time.Time) ([]bundle.File, error) {
	var files []bundle.File
	for _, s := range r.Strategies {
		if !s.Group {
			continue
		}
		rec := FromRun(r, s.Name, start)
		for _, f := range records.Formats() {
			var buf bytes.Buffer
			if err := f.Write(&buf, rec); err != nil {
				return nil, fmt.Errorf("%s record of %s: %w", f.Name, s.Name, err)
			}
			files = append(files, bundle.File{Name: path.Join(RecordsDir, s.Name+"-"+f.Name+".json"), Data: buf.Bytes()})
		}
	}
	return files, nil
}
