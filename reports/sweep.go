package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Sweep is the outcome of a sweep: a scenario run at every point of a grid
// of variations (`scalesim sweep -o json`, docs/outputs.md). A sharded sweep
// holds only its shard's points, and Shard says which.
type Sweep struct {
	Scenario     string
	Seed         uint64
	DurationS    float64 // the scenario's, before any --vary
	WarmupS      float64
	SLOLatencyMS float64
	Replications int
	// Grid lists the varied fields in --vary order: the first varies
	// slowest.
	Grid []Axis
	// Shard is nil for a whole grid.
	Shard *ShardInfo
	// Points are in grid order; a shard's are a subset.
	Points []SweepPoint
	// SLO holds the --slo clauses; the answer is derived from them.
	SLO []SLOClause
	// Absent lists the figures the file read lacked (ReadCheckInput): it
	// was written by a scalesim older than them.
	Absent []string
}

// Axis is one varied scenario field: its PATH (as --set names it) and the
// values it takes, as written on the command line, in order.
type Axis struct {
	Path   string
	Values []string
}

// VaryValue is the value one axis takes at one point.
type VaryValue struct {
	Path  string
	Value string
}

// Vary is a point's values, one per axis in grid order. It renders as a
// JSON object keyed by path, in that order.
type Vary []VaryValue

// Sets returns the point's values as --set flags, PATH=VALUE.
func (v Vary) Sets() []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = x.Path + "=" + x.Value
	}
	return out
}

// String renders the values as "path=value, path=value".
func (v Vary) String() string { return strings.Join(v.Sets(), ", ") }

// SweepPoint is one point of the grid and the result of running it.
type SweepPoint struct {
	// Index is the point's 0-based position in the whole grid.
	Index      int
	Vary       Vary
	Strategies []StrategySummary
	// Warnings are the run's warnings.
	Warnings []string
}

// ShardInfo says which part of a grid a sharded sweep holds: the points k
// (0-based) with k mod Count = Index − 1. GridHash identifies the scenario,
// the grid and every flag that changes results, so that merge refuses
// parts of different sweeps.
type ShardInfo struct {
	Index       int    `json:"index"` // 1-based
	Count       int    `json:"count"`
	PointsTotal int    `json:"points_total"`
	GridHash    string `json:"grid_hash"`
}

// Holds reports whether grid point k belongs to the shard.
func (s *ShardInfo) Holds(k int) bool { return k%s.Count == s.Index-1 }

// GridSize is the number of points of the grid of axes: the product of
// their lengths (1 for no axes). It saturates at limit+1 so that a huge
// grid is reported, not overflowed.
func GridSize(axes []Axis, limit int) int {
	n := 1
	for _, a := range axes {
		n *= len(a.Values)
		if n > limit {
			return limit + 1
		}
	}
	return n
}

// GridPoint returns point k of the grid: the first axis varies slowest,
// the last fastest.
func GridPoint(axes []Axis, k int) Vary {
	v := make(Vary, len(axes))
	for i := len(axes) - 1; i >= 0; i-- {
		n := len(axes[i].Values)
		v[i] = VaryValue{Path: axes[i].Path, Value: axes[i].Values[k%n]}
		k /= n
	}
	return v
}

// SweepRow is one strategy at one point.
type SweepRow struct {
	Point   int // grid index
	Vary    Vary
	Summary StrategySummary
}

// Rows lists every strategy of every point, points in grid order and
// strategies in result order.
func (s *Sweep) Rows() []SweepRow {
	var out []SweepRow
	for _, p := range s.Points {
		for _, st := range p.Strategies {
			out = append(out, SweepRow{Point: p.Index, Vary: p.Vary, Summary: st})
		}
	}
	return out
}

// ParetoPoint is a row on the cost/p99 Pareto frontier: its total cost
// (CostTotal) and p99 latency (LatencyP99). In JSON the figures are keyed
// by their paths (MarshalJSON).
type ParetoPoint struct {
	Point        int
	Strategy     string
	CostUSD      float64
	LatencyP99MS float64
}

