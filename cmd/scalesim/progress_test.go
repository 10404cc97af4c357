package main

import (
	"bytes"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		done, total float64
		want        string
	}{
		{0, 3600, "[>                             ]   0%  sim 00:00:00 / 01:00:00"},
		{1620, 3600, "[=============>                ]  45%  sim 00:27:00 / 01:00:00"},
		{3600, 3600, "[==============================] 100%  sim 01:00:00 / 01:00:00"},
		{5000, 3600, "[==============================] 100%  sim 01:23:20 / 01:00:00"},
		{-1, 0, "[>                             ]   0%  sim 00:00:00 / 00:00:00"},
		{86400 * 5, 86400 * 10, "[===============>              ]  50%  sim 120:00:00 / 240:00:00"},
	}
	for _, tt := range tests {
		if got := progressLine(tt.done, tt.total); got != tt.want {
			t.Errorf("progressLine(%v, %v) =\n %q\nwant\n %q", tt.done, tt.total, got, tt.want)
		}
	}
}

func TestProgressDelayAndClear(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(1000, 0)
	p := newProgress(&buf, func() time.Time { return now })
	p.update(1800, 3600)
	now = now.Add(progressDelay - time.Millisecond)
	p.tick()
	if buf.Len() != 0 {
		t.Fatalf("drawn before %v: %q", progressDelay, buf.String())
	}
	now = now.Add(time.Millisecond)
	p.tick()
	line := progressLine(1800, 3600)
	if buf.String() != "\r"+line {
		t.Fatalf("after the delay: %q, want %q", buf.String(), "\r"+line)
	}
	p.tick() // nothing new: no redraw
	if buf.String() != "\r"+line {
		t.Fatalf("redrawn without change: %q", buf.String())
	}
	p.update(3600, 3600)
	p.tick()
	p.stop()
	want := "\r" + line + "\r" + progressLine(3600, 3600) + "\r" + spaces(len(line)) + "\r"
	if buf.String() != want {
		t.Errorf("output %q\nwant   %q", buf.String(), want)
	}
}

func TestProgressSilentWhenFast(t *testing.T) {
	var buf bytes.Buffer
	p := startProgress(&buf, time.Now)
	p.update(10, 20)
	p.stop()
	if buf.Len() != 0 {
		t.Errorf("a fast run drew %q", buf.String())
	}
	var nilBar *progress
	nilBar.stop() // must not panic
}

func spaces(n int) string { return string(bytes.Repeat([]byte(" "), n)) }
