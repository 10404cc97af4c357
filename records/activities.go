package records

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// The activities format: the JSON of
//
//	aws autoscaling describe-scaling-activities --auto-scaling-group-name G --output json
//
// {"Activities": [{"ActivityId", "Description", "AutoScalingGroupName",
// "Cause", "StartTime", "EndTime", "StatusCode", "StatusMessage",
// "Progress", "Details", ...}], "NextToken": ...}, newest first. Read
// also takes the activities in any order, the pages of a paginated export
// joined into one list, and a bare list of activities.

// activitiesFormat is the format of describe-scaling-activities.
func activitiesFormat() Format {
	return Format{Name: "activities",
		Summary: "a group's scaling activities: the JSON of 'aws autoscaling describe-scaling-activities'",
		Command: "aws autoscaling describe-scaling-activities --auto-scaling-group-name GROUP --output json",
		read:    readActivities, write: writeActivities}
}

// awsActivity is one activity as the AWS CLI prints it, its members in
// the CLI's order.
type awsActivity struct {
	ActivityID            string `json:"ActivityId"`
	Description           string `json:"Description"`
	AutoScalingGroupName  string `json:"AutoScalingGroupName"`
	Cause                 string `json:"Cause"`
	StartTime             string `json:"StartTime"`
	EndTime               string `json:"EndTime,omitempty"`
	StatusCode            string `json:"StatusCode"`
	StatusMessage         string `json:"StatusMessage,omitempty"`
	Progress              int    `json:"Progress"`
	Details               string `json:"Details,omitempty"`
	AutoScalingGroupState string `json:"AutoScalingGroupState,omitempty"`
	AutoScalingGroupARN   string `json:"AutoScalingGroupARN,omitempty"`
}

// awsDetails is what calibration reads of an activity's Details.
type awsDetails struct {
	Zone string `json:"Availability Zone"`
}

// readActivities reads an export of scaling activities into rec.
func readActivities(in *input, rec *Record) error {
	doc, err := decodeDocument(in, "Activities")
	if err != nil {
		return err
	}
	if !doc.bare && !doc.found {
		if _, ok := doc.members["MetricDataResults"]; ok {
			return in.failHint(0, "read it as metrics", "this is a metrics export (it has MetricDataResults), not scaling activities")
		}
		return in.fail(0, "no Activities list: not the output of describe-scaling-activities")
	}
	if tok := doc.members["NextToken"]; len(tok) > 0 && string(tok) != "null" && string(tok) != `""` {
		in.note("the export has a NextToken: it is one page of a longer history (export the other pages with --starting-token, or leave out --max-items)")
	}
	lines := map[string]int{}
	acts := make([]Activity, 0, len(doc.elements))
	for i, el := range doc.elements {
		a, err := readActivity(in, el, i)
		if err != nil {
			return err
		}
		lines[a.ID] = el.line(in)
		acts = append(acts, a)
	}
	merged, err := mergeActivities(in, rec.Activities, acts, lines)
	if err != nil {
		return err
	}
	rec.Activities = merged
	rec.Notes = append(rec.Notes, in.notes...)
	return nil
}

// readActivity decodes and checks one activity.
func readActivity(in *input, el element, i int) (Activity, error) {
	var w awsActivity
	if err := el.decode(in, fmt.Sprintf("Activities[%d]", i), &w); err != nil {
		return Activity{}, err
	}
	where := fmt.Sprintf("Activities[%d]", i)
	if w.ActivityID == "" {
		return Activity{}, in.fail(el.line(in), "%s has no ActivityId", where)
	}
	where = fmt.Sprintf("activity %s", w.ActivityID)
	a := Activity{ID: w.ActivityID, Group: w.AutoScalingGroupName, Status: w.StatusCode,
		StatusMessage: w.StatusMessage, Description: w.Description, Cause: w.Cause, Details: w.Details}
	var ok bool
	if a.Start, ok = parseTime(w.StartTime); !ok {
		if w.StartTime == "" {
			return Activity{}, in.fail(el.line(in), "%s has no StartTime", where)
		}
		return Activity{}, in.failHint(el.fieldLine(in, "StartTime"), hintTime,
			"%s: StartTime %q is not a date-time", where, clip(w.StartTime))
	}
	if w.EndTime != "" {
		if a.End, ok = parseTime(w.EndTime); !ok {
			return Activity{}, in.failHint(el.fieldLine(in, "EndTime"), hintTime,
				"%s: EndTime %q is not a date-time", where, clip(w.EndTime))
		}
		if a.End.Before(a.Start) {
			return Activity{}, in.failHint(el.fieldLine(in, "EndTime"), "fix the activity's times, or export it again",
				"%s ends (%s) before it starts (%s)", where, w.EndTime, w.StartTime)
		}
	}
	a.Kind, a.Instance = describe(a.Description)
	if a.Details != "" {
		var d awsDetails
		if json.Unmarshal([]byte(a.Details), &d) == nil {
			a.Zone = d.Zone
		}
	}
	c, cerr := parseChange(a.Cause)
	if cerr != nil {
		return Activity{}, in.failHint(el.fieldLine(in, "Cause"), cerr.hint, "%s: %s", where, cerr.msg)
	}
	a.Change = c
	return a, nil
}

