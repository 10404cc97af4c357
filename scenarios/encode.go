package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scalesim/scalesim/sim"
	"github.com/scalesim/scalesim/strategies"
	"github.com/scalesim/scalesim/workloads"
)

// YAML renders the resolved scenario, every default written out, as a
// scenario file that loads back to the same Spec. Paths of trace and
// sample files are written as the scenario gave them, relative to its
// directory.
func (s *Scenario) YAML() ([]byte, error) {
	root := encodeValue(reflect.ValueOf(s.Spec))
	root.HeadComment = "Resolved scenario " + s.Spec.Name + ": every default written out."
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("scenario %s: render YAML: %w", s.Spec.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("scenario %s: render YAML: %w", s.Spec.Name, err)
	}
	return buf.Bytes(), nil
}

// usedKeys returns the keys a section writes: for the polymorphic sections
// those of its type; for the top level all but an empty description.
func usedKeys(v reflect.Value) []string {
	switch x := v.Interface().(type) {
	case Spec:
		keys := keysOf(v.Type())
		if x.Description == "" {
			keys = slices.DeleteFunc(keys, func(k string) bool { return k == "description" })
		}
		return keys
	case WorkloadSpec:
		keys := withoutEmpty(workloadKeys(x.Type), "column", x.Column)
		if x.Interval == 0 { // counts traces need one; cloudwatch's 0 is the default
			keys = slices.DeleteFunc(keys, func(k string) bool { return k == "interval" })
		}
		if f, _ := workloads.LookupFormat(x.Format); f.Options.Strict == workloads.Unused {
			keys = slices.DeleteFunc(keys, func(k string) bool { return k == workloads.KeyStrict })
		}
		return keys
	case TimeSpec:
		return withoutEmpty(timeKeys(x.Dist), "column", x.Column)
	case PolicySpec:
		return policyKeys(x.Type)
	case strategies.HistoryConfig:
		return withoutEmpty(keysOf(v.Type()), "column", x.Column)
	case strategies.ScheduledActionConfig:
		return withoutEmpty(withoutEmpty(withoutEmpty(keysOf(v.Type()), "name", x.Name), "recurrence", x.Recurrence),
			"time_zone", x.TimeZone)
	}
	return keysOf(v.Type())
}

// withoutEmpty drops key from keys when its value is empty.
func withoutEmpty(keys []string, key, value string) []string {
	if value != "" {
		return keys
	}
	return slices.DeleteFunc(keys, func(k string) bool { return k == key })
}

// flowStyler is a section of a family that reads best on one line in the
// resolved YAML ({a: 1, b: 2}).
type flowStyler interface{ flowStyle() bool }

// flow reports whether a section reads best on one line.
func flow(v reflect.Value) bool {
	switch x := v.Interface().(type) {
	case PolicySpec:
		return len(x.Steps) == 0 && len(x.Actions) == 0
	case StepSpec, TimeSpec, []string, HealthCheckSpec, MetricsSpec, OutageSpec,
		strategies.StepConfig, strategies.ScheduledActionConfig, strategies.HPAScalingPolicy:
		return true
	case flowStyler:
		return x.flowStyle()
	}
	return false
}

// scalar is a YAML scalar node of tag.
func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// encodeValue renders v as a YAML node.
func encodeValue(v reflect.Value) *yaml.Node {
	t := v.Type()
	switch {
	case t == reflect.TypeFor[sim.Duration]():
		return scalar("!!str", sim.Duration(v.Int()).String())
	case t == reflect.TypeFor[StrategySpec]():
		return encodeStrategy(v.Interface().(StrategySpec))
	case t == reflect.TypeFor[Quantity]():
		if x, err := strconv.ParseFloat(v.String(), 64); err == nil {
			return encodeValue(reflect.ValueOf(x))
		}
		return scalar("!!str", v.String())
	case t == reflect.TypeFor[Initial]():
		if _, err := strconv.Atoi(v.String()); err == nil {
			return scalar("!!int", v.String())
		}
		return scalar("!!str", v.String())
	}
	var style yaml.Style
	if flow(v) {
		style = yaml.FlowStyle
	}
	switch t.Kind() {
	case reflect.Pointer:
		return encodeValue(v.Elem()) // nil pointers are left out by their struct
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: style}
		used := usedKeys(v)
		for _, f := range fieldsOf(t) {
			if fv := v.Field(f.index); fv.Kind() == reflect.Pointer && fv.IsNil() || f.omitEmpty && fv.IsZero() {
				continue // not set: absent, which is not the same as any value
			}
			if !slices.Contains(used, f.key) {
				continue
			}
			val := encodeValue(v.Field(f.index))
			if sp, ok := v.Interface().(Spec); ok && f.key == "warmup" && sp.WarmupAuto {
				val = scalar("!!str", warmupAuto)
			}
			if _, ok := v.Interface().(Spec); ok && f.key == "start" {
				val = scalar("!!timestamp", val.Value) // unquoted, as written
			}
			n.Content = append(n.Content, scalar("!!str", f.key), val)
		}
		return n
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: style}
		for i := range v.Len() {
			n.Content = append(n.Content, encodeValue(v.Index(i)))
		}
		return n
	case reflect.String:
		return scalar("!!str", v.String())
	case reflect.Float64:
		s := strconv.FormatFloat(v.Float(), 'g', -1, 64)
		if strings.ContainsAny(s, ".eEnN") {
			return scalar("!!float", s)
		}
		return scalar("!!int", s)
	case reflect.Int:
		return scalar("!!int", strconv.FormatInt(v.Int(), 10))
	case reflect.Uint64:
		return scalar("!!int", strconv.FormatUint(v.Uint(), 10))
	}
	panic("scenarios: encoder does not support field type " + t.String())
}

// encodeStrategy renders a strategy: its name and type, then its family's
// keys.
func encodeStrategy(st StrategySpec) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	n.Content = append(n.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "name"}, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: st.Name},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "type"}, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: st.Type})
	if st.Spec != nil {
		n.Content = append(n.Content, encodeValue(reflect.ValueOf(st.Spec).Elem()).Content...)
	}
	return n
}
