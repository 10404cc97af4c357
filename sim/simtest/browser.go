package simtest

import "os/exec"

// Chromium returns the path of an installed Chromium or Chrome, the
// browser the page tests drive headless, or "" when none is on PATH.
func Chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}
