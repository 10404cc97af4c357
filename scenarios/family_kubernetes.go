package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

// Kubernetes defaults and limits (docs/kubernetes-behaviour.md).
const (
	// ProvisionerClusterAutoscaler and ProvisionerKarpenter are the values
	// of nodes.provisioner.
	ProvisionerClusterAutoscaler = "cluster_autoscaler"
	ProvisionerKarpenter         = "karpenter"
	// DefaultJoinMedian and DefaultJoinP99 shape nodes.join's default
	// lognormal: from a node's operating system up to the node Ready
	// (kubelet start, TLS bootstrap, registration, the VPC CNI). A
	// modelling default: AWS publishes no figure.
	DefaultJoinMedian = 20 * sim.Second
	DefaultJoinP99    = 45 * sim.Second
	// MaxPodCPU is the largest pod CPU request, in cores.
	MaxPodCPU = 1000
	// MaxNodeTypes is the most node types a node pool lists.
	MaxNodeTypes = 50
)

// KubernetesSpec is a kubernetes strategy's keys: one Deployment behind a
// Service on an EKS node group (docs/kubernetes-behaviour.md): its pods, the
// replicas, an optional Horizontal Pod Autoscaler and Vertical Pod
// Autoscaler, and the nodes with their provisioner.
type KubernetesSpec struct {
	Pod      PodSpec      `yaml:"pod"`
	Replicas ReplicasSpec `yaml:"replicas"`
	// HPA scales the replicas; absent, they stay at replicas.initial.
	HPA *HPASpec `yaml:"hpa"`
	// VPA recommends, and in recreate or in_place mode applies, the pods'
	// CPU request; absent means none.
	VPA   *VPASpec  `yaml:"vpa"`
	Nodes NodesSpec `yaml:"nodes"`

	startup models.Sampler // pod.startup, built by Check
	join    models.Sampler // nodes.join, built by Check
}

// PodSpec is the Deployment's pod template: its requests and startup.
type PodSpec struct {
	// CPU is the pod's CPU request (required): cores, or millicores as
	// 500m. Its worker slots are CPU × service.workers_per_vcpu, a whole
	// number.
	CPU Quantity `yaml:"cpu"`
	// Memory is the pod's memory request, such as 2Gi (default none).
	Memory Quantity `yaml:"memory,omitempty"`
	// GPUs is the pod's nvidia.com/gpu request: a GPU-bound model's pod
	// serves GPUs × service.workers_per_gpu requests at once.
	GPUs int `yaml:"gpus,omitempty"`
	// Startup is the time from the pod's binding to a node to its model
	// loaded: image pull, container start and model load (default the
	// scenario's service.startup). Its readiness probe then passes within
	// 10 s.
	Startup TimeSpec `yaml:"startup"`
}

// ReplicasSpec bounds the Deployment's replicas: the HPA's minReplicas
// and maxReplicas, and the count at time zero.
type ReplicasSpec struct {
	Min     int `yaml:"min"`     // required, 1 to MaxFleet
	Max     int `yaml:"max"`     // min to MaxFleet, default min
	Initial int `yaml:"initial"` // min to max, default min
}

// flowStyle writes the replicas on one line.
func (ReplicasSpec) flowStyle() bool { return true }

// HPASpec is a Horizontal Pod Autoscaler: its metric, target and
// behavior (autoscaling/v2's, camelCase as in a manifest).
type HPASpec struct {
	// Metric is cpu (utilisation of the request, a Resource metric),
	// requests_per_pod (requests per second per pod) or in_flight
	// (requests in service per pod), Pods metrics.
	Metric string `yaml:"metric"`
	// Target is a whole percentage for cpu (1 to 100), else the per-pod
	// value.
	Target float64 `yaml:"target"`
	// Behavior is autoscaling/v2's; a field left out takes its default
	// (strategies.DefaultScaleUp, DefaultScaleDown).
	Behavior *strategies.HPABehavior `yaml:"behavior"`
}

// VPASpec is a Vertical Pod Autoscaler of the pods' CPU.
type VPASpec struct {
	// Mode is off (recommend only, the default), recreate or in_place.
	Mode string `yaml:"mode"`
	// MinCPU and MaxCPU bound the recommendation (minAllowed, maxAllowed;
	// default one worker slot's CPU, 1 ÷ service.workers_per_vcpu, or 25m
	// for a GPU-bound model, and the largest node's allocatable CPU).
	MinCPU Quantity `yaml:"min_cpu"`
	MaxCPU Quantity `yaml:"max_cpu"`
	// HalfLife is the recommender's CPU histogram decay half-life
	// (default 24h, --cpu-histogram-decay-half-life).
	HalfLife sim.Duration `yaml:"half_life"`
}

