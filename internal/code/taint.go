//go:build cgo

package code

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/smacker/go-tree-sitter/python"
)

// EventFlows follows the handler's event through one JavaScript/TypeScript or
// Python module: from the handler's first parameter (and any parameter named
// event) through assignments, destructuring, loops, parsing calls and calls
// to the module's own functions, to the sinks of taint_types.go. handler is
// the function name of the Handler setting ("lambda_handler"); empty: only
// parameters named event are seeds. It is intra-module and flow-insensitive
// (a name once tainted stays tainted): an estimate of the flows, not a proof.
func EventFlows(path, handler string) ([]Flow, error) { return EventFlowsFS(nil, path, handler) }

// EventFlowsFS is EventFlows reading through fsys (confined, bounded).
func EventFlowsFS(fsys *safefs.FS, path, handler string) ([]Flow, error) {
	src, err := readSourceFS(fsys, path)
	if err != nil {
		return nil, err
	}
	var lang *sitter.Language
	py := false
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		lang = jsLanguage(path)
	case ".py":
		lang, py = python.GetLanguage(), true
	default:
		return nil, fmt.Errorf("%s: event flows are followed in JavaScript, TypeScript and Python only", filepath.Base(path))
	}
	f, err := parseTS(lang, path, src)
	if err != nil {
		return nil, err
	}
	defer f.close()
	t := &taintWalk{tsFile: f, py: py, kind: map[string]string{}, from: map[string]string{}, via: map[string]string{}, built: map[string]bool{}, funcs: map[string]*sitter.Node{}}
	t.seed(handler)
	for i := 0; i < 6 && t.propagate(); i++ {
	}
	return t.sinks(), nil
}

