package sam

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Fn::Select: [index, list] gives the item; an index that is not known or
// out of range gives unknown, depending on every item.
func evalSelect(r *resolver, _, arg *yaml.Node) string {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) != 2 {
		return r.unknown("${Select}")
	}
	idx, err := strconv.Atoi(r.eval(arg.Content[0]))
	list := r.t.ResolveListWith(arg.Content[1], r.vars)
	if err != nil || idx < 0 || idx >= len(list) {
		for _, v := range list {
			r.absorb(v)
		}
		return r.unknown("${Select}")
	}
	r.absorb(list[idx])
	return list[idx].Text
}
