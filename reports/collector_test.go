package reports

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

const (
	ms  = sim.Millisecond
	sec = sim.Second
	mn  = sim.Minute
)

// at returns the instant d after the start of the run.
func at(d sim.Duration) sim.Time { return sim.Time(d) }

// handCollector feeds a Collector a fixed story whose every figure is
// computed by hand in TestCollectorSummaryByHand. Warm-up 1 min, horizon
// 5 min, SLO 100 ms, mean service time 20 ms (so each minute with
// arrivals asks for one slot: M/M/1's p99 at 0.1 req/s is 92 ms).
//
//	minute 0 (warm-up): 2 arrivals; one completes (500 ms), one is rejected;
//	                    a decision at 30 s (not counted)
//	minute 1: 6 arrivals complete in 10..60 ms; a decision at 90 s
//	minute 2: 4 arrivals complete in 70, 80, 90, 200 ms; a decision at 200 s
//	minute 3: 3 arrivals rejected, timed out, dropped; 2 arrivals in flight
//	minute 4: nothing
//	samples at every minute end: in service 2,2,3,4,3; pending 0,1,1,0,0;
//	4 slots per instance; utilization 0.1,0.2,0.5,0.4,0.3; cumulative cost
//	1,2,3.5,5,6 of which compute 0.9,1.8,3.2,4.6,5.5; instance-seconds
//	120,240,420,660,840. What is not compute is the stream's when stream is
//	set, else the load balancer's.
func handCollector(stream bool) *Collector {
	c := NewCollector(CollectorConfig{Warmup: at(mn), Horizon: at(5 * mn), SLO: 100 * ms, ServiceMeanS: 0.02})
	type call struct {
		t  sim.Time
		do func()
	}
	var calls []call
	arrive := func(a sim.Time, done sim.Time, o models.Outcome) {
		calls = append(calls, call{a, func() { c.Arrived(a) }})
		calls = append(calls, call{done, func() { c.Finished(a, done, o) }})
	}
	arrive(at(10*sec), at(10*sec+500*ms), models.Completed)
	arrive(at(20*sec), at(20*sec), models.Rejected)
	for i := range 6 {
		a := at(mn + sim.Duration(i)*5*sec)
		arrive(a, a.Add(sim.Duration(i+1)*10*ms), models.Completed)
	}
	for i, lat := range []sim.Duration{70 * ms, 80 * ms, 90 * ms, 200 * ms} {
		a := at(2*mn + sim.Duration(i)*10*sec)
		arrive(a, a.Add(lat), models.Completed)
	}
	arrive(at(3*mn), at(3*mn+sec), models.Rejected)
	arrive(at(3*mn+5*sec), at(3*mn+35*sec), models.TimedOut)
	arrive(at(3*mn+10*sec), at(3*mn+50*sec), models.Dropped)
	arrive(at(3*mn+20*sec), at(5*mn), models.InFlight)
	arrive(at(3*mn+30*sec), at(5*mn), models.InFlight)
	for _, d := range []sim.Duration{30 * sec, 90 * sec, 200 * sec} {
		calls = append(calls, call{at(d), func() {
			c.Decided(at(d), strategies.Decision{Desired: 3}, strategies.FleetView{})
		}})
	}
	inService := []int{2, 2, 3, 4, 3}
	pending := []int{0, 1, 1, 0, 0}
	util := []float64{0.1, 0.2, 0.5, 0.4, 0.3}
	cost := []float64{1, 2, 3.5, 5, 6}
	compute := []float64{0.9, 1.8, 3.2, 4.6, 5.5}
	instSec := []float64{120, 240, 420, 660, 840}
	for m := range 5 {
		s := models.FleetSample{
			Start: at(sim.Duration(m) * mn), End: at(sim.Duration(m+1) * mn),
			InService: inService[m], Pending: pending[m], Slots: 4 * inService[m],
			Utilization: util[m], CostUSD: cost[m], ComputeUSD: compute[m], InstanceSec: instSec[m],
		}
		if stream {
			s.StreamUSD = cost[m] - compute[m]
		} else {
			s.LBUSD = cost[m] - compute[m]
		}
		calls = append(calls, call{s.End, func() { c.Sampled(s) }})
	}
	slices.SortStableFunc(calls, func(a, b call) int { return int(a.t - b.t) })
	for _, cl := range calls {
		cl.do()
	}
	return c
}

