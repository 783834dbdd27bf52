package sam

import (
	"strings"

	"github.com/samthreat/samthreat/internal/uniq"
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
	r.v.Refs = uniq.Keep(r.v.Refs)
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
	if name, arg, ok := Intrinsic(n); ok {
		if fn := intrinsics[name]; fn.list != nil {
			if out, ok := fn.list(t, arg, vars); ok {
				return out
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

// eval renders n: a literal as itself, an intrinsic by its entry in
// intrinsics, any other function (conditions, ...) as unknown.
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
		return r.literal(n)
	}
	if fn, ok := intrinsics[name]; ok {
		return fn.eval(r, n, arg)
	}
	return r.unknown("${" + strings.TrimPrefix(name, "Fn::") + "}")
}

// literal renders a node that is no intrinsic: a scalar as its text, a
// sequence joined with commas, a mapping (e.g. a JSON policy in scalar
// position) as {key=value,...}, not literal.
func (r *resolver) literal(n *yaml.Node) string {
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
		r.v.Known = false
		var parts []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, n.Content[i].Value+"="+r.eval(n.Content[i+1]))
		}
		return "{" + strings.Join(parts, ",") + "}"
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
