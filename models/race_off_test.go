//go:build !race

package models_test

// raceDetector reports whether the tests run under the race detector,
// which slows the engine about tenfold: the statistical validations, which
// exercise no concurrency, leave that pass to the plain one.
const raceDetector = false
