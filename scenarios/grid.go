package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/reports"
)

// Limits of a sweep.
const (
	// MaxSweepPoints is the most points a sweep's grid may have.
	MaxSweepPoints = 10_000
	// MaxSweepAxes is the most --vary flags of one sweep.
	MaxSweepAxes = 16
)

// ParseVary parses one --vary flag, PATH=V1,V2,...: the scenario field as
// --set names it and the values it takes, in order. An item may be a
// numeric range START..END/STEP (inclusive; STEP defaults to 1), such as
// 40..80/10 for 40,50,60,70,80. Commas inside brackets or quotes do not
// split ([m5.large, m5.xlarge] is one value). Values are not checked
// against the scenario here: loading the sweep's points does that. A bad
// flag is an *Error naming it.
func ParseVary(flag string) (reports.Axis, error) {
	bad := func(msg, hint string) (reports.Axis, error) {
		return reports.Axis{}, &Error{File: "--vary " + flag, Msg: msg, Hint: hint}
	}
	path, list, ok := strings.Cut(flag, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return bad("want PATH=V1,V2,... or PATH=START..END/STEP", "e.g. --vary strategies.fixed.count=4,6,8 or --vary workload.rate=100..500/100")
	}
	if strings.ContainsAny(path, " \t") || slices.Contains(strings.Split(path, "."), "") {
		return bad(fmt.Sprintf("%q is not a field path", clip(path)), "join YAML keys with single dots, e.g. strategies.asg.max")
	}
	axis := reports.Axis{Path: path}
	for _, item := range splitTopLevel(list) {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
			return bad("an empty value", "list values separated by single commas")
		case looksLikeRange(item):
			vals, err := expandRange(item)
			if err != nil {
				return bad(err.Error(), "write START..END/STEP with numbers, START <= END and STEP > 0, e.g. 40..80/10")
			}
			axis.Values = append(axis.Values, vals...)
		default:
			axis.Values = append(axis.Values, item)
		}
		if len(axis.Values) > MaxSweepPoints {
			return bad(fmt.Sprintf("more than %d values", MaxSweepPoints), "use a larger step")
		}
	}
	seen := map[string]bool{}
	for _, v := range axis.Values {
		if seen[v] {
			return bad(fmt.Sprintf("the value %s appears twice", clip(v)), "list each value once")
		}
		seen[v] = true
	}
	return axis, nil
}

// looksLikeRange reports whether item begins like a numeric range: an
// optional sign, a digit, then digits and dots up to "..".
func looksLikeRange(item string) bool {
	s := strings.TrimLeft(item, "+-")
	if len(item)-len(s) > 1 || s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	end := strings.IndexFunc(s, func(r rune) bool { return r != '.' && (r < '0' || r > '9') })
	if end < 0 {
		end = len(s)
	}
	return strings.Contains(s[:end], "..")
}

// splitTopLevel splits s at the commas outside brackets, braces and
// quotes.
func splitTopLevel(s string) []string {
	var out []string
	depth, quote, start := 0, rune(0), 0
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '{':
			depth++
		case r == ']' || r == '}':
			depth = max(0, depth-1)
		case r == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// expandRange expands START..END[/STEP] into its values. Integers give
// integers; otherwise values are START + i×STEP written with at most 12
// significant digits, so 0.1..0.3/0.1 gives 0.1, 0.2, 0.3.
func expandRange(item string) ([]string, error) {
	lohi, stepText, hasStep := strings.Cut(item, "/")
	loText, hiText, _ := strings.Cut(lohi, "..")
	loText, hiText, stepText = strings.TrimSpace(loText), strings.TrimSpace(hiText), strings.TrimSpace(stepText)
	if !hasStep {
		stepText = "1"
	}
	nums := make([]float64, 3)
	for i, t := range []string{loText, hiText, stepText} {
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("range %q: %q is not a number", clip(item), clip(t))
		}
		nums[i] = v
	}
	lo, hi, step := nums[0], nums[1], nums[2]
	switch {
	case step <= 0:
		return nil, fmt.Errorf("range %q: the step must be > 0", clip(item))
	case lo > hi:
		return nil, fmt.Errorf("range %q: the start is above the end", clip(item))
	}
	n := math.Floor((hi-lo)/step*(1+1e-12)+1e-9) + 1
	if n > MaxSweepPoints {
		return nil, fmt.Errorf("range %q has more than %d values", clip(item), MaxSweepPoints)
	}
	ints := isInt(loText) && isInt(stepText)
	out := make([]string, 0, int(n))
	for i := range int(n) {
		v := lo + float64(i)*step
		if ints {
			out = append(out, strconv.FormatInt(int64(math.Round(v)), 10))
			continue
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
		out = append(out, strconv.FormatFloat(r, 'f', -1, 64))
	}
	return out, nil
}

// isInt reports whether s is an integer literal.
func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// Shard is the part of a grid one sharded sweep runs: grid point k
// (0-based) belongs to shard (k mod Count) + 1. The zero Shard is the
// whole grid.
type Shard struct {
	Index int // 1-based, 1 <= Index <= Count
	Count int
}

// ParseShard parses --shard I/N (1 <= I <= N <= MaxSweepPoints). The
// error says what to write instead.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	sh := Shard{Index: i, Count: n}
	switch {
	case !ok:
		return Shard{}, shardError(s, "want I/N")
	case err1 != nil || err2 != nil:
		return Shard{}, shardError(s, "I and N must be whole numbers")
	}
	if err := sh.check(s); err != nil {
		return Shard{}, err
	}
	return sh, nil
}

