package reports

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
)

// Narrative tuning.
const (
	// narrativeLevelMinutes is how long traffic must hold a level to count
	// as sustained: the before and after levels are means over this many
	// minutes.
	narrativeLevelMinutes = 5
	// narrativeRampMinutes is the longest rise or fall told as one change.
	narrativeRampMinutes = 15
	// narrativeMinChange is the smallest relative change in traffic worth
	// telling; below it traffic "held steady".
	narrativeMinChange = 0.2
	// verdictMinutesShare is the share of measured minutes meeting the SLO
	// that the verdict asks of a strategy.
	verdictMinutesShare = 0.99
	// narrativeMaxListed is how many resizes or failures are told one by
	// one before the rest are counted.
	narrativeMaxListed = 3
)

// Narrative returns a written account of the run, built only from numbers
// in r: a paragraph on the traffic (its largest sustained change), one
// paragraph per strategy (its scaling decisions and when the capacity
// arrived, resizes and the time it served nothing, minutes that missed the
// SLO, failures and outages, a stream's backlog, its notes, its cost), and
// a one-line verdict: the cheapest strategy that met the SLO in at least
// 99% of measured minutes or, if none did, the one that came closest.
//
// Times are since the start of the run, as hh:mm (hh:mm:ss when not on a
// whole minute). The timeline comes from r.Series, r.Decisions and
// r.Events (replication 0); the cost and SLO figures from r.Strategies.
// The wording is deterministic: the same r gives the same text.
func Narrative(r *Result) []string {
	if r == nil {
		return nil
	}
	var out []string
	if p := trafficParagraph(r); p != "" {
		out = append(out, p)
	}
	for i := range r.Strategies {
		out = append(out, strategyParagraph(r, &r.Strategies[i]))
	}
	if v := verdict(r); v != "" {
		out = append(out, v)
	}
	return out
}

// trafficParagraph tells the largest sustained change in arrivals per
// second, and the change back if there was one.
func trafficParagraph(r *Result) string {
	rates := arrivalRates(r)
	if len(rates) == 0 {
		return ""
	}
	var b strings.Builder
	if r.Replications > 1 {
		fmt.Fprintf(&b, "The timeline is replication 0's (seed %d); the figures are means over %d replications. ", r.Seed, r.Replications)
	}
	c, ok := largestChange(rates, 0, 0)
	if !ok || math.Abs(c.after-c.before) < narrativeMinChange*math.Max(c.before, c.after) {
		fmt.Fprintf(&b, "Traffic held steady at about %s req/s.", fmtSig3(meanOf(rates)))
		return b.String()
	}
	fmt.Fprintf(&b, "At %s traffic %s from %s to %s req/s%s.", clockAt(minuteTime(c.start)), riseOrFall(c),
		fmtSig3(c.before), fmtSig3(c.after), overMinutes(c))
	if back, ok := largestChange(rates, c.end, -signOf(c.after-c.before)); ok &&
		math.Abs(back.after-back.before) >= 0.5*math.Abs(c.after-c.before) {
		fmt.Fprintf(&b, " At %s it %s back to %s req/s%s.", clockAt(minuteTime(back.start)), riseOrFall(back),
			fmtSig3(back.after), overMinutes(back))
	}
	return b.String()
}

// arrivalRates returns the arrivals per second of each minute, from the
// first strategy with a series (every strategy sees the same traffic).
func arrivalRates(r *Result) []float64 {
	if len(r.Series) == 0 {
		return nil
	}
	name := r.Series[0].Strategy
	var rates []float64
	for _, row := range r.Series {
		if row.Strategy != name {
			continue
		}
		for len(rates) < row.Minute {
			rates = append(rates, 0) // a minute missing from the series
		}
		if row.Minute == len(rates) {
			rates = append(rates, float64(row.Arrivals)/60)
		}
	}
	return rates
}

// trafficChange is a sustained change in traffic: from level before (the
// meanOf of the minutes before start) to level after (the mean of the minutes
// from end on).
type trafficChange struct {
	start, end    int // minutes: the change begins in start and is done by end
	before, after float64
}

