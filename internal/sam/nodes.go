package sam

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Get walks mapping keys (and sequence indexes given as decimal strings) from
// n; nil when any step is missing. Safe on nil.
func Get(n *yaml.Node, path ...string) *yaml.Node {
	for _, key := range path {
		if n == nil {
			return nil
		}
		switch n.Kind {
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
			fallthrough
		case yaml.MappingNode:
			var found *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					found = n.Content[i+1]
					break
				}
			}
			n = found
		case yaml.SequenceNode:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
	}
	return n
}

// GetKey is Get but returns the key node too (for its line).
func GetKey(n *yaml.Node, key string) (k, v *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// Items returns a sequence's items; a single non-sequence node is a one-item
// list (CloudFormation accepts a string where a list is expected); nil: none.
func Items(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode && !IsIntrinsic(n) {
		return n.Content
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	return []*yaml.Node{n}
}

// Pair is one key/value of a mapping.
type Pair struct {
	Key   string
	KeyN  *yaml.Node
	Value *yaml.Node
}

// Pairs returns a mapping's entries in file order; nil for other nodes.
func Pairs(n *yaml.Node) []Pair {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]Pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, Pair{Key: n.Content[i].Value, KeyN: n.Content[i], Value: n.Content[i+1]})
	}
	return out
}

// Str returns a literal scalar's text, "" for anything else (nil, mappings,
// intrinsic tags such as !Ref).
func Str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || isFnTag(n.Tag) || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// Bool reads a literal boolean ("true"/"false" in any case, as CloudFormation does).
func Bool(n *yaml.Node) (value, ok bool) {
	switch strings.ToLower(Str(n)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// Int reads a literal integer.
func Int(n *yaml.Node) (int, bool) {
	s := Str(n)
	if s == "" {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f > 1e12 || f < -1e12 {
			return 0, false
		}
		return int(f), true
	}
	return i, true
}

// Line returns n's line, 0 for nil.
func Line(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

func isFnTag(tag string) bool {
	return len(tag) > 1 && tag[0] == '!' && tag[1] != '!'
}

// fnNames maps short-form tags to the long-form key.
var fnNames = map[string]string{
	"Ref": "Ref", "GetAtt": "Fn::GetAtt", "Sub": "Fn::Sub", "If": "Fn::If", "Join": "Fn::Join",
	"Select": "Fn::Select", "FindInMap": "Fn::FindInMap", "ImportValue": "Fn::ImportValue",
	"Split": "Fn::Split", "Base64": "Fn::Base64", "Equals": "Fn::Equals", "Not": "Fn::Not",
	"And": "Fn::And", "Or": "Fn::Or", "Condition": "Condition", "Cidr": "Fn::Cidr",
	"GetAZs": "Fn::GetAZs", "Transform": "Fn::Transform", "Length": "Fn::Length",
	"ToJsonString": "Fn::ToJsonString",
}

var longNames = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range fnNames {
		if v != "Condition" {
			m[v] = true
		}
	}
	return m
}()

// Intrinsic recognises an intrinsic function in either form (`!Sub x` or
// `{"Fn::Sub": x}`) and returns its long name ("Ref", "Fn::GetAtt", ...) and
// argument node. A tagged node's argument is the node itself with the tag
// dropped (a copy).
func Intrinsic(n *yaml.Node) (name string, arg *yaml.Node, ok bool) {
	if n == nil {
		return "", nil, false
	}
	if isFnTag(n.Tag) {
		long, known := fnNames[n.Tag[1:]]
		if !known {
			return "", nil, false
		}
		a := *n
		a.Tag = ""
		switch a.Kind {
		case yaml.ScalarNode:
			a.Tag = "!!str"
		case yaml.SequenceNode:
			a.Tag = "!!seq"
		case yaml.MappingNode:
			a.Tag = "!!map"
		}
		return long, &a, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if longNames[k] {
			return k, n.Content[1], true
		}
	}
	return "", nil, false
}

// IsIntrinsic reports whether n is an intrinsic function call.
func IsIntrinsic(n *yaml.Node) bool {
	_, _, ok := Intrinsic(n)
	return ok
}

// RefName returns X for `!Ref X` / `{"Ref": X}`, else "".
func RefName(n *yaml.Node) string {
	if name, arg, ok := Intrinsic(n); ok && name == "Ref" {
		return Str(arg)
	}
	return ""
}

// GetAttArgs returns (resource, attribute) for `!GetAtt R.A` / `{"Fn::GetAtt": [R, A]}`.
func GetAttArgs(n *yaml.Node) (id, attr string, ok bool) {
	name, arg, ok := Intrinsic(n)
	if !ok || name != "Fn::GetAtt" {
		return "", "", false
	}
	if arg.Kind == yaml.ScalarNode {
		id, attr, _ = strings.Cut(arg.Value, ".")
		return id, attr, id != ""
	}
	if arg.Kind == yaml.SequenceNode && len(arg.Content) >= 1 {
		id = Str(arg.Content[0])
		if len(arg.Content) >= 2 {
			attr = Str(arg.Content[1])
			if attr == "" {
				attr = "*"
			}
		}
		return id, attr, id != ""
	}
	return "", "", false
}

// Text returns a scalar's text as written, whatever its tag (`!Ref X` reads
// X, `~` reads ~); "" for other nodes. Str is the literal value instead.
func Text(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// Elements returns a sequence's items whatever its tag (the arguments of
// `!GetAtt [R, A]` too); a single other node is a one-item list. Items is
// the CloudFormation list value instead (an intrinsic is one item).
func Elements(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return []*yaml.Node{n}
}

// IsComputed reports a node CloudFormation computes: any short-form tag
// (`!Foo`, known or not) or a one-key mapping on Ref or Fn::*. IsIntrinsic
// is the narrower test for the functions samthreat knows.
func IsComputed(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if isFnTag(n.Tag) {
		return true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// ReferencedID returns the logical id a node refers to: X for `!Ref X`,
// `!GetAtt X.Y`, `!GetAtt [X, Y]`, `{Ref: X}` and `{Fn::GetAtt: ...}`.
func ReferencedID(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	switch n.Tag {
	case "!Ref":
		return n.Value
	case "!GetAtt":
		if n.Kind == yaml.ScalarNode {
			id, _, _ := strings.Cut(n.Value, ".")
			return id
		}
		if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
			return n.Content[0].Value
		}
	}
	if v := Get(n, "Ref"); v != nil {
		return Text(v)
	}
	if v := Get(n, "Fn::GetAtt"); v != nil {
		if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
			return v.Content[0].Value
		}
		id, _, _ := strings.Cut(Text(v), ".")
		return id
	}
	return ""
}
