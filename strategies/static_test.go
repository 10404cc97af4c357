package strategies

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scalesim/scalesim/sim"
)

// TestFixedFleets checks the two families that never scale: their initial
// decision is their fleet, every later decision repeats it, and bad sizes
// are refused with the family and strategy named.
func TestFixedFleets(t *testing.T) {
	s, err := NewStatic("base", "m5.xlarge", 4)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewConsumers("kds", "m5.large", 6, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		st   Strategy
		want Decision
	}{
		{s, Decision{Desired: 4, InstanceType: "m5.xlarge", Reason: "static fleet"}},
		{c, Decision{Desired: 6, InstanceType: "m5.large", Reason: "6 consumers reading 4 shards"}},
	} {
		if tt.st.Interval() != 0 {
			t.Errorf("%s: interval %v, want 0 (never decides)", tt.st.Name(), tt.st.Interval())
		}
		if got := tt.st.Initial(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: initial %+v, want %+v", tt.st.Name(), got, tt.want)
		}
		busy := Observation{Now: sim.Time(sim.Hour), Fleet: FleetView{Desired: 1, InService: 1}}
		if got := tt.st.Decide(busy); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: decide %+v, want the initial %+v", tt.st.Name(), got, tt.want)
		}
	}
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"static count 0", func() error { _, err := NewStatic("a", "m5.large", 0); return err }(), "static strategy a: count must be at least 1"},
		{"static no type", func() error { _, err := NewStatic("a", "", 2); return err }(), "static strategy a: instance type is empty"},
		{"consumers count 0", func() error { _, err := NewConsumers("k", "m5.large", 0, 2); return err }(), "stream strategy k: count must be at least 1"},
		{"no shards", func() error { _, err := NewConsumers("k", "m5.large", 2, 0); return err }(), "stream strategy k: shards must be at least 1"},
	} {
		if tt.err == nil || !strings.HasPrefix(tt.err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one starting %q", tt.name, tt.err, tt.want)
		}
	}
}