// near reports whether got is within rel relative error of want.
func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func TestCollectorSummaryByHand(t *testing.T) {
	c := handCollector(false)
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	s := c.Summary("asg", "horizontal")
	wantReq := Requests{Arrived: 15, Completed: 10, Rejected: 1, TimedOut: 1, Dropped: 1, InFlightAtEnd: 2}
	if s.Requests != wantReq {
		t.Errorf("requests %+v, want %+v", s.Requests, wantReq)
	}
	// Latencies 10..90 and 200 ms: mean 65; nearest rank round(q·10).
	if s.LatencyMS.Mean != 65 || s.LatencyMS.Max != 200 {
		t.Errorf("mean %v max %v, want 65 and 200 exactly", s.LatencyMS.Mean, s.LatencyMS.Max)
	}
	for _, q := range []struct {
		name      string
		got, want float64
	}{{"p50", s.LatencyMS.P50, 50}, {"p90", s.LatencyMS.P90, 90}, {"p99", s.LatencyMS.P99, 200}, {"p999", s.LatencyMS.P999, 200}} {
		if !near(q.got, q.want, 0.001) {
			t.Errorf("%s = %v, want %v within 0.1%%", q.name, q.got, q.want)
		}
	}
	// 10 completed over the 240 measured seconds; peak minute 1 with 6.
	if !near(s.ThroughputRPS.Mean, 10.0/240, 1e-12) || s.ThroughputRPS.PeakMinute != 0.1 {
		t.Errorf("throughput %+v, want mean 1/24, peak 0.1", s.ThroughputRPS)
	}
	// 13 finished of 15 arrived (2 still in flight); 9 completed within
	// 100 ms; minutes 1 and 4 of 1..4 good.
	wantAv := Availability{SuccessRatio: 10.0 / 13, SLOAttainment: 9.0 / 13, MinutesMeetingSLO: 0.5,
		ServedWithinSLO: 9.0 / 15, Served: 10.0 / 15}
	if s.Availability != wantAv {
		t.Errorf("availability %+v, want %+v", s.Availability, wantAv)
	}
	if want := (Cost{Total: 6, Compute: 5.5, LoadBalancer: 0.5}); s.CostUSD != want {
		t.Errorf("cost %+v, want %+v", s.CostUSD, want)
	}
	if st := handCollector(true).Summary("k", "stream"); st.CostUSD.Stream != 0.5 || st.CostUSD.LoadBalancer != 0 {
		t.Errorf("a stream's cost %+v, want the non-compute 0.5 as stream, as the samples split it", st.CostUSD)
	}
	// Samples after the warm-up: minutes 1..4, slots 8,12,16,12.
	wantUtil := (0.2*8 + 0.5*12 + 0.4*16 + 0.3*12) / (8 + 12 + 16 + 12)
	if s.Capacity.InstancesMin != 2 || s.Capacity.InstancesMax != 4 ||
		!near(s.Capacity.InstanceHours, 840.0/3600, 1e-12) || !near(s.Capacity.MeanUtilization, wantUtil, 1e-12) {
		t.Errorf("capacity %+v, want min 2, max 4, %v h, utilization %v", s.Capacity, 840.0/3600, wantUtil)
	}
	if s.ScalingActions != 2 {
		t.Errorf("scaling actions %d, want 2", s.ScalingActions)
	}
	// Measured minutes with arrivals: 1..3, demand 1 slot each, supply 8,
	// 12, 16 slots: always over, by 7, 11 and 15 times the demand.
	wantEl := Elasticity{OverProvisioningAccuracy: 11, OverProvisioningTimeshare: 1}
	if s.Elasticity != wantEl {
		t.Errorf("elasticity %+v, want %+v", s.Elasticity, wantEl)
	}
}

