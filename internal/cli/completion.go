package cli

import (
	"github.com/spf13/cobra"
)

func init() { register(newCompletionCmd) }

// completionShells are the shells cobra writes completion scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// newCompletionCmd replaces cobra's default completion command, which prints
// its help and exits 0 for a shell it does not know (tcsh): here that is bad
// usage, exit 2 with one line.
func newCompletionCmd() *cobra.Command {
	var noDesc bool
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long: `Print the completion script for your shell on standard output.

  bash:       source <(samthreat completion bash)      (needs the bash-completion package)
  zsh:        samthreat completion zsh > "${fpath[1]}/_samthreat"
  fish:       samthreat completion fish > ~/.config/fish/completions/samthreat.fish
  powershell: samthreat completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: completionShells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr("completion needs one shell: bash, zsh, fish or powershell")
			}
			for _, s := range completionShells {
				if args[0] == s {
					return nil
				}
			}
			return usageErr("completion: no completion for shell %q (bash, zsh, fish or powershell)", args[0])
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, w := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, !noDesc)
			case "zsh":
				if noDesc {
					return root.GenZshCompletionNoDesc(w)
				}
				return root.GenZshCompletion(w)
			case "fish":
				return root.GenFishCompletion(w, !noDesc)
			default:
				if noDesc {
					return root.GenPowerShellCompletion(w)
				}
				return root.GenPowerShellCompletionWithDesc(w)
			}
		},
	}
	cmd.Flags().BoolVar(&noDesc, "no-descriptions", false, "leave the descriptions out of the completions")
	return cmd
}
