package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// IAM rules judge every holder of permissions, not only functions: state
// machines, pipes, schedules, rule targets, API integrations, IoT topic rules
// and every other role of the template (model.Principals, filled by
// internal/adapt). Each rule reports at most once per holder, listing in that
// one finding every policy and action it found, with evidence at each.

// iamSubject is one holder of IAM permissions as the IAM rules see it.
type iamSubject struct {
	ID         string
	Label      string // how messages name it: "translate", "state machine Orchestrator (role R, assumed by states.amazonaws.com)"
	Statements []model.Statement
	Policies   []model.PolicyRef
	Line       int
	Fn         *model.Function // nil for other principals
	AssumedBy  []string        // the services its role trusts (other principals only)
	Kind       string          // model.Principal* ("" for functions)
}

var principalWords = map[string]string{
	model.PrincipalStateMachine:   "state machine",
	model.PrincipalPipe:           "pipe",
	model.PrincipalSchedule:       "schedule",
	model.PrincipalRule:           "EventBridge rule",
	model.PrincipalAPIIntegration: "API integration",
	model.PrincipalTopicRule:      "IoT topic rule",
	model.PrincipalRole:           "role",
}

// subjects lists the functions, then the other principals (a role a function
// already holds is judged once, as the function's).
func subjects(m *model.Model) []iamSubject {
	var out []iamSubject
	fnRoles := map[string]bool{}
	for _, f := range m.Functions {
		out = append(out, iamSubject{ID: f.ID, Label: f.ID, Statements: f.Statements, Policies: f.Policies, Line: fnLine(f), Fn: f})
		if f.Role != "" {
			fnRoles[f.Role] = true
		}
	}
	for _, p := range m.Principals {
		if p == nil || (p.Kind == model.PrincipalRole && (fnRoles[p.ID] || fnRoles[p.Role])) {
			continue
		}
		out = append(out, iamSubject{ID: p.ID, Label: principalLabel(p), Statements: p.Statements, Policies: p.Policies, Line: p.Source.Line, AssumedBy: p.AssumedBy, Kind: p.Kind})
	}
	return out
}

// principalLabel names a principal and says which service assumes its role.
func principalLabel(p *model.Principal) string {
	kind := principalWords[p.Kind]
	if kind == "" {
		kind = p.Kind
	}
	label := kind + " " + p.ID
	if p.Kind == model.PrincipalRole && p.Role == "" {
		p.Role = p.ID
	}
	var about []string
	if p.Role != "" && p.Role != p.ID {
		about = append(about, "role "+p.Role)
	}
	if len(p.AssumedBy) > 0 {
		about = append(about, "assumed by "+strings.Join(p.AssumedBy, ", "))
	}
	if len(about) > 0 {
		label += " (" + strings.Join(about, ", ") + ")"
	}
	return label
}

// allowsOf lists a subject's Allow statements.
func (s iamSubject) allows() []model.Statement {
	var out []model.Statement
	for _, st := range s.Statements {
		if st.Effect == "" || strings.EqualFold(st.Effect, "Allow") {
			if st2, ok := s.effective(st); ok {
				out = append(out, st2)
			}
		}
	}
	return out
}

// effective removes from an Allow statement on any resource the actions an
// unconditional Deny takes back on every ARN of their service (the
// documented SMS-only pattern: sns:Publish on "*", Deny sns:Publish on
// arn:aws:sns:*:*, leaves only publishing to phone numbers, which have no
// ARN). Rules then read the effective grant, not the Allow as written. ok is
// false when nothing is left.
func (s iamSubject) effective(st model.Statement) (model.Statement, bool) {
	if !anyResource(st) || len(st.NotActions) > 0 {
		return st, true
	}
	var keep []string
	for _, a := range st.Actions {
		if !s.deniedOnEveryARN(a) {
			keep = append(keep, a)
		}
	}
	if len(keep) == len(st.Actions) {
		return st, true
	}
	st.Actions = keep
	return st, len(keep) > 0
}

// deniedOnEveryARN: an unconditional Deny covers the action (as written,
// without wildcards in it) on "*" or on every ARN of its service.
func (s iamSubject) deniedOnEveryARN(action string) bool {
	if strings.ContainsAny(action, "*?") {
		return false
	}
	svc, _, _ := strings.Cut(strings.ToLower(action), ":")
	for _, d := range s.Statements {
		if !strings.EqualFold(d.Effect, "Deny") || d.Condition || len(d.NotResources) > 0 || !covers(d, action) {
			continue
		}
		for _, r := range d.Resources {
			if r == "*" || everyARNOf(strings.ToLower(r), svc) {
				return true
			}
		}
	}
	return false
}

// everyARNOf: arn:aws:sns:*:* (and longer forms, any partition) matches every
// ARN of the service.
func everyARNOf(r, svc string) bool {
	parts := strings.Split(r, ":")
	if len(parts) < 4 || parts[0] != "arn" || parts[2] != svc {
		return false
	}
	if p := parts[1]; p != "*" && p != "aws" && !strings.Contains(p, "partition") {
		return false
	}
	for _, x := range parts[3:] {
		if x != "*" {
			return false
		}
	}
	return true
}

// evidence is one location per distinct statement source, in order.
type evidence struct {
	m    *model.Model
	line int
	seen map[string]bool
	locs []model.Location
}

func newEvidence(m *model.Model, fallback int) *evidence {
	return &evidence{m: m, line: fallback, seen: map[string]bool{}}
}

func (e *evidence) add(s model.Source) {
	for _, l := range src(e.m, s, e.line) {
		k := fmt.Sprintf("%s:%d", l.File, l.Line)
		if !e.seen[k] {
			e.seen[k] = true
			e.locs = append(e.locs, l)
		}
	}
}

func (e *evidence) list() []model.Location {
	if len(e.locs) == 0 {
		return src(e.m, model.Source{}, e.line)
	}
	return e.locs
}

// origins collects the policies findings came from, in order of appearance.
type origins struct {
	names []string
	seen  map[string]bool
}

func (o *origins) add(s model.Statement) {
	if o.seen == nil {
		o.seen = map[string]bool{}
	}
	n := originName(s)
	if !o.seen[n] {
		o.seen[n] = true
		o.names = append(o.names, n)
	}
}

func (o *origins) String() string {
	if len(o.names) == 1 {
		return o.names[0]
	}
	return strings.Join(o.names[:len(o.names)-1], ", ") + " and " + o.names[len(o.names)-1]
}

// shortList shows at most n items and says how many more there are.
func shortList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}

// userOnlyResources reports a statement whose every resource holds a policy
// variable that only an IAM user's request has (${aws:username}): it cannot
// match a role session, so a role holding it is granted nothing there.
func userOnlyResources(s model.Statement) bool {
	if len(s.Resources) == 0 || len(s.NotResources) > 0 {
		return false
	}
	for _, r := range s.Resources {
		if !strings.Contains(strings.ToLower(r), "aws:username}") { // ${aws:username}, or ${!aws:username} escaped in a Sub
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
