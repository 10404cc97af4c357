package scenarios

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
)

// TestExamLesson runs the exam question as written and checks the lesson
// the figures teach: options A and C leave the fleet as it is (the same
// figures, name aside), D refuses nothing yet serves nothing within the
// SLO, E is one instance with outages at each resize, and B, the
// Auto Scaling group, meets the SLO in the most minutes of the options, so
// the answer paragraph names it. D shown once more with consumers that
// scale on the iterator age (d-kinesis-scaled, not an option) drains the
// backlog D leaves and answers its peak far sooner (docs/aws-behaviour.md
// §5.7), but no option's paragraph tells of it.
func TestExamLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("a three-hour run of six strategies; the full suite runs it")
	}
	sc, err := Builtin("exam", nil)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, RunOptions{Workers: 2})
	by := map[string]reports.StrategySummary{}
	for _, s := range res.Strategies {
		by[s.Name] = s
	}
	a, c := by["a-rds"], by["c-s3-batch"]
	a.Name, c.Name = "", ""
	if !reflect.DeepEqual(a, c) {
		t.Errorf("A and C differ though both leave the fleet alone:\n A %+v\n C %+v", a, c)
	}
	best := ""
	for _, o := range sc.Spec.Lesson.Options {
		if best == "" || by[o.Strategy].Availability.MinutesMeetingSLO > by[best].Availability.MinutesMeetingSLO {
			best = o.Strategy
		}
	}
	if best != "b-asg" || by["b-asg"].Availability.MinutesMeetingSLO < 0.99 {
		t.Errorf("most minutes meeting the SLO: %s (b-asg %.4f), want b-asg at 99%% or more", best, by["b-asg"].Availability.MinutesMeetingSLO)
	}
	if d := by["d-kinesis"]; d.Requests.Rejected != 0 || d.Availability.ServedWithinSLO > 0.01 {
		t.Errorf("d-kinesis: %d rejected, %.4f served within the SLO; want none refused and (almost) none in time", d.Requests.Rejected, d.Availability.ServedWithinSLO)
	}
	d, ds := by["d-kinesis"], by["d-kinesis-scaled"]
	if ds.Requests.InFlightAtEnd*1000 > d.Requests.InFlightAtEnd || ds.LatencyMS.P99 > d.LatencyMS.P99/4 || ds.Capacity.InstancesMax <= 12 {
		t.Errorf("d-kinesis-scaled: %d left, p99 %.0f ms, %d consumers at most; want the backlog of d-kinesis (%d left, p99 %.0f ms) drained, a p99 under a quarter of it, and more than twelve consumers",
			ds.Requests.InFlightAtEnd, ds.LatencyMS.P99, ds.Capacity.InstancesMax, d.Requests.InFlightAtEnd, d.LatencyMS.P99)
	}
	if e := by["e-vertical"]; e.Capacity.InstancesMax != 1 || e.ScalingActions < 2 || e.Availability.MinutesMeetingSLO >= by["b-asg"].Availability.MinutesMeetingSLO {
		t.Errorf("e-vertical: %d instances at most, %d resizes, %.4f of minutes; want one instance, resizes, and fewer minutes than b-asg",
			e.Capacity.InstancesMax, e.ScalingActions, e.Availability.MinutesMeetingSLO)
	}
	paras := reports.LessonParagraphs(res)
	if len(paras) != 8 { // question, five options, answer, what would change
		t.Fatalf("%d lesson paragraphs, want 8: %q", len(paras), paras)
	}
	if !strings.HasPrefix(paras[0].Text, "A company has deployed a machine learning model on AWS") {
		t.Errorf("question %q", paras[0].Text)
	}
	if p := paras[6]; p.Lead != "Answer:" || !strings.HasPrefix(p.Text, "B (b-asg) met the SLO in the most minutes") {
		t.Errorf("answer %+v", p)
	}
}

// TestLessonErrors: a lesson block that does not fit the scenario is one
// line naming the field and the fix.
func TestLessonErrors(t *testing.T) {
	base := `name: l
duration: 10m
workload: {type: poisson, rate: 10}
service: {time: {dist: exponential, mean: 50ms}}
strategies:
  - {name: a, type: static, instance_type: m5.large, count: 1}
  - {name: b, type: static, instance_type: m5.large, count: 2}
`
	for _, c := range []struct{ name, lesson, want string }{
		{"no question", "lesson: {options: [{option: A, strategy: a, text: t}]}",
			"lesson.question: required"},
		{"no options", "lesson: {question: q}",
			"lesson.options: required: at least one option"},
		{"unknown strategy", "lesson:\n  question: q\n  options:\n    - {option: A, strategy: c, text: t}",
			`s.yaml:11: lesson.options[0].strategy: no strategy named "c"; want one of a, b`},
		{"same label", "lesson: {question: q, options: [{option: A, strategy: a, text: t}, {option: A, strategy: b, text: u}]}",
			`lesson.options[1].option: duplicate option "A"`},
		{"same strategy", "lesson: {question: q, options: [{option: A, strategy: a, text: t}, {option: B, strategy: a, text: u}]}",
			`lesson.options[1].strategy: strategy "a" plays another option already`},
		{"bad label", "lesson: {question: q, options: [{option: 'A)', strategy: a, text: t}]}",
			`lesson.options[0].option: invalid label "A)"`},
		{"no text", "lesson: {question: q, options: [{option: A, strategy: a}]}",
			"lesson.options[0].text: required"},
		{"unknown key", "lesson: {question: q, answer: B, options: [{option: A, strategy: a, text: t}]}",
			`unknown key "answer"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadString(t, base+c.lesson+"\n")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
			if err != nil && (strings.Contains(err.Error(), "\n") || !IsInputError(err)) {
				t.Errorf("error %q is not one line of bad input", err)
			}
		})
	}
}

// TestLessonTextsOnOneLine: folded YAML texts are written on one line, and
// the resolved scenario loads back with the same lesson.
func TestLessonTextsOnOneLine(t *testing.T) {
	sc, err := loadString(t, `name: l
duration: 10m
workload: {type: poisson, rate: 10}
service: {time: {dist: exponential, mean: 50ms}}
strategies:
  - {name: a, type: static, instance_type: m5.large, count: 1}
lesson:
  question: |
    Which one
    is best?
  options:
    - option: A
      strategy: a
      text: the only one
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Spec.Lesson.Question; got != "Which one is best?" {
		t.Errorf("question %q", got)
	}
	y, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := loadString(t, string(y))
	if err != nil {
		t.Fatalf("resolved scenario does not load: %v\n%s", err, y)
	}
	if !reflect.DeepEqual(again.Spec.Lesson, sc.Spec.Lesson) {
		t.Errorf("lesson after a round trip %+v, want %+v", again.Spec.Lesson, sc.Spec.Lesson)
	}
}
