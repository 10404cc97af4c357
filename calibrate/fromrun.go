package calibrate

import (
	"fmt"
	"strings"
	"time"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/records"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
)

// FromRun is run r's strategy as AWS would have recorded its group, with
// time zero at start: a launch activity per launched instance (from its
// launch to EC2 reporting it running, when the group counts it InService),
// a termination activity per instance that left (from the decision to
// its end, draining included), each with the cause AWS writes (the
// desired-capacity change that asked for it, or a replacement), and the
// group's metrics minute by minute: desired, in-service and pending
// counts, CPU utilisation, request count and response time. Calibrating
// the scenario against its own record gives no capacity error and matches
// every decision.
func FromRun(r *reports.Result, strategy string, start time.Time) *records.Record {
	start = start.UTC()
	wall := func(t sim.Time) time.Time { return start.Add(time.Duration(t)) }
	var decs []reports.DecisionRecord
	for _, d := range r.Decisions {
		if d.Strategy == strategy && d.From != d.To {
			decs = append(decs, d)
		}
	}
	var rows []reports.MinuteRow
	for _, m := range r.Series {
		if m.Strategy == strategy {
			rows = append(rows, m)
		}
	}
	desiredAt := func(t sim.Time) int {
		v := 0
		switch {
		case len(decs) > 0:
			v = decs[0].From
		case len(rows) > 0:
			v = rows[0].Desired
		}
		for _, d := range decs {
			if d.At > t {
				break
			}
			v = d.To
		}
		return v
	}
	changeAt := func(t sim.Time, grow bool) *records.Change {
		for _, d := range decs {
			if d.At == t && (d.To > d.From) == grow {
				return &records.Change{At: wall(d.At), From: d.From, To: d.To, Trigger: trigger(strategy, d)}
			}
		}
		return nil
	}
	rec := &records.Record{}
	for _, in := range r.Instances {
		if in.Strategy != strategy {
			continue
		}
		id := fmt.Sprintf("i-%017x", in.ID+1)
		zone := "zone-" + string(rune('a'+in.Zone))
		launch := records.Activity{Group: strategy, Kind: records.Launch, Instance: id, Zone: zone,
			Start: wall(in.Launched), Status: records.StatusSuccessful, Description: records.LaunchDescription(id)}
		var ch *records.Change
		to := desiredAt(in.Launched)
		if in.LaunchCause == models.CauseCapacity {
			ch = changeAt(in.Launched, true)
		}
		from := to - 1
		if ch != nil {
			from, to = ch.From, ch.To
		}
		launch.Change = ch
		launch.Cause = records.LaunchCause(ch, wall(in.Launched), from, to)
		switch {
		case in.Running >= 0:
			launch.End = wall(in.Running)
		case in.Terminated >= 0:
			launch.Status, launch.End = records.StatusCancelled, wall(in.Terminated)
		default:
			launch.Status = records.StatusInProgress
		}
		launch.Details = records.ZoneDetails(zone)
		launch.ID = records.ActivityID(launch)
		rec.Activities = append(rec.Activities, launch)
		if in.Terminating < 0 {
			continue
		}
		term := records.Activity{Group: strategy, Kind: records.Terminate, Instance: id, Zone: zone,
			Start: wall(in.Terminating), Status: records.StatusSuccessful, Description: records.TerminateDescription(id)}
		switch in.TerminateCause {
		case models.CauseHealth:
			term.Cause = records.UnhealthyCause(wall(in.Terminating), true)
		default:
			var tc *records.Change
			if in.TerminateCause == models.CauseCapacity {
				tc = changeAt(in.Terminating, false)
			}
			after := desiredAt(in.Terminating)
			before := after + 1
			if tc != nil {
				before, after = tc.From, tc.To
			}
			term.Change = tc
			term.Cause = records.TerminateCause(tc, wall(in.Terminating), before, after, id)
		}
		if in.Terminated >= 0 {
			term.End = wall(in.Terminated)
		} else {
			term.Status = records.StatusInProgress
		}
		term.Details = records.ZoneDetails(zone)
		term.ID = records.ActivityID(term)
		rec.Activities = append(rec.Activities, term)
	}
	rec.Series = series(rows, start)
	return rec
}

// trigger names a simulated decision's policy as a Cause names an alarm's:
// the policy is the reason's first part ("target tracking cpu"), and its
// alarm the group's AlarmHigh or AlarmLow for it.
func trigger(group string, d reports.DecisionRecord) string {
	policy, _, _ := strings.Cut(d.Reason, ":")
	policy = strings.Join(strings.Fields(policy), "-")
	if policy == "" {
		policy = "policy"
	}
	side := "AlarmHigh"
	if d.To < d.From {
		side = "AlarmLow"
	}
	return records.AlarmTrigger(group+"-"+policy+"-"+side, policy)
}

// series are the group's metrics of a run's minutes, each datapoint at
// the start of its minute holding the state at its end (or the minute's
// count and mean): what calibration compares them with.
func series(rows []reports.MinuteRow, start time.Time) []records.Series {
	var out []records.Series
	for _, c := range comparables() {
		s := records.Series{Metric: c.metric, ID: c.metric.Alias(), Label: string(c.metric)}
		for _, row := range rows {
			v, w := c.value(row)
			if w == 0 {
				continue // CloudWatch publishes no datapoint for a minute without one
			}
			s.Points = append(s.Points, records.Point{At: start.Add(time.Duration(row.Minute) * time.Minute), Value: v})
		}
		if len(s.Points) > 0 {
			out = append(out, s)
		}
	}
	return out
}