// flowStyle writes the VPA on one line.
func (VPASpec) flowStyle() bool { return true }

// NodesSpec is the nodes the pods run on and how they come and go.
type NodesSpec struct {
	// InstanceType is the node group's type (cluster_autoscaler).
	InstanceType string `yaml:"instance_type,omitempty"`
	// InstanceTypes are the types Karpenter chooses among (karpenter).
	InstanceTypes []string `yaml:"instance_types,omitempty"`
	// Min and Max bound the nodes: the node group's minimum (default 1;
	// with karpenter, which keeps no minimum, 0: only nodes at time zero)
	// and maximum. Time zero starts with min nodes, or as many as the
	// initial pods (and placeholders) need.
	Min int `yaml:"min"`
	Max int `yaml:"max"`
	// Provisioner is cluster_autoscaler (the default with instance_type)
	// or karpenter (the default with instance_types).
	Provisioner string `yaml:"provisioner"`
	// Join is the time from a node's operating system up to the node
	// Ready (default lognormal, median 20s, p99 45s); EC2's pending and
	// boot times (instances.pending, instances.boot) come before it.
	Join TimeSpec `yaml:"join"`
	// HeadroomPods are placeholder pods of the pod's size at a lower
	// priority (overprovisioning): they keep room on the nodes that the
	// Deployment's new pods take at once, and the provisioner adds nodes
	// for them again (default 0).
	HeadroomPods int `yaml:"headroom_pods,omitempty"`
}

// Check implements FamilySpec.
func (k *KubernetesSpec) Check(c *Checker) error {
	for _, key := range []string{"pod", "nodes"} {
		if err := c.Required(key, "a kubernetes strategy takes pod, replicas, nodes and, to scale, hpa or vpa"); err != nil {
			return err
		}
	}
	if err := k.checkPod(c); err != nil {
		return err
	}
	if err := k.checkReplicas(c); err != nil {
		return err
	}
	if err := k.checkNodes(c); err != nil {
		return err
	}
	if err := k.checkAutoscalers(c); err != nil {
		return err
	}
	if _, err := strategies.NewKubernetes(k.config(c.Name(), c.Catalog())); err != nil {
		return c.FieldError(err, kubernetesHint)
	}
	return nil
}

// kubernetesHint is the advice given with an error of the strategies
// package about a kubernetes strategy's key.
func kubernetesHint(key string) string {
	switch key {
	case "selectPolicy":
		return "selectPolicy is Max, Min or Disabled, as autoscaling/v2 spells them"
	case "type":
		return "a policy's type is Pods or Percent, as autoscaling/v2 spells them"
	case "value", "periodSeconds", "policies":
		return "a policy is {type: Pods, value: 4, periodSeconds: 15}; periodSeconds is at most 1800"
	case "stabilizationWindowSeconds":
		return "the window is 0 to 3600 seconds (scale-down default 300)"
	case "target":
		return "cpu is a whole percentage of the pod's request; requests_per_pod is requests per second per pod"
	}
	return ""
}

// cpuCores returns the pod's CPU request in cores (0 before Check).
func (k *KubernetesSpec) cpuCores() float64 {
	x, _ := k.Pod.CPU.Value()
	return x
}

// memoryMiB returns the pod's memory request in MiB, rounded up.
func (k *KubernetesSpec) memoryMiB() int64 {
	if k.Pod.Memory == "" {
		return 0
	}
	x, _ := k.Pod.Memory.Value()
	return int64(math.Ceil(x/(1<<20) - 1e-9))
}

