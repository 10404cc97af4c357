package main

import (
	"os"
	"strings"
	"testing"
)

// overloaded turns goodScenario into one m5.large (40 requests/s) under
// 20,000 a second with every limit removed: no queue limit, no timeout, no
// idle timeout.
var overloaded = []string{"--set", "duration=5m", "--set", "workload.rate=20000", "--set", "strategies.fixed.count=1",
	"--set", "service.queue_limit=0", "--set", "load_balancer.idle_timeout=0s"}

// TestMaxInFlightStopsTheRun: a run that would hold more requests than
// --max-in-flight stops with one line naming the strategy, the minute and
// the limits to set, exits 2, and writes no report or bundle.
func TestMaxInFlightStopsTheRun(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("s.yaml", []byte(goodScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	out := "bundle"
	stdout, stderr, code := runCLI(t, append([]string{"run", "s.yaml", "--max-in-flight", "100000", "--out", out, "--no-progress"}, overloaded...)...)
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr %q", code, stderr)
	}
	if stdout != "" {
		t.Errorf("a report was printed:\n%s", stdout)
	}
	ls := lines(stderr)
	if len(ls) != 1 || !strings.Contains(ls[0], "strategy fixed holds") || !strings.Contains(ls[0], "at minute 0") ||
		!strings.Contains(ls[0], "service.queue_limit") || !strings.Contains(ls[0], "--max-in-flight") {
		t.Errorf("stderr %q, want one line naming the strategy, the minute and the limits", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the bundle directory exists (%v): nothing may be written", err)
	}
	// The same run within its budget, and with the budget off, completes.
	for _, flag := range []string{"--max-in-flight=7000000", "--max-in-flight=0"} {
		args := append([]string{"run", "s.yaml", flag, "-o", "csv", "--no-progress"}, overloaded...)
		if _, stderr, code := runCLI(t, append(args, "--set", "duration=1m")...); code != 0 {
			t.Errorf("%s: exit %d: %s", flag, code, stderr)
		}
	}
	if _, stderr, code := runCLI(t, "run", "s.yaml", "--max-in-flight", "-1"); code != 2 || !strings.Contains(stderr, "--max-in-flight must be 0") {
		t.Errorf("--max-in-flight -1: exit %d, %q", code, stderr)
	}
}
