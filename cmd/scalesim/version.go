package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// newVersionCmd builds `scalesim version`.
func newVersionCmd(ios ioStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of scalesim and of Go it was built with",
		Long: `Print scalesim's version: the module version (or "devel" for a build from a
source tree), the commit it was built from and whether the tree was modified,
when the build recorded them, and the Go version and platform.`,
		Example: `  scalesim version
  scalesim --version`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(ios.Out, versionString(readBuildInfo()))
			return err
		},
	}
}

// readBuildInfo returns the binary's build information, or nil.
func readBuildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}

// versionString formats bi as
// "scalesim VERSION [(REVISION[, modified])] GOVERSION OS/ARCH".
func versionString(bi *debug.BuildInfo) string {
	version, goVersion := "devel", runtime.Version()
	var rev string
	var modified bool
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			version = v
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	parts := []string{"scalesim", version}
	switch {
	case rev != "" && modified:
		parts = append(parts, "("+rev+", modified)")
	case rev != "":
		parts = append(parts, "("+rev+")")
	}
	parts = append(parts, goVersion, runtime.GOOS+"/"+runtime.GOARCH)
	return strings.Join(parts, " ")
}
