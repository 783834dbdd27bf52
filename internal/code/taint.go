//go:build cgo

package code

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/smacker/go-tree-sitter/java"
	"github.com/smacker/go-tree-sitter/python"
)

// EventFlows follows the handler's event through one JavaScript/TypeScript,
// Python or Java module: from the handler's first parameter (and any
// parameter named event) through assignments, destructuring, loops, parsing
// calls and calls to the module's own functions, to the sinks of
// taint_types.go. handler is the function part of the Handler setting
// ("lambda_handler"; Java: "App::handleRequest" or "App", see
// taint_java.go); empty: only parameters named event are seeds. It is intra-module and flow-insensitive
// (a name once tainted stays tainted): an estimate of the flows, not a proof.
func EventFlows(path, handler string) ([]Flow, error) { return EventFlowsFS(nil, path, handler) }

// EventFlowsFS is EventFlows reading through fsys (confined, bounded).
func EventFlowsFS(fsys *safefs.FS, path, handler string) ([]Flow, error) {
	src, err := readSourceFS(fsys, path)
	if err != nil {
		return nil, err
	}
	var lang *sitter.Language
	py, isJava := false, false
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		lang = jsLanguage(path)
	case ".py":
		lang, py = python.GetLanguage(), true
	case ".java":
		lang, isJava = java.GetLanguage(), true
	default:
		return nil, fmt.Errorf("%s: event flows are followed in JavaScript, TypeScript, Python and Java only", filepath.Base(path))
	}
	f, err := parseTS(lang, path, src)
	if err != nil {
		return nil, err
	}
	defer f.close()
	t := &taintWalk{tsFile: f, py: py, java: isJava, kind: map[string]string{}, from: map[string]string{}, via: map[string]string{}, built: map[string]bool{}, funcs: map[string]*sitter.Node{}}
	if isJava {
		t.seed("")
		t.javaSeed(javaHandlerMethod(path, handler))
	} else {
		t.seed(handler)
	}
	for i := 0; i < 6 && t.propagate(); i++ {
	}
	return t.sinks(), nil
}

type taintWalk struct {
	*tsFile
	py    bool
	java  bool
	kind  map[string]string // name -> Taint*
	from  map[string]string // name -> the event parameter it comes from
	via   map[string]string // derived name -> the source text of what produced it
	built map[string]bool   // names holding a string built around event values
	funcs map[string]*sitter.Node
}

var kindRank = map[string]int{"": 0, TaintField: 1, TaintDerived: 2, TaintWhole: 3}

// containers are the parts of an event that carry a whole request or batch.
var containers = map[string]bool{
	"body": true, "Records": true, "records": true, "detail": true, "requestContext": false, "headers": true,
	"queryStringParameters": true, "multiValueQueryStringParameters": true, "pathParameters": true, "messages": true,
	"Messages": true, "payload": true, "request": true, "arguments": true, "Sns": true, "Message": true, "data": true,
}

// transparent calls return their argument's content in another shape.
var transparent = regexp.MustCompile(`^(json\.(loads|dumps|load)|JSON\.(parse|stringify)|str|dict|list|repr|String|unquote_plus|unquote|decodeURIComponent|Buffer\.from|base64\.b64decode|b64decode|atob|Object\.assign|structuredClone)$`)

// fieldMethods pick a part of a value.
var fieldMethods = map[string]bool{"get": true, "substring": true, "substr": true, "slice": true, "split": true, "strip": true,
	"lower": true, "upper": true, "trim": true, "replace": true, "toString": true, "toLowerCase": true, "toUpperCase": true,
	"encode": true, "decode": true, "startswith": true, "endswith": true, "includes": true, "indexOf": true, "keys": true}

// errorNames are exception parameters: a failure, not the event's data.
var errorNames = map[string]bool{"e": true, "err": true, "error": true, "ex": true, "exc": true, "exception": true, "_": true}

func (t *taintWalk) set(name, kind, from string) bool {
	if errorNames[name] {
		return false
	}
	if name == "" || kind == "" || kindRank[kind] <= kindRank[t.kind[name]] {
		return false
	}
	t.kind[name], t.from[name] = kind, from
	return true
}

