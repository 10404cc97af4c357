package strategies

// Policy is one scaling policy of a Horizontal group: target tracking,
// step, simple or predictive. (Scheduled actions are not policies: they
// change the group's bounds and desired capacity directly.)
//
// The group calls Propose on every policy at every decision, so each
// policy sees every published period once; a policy keeps its alarms and
// cooldowns between calls and, like a Strategy, depends only on the
// sequence of observations it was given.
type Policy interface {
	// Name describes the policy in reasons, e.g. "target tracking cpu".
	Name() string
	// JointScaleIn reports whether the policy scales in only with the
	// agreement of every other policy that reports the same: target
	// tracking policies with scale-in enabled (docs/aws-behaviour.md
	// §1.2). A policy that reports false acts on its own alarm, and its
	// scale-in needs no one's agreement.
	JointScaleIn() bool
	// Propose returns what the policy wants given the observation, whose
	// Fleet.Desired is the group's current desired capacity, and the
	// group's bounds now.
	Propose(obs Observation, b Bounds) Proposal
}

// Bounds are a group's capacity limits; Min <= Max.
type Bounds struct{ Min, Max int }

// Clamp returns n within the bounds.
func (b Bounds) Clamp(n int) int { return min(max(n, b.Min), b.Max) }

// Vote is a policy's verdict at one decision.
type Vote int

// The votes.
const (
	Hold     Vote = iota // no change wanted (alarm OK, no data, cooldown, blocked)
	ScaleOut             // Proposal.Desired is above the current desired capacity
	ScaleIn              // Proposal.Desired is below the current desired capacity
)

// String names the vote.
func (v Vote) String() string {
	switch v {
	case ScaleOut:
		return "scale-out"
	case ScaleIn:
		return "scale-in"
	}
	return "hold"
}

// Proposal is one policy's answer.
type Proposal struct {
	Vote    Vote
	Desired int // the wanted capacity, within the bounds; meaningful unless Vote is Hold
	// Floor is a capacity the policy holds the group at or above until it
	// says otherwise; 0 for none. A predictive policy's forecast for the
	// coming hour is a floor: the group takes the maximum of it and what
	// the dynamic policies want (docs/aws-behaviour.md §1.7).
	Floor int
	// MaxOverride, when above the group's Max, is how far the policy lets
	// the group exceed Max (predictive IncreaseMaxCapacity); 0 for none.
	MaxOverride int
	Reason      string // one line: the rule and the values it saw
}

// propose builds the proposal for moving from current to want: a scale-out
// or scale-in vote when they differ, a hold otherwise.
func propose(current, want int, reason string) Proposal {
	switch {
	case want > current:
		return Proposal{Vote: ScaleOut, Desired: want, Reason: reason}
	case want < current:
		return Proposal{Vote: ScaleIn, Desired: want, Reason: reason}
	}
	return Proposal{Vote: Hold, Desired: current, Reason: reason}
}
