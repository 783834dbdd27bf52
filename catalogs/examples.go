// Package catalogs embeds the data samthreat needs at run time: the IAM
// catalogs, the rule catalog, the OWASP mapping, fonts and the bundled example,
// so the binary works offline and never needs ../shared.
package catalogs

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed all:examples
var examples embed.FS

// Examples is the bundled example applications (examples/<name>/...).
func Examples() fs.FS { return examples }

// ExampleTemplate names the template analysed when no path is given.
const ExampleTemplate = "examples/freshtracks/template.yaml"

// ExtractExamples writes the bundled examples below dir (for code analysis,
// which reads handler files from disk) and returns the path of the default
// template inside it.
func ExtractExamples(dir string) (string, error) {
	err := fs.WalkDir(examples, "examples", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := examples.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.FromSlash(ExampleTemplate)), nil
}
