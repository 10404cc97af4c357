package charts_test

import (
	"bytes"
	"fmt"
	"image/png"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
)

// ExampleRender draws the instances chart of a three-minute run as a PNG.
func ExampleRender() {
	r := &reports.Result{
		Scenario: "example", DurationS: 180, SLOLatencyMS: 300,
		Strategies: []reports.StrategySummary{{Name: "asg", Type: "horizontal"}},
		Series: []reports.MinuteRow{
			{Strategy: "asg", Minute: 0, Arrivals: 6000, Completed: 6000, P99MS: 120, InstancesInService: 2, InstancesPending: 2},
			{Strategy: "asg", Minute: 1, Arrivals: 9000, Completed: 8900, P99MS: 250, InstancesInService: 4},
			{Strategy: "asg", Minute: 2, Arrivals: 9000, Completed: 9000, P99MS: 130, InstancesInService: 4},
		},
	}
	var buf bytes.Buffer
	if err := charts.Render(&buf, r, "instances", "png"); err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(charts.Title("instances"), img.Bounds().Size())
	// Output: Instances in service and pending (768,432)
}
