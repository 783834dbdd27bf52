//go:build !desktop

package main

import (
	"fmt"
	"os"
)

// runDesktop, in a build without the desktop tag, says how to get the workbench.
func runDesktop() int {
	fmt.Fprintln(os.Stderr, `samthreat: this build has no desktop workbench (build it with 'make desktop'),
or run 'samthreat serve' for the same workbench in a browser, or 'samthreat --help' for the CLI.`)
	return 0
}
