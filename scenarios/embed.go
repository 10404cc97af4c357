package scenarios

import "embed"

// builtinFS holds the built-in scenarios, builtin/NAME.yaml, and any files
// they name (traces, samples), which resolve relative to builtin/.
//
//go:embed builtin
var builtinFS embed.FS
