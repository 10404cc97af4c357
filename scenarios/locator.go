package scenarios

import (
	"strconv"
	"strings"
)

// locator turns a field path into the place the user wrote it: a line of
// the scenario file, or the --set flag that supplied it.
//
// Paths are recorded with list indexes ("strategies[1].count") and shown
// with strategy names where the name is usable ("strategies.asg.count"), the
// form --set accepts.
type locator struct {
	file  string
	sets  []string       // the --set flags, in order
	lines map[string]pos // where each field's value was written
	names []string       // strategy names by index, as written
}

func newLocator(file string, sets []string) *locator {
	return &locator{file: file, sets: sets, lines: map[string]pos{}}
}

// at builds an *Error for path at position p.
func (l *locator) at(p pos, path, msg, hint string) *Error {
	e := &Error{File: l.file, Path: l.display(path), Msg: msg, Hint: hint}
	switch {
	case p > 0:
		e.Line = int(p)
	case p < 0 && int(-p-1) < len(l.sets):
		e.File = "--set " + l.sets[-p-1]
	}
	return e
}

// field builds an *Error about the field at path, placed at the line where
// it (or, if it is absent, its nearest written parent) was written.
func (l *locator) field(path, msg, hint string) *Error {
	return l.at(l.lookup(path), path, msg, hint)
}

// lookup returns where path, or its nearest recorded ancestor, was written.
func (l *locator) lookup(path string) pos {
	for path != "" {
		if p, ok := l.lines[path]; ok {
			return p
		}
		path = parent(path)
	}
	return 0
}

// has reports whether the file (or a --set flag) wrote the field at path.
func (l *locator) has(path string) bool {
	_, ok := l.lines[path]
	return ok
}

// parent strips the last key or index from a path.
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// display renders a path for messages: "strategies[1]" becomes
// "strategies.asg" when strategy 1 has a valid name.
func (l *locator) display(path string) string {
	const pre = "strategies["
	if !strings.HasPrefix(path, pre) {
		return path
	}
	end := strings.IndexByte(path, ']')
	if end < 0 {
		return path
	}
	i, err := strconv.Atoi(path[len(pre):end])
	if err != nil || i < 0 || i >= len(l.names) || !validName(l.names[i]) {
		return path
	}
	return "strategies." + l.names[i] + path[end+1:]
}

// validName reports whether s is a usable strategy name: 1 to 64 bytes of
// [a-z0-9_-].
func validName(s string) bool {
	if s == "" || len(s) > maxNameLen {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
