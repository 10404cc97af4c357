package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sign is the direction's sign in a limit: "+", "-" or "±".
func (d Direction) sign() string {
	switch d {
	case HigherWorse:
		return "+"
	case LowerWorse:
		return "-"
	}
	return "±"
}

// Limit is how much a figure may get worse before check calls it a
// regression: a share of the baseline's value (Relative), or an amount in
// the figure's unit (milliseconds for latency, dollars for cost).
type Limit struct {
	Key      string
	Value    float64 // a fraction of the baseline when Relative, else an amount; >= 0
	Relative bool
	Text     string // the allowance as written, without its sign: "10%", "20ms", "$3", "0.001"
}

// String renders the limit with the direction of its figure: "+10%",
// "-0.001", "±5%".
func (l Limit) String() string { return FigureDirection(l.Key).sign() + l.Text }

// Allowance is how far a figure whose baseline is base may get worse.
func (l Limit) Allowance(base float64) float64 {
	if l.Relative {
		return math.Abs(base) * l.Value
	}
	return l.Value
}

// ParseLimit parses a --max-regression value, KEY=LIMIT: KEY is one of
// FigureKeys; LIMIT is a share of the baseline ("5%"), or an amount: a
// duration for a latency key ("20ms"), dollars for a cost key ("$3"), or
// a plain number in the figure's unit ("0.001"). A sign is optional and
// must be the direction in which the figure gets worse ("+10%" for
// latency, "-0.001" for a ratio).
func ParseLimit(s string) (Limit, error) {
	key, text, ok := strings.Cut(s, "=")
	key, text = strings.TrimSpace(key), strings.TrimSpace(text)
	if !ok || key == "" || text == "" {
		return Limit{}, fmt.Errorf("--max-regression %q: want KEY=LIMIT, e.g. latency_ms.p99=10%% or cost_usd.total=$3", s)
	}
	if err := checkFigureKey(key); err != nil {
		return Limit{}, fmt.Errorf("--max-regression %q: %w", s, err)
	}
	l, err := parseAllowance(key, text)
	if err != nil {
		return Limit{}, fmt.Errorf("--max-regression %q: %w", s, err)
	}
	return l, nil
}

// parseAllowance parses the LIMIT of KEY=LIMIT.
func parseAllowance(key, text string) (Limit, error) {
	dir := FigureDirection(key)
	if c := text[0]; c == '+' || c == '-' {
		if dir != EitherWorse && string(c) != dir.sign() {
			return Limit{}, fmt.Errorf("%s gets worse as it %s; write %s%s or %s", key, map[Direction]string{HigherWorse: "rises", LowerWorse: "falls"}[dir],
				dir.sign(), text[1:], text[1:])
		}
		text = strings.TrimSpace(text[1:])
	}
	l := Limit{Key: key, Text: text}
	u := unitOf(key)
	num := text
	switch {
	case strings.HasSuffix(text, "%"):
		l.Relative, num = true, strings.TrimSpace(strings.TrimSuffix(text, "%"))
	case strings.HasPrefix(text, "$"):
		if u != unitUSD {
			return Limit{}, fmt.Errorf("a dollar amount is a limit for cost_usd.* figures only; write a number or a percentage for %s", key)
		}
		num = strings.TrimSpace(text[1:])
	case strings.IndexFunc(text, isUnitLetter) >= 0 && !strings.ContainsAny(text, "eE"):
		if u != unitMS {
			return Limit{}, fmt.Errorf("a duration is a limit for latency_ms.* figures only; write a number or a percentage for %s", key)
		}
		d, err := time.ParseDuration(text)
		if err != nil || d < 0 {
			return Limit{}, fmt.Errorf("%q is not a duration like 20ms", text)
		}
		l.Value = float64(d) / float64(time.Millisecond)
		return l, nil
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return Limit{}, fmt.Errorf("%q is not a limit: write a percentage (5%%), a number in the figure's unit, 20ms for latency or $3 for cost", text)
	}
	if l.Relative {
		v /= 100
	}
	l.Value = v
	return l, nil
}

// isUnitLetter reports whether r starts a duration unit (ms, s, us, µs, m, h, ns).
func isUnitLetter(r rune) bool { return r >= 'a' && r <= 'z' || r == 'µ' }

// Verdict is the outcome of one comparison of check.
type Verdict int

