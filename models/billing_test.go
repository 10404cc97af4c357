package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

func at(seconds float64) sim.Time { return sim.Time(sim.FromSeconds(seconds)) }

func approx(got, want float64) bool { return math.Abs(got-want) <= 1e-12+1e-9*math.Abs(want) }

// TestMeterHandComputed checks the meter against costs worked out by hand.
// Reference: docs/aws-behaviour.md section 6 (per-second billing, 60 s minimum for
// every start, stopped→running starts a new minimum).
func TestMeterHandComputed(t *testing.T) {
	const m5xl = 0.192  // m5.xlarge $/h
	const c7i48 = 8.568 // c7i.48xlarge $/h
	type op struct {
		start bool
		h     int32
		t     float64 // seconds
		price float64
	}
	start := func(h int32, t, price float64) op { return op{true, h, t, price} }
	stop := func(h int32, t float64) op { return op{false, h, t, 0} }
	tests := []struct {
		name      string
		ops       []op
		at        float64
		wantUSD   float64
		wantInstS float64
	}{
		{"nothing", nil, 3600, 0, 0},
		{"90 s", []op{start(0, 0, m5xl), stop(0, 90)}, 100, 0.0048, 90},            // 0.192 × 90/3600
		{"20 s bills 60 s", []op{start(0, 0, m5xl), stop(0, 20)}, 100, 0.0032, 60}, // 0.192 × 60/3600
		{"exactly 60 s", []op{start(0, 0, m5xl), stop(0, 60)}, 60, 0.0032, 60},
		{"two starts of 30 s", []op{start(0, 0, m5xl), stop(0, 30), start(0, 100, m5xl), stop(0, 130)}, 200, 0.0064, 120},
		{"restart inside the minimum", []op{start(0, 0, m5xl), stop(0, 10), start(0, 20, m5xl), stop(0, 30)}, 30, 0.0064, 120},
		{"one hour", []op{start(3, 0, m5xl), stop(3, 3600)}, 7200, 0.192, 3600},
		{"running, young", []op{start(0, 0, m5xl)}, 10, 0.0032, 60},
		{"running, past minimum", []op{start(0, 0, m5xl)}, 90, 0.0048, 90},
		{"running since 100 s", []op{start(0, 100, m5xl)}, 3700, 0.192, 3600},
		{"two types overlapping", []op{start(0, 0, m5xl), start(1, 1800, c7i48), stop(1, 1830), stop(0, 3600)}, 3600,
			0.192 + 0.1428, 3600 + 60}, // 8.568 × 60/3600 = 0.1428
		{"same instant start and stop", []op{start(0, 5, m5xl), stop(0, 5)}, 5, 0.0032, 60},
		{"free instance", []op{start(0, 0, 0), stop(0, 500)}, 500, 0, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Meter
			for _, o := range tt.ops {
				if o.start {
					m.Start(o.h, at(o.t), o.price)
				} else {
					m.Stop(o.h, at(o.t))
				}
			}
			if got := m.CostAt(at(tt.at)); !approx(got, tt.wantUSD) {
				t.Errorf("CostAt(%vs) = %v, want %v", tt.at, got, tt.wantUSD)
			}
			if got := m.InstanceSecondsAt(at(tt.at)); !approx(got, tt.wantInstS) {
				t.Errorf("InstanceSecondsAt(%vs) = %v, want %v", tt.at, got, tt.wantInstS)
			}
		})
	}
}

// TestMeterOverTime follows one m5.xlarge through its life.
func TestMeterOverTime(t *testing.T) {
	var m Meter
	m.Start(7, at(0), 0.192)
	steps := []struct {
		t    float64
		want float64
	}{
		{0, 0.0032}, {10, 0.0032}, {59.999, 0.0032}, {60, 0.0032}, {90, 0.0048}, {120, 0.0064},
	}
	for _, s := range steps {
		if got := m.CostAt(at(s.t)); !approx(got, s.want) {
			t.Errorf("CostAt(%vs) = %v, want %v", s.t, got, s.want)
		}
	}
	if m.Running() != 1 || m.RateUSDHour() != 0.192 {
		t.Errorf("Running, RateUSDHour = %d, %v; want 1, 0.192", m.Running(), m.RateUSDHour())
	}
	m.Stop(7, at(120))
	if got := m.CostAt(at(7200)); !approx(got, 0.0064) {
		t.Errorf("CostAt(2h) after stop at 120 s = %v, want 0.0064", got)
	}
	if m.Running() != 0 || m.RateUSDHour() != 0 {
		t.Errorf("Running, RateUSDHour = %d, %v; want 0, 0", m.Running(), m.RateUSDHour())
	}
}

// meterRef is the naive model: every run kept, the cost recomputed from
// scratch as Σ price × max(billed time, 60 s).
type meterRef struct {
	runs []refRun
	open map[int32]int // handle -> index of its running run
}

type refRun struct {
	start, stop sim.Time // stop < 0 while running
	price       float64
}

func (r *meterRef) cost(t sim.Time) (usd, sec float64) {
	for _, run := range r.runs {
		end := run.stop
		if end < 0 {
			end = t
		}
		d := max(end.Sub(run.start), BillingMinimum).Seconds()
		usd += run.price * d / 3600
		sec += d
	}
	return usd, sec
}

