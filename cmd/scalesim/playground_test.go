package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// builtPlayground writes a stand-in for a page built by make web to a
// temporary directory.
func builtPlayground(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":   "<!DOCTYPE html><title>p</title>",
		"app.js":       "'use strict';",
		"style.css":    "body{}",
		"report.css":   "table{}",
		"wasm_exec.js": "'use strict';",
		"main.wasm":    "\x00asm\x01\x00\x00\x00",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestPlaygroundHandler: the page's files come with the types a browser
// needs, main.wasm as application/wasm, and to be revalidated.
func TestPlaygroundHandler(t *testing.T) {
	srv := httptest.NewServer(playgroundHandler(builtPlayground(t)))
	defer srv.Close()
	for _, tc := range []struct{ path, ctype, body string }{
		{"/", "text/html; charset=utf-8", "<!DOCTYPE html>"},
		{"/main.wasm", "application/wasm", "\x00asm"},
		{"/app.js", "text/javascript; charset=utf-8", "'use strict'"},
		{"/style.css", "text/css; charset=utf-8", "body"},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		h := resp.Header
		if resp.StatusCode != http.StatusOK || h.Get("Content-Type") != tc.ctype || !strings.HasPrefix(string(body), tc.body) {
			t.Errorf("GET %s: %s, Content-Type %q, body %q; want 200, %q, %q…", tc.path, resp.Status, h.Get("Content-Type"), body, tc.ctype, tc.body)
		}
		if h.Get("Cache-Control") != "no-cache" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: Cache-Control %q, X-Content-Type-Options %q", tc.path, h.Get("Cache-Control"), h.Get("X-Content-Type-Options"))
		}
	}
	resp, err := http.Get(srv.URL + "/nope.wasm")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope.wasm: %s, want 404", resp.Status)
	}
}

// TestPlaygroundNotBuilt: without main.wasm the command exits 2 with one
// line naming the file and the fix.
func TestPlaygroundNotBuilt(t *testing.T) {
	dir := builtPlayground(t)
	if err := os.Remove(filepath.Join(dir, "main.wasm")); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "playground", "--dir", dir, "--addr", "127.0.0.1:0")
	want := "scalesim: playground: " + filepath.Join(dir, "main.wasm") + " not found: build the playground with 'make web' (or name its directory with --dir)\n"
	if code != exitInput || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, want)
	}
}

// TestPlaygroundBadAddr: an address it cannot listen on is bad input.
func TestPlaygroundBadAddr(t *testing.T) {
	_, stderr, code := runCLI(t, "playground", "--dir", builtPlayground(t), "--addr", "127.0.0.1:notaport")
	if code != exitInput || !strings.HasPrefix(stderr, "scalesim: playground: --addr 127.0.0.1:notaport: ") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want exit 2 and one line naming --addr", code, stderr)
	}
}

// TestServePlayground: the server answers until its context ends, then
// shuts down cleanly.
func TestServePlayground(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- servePlayground(ctx, ln, builtPlayground(t)) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/main.wasm")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("GET /main.wasm: %s, %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("servePlayground after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("servePlayground did not return after its context ended")
	}
}
