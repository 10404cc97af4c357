package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// sweepJSON is the wire form of a Sweep; field order is output order.
type sweepJSON struct {
	SchemaVersion int           `json:"schema_version"`
	Scenario      string        `json:"scenario"`
	Seed          uint64        `json:"seed"`
	DurationS     float64       `json:"duration_s"`
	WarmupS       float64       `json:"warmup_s"`
	SLOLatencyMS  float64       `json:"slo_latency_ms"`
	Replications  int           `json:"replications"`
	Grid          []Axis        `json:"grid"`
	Shard         *ShardInfo    `json:"shard,omitempty"`
	Points        []pointJSON   `json:"points"`
	Pareto        []ParetoPoint `json:"pareto"`
	SLO           *sloJSON      `json:"slo,omitempty"`
}

// pointJSON is the wire form of a SweepPoint.
type pointJSON struct {
	Vary       Vary              `json:"vary"`
	Strategies []StrategySummary `json:"strategies"`
	Warnings   []string          `json:"warnings,omitempty"`
}

// sloJSON is the wire form of a sweep's SLO and its answer.
type sloJSON struct {
	Clauses []string   `json:"clauses"`
	Answer  *SLOAnswer `json:"answer"`
}

// WriteSweepJSON writes s as the sweep JSON of docs/outputs.md:
//
//	{"schema_version": 1, "scenario": ..., "seed": ..., "duration_s": ...,
//	 "warmup_s": ..., "slo_latency_ms": ..., "replications": ...,
//	 "grid": [{"path": PATH, "values": [...]}, ...],
//	 "shard": {...},                       (a shard only)
//	 "points": [{"vary": {PATH: VALUE, ...}, "strategies": [...]}, ...],
//	 "pareto": [{"point": K, "strategy": NAME, COST: ..., P99: ...}, ...],
//	 "slo": {"clauses": [...], "answer": {...}}}   (with --slo only)
//
// (COST and P99 being the keys of CostTotal and LatencyP99), formatted as
// WriteJSON formats a run (two-space indent, floats rounded to
// 6 significant digits, a trailing newline). A vary value that is a JSON
// number is written as a number, any other as a string. The Pareto
// frontier and the SLO answer are computed from the rounded figures, so
// reading the output back and writing it again gives the same bytes.
func WriteSweepJSON(w io.Writer, s *Sweep) error {
	r := s.rounded()
	out := sweepJSON{
		SchemaVersion: SchemaVersion,
		Scenario:      r.Scenario,
		Seed:          r.Seed,
		DurationS:     r.DurationS,
		WarmupS:       r.WarmupS,
		SLOLatencyMS:  r.SLOLatencyMS,
		Replications:  r.Replications,
		Grid:          r.Grid,
		Shard:         r.Shard,
		Points:        make([]pointJSON, len(r.Points)),
		Pareto:        r.Pareto(),
	}
	if out.Grid == nil {
		out.Grid = []Axis{}
	}
	for i, p := range r.Points {
		out.Points[i] = pointJSON{Vary: p.Vary, Strategies: p.Strategies, Warnings: p.Warnings}
		if out.Points[i].Strategies == nil {
			out.Points[i].Strategies = []StrategySummary{}
		}
	}
	if len(r.SLO) > 0 {
		out.SLO = &sloJSON{Answer: r.SLOAnswer()}
		for _, c := range r.SLO {
			out.SLO.Clauses = append(out.SLO.Clauses, c.String())
		}
		if a := out.SLO.Answer; a != nil {
			for i := range a.Gaps {
				g := &a.Gaps[i]
				g.Gap, g.Relative = roundSig(g.Gap, renderSigDigits), roundSig(g.Relative, renderSigDigits)
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write sweep json: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write sweep json: %w", err)
	}
	return nil
}

// MaxSweepJSON is the largest sweep JSON ReadSweep accepts, in bytes.
const MaxSweepJSON = 1 << 30

// ReadSweep reads a sweep written by WriteSweepJSON (whole or a shard). It
// checks that the input is a sweep of a schema it knows and that its points
// are those of its grid; the Pareto frontier and SLO answer in the input
// are ignored (they are derived). The error says what is wrong.
func ReadSweep(r io.Reader) (*Sweep, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSweepJSON+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSweepJSON {
		return nil, fmt.Errorf("larger than %d MiB", MaxSweepJSON>>20)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, ok := keys["points"]; !ok {
		if _, run := keys["strategies"]; run {
			return nil, errors.New("a run result (scalesim run -o json), not a sweep: it has no \"points\"")
		}
		return nil, errors.New("not a scalesim sweep result: it has no \"points\"")
	}
	var in sweepJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("not a scalesim sweep result: %w", err)
	}
	if in.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("schema_version %d; this scalesim reads version %d", in.SchemaVersion, SchemaVersion)
	}
	if len(in.Grid) == 0 {
		return nil, errors.New("not a scalesim sweep result: its grid is empty")
	}
	s := &Sweep{Scenario: in.Scenario, Seed: in.Seed, DurationS: in.DurationS, WarmupS: in.WarmupS,
		SLOLatencyMS: in.SLOLatencyMS, Replications: in.Replications, Grid: in.Grid, Shard: in.Shard}
	if sh := s.Shard; sh != nil && (sh.Count < 1 || sh.Index < 1 || sh.Index > sh.Count) {
		return nil, fmt.Errorf("shard %d/%d is not a valid shard", sh.Index, sh.Count)
	}
	for _, p := range in.Points {
		s.Points = append(s.Points, SweepPoint{Vary: p.Vary, Strategies: p.Strategies, Warnings: p.Warnings})
	}
	if in.SLO != nil {
		for _, c := range in.SLO.Clauses {
			cl, err := ParseSLO(c)
			if err != nil {
				return nil, fmt.Errorf("slo: %w", err)
			}
			s.SLO = append(s.SLO, cl...)
		}
	}
	if err := s.checkPoints(); err != nil {
		return nil, err
	}
	return s, nil
}

// MarshalJSON writes the axis as {"path": PATH, "values": [...]}.
func (a Axis) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"path":`)
	writeJSONString(&b, a.Path)
	b.WriteString(`,"values":[`)
	for i, v := range a.Values {
		if i > 0 {
			b.WriteByte(',')
		}
		writeVaryValue(&b, v)
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Axis) UnmarshalJSON(data []byte) error {
	var in struct {
		Path   string            `json:"path"`
		Values []json.RawMessage `json:"values"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	if in.Path == "" || len(in.Values) == 0 {
		return errors.New("a grid axis needs a path and values")
	}
	a.Path, a.Values = in.Path, nil
	for _, raw := range in.Values {
		v, err := readVaryValue(raw)
		if err != nil {
			return fmt.Errorf("grid %s: %w", in.Path, err)
		}
		a.Values = append(a.Values, v)
	}
	return nil
}

// MarshalJSON writes the values as an object keyed by path, in order.
func (v Vary) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, x := range v {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, x.Path)
		b.WriteByte(':')
		writeVaryValue(&b, x.Value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object keyed by path, keeping the key order.
func (v *Vary) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("vary is not an object")
	}
	*v = nil
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		path, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		val, err := readVaryValue(raw)
		if err != nil {
			return fmt.Errorf("vary %s: %w", path, err)
		}
		*v = append(*v, VaryValue{Path: path, Value: val})
	}
	_, err := dec.Token()
	return err
}

// writeVaryValue writes a vary value: a JSON number as it is, anything
// else as a string.
func writeVaryValue(b *bytes.Buffer, v string) {
	if isJSONNumber(v) {
		b.WriteString(v)
		return
	}
	writeJSONString(b, v)
}

// readVaryValue reads a vary value written by writeVaryValue.
func readVaryValue(raw json.RawMessage) (string, error) {
	t := strings.TrimSpace(string(raw))
	if isJSONNumber(t) {
		return t, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("value %s is neither a number nor a string", t)
	}
	if isJSONNumber(s) {
		return "", fmt.Errorf("value %q is a number written as a string", s)
	}
	return s, nil
}

// isJSONNumber reports whether s is a number in JSON syntax.
func isJSONNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil && string(n) == s
}

// writeJSONString writes s as a JSON string, without HTML escaping.
func writeJSONString(b *bytes.Buffer, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
