package sam

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Fn::Sub: the template with each ${Name} replaced by its local variable,
// variable, parameter, pseudo parameter or resource (${!Literal} is literal).
func evalSub(r *resolver, _, arg *yaml.Node) string {
	return r.sub(arg)
}

func (r *resolver) sub(arg *yaml.Node) string {
	var tmpl string
	var local *yaml.Node
	switch arg.Kind {
	case yaml.ScalarNode:
		tmpl = arg.Value
	case yaml.SequenceNode:
		if len(arg.Content) == 0 {
			return r.unknown("${Sub}")
		}
		if IsIntrinsic(arg.Content[0]) {
			tmpl = r.eval(arg.Content[0])
		} else {
			tmpl = Str(arg.Content[0])
		}
		if len(arg.Content) > 1 {
			local = arg.Content[1]
		}
	default:
		return r.unknown("${Sub}")
	}
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		rest := tmpl[i+2:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			b.WriteString(tmpl[i:])
			break
		}
		name := strings.TrimSpace(rest[:j])
		tmpl = rest[j+1:]
		if strings.HasPrefix(name, "!") { // ${!Literal} is the literal ${Literal}
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		if _, v := GetKey(local, name); v != nil {
			sub := r.t.ResolveWith(v, r.vars)
			r.absorb(sub)
			b.WriteString(sub.Text)
			continue
		}
		if _, ok := r.vars[name]; ok || !strings.Contains(name, ".") || pseudo[name] {
			b.WriteString(r.ref(name))
			continue
		}
		id, attr, _ := strings.Cut(name, ".")
		b.WriteString(r.getAtt(id, attr))
	}
	return b.String()
}
