// Package strategies holds scaling policies. A policy is a pure function of
// what a real controller could observe: it reads an Observation (the clock,
// the metric periods already published, the fleet as the control plane sees
// it) and returns a Decision (the desired state). It does no I/O, reads no
// clock and owns no randomness it did not get from its constructor, so every
// policy can be tested from a table of observations without a simulation.
package strategies