func TestCollectorSeriesByHand(t *testing.T) {
	rows := handCollector(false).Series("asg")
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5", len(rows))
	}
	type counts struct{ arrivals, completed, errors int64 }
	want := []counts{{2, 1, 1}, {6, 6, 0}, {4, 4, 0}, {5, 0, 3}, {0, 0, 0}}
	wantP50 := []float64{500, 30, 80, 0, 0}
	wantP99 := []float64{500, 60, 200, 0, 0}
	wantCost := []float64{1, 2, 3.5, 5, 6}
	wantDemand := []int{1, 1, 1, 1, 0}
	for m, r := range rows {
		if r.Demand != wantDemand[m] {
			t.Errorf("minute %d demand %d slots, want %d", m, r.Demand, wantDemand[m])
		}
		if r.Strategy != "asg" || r.Minute != m {
			t.Errorf("row %d labelled %q minute %d", m, r.Strategy, r.Minute)
		}
		if got := (counts{r.Arrivals, r.Completed, r.Errors}); got != want[m] {
			t.Errorf("minute %d counts %+v, want %+v", m, got, want[m])
		}
		if !near(r.P50MS, wantP50[m], 0.001) || !near(r.P99MS, wantP99[m], 0.001) {
			t.Errorf("minute %d p50 %v p99 %v, want %v and %v", m, r.P50MS, r.P99MS, wantP50[m], wantP99[m])
		}
		if r.CostUSD != wantCost[m] {
			t.Errorf("minute %d cost %v, want %v", m, r.CostUSD, wantCost[m])
		}
	}
	if r := rows[2]; r.InstancesInService != 3 || r.InstancesPending != 1 || r.Utilization != 0.5 {
		t.Errorf("minute 2 fleet %+v", r)
	}
}

// handResult is a Result built from handCollector.
func handResult() *Result {
	c, k := handCollector(false), handCollector(true)
	return &Result{
		SchemaVersion: SchemaVersion, Scenario: "hand", Seed: 1, DurationS: 300, WarmupS: 60,
		SLOLatencyMS: 100, Replications: 1,
		Strategies: []StrategySummary{c.Summary("asg", "horizontal"), k.Summary("kinesis", "stream")},
		Series:     append(c.Series("asg"), k.Series("kinesis")...),
	}
}

func TestGoldenCollector(t *testing.T) {
	for _, rd := range renderers() {
		t.Run(rd.ext, func(t *testing.T) {
			var buf bytes.Buffer
			if err := rd.write(&buf, handResult()); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "collector."+rd.ext, buf.Bytes())
		})
	}
}

func TestCollectorPercentilesWithin1Percent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 200_000
	c := NewCollector(CollectorConfig{Horizon: at(sim.Day)})
	lats := make([]sim.Duration, n)
	var sum float64
	for i := range lats {
		// Log-normal, median 50 ms, a long tail up to minutes.
		lats[i] = sim.FromSeconds(0.05 * math.Exp(1.2*rng.NormFloat64()))
		sum += float64(lats[i])
		done := at(time0 + sim.Duration(i)*sim.Millisecond)
		c.Arrived(done.Add(-lats[i]))
		c.Finished(done.Add(-lats[i]), done, models.Completed)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	s := c.Summary("x", "static")
	slices.Sort(lats)
	exact := func(p float64) float64 { return lats[percentileRank(p, n)-1].Milliseconds() }
	for _, q := range []struct {
		p   float64
		got float64
	}{{50, s.LatencyMS.P50}, {90, s.LatencyMS.P90}, {99, s.LatencyMS.P99}, {99.9, s.LatencyMS.P999}} {
		if want := exact(q.p); !near(q.got, want, 0.01) {
			t.Errorf("p%v = %v, exact %v: relative error %.3g", q.p, q.got, want, math.Abs(q.got-want)/want)
		}
	}
	if want := sum / n / 1e6; !near(s.LatencyMS.Mean, want, 1e-12) {
		t.Errorf("mean %v, exact %v", s.LatencyMS.Mean, want)
	}
	if want := lats[n-1].Milliseconds(); s.LatencyMS.Max != want {
		t.Errorf("max %v, exact %v", s.LatencyMS.Max, want)
	}
}

// time0 is late enough that every random arrival is after time zero.
const time0 = sim.Hour