type taintWalk struct {
	*tsFile
	py    bool
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
	case "function_definition", "function_declaration", "function", "function_expression", "arrow_function", "method_definition", "generator_function_declaration":
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
	var out []string
	for _, c := range namedChildren(ps) {
		switch c.Type() {
		case "identifier":
			out = append(out, t.text(c))
		case "typed_parameter", "default_parameter", "typed_default_parameter", "required_parameter", "optional_parameter", "assignment_pattern":
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
		return t.kind[t.text(n)], t.from[t.text(n)], t.built[t.text(n)]
	case "parenthesized_expression", "await_expression", "await", "expression_statement", "non_null_expression", "as_expression", "spread_element", "list_splat", "dictionary_splat":
		var best string
		var bf string
		var bb bool
		for _, c := range namedChildren(n) {
			if k, f, b := t.exprTaint(c); kindRank[k] > kindRank[best] {
				best, bf, bb = k, f, b
			}
		}
		return best, bf, bb
	case "attribute", "member_expression", "subscript", "subscript_expression":
		root, keys := t.access(n)
		k, f := t.kind[root], t.from[root]
		if root == "" { // JSON.parse(event.body).url: a member of what a call returned
			if k2, f2, _ := t.exprTaint(t.base(n)); k2 != "" {
				if len(keys) == 0 {
					return k2, f2, false
				}
				if k2 == TaintWhole && len(keys) == 1 && containers[keys[0]] {
					return TaintWhole, f2, false
				}
				if k2 == TaintDerived && len(keys) <= 1 {
					return TaintDerived, f2, false
				}
				return TaintField, f2, false
			}
		}
		if k == "" {
			return "", "", false
		}
		if k == TaintWhole && len(keys) == 1 && containers[keys[0]] {
			return TaintWhole, f, false
		}
		if k == TaintWhole && len(keys) == 0 {
			return TaintWhole, f, false
		}
		if k == TaintDerived && len(keys) <= 1 {
			return TaintDerived, f, false
		}
		return TaintField, f, false
	case "call", "call_expression", "new_expression":
		callee := t.text(n.ChildByFieldName("function"))
		if callee == "" {
			callee = t.text(n.ChildByFieldName("constructor"))
		}
		args := n.ChildByFieldName("arguments")
		var best, bf string
		for _, a := range namedChildren(args) {
			if a.Type() == "keyword_argument" {
				a = a.ChildByFieldName("value")
			}
			if k, f, _ := t.exprTaint(a); kindRank[k] > kindRank[best] {
				best, bf = k, f
			}
		}
		// A method on a tainted value: body.get("x") and phone.substring(0, 2)
		// are fields, records.map(...) and response.read() carry the data.
		if fn := n.ChildByFieldName("function"); fn != nil && (fn.Type() == "attribute" || fn.Type() == "member_expression") && best == "" {
			obj := fn.ChildByFieldName("object")
			if k, f, _ := t.exprTaint(obj); k != "" {
				method := t.text(fn.ChildByFieldName("attribute"))
				if method == "" {
					method = t.text(fn.ChildByFieldName("property"))
				}
				if k == TaintField || (k == TaintWhole && fieldMethods[method]) {
					return TaintField, f, false
				}
				return TaintDerived, f, false
			}
		}
		if best == "" {
			return "", "", false
		}
		if transparent.MatchString(callee) {
			return best, bf, false
		}
		if strings.HasSuffix(callee, ".format") || strings.HasSuffix(callee, ".join") {
			return TaintField, bf, true
		}
		return TaintDerived, bf, false
	case "binary_operator", "binary_expression", "template_string", "string", "concatenated_string", "formatted_string", "template_substitution", "interpolation":
		var best, bf string
		// The largest expressions inside the string (event.path, not event).
		var visit func(c *sitter.Node)
		visit = func(c *sitter.Node) {
			switch c.Type() {
			case "identifier", "attribute", "member_expression", "subscript", "subscript_expression", "call", "call_expression":
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
	case "conditional_expression", "ternary_expression", "boolean_operator", "logical_expression":
		var best, bf string
		for _, c := range namedChildren(n) {
			if k, f, _ := t.exprTaint(c); kindRank[k] > kindRank[best] {
				best, bf = k, f
			}
		}
		return best, bf, false
	case "object", "dictionary", "list", "array", "tuple", "pair":
		var best, bf string
		for _, c := range namedChildren(n) {
			if c.Type() == "pair" {
				c = c.ChildByFieldName("value")
			}
			if k, f, _ := t.exprTaint(c); kindRank[k] > kindRank[best] {
				best, bf = k, f
			}
		}
		if best == TaintWhole {
			best = TaintDerived
		}
		return best, bf, false
	}
	return "", "", false
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
		case "attribute", "member_expression", "subscript_expression":
			next = n.ChildByFieldName("object")
		case "subscript":
			next = n.ChildByFieldName("value")
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
		switch n.Type() {
		case "assignment", "augmented_assignment", "assignment_expression", "augmented_assignment_expression", "variable_declarator":
			left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
			if n.Type() == "variable_declarator" {
				left, right = n.ChildByFieldName("name"), n.ChildByFieldName("value")
			}
			if right == nil || left == nil {
				return
			}
			k, f, b := t.exprTaint(right)
			if k == "" {
				return
			}
			changed = t.bindPattern(left, k, f) || changed
			if b && left.Type() == "identifier" && !t.built[t.text(left)] {
				t.built[t.text(left)], changed = true, true
			}
			if k == TaintDerived {
				t.recordVia(left, right)
			}
		case "for_statement", "for_in_statement":
			left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
			if k, f, _ := t.exprTaint(right); k != "" {
				if k == TaintField {
					k = TaintField
				}
				changed = t.bindPattern(left, k, f) || changed
			}
		case "with_item":
			// with requests.get(url) as r: r carries what the call returned.
			v := n.ChildByFieldName("value")
			if v != nil && v.Type() == "as_pattern" {
				if k, f, _ := t.exprTaint(v.NamedChild(0)); k != "" {
					changed = t.bindPattern(v.ChildByFieldName("alias"), TaintDerived, f) || changed
				}
			}
		case "call", "call_expression":
			// A call to a function of this module passes taint to its parameters;
			// a callback given a tainted receiver's items (records.map(r => ...)) too.
			callee := n.ChildByFieldName("function")
			args := namedChildren(n.ChildByFieldName("arguments"))
			if callee != nil && callee.Type() == "identifier" {
				if fn := t.funcs[t.text(callee)]; fn != nil {
					ps := t.params(fn)
					for i, a := range args {
						if a.Type() == "keyword_argument" {
							continue
						}
						if k, f, _ := t.exprTaint(a); k != "" && i < len(ps) {
							changed = t.set(ps[i], k, f) || changed
						}
					}
				}
			}
			if callee != nil && callee.Type() == "member_expression" {
				if k, f, _ := t.exprTaint(callee.ChildByFieldName("object")); k != "" {
					for _, a := range args {
						if t.isFunc(a) {
							if ps := t.params(a); len(ps) > 0 {
								changed = t.set(ps[0], k, f) || changed
							}
						}
					}
				}
			}
		}
	})
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

// readVia: a derived value that is data read with the event's help (an
// object's content, a decrypted code, a model's answer, a database item),
// not an API's acknowledgement.
var readVia = regexp.MustCompile(`(?i)(\.read\(|get_object|GetObject|invoke_model|InvokeModel|decrypt|getsecretvalue|get_secret_value|GetCommand|QueryCommand|ScanCommand|\.query\(|\.scan\(|get_item|receive_message|ReceiveMessage|readFile|download|\.get\(|\.json\(\)|\.text\(\))`)

// logged reports whether an argument of a log call carries the event's data.
func (t *taintWalk) logged(a *sitter.Node) (string, string, bool, bool) {
	k, f, b := t.exprTaint(a)
	switch k {
	case TaintWhole:
		return k, f, b, true
	case TaintDerived:
		ok := false
		walk(a, func(c *sitter.Node) {
			if c.Type() == "identifier" && t.kind[t.text(c)] == TaintDerived && readVia.MatchString(t.via[t.text(c)]) {
				ok = true
			}
		})
		return k, f, b, ok
	}
	return k, f, b, false
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

var (
	logCallee  = regexp.MustCompile(`^(print|pprint|console\.(log|info|debug|warn|error|trace|dir)|(self\.)?(logger|log|logging|LOGGER|LOG|_logger)\.(log|info|debug|warn|warning|error|exception|critical|trace|fatal))$`)
	urlCallee  = regexp.MustCompile(`^(requests|httpx|session|s|client|http|https|axios|got|needle|superagent|urllib3|pool|http_client)\.(get|post|put|patch|delete|head|request|stream)$|^(fetch|axios|got|urlopen|urllib\.request\.urlopen|request\.urlopen|needle|request)$`)
	pathCallee = regexp.MustCompile(`^(open|io\.open|os\.remove|os\.unlink|shutil\.\w+)$|^fs(\.promises)?\.(writeFile|writeFileSync|readFile|readFileSync|createWriteStream|createReadStream|appendFile|appendFileSync|unlink|unlinkSync|rm|rmSync)$`)
	pathMethod = regexp.MustCompile(`\.(open|write_text|write_bytes|read_text|read_bytes|unlink)$`)
	sqlCallee  = regexp.MustCompile(`\.(execute|executemany|execute_statement|batch_execute_statement|query|raw|unsafe)$|^(ExecuteStatementCommand|BatchExecuteStatementCommand)$`)
	ddbKeys    = map[string]bool{"FilterExpression": true, "KeyConditionExpression": true, "UpdateExpression": true, "ConditionExpression": true, "ProjectionExpression": true, "Statement": true}
	msgKeys    = map[string]bool{"Message": true, "MessageBody": true, "Input": true, "input": true, "Detail": true}
	sqlKeys    = map[string]bool{"sql": true, "Sql": true, "query": true, "text": true}
)

// sinks lists the calls where an event value arrives at a sink.
func (t *taintWalk) sinks() []Flow {
	var out []Flow
	add := func(sink, callee string, n *sitter.Node, kind, from string, built bool) {
		v := strings.Join(strings.Fields(t.text(n)), " ")
		if len(v) > 80 {
			v = v[:77] + "..."
		}
		out = append(out, Flow{Sink: sink, Callee: callee, Line: line(n), Kind: kind, Value: v, Built: built, Source: from})
	}
	walk(t.root, func(n *sitter.Node) {
		if n.Type() != "call" && n.Type() != "call_expression" && n.Type() != "new_expression" {
			return
		}
		fn := n.ChildByFieldName("function")
		if fn == nil {
			fn = n.ChildByFieldName("constructor")
		}
		callee := strings.Join(strings.Fields(t.text(fn)), "")
		if i := strings.Index(callee, "("); i >= 0 && !strings.HasSuffix(callee, ")") {
			callee = callee[:i]
		}
		var positional []*sitter.Node
		keyed := map[string]*sitter.Node{}
		for _, a := range namedChildren(n.ChildByFieldName("arguments")) {
			switch a.Type() {
			case "keyword_argument":
				keyed[t.text(a.ChildByFieldName("name"))] = a.ChildByFieldName("value")
			case "object":
				positional = append(positional, a)
				for _, p := range namedChildren(a) {
					if p.Type() == "pair" {
						keyed[unquote(t.text(p.ChildByFieldName("key")))] = p.ChildByFieldName("value")
					}
				}
			case "comment":
			default:
				positional = append(positional, a)
			}
		}
		if _, local := t.funcs[callee]; local {
			return // the module's own function (its body is walked on its own)
		}
		switch {
		case logCallee.MatchString(callee):
			for _, a := range positional {
				if k, f, b, ok := t.logged(a); ok {
					add(SinkLog, callee, a, k, f, b)
					return
				}
			}
		case urlCallee.MatchString(callee):
			arg := keyed["url"]
			if arg == nil && len(positional) > 0 {
				arg = positional[0]
			}
			if arg != nil && arg.Type() != "object" {
				if k, f, b := t.exprTaint(arg); k != "" {
					add(SinkURL, callee, arg, k, f, b)
				}
			}
		case pathCallee.MatchString(callee):
			if len(positional) > 0 {
				if k, f, b := t.exprTaint(positional[0]); k != "" {
					add(SinkPath, callee, positional[0], k, f, b)
				}
			}
		case pathMethod.MatchString(callee) && (fn.Type() == "attribute" || fn.Type() == "member_expression"):
			obj := fn.ChildByFieldName("object")
			if k, f, b := t.exprTaint(obj); k != "" && t.pathLike(obj) {
				add(SinkPath, callee, obj, k, f, b)
			}
		}
		if sqlCallee.MatchString(callee) {
			arg := (*sitter.Node)(nil)
			for k := range sqlKeys {
				if keyed[k] != nil {
					arg = keyed[k]
				}
			}
			if arg == nil && len(positional) > 0 && positional[0].Type() != "object" {
				arg = positional[0]
			}
			if arg != nil {
				if k, f, b := t.exprTaint(arg); k != "" && b {
					add(SinkSQL, callee, arg, k, f, b)
				}
			}
		}
		for key, v := range keyed {
			k, f, b := t.exprTaint(v)
			if k == "" {
				continue
			}
			switch {
			case ddbKeys[key] && b:
				add(SinkDDBExpr, callee+" "+key, v, k, f, b)
			case msgKeys[key] && b && jsonish(t.text(v)) && !strings.Contains(t.text(v), "dumps(") && !strings.Contains(t.text(v), "stringify("):
				add(SinkMessage, callee+" "+key, v, k, f, b)
			case key == "topic" || key == "Topic":
				add(SinkTopic, callee+" "+key, v, k, f, b)
			}
		}
	})
	return out
}

// jsonish: a string built by hand that looks like JSON ('{"id": "' + x + '"}').
func jsonish(s string) bool {
	return strings.Contains(s, "{") && (strings.Contains(s, `":`) || strings.Contains(s, `':`) || strings.Contains(s, `\":`))
}

// pathLike: the receiver of .open() is a path built in code (Path(...),
// a name assigned from one), not a file object or a client.
func (t *taintWalk) pathLike(n *sitter.Node) bool {
	s := t.text(n)
	if strings.Contains(s, "Path(") {
		return true
	}
	if n.Type() == "identifier" {
		found := false
		walk(t.root, func(c *sitter.Node) {
			if found || (c.Type() != "assignment" && c.Type() != "variable_declarator") {
				return
			}
			l, r := c.ChildByFieldName("left"), c.ChildByFieldName("right")
			if c.Type() == "variable_declarator" {
				l, r = c.ChildByFieldName("name"), c.ChildByFieldName("value")
			}
			if l != nil && r != nil && t.text(l) == s && (strings.Contains(t.text(r), "Path(") || strings.Contains(t.text(r), "path.join(")) {
				found = true
			}
		})
		return found
	}
	return false
}