// TestMeterMatchesNaive drives the meter and the naive model with the same
// random start/stop sequences and checks after every step that they agree,
// and that cost and instance-seconds never decrease and are never negative.
func TestMeterMatchesNaive(t *testing.T) {
	cat := defaultCatalog(t)
	types := cat.Types()
	seeds := 40
	if testing.Short() {
		seeds = 10
	}
	for seed := range uint64(seeds) {
		if err := runMeterProperty(seed, types); err != nil {
			t.Fatalf("seed=%d: %v", seed, err)
		}
	}
}

func runMeterProperty(seed uint64, types []InstanceType) error {
	r := rand.New(rand.NewPCG(seed, 99))
	// Some seeds run a big fleet with short gaps, so that many runs are
	// inside their minimum at once.
	handles, maxGap := 1+r.IntN(30), 90*sim.Second
	if seed%3 == 2 {
		handles, maxGap = 100+r.IntN(300), 500*sim.Millisecond
	}
	var m Meter
	ref := meterRef{open: make(map[int32]int)}
	now := sim.Time(0)
	prevUSD, prevSec := 0.0, 0.0
	for step := range 2000 {
		// Gaps straddle the minimum; a quarter are zero (same instant).
		if r.IntN(4) > 0 {
			now = now.Add(sim.Duration(r.Int64N(int64(maxGap))))
		}
		h := int32(r.IntN(handles))
		switch i, running := ref.open[h]; {
		case r.IntN(3) == 0:
			// query only
		case running:
			m.Stop(h, now)
			ref.runs[i].stop = now
			delete(ref.open, h)
		default:
			price := types[r.IntN(len(types))].PriceUSDHour
			if r.IntN(20) == 0 {
				price = 0
			}
			m.Start(h, now, price)
			ref.open[h] = len(ref.runs)
			ref.runs = append(ref.runs, refRun{start: now, stop: -1, price: price})
		}
		q := now.Add(sim.Duration(r.Int64N(int64(maxGap / 3))))
		if r.IntN(2) == 0 {
			q = now
		}
		usd, sec := m.CostAt(q), m.InstanceSecondsAt(q)
		wantUSD, wantSec := ref.cost(q)
		now = q
		switch {
		case !approx(usd, wantUSD) || !approx(sec, wantSec):
			return fmt.Errorf("step %d at %v: meter %v USD %v s, naive %v USD %v s", step, q, usd, sec, wantUSD, wantSec)
		case usd < 0 || sec < 0:
			return fmt.Errorf("step %d at %v: negative %v USD %v s", step, q, usd, sec)
		case usd < prevUSD || sec < prevSec:
			return fmt.Errorf("step %d at %v: decreased from %v USD %v s to %v USD %v s", step, q, prevUSD, prevSec, usd, sec)
		case m.Running() != len(ref.open):
			return fmt.Errorf("step %d: Running() = %d, want %d", step, m.Running(), len(ref.open))
		}
		prevUSD, prevSec = usd, sec
	}
	return nil
}

func TestMeterPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func(m *Meter)
		want string
	}{
		{"stop never started", func(m *Meter) { m.Stop(3, 0) }, "not running"},
		{"stop twice", func(m *Meter) { m.Start(0, 0, 1); m.Stop(0, 1); m.Stop(0, 2) }, "not running"},
		{"start twice", func(m *Meter) { m.Start(0, 0, 1); m.Start(0, 1, 1) }, "running since"},
		{"negative handle", func(m *Meter) { m.Start(-1, 0, 1) }, "negative handle"},
		{"negative price", func(m *Meter) { m.Start(0, 0, -1) }, "invalid price"},
		{"NaN price", func(m *Meter) { m.Start(0, 0, math.NaN()) }, "invalid price"},
		{"time goes back", func(m *Meter) { m.CostAt(at(10)); m.Start(0, at(5), 1) }, "went back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want one containing %q", msg, tt.want)
				}
			}()
			var m Meter
			tt.f(&m)
		})
	}
}

// TestMeterSteadyStateAllocs checks that a warmed-up meter bills without
// allocating.
func TestMeterSteadyStateAllocs(t *testing.T) {
	var m Meter
	now := sim.Time(0)
	cycle := func() {
		for h := range int32(64) {
			m.Start(h, now, 0.192)
			now = now.Add(sim.Second)
		}
		for h := range int32(64) {
			m.Stop(h, now)
			now = now.Add(sim.Second)
			_ = m.CostAt(now)
		}
	}
	cycle()
	if a := testing.AllocsPerRun(20, cycle); a != 0 {
		t.Errorf("%v allocations per cycle, want 0", a)
	}
}

// BenchmarkMeter measures a Start, a Stop and a CostAt per operation on a
// fleet of 1000 instances.
func BenchmarkMeter(b *testing.B) {
	const fleet = 1000
	var m Meter
	now := sim.Time(0)
	for h := range int32(fleet) {
		m.Start(h, now, 0.192)
	}
	h := int32(0)
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(100 * sim.Millisecond)
		m.Stop(h, now)
		m.Start(h, now, 0.384)
		_ = m.CostAt(now)
		h = (h + 1) % fleet
	}
}