func TestCollectorWarmupFilter(t *testing.T) {
	c := NewCollector(CollectorConfig{Warmup: at(mn), Horizon: at(3 * mn)})
	// Before the warm-up: counted in the series only.
	c.Arrived(at(mn - 1))
	c.Finished(at(mn-1), at(mn+sec), models.Completed)
	// Exactly at the warm-up: counted.
	c.Arrived(at(mn))
	c.Finished(at(mn), at(mn+2*sec), models.Completed)
	c.Decided(at(mn-1), strategies.Decision{}, strategies.FleetView{})
	c.Decided(at(mn), strategies.Decision{}, strategies.FleetView{})
	// Both processed again: only the one that arrived after the warm-up
	// counts, and outside the ledger.
	c.Reprocessed(at(mn-1), at(mn+3*sec))
	c.Reprocessed(at(mn), at(mn+4*sec))
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	s := c.Summary("s", "static")
	if s.Requests.Arrived != 1 || s.Requests.Completed != 1 || s.Requests.Reprocessed != 1 || s.LatencyMS.Max != 2000 || s.ScalingActions != 1 {
		t.Errorf("after warm-up: %+v, max %v ms, actions %d; want 1 arrival, 1 completion of 2000 ms, 1 re-processed, 1 action",
			s.Requests, s.LatencyMS.Max, s.ScalingActions)
	}
	if rows := c.Series("s"); rows[0].Arrivals != 1 || rows[1].Arrivals != 1 || rows[1].Completed != 2 {
		t.Errorf("series counts every request: %+v", rows[:2])
	}
}