// The verdicts.
const (
	VerdictOK         Verdict = iota // within the limit
	VerdictBetter                    // improved by more than the limit
	VerdictNoise                     // worse by more than the limit, but not beyond the replications' noise
	VerdictRegression                // worse by more than the limit (and the noise): a failure
	VerdictMissing                   // in the baseline, not in the current result: a failure
	VerdictNew                       // in the current result, not in the baseline
)

// String names the verdict as the reports print it.
func (v Verdict) String() string {
	return [...]string{"ok", "better", "within noise", "REGRESSION", "MISSING", "new"}[v]
}

// Failed reports whether the verdict fails the check.
func (v Verdict) Failed() bool { return v == VerdictRegression || v == VerdictMissing }

// CheckRow is one comparison: one figure of one strategy (at one point of
// a sweep), or a strategy or point present on one side only (Key "").
type CheckRow struct {
	Point    string // the point's varied values, short ("count=5 rate=300"); "" for a run
	Strategy string // "" for a point missing on one side
	Key      string
	Base     float64
	Current  float64
	Limit    Limit
	Noise    float64 // sqrt(hw_base² + hw_current²) of the figure's 95% half-widths
	HasNoise bool    // both sides carry replications (ci95_half_width)
	Verdict  Verdict
}

// Change is Current − Base.
func (r CheckRow) Change() float64 { return r.Current - r.Base }

// CheckReport is the outcome of check: every comparison, and notes on
// differences between the two results that are not regressions (other
// durations, seeds or replications).
type CheckReport struct {
	Scenario string
	Limits   []Limit
	Sweep    bool // the results are sweeps; rows carry points
	Rows     []CheckRow
	Notes    []string
}

// Failures counts the rows that fail the check.
func (r *CheckReport) Failures() int {
	n := 0
	for _, row := range r.Rows {
		if row.Verdict.Failed() {
			n++
		}
	}
	return n
}

// CheckResults compares current with baseline strategy by strategy
// (matched by name) on each limit's figure. A strategy of the baseline
// missing from current is a failure (a renamed or dropped strategy must
// not pass silently); a strategy only in current is reported as new. When
// both sides carry a figure's 95% half-width (replications), a change
// beyond the limit is a regression only if it also exceeds the noise,
// sqrt(hw_base² + hw_current²). Results of different scenarios are an
// error.
func CheckResults(baseline, current *Result, limits []Limit) (*CheckReport, error) {
	if baseline.Scenario != current.Scenario {
		return nil, fmt.Errorf("the baseline is scenario %q, the current result %q; compare results of the same scenario", baseline.Scenario, current.Scenario)
	}
	rep := &CheckReport{Scenario: current.Scenario, Limits: limits}
	rep.Notes = headerNotes(
		headerOf(baseline.Seed, baseline.DurationS, baseline.WarmupS, baseline.SLOLatencyMS, baseline.Replications),
		headerOf(current.Seed, current.DurationS, current.WarmupS, current.SLOLatencyMS, current.Replications))
	rep.Rows = compareStrategies("", baseline.Strategies, current.Strategies, limits)
	return rep, nil
}

// CheckInput is one side of a check: a run result or a sweep (as
// ReadCheckInput reads them), and its name for messages.
type CheckInput struct {
	Name  string
	Run   *Result
	Sweep *Sweep
}

// Check compares current with baseline: two run results strategy by
// strategy (CheckResults), or two sweeps point by point (CheckSweeps). A
// run against a sweep is an error, and so is a limit on a figure a side's
// file lacks (written by an older scalesim).
func Check(baseline, current CheckInput, limits []Limit) (*CheckReport, error) {
	if err := checkAbsent(baseline, "baseline", limits); err != nil {
		return nil, err
	}
	if err := checkAbsent(current, "current result", limits); err != nil {
		return nil, err
	}
	switch {
	case baseline.Run != nil && current.Run != nil:
		return CheckResults(baseline.Run, current.Run, limits)
	case baseline.Sweep != nil && current.Sweep != nil:
		return CheckSweeps(baseline.Sweep, current.Sweep, limits)
	}
	kind := map[bool]string{true: "a run result", false: "a sweep result"}
	return nil, fmt.Errorf("the baseline %s is %s but %s is %s; compare like with like",
		baseline.Name, kind[baseline.Run != nil], current.Name, kind[current.Run != nil])
}