// Pareto returns the rows on the frontier of total cost against p99
// latency, cheapest first: those that no other row beats on one figure
// without losing on the other (rows equal on both are all kept). Rows in
// which no request completed have no latency and are left out. Figures are
// compared as rendered (6 significant digits), so a merged sweep has the
// same frontier as the unsharded one.
func (s *Sweep) Pareto() []ParetoPoint {
	type cand struct {
		ParetoPoint
		order int
	}
	var cs []cand
	for i, r := range s.Rows() {
		if r.Summary.Requests.Completed == 0 {
			continue
		}
		cs = append(cs, cand{ParetoPoint{Point: r.Point, Strategy: r.Summary.Name,
			CostUSD:      roundSig(r.Summary.CostUSD.Total, renderSigDigits),
			LatencyP99MS: roundSig(r.Summary.LatencyMS.P99, renderSigDigits)}, i})
	}
	slices.SortFunc(cs, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.CostUSD, b.CostUSD), cmp.Compare(a.LatencyP99MS, b.LatencyP99MS), cmp.Compare(a.order, b.order))
	})
	out := []ParetoPoint{}
	for _, c := range cs {
		if n := len(out); n == 0 || c.LatencyP99MS < out[n-1].LatencyP99MS ||
			c.LatencyP99MS == out[n-1].LatencyP99MS && c.CostUSD == out[n-1].CostUSD {
			out = append(out, c.ParetoPoint)
		}
	}
	return out
}

// onPareto returns a set of the rows on the frontier, keyed by point and
// strategy.
func (s *Sweep) onPareto() map[paretoKey]bool {
	out := map[paretoKey]bool{}
	for _, p := range s.Pareto() {
		out[paretoKey{p.Point, p.Strategy}] = true
	}
	return out
}

type paretoKey struct {
	point    int
	strategy string
}

// rounded returns a copy of s with every figure rounded as rendered.
func (s *Sweep) rounded() *Sweep {
	c := *s
	c.DurationS = roundSig(c.DurationS, renderSigDigits)
	c.WarmupS = roundSig(c.WarmupS, renderSigDigits)
	c.SLOLatencyMS = roundSig(c.SLOLatencyMS, renderSigDigits)
	c.Points = make([]SweepPoint, len(s.Points))
	for i, p := range s.Points {
		p.Strategies = slices.Clone(p.Strategies)
		for j := range p.Strategies {
			p.Strategies[j] = roundedSummary(p.Strategies[j])
		}
		c.Points[i] = p
	}
	return &c
}

// checkPoints verifies that the points are exactly those of the grid (or
// of the shard), in order, and sets their indexes.
func (s *Sweep) checkPoints() error {
	const limit = 1 << 40
	total := GridSize(s.Grid, limit)
	if s.Shard != nil && s.Shard.PointsTotal != total {
		return fmt.Errorf("the shard says the grid has %d points, but its grid has %d", s.Shard.PointsTotal, total)
	}
	want := 0
	next := func() int {
		for s.Shard != nil && want < total && !s.Shard.Holds(want) {
			want++
		}
		k := want
		want++
		return k
	}
	for i := range s.Points {
		k := next()
		if k >= total {
			return fmt.Errorf("%d points, more than the grid (or shard) holds", len(s.Points))
		}
		if g := GridPoint(s.Grid, k); !slices.Equal(g, s.Points[i].Vary) {
			return fmt.Errorf("point %d varies %s, but grid point %d is %s", i, s.Points[i].Vary, k, g)
		}
		s.Points[i].Index = k
	}
	if k := next(); k < total {
		return fmt.Errorf("%d points, fewer than the grid (or shard) holds: grid point %d (%s) is missing", len(s.Points), k, GridPoint(s.Grid, k))
	}
	return nil
}
