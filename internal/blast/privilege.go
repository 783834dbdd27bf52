package blast

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
)

// The IAM knowledge this stage uses, as variables so that tests can check
// the stage's own logic with reference data whatever state the IAM catalogs
// are in.
var (
	iamPolicyTemplate      = iam.PolicyTemplate
	iamPolicyTemplateNames = iam.PolicyTemplateNames
	iamExpandAction        = iam.ExpandAction
)

// sdkCalls records the calls with the template resource each reaches: the
// resource its environment variable references, else the only resource of
// the service the function is granted on or triggered by.
func sdkCalls(m *model.Model, f *model.Function, b *model.Blast, res *code.Result, dir string) []traced {
	var out []traced
	for _, c := range res.Calls {
		t := callTarget(m, f, c)
		out = append(out, traced{Call: c, target: t})
		b.SDKCalls = append(b.SDKCalls, model.SDKCall{Service: c.Client, Method: c.Method, Actions: c.Actions,
			File: rel(dir, c.File), Line: c.Line, Target: t})
	}
	return out
}

// traced is a call with the template resource it reaches ("" when none).
type traced struct {
	code.Call
	target string
}

func callTarget(m *model.Model, f *model.Function, c code.Call) string {
	for _, r := range c.Refs {
		if r.Env == "" {
			continue
		}
		for _, e := range f.Environment {
			if e.Name != r.Env {
				continue
			}
			for _, id := range e.Refs {
				if res := resource(m, id); res != nil && !res.External {
					return res.ID
				}
			}
		}
	}
	for _, r := range c.Refs {
		if r.Literal != "" && !strings.Contains(r.Literal, "*") {
			return "" // a name written in the code: outside what the template declares
		}
	}
	svc := code.Service(c.Service)
	if svc == nil || len(svc.ARNs) == 0 || isWildcardOnly(svc, c.Method) {
		return ""
	}
	cands := map[string]bool{}
	for _, g := range f.Grants {
		if r := resource(m, g.Target); r != nil && !r.External && strings.EqualFold(r.Service, svc.IAM) {
			cands[r.ID] = true
		}
	}
	for _, ev := range f.Events {
		if r := resource(m, ev.Source); r != nil && !r.External && strings.EqualFold(r.Service, svc.IAM) {
			cands[r.ID] = true
		}
	}
	if len(cands) == 1 {
		for id := range cands {
			return id
		}
	}
	return ""
}

