package sam

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestCorpus reads every corpus template: no panic, resources match an
// independent plain decode, and unreadable files give a *Error naming the file.
func TestCorpus(t *testing.T) {
	read, failed := 0, 0
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := Parse(f, data)
		var plain struct {
			Resources map[string]struct {
				Type string `yaml:"Type"`
			} `yaml:"Resources"`
		}
		plainErr := yaml.Unmarshal(data, &plain)
		if err != nil {
			failed++
			var se *Error
			if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), f) {
				t.Errorf("%s: error is not a *sam.Error naming the file: %v", f, err)
			}
			if plainErr == nil && len(plain.Resources) > 0 {
				t.Logf("%s: refused though plain YAML decodes: %v", f, err)
			}
			continue
		}
		read++
		if plainErr == nil && len(plain.Resources) != len(tmpl.Resources) {
			t.Errorf("%s: %d resources, plain decode finds %d", f, len(tmpl.Resources), len(plain.Resources))
		}
		for _, r := range tmpl.Resources {
			if r.Properties == nil {
				t.Errorf("%s: %s: nil Properties", f, r.ID)
			}
		}
	}
	t.Logf("read %d templates, refused %d", read, failed)
	// the deliberately broken translator inputs whose structure cannot be read
	for _, name := range []string{"error_globals_is_not_dict.yaml", "error_globals_unsupported_type.yaml"} {
		f := filepath.Join(sharedDir(t), "corpus", "sam-translator", name)
		_, err := Load(f)
		var se *Error
		if !errors.As(err, &se) || se.Line == 0 || !strings.Contains(se.Msg, "Globals") {
			t.Errorf("%s: want a *sam.Error with a line about Globals, got %v", name, err)
		}
	}
}
