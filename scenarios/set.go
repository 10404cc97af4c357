package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// applySet applies one --set PATH=VALUE flag (the i-th) to the node tree
// rooted at root, the top-level mapping of a scenario file. PATH is YAML keys
// joined with dots; an item of strategies is named by its name (or, failing
// that, its 0-based index), an item of another list by its index. VALUE is
// parsed as YAML, so lists and mappings can be written in flow style. A key
// the schema knows but the file lacks is added. Every node the flag supplies
// is marked with the flag's position, so later messages name the flag.
func applySet(schema *Schema, root *yaml.Node, i int, flag string) error {
	bad := func(msg, hint string) error {
		return &Error{File: "--set " + flag, Msg: msg, Hint: hint}
	}
	path, value, ok := strings.Cut(flag, "=")
	if !ok || strings.TrimSpace(path) == "" {
		return bad("want PATH=VALUE", "e.g. --set workload.rate=500")
	}
	keys := strings.Split(strings.TrimSpace(path), ".")
	for _, k := range keys {
		if k == "" {
			return bad(fmt.Sprintf("empty key in path %q", clip(path)), "join keys with single dots, e.g. strategies.asg.max")
		}
	}
	val, err := parseValue(value)
	if err != nil {
		return bad("the value is not valid YAML: "+strings.TrimPrefix(oneLine(err.Error()), "yaml: "), "quote it if it is meant as text")
	}
	at := pos(-i - 1)
	mark(val, at)
	n, t, where := root, reflect.TypeFor[Spec](), ""
	for depth, k := range keys {
		if n.Kind == yaml.AliasNode {
			return bad(fmt.Sprintf("%s is an alias (*%s) in the file", where, clip(n.Value)), "write the value out in the file, or --set the whole "+where)
		}
		last := depth == len(keys)-1
		var msg, hint string
		for t.Kind() == reflect.Pointer { // an optional section, such as warm_pool
			t = t.Elem()
		}
		switch {
		case t == reflect.TypeFor[StrategySpec]():
			n, t, msg, hint = setStrategyField(schema, n, k, where, at, last, val)
		case t.Kind() == reflect.Struct:
			n, t, msg, hint = setField(n, t, k, where, at, last, val)
		case t.Kind() == reflect.Slice:
			n, t, msg, hint = setItem(n, t, k, where, last, val)
		default:
			msg, hint = fmt.Sprintf("%s is a single value; it has no key %q", where, clip(k)), "set "+where+" itself"
		}
		if msg != "" {
			return bad(msg, hint)
		}
		where = child(where, k)
	}
	return nil
}

// setField steps from mapping n (of struct type t, at path where) into its
// key k, adding the key if the file lacks it; if last, it sets the value to
// val. It returns the node and type stepped into, or a message and hint.
func setField(n *yaml.Node, t reflect.Type, k, where string, at pos, last bool, val *yaml.Node) (*yaml.Node, reflect.Type, string, string) {
	f, ok := fieldByKey(t, k)
	if !ok {
		return nil, nil, unknownSetKey(k, where), didYouMean(k, keysOf(t))
	}
	return stepInto(n, t.Field(f).Type, k, where, at, last, val)
}

// setStrategyField is setField for a strategy, whose keys are those of
// the family its type names (or, if it names none, of any family).
func setStrategyField(schema *Schema, n *yaml.Node, k, where string, at pos, last bool, val *yaml.Node) (*yaml.Node, reflect.Type, string, string) {
	typ := ""
	if n.Kind == yaml.MappingNode {
		if tn := mappingValue(n, "type"); tn != nil && tn.Kind == yaml.ScalarNode {
			typ = tn.Value
		}
	}
	ft, ok := schema.keyType(typ, k)
	if !ok {
		return nil, nil, unknownSetKey(k, where), didYouMean(k, schema.strategyKeys())
	}
	return stepInto(n, ft, k, where, at, last, val)
}

// unknownSetKey is the message for a --set key the schema does not have.
func unknownSetKey(k, where string) string {
	msg := fmt.Sprintf("unknown key %q", clip(k))
	if where != "" {
		msg += " in " + where
	}
	return msg
}

