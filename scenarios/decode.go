package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scalesim/scalesim/sim"
)

// Limits on the YAML itself, before any value is looked at.
const (
	// MaxFileSize is the largest scenario file Load reads: 1 MiB.
	MaxFileSize = 1 << 20
	// maxNodes bounds the nodes the decoder visits, aliases expanded, so an
	// alias "bomb" is an error rather than an exhausted machine.
	maxNodes = 1_000_000
	// maxMergeDepth bounds nested YAML merge keys (<<).
	maxMergeDepth = 16
)

// parseDocument parses a scenario file into its root node, which must be a
// mapping. Errors are *Error values naming file and line.
func parseDocument(data []byte, file string) (root *yaml.Node, err error) {
	defer func() {
		// yaml.v3 is third-party code fed untrusted input: a panic inside it
		// is reported as bad input, never passed on to the user as a crash.
		if r := recover(); r != nil {
			root, err = nil, &Error{File: file, Msg: fmt.Sprintf("malformed YAML (%v)", r)}
		}
	}()
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: file, Msg: "the file is empty", Hint: "a scenario needs at least name, duration, workload and strategies"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Msg: "the file holds no YAML document, only comments", Hint: "a scenario needs at least name, duration, workload and strategies"}
		}
		return nil, yamlError(file, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &Error{File: file, Line: next.Line, Msg: "a second YAML document starts here", Hint: "a scenario file holds one document; remove the extra ---"}
	case !errors.Is(err, io.EOF):
		return nil, yamlError(file, err)
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Msg: "the file holds no YAML document", Hint: "a scenario needs at least name, duration, workload and strategies"}
	}
	root = doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: root.Line, Msg: "the top level must be a mapping of keys, got " + describe(root), Hint: "start with name: ..., duration: ..., workload: ..., strategies: ..."}
	}
	return root, nil
}

// yamlError converts a yaml.v3 parse error into an *Error with its line.
func yamlError(file string, err error) *Error {
	msg := oneLine(err.Error())
	// yaml.v3 writes "yaml: line N: msg".
	if m := regexp.MustCompile(`^yaml: line (\d+): (.*)$`).FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserError(m[2]) {
			line++
		}
		return &Error{File: file, Line: line, Msg: "malformed YAML: " + m[2], Hint: yamlHint}
	}
	return &Error{File: file, Msg: "malformed YAML: " + strings.TrimPrefix(msg, "yaml: "), Hint: yamlHint}
}

