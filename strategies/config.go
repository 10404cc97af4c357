package strategies

import (
	"errors"
	"fmt"

	"github.com/scalesim/scalesim/sim"
)

// FieldError is an invalid configuration value. Field is the value's path
// below the strategy in YAML keys joined with dots, list items by index
// ("policies.0.steps.2.lower"), so a scenario loader can point at the line.
type FieldError struct {
	Field string
	Msg   string
}

// Error implements error.
func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// fieldErrorf returns a *FieldError for field.
func fieldErrorf(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// under prefixes the path of a *FieldError (or wraps another error) with
// prefix, e.g. "policies.0".
func under(prefix string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Field: prefix + "." + fe.Field, Msg: fe.Msg}
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// HorizontalConfig configures a Horizontal strategy (an Auto Scaling
// group). It is plain data; the scenarios package fills it from a
// horizontal strategy's keys, and its YAML-style tags name those keys, as
// the Field of a *FieldError does. NewHorizontal validates it and applies
// the defaults.
type HorizontalConfig struct {
	Name         string `yaml:"name"`          // strategy name; required
	InstanceType string `yaml:"instance_type"` // required
	// Min and Max bound the desired capacity (0 <= Min <= Max, Max >= 1;
	// docs/aws-behaviour.md §1.1).
	Min int `yaml:"min"`
	Max int `yaml:"max"`
	// Initial is the desired capacity at time zero, in [Min, Max]; 0 means
	// Min.
	Initial int `yaml:"initial"`
	// Policies are the group's scaling policies and scheduled actions, 1
	// to MaxPolicies.
	Policies []PolicyConfig `yaml:"policies"`
	// DefaultInstanceWarmup is the group's default instance warm-up (the
	// scenario's instance_warmup), 0 to MaxInstanceWarmup; nil means not
	// set, AWS's default
	// (docs/aws-behaviour.md §1.3). See InstanceWarmup.
	DefaultInstanceWarmup *sim.Duration `yaml:"instance_warmup"`
	// DefaultCooldown is the group's default cooldown, 0 to MaxCooldown;
	// nil means DefaultCooldown (300 s, docs/aws-behaviour.md §1.5).
	DefaultCooldown *sim.Duration `yaml:"default_cooldown"`
	// EpochUnix is the calendar instant of simulated time zero, in Unix
	// seconds (UTC), for cron schedules; 0 means DefaultEpochUnix,
	// Monday 2024-01-01 00:00 UTC.
	EpochUnix int64 `yaml:"epoch_unix"`
}

// PolicyConfig is one entry of HorizontalConfig.Policies. Type selects the
// policy and which fields apply; fields of other types are ignored. Every
// default below is applied by NewHorizontal.
type PolicyConfig struct {
	// Type is target_tracking, step, simple, scheduled or predictive.
	Type string `yaml:"type"`

	// Metric (target_tracking, step, simple, predictive) is cpu,
	// request_count_per_target, in_flight or queue_length.
	Metric string `yaml:"metric"`
	// Target (target_tracking, predictive) is the metric's target value
	// per instance: > 0, at most 100 for cpu. For
	// request_count_per_target it is requests per instance per minute.
	Target float64 `yaml:"target"`

	// DisableScaleIn (target_tracking) stops the policy from scaling in
	// (default false, docs/aws-behaviour.md §1.2).
	DisableScaleIn bool `yaml:"disable_scale_in"`
	// ScaleInFactor (target_tracking) places AlarmLow at ScaleInFactor ×
	// Target, in (0, 1]; 0 means DefaultScaleInFactor (0.9, unconfirmed).
	ScaleInFactor float64 `yaml:"scale_in_factor"`
	// HighDatapoints (target_tracking) is AlarmHigh's M of M, 1 to
	// MaxEvaluationPeriods; 0 means DefaultHighDatapoints (3, unconfirmed).
	HighDatapoints int `yaml:"high_datapoints"`
	// LowDatapoints (target_tracking) is AlarmLow's M of M, 1 to
	// MaxEvaluationPeriods; 0 means DefaultLowDatapoints (15, unconfirmed).
	LowDatapoints int `yaml:"low_datapoints"`
	// EstimatedInstanceWarmup (target_tracking, step) overrides the
	// group's DefaultInstanceWarmup, 0 to MaxInstanceWarmup; nil means not
	// set. See InstanceWarmup.
	EstimatedInstanceWarmup *sim.Duration `yaml:"estimated_instance_warmup"`

	// Threshold (step, simple) is the alarm threshold, in the metric's unit.
	Threshold float64 `yaml:"threshold"`
	// Comparison (step, simple) is >, >=, < or <=; required. An alarm
	// above the threshold scales out, one below scales in.
	Comparison string `yaml:"comparison"`
	// DatapointsToAlarm and EvaluationPeriods (step, simple) are the
	// alarm's M of N, 1 <= M <= N <= MaxEvaluationPeriods; 0 means
	// DefaultAlarmDatapoints (1 of 1).
	DatapointsToAlarm int `yaml:"datapoints_to_alarm"`
	EvaluationPeriods int `yaml:"evaluation_periods"`
	// AdjustmentType (step, simple) is change_in_capacity, exact_capacity
	// or percent_change_in_capacity; required.
	AdjustmentType string `yaml:"adjustment_type"`
	// Steps (step) are the step adjustments, 1 to MaxStepAdjustments.
	Steps []StepConfig `yaml:"steps"`
	// Adjustment (simple) is the one adjustment: instances, an exact
	// capacity (>= 0) or percent.
	Adjustment int `yaml:"adjustment"`
	// MinAdjustmentMagnitude (step, simple; percent_change_in_capacity
	// only) is the least number of instances an adjustment moves, >= 0.
	MinAdjustmentMagnitude int `yaml:"min_adjustment_magnitude"`
	// Cooldown (simple) is the policy's cooldown, 0 to MaxCooldown; nil
	// means the group's DefaultCooldown.
	Cooldown *sim.Duration `yaml:"cooldown"`

	// Actions (scheduled) are the scheduled actions, 1 to
	// MaxScheduledActions over the whole group.
	Actions []ScheduledActionConfig `yaml:"actions"`

	// Mode (predictive) is forecast_only (the default, as in AWS: the
	// policy forecasts but never scales) or forecast_and_scale.
	Mode string `yaml:"mode"`
	// SchedulingBufferTime (predictive) is how long before each hour the
	// forecast capacity is launched, 0 to 3600 s exclusive; nil means
	// DefaultSchedulingBuffer (300 s, docs/aws-behaviour.md §1.7).
	SchedulingBufferTime *sim.Duration `yaml:"scheduling_buffer_time"`
	// LookbackDays (predictive) is how many past days of the same hour the
	// forecast averages, 1 to MaxLookbackDays; 0 means
	// DefaultLookbackDays (14).
	LookbackDays int `yaml:"lookback_days"`
	// MaxCapacityBreachBehavior (predictive) is honor_max_capacity (the
	// default) or increase_max_capacity.
	MaxCapacityBreachBehavior string `yaml:"max_capacity_breach_behavior"`
	// MaxCapacityBuffer (predictive, increase_max_capacity) is how far
	// above the forecast the maximum may rise, percent 0 to 100.
	MaxCapacityBuffer int `yaml:"max_capacity_buffer"`
	// History (predictive) is the group's load recorded before time zero,
	// which the forecast uses as it uses the load it observes; nil means
	// none, the default: the policy forecasts once the run has given it
	// MinPredictiveHistory of load (docs/aws-behaviour.md §1.7).
	History *HistoryConfig `yaml:"history"`
}

// HistoryConfig is a predictive policy's recorded load: where the
// scenario found it (Path and Column, which this package does not read)
// and the periods read from it (Points), which NewHorizontal checks.
type HistoryConfig struct {
	// Path names the file, a CloudWatch export, relative to the scenario
	// file.
	Path string `yaml:"path"`
	// Column picks the export's metric by Id or Label (default: its only
	// one).
	Column string `yaml:"column"`
	// Points are the recorded periods, oldest first. Those starting at or
	// after time zero, or more than MaxLookbackDays before it, are
	// ignored; the rest must span at least MinPredictiveHistory.
	Points []LoadPoint `yaml:"-"`
}

// LoadPoint is one period of a group's recorded load.
type LoadPoint struct {
	// Start is when the period began on the run's clock: negative before
	// time zero.
	Start sim.Time
	// Span is the period's length, > 0.
	Span sim.Duration
	// Load is the group's load over the period in Metric.Total's unit:
	// requests per minute for request_count_per_target, the sum over
	// instances of CPU percent for cpu.
	Load float64
}

// StepConfig is one step adjustment of a step policy: the band of
// (metric − threshold) it covers and its adjustment. A nil bound is
// infinite (−∞ for Lower, +∞ for Upper).
type StepConfig struct {
	Lower      *float64 `yaml:"lower"`
	Upper      *float64 `yaml:"upper"`
	Adjustment int      `yaml:"adjustment"`
}

// ScheduledActionConfig is one scheduled action: at a time or on a cron
// schedule, set any of the group's min, max and desired capacity.
type ScheduledActionConfig struct {
	Name string `yaml:"name"` // for reasons; optional
	// At is a one-time action's offset from the start of the run, >= 0.
	At *sim.Duration `yaml:"at"`
	// Recurrence is a recurring action's 5-field cron expression (see
	// ParseCron), read in TimeZone. Exactly one of At and Recurrence is
	// set.
	Recurrence string `yaml:"recurrence"`
	// TimeZone (recurring actions only) is the IANA time zone the
	// recurrence is read in, daylight saving included, e.g.
	// America/New_York; empty means UTC, as does Etc/UTC, AWS's default
	// (docs/aws-behaviour.md §1.6).
	TimeZone string `yaml:"time_zone"`
	// Min, Max and Desired are the new values; nil leaves one unchanged.
	// At least one is set.
	Min     *int `yaml:"min"`
	Max     *int `yaml:"max"`
	Desired *int `yaml:"desired"`
}

// Policy types, as written in PolicyConfig.Type.
const (
	PolicyTargetTracking = "target_tracking"
	PolicyStep           = "step"
	PolicySimple         = "simple"
	PolicyScheduled      = "scheduled"
	PolicyPredictive     = "predictive"
)

// Limits on a horizontal group's configuration.
const (
	// MaxPolicies is the most scaling policies (and scheduled entries) of
	// a group: AWS's default quota is 50 (docs/aws-behaviour.md §1.1).
	MaxPolicies = 50
	// MaxScheduledActions is the most scheduled actions of a group: AWS's
	// default quota is 125 (docs/aws-behaviour.md §1.1, §1.6).
	MaxScheduledActions = 125
	// MaxStepAdjustments is the most steps of a step policy: 20
	// (docs/aws-behaviour.md §1.1, §1.4).
	MaxStepAdjustments = 20
	// MaxInstanceWarmup is the longest warm-up: DefaultInstanceWarmup's
	// documented range is 0–3600 s (docs/aws-behaviour.md §1.3); the simulator
	// applies the same range to EstimatedInstanceWarmup.
	MaxInstanceWarmup = 3600 * sim.Second
	// MaxCooldown is the longest cooldown the simulator accepts. AWS
	// documents no upper bound (docs/aws-behaviour.md §1.5); a day is the
	// simulator's limit.
	MaxCooldown = sim.Day
)