// check returns an *Error, naming flag, unless the shard is valid.
func (s Shard) check(flag string) error {
	switch {
	case s.Count < 1:
		return shardError(flag, fmt.Sprintf("N must be at least 1 (got %d)", s.Count))
	case s.Count > MaxSweepPoints:
		return shardError(flag, fmt.Sprintf("N must be at most %d (got %d)", MaxSweepPoints, s.Count))
	case s.Index < 1 || s.Index > s.Count:
		return shardError(flag, fmt.Sprintf("I must be from 1 to %d (got %d)", s.Count, s.Index))
	}
	return nil
}

// shardError is a bad --shard value.
func shardError(flag, msg string) error {
	return &Error{File: "--shard " + flag, Msg: msg, Hint: "write I/N with 1 <= I <= N, e.g. --shard 2/8 for the second of eight shards"}
}

// The environment variables from which a sweep run by a Kubernetes Indexed
// Job takes its shard.
const (
	// EnvCompletionIndex is set by Kubernetes on each pod of an Indexed
	// Job: its 0-based completion index.
	EnvCompletionIndex = "JOB_COMPLETION_INDEX"
	// EnvShards is the number of shards, the Job's completions, which
	// Kubernetes does not pass on: the Job sets it.
	EnvShards = "SCALESIM_SHARDS"
)

// ShardFromEnv returns the shard of a pod of a Kubernetes Indexed Job,
// reading the environment through lookup (os.LookupEnv): index + 1 of
// EnvShards. ok is false when EnvCompletionIndex is not set; it is an
// error when it is set without EnvShards, or when the two make no shard.
func ShardFromEnv(lookup func(string) (string, bool)) (sh Shard, ok bool, err error) {
	idx, ok := lookup(EnvCompletionIndex)
	if !ok {
		return Shard{}, false, nil
	}
	n, ok := lookup(EnvShards)
	if !ok {
		return Shard{}, false, fmt.Errorf("%s=%s is set (a Kubernetes Indexed Job), but %s is not: set %s to the Job's completions, or pass --shard I/N",
			EnvCompletionIndex, idx, EnvShards, EnvShards)
	}
	i, err := strconv.Atoi(strings.TrimSpace(idx))
	if err != nil || i < 0 {
		return Shard{}, false, fmt.Errorf("%s=%q: want a 0-based index", EnvCompletionIndex, idx)
	}
	sh, err = ParseShard(fmt.Sprintf("%d/%s", i+1, strings.TrimSpace(n)))
	if err != nil {
		return Shard{}, false, fmt.Errorf("%s=%s and %s=%s do not make a shard: %v", EnvCompletionIndex, idx, EnvShards, n, err)
	}
	return sh, true, nil
}

// holds reports whether grid point k belongs to the shard.
func (s Shard) holds(k int) bool { return s.Count == 0 || k%s.Count == s.Index-1 }
