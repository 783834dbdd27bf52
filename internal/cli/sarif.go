package cli

import (
	"io"
	"os"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/report/sarif"
)

// sarif output: one SARIF 2.1.0 log for all analysed templates, with paths
// relative to the working directory (normally the repository root in CI).
func init() {
	outputFormats["sarif"] = func(w io.Writer, ms []*model.Model, _ bool) error {
		base, _ := os.Getwd()
		return sarif.Write(w, ms, sarif.Options{ToolVersion: Version, BaseDir: base})
	}
}
