package sam

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Fn::FindInMap: the Mappings value when the three keys are known, else its
// DefaultValue, else unknown with every value the map could give as
// alternatives.
func evalFindInMap(r *resolver, _, arg *yaml.Node) string {
	return r.findInMap(arg)
}

func (r *resolver) findInMap(arg *yaml.Node) string {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) < 3 {
		return r.unknown("${FindInMap}")
	}
	keys := make([]string, 3)
	known := true
	for i := 0; i < 3; i++ {
		v := r.t.ResolveWith(arg.Content[i], r.vars)
		keys[i] = v.Text
		if !v.Known {
			known = false
			r.absorb(v)
		}
	}
	if known {
		if n := Get(r.t.Mappings, keys...); n != nil {
			return r.eval(n)
		}
	}
	if len(arg.Content) == 4 { // default value
		if _, d := GetKey(arg.Content[3], "DefaultValue"); d != nil {
			return r.eval(d)
		}
	}
	// every value the map could give, as alternatives
	if m := Get(r.t.Mappings, keys[0]); m != nil && !known {
		var alts []string
		for _, p := range Pairs(m) {
			if v := Get(p.Value, keys[2]); v != nil {
				alts = append(alts, r.t.ResolveWith(v, r.vars).Text)
			}
		}
		sort.Strings(alts)
		r.v.Alternatives = append(r.v.Alternatives, alts...)
	}
	return r.unknown("${FindInMap:" + strings.Join(keys, ".") + "}")
}