// parserError reports whether a yaml.v3 message comes from its parser (as
// opposed to its scanner). yaml.v3 v3.0.1 reports the parser's 0-based
// line as if it were 1-based, one line too early; scanner errors are right.
func parserError(msg string) bool {
	for _, p := range []string{
		"did not find expected key", "did not find expected ',' or", "did not find expected node content",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"found duplicate %YAML directive", "found duplicate %TAG directive",
		"found incompatible YAML document", "found undefined tag handle",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// yamlHint is the advice given with a YAML syntax error.
const yamlHint = "check the indentation, colons and quotes around there"

// describe names a node's kind for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", clip(n.Value))
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

// clip shortens a user value for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// pos records where a field's value came from: a line of the file (> 0) or
// the --set flag with index -pos-1 (< 0). 0 means unknown.
type pos int

// decoder fills a Spec from a node tree, checking every key against the
// target struct's yaml tags and every scalar against the field's type. It
// records where each field was written, for validation messages.
type decoder struct {
	schema *Schema // the strategy families
	loc    *locator
	nulls  map[string]bool // paths written as null (~ or nothing)
	budget int             // nodes left to visit
	// warmupAuto records "warmup: auto", the one duration that may be a
	// word (Spec.WarmupAuto).
	warmupAuto bool
}

// field is one yaml-tagged field of a struct.
type field struct {
	key       string
	index     int
	omitEmpty bool // tagged omitempty: the encoder leaves out a zero value
}

// fieldsOf lists t's yaml-tagged fields in declaration order.
func fieldsOf(t reflect.Type) []field {
	out := make([]field, 0, t.NumField())
	for i := range t.NumField() {
		tag, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			out = append(out, field{key: tag, index: i, omitEmpty: opts == "omitempty"})
		}
	}
	return out
}

// keysOf returns the yaml keys of struct type t.
func keysOf(t reflect.Type) []string {
	fs := fieldsOf(t)
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	return keys
}

// child joins a mapping path and a key.
func child(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// item joins a sequence path and an index.
func item(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// errAt builds an *Error at node position p for the field at path.
func (d *decoder) errAt(p pos, path, msg, hint string) *Error {
	return d.loc.at(p, path, msg, hint)
}

// decode fills v from n; path names v for messages.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) error {
	d.budget--
	if d.budget < 0 {
		return d.errAt(pos(n.Line), path, fmt.Sprintf("the document is too large once aliases are expanded (more than %d nodes)", maxNodes), "use fewer aliases (*name)")
	}
	n, err := d.resolve(n, path)
	if err != nil {
		return err
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		d.nulls[path] = true
		return nil // null leaves the zero value: the key counts as absent
	}
	switch t := v.Type(); {
	case t.Kind() == reflect.Pointer:
		// An optional value: written means set, absent or null means nil.
		p := reflect.New(t.Elem())
		if err := d.decode(n, p.Elem(), path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case t == reflect.TypeFor[sim.Duration]():
		return d.duration(n, v, path)
	case t == reflect.TypeFor[StrategySpec]():
		return d.strategy(n, v.Addr().Interface().(*StrategySpec), path)
	case t.Kind() == reflect.Struct:
		return d.mapping(n, v, path)
	case t.Kind() == reflect.Slice:
		return d.sequence(n, v, path)
	case t.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			return d.errAt(pos(n.Line), path, "want a single value, got "+describe(n), "write one value after the key, e.g. name: web")
		}
		v.SetString(n.Value)
		return nil
	case t.Kind() == reflect.Float64:
		return d.float(n, v, path)
	case t.Kind() == reflect.Int:
		return d.int(n, v, path)
	case t.Kind() == reflect.Uint64:
		return d.uint(n, v, path)
	case t.Kind() == reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			return d.errAt(pos(n.Line), path, "want true or false, got "+describe(n), "write true or false without quotes")
		}
		v.SetBool(b)
		return nil
	}
	panic("scenarios: decoder does not support field type " + v.Type().String())
}

// resolve follows aliases to the node they name.
func (d *decoder) resolve(n *yaml.Node, path string) (*yaml.Node, error) {
	for range 64 {
		if n.Kind != yaml.AliasNode {
			return n, nil
		}
		if n.Alias == nil {
			return nil, d.errAt(pos(n.Line), path, "alias *"+clip(n.Value)+" names no anchor", "")
		}
		n = n.Alias
	}
	return nil, d.errAt(pos(n.Line), path, "aliases nest too deeply", "")
}

// entry is one key of a mapping, merge keys expanded.
type entry struct {
	key string
	at  pos
	val *yaml.Node
}

// entries lists a mapping's keys in order, rejecting duplicates and
// non-scalar keys. Keys brought in by a merge key (<<: *anchor) come after
// the explicit ones and never override them, as YAML specifies.
func (d *decoder) entries(n *yaml.Node, path string, depth int) ([]entry, error) {
	if depth > maxMergeDepth {
		return nil, d.errAt(pos(n.Line), path, "merge keys (<<) nest too deeply", "")
	}
	var out, merged []entry
	seen := make(map[string]pos, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := d.resolve(n.Content[i], path)
		if err != nil {
			return nil, err
		}
		val := n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, d.errAt(pos(k.Line), path, "a key must be a plain name, got "+describe(k), "")
		}
		if k.ShortTag() == "!!merge" {
			m, err := d.mergeEntries(val, path, depth)
			if err != nil {
				return nil, err
			}
			merged = append(merged, m...)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			hint := ""
			if first > 0 {
				hint = fmt.Sprintf("it is already set at line %d; keep one", first)
			}
			return nil, d.errAt(pos(k.Line), child(path, k.Value), "duplicate key", hint)
		}
		seen[k.Value] = pos(k.Line)
		out = append(out, entry{key: k.Value, at: pos(k.Line), val: val})
	}
	for _, e := range merged {
		if _, ok := seen[e.key]; !ok {
			seen[e.key] = e.at
			out = append(out, e)
		}
	}
	return out, nil
}

