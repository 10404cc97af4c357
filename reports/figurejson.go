package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// jsonField is one member of a JSON object written in a fixed order.
type jsonField struct {
	key   string
	value any
	omit  bool // left out
}

// marshalObject writes the fields as a JSON object, in order, without
// HTML escaping (as WriteJSON writes everything).
func marshalObject(fields []jsonField) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, f := range fields {
		if f.omit {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeJSONString(&b, f.key)
		b.WriteByte(':')
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f.value); err != nil {
			return nil, fmt.Errorf("%s: %w", f.key, err)
		}
		b.Write(bytes.TrimSuffix(v.Bytes(), []byte("\n")))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// unmarshalObject reads a JSON object into the fields' values (pointers),
// matched by key; keys not listed are ignored, as encoding/json does.
func unmarshalObject(data []byte, fields []jsonField) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	for _, f := range fields {
		raw, ok := m[f.key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, f.value); err != nil {
			return fmt.Errorf("%s: %w", f.key, err)
		}
	}
	return nil
}

// MarshalJSON writes the point with its figures keyed by their JSON
// paths: {"point": K, "strategy": NAME, CostTotal's key: ..., LatencyP99's
// key: ...}.
func (p ParetoPoint) MarshalJSON() ([]byte, error) {
	return marshalObject([]jsonField{{key: "point", value: p.Point}, {key: "strategy", value: p.Strategy},
		{key: CostTotal.Key(), value: p.CostUSD}, {key: LatencyP99.Key(), value: p.LatencyP99MS}})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *ParetoPoint) UnmarshalJSON(data []byte) error {
	return unmarshalObject(data, []jsonField{{key: "point", value: &p.Point}, {key: "strategy", value: &p.Strategy},
		{key: CostTotal.Key(), value: &p.CostUSD}, {key: LatencyP99.Key(), value: &p.LatencyP99MS}})
}

// MarshalJSON writes the answer with its cost keyed by the figure's JSON
// path: {"met": ..., "point": K, "strategy": NAME, CostTotal's key: ...,
// "gaps": [...]} (gaps only when some clause is missed).
func (a SLOAnswer) MarshalJSON() ([]byte, error) {
	return marshalObject([]jsonField{{key: "met", value: a.Met}, {key: "point", value: a.Point},
		{key: "strategy", value: a.Strategy}, {key: CostTotal.Key(), value: a.CostUSD},
		{key: "gaps", value: a.Gaps, omit: len(a.Gaps) == 0}})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *SLOAnswer) UnmarshalJSON(data []byte) error {
	return unmarshalObject(data, []jsonField{{key: "met", value: &a.Met}, {key: "point", value: &a.Point},
		{key: "strategy", value: &a.Strategy}, {key: CostTotal.Key(), value: &a.CostUSD}, {key: "gaps", value: &a.Gaps}})
}
