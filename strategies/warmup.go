package strategies

import "github.com/scalesim/scalesim/sim"

// InstanceWarmup resolves the instance warm-up of a target tracking or
// step policy by the documented fall-backs (docs/aws-behaviour.md §1.3): the
// policy's EstimatedInstanceWarmup if set; else the group's
// DefaultInstanceWarmup if set (a negative value means cleared, as AWS's
// -1); else the group's default cooldown (DefaultCooldown, 300 s, unless
// the group sets another). nil means not set.
func InstanceWarmup(estimated, groupDefault *sim.Duration, defaultCooldown sim.Duration) sim.Duration {
	if estimated != nil && *estimated >= 0 {
		return *estimated
	}
	if groupDefault != nil && *groupDefault >= 0 {
		return *groupDefault
	}
	return defaultCooldown
}
