// The playground page: it asks the simulator (worker.js, running
// main.wasm) for the built-in scenarios and their knobs, draws a slider
// per knob, and on Run sends the scenario and the values that differ from
// the scenario's own; the results come back as the HTML report's sections
// (html.WriteResults), with the same run as a scalesim command line.
//
// The address holds the state: ?scenario=NAME, one parameter per changed
// knob (its id: workload.peak=3000), and run=1 to run on load. Every
// failure is shown on the page and logged to the console.
'use strict';

const $ = (id) => document.getElementById(id);

// el makes an element with attributes and children.
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

// Simulator is the worker, with requests answered by id.
class Simulator {
  constructor() {
    this.pending = new Map();
    this.next = 1;
    this.start();
  }

  start() {
    this.worker = new Worker('worker.js');
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      const why = e.message || 'worker.js or wasm_exec.js did not load';
      this.failAll(new Error(`the simulator failed: ${why} (build the page with 'make web')`));
    };
    this.worker.onmessageerror = () => this.failAll(new Error('the simulator sent a message that could not be read'));
  }

  // request sends a request and resolves to its result; onProgress gets a
  // run's progress.
  request(type, fields = {}, onProgress = null) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, type, ...fields });
    });
  }

  receive(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      if (p.onProgress) p.onProgress(msg.done, msg.total);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.result);
    else p.reject(new Error(msg.message));
  }

  failAll(err) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  // restart ends whatever the worker is doing and starts a fresh one.
  restart() {
    this.worker.terminate();
    const stopped = new Error('stopped');
    stopped.stopped = true;
    this.failAll(stopped);
    this.start();
  }
}

const sim = new Simulator();
// shown is the request whose results the page shows, as JSON.
const state = { scenarios: [], knobs: [], inputs: new Map(), running: false, shown: '' };
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

// showError shows a failure on the page and logs it.
function showError(message) {
  const box = $('error');
  box.append(el('p', {}, message));
  box.hidden = false;
  console.error('scalesim playground: ' + message);
}

function clearError() {
  $('error').replaceChildren();
  $('error').hidden = true;
}

function setStatus(text) { $('status-text').textContent = text; }

// format writes a knob's value with its unit.
function format(knob, v) {
  if (knob.labels) return knob.labels[Math.round(v)] ?? String(v);
  const n = numberFormat.format(v);
  if (!knob.unit) return n;
  return knob.unit.startsWith('%') ? n + knob.unit : n + ' ' + knob.unit;
}

// changed reports whether v differs from the knob's own value by half a
// step or more, as the simulator judges it.
function changed(knob, v) { return Math.abs(v - knob.value) >= knob.step / 2; }

function renderKnobs() {
  const box = $('knobs');
  box.replaceChildren();
  state.inputs.clear();
  let fieldset = null;
  let group = null;
  state.knobs.forEach((knob, i) => {
    if (knob.group !== group) {
      group = knob.group;
      fieldset = el('fieldset', {}, el('legend', {}, group));
      box.append(fieldset);
    }
    const id = `knob-${i}`;
    const input = el('input', { type: 'range', id, name: knob.id });
    const out = el('output', { for: id });
    const row = el('div', { class: 'knob' }, el('div', { class: 'knob-head' }, el('label', { for: id }, knob.label), out), input);
    if (knob.disabled) {
      input.disabled = true;
      row.classList.add('disabled');
      out.textContent = 'n/a';
      row.append(el('p', { class: 'note' }, 'Does not apply: ' + knob.disabled));
    } else {
      input.min = knob.min;
      input.max = knob.max;
      input.step = knob.step;
      input.value = knob.value;
      row.append(el('p', { class: 'note' }, "changed: the scenario's value is " + format(knob, knob.value)));
      const update = () => {
        const v = input.valueAsNumber;
        out.textContent = format(knob, v);
        row.classList.toggle('changed', changed(knob, v));
        markStale();
      };
      input.addEventListener('input', update);
      update();
      state.inputs.set(knob.id, { knob, input, update });
    }
    fieldset.append(row);
  });
  $('reset').disabled = state.inputs.size === 0;
}

// request is the run the controls describe.
function request() { return { scenario: $('scenario-pick').value, values: values() }; }

// markStale dims the results when the controls no longer describe them.
function markStale() {
  const results = $('results');
  if (results.dataset.state === 'done') {
    results.classList.toggle('stale', JSON.stringify(request()) !== state.shown);
  }
}

// values are the knobs that differ from the scenario, by id.
function values() {
  const out = {};
  for (const { knob, input } of state.inputs.values()) {
    if (changed(knob, input.valueAsNumber)) out[knob.id] = input.valueAsNumber;
  }
  return out;
}

// link is the address of the page with this scenario and these values.
function link(scenario, vals, run) {
  const p = new URLSearchParams({ scenario });
  for (const [id, v] of Object.entries(vals)) p.set(id, String(v));
  if (run) p.set('run', '1');
  return '?' + p.toString();
}