// CheckSweeps compares two sweeps point by point, points matched by their
// varied values, and within a point as CheckResults does. A point of the
// baseline missing from current is a failure; a point only in current is
// reported as new.
func CheckSweeps(baseline, current *Sweep, limits []Limit) (*CheckReport, error) {
	if baseline.Scenario != current.Scenario {
		return nil, fmt.Errorf("the baseline is a sweep of scenario %q, the current one of %q; compare sweeps of the same scenario", baseline.Scenario, current.Scenario)
	}
	if baseline.Shard != nil || current.Shard != nil {
		return nil, errors.New("a shard holds only part of a sweep; merge the shards first (scalesim merge)")
	}
	rep := &CheckReport{Scenario: current.Scenario, Limits: limits, Sweep: true}
	rep.Notes = headerNotes(
		headerOf(baseline.Seed, baseline.DurationS, baseline.WarmupS, baseline.SLOLatencyMS, baseline.Replications),
		headerOf(current.Seed, current.DurationS, current.WarmupS, current.SLOLatencyMS, current.Replications))
	cur := map[string]SweepPoint{}
	for _, p := range current.Points {
		cur[p.Vary.String()] = p
	}
	seen := map[string]bool{}
	for _, b := range baseline.Points {
		key := b.Vary.String()
		label := shortVary(b.Vary, baseline.Grid)
		c, ok := cur[key]
		if !ok {
			rep.Rows = append(rep.Rows, CheckRow{Point: label, Verdict: VerdictMissing})
			continue
		}
		seen[key] = true
		rep.Rows = append(rep.Rows, compareStrategies(label, b.Strategies, c.Strategies, limits)...)
	}
	for _, c := range current.Points {
		if !seen[c.Vary.String()] {
			rep.Rows = append(rep.Rows, CheckRow{Point: shortVary(c.Vary, current.Grid), Verdict: VerdictNew})
		}
	}
	return rep, nil
}

// shortVary labels a point by its values under the table's short axis
// labels: "count=5 rate=300".
func shortVary(v Vary, grid []Axis) string {
	labels := axisLabels(grid)
	parts := make([]string, len(v))
	for i, x := range v {
		label := x.Path
		if i < len(labels) && grid[i].Path == x.Path {
			label = labels[i]
		}
		parts[i] = label + "=" + x.Value
	}
	return strings.Join(parts, " ")
}

// compareStrategies compares the strategies of one run or point.
func compareStrategies(point string, base, cur []StrategySummary, limits []Limit) []CheckRow {
	var rows []CheckRow
	for _, b := range base {
		i := slices.IndexFunc(cur, func(s StrategySummary) bool { return s.Name == b.Name })
		if i < 0 {
			rows = append(rows, CheckRow{Point: point, Strategy: b.Name, Verdict: VerdictMissing})
			continue
		}
		for _, l := range limits {
			rows = append(rows, compareFigure(point, b, cur[i], l))
		}
	}
	for _, c := range cur {
		if !slices.ContainsFunc(base, func(s StrategySummary) bool { return s.Name == c.Name }) {
			rows = append(rows, CheckRow{Point: point, Strategy: c.Name, Verdict: VerdictNew})
		}
	}
	return rows
}

// limitSlack absorbs float rounding, so that a change exactly at the
// limit passes.
const limitSlack = 1e-9

// compareFigure compares one figure of one strategy against its limit.
func compareFigure(point string, base, cur StrategySummary, l Limit) CheckRow {
	row := CheckRow{Point: point, Strategy: base.Name, Key: l.Key, Limit: l}
	row.Base, _ = Figure(base, l.Key)
	row.Current, _ = Figure(cur, l.Key)
	hb, okB := base.CI95HalfWidth[l.Key]
	hc, okC := cur.CI95HalfWidth[l.Key]
	if okB && okC {
		row.Noise, row.HasNoise = math.Hypot(hb, hc), true
	}
	worse := row.Change() * float64(FigureDirection(l.Key))
	if FigureDirection(l.Key) == EitherWorse {
		worse = math.Abs(row.Change())
	}
	allow := l.Allowance(row.Base)
	beyond := func(x float64) bool { return exceeds(x, allow) && (!row.HasNoise || x > row.Noise) }
	switch {
	case beyond(worse):
		row.Verdict = VerdictRegression
	case exceeds(worse, allow):
		row.Verdict = VerdictNoise
	case FigureDirection(l.Key) != EitherWorse && beyond(-worse):
		row.Verdict = VerdictBetter
	}
	return row
}

