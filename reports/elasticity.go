package reports

import (
	"cmp"

	"github.com/scalesim/scalesim/queueing"
)

// demand returns the worker slots a minute with the given arrivals asks
// for (MinuteRow.Demand): queueing.DemandSlots at the minute's arrival
// rate, the configured mean service time and the SLO latency as the p99
// target (where no fleet meets that, the slots with which at most 1% of
// requests wait); 0 without arrivals, a mean service time or an SLO
// latency.
func (c *Collector) demand(arrivals int64) int {
	if c.cfg.ServiceMeanS <= 0 || c.cfg.SLO <= 0 || arrivals <= 0 {
		return 0
	}
	rate := float64(arrivals) / c.cfg.Minute.Seconds()
	return queueing.DemandSlots(rate, c.cfg.ServiceMeanS, c.cfg.SLO.Seconds())
}

// elasticity returns the elasticity figures over the whole measured
// minutes (those the per-minute figures count).
func (c *Collector) elasticity() Elasticity {
	first, end := c.measuredMinutes()
	rows := make([]MinuteRow, 0, end-first)
	for m := first; m < end; m++ {
		r := c.row(m)
		rows = append(rows, MinuteRow{Minute: m, Slots: int(r.slots), Demand: c.demand(r.arrivals)})
	}
	return elasticityOf(rows)
}

// elasticityOf returns the elasticity figures of a strategy's measured
// minutes, rows in minute order, as Elasticity defines them: the minutes
// with a demand (Demand > 0) count, and a step counts for the instability
// when it joins two of them a minute apart. Supply is Slots.
func elasticityOf(rows []MinuteRow) Elasticity {
	var e Elasticity
	var minutes, steps, unstable int
	var prev *MinuteRow
	for i := range rows {
		r := &rows[i]
		if r.Demand <= 0 {
			prev = nil
			continue
		}
		minutes++
		d, s := float64(r.Demand), float64(r.Slots)
		switch {
		case s < d:
			e.UnderProvisioningAccuracy += (d - s) / d
			e.UnderProvisioningTimeshare++
		case s > d:
			e.OverProvisioningAccuracy += (s - d) / d
			e.OverProvisioningTimeshare++
		}
		if prev != nil && r.Minute == prev.Minute+1 {
			steps++
			if dd, ds := cmp.Compare(r.Demand, prev.Demand), cmp.Compare(r.Slots, prev.Slots); dd*ds < 0 {
				unstable++
			}
		}
		prev = r
	}
	if minutes > 0 {
		n := float64(minutes)
		e.UnderProvisioningAccuracy /= n
		e.OverProvisioningAccuracy /= n
		e.UnderProvisioningTimeshare /= n
		e.OverProvisioningTimeshare /= n
	}
	if steps > 0 {
		e.Instability = float64(unstable) / float64(steps)
	}
	return e
}
