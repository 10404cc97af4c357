package strategies

import "github.com/scalesim/scalesim/sim"

// PodView is one pod of a Kubernetes Deployment as its controllers see it:
// the API server's status of the pod and the latest sample metrics-server
// holds for it (docs/kubernetes-behaviour.md §1.2, §2). Kubernetes strategies read
// Observation.Pods; the other families have none.
type PodView struct {
	// ID names the pod for the whole run; a recreated pod has a new one.
	ID int
	// Running is the pod's phase: true once it is bound to a node and its
	// containers were started (Running), false while no node has room for
	// it (Pending).
	Running bool
	// Ready is the pod's Ready condition: it passed its readiness probe and
	// the Service routes to it.
	Ready bool
	// StartTime is the pod's status.startTime, when the kubelet started
	// it; meaningful when Running.
	StartTime sim.Time
	// ReadyChanged is the lastTransitionTime of the Ready condition: when
	// Ready last changed (StartTime while it never was).
	ReadyChanged sim.Time
	// CPU is the pod's CPU request, in cores.
	CPU float64
	// Metric is metrics-server's latest sample of the pod.
	Metric PodMetric
}

// PodMetric is one metrics-server sample of a pod: usage averaged over
// the Window that ends At. Metrics-server computes a CPU rate from two
// scrapes of the kubelet, so a pod has none before its second scrape.
type PodMetric struct {
	OK     bool // a sample exists
	At     sim.Time
	Window sim.Duration
	// CPU is the mean CPU usage over the window, in cores.
	CPU float64
	// RequestsPerSecond is the requests the Service routed to the pod over
	// the window, per second (a custom metric, as a Prometheus adapter
	// would serve http_requests_per_second).
	RequestsPerSecond float64
	// InFlight is the mean number of requests the pod served at once over
	// the window.
	InFlight float64
}