func (t *taintWalk) isFunc(n *sitter.Node) bool {
	switch n.Type() {
	case "function_definition", "function_declaration", "function", "function_expression", "arrow_function", "method_definition", "generator_function_declaration",
		"method_declaration", "constructor_declaration", "lambda_expression":
		return true
	}
	return false
}

// params lists a function node's parameter names in order.
func (t *taintWalk) params(fn *sitter.Node) []string {
	ps := fn.ChildByFieldName("parameters")
	if ps == nil {
		if p := fn.ChildByFieldName("parameter"); p != nil { // x => ...
			return []string{t.text(p)}
		}
		return nil
	}
	if ps.Type() == "identifier" { // Java: x -> ...
		return []string{t.text(ps)}
	}
	var out []string
	for _, c := range namedChildren(ps) {
		switch c.Type() {
		case "identifier":
			out = append(out, t.text(c))
		case "typed_parameter", "default_parameter", "typed_default_parameter", "required_parameter", "optional_parameter", "assignment_pattern",
			"formal_parameter", "spread_parameter":
			id := c.ChildByFieldName("name")
			if id == nil {
				id = c.ChildByFieldName("pattern")
			}
			if id == nil {
				id = c.ChildByFieldName("left")
			}
			if id == nil {
				id = firstNamed(c, "identifier")
			}
			out = append(out, t.text(id))
		default:
			out = append(out, "")
		}
	}
	return out
}

// funcName is the name a function is known by in the module.
func (t *taintWalk) funcName(fn *sitter.Node) string {
	if n := fn.ChildByFieldName("name"); n != nil {
		return t.text(n)
	}
	p := fn.Parent()
	if p == nil {
		return ""
	}
	switch p.Type() {
	case "variable_declarator":
		return t.text(p.ChildByFieldName("name"))
	case "assignment_expression", "assignment":
		l := t.text(p.ChildByFieldName("left"))
		if i := strings.LastIndex(l, "."); i >= 0 {
			l = l[i+1:]
		}
		return l
	case "pair":
		return unquote(t.text(p.ChildByFieldName("key")))
	}
	return ""
}

func (t *taintWalk) seed(handler string) {
	walk(t.root, func(n *sitter.Node) {
		if !t.isFunc(n) {
			return
		}
		name := t.funcName(n)
		if name != "" {
			if _, dup := t.funcs[name]; !dup {
				t.funcs[name] = n
			}
		}
		ps := t.params(n)
		for i, p := range ps {
			if p == "event" || p == "evt" || (i == 0 && handler != "" && name == handler) {
				t.set(p, TaintWhole, p)
			}
		}
	})
}

// exprTaint says how much of the event an expression carries: the kind, the
// event it comes from, and whether the expression builds a string around it.
func (t *taintWalk) exprTaint(n *sitter.Node) (kind, from string, built bool) {
	if n == nil {
		return "", "", false
	}
	switch n.Type() {
	case "identifier", "shorthand_property_identifier":
		name := t.text(n)
		return t.kind[name], t.from[name], t.built[name]
	case "parenthesized_expression", "await_expression", "await", "expression_statement", "non_null_expression", "as_expression", "spread_element", "list_splat", "dictionary_splat", "cast_expression":
		return t.strongest(namedChildren(n))
	case "attribute", "member_expression", "subscript", "subscript_expression", "field_access", "array_access":
		return t.accessTaint(n)
	case "method_invocation":
		return t.javaCallTaint(n)
	case "object_creation_expression":
		return t.javaNewTaint(n)
	case "call", "call_expression", "new_expression":
		return t.callTaint(n)
	case "binary_operator", "binary_expression", "template_string", "string", "concatenated_string", "formatted_string", "template_substitution", "interpolation":
		return t.stringTaint(n)
	case "conditional_expression", "ternary_expression", "boolean_operator", "logical_expression":
		k, f, _ := t.strongest(namedChildren(n))
		return k, f, false
	case "object", "dictionary", "list", "array", "tuple", "pair":
		k, f, _ := t.strongest(namedChildren(n))
		if k == TaintWhole {
			k = TaintDerived // a new object holding the event is not the event
		}
		return k, f, false
	}
	return "", "", false
}

// strongest is the taint of the expression among nodes that carries the most
// of the event (the first one on a tie); a keyword argument or a pair counts
// by its value.
func (t *taintWalk) strongest(nodes []*sitter.Node) (best, from string, built bool) {
	for _, c := range nodes {
		if c.Type() == "keyword_argument" || c.Type() == "pair" {
			c = c.ChildByFieldName("value")
		}
		if k, f, b := t.exprTaint(c); kindRank[k] > kindRank[best] {
			best, from, built = k, f, b
		}
	}
	return best, from, built
}

// accessTaint: a member or item of a tainted name (event.body, event["a"]),
// or of what a call returned (JSON.parse(event.body).url).
func (t *taintWalk) accessTaint(n *sitter.Node) (string, string, bool) {
	root, keys := t.access(n)
	if len(keys) > 0 && cfnResponseKey(keys[len(keys)-1]) {
		return "", "", false
	}
	k, f := t.kind[root], t.from[root]
	if root == "" {
		k, f, _ = t.exprTaint(t.base(n))
	}
	if k == "" {
		return "", "", false
	}
	return narrow(k, keys), f, false
}

// narrow is what remains of a value of kind k after picking keys from it: a
// container of the whole event is still the whole event, one member of a
// derived value is still derived, anything else is a field.
func narrow(k string, keys []string) string {
	switch {
	case len(keys) == 0:
		return k
	case k == TaintWhole && len(keys) == 1 && containers[keys[0]]:
		return TaintWhole
	case k == TaintDerived && len(keys) <= 1:
		return TaintDerived
	}
	return TaintField
}

// callTaint: a call given event values returns them unchanged (parsing,
// encoding), formatted into a string, or something derived from them.
func (t *taintWalk) callTaint(n *sitter.Node) (string, string, bool) {
	callee := t.text(n.ChildByFieldName("function"))
	if callee == "" {
		callee = t.text(n.ChildByFieldName("constructor"))
	}
	best, bf, _ := t.strongest(namedChildren(n.ChildByFieldName("arguments")))
	switch {
	case best == "":
		return t.methodTaint(n)
	case transparent.MatchString(callee):
		return best, bf, false
	case strings.HasSuffix(callee, ".format") || strings.HasSuffix(callee, ".join"):
		return TaintField, bf, true
	}
	return TaintDerived, bf, false
}

// methodTaint: a method on a tainted value. body.get("x") and
// phone.substring(0, 2) are fields, records.map(...) and response.read()
// carry the data.
func (t *taintWalk) methodTaint(n *sitter.Node) (string, string, bool) {
	fn := n.ChildByFieldName("function")
	if fn == nil || (fn.Type() != "attribute" && fn.Type() != "member_expression") {
		return "", "", false
	}
	k, f, _ := t.exprTaint(fn.ChildByFieldName("object"))
	if k == "" {
		return "", "", false
	}
	method := t.text(fn.ChildByFieldName("attribute"))
	if method == "" {
		method = t.text(fn.ChildByFieldName("property"))
	}
	if args := namedChildren(n.ChildByFieldName("arguments")); method == "get" && len(args) > 0 && cfnResponseKey(unquote(t.text(args[0]))) {
		return "", "", false // event.get("ResponseURL")
	}
	if k == TaintField || (k == TaintWhole && fieldMethods[method]) {
		return TaintField, f, false
	}
	return TaintDerived, f, false
}

