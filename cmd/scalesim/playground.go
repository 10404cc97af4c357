package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// playgroundOptions is what `scalesim playground` was asked to do.
type playgroundOptions struct {
	IO   ioStreams
	Addr string // --addr: where to listen
	Dir  string // --dir: the built page
}

// playgroundLong is the help text of `scalesim playground`.
const playgroundLong = `Serve the browser playground: a page that runs the simulator itself,
compiled to WebAssembly, on the built-in scenarios, with sliders that apply
as --set overrides. Open the address it prints in a browser.

The page is built by 'make web' into web/ (main.wasm and wasm_exec.js
beside the committed index.html, app.js, worker.js and style.css); --dir
names another directory that holds a built page. It is static: any web
server can serve it, as long as it is over HTTP (browsers do not run its
worker from a file: address).

Open /?scenario=NAME&run=1 to run a scenario on load; each changed slider
is a parameter named like its --set path (workload.peak=3000).

Ctrl-C stops the server.`

// newPlaygroundCmd builds `scalesim playground`.
func newPlaygroundCmd(ios ioStreams) *cobra.Command {
	opts := &playgroundOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "playground",
		Short: "Serve the browser playground (build it first with 'make web')",
		Long:  playgroundLong,
		Example: `  make web && scalesim playground
  scalesim playground --addr 127.0.0.1:9000 --dir /srv/scalesim-web`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkPlaygroundDir(opts.Dir); err != nil {
				return err
			}
			ln, err := net.Listen("tcp", opts.Addr)
			if err != nil {
				return &inputError{fmt.Errorf("playground: --addr %s: %w; pick another address", opts.Addr, err)}
			}
			fmt.Fprintf(ios.Err, "scalesim: serving the playground in %s at http://%s/ (Ctrl-C to stop)\n", opts.Dir, ln.Addr())
			return servePlayground(cmd.Context(), ln, opts.Dir)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	f.StringVar(&opts.Dir, "dir", "web", "serve the playground built in `DIR`")
	_ = cmd.MarkFlagDirname("dir")
	return cmd
}

// checkPlaygroundDir returns an input error unless dir holds a built
// playground: its page and the simulator that 'make web' builds.
func checkPlaygroundDir(dir string) error {
	for _, name := range []string{"main.wasm", "wasm_exec.js", "report.css", "index.html"} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return &inputError{fmt.Errorf("playground: %s not found: build the playground with 'make web' (or name its directory with --dir)", path)}
			}
			return &inputError{fmt.Errorf("playground: %w", err)}
		}
	}
	return nil
}

// servePlayground serves dir on ln until ctx ends, then shuts down.
func servePlayground(ctx context.Context, ln net.Listener, dir string) error {
	srv := &http.Server{Handler: playgroundHandler(dir), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("playground: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("playground: shutting down: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("playground: %w", err)
	}
	return nil
}

// playgroundHandler serves the files of dir: .wasm as application/wasm,
// whatever the system's MIME table says (browsers compile it while it
// downloads only under that type), and everything to be revalidated, so
// that a page rebuilt by make web is what a reload gets.
func playgroundHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			h.Set("Content-Type", "application/wasm")
		}
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
