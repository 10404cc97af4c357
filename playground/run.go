package playground

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/scalesim/scalesim/reports/html"
	"github.com/scalesim/scalesim/scenarios"
)

// Scenario is a built-in scenario the page offers.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Scenarios lists the built-in scenarios (scenarios.Builtins), by name.
func Scenarios() []Scenario {
	var out []Scenario
	for _, b := range scenarios.Builtins() {
		out = append(out, Scenario{Name: b.Name, Description: b.Description})
	}
	return out
}

// Request is a run the page asks for.
type Request struct {
	// Scenario is the name of a built-in scenario.
	Scenario string `json:"scenario"`
	// Values gives knobs values, by knob ID; a knob left out keeps the
	// scenario's value.
	Values map[string]float64 `json:"values"`
}

// Outcome is a finished run.
type Outcome struct {
	// Scenario is the scenario's name.
	Scenario string `json:"scenario"`
	// Sets are the --set flags the knobs' values made, in order.
	Sets []string `json:"sets"`
	// Command is the scalesim run command line that runs the same.
	Command string `json:"command"`
	// Strategies are the strategies run, in scenario order.
	Strategies []string `json:"strategies"`
	// HTML is the results, as html.WriteResults writes them.
	HTML string `json:"html"`
}

// Playground answers the page with the strategy families of a schema.
type Playground struct {
	schema *scenarios.Schema
}

// New returns a Playground whose scenarios use the families of schema.
func New(schema *scenarios.Schema) *Playground { return &Playground{schema: schema} }

// Knobs returns the knobs of the built-in scenario name.
func (p *Playground) Knobs(name string) ([]Knob, error) {
	sc, err := p.schema.Builtin(name, nil)
	if err != nil {
		return nil, err
	}
	return Knobs(sc)
}

// Run loads the request's scenario with the --set flags of its knobs'
// values and runs it, as scalesim run does; progress, when not nil, is
// called as scenarios.RunOptions.Progress is. A bad value is an error
// naming the flag it made, as scalesim run reports it.
func (p *Playground) Run(ctx context.Context, req Request, progress func(done, total float64)) (*Outcome, error) {
	knobs, err := p.Knobs(req.Scenario)
	if err != nil {
		return nil, err
	}
	sets, err := Sets(knobs, req.Values)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", req.Scenario, err)
	}
	sc, err := p.schema.Builtin(req.Scenario, sets)
	if err != nil {
		return nil, err
	}
	res, err := scenarios.Run(ctx, sc, scenarios.RunOptions{Progress: progress, MaxInFlight: scenarios.DefaultMaxInFlight})
	if err != nil {
		return nil, err
	}
	y, err := sc.YAML()
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", req.Scenario, err)
	}
	var buf bytes.Buffer
	if err := html.WriteResults(&buf, res, y); err != nil {
		return nil, err
	}
	return &Outcome{Scenario: sc.Name(), Sets: sets, Command: Command(req.Scenario, sets),
		Strategies: sc.StrategyNames(), HTML: buf.String()}, nil
}

// Command returns the scalesim run command line that runs the built-in
// scenario name with the --set flags sets, each quoted for a POSIX shell
// where it needs to be.
func Command(name string, sets []string) string {
	parts := []string{"scalesim", "run", shellQuote(name)}
	for _, s := range sets {
		parts = append(parts, "--set", shellQuote(s))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell unless it is made only of
// characters that need no quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/:=+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
