package sam

import "gopkg.in/yaml.v3"

// globalsSection names the Globals section that applies to a SAM resource type.
var globalsSection = map[string]string{
	"AWS::Serverless::Function":     "Function",
	"AWS::Serverless::Api":          "Api",
	"AWS::Serverless::HttpApi":      "HttpApi",
	"AWS::Serverless::SimpleTable":  "SimpleTable",
	"AWS::Serverless::StateMachine": "StateMachine",
	"AWS::Serverless::LayerVersion": "LayerVersion",
	"AWS::Serverless::WebSocketApi": "WebSocketApi",
}

// applyGlobals returns the resource's effective properties, a fresh mapping
// (never nil, never the template's own node) with the matching Globals section
// merged as the SAM transform does: a resource's scalar replaces the global
// one, mappings are merged key by key, lists are concatenated (global items
// first), and an intrinsic function counts as a scalar.
func (t *Template) applyGlobals(typ string, props *yaml.Node) *yaml.Node {
	var g *yaml.Node
	if sec, ok := globalsSection[typ]; ok {
		g = t.Globals[sec]
		if g != nil && g.Kind != yaml.MappingNode {
			g = nil
		}
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if props != nil {
		out.Line, out.Column = props.Line, props.Column
	}
	switch {
	case g == nil && props == nil:
		return out
	case g == nil:
		out.Content = append(out.Content, props.Content...)
		return out
	case props == nil:
		out.Content = append(out.Content, g.Content...)
		return out
	}
	merged := mergeGlobal(g, props)
	out.Content = merged.Content
	return out
}

func mergeGlobal(g, r *yaml.Node) *yaml.Node {
	if g == nil {
		return r
	}
	if r == nil {
		return g
	}
	gi, ri := IsIntrinsic(g), IsIntrinsic(r)
	switch {
	case !gi && !ri && g.Kind == yaml.MappingNode && r.Kind == yaml.MappingNode:
		out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: r.Line, Column: r.Column}
		seen := map[string]bool{}
		for i := 0; i+1 < len(r.Content); i += 2 {
			seen[r.Content[i].Value] = true
		}
		for i := 0; i+1 < len(g.Content); i += 2 {
			k := g.Content[i].Value
			if seen[k] {
				continue
			}
			out.Content = append(out.Content, g.Content[i], g.Content[i+1])
		}
		for i := 0; i+1 < len(r.Content); i += 2 {
			k := r.Content[i].Value
			_, gv := GetKey(g, k)
			out.Content = append(out.Content, r.Content[i], mergeGlobal(gv, r.Content[i+1]))
		}
		return out
	case !gi && !ri && g.Kind == yaml.SequenceNode && r.Kind == yaml.SequenceNode:
		out := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: r.Line, Column: r.Column}
		out.Content = append(append(out.Content, g.Content...), r.Content...)
		return out
	}
	return r
}
