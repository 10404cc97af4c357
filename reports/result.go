package reports

// SchemaVersion is the version of the JSON output contract (docs/outputs.md).
const SchemaVersion = 1

// Result is the outcome of running a scenario: the JSON contract of
// `scalesim run -o json`. Field order is the output order.
type Result struct {
	SchemaVersion int               `json:"schema_version"`
	Scenario      string            `json:"scenario"`
	Seed          uint64            `json:"seed"`
	DurationS     float64           `json:"duration_s"`
	WarmupS       float64           `json:"warmup_s"`
	SLOLatencyMS  float64           `json:"slo_latency_ms"`
	Replications  int               `json:"replications"`
	Strategies    []StrategySummary `json:"strategies"`
	// Baseline names the strategy the others are compared with, and
	// Comparisons holds each other strategy's paired differences from it
	// (over the same replications: common random numbers).
	Baseline    string       `json:"baseline,omitempty"`
	Comparisons []Comparison `json:"comparisons,omitempty"`
	Warnings    []string     `json:"warnings,omitempty"`
	// Series is the per-minute time series of every strategy, in strategy
	// order; it is rendered by -o csv and not included in the JSON summary.
	Series []MinuteRow `json:"-"`
	// Decisions and Events are replication 0's scaling decisions and fleet
	// events, strategies in order (decisions.csv, --explain, the narrative).
	Decisions []DecisionRecord `json:"-"`
	Events    []EventRecord    `json:"-"`
	// Instances are replication 0's launched instances, strategies in
	// order (the AWS-shaped record of a run, calibration).
	Instances []InstanceRecord `json:"-"`
	// Distributions are replication 0's latency distributions, one per
	// strategy in order (the CDF chart).
	Distributions []LatencyCDF `json:"-"`
	// Lesson, when the scenario asks a question, is that question and its
	// options (LessonParagraphs answers it from the figures); not part of
	// the JSON.
	Lesson *Lesson `json:"-"`
	// Absent lists the figures the file read lacked (ReadCheckInput): it
	// was written by a scalesim older than them; not part of the JSON.
	Absent []string `json:"-"`
	// ServiceMeanS is the mean service time of one request on one worker
	// slot, in seconds: serving capacity in req/s = slots / ServiceMeanS.
	ServiceMeanS float64 `json:"-"`
}

// Comparison is one strategy's paired differences from the baseline.
type Comparison struct {
	Strategy string  `json:"strategy"`
	Deltas   []Delta `json:"deltas"`
}

// LatencyCDF is a latency distribution as points of its cumulative
// distribution function, from the smallest to the largest latency.
type LatencyCDF struct {
	Strategy string
	Points   []CDFPoint
}

// CDFPoint is one point of a latency CDF: the share of completed requests
// at or below LatencyMS.
type CDFPoint struct {
	LatencyMS float64
	Fraction  float64
}

// StrategySummary is one strategy's figures. Counts cover requests that
// arrived after the warm-up and always balance:
// arrived = completed + rejected + timed_out + dropped + in_flight_at_end
// (reprocessed counts extra work, outside the balance).
type StrategySummary struct {
	Name           string       `json:"name"`
	Type           string       `json:"type"`
	Requests       Requests     `json:"requests"`
	LatencyMS      Latency      `json:"latency_ms"`
	ThroughputRPS  Throughput   `json:"throughput_rps"`
	Availability   Availability `json:"availability"`
	CostUSD        Cost         `json:"cost_usd"`
	Capacity       Capacity     `json:"capacity"`
	ScalingActions int          `json:"scaling_actions"`
	// CI95HalfWidth holds, with replications > 1, the 95% confidence
	// half-width of each figure, keyed by its JSON path (FigureKeys).
	CI95HalfWidth map[string]float64 `json:"ci95_half_width,omitempty"`
	// Notes are remarks on the run, one line each (e.g. a vertical
	// strategy that hit the top of its ladder). With replications they
	// are replication 0's.
	Notes []string `json:"notes,omitempty"`
	// Story, when not nil, is what the strategy's family tells of it in
	// the narrative, in place of DefaultStory; it is not part of the JSON.
	Story *Story `json:"-"`
	// Group reports that the strategy's fleet is an Auto Scaling group
	// (its decisions and capacity can be set beside a group's record); not
	// part of the JSON.
	Group bool `json:"-"`
	// WarmupCutS is, with warmup: auto, the initial transient the MSER-5
	// rule chose to cut for this strategy, in seconds.
	WarmupCutS float64 `json:"warmup_cut_s,omitempty"`
	// Elasticity is how closely the fleet's worker slots followed the
	// slots the traffic asked for, minute by minute.
	Elasticity Elasticity `json:"elasticity"`
}

// Requests counts requests by outcome.
type Requests struct {
	Arrived       int64 `json:"arrived"`
	Completed     int64 `json:"completed"`
	Rejected      int64 `json:"rejected"`
	TimedOut      int64 `json:"timed_out"`
	Dropped       int64 `json:"dropped"`
	InFlightAtEnd int64 `json:"in_flight_at_end"`
	// Reprocessed counts stream records processed again after their first
	// completion: read again from a checkpoint when a consumer's leases
	// failed over. Extra work, not an outcome: outside the balance.
	Reprocessed int64 `json:"reprocessed,omitempty"`
}

// Latency is the distribution of arrival-to-completion times of completed
// requests, in milliseconds.
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
}

// Throughput is completions per second: the mean over the measured span and
// the busiest whole minute.
type Throughput struct {
	Mean       float64 `json:"mean"`
	PeakMinute float64 `json:"peak_minute"`
}

