package strategies

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// KubernetesConfig configures a Kubernetes strategy: one Deployment, its
// autoscalers, on a node group.
type KubernetesConfig struct {
	Name string
	// NodeType is the node type the strategy's fleet is reported under
	// (the node group's, or Karpenter's first).
	NodeType string
	// Replicas is the Deployment's replicas at time zero.
	Replicas int
	// PodCPU is the pods' CPU request, in cores.
	PodCPU float64
	// HPA, when set, scales the replicas.
	HPA *HPAConfig
	// VPA, when set, recommends and applies the pods' CPU request.
	VPA *VPAConfig
}

// Kubernetes is a Deployment's controllers: the Horizontal Pod Autoscaler
// (replicas), the Vertical Pod Autoscaler (CPU request), or neither. The
// nodes' provisioner is not a Strategy: the mechanics run it on its own
// clock (Provisioner).
type Kubernetes struct {
	cfg KubernetesConfig
	hpa *HPA
	vpa *VPA
}

// NewKubernetes returns the strategy c describes. Errors are *FieldError
// naming the key below the strategy where they can.
func NewKubernetes(c KubernetesConfig) (*Kubernetes, error) {
	if c.Replicas < 0 || !(c.PodCPU > 0) || c.NodeType == "" {
		return nil, fmt.Errorf("kubernetes strategy %s: %d replicas of %v cores on %q: want replicas >= 0, cores > 0 and a node type", c.Name, c.Replicas, c.PodCPU, c.NodeType)
	}
	k := &Kubernetes{cfg: c}
	if c.HPA != nil {
		h, err := NewHPA(*c.HPA)
		if err != nil {
			return nil, under("hpa", err)
		}
		k.hpa = h
	}
	if c.VPA != nil {
		v, err := NewVPA(*c.VPA)
		if err != nil {
			return nil, under("vpa", err)
		}
		k.vpa = v
	}
	return k, nil
}

// Name implements Strategy.
func (k *Kubernetes) Name() string { return k.cfg.Name }

// Interval implements Strategy: the HPA's sync period (the VPA acts on
// its own minute), or never without autoscalers.
func (k *Kubernetes) Interval() sim.Duration {
	if k.hpa == nil && k.vpa == nil {
		return 0
	}
	return HPASyncPeriod
}

// Initial implements Strategy.
func (k *Kubernetes) Initial() Decision {
	return Decision{Desired: k.cfg.Replicas, InstanceType: k.cfg.NodeType, PodCPU: k.cfg.PodCPU,
		Reason: fmt.Sprintf("Deployment of %d replicas", k.cfg.Replicas)}
}

// Decide implements Strategy: the HPA sets the replicas, the VPA the CPU
// request and the pods to update.
func (k *Kubernetes) Decide(obs Observation) Decision {
	d := Decision{Desired: obs.Fleet.Desired}
	var why []string
	if k.hpa != nil {
		var r string
		d.Desired, r = k.hpa.Replicas(obs.Now, obs.Fleet.Desired, obs.Pods)
		if d.Desired != obs.Fleet.Desired {
			why = append(why, r)
		}
	}
	if k.vpa != nil {
		var r string
		d.PodCPU, d.Update, r = k.vpa.Decide(obs)
		if r != "" {
			why = append(why, r)
		}
	}
	for i, r := range why {
		if i > 0 {
			d.Reason += "; "
		}
		d.Reason += r
	}
	return d
}

// HPA returns the strategy's HPA, or nil.
func (k *Kubernetes) HPA() *HPA { return k.hpa }

// VPA returns the strategy's VPA, or nil.
func (k *Kubernetes) VPA() *VPA { return k.vpa }
