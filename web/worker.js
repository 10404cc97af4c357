// The playground's simulator: main.wasm (cmd/scalesim-wasm) runs here, in
// a Web Worker, so that the page stays responsive and paints the progress
// while a run takes the worker's thread. The page sends {id, type, ...};
// every message gets one final answer, {id, type: "result", result} or
// {id, type: "error", message}, and a run's progress comes before it as
// {id, type: "progress", done, total}.
'use strict';

// What the Go program printed last (a panic's message, say), for errors.
const output = [];
const consoleLog = console.log.bind(console);
console.log = (...args) => {
  output.push(args.join(' '));
  if (output.length > 20) output.shift();
  consoleLog(...args);
};

importScripts('wasm_exec.js');

const ready = (async () => {
  const go = new Go();
  const resp = await fetch('main.wasm');
  if (!resp.ok) {
    throw new Error(`main.wasm: HTTP ${resp.status} ${resp.statusText}: build it with 'make web'`);
  }
  let module;
  if (WebAssembly.instantiateStreaming && resp.headers.get('Content-Type') === 'application/wasm') {
    module = await WebAssembly.instantiateStreaming(resp, go.importObject);
  } else { // a host that serves .wasm under another type
    module = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  go.run(module.instance); // returns once main waits; scalesim is then set
  if (!self.scalesim) {
    throw new Error('the simulator did not start: ' + output.join('\n'));
  }
  return go;
})();

// call runs one of the simulator's functions and returns its result, or
// throws its error.
function call(go, name, ...args) {
  if (go.exited) {
    throw new Error('the simulator has stopped; reload the page. It said: ' + output.join('\n'));
  }
  const raw = self.scalesim[name](...args);
  if (typeof raw !== 'string') {
    throw new Error('the simulator stopped during the call; reload the page. It said: ' + output.join('\n'));
  }
  const reply = JSON.parse(raw);
  if (reply.error) throw new Error(reply.error);
  return reply.result;
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    const go = await ready;
    let result;
    switch (msg.type) {
      case 'scenarios':
        result = call(go, 'scenarios');
        break;
      case 'knobs':
        result = call(go, 'knobs', msg.scenario);
        break;
      case 'run': {
        const progress = (done, total) => self.postMessage({ id: msg.id, type: 'progress', done, total });
        result = call(go, 'run', JSON.stringify(msg.request), progress);
        break;
      }
      default:
        throw new Error(`unknown request ${msg.type}`);
    }
    self.postMessage({ id: msg.id, type: 'result', result });
  } catch (err) {
    self.postMessage({ id: msg.id, type: 'error', message: String((err && err.message) || err) });
  }
};
