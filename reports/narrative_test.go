package reports_test

import (
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
)

// clock returns the simulated time h:m:s after the start.
func clock(h, m, s int) sim.Time {
	return sim.Time(sim.Duration(h)*sim.Hour + sim.Duration(m)*sim.Minute + sim.Duration(s)*sim.Second)
}

// spikeRates is the traffic of the stories, in requests per second per
// minute: 300 for half an hour, a three-minute rise, then 2,400.
func spikeRates(minutes int) []float64 {
	rates := make([]float64, minutes)
	for m := range rates {
		switch {
		case m < 30:
			rates[m] = 300
		case m == 30:
			rates[m] = 650
		case m == 31:
			rates[m] = 1350
		case m == 32:
			rates[m] = 2050
		default:
			rates[m] = 2400
		}
	}
	return rates
}

// storyRows returns a strategy's minute rows over the rates: p99 of 200 ms
// except slowMS in the minutes of slow, errors of 5% in the minutes of
// failing, and inService(m) instances.
func storyRows(name string, rates []float64, slow, failing [2]int, slowMS float64, inService func(m int) int) []reports.MinuteRow {
	var rows []reports.MinuteRow
	in := func(m int, span [2]int) bool { return m >= span[0] && m < span[1] }
	for m, rate := range rates {
		arr := int64(rate * 60)
		row := reports.MinuteRow{Strategy: name, Minute: m, Arrivals: arr, Completed: arr, P50MS: 40, P99MS: 200,
			InstancesInService: inService(m)}
		if in(m, slow) {
			row.P99MS = slowMS
		}
		if in(m, failing) {
			row.Errors = arr / 20
			row.Completed = arr - row.Errors
		}
		rows = append(rows, row)
	}
	return rows
}

// scaleOutStory: traffic jumps eightfold at 00:30; the ASG decides to
// scale out at 00:33 and has its 20 instances at 00:38; p99 is over the
// SLO from 00:30 to 00:38 and errors pass 1% from 00:31 to 00:36.
func scaleOutStory() *reports.Result {
	rates := spikeRates(60)
	rows := storyRows("asg", rates, [2]int{30, 38}, [2]int{31, 36}, 800, func(m int) int {
		if m < 38 {
			return 6
		}
		return 20
	})
	return &reports.Result{
		Scenario: "story", Seed: 3, DurationS: 3600, WarmupS: 300, SLOLatencyMS: 300, Replications: 1,
		Strategies: []reports.StrategySummary{{
			Name: "asg", Type: "horizontal", ScalingActions: 2,
			Availability: reports.Availability{MinutesMeetingSLO: 47.0 / 55},
			CostUSD:      reports.Cost{Total: 1.234},
		}},
		Series: rows,
		Decisions: []reports.DecisionRecord{
			{Strategy: "asg", At: 0, From: 0, To: 6, ReachedAt: clock(0, 1, 0)},
			{Strategy: "asg", At: clock(0, 33, 0), From: 6, To: 20, ReachedAt: clock(0, 38, 0)},
			{Strategy: "asg", At: clock(0, 50, 0), From: 20, To: 15, ReachedAt: clock(0, 51, 0)},
		},
	}
}

func TestNarrativeScaleOutStory(t *testing.T) {
	got := reports.Narrative(scaleOutStory())
	want := []string{
		"At 00:30 traffic rose from 300 to 2,400 req/s over 3 minutes.",
		"asg (horizontal): Its first scale-out decision came at 00:33 (desired 6 → 20), and 20 instances were in service by 00:38, 5 min later. " +
			"It made 2 scaling decisions (1 out, 1 in). " +
			"It missed the SLO in 8 of 55 measured minutes (p99 above 300 ms in 8, errors of 1% or more in 5), the longest stretch from 00:30 to 00:38. " +
			"It met the SLO in 85.45% of measured minutes and cost $1.23.",
		"Verdict: no strategy met the SLO in 99% of minutes; asg came closest (85.45% of minutes) at $1.23.",
	}
	checkParagraphs(t, got, want)
}

