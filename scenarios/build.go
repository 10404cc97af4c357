package scenarios

import (
	"io"
	"math/rand/v2"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
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

// plan builds strategy i of the scenario for one run (policies keep
// state, so every run has its own). The scenario was validated, so an error
// here is a bug, reported as an *Error at the strategy all the same.
func (s *Scenario) plan(i int) (Plan, error) {
	st := s.Spec.Strategies[i]
	p, err := st.Spec.Plan(PlanEnv{Name: st.Name, LoadBalancer: s.loadBalancer(), Catalog: s.catalog, Start: s.start})
	if err != nil {
		return Plan{}, s.loc.field(item("strategies", i), oneLine(err.Error()), "")
	}
	return p, nil
}

// loadBalancer is the scenario's load balancer: its routing and prices.
func (s *Scenario) loadBalancer() models.LoadBalancer {
	lb := s.Spec.LoadBalancer
	return models.LoadBalancer{
		Routing:         s.routing,
		HourlyUSD:       lb.HourlyUSD,
		LCUHourUSD:      lb.LCUHourUSD,
		RequestsPerConn: lb.RequestsPerConnection,
		BytesPerRequest: lb.BytesPerRequest,
		RulesPerRequest: lb.RulesPerRequest,
		IdleTimeout:     lb.IdleTimeout,
		Health: models.HealthCheckConfig{
			Interval:           s.Spec.Instances.HealthCheck.Interval,
			HealthyThreshold:   s.Spec.Instances.HealthCheck.HealthyThreshold,
			UnhealthyThreshold: s.Spec.Instances.HealthCheck.UnhealthyThreshold,
		},
	}
}

// systemConfig is the models.Config of a run planned as p: what every
// strategy shares (the service, the lifecycle, metrics, zones and
// failures), and what its family chose (fleet mechanics, front door,
// metric warm-up).
func (s *Scenario) systemConfig(p Plan, opts RunOptions, progress func(sim.Time)) models.Config {
	spec := &s.Spec
	hc := spec.Instances.HealthCheck
	onTimeout := models.ServeAbandoned
	if spec.Service.OnClientTimeout == OnTimeoutSkip {
		onTimeout = models.SkipAbandoned
	}
	return models.Config{
		Horizon: sim.Time(spec.Duration),
		Service: models.ServiceConfig{
			Demand:         s.demand,
			WorkersPerVCPU: spec.Service.WorkersPerVCPU,
			WorkersPerGPU:  spec.Service.WorkersPerGPU,
			QueueLimit:     spec.Service.QueueLimit,
			Timeout:        spec.Service.Timeout,
			OnTimeout:      onTimeout,
		},
		RootVolumeUSDHour: spec.Instances.EBSGB * GP3USDPerGBMonth / 730,
		Catalog:           s.catalog,
		Fleet:             p.Fleet,
		Door:              p.Door,
		Lifecycle: models.LifecycleConfig{
			Pending:        s.pending,
			Boot:           s.boot,
			Startup:        s.startup,
			Unhealthy:      hc.Interval * sim.Duration(hc.UnhealthyThreshold),
			Deregistration: spec.Instances.DeregistrationDelay,
			Recovery:       spec.Instances.Recovery,
		},
		Monitor:  models.MonitorConfig{Period: spec.Metrics.Period, Delay: spec.Metrics.Delay, Warmup: p.MetricWarmup},
		Zones:    spec.Zones,
		Failures: failureConfig(spec),
		Checks:   opts.Checks,
		MaxHeld:  opts.MaxInFlight,
		Progress: progress,
	}
}