func TestCollectorCheck(t *testing.T) {
	cases := []struct {
		name string
		feed func(c *Collector)
		want string // substring of the error; "" for none
	}{
		{"balanced with in-flight", func(c *Collector) {
			c.Arrived(at(sec))
			c.Finished(at(sec), at(2*sec), models.Completed)
			c.Arrived(at(sec))
			c.Finished(at(sec), at(5*mn), models.InFlight)
		}, ""},
		{"never finished", func(c *Collector) {
			c.Arrived(at(sec))
		}, "1 arrivals but 0 finished"},
		{"finished twice", func(c *Collector) {
			c.Arrived(at(sec))
			c.Finished(at(sec), at(2*sec), models.Rejected)
			c.Finished(at(sec), at(2*sec), models.Dropped)
		}, "1 arrivals but 2 finished"},
		{"arrival time misreported", func(c *Collector) {
			c.Arrived(at(2 * mn))
			c.Finished(at(sec), at(2*mn+sec), models.Completed) // says it arrived in the warm-up
		}, "do not balance"},
		{"completion after its minute closed", func(c *Collector) {
			c.Arrived(at(sec))
			c.Sampled(models.FleetSample{Start: 0, End: at(mn)})
			c.Finished(at(sec), at(30*sec), models.Completed)
		}, "after their minute was closed"},
		{"completion before arrival", func(c *Collector) {
			c.Arrived(at(2 * sec))
			c.Finished(at(2*sec), at(sec), models.Completed)
		}, "before their arrival"},
		{"unknown outcome", func(c *Collector) {
			c.Arrived(at(sec))
			c.Finished(at(sec), at(2*sec), models.Outcome(9))
		}, "unknown outcome"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCollector(CollectorConfig{Horizon: at(5 * mn)})
			if tc.name == "arrival time misreported" {
				c = NewCollector(CollectorConfig{Warmup: at(mn), Horizon: at(5 * mn)})
			}
			tc.feed(c)
			err := c.Check()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestSuccessRatioWithInFlight(t *testing.T) {
	cases := []struct {
		name                string
		outcomes            []models.Outcome
		wantSuccess, wantOK float64
	}{
		{"no arrivals", nil, 1, 1},
		{"all in flight", []models.Outcome{models.InFlight, models.InFlight}, 1, 1},
		{"in flight leave the denominator", []models.Outcome{models.Completed, models.Completed, models.Rejected, models.InFlight}, 2.0 / 3, 2.0 / 3},
		{"every kind of error", []models.Outcome{models.Completed, models.Rejected, models.TimedOut, models.Dropped}, 0.25, 0.25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCollector(CollectorConfig{Horizon: at(mn), SLO: sec})
			for _, o := range tc.outcomes {
				c.Arrived(at(sec))
				c.Finished(at(sec), at(2*sec), o)
			}
			a := c.Summary("s", "static").Availability
			if a.SuccessRatio != tc.wantSuccess || a.SLOAttainment != tc.wantOK {
				t.Errorf("success %v, SLO attainment %v; want %v, %v", a.SuccessRatio, a.SLOAttainment, tc.wantSuccess, tc.wantOK)
			}
		})
	}
}

func TestMinuteMeetsSLO(t *testing.T) {
	cases := []struct {
		name string
		r    minuteStats
		want bool
	}{
		{"idle minute", minuteStats{}, true},
		{"errors without completions", minuteStats{errors: 1}, false},
		{"all within", minuteStats{completed: 50}, true},
		{"1 of 100 over: p99 is within", minuteStats{completed: 100, overSLO: 1}, true},
		{"2 of 100 over: p99 is over", minuteStats{completed: 100, overSLO: 2}, false},
		{"single completion over", minuteStats{completed: 1, overSLO: 1}, false},
		{"errors exactly 1%", minuteStats{completed: 99, errors: 1}, false},
		{"errors under 1%", minuteStats{completed: 199, errors: 1}, true},
	}
	for _, tc := range cases {
		if got := minuteMeetsSLO(tc.r); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMinutesMeetingSLOEdges(t *testing.T) {
	// No whole measured minute: the share is 1 and the peak 0.
	c := NewCollector(CollectorConfig{Warmup: at(30 * sec), Horizon: at(90 * sec), SLO: ms})
	c.Arrived(at(40 * sec))
	c.Finished(at(40*sec), at(41*sec), models.Completed)
	s := c.Summary("s", "static")
	if s.Availability.MinutesMeetingSLO != 1 || s.ThroughputRPS.PeakMinute != 0 || s.Availability.SLOAttainment != 0 {
		t.Errorf("no whole measured minute: %+v, %+v", s.Availability, s.ThroughputRPS)
	}
	// Without an SLO every latency meets it; the warm-up's partial minute
	// and the horizon's partial minute are not measured.
	c = NewCollector(CollectorConfig{Warmup: at(30 * sec), Horizon: at(150 * sec)})
	c.Arrived(at(61 * sec))
	c.Finished(at(61*sec), at(61*sec+mn), models.Completed) // 1 min latency, minute 2
	c.Arrived(at(70 * sec))
	c.Finished(at(70*sec), at(140*sec), models.Rejected) // minute 2, partial: not measured
	s = c.Summary("s", "static")
	if s.Availability.MinutesMeetingSLO != 1 || s.Availability.SLOAttainment != 0.5 {
		t.Errorf("no SLO: %+v", s.Availability)
	}
	if rows := c.Series("s"); len(rows) != 2 {
		t.Errorf("series of a 150 s run has %d rows, want 2 whole minutes", len(rows))
	}
}

func TestCollectorMemoryFlatInRequests(t *testing.T) {
	c := NewCollector(CollectorConfig{Horizon: at(10 * mn)})
	allocs := testing.AllocsPerRun(1000, func() {
		c.Finished(at(sec), at(2*sec), models.Completed)
		c.Finished(at(sec), at(2*sec), models.TimedOut)
		c.Arrived(at(sec))
	})
	if allocs != 0 {
		t.Errorf("%v allocations per request, want 0", allocs)
	}
}

func BenchmarkCollectorFinished(b *testing.B) {
	const step = 100 * sim.Microsecond
	lats := make([]sim.Duration, 1024)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range lats {
		lats[i] = sim.FromSeconds(0.05 * math.Exp(0.8*rng.NormFloat64()))
	}
	horizon := time0 + sim.Duration(b.N+1)*step
	c := NewCollector(CollectorConfig{Horizon: at(horizon), SLO: 300 * ms})
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		done := at(time0 + sim.Duration(i)*step)
		c.Finished(done.Add(-lats[i&1023]), done, models.Completed)
	}
}
