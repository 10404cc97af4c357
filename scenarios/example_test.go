package scenarios_test

import (
	"fmt"
	"testing/fstest"

	"github.com/scalesim/scalesim/scenarios"
)

func ExampleLoad() {
	fsys := fstest.MapFS{"mmc.yaml": {Data: []byte(`name: mmc
duration: 1h
workload:
  type: poisson
  rate: -5
service:
  time: {dist: exponential, mean: 50ms}
strategies:
  - {name: fixed, type: static, instance_type: m5.xlarge, count: 5}
`)}}
	_, err := scenarios.Load(fsys, "mmc.yaml", nil)
	fmt.Println(err)
	_, err = scenarios.Load(fsys, "mmc.yaml", []string{"workload.rat=5"})
	fmt.Println(err)
	sc, err := scenarios.Load(fsys, "mmc.yaml", []string{"workload.rate=350"})
	fmt.Println(sc.Spec.Workload.Rate, sc.Spec.SLO.Latency, err)
	// Output:
	// mmc.yaml:5: workload.rate: must be > 0 (got -5); set a positive requests-per-second
	// --set workload.rat=5: unknown key "rat" in workload; did you mean "rate"?
	// 350 300ms <nil>
}

func ExampleBuiltins() {
	for _, b := range scenarios.Builtins() {
		fmt.Printf("%-20s %s\n", b.Name, b.Description)
	}
	// Output:
	// azure-llm            Azure LLM code completions, 2023 (real request times) on g5 GPUs: ASG, warm pool, static
	// default              E-commerce recommendation model facing a flash sale; the four families, the group reactive and prepared
	// exam                 Teaching: the certification question (RDS, ASG, S3 batch, Kinesis, vertical) run on varying traffic
	// fraud-detection      Real-time fraud scoring: 50 ms SLO, diurnal traffic, a zone outage at the peak
	// image-classification Large, bursty image uploads: a size-limited stream vs autoscaling vs a fixed fleet
	// kubernetes           The flash sale on an EKS cluster: HPA on cold nodes, HPA with headroom, VPA in place, beside an Auto Scaling group
	// mmc                  Teaching: five M/M/4 queues; compare with Erlang C
	// nasa-launch          NASA web site on the 1995 shuttle launch morning (real per-second trace, ×50): ASG vs static
	// vertical-wins        Teaching: a small steady load where one right-sized instance beats an ASG on cost
	// worldcup98           World Cup 98 semi-final flash crowds (real per-minute trace, scaled): ASG, static, resize
}
