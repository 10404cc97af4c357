package records

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// input is one record file read whole, for decoding and for placing
// errors on their lines.
type input struct {
	file string
	data []byte
	hint string // the fix for a file not of the format
	// notes are remarks gathered while decoding, kept only when the whole
	// file reads.
	notes []string
}

// fail returns an *InputError at line (0: the whole file) with the
// format's hint.
func (in *input) fail(line int, format string, args ...any) *InputError {
	return in.failHint(line, in.hint, format, args...)
}

// failHint returns an *InputError at line with its own hint.
func (in *input) failHint(line int, hint, format string, args ...any) *InputError {
	return &InputError{File: in.file, Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// note records a remark on the file.
func (in *input) note(format string, args ...any) {
	in.notes = append(in.notes, in.file+": "+fmt.Sprintf(format, args...))
}

// lineAt returns the 1-based line of byte offset off.
func (in *input) lineAt(off int64) int {
	off = min(max(off, 0), int64(len(in.data)))
	return 1 + bytes.Count(in.data[:off], []byte("\n"))
}

// element is one member of a top-level list: its JSON and where it
// starts in the file.
type element struct {
	raw json.RawMessage
	off int64
}

// line returns the line the element starts on.
func (e element) line(in *input) int { return in.lineAt(e.off) }

// fieldLine returns the line of the element's first member called name,
// or of the element itself.
func (e element) fieldLine(in *input, name string) int {
	if i := bytes.Index(e.raw, []byte(`"`+name+`"`)); i >= 0 {
		return in.lineAt(e.off + int64(i))
	}
	return e.line(in)
}

// decode decodes the element into v, placing a type error on its line.
func (e element) decode(in *input, what string, v any) error {
	if err := json.Unmarshal(e.raw, v); err != nil {
		off := e.off
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			off += te.Offset
			if te.Field != "" {
				return in.fail(in.lineAt(off), "%s: %s is %s where %s belongs", what, te.Field, article(te.Value), article(jsonKind(te.Type.Kind())))
			}
			return in.fail(in.lineAt(off), "%s is %s where %s belongs", what, article(te.Value), article(jsonKind(te.Type.Kind())))
		}
		return in.fail(in.lineAt(off), "%s: %v", what, err)
	}
	return nil
}

// document is a decoded top-level value: an object, whose list called
// key is split into its elements, or a bare list of elements.
type document struct {
	bare     bool      // the file is a list, not an object
	found    bool      // the object has the key
	elements []element // the list's members, in file order
	members  map[string]json.RawMessage
}

// decodeDocument decodes the file as an object holding the list key, or
// as a bare list. A syntax error is placed on its line.
func decodeDocument(in *input, key string) (*document, error) {
	var whole json.RawMessage
	if err := json.Unmarshal(in.data, &whole); err != nil {
		return nil, jsonError(in, err)
	}
	dec := json.NewDecoder(bytes.NewReader(in.data))
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(in, err)
	}
	doc := &document{members: map[string]json.RawMessage{}}
	switch tok {
	case json.Delim('['):
		doc.bare = true
		doc.elements, err = decodeList(in, dec)
		return doc, err
	case json.Delim('{'):
	default:
		return nil, in.fail(1, "the file holds %s, not a JSON object", article(kindOf(tok)))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonError(in, err)
		}
		name, _ := tok.(string)
		if name != key {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, jsonError(in, err)
			}
			doc.members[name] = skip
			continue
		}
		at := dec.InputOffset()
		tok, err = dec.Token()
		if err != nil {
			return nil, jsonError(in, err)
		}
		if tok == nil {
			doc.found = true // "key": null, an empty list
			continue
		}
		if tok != json.Delim('[') {
			return nil, in.fail(in.lineAt(at), "%s is %s, not a list", key, article(kindOf(tok)))
		}
		doc.found = true
		els, err := decodeList(in, dec)
		if err != nil {
			return nil, err
		}
		doc.elements = append(doc.elements, els...)
	}
	return doc, nil
}

// decodeList reads the members of a list whose '[' was just read, up to
// and including its ']'.
func decodeList(in *input, dec *json.Decoder) ([]element, error) {
	var out []element
	for dec.More() {
		off := dec.InputOffset()
		for off < int64(len(in.data)) && bytes.IndexByte([]byte(" \t\r\n,"), in.data[off]) >= 0 {
			off++
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonError(in, err)
		}
		out = append(out, element{raw: raw, off: off})
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, jsonError(in, err)
	}
	return out, nil
}

// jsonKind names the JSON kind a Go kind decodes from.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "list"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return k.String()
}

// article puts "a" or "an" before a noun.
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// kindOf names the JSON kind of a token for messages.
func kindOf(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		if tok == json.Delim('[') {
			return "list"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// jsonError places a decoding error on its line.
func jsonError(in *input, err error) *InputError {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	line := 0
	if off >= 0 {
		line = in.lineAt(off)
	}
	return in.fail(line, "not JSON: %v", err)
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	const n = 60
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}