// mergeActivities joins read activities to those already held: oldest
// first, each ActivityId once. An activity read twice (overlapping pages)
// is kept once; the same ActivityId with different content is an error.
func mergeActivities(in *input, held, read []Activity, lines map[string]int) ([]Activity, error) {
	out := slices.Concat(held, read)
	slices.SortStableFunc(out, func(a, b Activity) int { return cmp.Compare(a.ID, b.ID) })
	keep := out[:0]
	for _, a := range out {
		if n := len(keep); n > 0 && keep[n-1].ID == a.ID {
			if !sameActivity(keep[n-1], a) {
				return nil, in.failHint(lines[a.ID], "keep one version of each activity (export the history again)",
					"activity %s appears twice with different content", a.ID)
			}
			continue
		}
		keep = append(keep, a)
	}
	slices.SortStableFunc(keep, func(a, b Activity) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	return keep, nil
}

// sameActivity reports whether a and b record the same thing.
func sameActivity(a, b Activity) bool {
	sameChange := a.Change == nil && b.Change == nil ||
		a.Change != nil && b.Change != nil && a.Change.At.Equal(b.Change.At) &&
			a.Change.From == b.Change.From && a.Change.To == b.Change.To && a.Change.Trigger == b.Change.Trigger
	return sameChange && a.Start.Equal(b.Start) && a.End.Equal(b.End) &&
		a.ID == b.ID && a.Group == b.Group && a.Kind == b.Kind && a.Status == b.Status &&
		a.StatusMessage == b.StatusMessage && a.Instance == b.Instance && a.Zone == b.Zone &&
		a.Description == b.Description && a.Cause == b.Cause && a.Details == b.Details
}

// ActivityID returns the ID a written activity gets when it has none: a
// UUID-shaped string derived from its content, the same for the same
// activity.
func ActivityID(a Activity) string {
	h := sha256.New()
	for _, s := range []string{a.Group, a.Status, a.StatusMessage, a.Description, a.Cause, a.Details, a.Zone,
		formatTime(a.Start), formatTime(a.End)} {
		h.Write([]byte(strconv.Quote(s)))
	}
	sum := h.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50 // a name-based UUID
	sum[8] = sum[8]&0x3f | 0x80
	x := hex.EncodeToString(sum[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// ZoneDetails returns the Details text of an activity in zone, as AWS
// writes it: {"Subnet ID":"subnet-...","Availability Zone":"us-east-1a"}.
// The subnet's ID is derived from the zone's name; with no zone it is
// "{}".
func ZoneDetails(zone string) string {
	if zone == "" {
		return "{}"
	}
	sum := sha256.Sum256([]byte(zone))
	d := struct {
		Subnet string `json:"Subnet ID"`
		Zone   string `json:"Availability Zone"`
	}{"subnet-" + hex.EncodeToString(sum[:])[:17], zone}
	b, _ := json.Marshal(d) // two strings always marshal
	return string(b)
}

// writeActivities writes rec's activities as describe-scaling-activities
// prints them: newest first, an activity without an ID given one by
// ActivityID and one without Details but with a Zone given
// ZoneDetails(Zone).
func writeActivities(w io.Writer, rec *Record) error {
	acts := slices.Clone(rec.Activities)
	slices.SortStableFunc(acts, func(a, b Activity) int {
		return cmp.Or(b.Start.Compare(a.Start), cmp.Compare(b.ID, a.ID))
	})
	out := struct {
		Activities []awsActivity `json:"Activities"`
	}{Activities: make([]awsActivity, 0, len(acts))}
	for _, a := range acts {
		x := awsActivity{ActivityID: cmp.Or(a.ID, ActivityID(a)), Description: a.Description,
			AutoScalingGroupName: a.Group, Cause: a.Cause, StartTime: formatTime(a.Start),
			StatusCode: a.Status, StatusMessage: a.StatusMessage, Details: a.Details}
		if x.Details == "" && a.Zone != "" {
			x.Details = ZoneDetails(a.Zone)
		}
		if !a.End.IsZero() {
			x.EndTime, x.Progress = formatTime(a.End), 100
		}
		out.Activities = append(out.Activities, x)
	}
	return writeJSON(w, out)
}

// writeJSON writes v as the AWS CLI prints JSON: indented by four spaces,
// characters as they are, a final newline.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding the record: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the record: %w", err)
	}
	return nil
}
