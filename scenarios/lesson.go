package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scalesim/scalesim/reports"
)

// LessonSpec is the lesson block: a question the run answers, for
// teaching. Each option names the strategy that plays it; the report
// states the question, each option's result, the option that met the SLO
// in the most minutes (whichever it is: the run answers, not the author)
// and what would change the answer (reports.LessonParagraphs).
type LessonSpec struct {
	// Question is the question as it is asked. Required; at most
	// maxLessonText bytes.
	Question string `yaml:"question"`
	// Options are the offered answers, in order: 1 to MaxStrategies.
	Options []LessonOptionSpec `yaml:"options"`
	// WhatWouldChange tells what would change the answer (optional; at most
	// maxLessonText bytes): another scenario or a --set to try.
	WhatWouldChange string `yaml:"what_would_change"`
}

// LessonOptionSpec is one offered answer.
type LessonOptionSpec struct {
	// Option is its label as the question gives it: "A", "B", ... Required;
	// 1 to 8 letters or digits, unique.
	Option string `yaml:"option"`
	// Strategy names the strategy that plays it. Required; one of the
	// scenario's strategies, each played by one option at most.
	Strategy string `yaml:"strategy"`
	// Text is the option as the question words it. Required.
	Text string `yaml:"text"`
	// Why says how the strategy behaves and so why it does as it does: the
	// report gives it after the option's result (optional).
	Why string `yaml:"why"`
}

// maxLessonText bounds each text of a lesson, in bytes.
const maxLessonText = 2000

// maxOptionLabel bounds an option's label, in bytes.
const maxOptionLabel = 8

// lesson checks the lesson block, if any, against the strategies, and
// writes each text on one line (YAML's folded and literal blocks keep
// their line breaks).
func (v *validator) lesson(s *Spec) error {
	l := s.Lesson
	if l == nil {
		return nil
	}
	const hint = "a lesson takes question, options: [{option: A, strategy: NAME, text: ..., why: ...}] and what_would_change"
	if strings.TrimSpace(l.Question) == "" {
		return v.err("lesson.question", "required", hint)
	}
	if len(l.Options) == 0 {
		return v.err("lesson.options", "required: at least one option", hint)
	}
	if len(l.Options) > MaxStrategies {
		return v.err("lesson.options", fmt.Sprintf("at most %d options (got %d)", MaxStrategies, len(l.Options)), "one option per strategy")
	}
	for _, t := range []struct {
		path string
		text *string
	}{{"lesson.question", &l.Question}, {"lesson.what_would_change", &l.WhatWouldChange}} {
		if err := v.lessonText(t.path, t.text); err != nil {
			return err
		}
	}
	names := s.strategyNames()
	labels, played := map[string]bool{}, map[string]bool{}
	for i := range l.Options {
		o := &l.Options[i]
		p := item("lesson.options", i)
		switch {
		case o.Option == "":
			return v.err(child(p, "option"), "required", `label the option as the question does, e.g. option: "A"`)
		case len(o.Option) > maxOptionLabel || !isLabel(o.Option):
			return v.err(child(p, "option"), fmt.Sprintf("invalid label %q", clip(o.Option)), fmt.Sprintf("use 1 to %d letters or digits, e.g. A", maxOptionLabel))
		case labels[o.Option]:
			return v.err(child(p, "option"), fmt.Sprintf("duplicate option %q", o.Option), "give each option its own label")
		case o.Strategy == "":
			return v.err(child(p, "strategy"), "required", "name the strategy that plays this option")
		case !slices.Contains(names, o.Strategy):
			return v.err(child(p, "strategy"), fmt.Sprintf("no strategy named %q", clip(o.Strategy)), "want one of "+strings.Join(names, ", "))
		case played[o.Strategy]:
			return v.err(child(p, "strategy"), fmt.Sprintf("strategy %q plays another option already", o.Strategy), "give each option its own strategy")
		case strings.TrimSpace(o.Text) == "":
			return v.err(child(p, "text"), "required", "write the option as the question words it")
		}
		labels[o.Option], played[o.Strategy] = true, true
		for _, t := range []struct {
			key  string
			text *string
		}{{"text", &o.Text}, {"why", &o.Why}} {
			if err := v.lessonText(child(p, t.key), t.text); err != nil {
				return err
			}
		}
	}
	return nil
}

// lessonText checks one text of a lesson and writes it on one line.
func (v *validator) lessonText(path string, text *string) error {
	if len(*text) > maxLessonText {
		return v.err(path, fmt.Sprintf("at most %d bytes (got %d)", maxLessonText, len(*text)), "say it shorter; put the rest in YAML comments (# ...)")
	}
	if strings.ContainsFunc(*text, func(r rune) bool { return isControl(r) && r != '\n' && r != '\t' && r != '\r' }) {
		return v.err(path, "contains a control character", "write plain text")
	}
	*text = strings.Join(strings.Fields(*text), " ")
	return nil
}

// isLabel reports whether s is letters and digits only.
func isLabel(s string) bool {
	for _, r := range s {
		if !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

// report is the lesson as the reports tell it, or nil without one.
func (l *LessonSpec) report() *reports.Lesson {
	if l == nil {
		return nil
	}
	out := &reports.Lesson{Question: l.Question, Change: l.WhatWouldChange}
	for _, o := range l.Options {
		out.Options = append(out.Options, reports.LessonOption{Label: o.Option, Strategy: o.Strategy, Text: o.Text, Why: o.Why})
	}
	return out
}
