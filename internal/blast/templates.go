package blast

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
)

// policyTemplates picks the narrowest SAM policy template for a set of
// actions on one resource, from the templates' own definitions (the IAM
// catalog's copy of the SAM policy templates), not from a hand-kept table.
type policyTemplates struct {
	once  sync.Once
	byPar map[string][]candidate // parameter name -> single-parameter templates scoped to it
}

type candidate struct {
	name    string
	actions []string // as written (patterns)
	granted []string // after wildcard expansion
}

func newPolicyTemplates() *policyTemplates { return &policyTemplates{} }

func (p *policyTemplates) load() {
	p.byPar = map[string][]candidate{}
	for _, name := range iamPolicyTemplateNames() {
		def, params, ok := iamPolicyTemplate(name)
		if !ok || len(params) != 1 {
			continue
		}
		var doc struct {
			Statement []struct {
				Effect   string          `json:"Effect"`
				Action   json.RawMessage `json:"Action"`
				Resource json.RawMessage `json:"Resource"`
			} `json:"Statement"`
		}
		if json.Unmarshal(def, &doc) != nil || len(doc.Statement) == 0 {
			continue
		}
		c := candidate{name: name}
		scoped := true
		for _, st := range doc.Statement {
			if !strings.EqualFold(st.Effect, "Allow") {
				continue
			}
			c.actions = append(c.actions, stringList(st.Action)...)
			// Every statement must be scoped to the parameter: a template
			// that also grants on * is not a narrow replacement.
			if !strings.Contains(compact(st.Resource), `"Ref":"`+params[0]+`"`) {
				scoped = false
			}
		}
		if !scoped || len(c.actions) == 0 {
			continue
		}
		for _, a := range c.actions {
			c.granted = append(c.granted, iamExpandAction(a)...)
		}
		p.byPar[params[0]] = append(p.byPar[params[0]], c)
	}
	for k := range p.byPar {
		cs := p.byPar[k]
		sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	}
}

// narrowest returns the SAM policy templates, taking only param, that cover
// every one of acts with the least excess: one template, or two (a Read and a
// Write template often beat a Crud one). Excess is weighted by access level,
// so that a template granting one unneeded write (RestoreTableFromBackup) is
// not preferred to one granting a few unneeded reads. nil when none covers.
func (p *policyTemplates) narrowest(param string, acts []string) []string {
	p.once.Do(p.load)
	cs := p.byPar[param]
	var best []string
	bestCost := -1
	consider := func(cost int, names ...string) {
		if bestCost < 0 || cost < bestCost || (cost == bestCost && len(names) < len(best)) {
			best, bestCost = names, cost
		}
	}
	for i, a := range cs {
		if covers(a.actions, acts) {
			consider(excess(acts, a.granted), a.name)
		}
		for _, b := range cs[i+1:] {
			union := append(append([]string(nil), a.actions...), b.actions...)
			if covers(union, acts) && !covers(a.actions, acts) && !covers(b.actions, acts) {
				consider(excess(acts, append(append([]string(nil), a.granted...), b.granted...)), a.name, b.name)
			}
		}
	}
	return best
}

// excess is the weighted count of granted actions the code does not need:
// a write, tagging or permissions-management action weighs ten reads.
func excess(needed, granted []string) int {
	need := map[string]bool{}
	for _, a := range needed {
		need[strings.ToLower(a)] = true
	}
	seen := map[string]bool{}
	cost := 0
	for _, a := range granted {
		low := strings.ToLower(a)
		if need[low] || seen[low] {
			continue
		}
		seen[low] = true
		switch iam.Access(a) {
		case model.AccessRead, model.AccessList:
			cost++
		default:
			cost += 10
		}
	}
	return cost
}

func covers(patterns, acts []string) bool {
	for _, a := range acts {
		if !anyMatchPattern(patterns, a) {
			return false
		}
	}
	return true
}

func stringList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

func compact(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// grantedBy lists the actions the named templates grant (expanded).
func (p *policyTemplates) grantedBy(names []string) []string {
	p.once.Do(p.load)
	var out []string
	for _, cs := range p.byPar {
		for _, c := range cs {
			for _, n := range names {
				if c.name == n {
					out = append(out, c.granted...)
				}
			}
		}
	}
	return out
}
