package blast

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"github.com/samthreat/samthreat/internal/testshared"
)

// TestCorpus runs the stage over every template of the shared corpus (which
// ships manifests but no handler code): no panic, every function gets
// figures, code that is not there is estimated with a reason, and the
// summary says how many functions had code found and parsed.
func TestCorpus(t *testing.T) {
	root := filepath.Join(sharedDir(t), "corpus")
	var templates, unreadable, functions, found, parsed, estimated int
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		if d.IsDir() {
			return nil
		}
		tpl, err := sam.Load(p)
		if err != nil {
			unreadable++ // deliberately broken inputs: the loader's business
			return nil
		}
		m, err := adapt.Build(tpl)
		if err != nil {
			unreadable++
			return nil
		}
		templates++
		if err := Compute(context.Background(), m, Options{Template: tpl}); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		for _, f := range m.Functions {
			functions++
			b := f.Blast
			switch {
			case b == nil:
				t.Errorf("%s: %s has no figures", p, f.ID)
			case b.Complexity < 1 || b.Dependencies < 1:
				t.Errorf("%s: %s: complexity %d dependencies %d", p, f.ID, b.Complexity, b.Dependencies)
			case b.ComplexityEstimated && b.CodeNote == "":
				t.Errorf("%s: %s estimated without a reason", p, f.ID)
			case b.BlastRadius != int64(b.Complexity)*int64(b.Dependencies)*int64(b.ResourceCount):
				t.Errorf("%s: %s: blast radius is not the product", p, f.ID)
			}
			if b != nil && b.ComplexityEstimated {
				estimated++
			}
		}
		found += m.Summary.CodeFound
		parsed += m.Summary.CodeParsed
		return nil
	})
	if err != nil && !errors.Is(err, filepath.SkipAll) {
		t.Fatal(err)
	}
	if templates == 0 || functions == 0 {
		t.Fatal("empty corpus")
	}
	t.Logf("%d templates (%d unreadable), %d functions: code found for %d, parsed for %d, estimated for %d", templates, unreadable, functions, found, parsed, estimated)
}

// TestSuggestionsNeverWiden is the property of issue 10 on every function of
// the corpus (templates with their handler code): every suggested (action,
// resource) is covered by a grant the function holds today. A policy
// template's every action must be granted on its resource (or on "*"); an
// inline statement's every action on each of its targets: "*" only where
// today's grant is on "*", a template resource where it (or "*") is
// granted, ARNs named in the code where today's statements name a matching
// resource.
func TestSuggestionsNeverWiden(t *testing.T) {
	lp := newPolicyTemplates()
	var checked int
	for _, p := range testshared.CorpusTemplates(t) {
		tpl, err := sam.Load(p)
		if err != nil {
			continue
		}
		m, err := adapt.Build(tpl)
		if err != nil {
			continue
		}
		if err := Compute(context.Background(), m, Options{Template: tpl}); err != nil {
			t.Fatal(err)
		}
		for _, f := range m.Functions {
			if f.Blast == nil || f.Role != "" && !f.RoleInTemplate {
				continue // today's grants are unknown
			}
			now := newToday(f)
			for _, sp := range f.SuggestedPolicies {
				if sp.Template != "" {
					var target string
					for _, v := range sp.Params {
						v = strings.TrimPrefix(strings.TrimPrefix(v, "!Ref "), "!GetAtt ")
						target, _, _ = strings.Cut(v, ".")
					}
					for _, a := range lp.grantedBy([]string{sp.Template}) {
						checked++
						if !now.allows(a, target) {
							t.Errorf("%s: %s: %s suggests %s on %s, granted today only on %v", p, f.ID, sp.Template, a, target, now.targets[strings.ToLower(a)])
						}
					}
					continue
				}
				st := sp.Statement
				for _, a := range st.Actions {
					checked++
					if !now.coversSuggested(a, st, actionService(a)) && !fromToday(now, a, st) {
						t.Errorf("%s: %s: suggests %s on %v (%v), granted today only on %v", p, f.ID, a, st.Resources, st.Targets, now.targets[strings.ToLower(a)])
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no suggestion checked")
	}
	t.Logf("%d suggested actions checked", checked)
}

// fromToday: the statement's resources are exactly those today's statements
// grant the action on.
func fromToday(now *today, a string, st *model.Statement) bool {
	res, _, _ := now.scopedTo(a)
	if len(res) == 0 {
		return false
	}
	for _, r := range st.Resources {
		if !slices.Contains(res, r) {
			return false
		}
	}
	return true
}