// checkPod checks the pod template: its requests make whole worker slots.
func (k *KubernetesSpec) checkPod(c *Checker) error {
	p := &k.Pod
	if err := c.Required("pod.cpu", "set the pod's CPU request, e.g. pod: {cpu: 1, memory: 2Gi}"); err != nil {
		return err
	}
	cpu, err := p.CPU.Value()
	if err != nil {
		return c.Error("pod.cpu", err.Error(), "write cores (1, 0.5) or millicores (500m)")
	}
	if !(cpu >= 0.001 && cpu <= MaxPodCPU) {
		return c.Error("pod.cpu", fmt.Sprintf("must be from 1m to %d cores (got %s)", MaxPodCPU, num(cpu)), "a pod requests part of a node's CPU, e.g. cpu: 1")
	}
	p.CPU = cores(math.Round(cpu*1000) / 1000)
	if p.Memory != "" {
		mem, err := p.Memory.Value()
		if err != nil {
			return c.Error("pod.memory", err.Error(), "write a size such as 2Gi or 512Mi")
		}
		if !(mem >= 0 && mem <= 1<<50) {
			return c.Error("pod.memory", fmt.Sprintf("must be from 0 to 1Pi (got %s bytes)", num(mem)), "write a size such as 2Gi or 512Mi")
		}
	}
	sizing := c.SlotSizing()
	if sizing.GPUBound() {
		if err := c.Count("pod.gpus", p.GPUs, 1, 64, "a GPU-bound model's pod requests GPUs, e.g. gpus: 1"); err != nil {
			return err
		}
	} else {
		if p.GPUs != 0 {
			return c.Error("pod.gpus", "the service is sized by workers_per_vcpu: its pods serve on CPU",
				"remove gpus, or size the service by workers_per_gpu")
		}
		slots := cpu * float64(sizing.WorkersPerVCPU)
		if slots < 1-1e-9 || math.Abs(slots-math.Round(slots)) > 1e-9 {
			return c.Error("pod.cpu", fmt.Sprintf("%s cores × %d workers per vCPU is %s worker slots: want a whole number, at least 1",
				num(cpu), sizing.WorkersPerVCPU, num(slots)), "a pod serves cpu × service.workers_per_vcpu requests at once; e.g. cpu: 1")
		}
	}
	def := c.ModelLoad()
	startup, err := c.Dist("pod.startup", &p.Startup, &def, MaxLifecycleMean)
	if err != nil {
		return err
	}
	k.startup = startup
	return nil
}

// checkReplicas checks the replicas' bounds and initial count.
func (k *KubernetesSpec) checkReplicas(c *Checker) error {
	r := &k.Replicas
	if err := c.Required("replicas.min", "set the replicas, e.g. replicas: {min: 2, max: 40}"); err != nil {
		return err
	}
	if err := c.Count("replicas.min", r.Min, 1, MaxFleet, "a Deployment runs at least one pod"); err != nil {
		return err
	}
	c.DefaultInt("replicas.max", &r.Max, r.Min)
	if r.Max < r.Min {
		return c.Error("replicas.max", fmt.Sprintf("must be at least min (%d) (got %d)", r.Min, r.Max), "raise max or lower min")
	}
	if err := c.Count("replicas.max", r.Max, r.Min, MaxFleet, ""); err != nil {
		return err
	}
	c.DefaultInt("replicas.initial", &r.Initial, r.Min)
	return c.Count("replicas.initial", r.Initial, r.Min, r.Max, "the Deployment starts with min to max replicas (initial defaults to min)")
}

