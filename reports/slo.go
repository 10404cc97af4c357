package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SLOClause is one condition of a sweep's --slo filter, such as
// latency_ms.p99<=300: a figure key (FigureKeys), an operator (<=, <, >=
// or >) and a threshold in the figure's unit.
type SLOClause struct {
	Key   string
	Op    string
	Value float64
}

// sloOps are the operators of an SLO clause, two-character ones first so
// that "<=" is not read as "<".
func sloOps() []string { return []string{"<=", ">=", "<", ">"} }

// ParseSLO parses a comma-separated list of clauses, such as
// "latency_ms.p99<=300,availability.success_ratio>=0.999". A latency
// threshold may also be a duration ("300ms"). The error names the clause
// and what is wrong with it.
func ParseSLO(s string) ([]SLOClause, error) {
	var out []SLOClause
	for _, part := range strings.Split(s, ",") {
		c, err := parseClause(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("--slo %q: %w", part, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// parseClause parses one KEY OP VALUE clause.
func parseClause(s string) (SLOClause, error) {
	if s == "" {
		return SLOClause{}, fmt.Errorf("empty clause; write KEY<=VALUE, e.g. latency_ms.p99<=300")
	}
	at := strings.IndexAny(s, "<>=!")
	if at < 0 {
		return SLOClause{}, fmt.Errorf("no operator; write KEY<=VALUE, KEY<VALUE, KEY>=VALUE or KEY>VALUE")
	}
	key := strings.TrimSpace(s[:at])
	rest := s[at:]
	op := rest[:len(rest)-len(strings.TrimLeft(rest, "<>=!"))]
	if !slices.Contains(sloOps(), op) {
		return SLOClause{}, fmt.Errorf("unknown operator %q; use <=, <, >= or >", op)
	}
	if err := checkFigureKey(key); err != nil {
		return SLOClause{}, err
	}
	v, err := parseThreshold(key, strings.TrimSpace(rest[len(op):]))
	if err != nil {
		return SLOClause{}, err
	}
	return SLOClause{Key: key, Op: op, Value: v}, nil
}

// checkFigureKey returns an error unless key is one of FigureKeys.
func checkFigureKey(key string) error {
	keys := FigureKeys()
	if slices.Contains(keys, key) {
		return nil
	}
	if key == "" {
		return fmt.Errorf("no figure key before the operator; keys are like latency_ms.p99 or cost_usd.total")
	}
	return fmt.Errorf("unknown figure %q%s; the figures are %s", key, figureSuggestion(key, keys), strings.Join(keys, ", "))
}

// figureSuggestion returns "; did you mean K?" for the figure key closest to
// key, or "".
func figureSuggestion(key string, keys []string) string {
	best, bestD := "", 4 // suggest only within 3 edits
	for _, k := range keys {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	for _, k := range keys {
		if best == "" && strings.HasSuffix(k, "."+key) {
			best = k
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// parseThreshold parses an SLO threshold: a finite number, or for a
// latency key a duration.
func parseThreshold(key, s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("no value after the operator")
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("the value %q is not a finite number", s)
		}
		return v, nil
	}
	if unitOf(key) == unitMS {
		if d, err := time.ParseDuration(s); err == nil {
			return float64(d) / float64(time.Millisecond), nil
		}
		return 0, fmt.Errorf("the value %q is not a number of milliseconds or a duration like 300ms", s)
	}
	return 0, fmt.Errorf("the value %q is not a number", s)
}

// String renders the clause so that ParseSLO reads it back exactly:
// "latency_ms.p99<=300".
func (c SLOClause) String() string { return c.Key + c.Op + strconv.FormatFloat(c.Value, 'f', -1, 64) }

// Met reports whether figure value x meets the clause.
func (c SLOClause) Met(x float64) bool {
	switch c.Op {
	case "<=":
		return x <= c.Value
	case "<":
		return x < c.Value
	case ">=":
		return x >= c.Value
	default:
		return x > c.Value
	}
}

// Gap is how far x lies on the wrong side of the threshold, in the
// figure's unit (0 when the clause is met or x sits on a strict bound).
func (c SLOClause) Gap(x float64) float64 {
	if c.Met(x) {
		return 0
	}
	return math.Abs(x - c.Value)
}

// SLOAnswer is a sweep's answer to its SLO: the cheapest row (point and
// strategy) meeting every clause, or, when none does, the nearest miss:
// the row with the smallest sum of relative gaps (ties to the cheaper,
// then the earlier), with the gap of each clause it misses.
//
// In JSON its cost is keyed by the figure's path (MarshalJSON).
type SLOAnswer struct {
	Met      bool
	Point    int
	Strategy string
	CostUSD  float64 // the row's total cost (CostTotal)
	Gaps     []SLOGap
}

// SLOGap is how far a row misses one clause.
type SLOGap struct {
	Clause   string  `json:"clause"`
	Value    float64 `json:"value"`    // the row's figure
	Gap      float64 `json:"gap"`      // |value − threshold|, in the figure's unit
	Relative float64 `json:"relative"` // gap / |threshold| (the gap itself for a threshold of 0)
}

// SLOAnswer evaluates the sweep's SLO clauses on every row in which some
// request completed, comparing figures as rendered (6 significant digits).
// It returns nil when the sweep has no SLO or no such row.
func (s *Sweep) SLOAnswer() *SLOAnswer {
	if len(s.SLO) == 0 {
		return nil
	}
	type scored struct {
		ans   SLOAnswer
		score float64
		order int
	}
	var best *scored
	for i, r := range s.Rows() {
		if r.Summary.Requests.Completed == 0 {
			continue
		}
		c := scored{ans: SLOAnswer{Met: true, Point: r.Point, Strategy: r.Summary.Name,
			CostUSD: roundSig(r.Summary.CostUSD.Total, renderSigDigits)}, order: i}
		for _, cl := range s.SLO {
			x, _ := Figure(r.Summary, cl.Key)
			x = roundSig(x, renderSigDigits)
			if cl.Met(x) {
				continue
			}
			g := SLOGap{Clause: cl.String(), Value: x, Gap: cl.Gap(x)}
			g.Relative = g.Gap
			if cl.Value != 0 {
				g.Relative = g.Gap / math.Abs(cl.Value)
			}
			c.ans.Met = false
			c.ans.Gaps = append(c.ans.Gaps, g)
			c.score += g.Relative
		}
		if best == nil || betterAnswer(c.ans.Met, c.score, c.ans.CostUSD, best.ans.Met, best.score, best.ans.CostUSD) {
			best = &c
		}
	}
	if best == nil {
		return nil
	}
	return &best.ans
}

// betterAnswer reports whether a row (met, score, cost) beats the best so
// far: meeting beats missing; among rows that meet, the cheaper; among
// misses, the smaller score, then the cheaper. Equal rows keep the earlier.
func betterAnswer(met bool, score, cost float64, bMet bool, bScore, bCost float64) bool {
	if met != bMet {
		return met
	}
	if !met {
		if c := cmp.Compare(score, bScore); c != 0 {
			return c < 0
		}
	}
	return cost < bCost
}
