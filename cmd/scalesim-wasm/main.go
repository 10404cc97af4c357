//go:build js && wasm

// Command scalesim-wasm is the simulator of the browser playground (web/):
// `make web` builds it with GOOS=js GOARCH=wasm into web/main.wasm, which
// web/worker.js runs in a Web Worker. It sets globalThis.scalesim to three
// functions, then waits for calls:
//
//	scalesim.scenarios()                  // the built-in scenarios
//	scalesim.knobs(name)                  // the knobs of one
//	scalesim.run(request, onProgress)     // a run: playground.Request as JSON
//
// Each returns JSON: {"result": ...} with what package playground returns
// (Scenarios, Knobs, an Outcome), or {"error": "message"}. run calls
// onProgress(done, total), simulated seconds, whenever another tenth of a
// percent is done; the worker posts it on to the page, which paints while
// the worker runs. Only this command touches syscall/js.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"syscall/js"

	"github.com/scalesim/scalesim/playground"
	"github.com/scalesim/scalesim/scenarios"
)

func main() {
	p := playground.New(scenarios.DefaultSchema())
	api := js.Global().Get("Object").New()
	api.Set("scenarios", export(func([]js.Value) (any, error) {
		return playground.Scenarios(), nil
	}))
	api.Set("knobs", export(func(args []js.Value) (any, error) {
		if len(args) < 1 || args[0].Type() != js.TypeString {
			return nil, fmt.Errorf("knobs: want a scenario name")
		}
		return p.Knobs(args[0].String())
	}))
	api.Set("run", export(func(args []js.Value) (any, error) {
		if len(args) < 1 || args[0].Type() != js.TypeString {
			return nil, fmt.Errorf("run: want a request as JSON")
		}
		var req playground.Request
		if err := json.Unmarshal([]byte(args[0].String()), &req); err != nil {
			return nil, fmt.Errorf("run: the request is not valid JSON: %w", err)
		}
		var progress func(done, total float64)
		if len(args) > 1 && args[1].Type() == js.TypeFunction {
			progress = throttled(args[1])
		}
		return p.Run(context.Background(), req, progress)
	}))
	js.Global().Set("scalesim", api)
	select {} // serve calls until the worker ends
}

// reply is what every exported function returns, as JSON.
type reply struct {
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

// export wraps f as a JavaScript function returning a reply as JSON. A
// panic becomes an error reply, so that the page shows it and the
// simulator stays up for the next call.
func export(f func(args []js.Value) (any, error)) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = encode(reply{Error: fmt.Sprintf("internal error: %v", r)})
			}
		}()
		res, err := f(args)
		if err != nil {
			return encode(reply{Error: err.Error()})
		}
		return encode(reply{Result: res})
	})
}

// encode marshals r, or an error reply if it does not marshal.
func encode(r reply) string {
	b, err := json.Marshal(r)
	if err != nil {
		b, _ = json.Marshal(reply{Error: "encoding the reply: " + err.Error()})
	}
	return string(b)
}

// throttled returns a progress function that calls fn(done, total) when
// another thousandth of the run is done, and at the end.
func throttled(fn js.Value) func(done, total float64) {
	last := -1.0
	return func(done, total float64) {
		if total <= 0 {
			return
		}
		step := math.Floor(1000 * done / total)
		if step == last {
			return
		}
		last = step
		fn.Invoke(done, total)
	}
}