// checkNodes checks the node pool and that a pod fits on one of its types.
func (k *KubernetesSpec) checkNodes(c *Checker) error {
	n := &k.Nodes
	hasOne, hasMany := c.Has("nodes.instance_type"), c.Has("nodes.instance_types")
	if !c.Has("nodes.provisioner") {
		n.Provisioner = ProvisionerClusterAutoscaler
		if hasMany && !hasOne {
			n.Provisioner = ProvisionerKarpenter
		}
	}
	if err := c.OneOf("nodes.provisioner", "provisioner", n.Provisioner, provisioners()); err != nil {
		return err
	}
	switch {
	case n.Provisioner == ProvisionerClusterAutoscaler && hasMany:
		return c.Error("nodes.instance_types", "the cluster autoscaler scales one node group of one type",
			"set nodes.instance_type, or provisioner: karpenter to choose among types")
	case n.Provisioner == ProvisionerClusterAutoscaler:
		if err := c.InstanceType("nodes.instance_type", n.InstanceType); err != nil {
			return err
		}
	case hasOne:
		return c.Error("nodes.instance_type", "karpenter chooses among nodes.instance_types", "list the types: instance_types: [m5.xlarge, m5.2xlarge]")
	default:
		if err := c.Required("nodes.instance_types", "list the types karpenter may launch, e.g. instance_types: [m5.xlarge, m5.2xlarge]"); err != nil {
			return err
		}
		if len(n.InstanceTypes) > MaxNodeTypes {
			return c.Error("nodes.instance_types", fmt.Sprintf("must list 1 to %d types (got %d)", MaxNodeTypes, len(n.InstanceTypes)), "")
		}
		for j, t := range n.InstanceTypes {
			if err := c.InstanceType(item("nodes.instance_types", j), t); err != nil {
				return err
			}
		}
	}
	if err := k.checkFit(c); err != nil {
		return err
	}
	if err := c.Count("nodes.headroom_pods", n.HeadroomPods, 0, MaxFleet, "placeholder pods of the pod's size, 0 for none"); err != nil {
		return err
	}
	need := len(k.initialNodes(c.Catalog()))
	minNodes := 1
	if n.Provisioner == ProvisionerKarpenter {
		minNodes = 0 // Karpenter keeps no minimum
	}
	c.DefaultInt("nodes.min", &n.Min, minNodes)
	if err := c.Count("nodes.min", n.Min, 0, MaxFleet, "nodes Ready at time zero, at least as many as the initial pods need"); err != nil {
		return err
	}
	if err := c.Required("nodes.max", "set the most nodes, e.g. nodes: {instance_type: m5.xlarge, min: 2, max: 40}"); err != nil {
		return err
	}
	if err := c.Count("nodes.max", n.Max, max(1, n.Min), MaxFleet, "max must be ≥ min and ≥ 1"); err != nil {
		return err
	}
	if need > n.Max {
		return c.Error("nodes.max", fmt.Sprintf("the %d initial pods (and %d placeholders) need %d nodes, more than max (%d)",
			k.Replicas.Initial, n.HeadroomPods, need, n.Max), "raise nodes.max or lower replicas.initial")
	}
	join, err := c.Dist("nodes.join", &n.Join, &TimeSpec{Dist: "lognormal", Median: DefaultJoinMedian, P99: DefaultJoinP99}, MaxLifecycleMean)
	if err != nil {
		return err
	}
	k.join = join
	return nil
}

// provisioners are the values of nodes.provisioner.
func provisioners() []string { return []string{ProvisionerClusterAutoscaler, ProvisionerKarpenter} }

// nodeTypes returns the pool's node types.
func (k *KubernetesSpec) nodeTypes() []string {
	if k.Nodes.Provisioner == ProvisionerClusterAutoscaler {
		return []string{k.Nodes.InstanceType}
	}
	return k.Nodes.InstanceTypes
}

// templates returns the pool's node types as provisioners see them.
func (k *KubernetesSpec) templates(cat *models.Catalog) []strategies.NodeTemplate {
	var out []strategies.NodeTemplate
	for _, name := range k.nodeTypes() {
		t, _ := cat.Lookup(name)
		out = append(out, strategies.NodeTemplate{Type: name, Allocatable: models.EKSAllocatable(t), PriceUSDHour: t.PriceUSDHour})
	}
	return out
}

// podRequests returns a pod's requests.
func (k *KubernetesSpec) podRequests() strategies.Resources {
	return strategies.Resources{MilliCPU: int64(math.Round(k.cpuCores() * 1000)), MemoryMiB: k.memoryMiB(), GPUs: k.Pod.GPUs, Pods: 1}
}

// checkFit reports a pod that fits on none of the pool's types.
func (k *KubernetesSpec) checkFit(c *Checker) error {
	req := k.podRequests()
	var offers []string
	for _, t := range k.templates(c.Catalog()) {
		if t.Allocatable.Fits(req) {
			return nil
		}
		a := t.Allocatable
		offers = append(offers, fmt.Sprintf("%s offers pods %s CPU, %dMi and %d GPUs", t.Type, cores(float64(a.MilliCPU)/1000), a.MemoryMiB, a.GPUs))
	}
	key := "nodes.instance_type"
	if k.Nodes.Provisioner == ProvisionerKarpenter {
		key = "nodes.instance_types"
	}
	return c.Error(key, fmt.Sprintf("a pod requesting %s CPU, %dMi and %d GPUs fits on no node type (%s, after the kubelet's and system reservations)",
		k.Pod.CPU, req.MemoryMiB, req.GPUs, strings.Join(offers, "; ")), "choose a larger node type or request less")
}