// largestChange finds the largest change of mean rate across a ramp of at
// most narrativeRampMinutes, with levels taken over narrativeLevelMinutes,
// starting at or after minute from; dir > 0 looks only for rises, dir < 0
// only for falls, 0 for either. It then places the start at the first
// minute 10% of the way to the new level and the end at the first minute
// 90% of the way, and measures the levels before the start and after the
// end.
func largestChange(rates []float64, from, dir int) (trafficChange, bool) {
	n := len(rates)
	w := max(1, min(narrativeLevelMinutes, n/4))
	sum := make([]float64, n+1)
	for i, x := range rates {
		sum[i+1] = sum[i] + x
	}
	avg := func(lo, hi int) float64 { return (sum[hi] - sum[lo]) / float64(hi-lo) }
	best, found := trafficChange{}, false
	for i := max(w, from); i <= n-w; i++ {
		for j := i; j <= min(i+narrativeRampMinutes, n-w); j++ {
			c := trafficChange{start: i, end: j, before: avg(i-w, i), after: avg(j, j+w)}
			d := c.after - c.before
			if dir != 0 && signOf(d) != dir || d == 0 {
				continue
			}
			if !found || math.Abs(d) > math.Abs(best.after-best.before) {
				best, found = c, true
			}
		}
	}
	if !found {
		return best, false
	}
	lo, hi := best.before, best.after
	beyond := func(x, frac float64) bool { return (x-lo)*float64(signOf(hi-lo)) >= frac*math.Abs(hi-lo) }
	start := best.start - w
	for start < best.end && !beyond(rates[start], 0.1) {
		start++
	}
	end := start
	for end < best.end && !beyond(rates[end], 0.9) {
		end++
	}
	// The new level is measured from the minute after the 90% mark, past
	// the tail of the ramp.
	from90 := min(end+1, n-1)
	return trafficChange{start: start, end: end,
		before: avg(max(0, start-w), max(start, 1)), after: avg(from90, min(n, from90+w))}, true
}

// riseOrFall is the verb of a change.
func riseOrFall(c trafficChange) string {
	if c.after > c.before {
		return "rose"
	}
	return "fell"
}

// overMinutes tells how long a change took, when longer than a minute.
func overMinutes(c trafficChange) string {
	if d := c.end - c.start; d > 1 {
		return " over " + strconv.Itoa(d) + " minutes"
	}
	return ""
}

// strategyParagraph tells one strategy's story.
func strategyParagraph(r *Result, s *StrategySummary) string {
	decs := strategyDecisions(r, s.Name)
	events := strategyEvents(r, s.Name)
	rows := strategyRows(r, s.Name)
	parts := []string{s.Name + " (" + s.Type + "):"}
	parts = append(parts, scalingSentences(decs, s.ScalingActions)...)
	parts = append(parts, downtimeSentence(events, rows))
	parts = append(parts, sloSentence(r, rows))
	parts = append(parts, failureSentences(events)...)
	story := DefaultStory(s)
	if s.Story != nil {
		story = *s.Story
	}
	parts = append(parts, story.Sentences...)
	for _, note := range s.Notes {
		if !slices.Contains(story.Retold, note) {
			parts = append(parts, Sentence(note))
		}
	}
	parts = append(parts, fmt.Sprintf("It met the SLO in %s of measured minutes and cost %s.",
		fmtPercent(s.Availability.MinutesMeetingSLO), fmtUSD(s.CostUSD.Total)))
	return joinNonEmpty(parts)
}

// strategyDecisions returns the strategy's scaling actions: its decisions
// except the initial one at time zero.
func strategyDecisions(r *Result, name string) []DecisionRecord {
	var out []DecisionRecord
	for _, d := range r.Decisions {
		if d.Strategy == name && !(d.At <= 0 && d.From == 0) {
			out = append(out, d)
		}
	}
	return out
}

