package strategies

import (
	"errors"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

func vertical(t *testing.T, initial string) *Vertical {
	t.Helper()
	v, err := NewVertical(VerticalConfig{Name: "resize", Ladder: []string{"m5.large", "m5.xlarge", "m5.2xlarge"}, Initial: initial})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// types returns the instance type of each decision, one letter per rung
// (l, x, 2) to keep the tables short.
func types(ds []Decision) string {
	var b strings.Builder
	for _, d := range ds {
		switch d.InstanceType {
		case "m5.large":
			b.WriteByte('l')
		case "m5.xlarge":
			b.WriteByte('x')
		case "m5.2xlarge":
			b.WriteByte('2')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

func TestVerticalSequences(t *testing.T) {
	resizing := tick{fleet: FleetView{Pending: 1}} // no data: the instance is down
	cases := []struct {
		name     string
		initial  string
		ticks    []tick
		want     string // type per minute: l, x, 2
		ceilings int
	}{
		{
			name: "up one rung after 3 high minutes", initial: "m5.xlarge",
			ticks: cpuTicks(1, 80, 80, 80),
			want:  "xx2",
			// Reference: docs/aws-behaviour.md §1.2 (3 of 3 alarm shape, reused), §4.1 (resize)
		},
		{
			name: "two high minutes are not enough", initial: "m5.xlarge",
			ticks: cpuTicks(1, 80, 80, 50, 80, 80),
			want:  "xxxxx",
			// Reference: docs/aws-behaviour.md §2.3 (M of N)
		},
		{
			name: "down one rung after 15 low minutes", initial: "m5.xlarge",
			ticks: repeat(15, tick{inst: 1, cpu: 20}),
			want:  strings.Repeat("x", 14) + "l",
			// Reference: docs/aws-behaviour.md §1.2 (15 of 15 alarm shape, reused)
		},
		{
			name: "no lower rung: stays at the bottom", initial: "m5.large",
			ticks: repeat(16, tick{inst: 1, cpu: 5}),
			want:  strings.Repeat("l", 16),
			// Reference: docs/aws-behaviour.md §4.2 (a ladder has ends)
		},
		{
			name: "ceiling: at the top the up alarm is counted, not served", initial: "m5.2xlarge",
			ticks: cpuTicks(1, 90, 90, 90, 90, 90),
			want:  "22222", ceilings: 3,
			// Reference: docs/aws-behaviour.md §4.2 (per-family ceiling of one VM)
		},
		{
			// Minute 3 resizes l → x; minutes 4–5 the resize runs (pending);
			// minute 6 sees it done and starts the 300 s cooldown, to minute
			// 11. The alarms restarted at the resize, so the new type's high
			// datapoints from minute 6 on are in ALARM from minute 8, but the
			// next resize waits for minute 11.
			name: "a resize in progress, then the cooldown, hold the next one", initial: "m5.large",
			ticks: seq(cpuTicks(1, 80, 80, 80), []tick{resizing, resizing}, cpuTicks(1, 80, 80, 80, 80, 80, 80)),
			want:  "llxxxxxxxx2",
			// Reference: docs/aws-behaviour.md §4.1 (stop, resize, start: downtime), §1.5 (cooldown after the activity)
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := vertical(t, c.initial)
			ds := drive(t, v, c.ticks)
			if got := types(ds); got != c.want {
				t.Errorf("types per minute\n got %s\nwant %s", got, c.want)
				for i, d := range ds {
					t.Logf("minute %d: %s", i+1, d.Reason)
				}
			}
			for i, d := range ds {
				if d.Desired != 1 {
					t.Errorf("minute %d: desired %d, want 1", i+1, d.Desired)
				}
			}
			if v.CeilingHits() != c.ceilings {
				t.Errorf("CeilingHits = %d, want %d", v.CeilingHits(), c.ceilings)
			}
			if c.ceilings > 0 && !strings.Contains(ds[len(ds)-1].Reason, "ceiling") {
				t.Errorf("reason %q lacks ceiling", ds[len(ds)-1].Reason)
			}
		})
	}
}

func TestVerticalConfig(t *testing.T) {
	v := vertical(t, "")
	if d := v.Initial(); d.InstanceType != "m5.large" || d.Desired != 1 {
		t.Errorf("Initial = %+v, want 1 × the first rung", d)
	}
	if v.Interval() != sim.Minute {
		t.Errorf("interval %v", v.Interval())
	}
	cases := []struct {
		cfg   VerticalConfig
		field string
	}{
		{VerticalConfig{Name: "r"}, "ladder"},
		{VerticalConfig{Name: "r", Ladder: []string{"a", "b", "a"}}, "ladder.2"},
		{VerticalConfig{Name: "r", Ladder: []string{"a"}, Initial: "z"}, "initial"},
		{VerticalConfig{Name: "r", Ladder: []string{"a"}, ScaleUpCPU: 40, ScaleDownCPU: 50}, "scale_down_cpu"},
		{VerticalConfig{Name: "r", Ladder: []string{"a"}, ScaleUpCPU: 120}, "scale_up_cpu"},
		{VerticalConfig{Name: "r", Ladder: []string{"a"}, Cooldown: ptr(-sim.Second)}, "cooldown"},
	}
	for _, c := range cases {
		_, err := NewVertical(c.cfg)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: error %v, want a *FieldError on %s", c.cfg, err, c.field)
		}
	}
	// Reference: docs/aws-behaviour.md §4
}
