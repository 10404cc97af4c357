package main

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// ioStreams are the standard streams a command reads and writes, plus
// whether they are terminals. Commands never touch os.Stdout or os.Stderr
// directly, so tests run them in-process with buffers (gh's iostreams).
type ioStreams struct {
	In       io.Reader
	Out      io.Writer // results only
	Err      io.Writer // errors, warnings, progress
	ErrIsTTY bool
	OutIsTTY bool
}

// systemIO returns the process's standard streams.
func systemIO() ioStreams {
	return ioStreams{
		In:       os.Stdin,
		Out:      os.Stdout,
		Err:      os.Stderr,
		OutIsTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrIsTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// testIO returns streams backed by buffers: In is an empty *bytes.Buffer,
// Out and Err are *bytes.Buffer, and neither is a terminal.
func testIO() ioStreams {
	return ioStreams{In: &bytes.Buffer{}, Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
}