// strategyEvents returns the strategy's fleet events.
func strategyEvents(r *Result, name string) []EventRecord {
	var out []EventRecord
	for _, e := range r.Events {
		if e.Strategy == name {
			out = append(out, e)
		}
	}
	return out
}

// strategyRows returns the strategy's minute rows.
func strategyRows(r *Result, name string) []MinuteRow {
	var out []MinuteRow
	for _, row := range r.Series {
		if row.Strategy == name {
			out = append(out, row)
		}
	}
	return out
}

// scalingSentences tell the first scale-out and when its capacity arrived,
// the resizes, and how many decisions there were. Without a decision log
// they count the summary's scaling actions.
func scalingSentences(decs []DecisionRecord, actions int) []string {
	if len(decs) == 0 && actions > 0 {
		return []string{fmt.Sprintf("It made %s.", countNoun(actions, "scaling decision"))}
	}
	if len(decs) == 0 {
		return []string{"It made no scaling decisions."}
	}
	var out, resizes []string
	outs, ins := 0, 0
	for _, d := range decs {
		switch {
		case d.To > d.From:
			if outs == 0 {
				out = append(out, firstScaleOut(d))
			}
			outs++
		case d.To < d.From:
			ins++
		case d.PodCPU > 0:
			resizes = append(resizes, fmt.Sprintf("its pods to %s CPUs at %s", strconv.FormatFloat(d.PodCPU, 'f', -1, 64), clockAt(d.At)))
		default:
			resizes = append(resizes, fmt.Sprintf("to %s at %s%s", d.InstanceType, clockAt(d.At), reachedBy(d)))
		}
	}
	if len(resizes) > 0 {
		out = append(out, fmt.Sprintf("It resized %s: %s.", timesText(len(resizes)), listFew(resizes)))
	}
	if outs+ins > 0 {
		out = append(out, fmt.Sprintf("It made %s (%d out, %d in).", countNoun(outs+ins, "scaling decision"), outs, ins))
	}
	return out
}

// firstScaleOut tells a scale-out decision and when the fleet reached it.
func firstScaleOut(d DecisionRecord) string {
	s := fmt.Sprintf("Its first scale-out decision came at %s (desired %d → %d)", clockAt(d.At), d.From, d.To)
	if d.ReachedAt < 0 {
		return s + fmt.Sprintf(", and %d instances were never in service within the run.", d.To)
	}
	return s + fmt.Sprintf(", and %d instances were in service by %s, %s later.", d.To, clockAt(d.ReachedAt), spanText(d.ReachedAt.Sub(d.At)))
}

// reachedBy tells when a resize's capacity was in service, if it was.
func reachedBy(d DecisionRecord) string {
	if d.ReachedAt < 0 {
		return ", never in service within the run"
	}
	return ", in service by " + clockAt(d.ReachedAt)
}

// downtimeSentence tells how long the strategy served nothing: from its
// stop/start resizes (resize to resized) when there were any, else from
// the minutes that ended with no instance in service.
func downtimeSentence(events []EventRecord, rows []MinuteRow) string {
	var total, longest sim.Duration
	outages := 0
	var down sim.Time = -1
	for _, e := range events {
		switch {
		case e.Kind == models.EventResize && strings.HasPrefix(e.Detail, "stop/start"):
			down = e.At
		case e.Kind == models.EventResized && down >= 0:
			d := e.At.Sub(down)
			total += d
			longest = max(longest, d)
			outages++
			down = -1
		}
	}
	switch {
	case outages == 1:
		return fmt.Sprintf("Its stop/start resize took it out of service: it served nothing for %s.", spanText(total))
	case outages > 1:
		return fmt.Sprintf("Its stop/start resizes took it out of service %s: it served nothing for %s in all (the longest %s).",
			timesText(outages), spanText(total), spanText(longest))
	}
	empty := 0
	for _, row := range rows {
		if row.InstancesInService == 0 {
			empty++
		}
	}
	if empty == 0 {
		return ""
	}
	return fmt.Sprintf("It had no instance in service at the end of %s.", countNoun(empty, "minute"))
}

