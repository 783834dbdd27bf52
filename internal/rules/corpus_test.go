package rules_test

import (
	"context"
	"sort"
	"testing"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/sam"
	"github.com/samthreat/samthreat/internal/testshared"
)

// TestCorpus runs every rule over every template of the shared corpus: no
// rule may fail or panic on real-world templates. The per-category counts it
// logs (go test -v -run TestCorpus) are the closing note's figures.
func TestCorpus(t *testing.T) {
	files := testshared.CorpusTemplates(t)
	ctx := context.Background()
	byOWASP, byRule := map[string]int{}, map[string]int{}
	hardOWASP, hardTotal := map[string]int{}, 0
	analysed, unreadable, total := 0, 0, 0
	for _, p := range files {
		tpl, err := sam.Load(p)
		if err != nil {
			unreadable++ // broken on purpose (sam-translator error_* inputs): the reader's business
			continue
		}
		m, err := adapt.Build(tpl)
		if err != nil {
			unreadable++
			continue
		}
		if err := blast.Compute(ctx, m, blast.Options{Template: tpl}); err != nil {
			t.Errorf("%s: blast: %v", p, err)
			continue
		}
		if err := rules.Evaluate(ctx, m, rules.Options{Now: testNow, Template: tpl}); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		analysed++
		perResource := map[string]int{}
		for _, f := range m.Findings {
			// One risk, one finding: a rule reports a resource once, every
			// route, port, policy or place in that finding (issues 11, 16).
			if perResource[f.RuleID+"@"+f.Resource]++; perResource[f.RuleID+"@"+f.Resource] == 2 {
				t.Errorf("%s: %s reports twice on %s", p, f.RuleID, f.Resource)
			}
		}
		for _, f := range m.Findings {
			if f.Suppressed {
				continue
			}
			total++
			byOWASP[f.OWASP]++
			byRule[f.RuleID]++
			if len(f.Evidence) == 0 || f.Evidence[0].Line <= 0 {
				t.Errorf("%s: %s has no template line", p, f.Fingerprint)
			}
		}
		for _, h := range m.Hardening {
			for _, g := range h.Missing {
				if !g.Suppressed {
					hardTotal++
					hardOWASP[h.OWASP]++
				}
			}
		}
	}
	t.Logf("%d templates analysed, %d not readable, %d findings, %d hardening gaps", analysed, unreadable, total, hardTotal)
	t.Logf("  OWASP  findings  hardening")
	for i := 1; i <= 10; i++ {
		k := "S" + itoa(i)
		t.Logf("  %-5s %9d %10d", k, byOWASP[k], hardOWASP[k])
	}
	ids := make([]string, 0, len(byRule))
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Logf("  %-13s %6d", id, byRule[id])
	}
}
