package sam

import (
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// RefTarget is a template resource an expression refers to (Attr empty for Ref).
type RefTarget struct {
	ID   string
	Attr string
}

// Value is an intrinsic expression resolved symbolically. Text is the rendered
// value with what cannot be known at analysis time kept as ${LogicalId},
// ${LogicalId.Attr}, ${AWS::Region} or ${Param}.
type Value struct {
	Text string
	// Refs are the template resources referred to, in order of appearance.
	Refs []RefTarget
	// Params are the template parameters the value depends on.
	Params []string
	// Known is true when Text is entirely literal.
	Known bool
	// Dynamic is secretsmanager | ssm | ssm-secure for {{resolve:...}} references.
	Dynamic string
	// Conditional is set when Fn::If chose between branches; Alternatives then
	// holds every branch's text (Text is the first branch's).
	Conditional  bool
	Alternatives []string
	// Import is set when the value comes from Fn::ImportValue (another stack).
	Import bool
	Line   int
}

// IsRef reports whether the value is exactly one reference to a resource
// (a !Ref or !GetAtt with nothing around it).
func (v Value) IsRef() bool {
	if len(v.Refs) != 1 {
		return false
	}
	r := v.Refs[0]
	if r.Attr == "" {
		return v.Text == "${"+r.ID+"}"
	}
	return v.Text == "${"+r.ID+"."+r.Attr+"}"
}

const maxResolveDepth = 64

type resolver struct {
	t     *Template
	vars  map[string]*yaml.Node
	depth int
	v     Value
}

// Resolve evaluates n symbolically.
func (t *Template) Resolve(n *yaml.Node) Value {
	return t.ResolveWith(n, nil)
}

// ResolveWith evaluates n with extra variables, which take precedence over
// parameters and resources in Ref and ${} (a SAM policy template's
// parameters bound to the user's values).
func (t *Template) ResolveWith(n *yaml.Node, vars map[string]*yaml.Node) Value {
	r := &resolver{t: t, vars: vars}
	r.v.Known = true
	r.v.Line = Line(n)
	r.v.Text = r.eval(n)
	r.v.Refs = dedupRefs(r.v.Refs)
	if r.v.Dynamic == "" {
		r.v.Dynamic = dynamicKind(r.v.Text)
	}
	if r.v.Dynamic != "" {
		r.v.Known = false
	}
	return r.v
}

// ResolveList evaluates a list-valued expression: a sequence, Fn::Split,
// Fn::If over lists, or a single value.
func (t *Template) ResolveList(n *yaml.Node) []Value {
	return t.ResolveListWith(n, nil)
}

// ResolveListWith is ResolveList with variables.
func (t *Template) ResolveListWith(n *yaml.Node, vars map[string]*yaml.Node) []Value {
	if n == nil {
		return nil
	}
	name, arg, ok := Intrinsic(n)
	if ok {
		switch name {
		case "Fn::If":
			if arg.Kind == yaml.SequenceNode && len(arg.Content) == 3 {
				var out []Value
				for _, b := range arg.Content[1:] {
					for _, v := range t.ResolveListWith(b, vars) {
						v.Conditional = true
						out = append(out, v)
					}
				}
				return out
			}
		case "Fn::Split":
			if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
				delim := Str(arg.Content[0])
				whole := t.ResolveWith(arg.Content[1], vars)
				if delim != "" {
					var out []Value
					for _, part := range strings.Split(whole.Text, delim) {
						v := whole
						v.Text = part
						out = append(out, v)
					}
					return out
				}
			}
		case "Ref":
			if n := Str(arg); n != "" && vars[n] == nil {
				if p := t.Parameter(n); p != nil && p.Default != nil && p.Default.Kind == yaml.ScalarNode &&
					(strings.HasPrefix(p.Type, "List<") || p.Type == "CommaDelimitedList") {
					if d := t.ResolveWith(p.Default, vars); d.Known {
						var out []Value
						for _, part := range strings.Split(d.Text, ",") {
							out = append(out, Value{Text: strings.TrimSpace(part), Known: true, Params: []string{n}, Line: Line(arg)})
						}
						return out
					}
				}
			}
		}
		return []Value{t.ResolveWith(n, vars)}
	}
	if n.Kind == yaml.SequenceNode {
		out := make([]Value, 0, len(n.Content))
		for _, c := range n.Content {
			if sub, _, ok := Intrinsic(c); ok && sub == "Fn::If" {
				out = append(out, t.ResolveListWith(c, vars)...)
				continue
			}
			out = append(out, t.ResolveWith(c, vars))
		}
		return out
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	return []Value{t.ResolveWith(n, vars)}
}

func dedupRefs(rs []RefTarget) []RefTarget {
	if len(rs) < 2 {
		return rs
	}
	seen := map[RefTarget]bool{}
	out := rs[:0]
	for _, r := range rs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

func dynamicKind(s string) string {
	i := strings.Index(s, "{{resolve:")
	if i < 0 {
		return ""
	}
	rest := s[i+len("{{resolve:"):]
	switch {
	case strings.HasPrefix(rest, "secretsmanager:"):
		return "secretsmanager"
	case strings.HasPrefix(rest, "ssm-secure:"):
		return "ssm-secure"
	case strings.HasPrefix(rest, "ssm:"):
		return "ssm"
	}
	return "other"
}

var pseudo = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::NoValue": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

func (r *resolver) unknown(text string) string {
	r.v.Known = false
	return text
}

func (r *resolver) eval(n *yaml.Node) string {
	if n == nil {
		r.v.Known = false
		return ""
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxResolveDepth {
		return r.unknown("${...}")
	}
	name, arg, ok := Intrinsic(n)
	if !ok {
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Tag == "!!null" {
				return ""
			}
			if isFnTag(n.Tag) { // an unknown tag: keep the text, not literal
				r.v.Known = false
			}
			return n.Value
		case yaml.SequenceNode:
			parts := make([]string, 0, len(n.Content))
			for _, c := range n.Content {
				parts = append(parts, r.eval(c))
			}
			return strings.Join(parts, ",")
		default:
			// a mapping in scalar position (e.g. a JSON policy): render keys
			r.v.Known = false
			var parts []string
			for i := 0; i+1 < len(n.Content); i += 2 {
				parts = append(parts, n.Content[i].Value+"="+r.eval(n.Content[i+1]))
			}
			return "{" + strings.Join(parts, ",") + "}"
		}
	}
	switch name {
	case "Ref":
		return r.ref(Str(arg))
	case "Fn::GetAtt":
		id, attr, ok := GetAttArgs(n)
		if !ok {
			return r.unknown("${GetAtt}")
		}
		return r.getAtt(id, attr)
	case "Fn::Sub":
		return r.sub(arg)
	case "Fn::Join":
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
	case "Fn::Select":
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
	case "Fn::Split":
		if arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
			return r.eval(arg.Content[1])
		}
		return r.unknown("${Split}")
	case "Fn::Base64":
		return r.eval(arg)
	case "Fn::If":
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
	case "Fn::FindInMap":
		return r.findInMap(arg)
	case "Fn::ImportValue":
		r.v.Import = true
		return r.unknown("${ImportValue:" + r.eval(arg) + "}")
	case "Fn::GetAZs":
		return r.unknown("${AWS::AZs}")
	case "Fn::Cidr":
		return r.unknown("${Cidr}")
	case "Fn::ToJsonString":
		return r.unknown(r.eval(arg))
	default: // conditions and other functions
		return r.unknown("${" + strings.TrimPrefix(name, "Fn::") + "}")
	}
}

func isNoValue(n *yaml.Node) bool { return RefName(n) == "AWS::NoValue" }

// absorb merges a sub-result's references and flags into the current value.
func (r *resolver) absorb(v Value) {
	r.v.Refs = append(r.v.Refs, v.Refs...)
	r.v.Params = appendUnique(r.v.Params, v.Params...)
	if !v.Known {
		r.v.Known = false
	}
	if v.Dynamic != "" && r.v.Dynamic == "" {
		r.v.Dynamic = v.Dynamic
	}
	if v.Conditional {
		r.v.Conditional = true
	}
	if v.Import {
		r.v.Import = true
	}
}

func appendUnique(list []string, items ...string) []string {
	for _, it := range items {
		found := false
		for _, x := range list {
			if x == it {
				found = true
				break
			}
		}
		if !found {
			list = append(list, it)
		}
	}
	return list
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

func (r *resolver) getAtt(id, attr string) string {
	if r.t.Resource(id) != nil {
		r.v.Refs = append(r.v.Refs, RefTarget{ID: id, Attr: attr})
	}
	if attr == "" {
		return r.unknown("${" + id + "}")
	}
	return r.unknown("${" + id + "." + attr + "}")
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