func resource(m *model.Model, id string) *model.Resource {
	for _, r := range m.Resources {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func isWildcardOnly(s *catalogs.SDKService, method string) bool {
	for _, w := range s.WildcardOnly {
		if w == method {
			return true
		}
	}
	return false
}

// leastPrivilege compares the actions the code needs with those granted and
// suggests the narrowest policies.
func leastPrivilege(m *model.Model, f *model.Function, b *model.Blast, res *code.Result, calls []traced, lp *policyTemplates) {
	if !res.Found || res.Estimated {
		return // no code seen: nothing to compare against
	}
	used := map[string]bool{}
	for _, c := range res.Calls {
		for _, a := range c.Actions {
			used[a] = true
		}
	}
	b.Used = slices.Sorted(maps.Keys(used))
	needed := append(append([]string(nil), b.Used...), runtimeActions(m, f)...)
	for _, g := range f.Granted {
		if !anyMatch(needed, g) && !coveredBy(g, needed) {
			b.Unused = append(b.Unused, g)
		}
	}
	if f.Role == "" || f.RoleInTemplate {
		for _, a := range b.Used {
			if !anyMatchPattern(f.Granted, a) {
				b.NotGranted = append(b.NotGranted, a)
			}
		}
	}
	var bound *today
	if f.Role == "" || f.RoleInTemplate {
		bound = newToday(f) // a role outside the template: today's grants are unknown
	}
	b.SuggestedPolicies = suggest(calls, lp, bound)
}

// anyMatch reports whether granted action g is one of the needed actions.
func anyMatch(needed []string, g string) bool {
	for _, n := range needed {
		if strings.EqualFold(n, g) {
			return true
		}
	}
	return false
}

// coveredBy: a granted wildcard (iot:* when the catalog could not expand it)
// is in use when it matches a needed action; it is still reported unused
// when it matches none.
func coveredBy(g string, needed []string) bool {
	if !strings.ContainsAny(g, "*?") {
		return false
	}
	for _, n := range needed {
		if iam.Match(g, n) {
			return true
		}
	}
	return false
}

func anyMatchPattern(patterns []string, a string) bool {
	for _, p := range patterns {
		if iam.Match(p, a) {
			return true
		}
	}
	return false
}

// runtimeActions: what the Lambda service needs from this function's role.
func runtimeActions(m *model.Model, f *model.Function) []string {
	c, err := catalogs.SDK()
	if err != nil {
		return nil
	}
	out := append([]string(nil), c.Runtime.Always...)
	if strings.EqualFold(f.Tracing, "Active") {
		out = append(out, c.Runtime.Tracing...)
	}
	if f.VPC != nil {
		out = append(out, c.Runtime.VPC...)
	}
	for _, e := range f.Events {
		out = append(out, c.Runtime.Events[e.Type]...)
	}
	for _, d := range append(append([]string(nil), f.Destinations...), f.DeadLetter) {
		if r := resource(m, d); r != nil {
			out = append(out, c.Runtime.Destinations[r.Service]...)
		}
	}
	return out
}

// group is the actions the code needs on one resource.
type group struct {
	iam     string
	target  string // template resource, or "" for literal / wildcard-only
	svc     *catalogs.SDKService
	actions map[string]bool
	arns    []string // for target "": literal ARNs, or * for wildcard-only
}

// suggest builds the narrowest policies for the calls: a SAM policy template
// per resource where one covers the actions, else inline statements scoped
// to the resources the code uses. With today's grants known (bound not nil),
// a suggestion is never broader than them on any axis: a policy template is
// offered only when every action it grants is granted today on that
// resource; an action is kept on the code's resource only where today's
// grants reach it, else on the resources today's statements name (so never
// "*" when every current grant of the action is scoped); an action not
// granted at all is left out (it is reported in notGranted); and an action
// whose grant today carries a Condition is marked so the condition is kept.
func suggest(calls []traced, lp *policyTemplates, bound *today) []model.SuggestedPolicy {
	groups := map[string]*group{}
	var order []string
	get := func(key string, g *group) *group {
		if x, ok := groups[key]; ok {
			return x
		}
		groups[key] = g
		order = append(order, key)
		return g
	}
	for _, c := range calls {
		svc := code.Service(c.Service)
		if svc == nil {
			continue
		}
		var g *group
		switch {
		case isWildcardOnly(svc, c.Method):
			g = get(svc.IAM+"|*", &group{iam: svc.IAM, svc: svc, arns: []string{"*"}})
		case c.target != "":
			g = get(svc.IAM+"|"+c.target, &group{iam: svc.IAM, target: c.target, svc: svc})
			if g.svc.TemplateParam == nil && svc.TemplateParam != nil {
				g.svc = svc
			}
		default:
			arns := literalARNs(svc, c)
			g = get(svc.IAM+"|"+strings.Join(arns, ","), &group{iam: svc.IAM, svc: svc, arns: arns})
		}
		if g.actions == nil {
			g.actions = map[string]bool{}
		}
		for _, a := range c.Actions {
			g.actions[a] = true
		}
	}
	var out []model.SuggestedPolicy
	for _, k := range order {
		g := groups[k]
		acts := slices.Sorted(maps.Keys(g.actions))
		if len(acts) == 0 {
			continue // calls the SDK catalog maps to no IAM action
		}
		if g.target != "" && g.svc.TemplateParam != nil {
			if names := lp.narrowest(g.svc.TemplateParam.Name, acts); names != nil && bound.allowsAll(lp.grantedBy(names), g.target) {
				val := strings.ReplaceAll(g.svc.TemplateParam.Value, "{id}", g.target)
				for _, name := range names {
					out = append(out, model.SuggestedPolicy{Template: name, Params: map[string]string{g.svc.TemplateParam.Name: val},
						SAM: fmt.Sprintf("- %s:\n    %s: %s\n", name, g.svc.TemplateParam.Name, val)})
				}
				continue
			}
		}
		resources := g.arns
		targets := []string{"*"}
		if g.target != "" {
			resources = nil
			for _, a := range g.svc.ARNs {
				resources = append(resources, strings.ReplaceAll(a, "{id}", g.target))
			}
			targets = []string{g.target}
		}
		if len(resources) == 0 {
			resources = []string{"*"}
		}
		if !(len(resources) == 1 && resources[0] == "*") && g.target == "" {
			targets = []string{"external:" + g.iam}
		}
		for _, st := range bound.narrow(&model.Statement{Effect: "Allow", Actions: acts, Resources: resources, Targets: targets, Origin: "suggested"}, g.iam) {
			out = append(out, model.SuggestedPolicy{Statement: st, SAM: inlineSAM(st)})
		}
	}
	if out == nil {
		out = []model.SuggestedPolicy{}
	}
	return out
}

// literalARNs scopes a call that names its resource in the code (a literal,
// * for its run-time parts); * when the code says nothing usable.
func literalARNs(svc *catalogs.SDKService, c traced) []string {
	var out []string
	for _, r := range c.Refs {
		if r.Literal == "" || r.Literal == "*" {
			continue
		}
		for _, a := range svc.LiteralARNs {
			out = append(out, strings.ReplaceAll(a, "{value}", r.Literal))
		}
	}
	if len(out) == 0 {
		return []string{"*"}
	}
	sort.Strings(out)
	return out
}

func inlineSAM(st *model.Statement) string {
	var sb strings.Builder
	sb.WriteString("- Statement:\n    - Effect: Allow\n      Action:\n")

	for _, a := range st.Actions {
		sb.WriteString("        - " + a + "\n")
	}
	sb.WriteString("      Resource:\n")
	for _, r := range st.Resources {
		sb.WriteString("        - " + yamlResource(r) + "\n")
	}
	if st.Condition {
		fmt.Fprintf(&sb, "      # today's grant of these actions carries a Condition (%s:%d): keep it here\n", st.Source.File, st.Source.Line)
	}
	return sb.String()
}

// yamlResource renders an ARN: "*" quoted, ${...} through !Sub.
func yamlResource(r string) string {
	q, _ := json.Marshal(r)
	if strings.Contains(r, "${") {
		return "!Sub " + string(q)
	}
	return string(q)
}
