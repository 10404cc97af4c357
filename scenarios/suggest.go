package scenarios

import (
	"fmt"
	"strings"
)

// suggest returns the candidate closest to word for a "did you mean" hint:
// the one at the smallest Levenshtein distance if that is at most 2, else
// the first that word is a prefix of (or that is a prefix of word), else "".
// Ties go to the earlier candidate, so hints are deterministic.
func suggest(word string, candidates []string) string {
	w := strings.ToLower(word)
	if w == "" {
		return ""
	}
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein(w, strings.ToLower(c), bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	if len(w) < 3 {
		return ""
	}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if strings.HasPrefix(lc, w) || len(lc) >= 3 && strings.HasPrefix(w, lc) {
			return c
		}
	}
	return ""
}

// didYouMean renders a hint for an unknown name: `did you mean "x"?` when a
// candidate is close, else the list of valid names.
func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return "want " + orList(candidates)
}

// orList renders names as "a, b or c".
func orList(names []string) string {
	switch len(names) {
	case 0:
		return "nothing"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// levenshtein is the edit distance between a and b in bytes. It gives up
// early and returns limit once the distance is known to be at least limit,
// so comparing a long junk key against the schema stays cheap.
func levenshtein(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}
