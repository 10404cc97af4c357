package models_test

import (
	"strings"
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// TestSlots: a CPU-bound model's slots are vCPUs × workers per vCPU; a
// GPU-bound model's are GPUs × workers per GPU, with the catalog's GPU
// counts (docs/aws-behaviour.md §4.2: g5 has one GPU from xlarge to
// 16xlarge, four on 12xlarge and 24xlarge, eight on 48xlarge; g4dn one,
// four on 12xlarge, eight on metal).
func TestSlots(t *testing.T) {
	cat, err := models.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	cpu := func(n int) models.ServiceConfig { return models.ServiceConfig{WorkersPerVCPU: n} }
	gpu := func(n int) models.ServiceConfig { return models.ServiceConfig{WorkersPerGPU: n} }
	tests := []struct {
		typ  string
		svc  models.ServiceConfig
		want int
	}{
		{"m5.xlarge", cpu(1), 4},
		{"m5.xlarge", cpu(3), 12},
		{"c5.9xlarge", cpu(2), 72},
		{"g5.16xlarge", cpu(1), 64}, // a CPU-bound model counts vCPUs, GPUs or not
		{"g5.xlarge", gpu(8), 8},
		{"g5.2xlarge", gpu(8), 8},
		{"g5.4xlarge", gpu(8), 8},
		{"g5.8xlarge", gpu(8), 8},
		{"g5.12xlarge", gpu(4), 16},
		{"g5.16xlarge", gpu(4), 4},
		{"g5.24xlarge", gpu(4), 16},
		{"g5.48xlarge", gpu(4), 32},
		{"g4dn.xlarge", gpu(2), 2},
		{"g4dn.12xlarge", gpu(2), 8},
		{"g4dn.16xlarge", gpu(2), 2},
		{"g4dn.metal", gpu(1), 8},
		{"m5.24xlarge", gpu(4), 0}, // no GPU: scenarios and NewSystem refuse it
	}
	for _, tt := range tests {
		it, ok := cat.Lookup(tt.typ)
		if !ok {
			t.Fatalf("%s not in the catalog", tt.typ)
		}
		if got := tt.svc.Slots(it); got != tt.want {
			t.Errorf("%s with %+v: %d slots, want %d", tt.typ, tt.svc, got, tt.want)
		}
	}
}

// gpuRun serves 100 requests/s of 1 s each on one static instance of typ
// for 10 minutes and returns the completions per second and the slots of
// the fleet's last sample.
func gpuRun(t *testing.T, typ string, svc models.ServiceConfig) (perSec float64, slots int) {
	t.Helper()
	cat, err := models.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	det, _ := models.NewSampler(models.DistConfig{Dist: "deterministic", Value: 1})
	svc.Demand, svc.QueueLimit = det, 10
	st, _ := strategies.NewStatic("s", typ, 1)
	rs := sim.NewStreams(1)
	sink := &ledgerSink{}
	cfg := models.Config{Horizon: sim.Time(10 * sim.Minute), Service: svc, Fleet: models.Group{},
		Door: models.LoadBalancer{}, Catalog: cat, Checks: true}
	sys, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: 100}, st, sink, rs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sys.Run(); err != nil {
		t.Fatal(err)
	}
	return float64(sink.outcomes[models.Completed]) / 600, sink.samples[len(sink.samples)-1].Slots
}

// TestGPUBoundCapacityFollowsGPUs: for a GPU-bound model a g5.12xlarge
// (four GPUs) serves four times what a g5.16xlarge (one GPU, more vCPUs)
// does: with 4 workers per GPU, 16 and 4 requests/s of 1 s each. Sized by
// vCPUs the same model would have it the other way round (48 against 64
// slots), which is what a GPU-bound model must not do. GPU counts:
// https://gist.github.com/shashankprasanna/10ebe6dc1ba1d8d93db17da4e2cc890e
// (docs/aws-behaviour.md §4.2).
func TestGPUBoundCapacityFollowsGPUs(t *testing.T) {
	gpu := models.ServiceConfig{WorkersPerGPU: 4}
	four, slots4 := gpuRun(t, "g5.12xlarge", gpu)
	one, slots1 := gpuRun(t, "g5.16xlarge", gpu)
	if slots4 != 16 || slots1 != 4 {
		t.Errorf("slots: g5.12xlarge %d, g5.16xlarge %d; want 16 and 4", slots4, slots1)
	}
	if four < 15.5 || four > 16 || one < 3.8 || one > 4 {
		t.Errorf("GPU-bound completions/s: g5.12xlarge %.2f, g5.16xlarge %.2f; want about 16 and 4", four, one)
	}
	cpu := models.ServiceConfig{WorkersPerVCPU: 1}
	four, _ = gpuRun(t, "g5.12xlarge", cpu)
	one, _ = gpuRun(t, "g5.16xlarge", cpu)
	if four >= one {
		t.Errorf("CPU-bound completions/s: g5.12xlarge %.2f not below g5.16xlarge %.2f", four, one)
	}
}

// TestSlotSizingErrors: NewSystem refuses a service sized by both vCPUs and
// GPUs, or by neither, and a GPU-bound model on a type without GPUs.
func TestSlotSizingErrors(t *testing.T) {
	cat, err := models.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		typ  string
		svc  models.ServiceConfig
		want string
	}{
		{"both", "g5.xlarge", models.ServiceConfig{WorkersPerVCPU: 1, WorkersPerGPU: 1}, "both set"},
		{"neither", "m5.large", models.ServiceConfig{}, "at least 1"},
		{"negative", "g5.xlarge", models.ServiceConfig{WorkersPerGPU: -1}, "negative"},
		{"no GPU", "m5.24xlarge", models.ServiceConfig{WorkersPerGPU: 2}, "m5.24xlarge has no GPUs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.svc.Demand = exponential(t, 0.05)
			st, _ := strategies.NewStatic("s", tt.typ, 1)
			rs := sim.NewStreams(1)
			cfg := models.Config{Horizon: sim.Time(sim.Minute), Service: tt.svc, Fleet: models.Group{},
				Door: models.LoadBalancer{}, Catalog: cat}
			_, err := models.NewSystem(cfg, &poisson{r: rs.Stream(sim.StreamArrivals), rate: 1}, st, &ledgerSink{}, rs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewSystem: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
