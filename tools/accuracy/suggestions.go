package main

import (
	"fmt"
	"strings"

	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
)

// The suggestions and actions measure.

func suggestions(m *model.Model, widened, actions *Count) {
	for _, f := range m.Functions {
		if f.Blast == nil {
			continue
		}
		scoped := map[string]int{} // action -> grants on a resource; -1 once one is on "*"
		for _, g := range f.Grants {
			k := strings.ToLower(g.Action)
			if g.Target == "*" || g.Target == "" {
				scoped[k] = -1
			} else if scoped[k] >= 0 {
				scoped[k]++
			}
		}
		names := map[string]bool{}
		for _, a := range f.Blast.Used {
			names[a] = true
		}
		for _, sp := range f.Blast.SuggestedPolicies {
			if sp.Statement == nil {
				widened.add(true, "")
				continue
			}
			star := false
			for _, r := range sp.Statement.Resources {
				star = star || r == "*"
			}
			for _, a := range sp.Statement.Actions {
				names[a] = true
				bad := star && scoped[strings.ToLower(a)] > 0
				widened.add(!bad, fmt.Sprintf("%s: %s on \"*\", granted today only on %s", f.ID, a, grantTargets(f, a)))
			}
		}
		for _, a := range sortedKeys(names) {
			actions.add(iam.Known(a), f.ID+": "+a)
		}
	}
}

func grantTargets(f *model.Function, action string) string {
	set := map[string]bool{}
	for _, g := range f.Grants {
		if strings.EqualFold(g.Action, action) {
			set[g.Target] = true
		}
	}
	return strings.Join(sortedKeys(set), ", ")
}
