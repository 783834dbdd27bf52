package sam

import "gopkg.in/yaml.v3"

// Fn::If: [condition, then, else] gives the first branch's text (the second
// when the first is AWS::NoValue), conditional, with both as alternatives;
// known only when both branches agree.
func evalIf(r *resolver, _, arg *yaml.Node) string {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) != 3 {
		return r.unknown("${If}")
	}
	a := r.t.ResolveWith(arg.Content[1], r.vars)
	b := r.t.ResolveWith(arg.Content[2], r.vars)
	r.absorb(a)
	r.absorb(b)
	r.v.Conditional = true
	r.v.Alternatives = append(r.v.Alternatives, a.Text, b.Text)
	if a.Text != b.Text {
		r.v.Known = false
	}
	if a.Text == "" && isNoValue(arg.Content[1]) {
		return b.Text
	}
	return a.Text
}

// listIf: where a list is expected, the items of both branches, each marked
// conditional.
func listIf(t *Template, arg *yaml.Node, vars map[string]*yaml.Node) ([]Value, bool) {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) != 3 {
		return nil, false
	}
	var out []Value
	for _, b := range arg.Content[1:] {
		for _, v := range t.ResolveListWith(b, vars) {
			v.Conditional = true
			out = append(out, v)
		}
	}
	return out, true
}
