package scenarios

import (
	"fmt"
	"math"
	"slices"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
)

// between checks that a duration lies in [lo, hi]; hint says why the range
// is what it is.
func (v *validator) between(path string, d, lo, hi sim.Duration, hint string) error {
	if d < lo || d > hi {
		return v.err(path, fmt.Sprintf("must be from %v to %v (got %v)", lo, hi, d), hint)
	}
	return nil
}

// number checks that a float is finite and lies in [lo, hi].
func (v *validator) number(path string, x, lo, hi float64, hint string) error {
	if !(x >= lo && x <= hi) {
		return v.err(path, fmt.Sprintf("must be from %s to %s (got %s)", num(lo), num(hi), num(x)), hint)
	}
	return nil
}

// defaultDuration sets *d to def when the file does not set path.
func (v *validator) defaultDuration(path string, d *sim.Duration, def sim.Duration) {
	if !v.has(path) {
		*d = def
	}
}

// defaultInt sets *n to def when the file does not set path.
func (v *validator) defaultInt(path string, n *int, def int) {
	if !v.has(path) {
		*n = def
	}
}

// defaultFloat sets *x to def when the file does not set path.
func (v *validator) defaultFloat(path string, x *float64, def float64) {
	if !v.has(path) {
		*x = def
	}
}

// instances checks the lifecycle of launched instances.
func (v *validator) instances(s *Spec) error {
	in := &s.Instances
	pending, err := v.dist("instances.pending", &in.Pending, &TimeSpec{Dist: "lognormal", Median: DefaultPendingMedian, P99: DefaultPendingP99}, MaxLifecycleMean)
	if err != nil {
		return err
	}
	v.sc.pending = pending
	v.defaultFloat("instances.ebs_gb", &in.EBSGB, DefaultEBSGB)
	if err := v.number("instances.ebs_gb", in.EBSGB, 0, MaxEBSGB, "the root volume in GiB, billed as gp3 (default 8)"); err != nil {
		return err
	}
	boot, err := v.dist("instances.boot", &in.Boot, &TimeSpec{Dist: "lognormal", Median: DefaultBootMedian, P99: DefaultBootP99}, MaxLifecycleMean)
	if err != nil {
		return err
	}
	v.sc.boot = boot
	hc := &in.HealthCheck
	v.defaultDuration("instances.health_check.interval", &hc.Interval, DefaultHealthInterval)
	v.defaultInt("instances.health_check.healthy_threshold", &hc.HealthyThreshold, DefaultHealthyThreshold)
	v.defaultInt("instances.health_check.unhealthy_threshold", &hc.UnhealthyThreshold, DefaultUnhealthyThreshold)
	if err := v.between("instances.health_check.interval", hc.Interval, MinHealthInterval, MaxHealthInterval,
		"the ALB checks every 5s to 300s (default 30s)"); err != nil {
		return err
	}
	for _, k := range []string{"healthy_threshold", "unhealthy_threshold"} {
		n := hc.HealthyThreshold
		if k == "unhealthy_threshold" {
			n = hc.UnhealthyThreshold
		}
		if err := v.count("instances.health_check."+k, n, MinHealthThreshold, MaxHealthThreshold,
			"the ALB takes 2 to 10 consecutive checks (defaults: 5 healthy, 2 unhealthy)"); err != nil {
			return err
		}
	}
	v.defaultDuration("instances.deregistration_delay", &in.DeregistrationDelay, DefaultDeregistrationDelay)
	if err := v.between("instances.deregistration_delay", in.DeregistrationDelay, 0, MaxDeregistrationDelay,
		"the ALB drains a target for 0s to 3600s (default 300s)"); err != nil {
		return err
	}
	v.defaultDuration("instances.recovery", &in.Recovery, DefaultRecovery)
	return v.between("instances.recovery", in.Recovery, 0, MaxRecovery,
		"the wait before a failed instance restarted in place boots again (default 2m)")
}

// metrics checks how metrics are published.
func (v *validator) metrics(s *Spec) error {
	m := &s.Metrics
	v.defaultDuration("metrics.period", &m.Period, models.DefaultMetricPeriod)
	v.defaultDuration("metrics.delay", &m.Delay, models.DefaultMetricDelay)
	if m.Period != sim.Minute && m.Period != 5*sim.Minute {
		return v.err("metrics.period", fmt.Sprintf("must be 1m or 5m (got %v)", m.Period),
			"1m is detailed monitoring (recommended for scaling), 5m basic monitoring")
	}
	return v.between("metrics.delay", m.Delay, 0, MaxMetricDelay, "CloudWatch data typically lags 1-2 minutes (default 60s)")
}

