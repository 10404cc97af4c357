package main

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/scalesim/scalesim/scenarios"
)

// ioStreams is what a command gets from its process: the standard streams
// and whether they are terminals, the environment, and the scenario schema
// (the strategy families a scenario may use). Commands never touch
// os.Stdout, os.Stderr or the process environment directly, so tests run
// them in-process with buffers, an environment of their own and families
// of their own (gh's iostreams).
type ioStreams struct {
	In       io.Reader
	Out      io.Writer // results only
	Err      io.Writer // errors, warnings, progress
	ErrIsTTY bool
	OutIsTTY bool
	// LookupEnv reads an environment variable, as os.LookupEnv does.
	LookupEnv func(key string) (string, bool)
	// Schema holds the strategy families scenarios are loaded with.
	Schema *scenarios.Schema
}

// systemIO returns the process's standard streams and environment, and
// the built-in strategy families.
func systemIO() ioStreams {
	return ioStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		Err:       os.Stderr,
		OutIsTTY:  term.IsTerminal(int(os.Stdout.Fd())),
		ErrIsTTY:  term.IsTerminal(int(os.Stderr.Fd())),
		LookupEnv: os.LookupEnv,
		Schema:    scenarios.DefaultSchema(),
	}
}

// testIO returns streams backed by buffers: In is an empty *bytes.Buffer,
// Out and Err are *bytes.Buffer, and neither is a terminal. The
// environment holds the variables of env (none if nil), and the schema the
// built-in families.
func testIO(env ...string) ioStreams {
	vars := map[string]string{}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	return ioStreams{In: &bytes.Buffer{}, Out: &bytes.Buffer{}, Err: &bytes.Buffer{},
		LookupEnv: func(key string) (string, bool) { v, ok := vars[key]; return v, ok },
		Schema:    scenarios.DefaultSchema()}
}
