package models

import (
	"math"

	"github.com/scalesim/scalesim/strategies"
)

// DefaultMaxPods is the kubelet's own max-pods, for a type the EKS table
// does not list.
const DefaultMaxPods = 110

// EvictionHardMiB is the kubelet's memory.available hard eviction
// threshold on EKS nodes (100Mi), kept out of the pods' allocatable.
const EvictionHardMiB = 100

// EKSMaxPods returns how many pods an EKS node of type t runs with the VPC
// CNI without prefix delegation: ENIs × (IPv4 addresses per ENI − 1) + 2,
// as the amazon-eks-ami's eni-max-pods.txt lists it
// (docs/kubernetes-behaviour.md §3.1), or DefaultMaxPods for a type not listed.
func EKSMaxPods(t InstanceType) int {
	if n, ok := eksMaxPods[t.Name]; ok {
		return n
	}
	return DefaultMaxPods
}

// eksMaxPods is eni-max-pods.txt for the catalog's types: large 3 ENIs of
// 10 addresses, xlarge and 2xlarge 4 of 15, 4xlarge to 12xlarge 8 of 30,
// 16xlarge and larger 15 of 50 (g4dn and g5 as AWS sizes their ENIs).
var eksMaxPods = map[string]int{
	"m5.large": 29, "m5.xlarge": 58, "m5.2xlarge": 58, "m5.4xlarge": 234, "m5.8xlarge": 234, "m5.12xlarge": 234, "m5.16xlarge": 737, "m5.24xlarge": 737,
	"m6i.large": 29, "m6i.xlarge": 58, "m6i.2xlarge": 58, "m6i.4xlarge": 234, "m6i.8xlarge": 234, "m6i.12xlarge": 234, "m6i.16xlarge": 737, "m6i.24xlarge": 737, "m6i.32xlarge": 737,
	"m7i.large": 29, "m7i.xlarge": 58, "m7i.2xlarge": 58, "m7i.4xlarge": 234, "m7i.8xlarge": 234, "m7i.12xlarge": 234, "m7i.16xlarge": 737, "m7i.24xlarge": 737, "m7i.48xlarge": 737,
	"c5.large": 29, "c5.xlarge": 58, "c5.2xlarge": 58, "c5.4xlarge": 234, "c5.9xlarge": 234, "c5.12xlarge": 234, "c5.18xlarge": 737, "c5.24xlarge": 737,
	"c6i.large": 29, "c6i.xlarge": 58, "c6i.2xlarge": 58, "c6i.4xlarge": 234, "c6i.8xlarge": 234, "c6i.12xlarge": 234, "c6i.16xlarge": 737, "c6i.24xlarge": 737, "c6i.32xlarge": 737,
	"c7i.large": 29, "c7i.xlarge": 58, "c7i.2xlarge": 58, "c7i.4xlarge": 234, "c7i.8xlarge": 234, "c7i.12xlarge": 234, "c7i.16xlarge": 737, "c7i.24xlarge": 737, "c7i.48xlarge": 737,
	"r5.large": 29, "r5.xlarge": 58, "r5.2xlarge": 58, "r5.4xlarge": 234, "r5.8xlarge": 234, "r5.12xlarge": 234, "r5.16xlarge": 737, "r5.24xlarge": 737,
	"g4dn.xlarge": 29, "g4dn.2xlarge": 29, "g4dn.4xlarge": 29, "g4dn.8xlarge": 58, "g4dn.12xlarge": 234, "g4dn.16xlarge": 58, "g4dn.metal": 737,
	"g5.xlarge": 58, "g5.2xlarge": 58, "g5.4xlarge": 234, "g5.8xlarge": 234, "g5.12xlarge": 737, "g5.16xlarge": 234, "g5.24xlarge": 737, "g5.48xlarge": 345,
}

// EKSAllocatable returns what an EKS node of type t offers pods, as the
// EKS AMI's bootstrap configures the kubelet (docs/kubernetes-behaviour.md §3.1):
// its capacity less kube-reserved (CPU: 6% of the first core, 1% of the
// second, 0.5% of the third and fourth, 0.25% of the rest; memory:
// 255 MiB + 11 MiB per pod of max-pods) and less the 100 MiB hard
// eviction threshold. Memory capacity is the type's nominal GiB (a node
// reports slightly less).
func EKSAllocatable(t InstanceType) strategies.Resources {
	maxPods := EKSMaxPods(t)
	milli := int64(t.VCPUs) * 1000
	mem := int64(math.Round(t.MemoryGiB*1024)) - (255 + 11*int64(maxPods)) - EvictionHardMiB
	return strategies.Resources{
		MilliCPU:  milli - kubeReservedMilliCPU(milli),
		MemoryMiB: max(mem, 0),
		GPUs:      t.GPUs,
		Pods:      maxPods,
	}
}

// kubeReservedMilliCPU is the EKS AMI's get_cpu_millicores_to_reserve for
// a node of milli millicores, in its integer arithmetic.
func kubeReservedMilliCPU(milli int64) int64 {
	ranges := []struct{ from, to, hundredthsPct int64 }{{0, 1000, 600}, {1000, 2000, 100}, {2000, 4000, 50}, {4000, milli, 25}}
	var r int64
	for _, g := range ranges {
		if milli > g.from {
			r += (min(milli, g.to) - g.from) * g.hundredthsPct / 100 / 100
		}
	}
	return r
}
