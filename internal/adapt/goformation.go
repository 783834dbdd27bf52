package adapt

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// goformation is used where it adds value and never allowed to reject a
// template: its resource-type registry tells a known CloudFormation type from
// a typo or a brand-new type, and its typed SAM structs, decoded per function,
// cross-check what samthreat read from the node tree. When goformation cannot
// decode a resource (a property newer than v7.14.9, a number where it wants a
// string) the node tree alone is the model, as it always is.

var (
	registryOnce sync.Once
	registry     map[string]bool
)

// knownType reports whether goformation's registry knows a resource type.
func knownType(typ string) bool {
	registryOnce.Do(func() {
		all := cloudformation.AllResources()
		registry = make(map[string]bool, len(all))
		for k := range all {
			registry[k] = true
		}
	})
	return registry[typ] || strings.HasPrefix(typ, "Custom::") || strings.HasPrefix(typ, "AWS::Serverless::")
}

// checkTypes notes resource types neither goformation nor samthreat's catalog know.
func (b *builder) checkTypes() {
	for _, r := range b.t.Resources {
		if !knownType(r.Type) {
			b.diag("info", r.Node, r.ID, "%s: resource type %s is unknown to the CloudFormation registry samthreat carries; modelled from the template as written", r.ID, r.Type)
		}
	}
}

// crossCheckFunction decodes a SAM function with goformation's typed struct
// and compares the fields both read. A decode failure is expected for newer
// templates and changes nothing.
func (b *builder) crossCheckFunction(f *model.Function) {
	if f.Type != "AWS::Serverless::Function" {
		return
	}
	typed, err := typedFunction(b.fnRes(f), crossCheckedFields...)
	if err != nil || typed == nil {
		return
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	// only literal values are comparable: goformation keeps intrinsics as text
	if v := sam.Get(b.fnRes(f).Properties, "Runtime"); sam.Str(v) != "" && str(typed.Runtime) != f.Runtime {
		b.diag("warning", v, f.ID, "%s: Runtime read as %q but goformation reads %q", f.ID, f.Runtime, str(typed.Runtime))
	}
	if v := sam.Get(b.fnRes(f).Properties, "Handler"); sam.Str(v) != "" && str(typed.Handler) != f.Handler {
		b.diag("warning", v, f.ID, "%s: Handler read as %q but goformation reads %q", f.ID, f.Handler, str(typed.Handler))
	}
}

// crossCheckedFields are the properties the cross-check decodes: decoding a
// whole function through JSON would cost more than the rest of the build.
var crossCheckedFields = []string{"Runtime", "Handler", "CodeUri", "MemorySize", "Timeout", "PackageType", "Architectures"}

// typedFunction decodes one function (Globals applied) into goformation's
// struct; with fields, only those properties.
func typedFunction(r *sam.Resource, fields ...string) (*serverless.Function, error) {
	props := r.Properties
	if len(fields) > 0 {
		sub := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range fields {
			if kn, v := sam.GetKey(props, k); v != nil {
				sub.Content = append(sub.Content, kn, v)
			}
		}
		props = sub
	}
	doc := map[string]any{"Type": r.Type, "Properties": nodeToAny(props, 0)}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var fn serverless.Function
	if err := json.Unmarshal(data, &fn); err != nil {
		return nil, err
	}
	return &fn, nil
}

// nodeToAny converts a node to plain Go values, short-form tags to their
// long form, the way CloudFormation's JSON would say it.
func nodeToAny(n *yaml.Node, depth int) any {
	if n == nil || depth > sam.MaxDepth {
		return nil
	}
	if name, arg, ok := sam.Intrinsic(n); ok && n.Kind != yaml.MappingNode {
		if name == "Fn::GetAtt" && arg.Kind == yaml.ScalarNode {
			id, attr, _ := strings.Cut(arg.Value, ".")
			return map[string]any{name: []any{id, attr}}
		}
		return map[string]any{name: nodeToAny(arg, depth+1)}
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = nodeToAny(n.Content[i+1], depth+1)
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, nodeToAny(c, depth+1))
		}
		return l
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int":
			if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
				return i
			}
		case "!!float":
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
				return f
			}
		case "!!bool":
			if v, ok := sam.Bool(n); ok {
				return v
			}
		case "!!null":
			return nil
		}
		return n.Value
	}
	return nil
}