// initialNodes are the node types Ready at time zero: the node group's
// min, or as many as the initial pods and placeholders need.
func (k *KubernetesSpec) initialNodes(cat *models.Catalog) []string {
	pods := make([]strategies.PodRequest, k.Replicas.Initial+k.Nodes.HeadroomPods)
	for i := range pods {
		pods[i] = strategies.PodRequest{ID: i, Requests: k.podRequests()}
	}
	tmpl := k.templates(cat)
	var out []string
	switch k.Nodes.Provisioner {
	case ProvisionerKarpenter:
		out = strategies.KarpenterPack(tmpl, pods)
	default:
		out = make([]string, strategies.NodesFor(tmpl[0], pods))
		for i := range out {
			out[i] = tmpl[0].Type
		}
	}
	for len(out) < k.Nodes.Min {
		out = append(out, tmpl[0].Type)
	}
	return out
}

// checkAutoscalers checks the HPA and the VPA, and refuses the two on CPU
// at once.
func (k *KubernetesSpec) checkAutoscalers(c *Checker) error {
	if h := k.HPA; h != nil {
		if err := c.Required("hpa.metric", "want "+orList(strategies.HPAMetrics())); err != nil {
			return err
		}
		if err := c.OneOf("hpa.metric", "metric", h.Metric, strategies.HPAMetrics()); err != nil {
			return err
		}
		if err := c.Required("hpa.target", "set the target, e.g. hpa: {metric: cpu, target: 50}"); err != nil {
			return err
		}
		// The behavior as the API server defaults it, so the resolved
		// scenario states the rules it runs with.
		var b strategies.HPABehavior
		if h.Behavior != nil {
			b = *h.Behavior
		}
		up, down := b.ScaleUp.Resolved(strategies.DefaultScaleUp()), b.ScaleDown.Resolved(strategies.DefaultScaleDown())
		h.Behavior = &strategies.HPABehavior{ScaleUp: &up, ScaleDown: &down}
	}
	v := k.VPA
	if v == nil {
		return nil
	}
	if !c.Has("vpa.mode") {
		v.Mode = strategies.VPAModeOff
	}
	if err := c.OneOf("vpa.mode", "mode", v.Mode, strategies.VPAModes()); err != nil {
		return err
	}
	if v.Mode != strategies.VPAModeOff && k.HPA != nil && k.HPA.Metric == strategies.HPAMetricCPU {
		return c.Error("vpa.mode", fmt.Sprintf("the VPA (%s) and the HPA both act on CPU", v.Mode),
			"Kubernetes warns against it: the HPA's utilisation is a share of the request the VPA moves; scale the HPA on requests_per_pod or in_flight, or set vpa.mode: off")
	}
	// A CPU-bound pod keeps at least one worker slot: the VPA may not
	// shrink it below one slot's CPU.
	floor := strategies.VPAMinCPU
	if sizing := c.SlotSizing(); !sizing.GPUBound() {
		floor = max(floor, 1/float64(sizing.WorkersPerVCPU))
	}
	if !c.Has("vpa.min_cpu") {
		v.MinCPU = cores(floor)
	}
	if !c.Has("vpa.max_cpu") {
		top := int64(0)
		for _, t := range k.templates(c.Catalog()) {
			top = max(top, t.Allocatable.MilliCPU)
		}
		v.MaxCPU = cores(float64(top) / 1000)
	}
	for _, key := range []string{"min_cpu", "max_cpu"} {
		q := v.MinCPU
		if key == "max_cpu" {
			q = v.MaxCPU
		}
		if _, err := q.Value(); err != nil {
			return c.Error("vpa."+key, err.Error(), "write cores (2) or millicores (500m)")
		}
	}
	if lo, _ := v.MinCPU.Value(); lo < floor-1e-9 {
		return c.Error("vpa.min_cpu", fmt.Sprintf("%s is less than one worker slot's CPU (%s)", v.MinCPU, cores(floor)),
			"a pod serves cpu × service.workers_per_vcpu requests at once: keep min_cpu at least 1 ÷ workers_per_vcpu")
	}
	c.DefaultDuration("vpa.half_life", &v.HalfLife, strategies.VPAHalfLife)
	return nil
}

