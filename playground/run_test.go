package playground

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/html"
	"github.com/scalesim/scalesim/scenarios"
)

// TestRunIsTheCommand: a run with knobs gives the results that its
// command line's scenario gives, byte for byte, with one row per strategy
// in the headline table, and reports progress.
func TestRunIsTheCommand(t *testing.T) {
	schema := scenarios.DefaultSchema()
	var calls int
	var last, total float64
	out, err := New(schema).Run(context.Background(),
		Request{Scenario: "mmc", Values: map[string]float64{"workload.rate": 60, "service.time": 40}},
		func(done, tot float64) { calls, last, total = calls+1, done, tot })
	if err != nil {
		t.Fatal(err)
	}
	if want := "scalesim run mmc --set workload.rate=60 --set service.time.mean=40ms"; out.Command != want {
		t.Errorf("command %q, want %q", out.Command, want)
	}
	if calls == 0 || last != total || total != 3600 {
		t.Errorf("%d progress calls, last %v of %v; want some, ending at 3600 of 3600", calls, last, total)
	}
	var want bytes.Buffer
	sc, err := schema.Builtin("mmc", out.Sets) // what scalesim run --set loads
	var res *reports.Result
	if err == nil {
		res, err = scenarios.Run(context.Background(), sc, scenarios.RunOptions{})
	}
	var y []byte
	if err == nil {
		y, err = sc.YAML()
	}
	if err == nil {
		err = html.WriteResults(&want, res, y)
	}
	if err != nil {
		t.Fatal(err)
	}
	if out.HTML != want.String() {
		t.Error("the playground's results differ from those of its command's scenario")
	}
	if !strings.Contains(out.HTML, "rate: 60") || strings.Count(out.HTML, `<tr><th scope="row">fixed</th>`) != 1 {
		t.Errorf("the results lack the overridden rate or the strategy's headline row")
	}
}

// TestRunErrors: a bad request fails with the message scalesim run would
// print, naming the file, the line or the flag.
func TestRunErrors(t *testing.T) {
	p := New(scenarios.DefaultSchema())
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Scenario: "nope"}, "no such built-in scenario"},
		{Request{Scenario: "default", Values: map[string]float64{"strategies.asg.min": 50}},
			"builtin/default.yaml:85: strategies.asg.max: must be at least min (50) (got 40)"},
		{Request{Scenario: "default", Values: map[string]float64{"strategies.asg.warm_pool.size": 60}},
			"--set strategies.asg.warm_pool.size=60"},
		{Request{Scenario: "default", Values: map[string]float64{"bogus": 1}}, `scenario default: no knob "bogus"`},
	} {
		_, err := p.Run(context.Background(), tc.req, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Run(%+v): error %v, want %q", tc.req, err, tc.want)
		}
	}
}

func TestCommandQuotes(t *testing.T) {
	got := Command("default", []string{"strategies.resize.ladder=[m5.large, m5.xlarge]", "workload.peak=3000", "x=it's"})
	want := `scalesim run default --set 'strategies.resize.ladder=[m5.large, m5.xlarge]' --set workload.peak=3000 --set 'x=it'\''s'`
	if got != want {
		t.Errorf("Command = %s\nwant      %s", got, want)
	}
}