// sloSentence tells in how many measured minutes the p99 exceeded the SLO
// or errors reached 1%, and the longest run of such minutes.
func sloSentence(r *Result, rows []MinuteRow) string {
	measured, slow, failing, bad := 0, 0, 0, 0
	runStart, bestStart, bestLen := -1, -1, 0
	for _, row := range rows {
		if !measuredMinute(r, row.Minute) {
			continue
		}
		measured++
		isSlow := r.SLOLatencyMS > 0 && row.Completed > 0 && row.P99MS > r.SLOLatencyMS
		isFailing := row.Errors > 0 && row.Errors*100 >= row.Completed+row.Errors
		if isSlow {
			slow++
		}
		if isFailing {
			failing++
		}
		if !isSlow && !isFailing {
			runStart = -1
			continue
		}
		bad++
		if runStart < 0 {
			runStart = row.Minute
		}
		if l := row.Minute - runStart + 1; l > bestLen {
			bestStart, bestLen = runStart, l
		}
	}
	if measured == 0 {
		return ""
	}
	if bad == 0 {
		return fmt.Sprintf("Every one of its %d measured minutes met the SLO.", measured)
	}
	var why []string
	if slow > 0 {
		why = append(why, fmt.Sprintf("p99 above %s ms in %d", fmtSig3(r.SLOLatencyMS), slow))
	}
	if failing > 0 {
		why = append(why, fmt.Sprintf("errors of 1%% or more in %d", failing))
	}
	if bad == measured {
		return fmt.Sprintf("It missed the SLO in every one of its %d measured minutes (%s).", measured, strings.Join(why, ", "))
	}
	s := fmt.Sprintf("It missed the SLO in %d of %d measured minutes (%s)", bad, measured, strings.Join(why, ", "))
	if bestLen > 1 {
		s += fmt.Sprintf(", the longest stretch from %s to %s", clockAt(minuteTime(bestStart)), clockAt(minuteTime(bestStart+bestLen)))
	}
	return s + "."
}

// measuredMinute reports whether minute m starts at or after the warm-up
// and ends by the end of the run.
func measuredMinute(r *Result, m int) bool {
	start, end := float64(m)*60, float64(m+1)*60
	return start >= r.WarmupS && (r.DurationS <= 0 || end <= r.DurationS)
}

// failureSentences tell instance failures and zone outages.
func failureSentences(events []EventRecord) []string {
	var failed, zones []string
	for _, e := range events {
		switch e.Kind {
		case models.EventFailure:
			failed = append(failed, clockAt(e.At))
		case models.EventZoneDown:
			zones = append(zones, clockAt(e.At))
		}
	}
	var out []string
	if len(failed) > 0 {
		out = append(out, fmt.Sprintf("%s failed (at %s).", countNoun(len(failed), "instance"), listFew(failed)))
	}
	if len(zones) > 0 {
		out = append(out, fmt.Sprintf("%s went out (at %s).", countNoun(len(zones), "availability zone"), listFew(zones)))
	}
	return out
}

// Story is what a strategy's family tells of it in the narrative, after
// its failures and before its notes: Sentences, in place of the sentence
// DefaultStory tells of the requests left at the end, and the notes they
// retell, which are not told again. Every other note is told after them.
type Story struct {
	Sentences []string
	Retold    []string
}

// DefaultStory is the story of a strategy whose family tells none of its
// own (StrategySummary.Story is nil): the requests still in flight at the
// end, when they are 1% of arrivals or more.
func DefaultStory(s *StrategySummary) Story {
	n := s.Requests.InFlightAtEnd
	if n <= 0 || n*100 < s.Requests.Arrived {
		return Story{}
	}
	what := "requests were still in flight"
	if n == 1 {
		what = "request was still in flight"
	}
	return Story{Sentences: []string{fmt.Sprintf("%s %s when the run ended (%s of arrivals).", fmtCount(n), what,
		fmtPercent(float64(n)/float64(max(s.Requests.Arrived, 1))))}}
}

