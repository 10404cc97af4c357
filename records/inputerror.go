package records

import (
	"strconv"
	"strings"
)

// InputError is a problem with a record file: it cannot be read, it is
// not in the shape its format expects, or a value in it is wrong. It
// renders as "FILE:LINE: MSG; HINT", leaving out the parts that are
// empty (Line 0 means the file as a whole).
type InputError struct {
	File string // the file's name as given to Read
	Line int    // 1-based line of the offending value; 0 = the whole file
	Msg  string // what is wrong
	Hint string // what to change, if known
	Err  error  // the underlying error, if any
}

// Error renders the error as "FILE:LINE: MSG; HINT".
func (e *InputError) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		b.WriteString(e.File + ":" + strconv.Itoa(e.Line) + ": ")
	case e.File != "":
		b.WriteString(e.File + ": ")
	case e.Line > 0:
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }
