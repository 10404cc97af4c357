package reports

import (
	"strings"
	"testing"
)

// lessonFixture builds a result of three strategies for a three-option
// lesson, from each strategy's minutes meeting the SLO, share served within
// it and cost.
func lessonFixture(x, y, z [3]float64) *Result {
	sum := func(name string, f [3]float64) StrategySummary {
		return StrategySummary{Name: name, Type: "static",
			Availability: Availability{MinutesMeetingSLO: f[0], ServedWithinSLO: f[1]},
			CostUSD:      Cost{Total: f[2]}, LatencyMS: Latency{P99: 123}}
	}
	return &Result{
		Strategies: []StrategySummary{sum("x", x), sum("y", y), sum("z", z)},
		Lesson: &Lesson{Question: "which is best?", Change: "a different load",
			Options: []LessonOption{
				{Label: "A", Strategy: "x", Text: "Option x.", Why: "x does x things"},
				{Label: "B", Strategy: "y", Text: "Option y", Why: "y does y things"},
				{Label: "C", Strategy: "z", Text: "Option z"},
			}},
	}
}

func TestLessonParagraphs(t *testing.T) {
	for _, c := range []struct {
		name    string
		x, y, z [3]float64
		answer  string
	}{
		{"most minutes wins", [3]float64{0.5, 0.5, 1}, [3]float64{1, 0.9, 9}, [3]float64{0.9, 1, 2},
			"B (y) met the SLO in the most minutes, 100.00%, for $9.00. Y does y things."},
		{"the figures decide, not the order", [3]float64{1, 0.9, 9}, [3]float64{0.5, 0.5, 1}, [3]float64{0.9, 1, 2},
			"A (x) met the SLO in the most minutes, 100.00%, for $9.00. X does x things."},
		{"a tie goes to more served in time", [3]float64{0.8, 0.7, 1}, [3]float64{0.8, 0.9, 9}, [3]float64{0.1, 0.1, 1},
			"B (y) met the SLO in the most minutes, 80.00%, for $9.00. A met it in as many; B served more requests within the SLO. Y does y things."},
		{"then to the cheaper", [3]float64{0.8, 0.9, 5}, [3]float64{0.8, 0.9, 4}, [3]float64{0.8, 0.9, 6},
			"B (y) met the SLO in the most minutes, 80.00%, for $4.00. A and C met it in as many; B cost less, serving as many within the SLO. Y does y things."},
		{"both tie-breaks", [3]float64{0.8, 0.7, 1}, [3]float64{0.8, 0.9, 4}, [3]float64{0.8, 0.9, 6},
			"B (y) met the SLO in the most minutes, 80.00%, for $4.00. A and C met it in as many; B served more requests within the SLO than some of them and cost less than the rest. Y does y things."},
		{"a full tie names the first", [3]float64{0.8, 0.9, 4}, [3]float64{0.8, 0.9, 4}, [3]float64{0.1, 0.1, 1},
			"A (x) met the SLO in the most minutes, 80.00%, for $4.00. B met it in as many; A is listed first, as the figures tie. X does x things."},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := LessonParagraphs(lessonFixture(c.x, c.y, c.z))
			if len(got) != 6 {
				t.Fatalf("%d paragraphs, want 6 (question, 3 options, answer, change): %q", len(got), got)
			}
			if got[0] != (LessonParagraph{"Question:", "Which is best?"}) {
				t.Errorf("question %+v", got[0])
			}
			if !strings.HasPrefix(got[1].Text, "Option x (x): met the SLO in") || got[1].Lead != "A." ||
				!strings.HasSuffix(got[1].Text, "X does x things.") {
				t.Errorf("option A %+v", got[1])
			}
			if got[4].Lead != "Answer:" || !strings.HasPrefix(got[4].Text, c.answer) {
				t.Errorf("answer %q, want it to start %q", got[4].Text, c.answer)
			}
			if got[5] != (LessonParagraph{"What would change the answer:", "A different load."}) {
				t.Errorf("change %+v", got[5])
			}
		})
	}
}

// TestLessonSkipsStrategiesNotRun: run with --strategy, a lesson tells
// only the options that ran, and none without a lesson.
func TestLessonSkipsStrategiesNotRun(t *testing.T) {
	r := lessonFixture([3]float64{1, 1, 1}, [3]float64{0.5, 0.5, 1}, [3]float64{0.2, 0.2, 1})
	r.Strategies = r.Strategies[1:]
	got := LessonParagraphs(r)
	if len(got) != 5 || got[1].Lead != "B." || got[2].Lead != "C." || !strings.HasPrefix(got[3].Text, "B (y)") {
		t.Errorf("without x: %q", got)
	}
	r.Lesson = nil
	if got := LessonParagraphs(r); got != nil {
		t.Errorf("without a lesson: %q", got)
	}
}
