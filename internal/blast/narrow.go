package blast

import (
	"slices"
	"strings"

	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
)

// today is what a function is granted now, the bound no suggestion may
// exceed: per action, the targets its grants reach, and the statements that
// grant it (their resources as written, their conditions).
type today struct {
	targets map[string]map[string]bool // lower-case action -> targets (logical id, external:<svc>, *)
	stmts   []model.Statement
}

func newToday(f *model.Function) *today {
	t := &today{targets: map[string]map[string]bool{}}
	for _, g := range f.Grants {
		a := strings.ToLower(g.Action)
		if t.targets[a] == nil {
			t.targets[a] = map[string]bool{}
		}
		tg := g.Target
		if tg == "" {
			tg = "*"
		}
		t.targets[a][tg] = true
		if strings.HasPrefix(tg, "external:") || strings.HasPrefix(tg, "account:") {
			// an ARN outside the template, in a named region or another
			// account: still outside the template for suggestions, whose
			// resources are then checked ARN by ARN (coversSuggested)
			t.targets[a]["external:"+actionService(a)] = true
		}
	}
	for _, st := range f.Statements {
		if strings.EqualFold(st.Effect, "Allow") {
			t.stmts = append(t.stmts, st)
		}
	}
	return t
}

// allows reports whether action is granted today on target (or on "*").
// A nil bound (today unknown) allows everything.
func (t *today) allows(action, target string) bool {
	if t == nil {
		return true
	}
	ts := t.targets[strings.ToLower(action)]
	return ts["*"] || ts[target]
}

// allowsAll: every action is granted today on target.
func (t *today) allowsAll(actions []string, target string) bool {
	for _, a := range actions {
		if !t.allows(a, target) {
			return false
		}
	}
	return true
}

// grants reports whether today's statement st grants action.
func grants(st model.Statement, action string) bool {
	if len(st.Actions) > 0 {
		return anyMatchPattern(st.Actions, action)
	}
	return len(st.NotActions) > 0 && !anyMatchPattern(st.NotActions, action)
}

// scopedTo is where today's statements grant action when none grants it on
// "*": their resources as written and their targets, in order, and the first
// conditional statement among them (nil when none is).
func (t *today) scopedTo(action string) (resources, targets []string, cond *model.Statement) {
	for i, st := range t.stmts {
		if !grants(st, action) || len(st.Resources) == 0 {
			continue
		}
		for _, r := range st.Resources {
			if !slices.Contains(resources, r) {
				resources = append(resources, r)
			}
		}
		for _, tg := range st.Targets {
			if !slices.Contains(targets, tg) {
				targets = append(targets, tg)
			}
		}
		if st.Condition && cond == nil {
			cond = &t.stmts[i]
		}
	}
	return resources, targets, cond
}

// conditional returns a statement granting action on one of targets (or
// "*") under a Condition, nil when none does.
func (t *today) conditional(action string, targets []string) *model.Statement {
	for i, st := range t.stmts {
		if !st.Condition || !grants(st, action) {
			continue
		}
		for _, tg := range st.Targets {
			if tg == "*" || slices.Contains(targets, tg) {
				return &t.stmts[i]
			}
		}
	}
	return nil
}

// narrow bounds a suggested statement by today's grants, action by action:
// kept as suggested where today's grants reach the code's resources (the
// narrower of the two); else scoped to the resources today's statements
// name (never "*" when every current grant of the action is scoped); left
// out when the action is not granted at all. Actions that end up with the
// same resources share a statement; a statement built from conditional
// grants is marked so that its condition is kept.
func (t *today) narrow(st *model.Statement, svc string) []*model.Statement {
	if t == nil {
		return []*model.Statement{st}
	}
	type key struct{ res, tg string }
	byKey := map[key]*model.Statement{}
	var order []key
	put := func(a string, res, tgs []string, cond *model.Statement) {
		k := key{strings.Join(res, "\x00"), strings.Join(tgs, "\x00")}
		if cond != nil {
			k.res += "\x01cond"
		}
		s, ok := byKey[k]
		if !ok {
			s = &model.Statement{Effect: "Allow", Resources: res, Targets: tgs, Origin: st.Origin}
			if cond != nil {
				s.Condition = true
				s.Source = cond.Source
			}
			byKey[k] = s
			order = append(order, k)
		}
		s.Actions = append(s.Actions, a)
	}
	for _, a := range st.Actions {
		if t.coversSuggested(a, st, svc) {
			put(a, st.Resources, st.Targets, t.conditional(a, st.Targets))
			continue
		}
		res, tgs, cond := t.scopedTo(a)
		if len(res) == 0 {
			continue // not granted today: notGranted says so
		}
		put(a, res, tgs, cond)
	}
	out := make([]*model.Statement, 0, len(order))
	for _, k := range order {
		s := byKey[k]
		slices.Sort(s.Actions)
		out = append(out, s)
	}
	return out
}

// coversSuggested: today's grants of action reach every target of the
// suggested statement. A statement on "*" needs a grant on "*"; one on a
// template resource a grant on it; one on ARNs named in the code
// (external:<svc>) a grant on "*" or today's statement resources matching
// each of those ARNs.
func (t *today) coversSuggested(action string, st *model.Statement, svc string) bool {
	if t.allows(action, "*") {
		return true
	}
	for _, tg := range st.Targets {
		switch {
		case tg == "*":
			return false
		case tg == "external:"+svc:
			if !t.targets[strings.ToLower(action)][tg] {
				return false
			}
			for _, r := range st.Resources {
				if !t.resourceGranted(action, r) {
					return false
				}
			}
		case !t.allows(action, tg):
			return false
		}
	}
	return true
}

// resourceGranted: some statement granting action names a resource pattern
// matching arn (intrinsics on either side compared as wildcards).
func (t *today) resourceGranted(action, arn string) bool {
	for _, st := range t.stmts {
		if !grants(st, action) {
			continue
		}
		for _, r := range st.Resources {
			if iam.Match(subWild(r), subWild(arn)) {
				return true
			}
		}
	}
	return false
}

// subWild turns ${AWS::Partition} into aws and other ${...} parts into *,
// so ARNs with intrinsics compare: a run-time part of the code's ARN (*) is
// only covered by a * in today's pattern.
func subWild(s string) string {
	s = strings.ReplaceAll(s, "${AWS::Partition}", "aws")
	var sb strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			sb.WriteString(s)
			return sb.String()
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			sb.WriteString(s)
			return sb.String()
		}
		sb.WriteString(s[:i] + "*")
		s = s[i+j+1:]
	}
}
