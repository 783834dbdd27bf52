// Package testshared locates the shared test material (../shared beside the
// repository: the corpus of real templates and the Fresh Tracks fixture) for
// tests and benchmarks. The product itself never reads it.
package testshared

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Dir is ../shared next to the repository root (the directory with go.mod);
// the test fails when it is missing, never skips.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			s := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(s); err != nil {
				tb.Fatalf("shared material not found at %s", s)
			}
			return s
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("repository root (go.mod) not found")
		}
		dir = parent
	}
}

// Path joins elements under the shared directory.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, elem...)...)
}

// FreshTracks is a template of the Fresh Tracks fixture ("template.yaml",
// "template-least-privilege.yaml", "template-monolith.yaml").
func FreshTracks(tb testing.TB, name string) string {
	tb.Helper()
	return Path(tb, "fixtures", "freshtracks", name)
}

// CorpusFiles lists every file under shared/corpus with a template
// extension (.yaml, .yml, .json, .template), sorted.
func CorpusFiles(tb testing.TB) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(Path(tb, "corpus"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".yaml", ".yml", ".json", ".template":
			if !d.IsDir() {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Fatal("empty corpus")
	}
	return files
}

// CorpusTemplates is CorpusFiles without the files that name no AWS:: type
// (manifests, OpenAPI and state-machine definitions beside the templates).
func CorpusTemplates(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, p := range CorpusFiles(tb) {
		if data, err := os.ReadFile(p); err == nil && bytes.Contains(data, []byte("AWS::")) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		tb.Fatal("no templates in the corpus")
	}
	return out
}
