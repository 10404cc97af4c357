package strategies

import "fmt"

// AdjustmentType is how a step or simple policy's adjustment is read
// (docs/aws-behaviour.md §1.4).
type AdjustmentType string

// The three adjustment types.
const (
	// ChangeInCapacity adds the adjustment (negative removes).
	ChangeInCapacity AdjustmentType = "change_in_capacity"
	// ExactCapacity sets the capacity to the adjustment.
	ExactCapacity AdjustmentType = "exact_capacity"
	// PercentChangeInCapacity adds the adjustment's percentage of the
	// current capacity, rounded as RoundPercentChange describes.
	PercentChangeInCapacity AdjustmentType = "percent_change_in_capacity"
)

// ParseAdjustmentType returns the adjustment type named s.
func ParseAdjustmentType(s string) (AdjustmentType, error) {
	switch t := AdjustmentType(s); t {
	case ChangeInCapacity, ExactCapacity, PercentChangeInCapacity:
		return t, nil
	}
	return "", fmt.Errorf("unknown adjustment type %q: use change_in_capacity, exact_capacity or percent_change_in_capacity", s)
}

// Adjustment is one scaling adjustment. As in the Auto Scaling API,
// Value is an integer: instances, an exact capacity, or percent.
type Adjustment struct {
	Type  AdjustmentType
	Value int
	// MinMagnitude (MinAdjustmentMagnitude) is the least number of
	// instances a PercentChangeInCapacity adjustment adds or removes; 0
	// means no floor. Ignored by the other types, as in the API.
	MinMagnitude int
}

// StepAdjustment returns the capacity that applying adj to current gives,
// before any clamping to the group's bounds:
//
//   - ChangeInCapacity: current + Value;
//   - ExactCapacity: Value;
//   - PercentChangeInCapacity: current + RoundPercentChange(current, Value),
//     raised to MinMagnitude in size when that is set.
//
// It never returns less than zero.
func StepAdjustment(current int, adj Adjustment) int {
	var next int
	switch adj.Type {
	case ChangeInCapacity:
		next = current + adj.Value
	case ExactCapacity:
		next = adj.Value
	case PercentChangeInCapacity:
		d := RoundPercentChange(current, adj.Value)
		switch {
		case d > 0 && d < adj.MinMagnitude:
			d = adj.MinMagnitude
		case d < 0 && -d < adj.MinMagnitude:
			d = -adj.MinMagnitude
		}
		next = current + d
	default:
		next = current
	}
	return max(next, 0)
}

// RoundPercentChange returns percent% of current as a whole number of
// instances, rounded as Auto Scaling does (docs/aws-behaviour.md §1.4): values
// above 1 round down (12.7 → 12), values in (0, 1) become 1, values in
// (−1, 0) become −1, values below −1 round toward zero (−6.67 → −6). The
// arithmetic is exact: current × percent is an integer number of
// hundredths.
func RoundPercentChange(current, percent int) int {
	hundredths := current * percent
	switch {
	case hundredths == 0:
		return 0
	case hundredths > 0 && hundredths < 100:
		return 1
	case hundredths < 0 && hundredths > -100:
		return -1
	}
	return hundredths / 100 // Go's division truncates toward zero
}
