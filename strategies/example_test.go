package strategies_test

import (
	"fmt"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
)

func ExampleParseCron() {
	// Weekdays at 09:00 UTC; simulated time zero is Monday 00:00.
	c, err := strategies.ParseCron("0 9 * * 1-5")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := sim.Time(-1)
	for range 3 {
		t = c.Next(t)
		fmt.Println(sim.Duration(t))
	}
	_, err = strategies.ParseCron("0 9 * * 1-8")
	fmt.Println(err)
	// Output:
	// 9h0m0s
	// 33h0m0s
	// 57h0m0s
	// cron "0 9 * * 1-8": day-of-week: 8 is out of range 0-7
}

func ExampleNewHorizontal() {
	h, err := strategies.NewHorizontal(strategies.HorizontalConfig{
		Name: "asg", InstanceType: "m5.xlarge", Min: 2, Max: 20, Initial: 6,
		Policies: []strategies.PolicyConfig{{Type: "target_tracking", Metric: "cpu", Target: 50}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Three one-minute datapoints of six instances, each published a
	// minute after it ends.
	var periods []strategies.Period
	desired := h.Initial().Desired
	for i, cpu := range []float64{72.1, 80.4, 77.9} {
		start := sim.Time(i) * sim.Time(sim.Minute)
		periods = append(periods, strategies.Period{Start: start, End: start.Add(sim.Minute), Instances: 6, CPU: cpu})
		d := h.Decide(strategies.Observation{
			Now:     start.Add(2 * sim.Minute),
			Periods: periods,
			Fleet:   strategies.FleetView{InstanceType: "m5.xlarge", Desired: desired, InService: 6},
		})
		desired = d.Desired
		fmt.Println(d.Desired, d.Reason)
	}
	// Output:
	// 6 hold at 6: target tracking cpu: AlarmHigh INSUFFICIENT_DATA, AlarmLow INSUFFICIENT_DATA
	// 6 hold at 6: target tracking cpu: AlarmHigh INSUFFICIENT_DATA, AlarmLow INSUFFICIENT_DATA
	// 10 target tracking cpu: AlarmHigh 3 of 3 datapoints above 50 (72.1, 80.4, 77.9); ceil(6 × 77.9 / 50) = 10 → desired 6→10
}
