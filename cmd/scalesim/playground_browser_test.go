//go:build webtest

package main

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scalesim/scalesim/scenarios"
	"github.com/scalesim/scalesim/sim/simtest"
)

// The browser test of the playground: `make webtest` builds web/ and runs
// it. It drives headless Chromium with chromedp, which waits on the page's
// own state and collects console messages and exceptions as they come.

var screenshotDir = flag.String("screenshot", "", "keep the browser's screenshot of the playground in this directory, to look at")

// browserRunTimeout bounds one page's run of a scenario (a guard against a
// hung browser, not a measurement).
const browserRunTimeout = 10 * time.Minute

// playgroundBrowser returns the path of an installed Chromium or Chrome.
// Without one the test skips, except under CI (CI set), where it fails.
func playgroundBrowser(t *testing.T) string {
	t.Helper()
	if path := simtest.Chromium(); path != "" {
		return path
	}
	msg := "no chromium, chromium-browser or google-chrome on PATH (Debian: apt-get install chromium)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip("skipping the playground's browser test: " + msg)
	return ""
}

// page is the playground open in a headless browser, with the console
// errors, warnings and exceptions it logged.
type page struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// openPlayground serves ../../web with the playground's handler on a
// random port and opens path in a fresh headless browser.
func openPlayground(t *testing.T, path string) *page {
	t.Helper()
	browser := playgroundBrowser(t)
	dir := filepath.Join("..", "..", "web")
	if err := checkPlaygroundDir(dir); err != nil {
		t.Fatalf("%v (make webtest builds it first)", err)
	}
	srv := httptest.NewServer(playgroundHandler(dir))
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(context.Background(), browserRunTimeout)
	t.Cleanup(cancel)
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1440, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)

	p := &page{ctx: bctx}
	messages := chromedp.Console(bctx) // subscribed now: nothing the page logs is missed
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleWarning, chromedp.ConsoleError, chromedp.ConsoleException:
				p.mu.Lock()
				p.problems = append(p.problems, m.String()+" ("+m.URL+")")
				p.mu.Unlock()
			}
		}
	}()
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+path)); err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	return p
}

// logged returns the problems logged so far.
func (p *page) logged() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.problems)
}

// loggedSoFar returns the problems logged, once messages sent before the
// call have had time to arrive.
func (p *page) loggedSoFar() []string {
	time.Sleep(500 * time.Millisecond)
	return p.logged()
}

