package cli

import (
	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/internal/rules"
)

// addRootFlag registers --root: the folder every file a template points at
// must lie in (code, manifests, definitions). The default is the template's
// own folder; a monorepo whose CodeUri is ../src names its top folder.
func addRootFlag(cmd *cobra.Command, root *string) {
	cmd.Flags().StringVar(root, "root", "", "project root: code and manifests outside it are not read (default: the template's folder)")
}

// checkRules loads the user rules once before any template is read, so a
// broken --rules folder is reported once, in its own name.
func checkRules(dir string) error {
	if dir == "" {
		return nil
	}
	if _, err := rules.LoadUserRules(dir); err != nil {
		return usageErr("%v", err)
	}
	return nil
}
