// Package testshared locates the shared test material (../shared beside the
// repository: the corpus of real templates and the Fresh Tracks fixture) for
// tests and benchmarks. The product itself never reads it.
package testshared

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// RequireEnv is the environment variable that turns a missing ../shared from
// a skip into a failure. .ci/run sets it, so CI can never pass by skipping
// the corpus and fixture tests.
const RequireEnv = "SAMTHREAT_REQUIRE_SHARED"

// Dir is ../shared next to the repository root (the directory with go.mod).
// When it is missing the test is skipped with a message saying so (a clone
// without the shared material still runs every other test), unless
// SAMTHREAT_REQUIRE_SHARED is set, as in CI, where it fails.
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
				Missing(tb, s)
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

// Missing ends a test that needs shared material at path: a skip with the
// reason, or a failure when SAMTHREAT_REQUIRE_SHARED is set.
func Missing(tb testing.TB, path string) {
	tb.Helper()
	if os.Getenv(RequireEnv) != "" {
		tb.Fatalf("shared material not found at %s, and %s is set (CI): put the shared corpus and fixtures beside the repository", path, RequireEnv)
	}
	tb.Skipf("skipped: shared material not found at %s (the corpus and fixtures beside the repository; set %s=1 to make this a failure)", path, RequireEnv)
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

// CorpusTemplates is CorpusFiles restricted to CloudFormation/SAM templates:
// documents whose top level has Resources, AWSTemplateFormatVersion or
// Transform (what samthreat accepts as a template). Manifests (package.json),
// OpenAPI and state-machine definitions and other YAML/JSON beside the
// templates are left out, even when they mention AWS:: types; so are files
// that are not YAML at all.
func CorpusTemplates(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, p := range CorpusFiles(tb) {
		if data, err := os.ReadFile(p); err == nil && IsTemplate(data) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		tb.Fatal("no templates in the corpus")
	}
	return out
}

// IsTemplate reports whether a YAML/JSON document's top level names
// Resources, AWSTemplateFormatVersion or Transform.
func IsTemplate(data []byte) bool {
	if !bytes.Contains(data, []byte("Resources")) && !bytes.Contains(data, []byte("AWSTemplateFormatVersion")) && !bytes.Contains(data, []byte("Transform")) {
		return false
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		// Broken YAML that still looks like a template: keep it, the
		// loaders' refusal is part of what corpus tests check.
		return bytes.Contains(data, []byte("AWS::"))
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		switch top.Content[i].Value {
		case "Resources", "AWSTemplateFormatVersion", "Transform":
			return true
		}
	}
	return false
}