// applyParams sets the knobs named in the address; it returns false when
// one could not be set (and says why on the page).
function applyParams(params) {
  let ok = true;
  for (const [id, raw] of params) {
    if (id === 'scenario' || id === 'run') continue;
    const knob = state.knobs.find((k) => k.id === id);
    const entry = state.inputs.get(id);
    const v = Number(raw);
    if (!knob) {
      showError(`The address sets "${id}", which is no knob of this scenario.`);
    } else if (!entry) {
      showError(`The address sets "${id}", which does not apply here: ${knob.disabled}`);
    } else if (!Number.isFinite(v) || v < knob.min || v > knob.max) {
      showError(`The address sets ${knob.label} to "${raw}", outside its range ${format(knob, knob.min)} to ${format(knob, knob.max)}.`);
    } else {
      entry.input.value = v;
      entry.update();
      continue;
    }
    ok = false;
  }
  return ok;
}

async function selectScenario(name, params) {
  const info = state.scenarios.find((s) => s.name === name);
  $('scenario-pick').value = name;
  $('description').textContent = info ? info.description : '';
  state.knobs = await sim.request('knobs', { scenario: name });
  renderKnobs();
  return params ? applyParams(params) : true;
}

function setBusy(busy) {
  state.running = busy;
  $('run').disabled = busy;
  $('scenario-pick').disabled = busy;
  $('stop').hidden = !busy;
  $('progress').hidden = !busy;
}

function hours(seconds) {
  const h = seconds / 3600;
  return h >= 10 ? `${Math.round(h)} h` : `${numberFormat.format(Math.round(h * 10) / 10)} h`;
}

async function run() {
  if (state.running) return;
  clearError();
  const req = request();
  const results = $('results');
  setBusy(true);
  $('progress').value = 0;
  setStatus('Starting the simulation…');
  results.dataset.state = 'running';
  results.classList.add('stale');
  const started = performance.now();
  try {
    const out = await sim.request('run', { request: req }, (done, total) => {
      $('progress').max = total;
      $('progress').value = done;
      setStatus(`Simulating… ${Math.floor((100 * done) / total)}% · ${hours(done)} of ${hours(total)} of traffic`);
    });
    const ms = performance.now() - started;
    results.innerHTML = out.html; // made by html/template in the simulator
    results.dataset.state = 'done';
    results.dataset.ms = String(Math.round(ms));
    state.shown = JSON.stringify(req);
    markStale(); // the sliders may have moved during the run
    $('placeholder').hidden = true;
    const n = out.strategies.length;
    setStatus(`Done in ${(ms / 1000).toFixed(1)} s in this browser: ${out.scenario}, ${n} ${n === 1 ? 'strategy' : 'strategies'}.`);
    $('command').textContent = out.command;
    $('permalink').href = link(req.scenario, req.values, true);
    $('command-box').hidden = false;
    history.replaceState(null, '', link(req.scenario, req.values, false));
  } catch (err) {
    results.dataset.state = 'error';
    if (err.stopped) setStatus('Stopped.');
    else {
      setStatus('The run failed.');
      showError(err.message);
    }
  } finally {
    setBusy(false);
  }
}

async function init() {
  if (location.protocol === 'file:') {
    showError("Browsers do not run this page's simulator from a file: serve the directory over HTTP, e.g. with 'scalesim playground'.");
    return;
  }
  const select = $('scenario-pick');
  try {
    setStatus('Loading the simulator…');
    const started = performance.now();
    state.scenarios = await sim.request('scenarios');
    select.replaceChildren(...state.scenarios.map((s) => el('option', { value: s.name }, s.name)));
    const params = new URLSearchParams(location.search);
    let name = params.get('scenario') || 'default';
    let ok = true;
    if (!state.scenarios.some((s) => s.name === name)) {
      showError(`There is no built-in scenario "${name}".`);
      name = state.scenarios.some((s) => s.name === 'default') ? 'default' : state.scenarios[0].name;
      ok = false;
    }
    ok = (await selectScenario(name, ok ? params : null)) && ok;
    select.disabled = false;
    $('run').disabled = false;
    setStatus(`Simulator ready in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    if (params.get('run') === '1') {
      if (ok) run();
      else setStatus('Not run: fix the address, or press Run.');
    }
  } catch (err) {
    setStatus('');
    showError(err.message);
  }
}

$('controls').addEventListener('submit', (e) => {
  e.preventDefault();
  run();
});
$('scenario-pick').addEventListener('change', async () => {
  clearError();
  try {
    await selectScenario($('scenario-pick').value, null);
    markStale();
  } catch (err) {
    showError(err.message);
  }
});
$('stop').addEventListener('click', () => sim.restart());
$('reset').addEventListener('click', () => {
  for (const { knob, input, update } of state.inputs.values()) {
    input.value = knob.value;
    update();
  }
});
window.addEventListener('error', (e) => showError(`Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => showError(`Unexpected error: ${(e.reason && e.reason.message) || e.reason}`));

init();
