package models_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// poisson is a minimal constant-rate source for model tests, so they do not
// depend on the workloads package's shapes.
type poisson struct {
	r    *rand.Rand
	rate float64
	t    float64
}

func (p *poisson) Next() (sim.Time, bool) {
	p.t += p.r.ExpFloat64() / p.rate
	return sim.Time(math.Round(p.t * 1e9)), true
}
func (p *poisson) Err() error { return nil }

// ledgerSink records every outcome and, optionally, every latency.
type ledgerSink struct {
	warmup    sim.Time
	keep      bool
	arrived   int64
	outcomes  [5]int64
	latencies []float64 // seconds, completed requests that arrived after warmup
	sumLat    float64
	samples   []models.FleetSample
	decisions int
	decided   []decision
	lastAt    sim.Time
	arrivalsH uint64 // hash of arrival instants (common random numbers)
	events    []fleetEvent
	completed []sim.Time // completion instants, when keep is set
	life      []lifeEvent
}

// fleetEvent is one recorded fleet event.
type fleetEvent struct {
	at           sim.Time
	kind, detail string
}

func (s *ledgerSink) FleetEvent(t sim.Time, kind, detail string) {
	s.events = append(s.events, fleetEvent{t, kind, detail})
}

// eventTimes returns the instants of the recorded events of kind.
func (s *ledgerSink) eventTimes(kind string) []sim.Time {
	var ts []sim.Time
	for _, e := range s.events {
		if e.kind == kind {
			ts = append(ts, e.at)
		}
	}
	return ts
}

func (s *ledgerSink) Arrived(t sim.Time) {
	s.arrivalsH = s.arrivalsH*1099511628211 ^ uint64(t)
	if t >= s.warmup {
		s.arrived++
	}
}

func (s *ledgerSink) Finished(arrived, at sim.Time, o models.Outcome) {
	if at < arrived {
		panic("finished before arrival")
	}
	if arrived < s.warmup {
		return
	}
	s.outcomes[o]++
	if o == models.Completed {
		d := float64(at-arrived) / 1e9
		s.sumLat += d
		if s.keep {
			s.latencies = append(s.latencies, d)
			s.completed = append(s.completed, at)
		}
	}
}

func (s *ledgerSink) Sampled(fs models.FleetSample) { s.samples = append(s.samples, fs) }
func (s *ledgerSink) Decided(t sim.Time, d strategies.Decision, before strategies.FleetView) {
	s.decisions++
	s.decided = append(s.decided, decision{at: t, d: d, before: before})
}

// decision is one recorded scaling decision.
type decision struct {
	at     sim.Time
	d      strategies.Decision
	before strategies.FleetView
}

func (s *ledgerSink) balanced() bool {
	var sum int64
	for _, n := range s.outcomes {
		sum += n
	}
	return sum == s.arrived
}

func (s *ledgerSink) quantile(p float64) float64 {
	if !slices.IsSorted(s.latencies) {
		slices.Sort(s.latencies)
	}
	i := int(math.Ceil(p*float64(len(s.latencies)))) - 1
	return s.latencies[max(i, 0)]
}

// testCatalog adds one-vCPU types to the real catalog's format so M/M/1 and
// M/M/c with any c can be built.
func testCatalog(t testing.TB) *models.Catalog {
	t.Helper()
	csv := `# source: test
# date: 2026-01-01
name,family,vcpus,memory_gib,gpus,gpu_model,price_usd_hour
t.c1,t,1,1,0,,0.36
t.c2,t,2,1,0,,0.72
t.c4,t,4,1,0,,1.44
t.c8,t,8,1,0,,2.88
m5.xlarge,m5,4,16,0,,0.192
`
	c, err := models.ParseCatalog(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// lifeEvent is one instance lifecycle report.
type lifeEvent struct {
	at    sim.Time
	what  string // launched, running, terminating, terminated
	id    int32
	zone  int
	cause models.LifecycleCause
}

func (s *ledgerSink) InstanceLaunched(t sim.Time, id int32, zone int, cause models.LifecycleCause) {
	s.life = append(s.life, lifeEvent{t, "launched", id, zone, cause})
}
func (s *ledgerSink) InstanceRunning(t sim.Time, id int32) {
	s.life = append(s.life, lifeEvent{at: t, what: "running", id: id})
}
func (s *ledgerSink) InstanceTerminating(t sim.Time, id int32, cause models.LifecycleCause) {
	s.life = append(s.life, lifeEvent{at: t, what: "terminating", id: id, cause: cause})
}
func (s *ledgerSink) InstanceTerminated(t sim.Time, id int32) {
	s.life = append(s.life, lifeEvent{at: t, what: "terminated", id: id})
}

// runBalanced builds and runs a system whose ledger l (sink's, or sink
// itself) must balance at the end; failures name the run.
func runBalanced(t *testing.T, name string, cfg models.Config, src models.Arrivals, st strategies.Strategy, sink models.Sink, l *ledgerSink, rs sim.Streams) {
	t.Helper()
	sys, err := models.NewSystem(cfg, src, st, sink, rs)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if _, err := sys.Run(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !l.balanced() {
		t.Fatalf("%s: arrived %d but outcomes %v", name, l.arrived, l.outcomes)
	}
}