// mergeEntries expands the value of a merge key: a mapping or a list of
// mappings, earlier ones taking precedence.
func (d *decoder) mergeEntries(val *yaml.Node, path string, depth int) ([]entry, error) {
	val, err := d.resolve(val, path)
	if err != nil {
		return nil, err
	}
	var srcs []*yaml.Node
	switch val.Kind {
	case yaml.MappingNode:
		srcs = []*yaml.Node{val}
	case yaml.SequenceNode:
		srcs = val.Content
	default:
		return nil, d.errAt(pos(val.Line), path, "a merge key (<<) needs a mapping or a list of mappings, got "+describe(val), "")
	}
	var out []entry
	seen := map[string]bool{}
	for _, s := range srcs {
		d.budget -= len(s.Content)
		if d.budget < 0 {
			return nil, d.errAt(pos(val.Line), path, fmt.Sprintf("the document is too large once aliases are expanded (more than %d nodes)", maxNodes), "use fewer aliases (*name)")
		}
		s, err := d.resolve(s, path)
		if err != nil {
			return nil, err
		}
		if s.Kind != yaml.MappingNode {
			return nil, d.errAt(pos(s.Line), path, "a merge key (<<) needs a mapping or a list of mappings, got "+describe(s), "")
		}
		es, err := d.entries(s, path, depth+1)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if !seen[e.key] {
				seen[e.key] = true
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// mapping fills struct v from mapping n, rejecting keys v has no field for.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return d.errAt(pos(n.Line), path, "want a mapping of keys (key: value), got "+describe(n), "indent key: value lines under it, or write {key: value, ...}")
	}
	fields := fieldsOf(v.Type())
	es, err := d.entries(n, path, 0)
	if err != nil {
		return err
	}
	for _, e := range es {
		idx := -1
		for _, f := range fields {
			if f.key == e.key {
				idx = f.index
				break
			}
		}
		if idx < 0 {
			return d.unknownKey(e.at, path, e.key, keysOf(v.Type()))
		}
		d.record(e, path)
		if err := d.decode(e.val, v.Field(idx), child(path, e.key)); err != nil {
			return err
		}
	}
	return nil
}

// strategy fills st from mapping n: its name and type first, wherever
// they are, then every other key, in order, into the section of the family
// the type names. A key that no family has is an unknown key; a key of
// another family is kept in st.misplaced for validation to report. When
// the type names no family, the other keys are left alone: validation
// reports the type.
func (d *decoder) strategy(n *yaml.Node, st *StrategySpec, path string) error {
	if n.Kind != yaml.MappingNode {
		return d.errAt(pos(n.Line), path, "want a mapping of keys (key: value), got "+describe(n), "indent key: value lines under it, or write {key: value, ...}")
	}
	es, err := d.entries(n, path, 0)
	if err != nil {
		return err
	}
	top := reflect.ValueOf(st).Elem()
	for _, e := range es {
		if e.key == "name" || e.key == "type" {
			if err := d.entry(e, top, path); err != nil {
				return err
			}
		}
	}
	var section reflect.Value
	if f, ok := d.schema.family(st.Type); ok {
		st.Spec = f.New()
		section = reflect.ValueOf(st.Spec).Elem()
	}
	for _, e := range es {
		switch {
		case e.key == "name" || e.key == "type":
			continue
		case !section.IsValid():
			d.record(e, path)
		case section.IsValid() && hasKey(section.Type(), e.key):
			if err := d.entry(e, section, path); err != nil {
				return err
			}
		case slices.Contains(d.schema.strategyKeys(), e.key):
			d.record(e, path)
			if !isNull(e.val) {
				st.misplaced = append(st.misplaced, e.key)
			}
		default:
			return d.unknownKey(e.at, path, e.key, d.schema.strategyKeys())
		}
	}
	return nil
}

// hasKey reports whether struct type t has a field tagged key.
func hasKey(t reflect.Type, key string) bool {
	_, ok := fieldByKey(t, key)
	return ok
}

// record notes where the value of entry e, below path, was written.
func (d *decoder) record(e entry, path string) {
	p := child(path, e.key)
	d.loc.lines[p] = e.at
	if e.val.Line < 0 {
		d.loc.lines[p] = pos(e.val.Line) // the value came from a --set flag
	}
}

// entry decodes entry e into the field of struct v it names.
func (d *decoder) entry(e entry, v reflect.Value, path string) error {
	i, _ := fieldByKey(v.Type(), e.key)
	d.record(e, path)
	return d.decode(e.val, v.Field(i), child(path, e.key))
}

// unknownKey reports a key the schema does not have, with a did-you-mean.
func (d *decoder) unknownKey(at pos, path, key string, keys []string) *Error {
	msg := fmt.Sprintf("unknown key %q", clip(key))
	if path != "" {
		msg += " in " + d.loc.display(path)
	}
	hint := "valid keys: " + strings.Join(keys, ", ")
	if s := suggest(key, keys); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	e := d.errAt(at, "", msg, hint)
	return e
}

// sequence fills slice v from sequence n.
func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.SequenceNode {
		return d.errAt(pos(n.Line), path, "want a list, got "+describe(n), "write it as [a, b] or as lines starting with -")
	}
	if v.Type() == reflect.TypeFor[[]StrategySpec]() {
		d.loc.names = strategyNames(n)
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, it := range n.Content {
		p := item(path, i)
		d.loc.lines[p] = pos(it.Line)
		if err := d.decode(it, s.Index(i), p); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

// strategyNames reads each strategy's name straight from the list, before
// decoding, so messages about a strategy can name it.
func strategyNames(n *yaml.Node) []string {
	names := make([]string, len(n.Content))
	for i, it := range n.Content {
		if it.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(it.Content); j += 2 {
			if it.Content[j].Value == "name" && it.Content[j+1].Kind == yaml.ScalarNode {
				names[i] = it.Content[j+1].Value
			}
		}
	}
	return names
}

// isNumber reports whether a scalar is written as a YAML number.
func isNumber(n *yaml.Node) bool {
	t := n.ShortTag()
	return n.Kind == yaml.ScalarNode && (t == "!!int" || t == "!!float")
}

func (d *decoder) float(n *yaml.Node, v reflect.Value, path string) error {
	var f float64
	if !isNumber(n) || n.Decode(&f) != nil {
		return d.errAt(pos(n.Line), path, "want a number, got "+describe(n), "write a plain number without quotes, e.g. 100")
	}
	v.SetFloat(f)
	return nil
}

func (d *decoder) int(n *yaml.Node, v reflect.Value, path string) error {
	var i int64
	if !isNumber(n) {
		return d.errAt(pos(n.Line), path, "want a whole number, got "+describe(n), "write a plain whole number without quotes, e.g. 4")
	}
	if n.Decode(&i) != nil {
		var f float64
		if n.Decode(&f) != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return d.errAt(pos(n.Line), path, "want a whole number, got "+describe(n), "write a plain whole number without quotes, e.g. 4")
		}
		i = int64(f)
	}
	v.SetInt(i)
	return nil
}

func (d *decoder) uint(n *yaml.Node, v reflect.Value, path string) error {
	var u uint64
	if n.ShortTag() != "!!int" || n.Decode(&u) != nil {
		return d.errAt(pos(n.Line), path, "want a whole number from 0 to 18446744073709551615, got "+describe(n), "write a plain whole number, e.g. 7")
	}
	v.SetUint(u)
	return nil
}

// warmupAuto is the value of "warmup: auto".
const warmupAuto = "auto"

func (d *decoder) duration(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.ScalarNode {
		return d.errAt(pos(n.Line), path, "want a duration, got "+describe(n), `write it like "50ms", "1h30m" or "2d"`)
	}
	if path == "warmup" && n.ShortTag() == "!!str" && n.Value == warmupAuto {
		d.warmupAuto = true
		v.SetInt(0)
		return nil
	}
	if isNumber(n) {
		var f float64
		if n.Decode(&f) == nil && f == 0 {
			v.SetInt(0)
			return nil
		}
		return d.errAt(pos(n.Line), path, "a duration needs a unit, got the bare number "+clip(n.Value), fmt.Sprintf("write it with a unit, e.g. %q", "50ms"))
	}
	dur, err := sim.ParseDuration(n.Value)
	if err != nil || n.ShortTag() != "!!str" {
		hint := `use Go syntax plus "d" for days, e.g. "50ms", "1h30m" or "2d"`
		if path == "warmup" {
			hint += `, or "auto" to detect the warm-up`
		}
		return d.errAt(pos(n.Line), path, "invalid duration "+describe(n), hint)
	}
	v.SetInt(int64(dur))
	return nil
}
