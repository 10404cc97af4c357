package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/scenarios"
)

// defaultScenario is the built-in scenario `run` uses without an argument.
const defaultScenario = "default"

// scenarioRef is a resolved SCENARIO argument: a file or a built-in name.
type scenarioRef struct {
	Arg     string // the file as the user typed it, or the built-in name
	Builtin bool   // Arg names a built-in scenario
}

// resolveScenario decides what a SCENARIO argument names: an existing file
// (not a directory) is a path; otherwise a built-in name; otherwise an
// input error. The empty argument names the built-in default scenario.
func resolveScenario(arg string) (scenarioRef, error) {
	if arg == "" {
		return scenarioRef{Arg: defaultScenario, Builtin: true}, nil
	}
	fi, err := os.Stat(arg)
	isDir := err == nil && fi.IsDir()
	switch {
	case err == nil && !isDir, err != nil && !errors.Is(err, fs.ErrNotExist):
		// An unreadable file is still a file: loading it reports why.
		return scenarioRef{Arg: arg}, nil
	case scenarios.IsBuiltin(arg):
		return scenarioRef{Arg: arg, Builtin: true}, nil
	case isDir:
		return scenarioRef{}, &inputError{fmt.Errorf("scenario %s: is a directory, not a scenario file", arg)}
	default:
		return scenarioRef{}, &inputError{fmt.Errorf(
			"scenario %s: no such file or built-in scenario; run 'scalesim scenarios' to list the built-ins", arg)}
	}
}

// load reads and validates the scenario with the families of schema,
// applying the --set overrides. A file is named in messages as the user
// typed it, and the paths it names (traces) are relative to it.
func (r scenarioRef) load(schema *scenarios.Schema, sets []string) (*scenarios.Scenario, error) {
	if r.Builtin {
		return schema.Builtin(r.Arg, sets)
	}
	return schema.LoadFile(r.Arg, sets)
}

// completeScenarios completes a SCENARIO argument: built-in names (with
// their descriptions), then the .yaml/.yml files and directories that
// start with toComplete.
func completeScenarios(toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, b := range scenarios.Builtins() {
		if strings.HasPrefix(b.Name, toComplete) {
			out = append(out, cobra.CompletionWithDesc(b.Name, b.Description))
		}
	}
	matches, _ := filepath.Glob(globEscape(toComplete) + "*")
	dirs := 0
	for _, m := range matches {
		fi, err := os.Stat(m)
		switch {
		case err != nil:
		case fi.IsDir():
			out = append(out, m+string(filepath.Separator))
			dirs++
		case isYAMLName(m):
			out = append(out, m)
		}
	}
	directive := cobra.ShellCompDirectiveNoFileComp
	if dirs == 1 && len(out) == 1 {
		directive |= cobra.ShellCompDirectiveNoSpace // descend into the directory
	}
	return out, directive
}

// isYAMLName reports whether name ends in .yaml or .yml.
func isYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// globEscape quotes the glob metacharacters in s (not the backslash where
// it is the path separator, since Glob cannot escape there).
func globEscape(s string) string {
	meta := `*?[\`
	if filepath.Separator == '\\' {
		meta = `*?[`
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(meta, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