// stringTaint: a string built around event values (concatenation, template,
// f-string); the largest expressions inside it count (event.path, not event).
func (t *taintWalk) stringTaint(n *sitter.Node) (string, string, bool) {
	var best, bf string
	var visit func(c *sitter.Node)
	visit = func(c *sitter.Node) {
		switch c.Type() {
		case "identifier", "attribute", "member_expression", "subscript", "subscript_expression", "call", "call_expression",
			"method_invocation", "object_creation_expression", "field_access", "array_access", "cast_expression":
			if k, f, _ := t.exprTaint(c); kindRank[k] > kindRank[best] {
				best, bf = k, f
			}
			return
		}
		for _, cc := range namedChildren(c) {
			visit(cc)
		}
	}
	for _, c := range namedChildren(n) {
		visit(c)
	}
	if best == "" {
		return "", "", false
	}
	isString := n.Type() != "binary_operator" && n.Type() != "binary_expression" || strings.Contains(t.text(n), "\"") || strings.Contains(t.text(n), "'")
	return best, bf, isString || n.Type() == "binary_expression" || n.Type() == "binary_operator"
}

// access flattens event["a"]["b"] / event.a.b to its root name and keys.
func (t *taintWalk) access(n *sitter.Node) (string, []string) {
	var keys []string
	for n != nil {
		switch n.Type() {
		case "attribute":
			keys = append([]string{t.text(n.ChildByFieldName("attribute"))}, keys...)
			n = n.ChildByFieldName("object")
		case "member_expression":
			keys = append([]string{t.text(n.ChildByFieldName("property"))}, keys...)
			n = n.ChildByFieldName("object")
		case "subscript":
			keys = append([]string{unquote(t.text(n.ChildByFieldName("subscript")))}, keys...)
			n = n.ChildByFieldName("value")
		case "subscript_expression":
			keys = append([]string{unquote(t.text(n.ChildByFieldName("index")))}, keys...)
			n = n.ChildByFieldName("object")
		case "field_access":
			keys = append([]string{t.text(n.ChildByFieldName("field"))}, keys...)
			n = n.ChildByFieldName("object")
		case "array_access":
			keys = append([]string{t.text(n.ChildByFieldName("index"))}, keys...)
			n = n.ChildByFieldName("array")
		case "identifier":
			return t.text(n), keys
		default:
			return "", keys
		}
	}
	return "", keys
}

// base is the expression at the root of an access chain (a call, a
// parenthesised expression...).
func (t *taintWalk) base(n *sitter.Node) *sitter.Node {
	for n != nil {
		var next *sitter.Node
		switch n.Type() {
		case "attribute", "member_expression", "subscript_expression", "field_access":
			next = n.ChildByFieldName("object")
		case "subscript":
			next = n.ChildByFieldName("value")
		case "array_access":
			next = n.ChildByFieldName("array")
		default:
			return n
		}
		if next == nil {
			return n
		}
		n = next
	}
	return nil
}

// propagate runs one pass over assignments, loops and local calls; it
// reports whether anything new was tainted.
func (t *taintWalk) propagate() bool {
	changed := false
	walk(t.root, func(n *sitter.Node) {
		if t.propagateNode(n) {
			changed = true
		}
	})
	return changed
}

func (t *taintWalk) propagateNode(n *sitter.Node) bool {
	switch n.Type() {
	case "assignment", "augmented_assignment", "assignment_expression", "augmented_assignment_expression", "variable_declarator":
		return t.propAssign(n)
	case "for_statement", "for_in_statement":
		left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
		if k, f, _ := t.exprTaint(right); k != "" {
			return t.bindPattern(left, k, f)
		}
	case "with_item":
		// with requests.get(url) as r: r carries what the call returned.
		v := n.ChildByFieldName("value")
		if v != nil && v.Type() == "as_pattern" {
			if k, f, _ := t.exprTaint(v.NamedChild(0)); k != "" {
				return t.bindPattern(v.ChildByFieldName("alias"), TaintDerived, f)
			}
		}
	case "call", "call_expression":
		// A call to a function of this module passes taint to its parameters;
		// a callback given a tainted receiver's items (records.map(r => ...)) too.
		callee := n.ChildByFieldName("function")
		args := namedChildren(n.ChildByFieldName("arguments"))
		changed := false
		if callee != nil && callee.Type() == "identifier" {
			changed = t.propLocalCall(t.text(callee), args)
		}
		if callee != nil && callee.Type() == "member_expression" {
			changed = t.propCallback(callee.ChildByFieldName("object"), args) || changed
		}
		return changed
	case "enhanced_for_statement", "method_invocation":
		return t.javaPropagate(n)
	}
	return false
}

