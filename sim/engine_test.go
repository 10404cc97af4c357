package sim

import (
	"fmt"
	"testing"
)

type recorder struct{ got []string }

func (r *recorder) Handle(e *Engine, ev Event) {
	r.got = append(r.got, fmt.Sprintf("%d:%d:%d", ev.At, ev.Kind, ev.Obj))
	if ev.Obj == 1 && ev.Kind == 2 {
		e.Schedule(e.Now(), 1, 9, 0) // same instant, lower kind: runs next
	}
}

func TestEngineOrdersByTimeKindThenSequence(t *testing.T) {
	e := NewEngine(0)
	e.Schedule(10, 2, 1, 0)
	e.Schedule(10, 2, 2, 0)
	e.Schedule(5, 3, 3, 0)
	e.Schedule(10, 1, 4, 0)
	e.Schedule(30, 1, 5, 0)
	var r recorder
	n := e.Run(20, &r)
	want := []string{"5:3:3", "10:1:4", "10:2:1", "10:1:9", "10:2:2"}
	if fmt.Sprint(r.got) != fmt.Sprint(want) {
		t.Fatalf("order %v, want %v", r.got, want)
	}
	if n != 5 || e.Now() != 20 || e.Pending() != 1 {
		t.Fatalf("n=%d now=%v pending=%d; want 5, 20, 1", n, e.Now(), e.Pending())
	}
}

func TestEngineRefusesThePast(t *testing.T) {
	e := NewEngine(0)
	e.Schedule(10, 1, 0, 0)
	e.Next(100)
	defer func() {
		if recover() == nil {
			t.Fatal("scheduling before now did not panic")
		}
	}()
	e.Schedule(5, 1, 0, 0)
}

func TestEngineClockNeverGoesBack(t *testing.T) {
	e := NewEngine(0)
	for i := 0; i < 1000; i++ {
		e.Schedule(Time((i*7919)%1000), Kind(i%3), 0, 0)
	}
	last := Time(-1)
	for {
		ev, ok := e.Next(Never - 1)
		if !ok {
			break
		}
		if ev.At < last || e.Now() != ev.At {
			t.Fatalf("clock at %v after %v", ev.At, last)
		}
		last = ev.At
	}
}

func TestParseDuration(t *testing.T) {
	cases := []struct {
		in   string
		want Duration
		bad  bool
	}{
		{"50ms", 50 * Millisecond, false},
		{"2d", 2 * Day, false},
		{"1d12h", Day + 12*Hour, false},
		{"1.5d", 36 * Hour, false},
		{"", 0, true},
		{"d", 0, true},
		{"xd", 0, true},
		{"5", 0, true},
		{"1e9d", 0, true},
	}
	for _, c := range cases {
		got, err := ParseDuration(c.in)
		if (err != nil) != c.bad || (!c.bad && got != c.want) {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.bad)
		}
	}
	if s := (3 * Day).String(); s != "3d" {
		t.Errorf("3 days formats as %q", s)
	}
}

// TestFeedInterleavesLikeScheduledEvents: a fed stream is delivered exactly
// where the same events would have been if scheduled.
func TestFeedInterleavesLikeScheduledEvents(t *testing.T) {
	run := func(feed bool) []string {
		e := NewEngine(0)
		stream := []Time{0, 3, 3, 7, 10, 12}
		var got []string
		e.Schedule(3, 1, 100, 0) // lower kind than the stream: before it at 3
		e.Schedule(3, 5, 101, 0) // higher kind: after it
		e.Schedule(11, 2, 102, 0)
		i := 0
		push := func() {
			if i < len(stream) {
				if feed {
					e.Feed(stream[i], 2, int32(i), 0)
				} else {
					e.Schedule(stream[i], 2, int32(i), 0)
				}
				i++
			}
		}
		push()
		for {
			ev, ok := e.Next(11)
			if !ok {
				break
			}
			got = append(got, fmt.Sprintf("%d:%d:%d", ev.At, ev.Kind, ev.Obj))
			if ev.Kind == 2 && ev.Obj < 100 {
				push()
			}
		}
		return got
	}
	fed, scheduled := run(true), run(false)
	if fmt.Sprint(fed) != fmt.Sprint(scheduled) {
		t.Fatalf("fed %v\nscheduled %v", fed, scheduled)
	}
	if len(fed) != 8 {
		t.Fatalf("delivered %v", fed)
	}
}