// FormatCount formats a count with thousand separators: 10,080,000.
func FormatCount(n int64) string { return fmtCount(n) }

// verdict names the cheapest strategy that met the SLO in at least
// verdictMinutesShare of measured minutes, or the one closest to it.
func verdict(r *Result) string {
	best := -1
	for i, s := range r.Strategies {
		if s.Availability.MinutesMeetingSLO >= verdictMinutesShare &&
			(best < 0 || s.CostUSD.Total < r.Strategies[best].CostUSD.Total) {
			best = i
		}
	}
	pct := strconv.FormatFloat(verdictMinutesShare*100, 'f', -1, 64) + "%"
	if best >= 0 {
		s := r.Strategies[best]
		return fmt.Sprintf("Verdict: %s was the cheapest strategy that met the SLO in at least %s of minutes (%s of minutes, %s).",
			s.Name, pct, fmtPercent(s.Availability.MinutesMeetingSLO), fmtUSD(s.CostUSD.Total))
	}
	for i, s := range r.Strategies {
		if best < 0 {
			best = i
			continue
		}
		share, bestShare := s.Availability.MinutesMeetingSLO, r.Strategies[best].Availability.MinutesMeetingSLO
		if share > bestShare || share == bestShare && s.CostUSD.Total < r.Strategies[best].CostUSD.Total {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	s := r.Strategies[best]
	return fmt.Sprintf("Verdict: no strategy met the SLO in %s of minutes; %s came closest (%s of minutes) at %s.",
		pct, s.Name, fmtPercent(s.Availability.MinutesMeetingSLO), fmtUSD(s.CostUSD.Total))
}

// minuteTime is the start of minute m.
func minuteTime(m int) sim.Time { return sim.Time(sim.Duration(m) * sim.Minute) }

// clockAt formats a time since the start of the run as hh:mm, or
// hh:mm:ss when it is not on a whole minute.
func clockAt(t sim.Time) string {
	sec := int64(math.Round(t.Seconds()))
	if sec%60 != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%02d:%02d", sec/3600, sec/60%60)
}

// spanText formats a duration for people, to the second: "45 s", "3 min 10 s",
// "2 h 5 min".
func spanText(d sim.Duration) string {
	sec := int64(math.Round(d.Seconds()))
	h, m, s := sec/3600, sec/60%60, sec%60
	var parts []string
	if h > 0 {
		parts = append(parts, strconv.FormatInt(h, 10)+" h")
	}
	if m > 0 {
		parts = append(parts, strconv.FormatInt(m, 10)+" min")
	}
	if s > 0 && h == 0 || len(parts) == 0 {
		parts = append(parts, strconv.FormatInt(s, 10)+" s")
	}
	return strings.Join(parts, " ")
}

// countNoun formats a count of things: "1 minute", "3 minutes".
func countNoun(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmtCount(int64(n)) + " " + thing + "s"
}

// timesText formats a count of occurrences: "once", "twice", "3 times".
func timesText(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmtCount(int64(n)) + " times"
}

// listFew joins up to narrativeMaxListed items and counts the rest.
func listFew(items []string) string {
	if len(items) <= narrativeMaxListed {
		return joinAnd(items)
	}
	rest := len(items) - narrativeMaxListed
	return strings.Join(items[:narrativeMaxListed], ", ") + fmt.Sprintf(" and %d more", rest)
}

// joinAnd joins items as "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Sentence makes a note a sentence of the narrative: capitalised, ending
// with a full stop (unless it ends with a question or exclamation mark).
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	s = capitalise(s)
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// capitalise upper-cases the first letter of an ASCII sentence.
func capitalise(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// joinNonEmpty joins the non-empty parts with spaces.
func joinNonEmpty(parts []string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " ")
}

// meanOf is the arithmetic mean of xs (0 for none).
func meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// signOf is −1, 0 or 1.
func signOf(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
