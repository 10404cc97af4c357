package models_test

import (
	"testing"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/strategies"
)

// TestEKSAllocatable checks the EKS AMI's reservations
// (awslabs/amazon-eks-ami files/bootstrap.sh, eni-max-pods.txt) on types
// whose figures are easy to work by hand.
func TestEKSAllocatable(t *testing.T) {
	cat, err := models.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		want strategies.Resources
	}{
		// 2 vCPUs: 60m + 10m reserved; 8 GiB − (255 + 11 × 29) − 100 MiB.
		{"m5.large", strategies.Resources{MilliCPU: 1930, MemoryMiB: 8192 - 574 - 100, Pods: 29}},
		// 4 vCPUs: 60 + 10 + 10 = 80m; 16 GiB − (255 + 11 × 58) − 100.
		{"m5.xlarge", strategies.Resources{MilliCPU: 3920, MemoryMiB: 16384 - 893 - 100, Pods: 58}},
		// 96 vCPUs: 80m + 92 cores × 2.5m = 310m.
		{"m5.24xlarge", strategies.Resources{MilliCPU: 96000 - 310, MemoryMiB: 393216 - (255 + 11*737) - 100, Pods: 737}},
		{"g5.xlarge", strategies.Resources{MilliCPU: 3920, MemoryMiB: 16384 - 893 - 100, GPUs: 1, Pods: 58}},
	} {
		it, ok := cat.Lookup(tt.name)
		if !ok {
			t.Fatalf("%s not in the catalog", tt.name)
		}
		if got := models.EKSAllocatable(it); got != tt.want {
			t.Errorf("%s: allocatable %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if n := models.EKSMaxPods(models.InstanceType{Name: "x9.huge"}); n != models.DefaultMaxPods {
		t.Errorf("unlisted type: max pods %d, want the kubelet's %d", n, models.DefaultMaxPods)
	}
}
