// Package playground is what the browser playground (web/) runs: the
// built-in scenarios to pick from, the sliders (knobs) each one offers,
// and a run with the sliders' values applied as --set overrides, rendered
// as the HTML report's results.
//
//	p := playground.New(scenarios.DefaultSchema())
//	knobs, err := p.Knobs("default")
//	out, err := p.Run(ctx, playground.Request{Scenario: "default",
//		Values: map[string]float64{"workload.peak": 3000}}, nil)
//	// out.HTML is html.WriteResults's fragment; out.Command the same run
//	// as a scalesim run command line.
//
// A knob changes the scenario only through --set flags (Sets), which
// scenarios.Schema.Builtin applies exactly as `scalesim run --set` does,
// so a run here and its Command give the same figures. Each sort of knob
// (peak traffic, service time, an ASG's min, max and target, its warm
// pool, a vertical strategy's ladder top, a stream's consumers) is one
// entry of kinds. The package knows nothing of the browser:
// cmd/scalesim-wasm carries it there.
package playground
