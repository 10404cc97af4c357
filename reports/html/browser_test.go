package html

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/sim/simtest"
)

var screenshotDir = flag.String("screenshot", "", "keep the browser's screenshot of the report in this directory, to look at")

// browserTimeout bounds one headless Chromium run (a guard against a hung
// browser, not a measurement).
const browserTimeout = 90 * time.Second

// headless runs the browser on a local file with one action (such as
// --dump-dom) and returns its stdout and its log (stderr).
func headless(t *testing.T, browser, page string, action ...string) (stdout, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
	}
	args = append(append(args, action...), "file://"+page)
	cmd := exec.CommandContext(ctx, browser, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", browser, strings.Join(action, " "), err, errOut.String())
	}
	return out.String(), errOut.String()
}

// consoleProblems returns the log lines that report a page's console
// messages, uncaught exceptions or blocked loads: a page without scripts
// that fetches nothing has none.
func consoleProblems(log string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, ":CONSOLE") || strings.Contains(line, "Uncaught") ||
			strings.Contains(line, "Content Security Policy") {
			out = append(out, line)
		}
	}
	return out
}

// writePage writes the fixed report to a temporary directory.
func writePage(t *testing.T) string {
	t.Helper()
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, []byte(write(t, fixedResult())), 0o644); err != nil {
		t.Fatal(err)
	}
	return page
}

// TestBrowserRendersReport loads report.html from a local file in headless
// Chromium and checks that the rendered page holds every chart and both
// tables, logs no console error, and draws a page.
func TestBrowserRendersReport(t *testing.T) {
	browser := simtest.Chromium()
	if browser == "" {
		t.Skip("skipping the browser test: no chromium, chromium-browser or google-chrome on PATH (Debian: apt-get install chromium)")
	}
	page := writePage(t)

	dom, log := headless(t, browser, page, "--dump-dom")
	if n, want := strings.Count(dom, "<svg"), len(charts.Names()); n != want {
		t.Errorf("the rendered DOM has %d <svg>, want %d", n, want)
	}
	for _, name := range charts.Names() {
		if !strings.Contains(dom, `<figure id="chart-`+name+`">`) {
			t.Errorf("the rendered DOM lacks chart %s", name)
		}
	}
	for _, want := range []string{`<table class="figures">`, `<table class="deltas">`, "asg &lt;fast&gt;", "fixed", `<pre class="yaml">`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered DOM lacks %q", want)
		}
	}
	if problems := consoleProblems(log); len(problems) > 0 {
		t.Errorf("the browser logged console messages:\n%s", strings.Join(problems, "\n"))
	}

	shot := filepath.Join(t.TempDir(), "shot.png")
	_, log = headless(t, browser, page, "--screenshot="+shot, "--window-size=1280,4000", "--hide-scrollbars")
	if problems := consoleProblems(log); len(problems) > 0 {
		t.Errorf("the browser logged console messages while drawing:\n%s", strings.Join(problems, "\n"))
	}
	checkScreenshot(t, shot)
}

// checkScreenshot checks that the screenshot is the window's size and is
// not blank.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot does not decode: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 4000 {
		t.Errorf("screenshot %dx%d, want 1280x4000", b.Dx(), b.Dy())
	}
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x8000 {
				dark++
			}
		}
	}
	if dark < 1000 {
		t.Errorf("the screenshot is nearly blank (%d dark samples)", dark)
	}
	if *screenshotDir != "" {
		data, err := os.ReadFile(path)
		if err == nil {
			err = os.WriteFile(filepath.Join(*screenshotDir, "report.png"), data, 0o644)
		}
		if err != nil {
			t.Errorf("keeping the screenshot: %v", err)
		}
	}
}

// TestBrowserDetectsConsoleErrors: the log check above catches a script
// error and a blocked fetch in this browser's log format, so a clean log
// means something.
func TestBrowserDetectsConsoleErrors(t *testing.T) {
	browser := simtest.Chromium()
	if browser == "" {
		t.Skip("skipping the browser test: no chromium, chromium-browser or google-chrome on PATH (Debian: apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("skipping the browser's negative control in -short mode")
	}
	page := filepath.Join(t.TempDir(), "bad.html")
	bad := `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'">` +
		`</head><body><p>bad</p><img src="https://example.invalid/x.png" alt=""><script>throw new Error("boom")</script></body></html>`
	if err := os.WriteFile(page, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, log := headless(t, browser, page, "--dump-dom")
	problems := strings.Join(consoleProblems(log), "\n")
	if !strings.Contains(problems, "Uncaught Error: boom") || !strings.Contains(problems, "example.invalid") {
		t.Errorf("the log check missed the script error or the blocked image; it found:\n%s\nin the log:\n%s", problems, log)
	}
}
