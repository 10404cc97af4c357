package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// newRootCmd builds the scalesim command tree writing to ios.
func newRootCmd(ios ioStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "scalesim",
		Short: "Simulate and compare scaling strategies for an inference endpoint",
		Long: `scalesim is a deterministic discrete-event simulator that compares scaling
strategies (static fleet, AWS-style auto scaling group, vertical resize,
Kinesis-style stream) for an ML inference endpoint, on latency, errors and cost.

Results go to stdout, progress and warnings to stderr. Exit status: 0 success,
1 a check failed, 2 bad input or usage.`,
		Example: `  scalesim run                        # the built-in default scenario
  scalesim run mmc -o json > out.json
  scalesim run my.yaml --set workload.rate=500 --seed 9
  scalesim scenarios
  scalesim catalog --family m5`,
		Version:       versionString(readBuildInfo()),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Suggest "run" for "rn" (cobra's default distance, which it only
		// applies to its own unknown-command error).
		SuggestionsMinimumDistance: 2,
		// Runnable only so that an unknown command is a usage error (exit 2)
		// rather than cobra's plain error; with no argument it shows help.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := "unknown command %q for %q"
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return usageErrorf(msg, args[0], cmd.CommandPath())
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.Err)
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(
		newRunCmd(ios, nil),
		newValidateCmd(ios),
		newScenariosCmd(ios),
		newCatalogCmd(ios),
		newVersionCmd(ios),
		newSweepCmd(ios, nil),
		newCheckCmd(ios, nil),
		newCalibrateCmd(ios, nil),
		newMergeCmd(ios),
		newTraceCmd(ios),
		newPlaygroundCmd(ios),
	)
	root.SetHelpCommand(newHelpCmd())
	root.InitDefaultCompletionCmd()
	addBuiltinExamples(root)
	wrapUsage(root)
	return root
}

// newHelpCmd replaces cobra's help command, which prints the root usage and
// exits 0 for an unknown topic, with one that makes it a usage error.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help about any command",
		Long:  "Help provides help for any command in the application.",
		Example: `  scalesim help run
  scalesim help completion bash`,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			parent, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range parent.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usageErrorf("unknown help topic %q", strings.Join(args, " "))
			}
			return cmd.Help()
		},
	}
}

// addBuiltinExamples gives cobra's completion commands an example each,
// like every other command.
func addBuiltinExamples(root *cobra.Command) {
	for _, c := range root.Commands() {
		switch c.Name() {
		case "completion":
			c.Example = `  source <(scalesim completion bash)
  scalesim completion zsh > "${fpath[1]}/_scalesim"
  scalesim completion fish > ~/.config/fish/completions/scalesim.fish`
			for _, sh := range c.Commands() {
				sh.Example = "  scalesim completion " + sh.Name()
			}
		}
	}
}
