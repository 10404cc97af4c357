package records

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Date-times in records are ISO 8601 with an offset or "Z", with or
// without a fraction of a second: "2026-01-10T02:06:13.150Z",
// "2026-01-10T02:06:13+00:00". They are kept in UTC.

const hintTime = `write date-times as ISO 8601 with an offset, e.g. "2026-01-10T02:06:13Z" or "2026-01-10T02:06:13.150000+00:00"`

// parseTime parses an ISO 8601 date-time with an offset, returning it in
// UTC. Years outside 1 to 9999 once in UTC are refused, so that every
// time read can be written back.
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, false
	}
	return t, true
}

// maxEpochSeconds is the last second of the year 9999.
const maxEpochSeconds = 253402300799

// parseStamp parses a JSON timestamp: an ISO 8601 string or a number of
// seconds since the Unix epoch (as get-metric-data prints with
// --cli-timestamp-format wire in some SDKs).
func parseStamp(raw json.RawMessage) (time.Time, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, false
		}
		return parseTime(s)
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > maxEpochSeconds {
		return time.Time{}, false
	}
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), true
}

// formatTime renders t in UTC as the AWS CLI (version 2) prints a
// timestamp: "2026-01-10T02:06:13+00:00", with microseconds when the
// second has a fraction ("2026-01-10T02:06:13.150000+00:00"), and
// nanoseconds when a time finer than a microsecond must survive.
func formatTime(t time.Time) string {
	t = t.UTC()
	switch ns := t.Nanosecond(); {
	case ns == 0:
		return t.Format("2006-01-02T15:04:05+00:00")
	case ns%1000 == 0:
		return t.Format("2006-01-02T15:04:05.000000+00:00")
	}
	return t.Format("2006-01-02T15:04:05.000000000+00:00")
}

// formatInstant renders t as a Cause states an instant: UTC, whole
// seconds, "Z".
func formatInstant(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