// Availability is the share of requests and minutes that were served well.
type Availability struct {
	// SuccessRatio = completed / (arrived - in_flight_at_end): the share
	// of finished requests that succeeded, blind to a backlog still waiting.
	SuccessRatio float64 `json:"success_ratio"`
	// SLOAttainment = share of (arrived - in_flight_at_end) completed within the SLO latency.
	SLOAttainment float64 `json:"slo_attainment"`
	// MinutesMeetingSLO = share of whole measured minutes whose p99 met the
	// SLO and whose errors stayed under 1%.
	MinutesMeetingSLO float64 `json:"minutes_meeting_slo"`
	// ServedWithinSLO = share of every arrival completed within the SLO
	// latency: a request still in flight at the end (a stream's backlog)
	// counts as not served. The headline of the availability figures.
	ServedWithinSLO float64 `json:"served_within_slo"`
	// Served = completed / arrived: like SuccessRatio, but what is still in
	// flight at the end counts against it.
	Served float64 `json:"served"`
}

// Cost is the bill in US dollars.
type Cost struct {
	Total        float64 `json:"total"`
	Compute      float64 `json:"compute"`
	LoadBalancer float64 `json:"load_balancer"`
	Stream       float64 `json:"stream"`
}

// Capacity describes the fleet over the run.
type Capacity struct {
	InstancesMin    int     `json:"instances_min"`
	InstancesMax    int     `json:"instances_max"`
	InstanceHours   float64 `json:"instance_hours"`
	MeanUtilization float64 `json:"mean_utilization"`
	// NodeHours and NodesMax are a Kubernetes strategy's nodes: their
	// billed hours over the whole run (also in InstanceHours, pods being
	// unbilled) and the most Ready at a sample after the warm-up; 0 for
	// the other families.
	NodeHours float64 `json:"node_hours,omitempty"`
	NodesMax  int     `json:"nodes_max,omitempty"`
}

// Elasticity holds the SPEC Research Group's elasticity metrics
// (Herbst et al., "Ready for Rain? A View from SPEC Research on the Future
// of Cloud Metrics", 2016) over the measured minutes with demand: whole
// minutes after the warm-up in which some request arrived. A minute's
// supply is its worker slots in service (MinuteRow.Slots) and its demand
// the fewest slots that keep the M/M/c p99 sojourn time within the SLO
// latency at its arrival rate (MinuteRow.Demand). Every figure is a
// fraction, 0 when there is no such minute; lower is better.
type Elasticity struct {
	// UnderProvisioningAccuracy is the mean of max(demand − supply, 0) /
	// demand: the share of the demand left unserved, on average.
	UnderProvisioningAccuracy float64 `json:"under_provisioning_accuracy"`
	// OverProvisioningAccuracy is the mean of max(supply − demand, 0) /
	// demand: the slots beyond the demand, as a share of it (above 1 when
	// the fleet is more than twice the demand).
	OverProvisioningAccuracy float64 `json:"over_provisioning_accuracy"`
	// UnderProvisioningTimeshare is the share of the minutes with supply
	// below demand.
	UnderProvisioningTimeshare float64 `json:"under_provisioning_timeshare"`
	// OverProvisioningTimeshare is the share of the minutes with supply
	// above demand.
	OverProvisioningTimeshare float64 `json:"over_provisioning_timeshare"`
	// Instability is the share of the steps from one such minute to the
	// next (consecutive minutes, both measured) in which supply and demand
	// moved in opposite directions, one up and the other down.
	Instability float64 `json:"instability"`
}

// MinuteRow is one row of the per-minute time series (docs/outputs.md):
// strategy,minute,arrivals,completed,errors,p50_ms,p99_ms,
// instances_in_service,instances_pending,utilization,cost_usd,
// iterator_age_ms,nodes_in_service,nodes_pending.
type MinuteRow struct {
	Strategy           string
	Minute             int
	Arrivals           int64
	Completed          int64
	Errors             int64 // rejected + timed_out + dropped in that minute
	P50MS              float64
	P99MS              float64
	InstancesInService int
	InstancesPending   int
	Utilization        float64
	CostUSD            float64 // cumulative
	// IteratorAgeMS is a stream's GetRecords.IteratorAgeMilliseconds, its
	// maximum over the minute; 0 without a stream or a GetRecords call.
	IteratorAgeMS float64
	// Slots is the worker slots of the in-service instances at the minute's
	// end that can work: a stream consumer's count at most
	// per_shard_concurrency per lease it holds (not in the CSV contract;
	// charts and the elasticity figures use it for serving capacity).
	Slots int
	// Demand is the fewest worker slots that keep the M/M/c p99 sojourn
	// time within the SLO latency at the minute's arrival rate and the
	// mean service time, or, where no number does, with which at most 1%
	// of requests wait (queueing.DemandSlots); 0 without arrivals, a
	// service mean or an SLO latency. Not in the CSV contract: the
	// elasticity figures and chart use it.
	Demand int
	// Desired, GroupInService and GroupPending are the group at the
	// minute's end as its CloudWatch metrics count it (GroupDesiredCapacity,
	// GroupInServiceInstances, GroupPendingInstances), and MeanMS the mean
	// latency of the minute's completions (TargetResponseTime's average);
	// not in the CSV contract: calibration compares them with a record.
	Desired, GroupInService, GroupPending int
	MeanMS                                float64
	// NodesInService and NodesPending are a Kubernetes strategy's nodes at
	// the minute's end: Ready, and launched but not yet Ready (0 for the
	// other families). The last columns of the CSV.
	NodesInService, NodesPending int
}
