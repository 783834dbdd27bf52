package cli

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/frontend"
	"github.com/samthreat/samthreat/internal/code"
)

func init() { register(newVersionCmd) }

// Commit is set at build time with -ldflags "-X .../internal/cli.Commit=..."
// (make, goreleaser); otherwise the VCS revision Go stamps, when it does.
var Commit = ""

// BuildInfo is what `samthreat version` reports: enough to reproduce a result
// (which code, which Go, which IAM data, whether code is read at all).
type BuildInfo struct {
	Version   string            `json:"version"`          // -ldflags Version (make, goreleaser), else the module version
	Module    string            `json:"module,omitempty"` // module version from the build (v1.2.3 from go install, a pseudo-version or (devel) from a checkout)
	Commit    string            `json:"commit,omitempty"`
	Time      string            `json:"commitTime,omitempty"`
	Modified  bool              `json:"modified,omitempty"` // built from a tree with uncommitted changes
	Go        string            `json:"go"`
	Platform  string            `json:"platform"`
	Cgo       bool              `json:"cgo"`
	CodeRead  []string          `json:"codeNotRead,omitempty"` // languages this build cannot parse
	IAMData   map[string]string `json:"iamData"`
	IAMOrder  []string          `json:"-"`
	Workbench bool              `json:"workbench"` // the frontend is embedded (serve shows the UI)
}

// buildInfo gathers BuildInfo from the binary itself.
func buildInfo() BuildInfo {
	b := BuildInfo{Version: Version, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		IAMData: map[string]string{}, CodeRead: code.NotReadByBuild(), Workbench: workbenchEmbedded()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.Module = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			case "CGO_ENABLED":
				b.Cgo = s.Value == "1"
			}
		}
		// go install module@v1.2.3 stamps the module version and no VCS data.
		if b.Version == defaultVersion && b.Module != "" && b.Module != "(devel)" {
			b.Version = strings.TrimPrefix(b.Module, "v")
		}
	}
	if Commit != "" && Commit != b.Commit {
		b.Commit, b.Time, b.Modified = Commit, "", strings.HasSuffix(Version, "-dirty")
	}
	for _, kv := range catalogs.IAMDataVersions() {
		b.IAMData[kv[0]] = kv[1]
		b.IAMOrder = append(b.IAMOrder, kv[0])
	}
	return b
}

func newVersionCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, Go version and embedded IAM data versions",
		Long: `Print what this binary is: samthreat's version and module version, the commit it
was built from, the Go version and platform, whether it reads function code (a
build without cgo does not), and the versions of the IAM data embedded in it
(catalogs/iam/VERSIONS). Quote it in bug reports.`,
		Example: `  samthreat version
  samthreat version --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := buildInfo()
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			case "text":
			default:
				return usageErr("unknown --format %q (text or json)", format)
			}
			fmt.Fprintf(w, "samthreat %s\n", b.Version)
			line := func(label, value string) { fmt.Fprintf(w, "  %-18s %s\n", label+":", value) }
			line("module", "github.com/samthreat/samthreat "+dashIf(b.Module))
			commit := dashIf(b.Commit)
			if b.Time != "" {
				commit += " (" + b.Time + ")"
			}
			if b.Modified {
				commit += ", with uncommitted changes"
			}
			line("commit", commit)
			line("go", b.Go+" "+b.Platform)
			reads := "every supported language (tree-sitter, cgo)"
			if len(b.CodeRead) > 0 {
				reads = "Go only: built without cgo, " + strings.Join(b.CodeRead, ", ") + " not read"
			}
			line("code", reads)
			wb := "embedded"
			if !b.Workbench {
				wb = "not embedded (frontend/dist was empty when this was built)"
			}
			line("workbench", wb)
			for _, k := range b.IAMOrder {
				line(k, b.IAMData[k])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func dashIf(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// workbenchEmbedded reports whether the built frontend is in the binary.
func workbenchEmbedded() bool {
	_, err := fs.Stat(frontend.Dist, "dist/index.html")
	return err == nil
}
