package charts_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/reports"
	"github.com/scalesim/scalesim/reports/charts"
	"github.com/scalesim/scalesim/reports/internal/caltest"
	"github.com/scalesim/scalesim/sim/simtest"
)

// renderCal renders a calibration chart or fails the test.
func renderCal(t *testing.T, c *reports.Calibration, name, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := charts.RenderCalibration(&buf, c, name, format); err != nil {
		t.Fatalf("RenderCalibration(%s, %s): %v", name, format, err)
	}
	if buf.Len() == 0 {
		t.Fatalf("RenderCalibration(%s, %s) wrote nothing", name, format)
	}
	return buf.Bytes()
}

func TestCalibrationNames(t *testing.T) {
	want := []string{"capacity_desired", "capacity_in_service"}
	if got := charts.CalibrationNames(); !slices.Equal(got, want) {
		t.Errorf("CalibrationNames() = %q, want %q", got, want)
	}
	c := caltest.Fixture()
	for _, name := range want {
		if charts.CalibrationTitle(c, name) == "" || charts.CalibrationCaption(name) == "" {
			t.Errorf("chart %s has no title or no caption", name)
		}
	}
	if charts.CalibrationTitle(c, "traffic") != "" || charts.CalibrationCaption("traffic") != "" {
		t.Error("a run chart has a calibration title or caption")
	}
}

// TestRenderCalibration: both charts render to a PNG of the chart size
// and to well-formed SVG, the same bytes twice, and the SVG matches its
// golden file. With -png DIR the PNGs are kept to look at.
func TestRenderCalibration(t *testing.T) {
	c := caltest.Fixture()
	for _, name := range charts.CalibrationNames() {
		t.Run(name, func(t *testing.T) {
			for _, format := range []string{"png", "svg"} {
				a, b := renderCal(t, c, name, format), renderCal(t, caltest.Fixture(), name, format)
				if !bytes.Equal(a, b) {
					t.Errorf("two %s renderings of the same calibration differ", format)
				}
			}
			png := renderCal(t, c, name, "png")
			checkPNG(t, png)
			if *pngDir != "" {
				if err := os.WriteFile(filepath.Join(*pngDir, name+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			svg := renderCal(t, c, name, "svg")
			if _, err := wellFormed(svg); err != nil {
				t.Fatalf("SVG is not well-formed XML: %v", err)
			}
			simtest.Golden(t, filepath.Join("testdata", name+".svg.golden"), svg, *update)
		})
	}
}

// TestRenderCalibrationLegend: every line and kind of marker drawn is
// named in the legend, and the fitted run only when there is one.
func TestRenderCalibrationLegend(t *testing.T) {
	c := caltest.Fixture()
	svg := string(renderCal(t, c, "capacity_desired", "svg"))
	for _, want := range []string{">recorded<", ">simulated<", ">simulated, fitted lifecycle<",
		">recorded scale-out<", ">recorded scale-in<", ">simulated scale-out<", ">simulated scale-in<",
		">fitted scale-out<", ">fitted scale-in<", ">matched<", ">record<", ">fitted<",
		">Desired capacity: recorded and simulated<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("capacity_desired lacks %q", want)
		}
	}
	c.FitMinutes, c.FitDecided, c.Fitted = nil, nil, nil
	svg = string(renderCal(t, c, "capacity_desired", "svg"))
	if strings.Contains(svg, "fitted") {
		t.Error("a calibration without --apply-fit names a fitted run")
	}
}

// TestRenderCalibrationNotRecorded: when the record holds no in-service
// count, the chart says so in its title and names no recorded line; the
// desired-capacity chart still draws the record.
func TestRenderCalibrationNotRecorded(t *testing.T) {
	c := caltest.Fixture()
	for i := range c.Minutes {
		c.Minutes[i].RecordedInService = math.NaN()
	}
	svg := string(renderCal(t, c, "capacity_in_service", "svg"))
	if !strings.Contains(svg, ">Instances in service (not in the record)<") {
		t.Error("the in-service chart's title does not say the record lacks it")
	}
	if strings.Contains(svg, ">recorded<") {
		t.Error("the in-service chart names a recorded line the record lacks")
	}
	if !strings.Contains(string(renderCal(t, c, "capacity_desired", "svg")), ">recorded<") {
		t.Error("the desired-capacity chart lost its recorded line")
	}
}

// TestRenderCalibrationDegenerate: an empty calibration still draws, and
// bad names and formats are refused with an error naming them.
func TestRenderCalibrationDegenerate(t *testing.T) {
	empty := &reports.Calibration{}
	for _, name := range charts.CalibrationNames() {
		for _, format := range []string{"png", "svg"} {
			renderCal(t, empty, name, format)
		}
	}
	var buf bytes.Buffer
	for _, tc := range []struct {
		c            *reports.Calibration
		name, format string
		want         string
	}{
		{nil, "capacity_desired", "svg", "no calibration"},
		{empty, "traffic", "svg", `chart "traffic": unknown (calibration charts: capacity_desired, capacity_in_service)`},
		{empty, "capacity_desired", "gif", `unknown format "gif"`},
	} {
		err := charts.RenderCalibration(&buf, tc.c, tc.name, tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("RenderCalibration(%s, %s) = %v, want an error containing %q", tc.name, tc.format, err, tc.want)
		}
	}
}
