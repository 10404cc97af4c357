package charts

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/scalesim/scalesim/reports"
	"gonum.org/v1/plot"
)

// timeTicks marks a time axis in minutes since the start of the run with
// labels hh:mm, at a round step chosen for at most maxTimeTicks labels.
type timeTicks struct{}

// maxTimeTicks is the most labelled ticks on a time axis.
const maxTimeTicks = 9

// timeSteps are the candidate label steps in minutes, each with the step
// of its unlabelled minor ticks.
func timeSteps() [][2]float64 {
	return [][2]float64{
		{1, 0}, {2, 1}, {5, 1}, {10, 5}, {15, 5}, {20, 10}, {30, 10},
		{60, 15}, {120, 30}, {180, 60}, {240, 60}, {360, 120}, {480, 120},
		{720, 240}, {1440, 360}, {2880, 720}, {7 * 1440, 1440},
	}
}

// Ticks implements plot.Ticker.
func (timeTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	steps := timeSteps()
	step := steps[len(steps)-1]
	for _, s := range steps {
		if (hi-lo)/s[0] <= maxTimeTicks-1 {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	if step[1] > 0 {
		for v := math.Ceil(lo/step[1]) * step[1]; v <= hi; v += step[1] {
			if math.Mod(v, step[0]) != 0 {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	for v := math.Ceil(lo/step[0]) * step[0]; v <= hi; v += step[0] {
		ticks = append(ticks, plot.Tick{Value: v, Label: clock(v)})
	}
	return ticks
}

// clock formats minutes since the start as hh:mm (hours may exceed 23).
func clock(minutes float64) string {
	m := int64(math.Round(minutes))
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%02d:%02d", sign, m/60, m%60)
}

// logTicks marks a logarithmic axis: labelled decades and unlabelled
// 2–9 multiples; when fewer than three decades fall in range, the 2 and 5
// multiples are labelled too.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return nil
	}
	first, last := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	inRange := func(v float64) bool { return v >= lo*(1-1e-9) && v <= hi*(1+1e-9) }
	decades := 0
	for e := first; e <= last; e++ {
		if inRange(math.Pow(10, float64(e))) {
			decades++
		}
	}
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		dec := math.Pow(10, float64(e))
		for k := 1; k <= 9; k++ {
			v := float64(k) * dec
			if !inRange(v) {
				continue
			}
			t := plot.Tick{Value: v}
			if k == 1 || decades < 3 && (k == 2 || k == 5) {
				t.Label = number(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// commaTicks mark a linear axis at a round step (1, 2, 2.5 or 5 times a
// power of ten) giving four to six labels, with unlabelled minor ticks
// between, labelled with thousand separators and the decimals the step
// needs.
type commaTicks struct{}

// Ticks implements plot.Ticker.
func (commaTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	dec := 0
	for x := step; dec < 12 && math.Abs(x-math.Round(x)) > 1e-9*math.Max(1, x); x *= 10 {
		dec++
	}
	minor := step / 5
	var ticks []plot.Tick
	for k := math.Ceil(lo / minor); k*minor <= hi*(1+1e-12); k++ {
		v := k * minor
		t := plot.Tick{Value: v}
		if r := math.Round(v / step); math.Abs(v/step-r) < 1e-9 {
			t.Value = r * step
			t.Label = reports.GroupThousands(strconv.FormatFloat(t.Value, 'f', dec, 64))
			if t.Label == "-0" || strings.Trim(t.Label, "-0.") == "" {
				t.Label = "0"
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// unlabelled keeps a ticker's marks and drops their labels (the time axis
// of a plot whose event strip below carries the labels).
type unlabelled struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ticks := u.Ticker.Ticks(lo, hi)
	for i := range ticks {
		ticks[i].Label = ""
	}
	return ticks
}

// number formats a tick value for people: thousand separators, no
// exponent, no trailing zeros.
func number(v float64) string {
	if v != 0 && math.Abs(v) < 1 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return reports.GroupThousands(strconv.FormatFloat(v, 'f', -1, 64))
}

// groupThousands inserts commas into the integer part of a decimal number

// integerTicks are commaTicks without fractional labels, for counts: an
// axis from 0 to 2 is marked 0, 1, 2, not 0, 0.5, 1, ...
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := commaTicks{}.Ticks(lo, hi)
	fractional := false
	for _, t := range ticks {
		if t.Label != "" && t.Value != math.Trunc(t.Value) {
			fractional = true
		}
	}
	if !fractional {
		return ticks
	}
	var out []plot.Tick
	for v := math.Ceil(lo); v <= hi; v++ {
		out = append(out, plot.Tick{Value: v, Label: number(v)})
	}
	if len(out) > 12 { // unreachable for small spans; keep it bounded anyway
		return ticks
	}
	return out
}
