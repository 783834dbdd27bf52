package sam

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Fn::Join: [delimiter, list] joined.
func evalJoin(r *resolver, _, arg *yaml.Node) string {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) != 2 {
		return r.unknown("${Join}")
	}
	delim := r.eval(arg.Content[0])
	var parts []string
	for _, v := range r.t.ResolveListWith(arg.Content[1], r.vars) {
		r.absorb(v)
		parts = append(parts, v.Text)
	}
	return strings.Join(parts, delim)
}
