package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SweepPart is one input of MergeSweeps: a shard's sweep and the name it
// goes by in messages (its file).
type SweepPart struct {
	Name  string
	Sweep *Sweep
}

// MergeSweeps combines the shards 1..N of one sharded sweep into the sweep
// the unsharded run gives: written with WriteSweepJSON, the same bytes.
// Parts may come in any order. It refuses, with a message naming the files,
// parts of different scenarios or grids (different grid_hash: other --vary,
// --set, --seed, --replications, --strategy or --slo values), of different
// shard counts, the same shard twice, and a missing shard. A single whole
// (unsharded) sweep is returned as it is.
func MergeSweeps(parts []SweepPart) (*Sweep, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("no parts to merge")
	}
	first := parts[0]
	for _, p := range parts {
		if p.Sweep.Shard == nil {
			if len(parts) == 1 {
				return p.Sweep, nil
			}
			return nil, fmt.Errorf("%s is a whole sweep, not a shard (it has no \"shard\"); merge only the parts of one sweep run with --shard I/N", p.Name)
		}
	}
	fs, count := first.Sweep.Shard, first.Sweep.Shard.Count
	byIndex := make([]string, count+1) // file of each shard index
	for _, p := range parts {
		s, sh := p.Sweep, p.Sweep.Shard
		switch {
		case s.Scenario != first.Sweep.Scenario:
			return nil, fmt.Errorf("different scenarios: %s is a sweep of %q, %s of %q", first.Name, first.Sweep.Scenario, p.Name, s.Scenario)
		case sh.GridHash != fs.GridHash || sh.PointsTotal != fs.PointsTotal || !slices.EqualFunc(s.Grid, first.Sweep.Grid, axisEqual):
			return nil, fmt.Errorf("different sweeps of %q: %s (grid_hash %s, %d points) and %s (grid_hash %s, %d points) were run with different --vary, --set, --seed, --replications, --strategy or --slo values, or scenario files",
				s.Scenario, first.Name, fs.GridHash, fs.PointsTotal, p.Name, sh.GridHash, sh.PointsTotal)
		case sh.Count != count:
			return nil, fmt.Errorf("different shard counts: %s is shard %d/%d, %s is shard %d/%d", first.Name, fs.Index, fs.Count, p.Name, sh.Index, sh.Count)
		case byIndex[sh.Index] != "":
			return nil, fmt.Errorf("overlapping shards: %s and %s are both shard %d/%d", byIndex[sh.Index], p.Name, sh.Index, count)
		}
		byIndex[sh.Index] = p.Name
	}
	var missing []string
	for i := 1; i <= count; i++ {
		if byIndex[i] == "" {
			missing = append(missing, strconv.Itoa(i)+"/"+strconv.Itoa(count))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing shards: %s (got %d of %d parts)", strings.Join(missing, ", "), len(parts), count)
	}
	return assemble(parts)
}

// assemble puts the points of complete, consistent parts back in grid
// order.
func assemble(parts []SweepPart) (*Sweep, error) {
	head := *parts[0].Sweep
	head.Points = make([]SweepPoint, head.Shard.PointsTotal)
	head.Shard = nil
	filled := make([]bool, len(head.Points))
	for _, p := range parts {
		for _, pt := range p.Sweep.Points {
			if pt.Index < 0 || pt.Index >= len(head.Points) || filled[pt.Index] {
				return nil, fmt.Errorf("%s: point %d is outside its shard or repeated", p.Name, pt.Index)
			}
			head.Points[pt.Index], filled[pt.Index] = pt, true
		}
	}
	for k, ok := range filled {
		if !ok {
			return nil, fmt.Errorf("grid point %d (%s) is in no part", k, GridPoint(head.Grid, k))
		}
	}
	return &head, nil
}

// axisEqual reports whether two axes are the same.
func axisEqual(a, b Axis) bool { return a.Path == b.Path && slices.Equal(a.Values, b.Values) }
