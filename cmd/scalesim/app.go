package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/scenarios"
)

// Exit statuses (docs/outputs.md).
const (
	exitOK    = 0
	exitFail  = 1 // a check failed, or an unexpected error
	exitInput = 2 // bad input or usage
)

// errRegression reports that a check found a regression: exit status 1.
// The command prints its report to stdout and returns an error wrapping
// errRegression, whose message becomes the one stderr line.
var errRegression = errors.New("regression detected")

// usageError is a mistake on the command line: an unknown command or flag,
// a bad flag value, the wrong number of arguments. It exits 2 and points
// at the command's help.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf returns a *usageError with a formatted message.
func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// inputError is bad input that is not a command-line mistake (a scenario
// that does not exist, a file that does not parse): it exits 2 without the
// pointer to --help.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// reportedError means the command has already printed its errors; only the
// exit status remains to be given.
type reportedError struct{ code int }

func (e *reportedError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes the command line args with the given streams and returns
// the process exit status. It never panics on input and never exits.
func run(args []string, ios ioStreams) int {
	// The first interrupt cancels the run (it stops between jobs); after
	// it, signals are no longer caught, so a second one ends the process.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	context.AfterFunc(ctx, stop)
	root := newRootCmd(ios)
	root.SetArgs(append([]string{}, args...)) // never nil: cobra reads os.Args for nil
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if cmd == nil {
		cmd = root
	}
	return reportError(ios.Err, cmd, err)
}

// reportError prints err to w, one "scalesim: " line per line of the
// message, and returns its exit status.
func reportError(w io.Writer, cmd *cobra.Command, err error) int {
	var reported *reportedError
	if errors.As(err, &reported) {
		return reported.code
	}
	if errors.Is(err, context.Canceled) {
		err = errors.New("interrupted")
	}
	printError(w, err)
	var usage *usageError
	var input *inputError
	switch {
	case errors.Is(err, errRegression):
		return exitFail
	case errors.As(err, &usage):
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return exitInput
	case errors.As(err, &input), scenarios.IsInputError(err):
		return exitInput
	default:
		return exitFail
	}
}

// printError writes err to w as "scalesim: " lines.
func printError(w io.Writer, err error) {
	msg := strings.TrimRight(err.Error(), "\n")
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintf(w, "scalesim: %s\n", line)
	}
}

// wrapUsage makes every argument-count error and flag error in the command
// tree a *usageError, so they exit 2.
func wrapUsage(root *cobra.Command) {
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Args != nil {
			check := c.Args
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return &usageError{err}
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
