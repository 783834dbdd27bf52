// Command samthreat is a threat-modeling workbench for AWS SAM applications.
// With a subcommand it runs headless; with none it opens the desktop workbench.
package main

import (
	"os"

	"github.com/samthreat/samthreat/internal/cli"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(runDesktop())
}