// config converts the checked keys of strategy name for the strategies
// package.
func (k *KubernetesSpec) config(name string, cat *models.Catalog) strategies.KubernetesConfig {
	kc := strategies.KubernetesConfig{Name: name, NodeType: k.nodeTypes()[0], Replicas: k.Replicas.Initial, PodCPU: k.cpuCores()}
	if h := k.HPA; h != nil {
		hc := strategies.HPAConfig{Metric: h.Metric, Target: h.Target, Min: k.Replicas.Min, Max: k.Replicas.Max}
		if h.Behavior != nil {
			hc.Behavior = *h.Behavior
		}
		kc.HPA = &hc
	}
	if v := k.VPA; v != nil {
		lo, _ := v.MinCPU.Value()
		hi, _ := v.MaxCPU.Value()
		kc.VPA = &strategies.VPAConfig{Mode: v.Mode, MinCPU: lo, MaxCPU: hi, HalfLife: v.HalfLife}
	}
	return kc
}

// Plan implements FamilySpec: the Deployment's autoscalers over pods on
// EKS nodes, behind the load balancer, whose health check stands for
// the pods' readiness probe (every 10 s, one success, three failures).
func (k *KubernetesSpec) Plan(env PlanEnv) (Plan, error) {
	pol, err := strategies.NewKubernetes(k.config(env.Name, env.Catalog))
	if err != nil {
		return Plan{}, err
	}
	prov, err := k.provisioner(env.Catalog)
	if err != nil {
		return Plan{}, err
	}
	mode := models.VPAOff
	if v := k.VPA; v != nil {
		switch v.Mode {
		case strategies.VPAModeRecreate:
			mode = models.VPARecreate
		case strategies.VPAModeInPlace:
			mode = models.VPAInPlace
		}
	}
	fleet := models.Kube{
		Pod:          models.KubePod{CPU: k.cpuCores(), MemoryMiB: k.memoryMiB(), GPUs: k.Pod.GPUs, Startup: k.startup},
		InitialNodes: k.initialNodes(env.Catalog),
		Provisioner:  prov,
		Join:         k.join,
		Headroom:     k.Nodes.HeadroomPods,
		VPA:          mode,
	}
	door := env.LoadBalancer
	door.Health = models.HealthCheckConfig{Interval: 10 * sim.Second, HealthyThreshold: 1, UnhealthyThreshold: 3}
	return Plan{Policy: pol, Fleet: fleet, Door: door}, nil
}

// provisioner builds the node provisioner of one run.
func (k *KubernetesSpec) provisioner(cat *models.Catalog) (strategies.Provisioner, error) {
	tmpl := k.templates(cat)
	if k.Nodes.Provisioner == ProvisionerKarpenter {
		return strategies.NewKarpenter(strategies.KarpenterConfig{Templates: tmpl, Max: k.Nodes.Max})
	}
	return strategies.NewClusterAutoscaler(strategies.ClusterAutoscalerConfig{Template: tmpl[0], Min: k.Nodes.Min, Max: k.Nodes.Max})
}

// Notes implements FamilySpec: the VPA's last recommendation.
func (k *KubernetesSpec) Notes(policy strategies.Strategy, _ *reports.StrategySummary) []string {
	kp, ok := policy.(*strategies.Kubernetes)
	if !ok || kp.VPA() == nil {
		return nil
	}
	r := kp.VPA().Recommendation()
	if r.Target == 0 {
		return []string{fmt.Sprintf("VPA (%s): no recommendation, no CPU usage was sampled", kp.VPA().Mode())}
	}
	return []string{fmt.Sprintf("VPA (%s): its last recommendation is %s CPUs per pod (bounds %s to %s); the pods started at %s",
		kp.VPA().Mode(), num(r.Target), num(r.Lower), num(r.Upper), num(k.cpuCores()))}
}

// Story implements FamilySpec: the default story, and what the nodes
// cost.
func (k *KubernetesSpec) Story(s *reports.StrategySummary) *reports.Story {
	st := reports.DefaultStory(s)
	if n := s.Capacity.NodesMax; n > 0 {
		st.Sentences = append(st.Sentences, fmt.Sprintf("At most %d nodes were Ready, %s node-hours in all: "+
			"its pods are not billed, the nodes under them are, full or not.", n, strconv.FormatFloat(math.Round(s.Capacity.NodeHours*10)/10, 'f', -1, 64)))
	}
	return &st
}
