package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"
)

// The progress bar stays hidden for short runs and redraws at most five
// times a second. It measures wall time, which only the CLI may read; the
// simulation reports its progress in simulated seconds.
const (
	progressDelay    = 2 * time.Second
	progressInterval = 200 * time.Millisecond
	progressBarWidth = 30
)

// progress draws a one-line progress bar on a terminal:
//
//	[=============>                ] 45%  sim 00:27:00 / 01:00:00
//
// update may be called from any goroutine; a ticker goroutine draws.
// A nil *progress is a valid, silent progress.
type progress struct {
	w     io.Writer
	now   func() time.Time
	start time.Time

	mu          sync.Mutex
	done, total float64 // simulated seconds, from update
	last        string  // the line on screen; "" if none

	quit chan struct{}
	wg   sync.WaitGroup
}

// newProgress returns a progress writing to w that starts counting now;
// it draws only when tick is called.
func newProgress(w io.Writer, now func() time.Time) *progress {
	return &progress{w: w, now: now, start: now(), quit: make(chan struct{})}
}

// startProgress returns a progress that redraws itself every
// progressInterval until stop.
func startProgress(w io.Writer, now func() time.Time) *progress {
	p := newProgress(w, now)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-t.C:
				p.tick()
			}
		}
	}()
	return p
}

// update records that done of total simulated seconds have been run. It
// has the signature of scenarios.RunOptions.Progress.
func (p *progress) update(done, total float64) {
	p.mu.Lock()
	p.done, p.total = done, total
	p.mu.Unlock()
}

// tick redraws the line if the run has lasted progressDelay and there is
// something new to show.
func (p *progress) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.now().Sub(p.start) < progressDelay || p.total <= 0 {
		return
	}
	line := progressLine(p.done, p.total)
	if line == p.last {
		return
	}
	pad := max(0, len(p.last)-len(line))
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.last = line
}

// stop ends the redraws and clears the line. It is safe on a nil progress
// and must be called once.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.quit)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last != "" {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", len(p.last)))
		p.last = ""
	}
}

// progressLine renders the bar for done of total simulated seconds.
func progressLine(done, total float64) string {
	frac := 0.0
	if total > 0 && !math.IsNaN(done) {
		frac = min(1, max(0, done/total))
	}
	filled := int(frac * progressBarWidth)
	bar := strings.Repeat("=", filled)
	if filled < progressBarWidth {
		bar += ">" + strings.Repeat(" ", progressBarWidth-filled-1)
	}
	return fmt.Sprintf("[%s] %3d%%  sim %s / %s", bar, int(frac*100), clock(done), clock(total))
}

// clock formats seconds as HH:MM:SS (hours may exceed 99).
func clock(seconds float64) string {
	if math.IsNaN(seconds) || seconds < 0 {
		seconds = 0
	}
	s := int64(math.Min(seconds, 1e12))
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}