// TestNarrativeVerticalDowntime: a stop/start resize at 00:34 that serves
// again at 00:37:10, then a failure and a zone outage.
func TestNarrativeVerticalDowntime(t *testing.T) {
	rates := spikeRates(60)
	rows := storyRows("resize", rates, [2]int{30, 34}, [2]int{34, 37}, 450, func(m int) int {
		if m >= 34 && m < 37 {
			return 0
		}
		return 1
	})
	r := &reports.Result{
		Scenario: "vertical", Seed: 1, DurationS: 3600, WarmupS: 300, SLOLatencyMS: 300, Replications: 1,
		Strategies: []reports.StrategySummary{{
			Name: "resize", Type: "vertical", ScalingActions: 1,
			Availability: reports.Availability{MinutesMeetingSLO: 48.0 / 55},
			CostUSD:      reports.Cost{Total: 0.5},
			Notes:        []string{"ceiling: the ladder's top (m5.24xlarge) was reached and CPU stayed above 70% for 12 minutes"},
		}},
		Series: rows,
		Decisions: []reports.DecisionRecord{
			{Strategy: "resize", At: 0, From: 0, To: 1, InstanceType: "m5.2xlarge", ReachedAt: clock(0, 1, 0)},
			{Strategy: "resize", At: clock(0, 34, 0), From: 1, To: 1, InstanceType: "m5.4xlarge", ReachedAt: clock(0, 38, 0)},
		},
		Events: []reports.EventRecord{
			{Strategy: "resize", At: clock(0, 34, 0), Kind: "resize", Detail: "stop/start resize m5.2xlarge → m5.4xlarge"},
			{Strategy: "resize", At: clock(0, 37, 10), Kind: "resized", Detail: "now serving on m5.4xlarge"},
			{Strategy: "resize", At: clock(0, 45, 30), Kind: "failure", Detail: "instance 2 (m5.4xlarge, zone a) failed"},
			{Strategy: "resize", At: clock(0, 50, 0), Kind: "zone_down", Detail: "zone a is out"},
		},
	}
	got := reports.Narrative(r)
	want := []string{
		"At 00:30 traffic rose from 300 to 2,400 req/s over 3 minutes.",
		"resize (vertical): It resized once: to m5.4xlarge at 00:34, in service by 00:38. " +
			"Its stop/start resize took it out of service: it served nothing for 3 min 10 s. " +
			"It missed the SLO in 7 of 55 measured minutes (p99 above 300 ms in 4, errors of 1% or more in 3), the longest stretch from 00:30 to 00:37. " +
			"1 instance failed (at 00:45:30). 1 availability zone went out (at 00:50). " +
			"Ceiling: the ladder's top (m5.24xlarge) was reached and CPU stayed above 70% for 12 minutes. " +
			"It met the SLO in 87.27% of measured minutes and cost $0.500.",
		"Verdict: no strategy met the SLO in 99% of minutes; resize came closest (87.27% of minutes) at $0.500.",
	}
	checkParagraphs(t, got, want)
}

// TestNarrativeDowntimeFromSeries: without resize events, the minutes that
// ended with nothing in service are counted.
func TestNarrativeDowntimeFromSeries(t *testing.T) {
	rows := storyRows("v", spikeRates(40), [2]int{}, [2]int{}, 0, func(m int) int {
		if m == 10 || m == 11 {
			return 0
		}
		return 1
	})
	r := &reports.Result{DurationS: 2400, Strategies: []reports.StrategySummary{{Name: "v", Type: "vertical"}}, Series: rows}
	got := strings.Join(reports.Narrative(r), "\n")
	if !strings.Contains(got, "It had no instance in service at the end of 2 minutes.") {
		t.Errorf("narrative does not count the empty minutes:\n%s", got)
	}
}

