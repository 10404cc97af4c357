// Package records reads and writes what AWS recorded of an Auto Scaling
// group: its scaling activities (the JSON of `aws autoscaling
// describe-scaling-activities`) and its metrics (the JSON of `aws
// cloudwatch get-metric-data`), in the shapes the AWS CLI prints. Each
// shape is one registered Format; nothing else in the module names one.
//
// The package knows nothing of the simulation: calibration maps a record
// onto a run's clock, and a run's history is written back through the
// same formats so that a record made from a run reads as AWS's would.
package records

import "time"

// Kind is what a scaling activity did to one instance.
type Kind int

// The kinds of scaling activity.
const (
	// Other is an activity that neither launched nor terminated an
	// instance (a warm-pool change, a lifecycle action, an unknown text).
	Other Kind = iota
	// Launch is "Launching a new EC2 instance: i-...", or a failure to
	// launch one ("Launching a new EC2 instance.  Status Reason: ...").
	Launch
	// Terminate is "Terminating EC2 instance: i-...".
	Terminate
)

// String returns the kind's name as reports show it.
func (k Kind) String() string {
	switch k {
	case Launch:
		return "launch"
	case Terminate:
		return "terminate"
	}
	return "other"
}

// Status codes of a scaling activity that calibration treats apart; any
// other code (Failed, Cancelled, WaitingForSpotInstanceId, ...) is kept
// as recorded.
const (
	StatusSuccessful = "Successful"
	StatusFailed     = "Failed"
	StatusCancelled  = "Cancelled"
	StatusInProgress = "InProgress"
)

// Activity is one scaling activity.
type Activity struct {
	ID     string // ActivityId
	Group  string // AutoScalingGroupName
	Kind   Kind
	Status string // StatusCode as recorded
	// StatusMessage is the recorded reason of a failure, when there is one.
	StatusMessage string
	Start         time.Time // StartTime, in UTC
	End           time.Time // EndTime, in UTC; zero while in progress
	Instance      string    // the instance ID the description names, if any
	Zone          string    // the Availability Zone the details name, if any
	Description   string
	Cause         string
	Details       string // the Details JSON text, as recorded
	// Change is the desired-capacity change the Cause reports, nil when it
	// reports none (a health replacement, a rebalance).
	Change *Change
}

// Change is a change of the group's desired capacity as an activity's
// Cause states it: "At 2026-01-10T02:06:00Z a monitor alarm A in state
// ALARM triggered policy P changing the desired capacity from 2 to 4."
type Change struct {
	At       time.Time // the instant the Cause gives for the alarm or action
	From, To int
	// Trigger is what the Cause names as having acted, in its words: "a
	// monitor alarm A in state ALARM triggered policy P", "a user request
	// update of AutoScalingGroup constraints to min: 1, max: 10,
	// desired: 4", "a scheduled action update of ...".
	Trigger string
}

// Series is one metric of a group, minute by minute or at its period.
type Series struct {
	// Metric is the metric the series holds, one of Metrics().
	Metric Metric
	// ID and Label are as the export names the series.
	ID, Label string
	// Points are the datapoints, oldest first, one per timestamp.
	Points []Point
}

// Point is one datapoint: the start of its period and its value.
type Point struct {
	At    time.Time
	Value float64
}

// Metric is a metric calibration knows how to compare.
type Metric string

// The metrics calibration reads, by their CloudWatch names.
const (
	GroupDesiredCapacity    Metric = "GroupDesiredCapacity"
	GroupInServiceInstances Metric = "GroupInServiceInstances"
	GroupPendingInstances   Metric = "GroupPendingInstances"
	CPUUtilization          Metric = "CPUUtilization"
	RequestCount            Metric = "RequestCount"
	TargetResponseTime      Metric = "TargetResponseTime"
)

// Metrics returns the metrics calibration reads, in the order reports
// list them.
func Metrics() []Metric {
	return []Metric{GroupDesiredCapacity, GroupInServiceInstances, GroupPendingInstances,
		CPUUtilization, RequestCount, TargetResponseTime}
}

// Record is what was read of one group: its activities, oldest first, and
// its metric series, in the order of Metrics().
type Record struct {
	Activities []Activity
	Series     []Series
	// Notes are remarks on the input, one line each: a page marker left
	// in an export, a series that was not recognised and left out.
	Notes []string
}