// stepInto steps from mapping n (at path where) into its key k, of type
// ft, adding the key if the file lacks it; if last, it sets the value to
// val.
func stepInto(n *yaml.Node, ft reflect.Type, k, where string, at pos, last bool, val *yaml.Node) (*yaml.Node, reflect.Type, string, string) {
	if n.Kind != yaml.MappingNode {
		if !isNull(n) {
			return nil, nil, fmt.Sprintf("%s is %s in the file, not a mapping", where, describe(n)), "--set the whole " + where
		}
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: int(at)}
	}
	next := mappingValue(n, k)
	switch {
	case last && next != nil:
		*next = *val
		return next, ft, "", ""
	case last:
		next = val
	case next != nil:
		return next, ft, "", ""
	case ft.Kind() == reflect.Slice:
		next = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: int(at)}
	default:
		next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: int(at)}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: int(at)}, next)
	return next, ft, "", ""
}

// setItem steps from list n (of slice type t, at path where) into the item
// named k; if last, it replaces the item with val.
func setItem(n *yaml.Node, t reflect.Type, k, where string, last bool, val *yaml.Node) (*yaml.Node, reflect.Type, string, string) {
	if n.Kind != yaml.SequenceNode {
		return nil, nil, fmt.Sprintf("%s is %s in the file, not a list", where, describe(n)), "--set the whole " + where
	}
	j, err := findItem(n, t, k)
	if err != nil {
		return nil, nil, fmt.Sprintf("%s in %s", err.Error(), where), itemHint(n, t, k)
	}
	if last {
		*n.Content[j] = *val
	}
	return n.Content[j], t.Elem(), "", ""
}

// parseValue parses a --set value as one YAML node; an empty value is null.
func parseValue(s string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, nil
	}
	return doc.Content[0], nil
}

// mark sets the position of every node of a --set value to p.
func mark(n *yaml.Node, p pos) {
	n.Line, n.Column = int(p), 0
	for _, c := range n.Content {
		mark(c, p)
	}
}

// isNull reports whether n is a null scalar.
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// fieldByKey returns the index of struct type t's field tagged key.
func fieldByKey(t reflect.Type, key string) (int, bool) {
	for _, f := range fieldsOf(t) {
		if f.key == key {
			return f.index, true
		}
	}
	return 0, false
}

// mappingValue returns the value node of key in mapping n (the last one if
// the key repeats; the decoder reports the repeat), or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	var v *yaml.Node
	for j := 0; j+1 < len(n.Content); j += 2 {
		if k := n.Content[j]; k.Kind == yaml.ScalarNode && k.Value == key {
			v = n.Content[j+1]
		}
	}
	return v
}

// findItem finds the item of list n named by k: for strategies the item
// whose name is k, else (or if none is) the item at index k.
func findItem(n *yaml.Node, t reflect.Type, k string) (int, error) {
	if t.Elem() == reflect.TypeFor[StrategySpec]() {
		for j, it := range n.Content {
			if it.Kind == yaml.MappingNode {
				if nv := mappingValue(it, "name"); nv != nil && nv.Kind == yaml.ScalarNode && nv.Value == k {
					return j, nil
				}
			}
		}
	}
	j, err := strconv.Atoi(k)
	if err != nil || j < 0 || j >= len(n.Content) {
		if t.Elem() == reflect.TypeFor[StrategySpec]() {
			return 0, fmt.Errorf("no strategy named %q", clip(k))
		}
		return 0, fmt.Errorf("no item %q", clip(k))
	}
	return j, nil
}

// itemHint lists how the items of list n can be named.
func itemHint(n *yaml.Node, t reflect.Type, k string) string {
	if t.Elem() == reflect.TypeFor[StrategySpec]() {
		var names []string
		for _, name := range strategyNames(n) {
			if name != "" {
				names = append(names, name)
			}
		}
		if s := suggest(k, names); s != "" {
			return fmt.Sprintf("did you mean %q?", s)
		}
		return "the strategies are " + orList(names)
	}
	if len(n.Content) == 0 {
		return "the list is empty; set the whole list instead"
	}
	return fmt.Sprintf("name an item by its index, 0 to %d", len(n.Content)-1)
}
