package scenarios

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
	"github.com/scalesim/scalesim/workloads"
)

// newSource builds the scenario's arrival process on rng (the replication's
// arrivals stream). The caller closes it if it is an io.Closer.
func (s *Scenario) newSource(rng *rand.Rand) (workloads.Source, error) {
	src, err := workloads.New(s.workload, rng)
	if err != nil {
		return nil, s.loc.field("workload", oneLine(err.Error()), "")
	}
	return src, nil
}

// checkSource builds the workload once without running it, so whatever the
// workloads package rejects is reported at load time with the file's line.
func (s *Scenario) checkSource() error {
	src, err := s.newSource(rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return err
	}
	if c, ok := src.(io.Closer); ok {
		_ = c.Close() // nothing was opened yet
	}
	return nil
}

// buildStrategy builds strategy i of the scenario, fresh for each run
// (strategies keep state). The scenario was validated, so an error here is
// a bug, reported as an *Error at the strategy all the same.
func (s *Scenario) buildStrategy(i int) (strategies.Strategy, error) {
	st := s.Spec.Strategies[i]
	var str strategies.Strategy
	var err error
	switch st.Type {
	case "static":
		str, err = strategies.NewStatic(st.Name, st.InstanceType, st.Count)
	case "horizontal":
		str, err = strategies.NewHorizontal(horizontalConfig(st))
	case "vertical":
		str, err = strategies.NewVertical(verticalConfig(st))
	case "stream":
		var c *strategies.Static
		if c, err = strategies.NewStatic(st.Name, st.Consumers.InstanceType, st.Consumers.Count); err == nil {
			str = streamConsumers{c}
		}
	default:
		err = fmt.Errorf("unknown strategy type %q", st.Type)
	}
	if err != nil {
		return nil, s.loc.field(item("strategies", i), oneLine(err.Error()), "")
	}
	return str, nil
}

// streamConsumers is a stream strategy's fixed consumer fleet: a static
// fleet that reports the stream family, so results and the model (which
// restarts a failed consumer in place rather than replacing it) know it.
type streamConsumers struct{ *strategies.Static }

// Family implements strategies.Strategy.
func (streamConsumers) Family() string { return "stream" }

// systemConfig is the models.Config of a run of strategy i, built as st.
// What differs between strategies: the front door (a load balancer, or a
// stream for a stream strategy), the resize mechanics of a vertical one,
// and the instance warm-up of a horizontal one's metrics and its warm pool.
func (s *Scenario) systemConfig(i int, st strategies.Strategy, checks bool, progress func(sim.Time)) models.Config {
	spec := &s.Spec
	ss := spec.Strategies[i]
	hc := spec.Instances.HealthCheck
	cfg := models.Config{
		Horizon: sim.Time(spec.Duration),
		Service: models.ServiceConfig{
			Demand:         s.demand,
			WorkersPerVCPU: spec.Service.WorkersPerVCPU,
			QueueLimit:     spec.Service.QueueLimit,
			Timeout:        spec.Service.Timeout,
		},
		Routing: s.routing,
		Catalog: s.catalog,
		Lifecycle: models.LifecycleConfig{
			Boot:           s.boot,
			Startup:        s.startup,
			HealthCheck:    hc.Interval * sim.Duration(hc.HealthyThreshold),
			Unhealthy:      hc.Interval * sim.Duration(hc.UnhealthyThreshold),
			Deregistration: spec.Instances.DeregistrationDelay,
			Recovery:       spec.Instances.Recovery,
		},
		Monitor:      models.MonitorConfig{Period: spec.Metrics.Period, Delay: spec.Metrics.Delay},
		Zones:        spec.Zones,
		Failures:     failureConfig(spec),
		LoadBalancer: loadBalancerConfig(spec.LoadBalancer, ss.Type != "stream"),
		Checks:       checks,
		Progress:     progress,
	}
	if h, ok := st.(*strategies.Horizontal); ok {
		cfg.Monitor.Warmup = h.InstanceWarmup()
	}
	switch ss.Type {
	case "horizontal":
		if wp := ss.WarmPool; wp != nil {
			cfg.WarmPool = models.WarmPoolConfig{Size: wp.Size, Start: s.poolStart[i], StoppedUSDHour: wp.StoppedUSDHour}
		}
	case "vertical":
		cfg.StopTime = s.stopTime[i]
		if ss.Resize == "blue_green" {
			cfg.Resize = models.BlueGreen
		}
	case "stream":
		cfg.Stream = &models.StreamConfig{
			Shards:       ss.Shards,
			OnDemand:     ss.OnDemand,
			RecordBytes:  ss.RecordSize,
			PollInterval: ss.PollInterval,
			Delivery:     ss.DeliveryLatency,
			Retention:    ss.Retention,
		}
	}
	return cfg
}
