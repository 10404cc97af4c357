package records

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The texts EC2 Auto Scaling writes in an activity's Description and
// Cause (docs/records.md lists the pages they come from). The composers
// here write them as AWS does, so that a record made from a simulation
// reads like a real one; the parsers read them back.

const (
	launchPrefix     = "Launching a new EC2 instance"
	launchedPrefix   = launchPrefix + ": "
	fromPoolPrefix   = launchPrefix + " from warm pool: "
	failedPrefix     = launchPrefix + ".  Status Reason: "
	terminatePrefix  = "Terminating EC2 instance: "
	desiredChangeFmt = "At %s %s changing the desired capacity from %d to %d."
)

// LaunchDescription is the Description of an activity that launched the
// instance: "Launching a new EC2 instance: i-0abc...".
func LaunchDescription(instance string) string { return launchedPrefix + instance }

// FailedLaunchDescription is the Description of a launch that failed for
// reason, the activity's StatusMessage: "Launching a new EC2 instance.
// Status Reason: We currently do not have sufficient ... capacity ...".
func FailedLaunchDescription(reason string) string { return failedPrefix + reason }

// TerminateDescription is the Description of an activity that terminated
// the instance: "Terminating EC2 instance: i-0abc...".
func TerminateDescription(instance string) string { return terminatePrefix + instance }

// AlarmTrigger is how a Cause names a scaling policy run by a CloudWatch
// alarm: "a monitor alarm ALARM in state ALARM triggered policy POLICY".
func AlarmTrigger(alarm, policy string) string {
	return "a monitor alarm " + alarm + " in state ALARM triggered policy " + policy
}

// ScheduledTrigger is how a Cause names a scheduled action that set the
// group's size: "a scheduled action update of AutoScalingGroup
// constraints to min: 2, max: 10, desired: 5".
func ScheduledTrigger(minSize, maxSize, desired int) string {
	return "a scheduled action update of " + constraints(minSize, maxSize, desired)
}

// UserTrigger is how a Cause names a user's update of the group's size:
// "a user request update of AutoScalingGroup constraints to min: 1, max:
// 10, desired: 2".
func UserTrigger(minSize, maxSize, desired int) string {
	return "a user request update of " + constraints(minSize, maxSize, desired)
}

func constraints(minSize, maxSize, desired int) string {
	return fmt.Sprintf("AutoScalingGroup constraints to min: %d, max: %d, desired: %d", minSize, maxSize, desired)
}

// ChangeCause is the clause a Cause starts with when a trigger changed
// the desired capacity: "At 2026-01-10T02:06:00Z TRIGGER changing the
// desired capacity from 2 to 4." The instant is written in whole seconds.
func ChangeCause(c Change) string {
	return fmt.Sprintf(desiredChangeFmt, formatInstant(c.At), c.Trigger, c.From, c.To)
}

// LaunchCause is the Cause of a launch started at startedAt that took the
// group's capacity from one count to the next: the desired-capacity
// change that asked for it, when c is not nil, then "At T an instance was
// started in response to a difference between desired and actual
// capacity, increasing the capacity from FROM to TO." With c nil it is
// the Cause of a replacement (of an unhealthy instance, say).
func LaunchCause(c *Change, startedAt time.Time, from, to int) string {
	return withChange(c, fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.",
		formatInstant(startedAt), from, to))
}

// TerminateCause is the Cause of a termination decided at at: the
// desired-capacity change that asked for it, when c is not nil, then "At
// T an instance was taken out of service in response to a difference
// between desired and actual capacity, shrinking the capacity from FROM
// to TO." and, when instance is not empty, "At T instance I was selected
// for termination."
func TerminateCause(c *Change, at time.Time, from, to int, instance string) string {
	s := fmt.Sprintf("At %s an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from %d to %d.",
		formatInstant(at), from, to)
	if instance != "" {
		s += fmt.Sprintf("  At %s instance %s was selected for termination.", formatInstant(at), instance)
	}
	return withChange(c, s)
}

// UnhealthyCause is the Cause of the termination of an instance found
// unhealthy at at: by the EC2 status checks, or with elb by the load
// balancer's health checks.
func UnhealthyCause(at time.Time, elb bool) string {
	why := "an EC2 health check indicating it has been terminated or stopped"
	if elb {
		why = "an ELB system health check failure"
	}
	return fmt.Sprintf("At %s an instance was taken out of service in response to %s.", formatInstant(at), why)
}

