package html_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/html"
)

// ExampleWrite writes the report of a one-strategy run.
func ExampleWrite() {
	r := &reports.Result{
		Scenario: "example", Seed: 1, DurationS: 120, Replications: 1,
		Strategies: []reports.StrategySummary{{Name: "fixed", Type: "static",
			Availability: reports.Availability{MinutesMeetingSLO: 1}, CostUSD: reports.Cost{Total: 0.02}}},
		Series: []reports.MinuteRow{
			{Strategy: "fixed", Minute: 0, Arrivals: 600, Completed: 600, P99MS: 80, InstancesInService: 1},
			{Strategy: "fixed", Minute: 1, Arrivals: 600, Completed: 600, P99MS: 85, InstancesInService: 1},
		},
	}
	var buf bytes.Buffer
	if err := html.Write(&buf, r, []byte("name: example\n")); err != nil {
		fmt.Println(err)
		return
	}
	page := buf.String()
	fmt.Println(strings.HasPrefix(page, "<!DOCTYPE html>"), strings.Count(page, "<svg"), "charts")
	fmt.Println(strings.Contains(page, "Verdict:</strong> fixed was the cheapest strategy"))
	// Output:
	// true 7 charts
	// true
}