// failures checks the zones and what fails in them.
func (v *validator) failures(s *Spec) error {
	v.defaultInt("zones", &s.Zones, DefaultZones)
	if err := v.count("zones", s.Zones, 1, MaxZones, "instances spread over zones a, b, c, ... (default 3)"); err != nil {
		return err
	}
	f := &s.Failures
	if f.InstanceMTBF != 0 {
		if err := v.between("failures.instance_mtbf", f.InstanceMTBF, MinInstanceMTBF, MaxInstanceMTBF,
			"0 means instances never fail; a year is 8760h"); err != nil {
			return err
		}
	}
	if len(f.ZoneOutages) == 0 {
		f.ZoneOutages = nil // an empty list is no list
	}
	if len(f.ZoneOutages) > MaxZoneOutages {
		return v.err("failures.zone_outages", fmt.Sprintf("at most %d outages (got %d)", MaxZoneOutages, len(f.ZoneOutages)), "that is the simulator's limit")
	}
	last := zoneLetter(s.Zones - 1)
	for i := range f.ZoneOutages {
		o := &f.ZoneOutages[i]
		p := item("failures.zone_outages", i)
		if err := v.required(child(p, "zone"), fmt.Sprintf("name the zone, a to %s", last)); err != nil {
			return err
		}
		if len(o.Zone) != 1 || o.Zone[0] < 'a' || o.Zone[0] > last[0] {
			return v.err(child(p, "zone"), fmt.Sprintf("no zone %q: the scenario has %d zones, a to %s", clip(o.Zone), s.Zones, last),
				fmt.Sprintf("name one of a to %s, or raise zones", last))
		}
		if err := v.required(child(p, "at"), "set when the outage starts, e.g. at: 1h"); err != nil {
			return err
		}
		if o.At < 0 || o.At >= s.Duration {
			return v.err(child(p, "at"), fmt.Sprintf("the outage must start within the run, 0s to before %v (got %v)", s.Duration, o.At),
				"move it earlier or lengthen duration")
		}
		if err := v.required(child(p, "for"), "set how long it lasts, e.g. for: 30m"); err != nil {
			return err
		}
		if err := v.between(child(p, "for"), o.For, 1, MaxDuration, `write a positive duration, e.g. "30m"`); err != nil {
			return err
		}
		for j, q := range f.ZoneOutages[:i] {
			if q.Zone == o.Zone && o.At < q.At+q.For && q.At < o.At+o.For {
				return v.err(p, fmt.Sprintf("overlaps outage %d of zone %s", j, o.Zone), "merge the two outages into one")
			}
		}
	}
	return nil
}

// zoneLetter names the zone of 0-based index i.
func zoneLetter(i int) string { return string(rune('a' + i)) }

// failureConfig converts the failures section for models.
func failureConfig(s *Spec) models.FailureConfig {
	fc := models.FailureConfig{InstanceMTBF: s.Failures.InstanceMTBF}
	for _, o := range s.Failures.ZoneOutages {
		fc.ZoneOutages = append(fc.ZoneOutages, models.ZoneOutage{Zone: int(o.Zone[0] - 'a'), At: sim.Time(o.At), For: o.For})
	}
	return fc
}

// balancer checks the load balancer's routing and prices.
func (v *validator) balancer(s *Spec) error {
	lb := &s.LoadBalancer
	if lb.Routing == "" {
		lb.Routing = "round_robin"
	}
	r, err := models.ParseRouting(lb.Routing)
	if err != nil {
		return v.err("load_balancer.routing", fmt.Sprintf("unknown routing %q", clip(lb.Routing)), didYouMean(lb.Routing, routingNames()))
	}
	v.sc.routing = r
	v.defaultFloat("load_balancer.hourly_usd", &lb.HourlyUSD, models.ALBHourlyUSD)
	v.defaultFloat("load_balancer.lcu_hour_usd", &lb.LCUHourUSD, models.ALBLCUHourUSD)
	v.defaultFloat("load_balancer.requests_per_connection", &lb.RequestsPerConnection, DefaultRequestsPerConnection)
	v.defaultFloat("load_balancer.bytes_per_request", &lb.BytesPerRequest, DefaultBytesPerRequest)
	v.defaultDuration("load_balancer.idle_timeout", &lb.IdleTimeout, DefaultIdleTimeout)
	if lb.IdleTimeout < 0 || lb.IdleTimeout > 0 && lb.IdleTimeout < sim.Second || lb.IdleTimeout > MaxIdleTimeout {
		return v.err("load_balancer.idle_timeout", fmt.Sprintf("must be 0s or from 1s to 4000s (got %v)", lb.IdleTimeout),
			"the ALB answers 504 after 1s to 4000s without a response (default 60s); 0s turns it off")
	}
	checks := []struct {
		key       string
		x, lo, hi float64
		hint      string
	}{
		{"hourly_usd", lb.HourlyUSD, 0, MaxPriceUSD, "US dollars per ALB-hour; us-east-1 charges 0.0225"},
		{"lcu_hour_usd", lb.LCUHourUSD, 0, MaxPriceUSD, "US dollars per LCU-hour; us-east-1 charges 0.008"},
		{"requests_per_connection", lb.RequestsPerConnection, 1, MaxRequestsPerConnection, "1 means a new connection per request; keep-alive clients send more"},
		{"bytes_per_request", lb.BytesPerRequest, 0, MaxBytesPerRequest, "request plus response bytes, e.g. 10000"},
		{"rules_per_request", lb.RulesPerRequest, 0, MaxRulesPerRequest, "listener rules evaluated beyond the 10 free ones (default 0)"},
	}
	for _, c := range checks {
		if err := v.number("load_balancer."+c.key, c.x, c.lo, c.hi, c.hint); err != nil {
			return err
		}
	}
	return nil
}

// finite reports whether x is a finite number.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// oneOf checks that name is one of names, with a did-you-mean.
func (v *validator) oneOf(path, what, name string, names []string) error {
	if slices.Contains(names, name) {
		return nil
	}
	if name == "" {
		return v.err(path, "required", "want "+orList(names))
	}
	return v.err(path, fmt.Sprintf("unknown %s %q", what, clip(name)), didYouMean(name, names))
}