// withChange puts the change's clause before s; the clauses of a Cause
// are separated by two spaces.
func withChange(c *Change, s string) string {
	if c == nil {
		return s
	}
	return ChangeCause(*c) + "  " + s
}

// describe reads what a Description says of the activity's kind and
// instance. An instance launched from the warm pool into the group is a
// launch; one launched into the warm pool is not (Other), as it does not
// join the group's capacity.
func describe(desc string) (Kind, string) {
	switch {
	case strings.HasPrefix(desc, launchedPrefix):
		return Launch, firstWord(desc[len(launchedPrefix):])
	case strings.HasPrefix(desc, fromPoolPrefix):
		return Launch, firstWord(desc[len(fromPoolPrefix):])
	case strings.HasPrefix(desc, launchPrefix+"."):
		return Launch, ""
	case strings.HasPrefix(desc, terminatePrefix):
		return Terminate, firstWord(desc[len(terminatePrefix):])
	}
	for _, w := range strings.Fields(desc) {
		if w = strings.TrimRight(w, ".,;:)"); isInstanceID(w) {
			return Other, w
		}
	}
	return Other, ""
}

// isInstanceID reports whether s reads as an EC2 instance ID: "i-" and
// 8 (older IDs) to 17 hexadecimal digits.
func isInstanceID(s string) bool {
	hex, ok := strings.CutPrefix(s, "i-")
	if !ok || len(hex) < 8 || len(hex) > 17 {
		return false
	}
	for _, c := range hex {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// firstWord returns s up to its first space.
func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// firstClause returns a Cause's first clause: up to the full stop that
// the next clause's "At YYYY-" follows.
func firstClause(cause string) string {
	for i := 0; i < len(cause); i++ {
		if cause[i] != '.' {
			continue
		}
		rest := strings.TrimLeft(cause[i+1:], " \t\r\n")
		if len(rest) < len(cause[i+1:]) && startsClause(rest) {
			return cause[:i+1]
		}
	}
	return cause
}

// startsClause reports whether s starts "At " and a four-digit year.
func startsClause(s string) bool {
	year, ok := strings.CutPrefix(s, "At ")
	if !ok || len(year) < 5 || year[4] != '-' {
		return false
	}
	for _, c := range year[:4] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// causeError is what is wrong with a Cause, for an *InputError.
type causeError struct{ msg, hint string }

// changeMarker introduces the capacities of a desired-capacity change.
const changeMarker = " changing the desired capacity from "

// parseChange reads the desired-capacity change a Cause's first clause
// states, "At INSTANT TRIGGER changing the desired capacity from X to
// Y.", and nil if it states none.
func parseChange(cause string) (*Change, *causeError) {
	clause := firstClause(strings.TrimSpace(cause))
	rest, ok := strings.CutPrefix(clause, "At ")
	mark := strings.LastIndex(rest, changeMarker)
	sp := strings.IndexByte(rest, ' ')
	if !ok || mark < 0 || sp <= 0 || sp >= mark || !strings.HasSuffix(rest, ".") {
		return nil, nil
	}
	instant, trigger := rest[:sp], rest[sp+1:mark]
	from, to, ok := strings.Cut(strings.TrimSuffix(rest[mark+len(changeMarker):], "."), " to ")
	if !ok || from == "" || to == "" || strings.ContainsAny(from+to, " \t\r\n") {
		return nil, nil
	}
	const hint = `a Cause states a change as "At 2026-01-10T02:06:00Z TRIGGER changing the desired capacity from 2 to 4."`
	at, ok := parseTime(instant)
	if !ok {
		return nil, &causeError{fmt.Sprintf("the Cause's instant %q is not a date-time", clip(instant)), hint}
	}
	x, err1 := strconv.Atoi(from)
	y, err2 := strconv.Atoi(to)
	if err1 != nil || err2 != nil || x < 0 || y < 0 {
		return nil, &causeError{fmt.Sprintf("the Cause changes the desired capacity from %q to %q: a capacity is a whole number of instances, 0 or more",
			clip(from), clip(to)), hint}
	}
	return &Change{At: at, From: x, To: y, Trigger: trigger}, nil
}
