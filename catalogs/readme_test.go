package catalogs

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// TestREADMECountsRules keeps the README's rule counts equal to the catalog:
// the figures were hand-written once and drifted (61 for 82 rules).
func TestREADMECountsRules(t *testing.T) {
	files, err := fs.Glob(RulesFS(), "rules/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hardening := 0
	for _, f := range files {
		b, err := fs.ReadFile(RulesFS(), f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("\nkind: hardening\n")) {
			hardening++
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d rules in [catalogs/rules](catalogs/rules) (%d threats, %d hardening\ncontrols;", len(files), len(files)-hardening, hardening)
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md should say %q (the catalog has %d rules, %d of them hardening controls)", want, len(files), hardening)
	}
}