func TestNarrativeVerdict(t *testing.T) {
	strat := func(name string, share, cost float64) reports.StrategySummary {
		return reports.StrategySummary{Name: name, Type: "static",
			Availability: reports.Availability{MinutesMeetingSLO: share}, CostUSD: reports.Cost{Total: cost}}
	}
	cases := []struct {
		name   string
		strats []reports.StrategySummary
		want   string
	}{
		{
			name:   "cheapest that met it",
			strats: []reports.StrategySummary{strat("a", 0.995, 5), strat("b", 1, 3), strat("c", 0.5, 1)},
			want:   "Verdict: b was the cheapest strategy that met the SLO in at least 99% of minutes (100.00% of minutes, $3.00).",
		},
		{
			name:   "exactly 99% meets it",
			strats: []reports.StrategySummary{strat("a", 0.99, 5), strat("b", 0.989, 3)},
			want:   "Verdict: a was the cheapest strategy that met the SLO in at least 99% of minutes (99.00% of minutes, $5.00).",
		},
		{
			name:   "none met it: the closest, the cheaper of a tie",
			strats: []reports.StrategySummary{strat("a", 0.9, 5), strat("b", 0.95, 9), strat("c", 0.95, 7)},
			want:   "Verdict: no strategy met the SLO in 99% of minutes; c came closest (95.00% of minutes) at $7.00.",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := reports.Narrative(&reports.Result{Strategies: tc.strats})
			if len(got) == 0 || got[len(got)-1] != tc.want {
				t.Errorf("verdict\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestNarrativeTraffic: steady traffic, a fall and its return, and a rise
// that fades back.
func TestNarrativeTraffic(t *testing.T) {
	level := func(n int, f func(m int) float64) []reports.MinuteRow {
		rows := make([]reports.MinuteRow, n)
		for m := range rows {
			rows[m] = reports.MinuteRow{Strategy: "s", Minute: m, Arrivals: int64(f(m) * 60)}
		}
		return rows
	}
	cases := []struct {
		name string
		rows []reports.MinuteRow
		want string
	}{
		{"steady", level(30, func(m int) float64 { return 500 + float64(m%3) }), "Traffic held steady at about 501 req/s."},
		{"step down and back", level(60, func(m int) float64 {
			if m >= 20 && m < 40 {
				return 100
			}
			return 1000
		}), "At 00:20 traffic fell from 1,000 to 100 req/s. At 00:40 it rose back to 1,000 req/s."},
		{"spike with a slow fall", level(90, func(m int) float64 {
			switch {
			case m < 30:
				return 300
			case m < 50:
				return 2400
			case m < 60:
				return 2400 - 210*float64(m-49)
			}
			return 300
		}), "At 00:30 traffic rose from 300 to 2,400 req/s. At 00:50 it fell back to 300 req/s over 8 minutes."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := reports.Narrative(&reports.Result{Series: tc.rows})
			if len(got) == 0 || got[0] != tc.want {
				t.Errorf("traffic\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestNarrativeStory: a strategy's own story (its family's sentences)
// takes the place of the default one after the failures, and the notes it
// retells are not told again; every other note follows. Without one, the
// default tells the requests in flight at the end (from 1% of arrivals).
func TestNarrativeStory(t *testing.T) {
	sum := reports.StrategySummary{
		Name: "kinesis", Type: "stream",
		Requests: reports.Requests{Arrived: 5412155, Completed: 2999247, InFlightAtEnd: 2412908},
		Notes:    []string{"idle consumers: 6 consumers read 3 shards"},
	}
	told := sum
	told.Notes = append([]string{"backlog: 2412908 records"}, sum.Notes...)
	told.Story = &reports.Story{Sentences: []string{"A sentence of its own."}, Retold: []string{"backlog: 2412908 records"}}
	few := sum
	few.Requests.InFlightAtEnd, few.Notes = 1, nil
	for _, tc := range []struct {
		name string
		s    reports.StrategySummary
		want string
	}{
		{"default", sum, "kinesis (stream): It made no scaling decisions. " +
			"2,412,908 requests were still in flight when the run ended (44.58% of arrivals). " +
			"Idle consumers: 6 consumers read 3 shards. It met the SLO in 0.00% of measured minutes and cost $0.00."},
		{"own story", told, "kinesis (stream): It made no scaling decisions. A sentence of its own. " +
			"Idle consumers: 6 consumers read 3 shards. It met the SLO in 0.00% of measured minutes and cost $0.00."},
		{"under 1% in flight", few, "kinesis (stream): It made no scaling decisions. " +
			"It met the SLO in 0.00% of measured minutes and cost $0.00."},
	} {
		got := reports.Narrative(&reports.Result{Strategies: []reports.StrategySummary{tc.s}})[0]
		if got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
	if got := reports.DefaultStory(&few); got.Sentences != nil || got.Retold != nil {
		t.Errorf("default story of one request in flight of 5 M: %q, want none", got)
	}
}

// TestNarrativeEmpty: nothing to tell is not a panic.
func TestNarrativeEmpty(t *testing.T) {
	if got := reports.Narrative(nil); got != nil {
		t.Errorf("Narrative(nil) = %q", got)
	}
	if got := reports.Narrative(&reports.Result{}); len(got) != 0 {
		t.Errorf("Narrative(empty) = %q", got)
	}
	one := &reports.Result{Series: []reports.MinuteRow{{Strategy: "s", Arrivals: 60}}}
	if got := reports.Narrative(one); len(got) != 1 || got[0] != "Traffic held steady at about 1.00 req/s." {
		t.Errorf("Narrative(one minute) = %q", got)
	}
}

// TestNarrativeDeterministic: the same result gives the same words.
func TestNarrativeDeterministic(t *testing.T) {
	a := strings.Join(reports.Narrative(scaleOutStory()), "\n")
	b := strings.Join(reports.Narrative(scaleOutStory()), "\n")
	if a != b {
		t.Errorf("two narratives of the same result differ:\n%s\n---\n%s", a, b)
	}
}

// checkParagraphs compares paragraphs one by one.
func checkParagraphs(t *testing.T, got, want []string) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("paragraph %d\n got %q\nwant %q", i, g, w)
		}
	}
}

// TestNarrativePodResize: a VPA's updates resize pods, not the instance
// type: the narrative says to what request.
func TestNarrativePodResize(t *testing.T) {
	r := &reports.Result{DurationS: 2400, Strategies: []reports.StrategySummary{{Name: "k", Type: "kubernetes"}},
		Series: storyRows("k", spikeRates(40), [2]int{}, [2]int{}, 0, func(int) int { return 4 }),
		Decisions: []reports.DecisionRecord{
			{Strategy: "k", At: clock(0, 12, 0), From: 4, To: 4, InstanceType: "m5.8xlarge", PodCPU: 7.118, ReachedAt: -1},
		}}
	got := strings.Join(reports.Narrative(r), "\n")
	if !strings.Contains(got, "It resized once: its pods to 7.118 CPUs at 00:12.") {
		t.Errorf("narrative:\n%s", got)
	}
}