// hasLogged reports whether a problem holding text is logged within d:
// the console's messages reach the test on their own stream, a little
// after the page has shown them.
func (p *page) hasLogged(text string, d time.Duration) bool {
	for end := time.Now().Add(d); ; time.Sleep(50 * time.Millisecond) {
		if slices.ContainsFunc(p.logged(), func(m string) bool { return strings.Contains(m, text) }) {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// settle waits until the page has results or shows an error, and says
// which: "done" or the error's text.
func (p *page) settle(t *testing.T) string {
	t.Helper()
	const expr = `(() => {
		const err = document.getElementById('error');
		if (err && !err.hidden) return 'error: ' + err.innerText;
		const res = document.getElementById('results');
		return res && res.dataset.state === 'done' ? 'done' : '';
	})()`
	state, err := chromedp.Run(p.ctx, chromedp.Poll[string](expr,
		chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(0)))
	if err != nil {
		t.Fatalf("waiting for the page to finish: %v (logged: %q)", err, p.logged())
	}
	return state
}

// screenshot saves a PNG of the window, or of the whole page, as name
// in the -screenshot directory.
func (p *page) screenshot(t *testing.T, name string, full bool) {
	t.Helper()
	shoot := chromedp.CaptureScreenshot()
	if full {
		shoot = chromedp.FullScreenshot(100) // quality 100: a PNG
	}
	shot, err := chromedp.Run(p.ctx, shoot)
	if err == nil {
		err = os.WriteFile(filepath.Join(*screenshotDir, name), shot, 0o644)
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, p *page, expr string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestPlaygroundBrowserRunsDefault opens /?scenario=default&run=1: the
// page runs the default scenario on load and shows a table with a row per
// strategy and the charts, and logs no error, warning or exception.
func TestPlaygroundBrowserRunsDefault(t *testing.T) {
	start := time.Now()
	p := openPlayground(t, "/?scenario=default&run=1")
	if *screenshotDir != "" {
		_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`document.getElementById('progress').value > 0`,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0)))
		if err != nil {
			t.Fatal(err)
		}
		p.screenshot(t, "playground-running.png", false)
	}
	if state := p.settle(t); state != "done" {
		t.Fatalf("the page shows an error: %s", state)
	}
	wall := time.Since(start)
	rows := eval[[]string](t, p, `[...document.querySelectorAll('#results table.strategies tbody tr th')].map(th => th.textContent)`)
	svgs := eval[int](t, p, `document.querySelectorAll('#results svg').length`)
	ms := eval[string](t, p, `document.getElementById('results').dataset.ms`)
	status := eval[string](t, p, `document.getElementById('status-text').textContent`)
	sc, err := scenarios.Builtin("default", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := sc.StrategyNames(); !slices.Equal(rows, want) {
		t.Errorf("the results table's rows are %q, want one per strategy: %q", rows, want)
	}
	if svgs < 1 {
		t.Error("the results hold no chart (<svg>)")
	}
	if problems := p.loggedSoFar(); len(problems) > 0 {
		t.Errorf("the page logged:\n%s", strings.Join(problems, "\n"))
	}
	t.Logf("default scenario in headless Chromium: %s ms from Run to results; %s from opening the page (%s)", ms, wall.Round(100*time.Millisecond), status)
	if *screenshotDir != "" {
		p.screenshot(t, "playground.png", true)
	}
}

// TestPlaygroundBrowserAppliesKnobs: a knob set in the address moves its
// slider, and the run applies it as the --set flag the page shows.
func TestPlaygroundBrowserAppliesKnobs(t *testing.T) {
	p := openPlayground(t, "/?scenario=mmc&workload.rate=100&run=1")
	if state := p.settle(t); state != "done" {
		t.Fatalf("the page shows an error: %s", state)
	}
	if cmd, want := eval[string](t, p, `document.getElementById('command').textContent`), "scalesim run mmc --set workload.rate=100"; cmd != want {
		t.Errorf("the page shows the command %q, want %q", cmd, want)
	}
	if out := eval[string](t, p, `document.querySelector('.knob.changed output').textContent`); out != "100 req/s" {
		t.Errorf("the changed slider shows %q, want 100 req/s", out)
	}
	if yaml := eval[string](t, p, `document.querySelector('#results pre.yaml').textContent`); !strings.Contains(yaml, "rate: 100\n") {
		t.Errorf("the scenario run lacks rate: 100:\n%s", yaml)
	}
	if problems := p.loggedSoFar(); len(problems) > 0 {
		t.Errorf("the page logged:\n%s", strings.Join(problems, "\n"))
	}
	if *screenshotDir != "" {
		p.screenshot(t, "playground-knob.png", false)
	}
}

// TestPlaygroundBrowserStops: Stop ends a run at once, and the fresh
// simulator then runs another scenario picked from the list.
func TestPlaygroundBrowserStops(t *testing.T) {
	p := openPlayground(t, "/?scenario=default&run=1")
	poll := func(expr string) {
		t.Helper()
		_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0)))
		if err != nil {
			t.Fatalf("waiting for %s: %v", expr, err)
		}
	}
	poll(`document.getElementById('progress').value > 0`)
	eval[bool](t, p, `document.getElementById('stop').click() ?? true`)
	poll(`document.getElementById('status-text').textContent === 'Stopped.' && !document.getElementById('run').disabled`)
	if state := eval[string](t, p, `document.getElementById('results').dataset.state`); state != "error" {
		t.Errorf("after Stop the results' state is %q, want error (no results)", state)
	}
	eval[bool](t, p, `(() => {
		const pick = document.getElementById('scenario-pick');
		pick.value = 'mmc';
		pick.dispatchEvent(new Event('change'));
		return true;
	})()`)
	poll(`document.querySelectorAll('#knobs input').length === 2`)
	eval[bool](t, p, `document.getElementById('run').click() ?? true`)
	if state := p.settle(t); state != "done" {
		t.Fatalf("the run after Stop: %s", state)
	}
	rows := eval[[]string](t, p, `[...document.querySelectorAll('#results table.strategies tbody tr th')].map(th => th.textContent)`)
	if !slices.Equal(rows, []string{"fixed"}) {
		t.Errorf("after Stop, mmc's results have rows %q, want [fixed]", rows)
	}
	if dups := eval[[]string](t, p, `(() => {
		const seen = new Set(), dups = [];
		for (const e of document.querySelectorAll('[id]')) { if (seen.has(e.id)) dups.push(e.id); seen.add(e.id); }
		return dups;
	})()`); len(dups) > 0 {
		t.Errorf("the page and its results repeat the ids %q", dups)
	}
	if problems := p.loggedSoFar(); len(problems) > 0 {
		t.Errorf("the page logged:\n%s", strings.Join(problems, "\n"))
	}
}

// TestPlaygroundBrowserShowsErrors: a run the scenario rejects shows the
// simulator's message on the page (and in the console), and an address
// naming no scenario says so; neither fails silently.
func TestPlaygroundBrowserShowsErrors(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/?scenario=default&strategies.asg.min=50&run=1", "strategies.asg.max: must be at least min (50) (got 40)"},
		{"/?scenario=nope", `There is no built-in scenario "nope"`},
	} {
		p := openPlayground(t, tc.path)
		state := p.settle(t)
		if !strings.Contains(state, tc.want) {
			t.Errorf("%s: the page shows %q, want an error with %q", tc.path, state, tc.want)
		}
		if !p.hasLogged(tc.want, 10*time.Second) {
			t.Errorf("%s: the console did not get the error; it got:\n%s", tc.path, strings.Join(p.logged(), "\n"))
		}
	}
}
