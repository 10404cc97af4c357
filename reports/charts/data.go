package charts

import (
	"unicode/utf8"

	"github.com/scalesim/scalesim/reports"
)

// legendNameRunes is the longest strategy name shown in a legend; longer
// names lose their middle to "…".
const legendNameRunes = 22

// data is a Result regrouped by strategy, in the Result's strategy order.
type data struct {
	names     []string
	rows      [][]reports.MinuteRow
	decisions [][]reports.DecisionRecord
	events    [][]reports.EventRecord
	cdfs      []reports.LatencyCDF // Points nil when absent
	minutes   int                  // the longest series
}

// regroup splits r's flat lists by strategy. Strategies come in the order
// of r.Strategies, then any others in the order they first appear in the
// series, decisions, events and distributions.
func regroup(r *reports.Result) *data {
	d := &data{}
	index := map[string]int{} // looked up only, never ranged over
	at := func(name string) int {
		if i, ok := index[name]; ok {
			return i
		}
		index[name] = len(d.names)
		d.names = append(d.names, name)
		d.rows = append(d.rows, nil)
		d.decisions = append(d.decisions, nil)
		d.events = append(d.events, nil)
		d.cdfs = append(d.cdfs, reports.LatencyCDF{Strategy: name})
		return len(d.names) - 1
	}
	for _, s := range r.Strategies {
		at(s.Name)
	}
	for _, row := range r.Series {
		i := at(row.Strategy)
		d.rows[i] = append(d.rows[i], row)
		d.minutes = max(d.minutes, row.Minute+1)
	}
	for _, dec := range r.Decisions {
		i := at(dec.Strategy)
		d.decisions[i] = append(d.decisions[i], dec)
	}
	for _, ev := range r.Events {
		i := at(ev.Strategy)
		d.events[i] = append(d.events[i], ev)
	}
	for _, c := range r.Distributions {
		d.cdfs[at(c.Strategy)] = c
	}
	return d
}

// shorten cuts s to at most n runes by replacing its middle with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	head := (n - 1) / 2
	return string(r[:head]) + "…" + string(r[len(r)-(n-1-head):])
}