// propAssign taints what an assignment binds, remembers strings built
// around the event and what produced a derived value.
func (t *taintWalk) propAssign(n *sitter.Node) bool {
	left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
	if n.Type() == "variable_declarator" {
		left, right = n.ChildByFieldName("name"), n.ChildByFieldName("value")
	}
	if right == nil || left == nil {
		return false
	}
	k, f, b := t.exprTaint(right)
	if k == "" {
		return false
	}
	changed := t.bindPattern(left, k, f)
	if b && left.Type() == "identifier" && !t.built[t.text(left)] {
		t.built[t.text(left)], changed = true, true
	}
	if k == TaintDerived {
		t.recordVia(left, right)
	}
	return changed
}

// propLocalCall: a call to the module's own function name taints its
// parameters in the order of the tainted positional arguments.
func (t *taintWalk) propLocalCall(name string, args []*sitter.Node) bool {
	fn := t.funcs[name]
	if fn == nil {
		return false
	}
	changed := false
	ps := t.params(fn)
	for i, a := range args {
		if a.Type() == "keyword_argument" {
			continue
		}
		if k, f, _ := t.exprTaint(a); k != "" && i < len(ps) {
			changed = t.set(ps[i], k, f) || changed
		}
	}
	return changed
}

// propCallback: functions given to a method of a tainted receiver
// (records.forEach(r => ...)) receive its items in their first parameter.
func (t *taintWalk) propCallback(obj *sitter.Node, args []*sitter.Node) bool {
	k, f, _ := t.exprTaint(obj)
	if k == "" {
		return false
	}
	changed := false
	for _, a := range args {
		if t.isFunc(a) {
			if ps := t.params(a); len(ps) > 0 {
				changed = t.set(ps[0], k, f) || changed
			}
		}
	}
	return changed
}

// recordVia remembers what produced a derived value (the right-hand side's
// text, or what produced the name it copies).
func (t *taintWalk) recordVia(left, right *sitter.Node) {
	v := t.text(right)
	if right.Type() == "identifier" {
		v = t.via[v]
	} else {
		walk(right, func(c *sitter.Node) {
			if c.Type() == "identifier" && t.via[t.text(c)] != "" {
				v += " " + t.via[t.text(c)]
			}
		})
	}
	if len(v) > 600 {
		v = v[:600]
	}
	walk(left, func(c *sitter.Node) {
		switch c.Type() {
		case "identifier", "shorthand_property_identifier_pattern":
			if n := t.text(c); t.kind[n] == TaintDerived && !strings.Contains(t.via[n], v) {
				t.via[n] += " " + v
			}
		}
	})
}

// bindPattern taints the names a left-hand side binds.
func (t *taintWalk) bindPattern(left *sitter.Node, k, f string) bool {
	if left == nil {
		return false
	}
	changed := false
	switch left.Type() {
	case "identifier", "shorthand_property_identifier_pattern":
		return t.set(t.text(left), k, f)
	case "object_pattern":
		for _, c := range namedChildren(left) {
			switch c.Type() {
			case "shorthand_property_identifier_pattern":
				name := t.text(c)
				kk := TaintField
				if k == TaintWhole && containers[name] {
					kk = TaintWhole
				} else if k == TaintDerived {
					kk = TaintDerived
				}
				changed = t.set(name, kk, f) || changed
			case "pair_pattern":
				changed = t.bindPattern(c.ChildByFieldName("value"), TaintField, f) || changed
			}
		}
	case "pattern_list", "tuple_pattern", "array_pattern", "list_pattern":
		for _, c := range namedChildren(left) {
			changed = t.bindPattern(c, TaintField, f) || changed
		}
	}
	return changed
}
