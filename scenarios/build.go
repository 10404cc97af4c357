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

// buildStrategy builds strategy i of the scenario. Families other than
// static arrive with a later issue; asking for one is an *Error.
func (s *Scenario) buildStrategy(i int) (strategies.Strategy, error) {
	st := s.Spec.Strategies[i]
	switch st.Type {
	case "static":
		str, err := strategies.NewStatic(st.Name, st.InstanceType, st.Count)
		if err != nil {
			return nil, s.loc.field(item("strategies", i), oneLine(err.Error()), "")
		}
		return str, nil
	}
	return nil, s.loc.field(item("strategies", i), fmt.Sprintf("type %s is not available yet", st.Type),
		"only static strategies run in this version; pick them with --strategy NAME")
}

// systemConfig is the models.Config of one run.
func (s *Scenario) systemConfig(checks bool, progress func(sim.Time)) models.Config {
	return models.Config{
		Horizon: sim.Time(s.Spec.Duration),
		Service: models.ServiceConfig{
			Demand:         s.demand,
			WorkersPerVCPU: s.Spec.Service.WorkersPerVCPU,
			QueueLimit:     s.Spec.Service.QueueLimit,
			Timeout:        s.Spec.Service.Timeout,
		},
		Routing:  s.routing,
		Catalog:  s.catalog,
		Checks:   checks,
		Progress: progress,
	}
}
