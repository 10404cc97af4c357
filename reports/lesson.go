package reports

import (
	"fmt"
	"slices"
	"strings"
)

// Lesson turns a run into the answer to a question, for teaching: the
// question, the options it offers (each played by one strategy) and what
// would change the answer. It comes from the scenario's lesson block; the
// figures that answer it come from the run.
type Lesson struct {
	// Question is the question the run answers, as it is asked.
	Question string
	// Options are the answers offered, in the question's order.
	Options []LessonOption
	// Change tells what would change the answer ("" for nothing said).
	Change string
}

// LessonOption is one offered answer and the strategy that plays it.
type LessonOption struct {
	Label    string // "A", "B", ...
	Strategy string // the strategy's name
	Text     string // the option as the question words it
	Why      string // how the strategy behaves, and so why it does as it does
}

// LessonParagraph is one paragraph of a lesson: its lead ("Question:",
// "A.", "Answer:", ...), shown in bold where type allows, and its text.
type LessonParagraph struct{ Lead, Text string }

// String is the paragraph as plain text.
func (p LessonParagraph) String() string { return p.Lead + " " + p.Text }

// LessonParagraphs tells the lesson of r, or nothing without one: the
// question; one paragraph per option whose strategy ran, its result in one
// sentence (minutes meeting the SLO, the share of all requests served
// within it, p99 latency and cost) then why; the answer (the option whose
// strategy met the SLO in the most minutes; of a tie, the one that served
// more requests within the SLO, then the cheaper, then the first listed), with
// its why; and what would change it. The answer is the run's, whatever
// the scenario's author expected. The wording is deterministic.
func LessonParagraphs(r *Result) []LessonParagraph {
	if r == nil || r.Lesson == nil {
		return nil
	}
	l := r.Lesson
	out := []LessonParagraph{{"Question:", Sentence(l.Question)}}
	best := -1
	var bestSum *StrategySummary
	for i, o := range l.Options {
		s := r.strategy(o.Strategy)
		if s == nil {
			continue
		}
		out = append(out, LessonParagraph{o.Label + ".", joinNonEmpty([]string{
			fmt.Sprintf("%s (%s): %s.", strings.TrimSuffix(o.Text, "."), o.Strategy, lessonResult(s)),
			Sentence(o.Why),
		})})
		if best < 0 || betterOption(s, bestSum) {
			best, bestSum = i, s
		}
	}
	if best >= 0 {
		out = append(out, answerParagraph(r, l, best))
	}
	if l.Change != "" {
		out = append(out, LessonParagraph{"What would change the answer:", Sentence(l.Change)})
	}
	return out
}

// lessonResult is a strategy's result in one clause.
func lessonResult(s *StrategySummary) string {
	return fmt.Sprintf("met the SLO in %s of minutes and served %s of all requests within it (p99 %s ms), for %s",
		fmtPercent(s.Availability.MinutesMeetingSLO), fmtPercent(s.Availability.ServedWithinSLO),
		fmtSig3(s.LatencyMS.P99), fmtUSD(s.CostUSD.Total))
}

// betterOption reports whether s answers the lesson better than best: more
// minutes meeting the SLO, then more requests served within it, then a
// smaller bill.
func betterOption(s, best *StrategySummary) bool {
	a, b := s.Availability, best.Availability
	switch {
	case a.MinutesMeetingSLO != b.MinutesMeetingSLO:
		return a.MinutesMeetingSLO > b.MinutesMeetingSLO
	case a.ServedWithinSLO != b.ServedWithinSLO:
		return a.ServedWithinSLO > b.ServedWithinSLO
	}
	return s.CostUSD.Total < best.CostUSD.Total
}

// answerParagraph names the best option, the others that tie with it on
// minutes meeting the SLO and what broke the tie, and why it does best.
func answerParagraph(r *Result, l *Lesson, best int) LessonParagraph {
	o := l.Options[best]
	s := r.strategy(o.Strategy)
	var ties []string
	byServed, byCost := false, false
	for i, other := range l.Options {
		t := r.strategy(other.Strategy)
		if i == best || t == nil || t.Availability.MinutesMeetingSLO != s.Availability.MinutesMeetingSLO {
			continue
		}
		ties = append(ties, other.Label)
		switch {
		case t.Availability.ServedWithinSLO != s.Availability.ServedWithinSLO:
			byServed = true
		case t.CostUSD.Total != s.CostUSD.Total:
			byCost = true
		}
	}
	text := fmt.Sprintf("%s (%s) met the SLO in the most minutes, %s, for %s.",
		o.Label, o.Strategy, fmtPercent(s.Availability.MinutesMeetingSLO), fmtUSD(s.CostUSD.Total))
	if len(ties) > 0 {
		var why string
		switch {
		case byServed && byCost:
			why = "served more requests within the SLO than some of them and cost less than the rest"
		case byServed:
			why = "served more requests within the SLO"
		case byCost:
			why = "cost less, serving as many within the SLO"
		default:
			why = "is listed first, as the figures tie"
		}
		text += fmt.Sprintf(" %s met it in as many; %s %s.", joinAnd(ties), o.Label, why)
	}
	return LessonParagraph{"Answer:", joinNonEmpty([]string{text, Sentence(o.Why)})}
}

// strategy returns the summary of the named strategy, or nil when it did
// not run.
func (r *Result) strategy(name string) *StrategySummary {
	if i := r.strategyIndex(name); i >= 0 {
		return &r.Strategies[i]
	}
	return nil
}

// strategyIndex returns the index in r.Strategies of the named strategy,
// or -1 when it did not run.
func (r *Result) strategyIndex(name string) int {
	return slices.IndexFunc(r.Strategies, func(s StrategySummary) bool { return s.Name == name })
}
