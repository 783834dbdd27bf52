package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/rules"
)

// TestEquivalents: every scanner id a rule lists is in the checked list for
// that rule (catalogs/rule_equivalents.yaml), every checked entry is listed
// by its rule, and docs/rules.md shows each one with exact or partial.
func TestEquivalents(t *testing.T) {
	cat, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	list, err := rules.Equivalents()
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, e := range list {
		checked[e.Rule+" "+e.Ref()] = true
	}
	listed := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range cat {
		ids[r.ID] = true
		for _, ref := range r.Equivalents {
			listed[r.ID+" "+ref] = true
			if !checked[r.ID+" "+ref] {
				t.Errorf("%s lists %s, which is not in catalogs/rule_equivalents.yaml (verify it against the scanner's source first)", r.ID, ref)
			}
		}
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if !ids[e.Rule] {
			t.Errorf("%s: %s is checked for a rule that does not exist", e.Rule, e.Ref())
		}
		if !listed[e.Rule+" "+e.Ref()] {
			t.Errorf("%s: checked equivalent %s is not listed in the rule's catalog entry", e.Rule, e.Ref())
		}
		row := "| " + e.Rule + " | " + e.Tool + " | " + e.ID + " | " + e.Match + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/rules.md has no row %q", row)
		}
	}
}
