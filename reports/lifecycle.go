package reports

import (
	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/sim"
)

// InstanceRecord is one launched instance's life as its group's scaling
// activities record it: launched, running (the group's InService, which
// ends the launch activity), leaving (draining included) and terminated.
// A time is -1 when it did not happen within the run.
type InstanceRecord struct {
	Strategy string
	ID       int // the instance's number in the run
	Zone     int // 0 for zone a, 1 for b, ...
	Launched sim.Time
	Running  sim.Time
	// Terminating is when the instance started to leave: the start of its
	// termination activity.
	Terminating sim.Time
	Terminated  sim.Time
	LaunchCause models.LifecycleCause
	// TerminateCause is why it left; meaningful when Terminating >= 0.
	TerminateCause models.LifecycleCause
}

// instanceLog is the collector's record of launched instances, in launch
// order: memory grows with the number of launches, like the decisions.
type instanceLog struct {
	list []InstanceRecord
	at   map[int32]int // instance number → index in list
}

// record returns the entry of instance id, or nil for an instance that was
// not launched (the initial fleet).
func (l *instanceLog) record(id int32) *InstanceRecord {
	if i, ok := l.at[id]; ok {
		return &l.list[i]
	}
	return nil
}

// InstanceLaunched implements models.LifecycleSink.
func (c *Collector) InstanceLaunched(t sim.Time, id int32, zone int, cause models.LifecycleCause) {
	l := &c.instances
	if l.at == nil {
		l.at = make(map[int32]int)
	}
	l.at[id] = len(l.list)
	l.list = append(l.list, InstanceRecord{ID: int(id), Zone: zone, Launched: t, Running: -1,
		Terminating: -1, Terminated: -1, LaunchCause: cause})
}

// InstanceRunning implements models.LifecycleSink.
func (c *Collector) InstanceRunning(t sim.Time, id int32) {
	if r := c.instances.record(id); r != nil && r.Running < 0 {
		r.Running = t
	}
}

// InstanceTerminating implements models.LifecycleSink.
func (c *Collector) InstanceTerminating(t sim.Time, id int32, cause models.LifecycleCause) {
	if r := c.instances.record(id); r != nil && r.Terminating < 0 {
		r.Terminating, r.TerminateCause = t, cause
	}
}

// InstanceTerminated implements models.LifecycleSink: an instance that
// ends without having started to leave (lost with its zone while
// launching, a resize) leaves at once, for its health.
func (c *Collector) InstanceTerminated(t sim.Time, id int32) {
	r := c.instances.record(id)
	if r == nil || r.Terminated >= 0 {
		return
	}
	if r.Terminating < 0 {
		r.Terminating, r.TerminateCause = t, models.CauseHealth
	}
	r.Terminated = t
}

// Instances returns the run's launched instances, in launch order,
// labelled with name.
func (c *Collector) Instances(name string) []InstanceRecord {
	out := append([]InstanceRecord(nil), c.instances.list...)
	for i := range out {
		out[i].Strategy = name
	}
	return out
}