// exceeds reports whether x is beyond allow, by more than float rounding:
// a change exactly at the limit passes.
func exceeds(x, allow float64) bool { return x > allow*(1+limitSlack)+limitSlack*1e-3 }

// runHeader is what a check compares beside the figures.
type runHeader struct {
	seed                      uint64
	durationS, warmupS, sloMS float64
	replications              int
}

func headerOf(seed uint64, durationS, warmupS, sloMS float64, reps int) runHeader {
	return runHeader{seed, durationS, warmupS, sloMS, reps}
}

// headerNotes lists the differences between two results' settings.
func headerNotes(b, c runHeader) []string {
	var out []string
	note := func(what, bv, cv string) {
		if bv != cv {
			out = append(out, fmt.Sprintf("%s differs: baseline %s, current %s", what, bv, cv))
		}
	}
	note("seed", strconv.FormatUint(b.seed, 10), strconv.FormatUint(c.seed, 10))
	note("duration", fmtSeconds(b.durationS), fmtSeconds(c.durationS))
	note("warm-up", fmtSeconds(b.warmupS), fmtSeconds(c.warmupS))
	note("slo latency", formatFloat(b.sloMS)+" ms", formatFloat(c.sloMS)+" ms")
	note("replications", strconv.Itoa(b.replications), strconv.Itoa(c.replications))
	if (b.replications > 1) != (c.replications > 1) {
		out = append(out, "only one side has replications, so differences are judged against the limits alone, not the noise")
	}
	return out
}

// ReadCheckInput reads a `scalesim run -o json` result or a `scalesim
// sweep -o json` (or merge) result: exactly one of the returned values is
// not nil.
func ReadCheckInput(r io.Reader) (*Result, *Sweep, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSweepJSON+1))
	if err != nil {
		return nil, nil, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, ok := keys["points"]; ok {
		s, err := ReadSweep(bytes.NewReader(data))
		if err == nil {
			var points []struct {
				Strategies json.RawMessage `json:"strategies"`
			}
			if json.Unmarshal(keys["points"], &points) == nil && len(points) > 0 {
				s.Absent = absentFigures(points[0].Strategies)
			}
		}
		return nil, s, err
	}
	if _, ok := keys["strategies"]; !ok {
		return nil, nil, errors.New("not a scalesim result: it has neither \"strategies\" (run -o json) nor \"points\" (sweep -o json)")
	}
	var res Result
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, nil, fmt.Errorf("not a scalesim run result: %w", err)
	}
	if res.SchemaVersion != SchemaVersion {
		return nil, nil, fmt.Errorf("schema_version %d; this scalesim reads version %d", res.SchemaVersion, SchemaVersion)
	}
	res.Absent = absentFigures(keys["strategies"])
	return &res, nil, nil
}

// absentFigures lists the stored figures' keys that the first strategy of
// a JSON list of summaries lacks: a result written by a scalesim older
// than those figures (schema version 1 only ever gains keys). Reading it
// would give them 0, so a check must not compare them.
func absentFigures(strategies json.RawMessage) []string {
	var list []map[string]any
	if json.Unmarshal(strategies, &list) != nil || len(list) == 0 {
		return nil
	}
	var out []string
	for _, key := range FigureKeys() {
		var node any = list[0]
		for _, part := range strings.Split(key, ".") {
			m, ok := node.(map[string]any)
			if !ok {
				node = nil
				break
			}
			node = m[part]
		}
		if node == nil {
			out = append(out, key)
		}
	}
	return out
}

// checkAbsent reports a limit on a figure that one side's file lacks.
func checkAbsent(side CheckInput, which string, limits []Limit) error {
	absent := side.absent()
	for _, l := range limits {
		if slices.Contains(absent, l.Key) {
			return fmt.Errorf("the %s %s has no %s: a scalesim older than that figure wrote it; run it again with this scalesim, or leave out --max-regression %s",
				which, side.Name, l.Key, l.Key)
		}
	}
	return nil
}

// absent lists the figures the side's file lacks.
func (c CheckInput) absent() []string {
	switch {
	case c.Run != nil:
		return c.Run.Absent
	case c.Sweep != nil:
		return c.Sweep.Absent
	}
	return nil
}
