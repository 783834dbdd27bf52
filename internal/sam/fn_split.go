package sam

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Fn::Split in value position: the whole source string (where a list is
// expected, listSplit gives the parts).
func evalSplit(r *resolver, _, arg *yaml.Node) string {
	if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
		return r.eval(arg.Content[1])
	}
	return r.unknown("${Split}")
}

// listSplit: [delimiter, source] gives one item per part, each depending on
// what the source depends on.
func listSplit(t *Template, arg *yaml.Node, vars map[string]*yaml.Node) ([]Value, bool) {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) != 2 {
		return nil, false
	}
	delim := Str(arg.Content[0])
	if delim == "" {
		return nil, false
	}
	whole := t.ResolveWith(arg.Content[1], vars)
	var out []Value
	for _, part := range strings.Split(whole.Text, delim) {
		v := whole
		v.Text = part
		out = append(out, v)
	}
	return out, true
}
