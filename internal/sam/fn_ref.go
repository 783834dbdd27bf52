package sam

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Ref: a variable's value, a parameter's default, a pseudo parameter or a
// resource kept as ${Name}.
func evalRef(r *resolver, _, arg *yaml.Node) string {
	return r.ref(Str(arg))
}

// listRef: a Ref to a list parameter (List<...> or CommaDelimitedList) with
// a known default gives one item per element.
func listRef(t *Template, arg *yaml.Node, vars map[string]*yaml.Node) ([]Value, bool) {
	name := Str(arg)
	if name == "" || vars[name] != nil {
		return nil, false
	}
	p := t.Parameter(name)
	if p == nil || p.Default == nil || p.Default.Kind != yaml.ScalarNode ||
		!(strings.HasPrefix(p.Type, "List<") || p.Type == "CommaDelimitedList") {
		return nil, false
	}
	d := t.ResolveWith(p.Default, vars)
	if !d.Known {
		return nil, false
	}
	var out []Value
	for _, part := range strings.Split(d.Text, ",") {
		out = append(out, Value{Text: strings.TrimSpace(part), Known: true, Params: []string{name}, Line: Line(arg)})
	}
	return out, true
}

func (r *resolver) ref(name string) string {
	if name == "" {
		return r.unknown("${}")
	}
	if v, ok := r.vars[name]; ok {
		sub := r.t.ResolveWith(v, nil) // variables are the user's values: no recursion into vars
		r.absorb(sub)
		return sub.Text
	}
	if name == "AWS::NoValue" {
		return ""
	}
	if pseudo[name] {
		return r.unknown("${" + name + "}")
	}
	if p := r.t.Parameter(name); p != nil {
		r.v.Params = appendUnique(r.v.Params, name)
		if p.Default != nil && p.Default.Kind == yaml.ScalarNode {
			return r.eval(p.Default)
		}
		return r.unknown("${" + name + "}")
	}
	if r.t.Resource(name) != nil {
		r.v.Refs = append(r.v.Refs, RefTarget{ID: name})
		return r.unknown("${" + name + "}")
	}
	return r.unknown("${" + name + "}")
}
