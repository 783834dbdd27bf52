package cli

import (
	"fmt"
	"sync"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/code"
)

// readsCode are the commands that analyse function code: in a build that
// cannot read some languages (no cgo) they say so once on stderr, before any
// output, so a number is never taken for a measurement unawares.
var readsCode = map[string]bool{"analyze": true, "graph": true, "report": true, "compare": true, "serve": true}

// buildLimitWarner returns a PersistentPreRun for the root command that
// prints code.BuildLimit (when there is one) once per run.
func buildLimitWarner() func(cmd *cobra.Command, args []string) {
	var once sync.Once
	return func(cmd *cobra.Command, _ []string) {
		msg := code.BuildLimit()
		if msg == "" || !readsCode[cmd.Name()] {
			return
		}
		once.Do(func() { fmt.Fprintf(cmd.ErrOrStderr(), "samthreat: warning: %s\n", msg) })
	}
}
