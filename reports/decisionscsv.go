package reports

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/sim"
)

// decisionsHeader is the header of decisions.csv.
func decisionsHeader() []string {
	return []string{"strategy", "time_s", "time", "from", "to", "instance_type", "in_service", "pending", "reached_s", "reason"}
}

// eventsHeader is the header of events.csv.
func eventsHeader() []string {
	return []string{"strategy", "time_s", "time", "kind", "detail"}
}

// WriteDecisionsCSV writes r's scaling decisions (replication 0) as CSV,
// in the order of r.Decisions (strategies in order, each in time order):
//
//	strategy,time_s,time,from,to,instance_type,in_service,pending,reached_s,reason
//
// time_s is seconds since the start of the run and time the same as
// hh:mm:ss; from and to are the desired capacity before and after;
// in_service and pending the fleet when it decided; reached_s when the
// fleet reached the new capacity, empty if it never did within the run.
// Fields with commas or quotes (the reason) are quoted as RFC 4180 says.
func WriteDecisionsCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(decisionsHeader()); err != nil {
		return fmt.Errorf("write decisions csv: %w", err)
	}
	for _, d := range r.Decisions {
		reached := ""
		if d.ReachedAt >= 0 {
			reached = formatFloat(d.ReachedAt.Seconds())
		}
		rec := []string{d.Strategy, formatFloat(d.At.Seconds()), clock(d.At), strconv.Itoa(d.From), strconv.Itoa(d.To),
			d.InstanceType, strconv.Itoa(d.InService), strconv.Itoa(d.Pending), reached, oneLineText(d.Reason)}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write decisions csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write decisions csv: %w", err)
	}
	return nil
}

// WriteEventsCSV writes r's fleet events (replication 0) as CSV, in the
// order of r.Events (strategies in order, each in time order):
//
//	strategy,time_s,time,kind,detail
//
// with time_s and time as in WriteDecisionsCSV.
func WriteEventsCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(eventsHeader()); err != nil {
		return fmt.Errorf("write events csv: %w", err)
	}
	for _, e := range r.Events {
		rec := []string{e.Strategy, formatFloat(e.At.Seconds()), clock(e.At), e.Kind, oneLineText(e.Detail)}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write events csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write events csv: %w", err)
	}
	return nil
}

// explainLine is one line of WriteExplain, with its sort keys.
type explainLine struct {
	at    sim.Time
	strat int // index of the strategy in r.Strategies (unknown ones last)
	kind  int // 0 decision, 1 capacity reached, 2 event: the order at one instant
	seq   int // position in r.Decisions or r.Events
	text  string
}

// WriteExplain writes every scaling decision and fleet event of r
// (replication 0) in time order, one line each, for people:
//
//	[asg] 00:33:00 scale 6→14: target tracking cpu: ...
//	[asg] 00:36:40 capacity 14 reached
//	[asg] 00:35:10 in_service: instance 9 (m5.xlarge, zone b) in service
//
// A decision that keeps the count but changes the instance type reads
// "resize to TYPE", one that resizes pods "resize pods to cpu N". Lines at the same instant keep the strategies' order,
// then decisions, capacity reached and events, then the order of r.
func WriteExplain(w io.Writer, r *Result) error {
	rank := func(name string) int {
		if i := r.strategyIndex(name); i >= 0 {
			return i
		}
		return len(r.Strategies)
	}
	var lines []explainLine
	for i, d := range r.Decisions {
		what := fmt.Sprintf("scale %d→%d", d.From, d.To)
		switch {
		case d.From == d.To && d.PodCPU > 0:
			what = "resize pods to cpu " + strconv.FormatFloat(d.PodCPU, 'f', -1, 64)
		case d.From == d.To && d.InstanceType != "":
			what = "resize to " + d.InstanceType
		}
		if reason := oneLineText(d.Reason); reason != "" {
			what += ": " + reason
		}
		lines = append(lines, explainLine{at: d.At, strat: rank(d.Strategy), kind: 0, seq: i,
			text: fmt.Sprintf("[%s] %s %s", d.Strategy, clock(d.At), what)})
		if d.ReachedAt >= 0 {
			reached := fmt.Sprintf("capacity %d reached", d.To)
			if d.From == d.To && d.InstanceType != "" && d.PodCPU == 0 {
				reached = fmt.Sprintf("capacity %d (%s) reached", d.To, d.InstanceType)
			}
			lines = append(lines, explainLine{at: d.ReachedAt, strat: rank(d.Strategy), kind: 1, seq: i,
				text: fmt.Sprintf("[%s] %s %s", d.Strategy, clock(d.ReachedAt), reached)})
		}
	}
	for i, e := range r.Events {
		lines = append(lines, explainLine{at: e.At, strat: rank(e.Strategy), kind: 2, seq: i,
			text: fmt.Sprintf("[%s] %s %s: %s", e.Strategy, clock(e.At), e.Kind, oneLineText(e.Detail))})
	}
	slices.SortFunc(lines, func(a, b explainLine) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.strat, b.strat), cmp.Compare(a.kind, b.kind), cmp.Compare(a.seq, b.seq))
	})
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text + "\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write explanation: %w", err)
	}
	return nil
}

// clock formats t, a time since the start of the run, as hh:mm:ss (whole
// seconds, rounded down; hours go past 24 on long runs).
func clock(t sim.Time) string {
	if t < 0 {
		t = 0
	}
	s := int64(t / sim.Time(sim.Second))
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// oneLineText joins the lines of s with spaces.
func oneLineText(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
