// Package charts draws a run's charts with gonum/plot, as PNG or SVG.
//
// Each chart shows every strategy of a reports.Result, minute by minute
// from the start of the run (time axis hh:mm), each strategy with its own
// colour from the Okabe–Ito colour-blind-safe palette, its own dash pattern
// and its own marker, so a chart printed in grey still tells them apart.
// The legend sits in a column right of the data and never covers it; the
// warm-up is shaded. Below the time charts that explain capacity (traffic,
// p99 latency, instances, worker slots against demand, errors) an event
// strip gives each strategy a row with its scaling decisions (▲ out, ▼ in,
// ◆ resize, with a grey line until the fleet reached the new capacity),
// instance failures (×) and zone outages (■).
//
//	for _, name := range charts.Names() {
//		var buf bytes.Buffer
//		if err := charts.Render(&buf, res, name, "svg"); err != nil { ... }
//		// write buf to DIR/name.svg
//	}
//
// RenderCalibration draws the charts of a `scalesim calibrate` run
// (CalibrationNames): a group's recorded capacity per minute, a step line
// in bold black, against the simulated one (and the re-run with the
// fitted lifecycle), with both sides' desired-capacity changes in a strip
// below and the matched pairs joined.
//
// The package does no I/O of its own: Render writes to the io.Writer it is
// given. The same Result gives the same bytes.
package charts
