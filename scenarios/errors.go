package scenarios

import (
	"errors"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/workloads"
)

// Error is a problem with a scenario: bad YAML, an unknown key, a value out
// of range, a missing trace file. It renders as one line naming where the
// problem is and what to change:
//
//	mmc.yaml:5: workload.rate: must be > 0 (got -5); set a positive requests-per-second
//
// When the offending value came from a --set flag, File names the flag
// ("--set workload.rate=-5") and Line is 0.
type Error struct {
	File string // the scenario file as the user named it, or "--set PATH=VALUE"
	Line int    // 1-based line in File; 0 when unknown or not a file
	Path string // the scenario field, keys joined with dots ("workload.rate"); may be empty
	Msg  string // what is wrong
	Hint string // what to change; may be empty
}

// Error renders the problem on one line: "file:line: path: msg; hint", with
// empty parts left out.
func (e *Error) Error() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
	}
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
	} else if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line))
	}
	if e.Path != "" {
		sep()
		b.WriteString(e.Path)
	}
	if e.Msg != "" {
		sep()
		b.WriteString(e.Msg)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return oneLine(b.String())
}

// oneLine folds line breaks and other control characters into spaces so a
// message is always a single line, whatever the input contained.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, isControl), " ")
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 }

// IsInputError reports whether err is the user's bad input — a scenario
// *Error or a trace file's *workloads.TraceError, possibly wrapped — which
// the CLI maps to exit status 2.
func IsInputError(err error) bool {
	if err == nil {
		return false
	}
	var se *Error
	if errors.As(err, &se) {
		return true
	}
	var te *workloads.TraceError
	var held *models.HeldLimitError
	return errors.As(err, &te) || errors.As(err, &held)
}
