package blast

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
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
	size    int      // number of actions after wildcard expansion: the narrowness
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
			c.size += len(iamExpandAction(a))
		}
		p.byPar[params[0]] = append(p.byPar[params[0]], c)
	}
	for k := range p.byPar {
		cs := p.byPar[k]
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].size != cs[j].size {
				return cs[i].size < cs[j].size
			}
			return cs[i].name < cs[j].name
		})
	}
}

// narrowest returns the template with the fewest actions among those taking
// only param whose actions cover every one of acts ("" when none does).
func (p *policyTemplates) narrowest(param string, acts []string) string {
	p.once.Do(p.load)
	for _, c := range p.byPar[param] {
		if covers(c.actions, acts) {
			return c.name
		}
	}
	return ""
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
