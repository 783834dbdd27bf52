//go:build cgo

package code

import (
	"path/filepath"
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The Java side of the event walk (taint.go). The event is the handler
// method's first parameter that is not the Lambda Context (or an output
// stream); its getters are its members (event.getBody() is event["body"],
// records' accessors too); Map.get("k") is a field, List.get(i) an item.
// Sinks: System.out/err and loggers (context.getLogger().log...), JDBC and
// JPA statements, request builders' expressions, messages and topics (SDK
// v2 builders, v1 withX), URLs (new URL/URI, URI.create, HttpRequest and
// OkHttp builders, Apache HttpGet..., RestTemplate) and file paths.

// javaHandlerMethod: the handler method a Handler setting names for this
// file ("App::handleRequest", or "App" for a RequestHandler's
// handleRequest); "" when the Handler names another class.
func javaHandlerMethod(path, handler string) string {
	if handler == "" {
		return ""
	}
	cls, method, ok := strings.Cut(handler, "::")
	if !ok {
		method = "handleRequest"
	}
	if cls != "" && cls != strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) {
		return ""
	}
	return method
}

// javaNotEvent are parameter types of a handler that are not the event.
var javaNotEvent = map[string]bool{"Context": true, "OutputStream": true, "LambdaLogger": true}

// javaSeed taints the first parameter of the handler method that is not
// the Lambda context.
func (t *taintWalk) javaSeed(method string) {
	if method == "" {
		return
	}
	walk(t.root, func(n *sitter.Node) {
		if n.Type() != "method_declaration" || t.text(n.ChildByFieldName("name")) != method {
			return
		}
		for _, p := range namedChildren(n.ChildByFieldName("parameters")) {
			if p.Type() != "formal_parameter" {
				continue
			}
			if typ := lastSeg(t.text(p.ChildByFieldName("type"))); !javaNotEvent[typ] {
				name := t.text(p.ChildByFieldName("name"))
				t.set(name, TaintWhole, name)
				return
			}
		}
	})
}

var (
	// javaKeep: methods that return their receiver's content in another
	// shape (streams, views, text).
	javaKeep = map[string]bool{"stream": true, "iterator": true, "toString": true, "values": true, "entrySet": true, "keySet": true,
		"toList": true, "toArray": true, "getBytes": true, "parallelStream": true, "orElse": true, "orElseThrow": true,
		"get": true, "getFirst": true, "getLast": true, "findFirst": true, "findAny": true, "next": true}
	// javaTransparent: calls that return their argument's content unchanged
	// (parsing, serialising, decoding).
	javaTransparent = map[string]bool{"readValue": true, "readTree": true, "fromJson": true, "toJson": true, "writeValueAsString": true,
		"writeValueAsBytes": true, "valueOf": true, "decode": true, "parseString": true, "toJSONString": true, "copyValueOf": true}
	javaTransparentNew = map[string]bool{"String": true, "InputStreamReader": true, "BufferedReader": true, "JSONObject": true, "StringBuilder": true}
)

// javaGetterKey: the property a no-argument accessor reads (getBody ->
// body, isBase64Encoded -> base64Encoded, a record's name() -> name).
func javaGetterKey(name string) string {
	for _, p := range []string{"get", "is"} {
		if rest := strings.TrimPrefix(name, p); rest != name && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			return strings.ToLower(rest[:1]) + rest[1:]
		}
	}
	return name
}

// javaNarrow: what remains after reading property key (containers match
// in either case: getRecords is Records, getSns is Sns).
func javaNarrow(k, key string) string {
	if k == TaintWhole && key != "" && (containers[key] || containers[strings.ToUpper(key[:1])+key[1:]]) {
		return TaintWhole
	}
	return narrow(k, []string{key})
}

// javaCallTaint: a method invocation.
func (t *taintWalk) javaCallTaint(n *sitter.Node) (string, string, bool) {
	name := t.text(n.ChildByFieldName("name"))
	args := namedChildren(n.ChildByFieldName("arguments"))
	best, bf, _ := t.strongest(args)
	if obj := n.ChildByFieldName("object"); obj != nil && best == "" {
		return t.javaMethodTaint(obj, name, args)
	}
	switch {
	case best == "":
		return "", "", false
	case javaTransparent[name] || name == "create" && t.text(n.ChildByFieldName("object")) == "URI":
		return best, bf, false
	case name == "format" || name == "formatted" || name == "join":
		return best, bf, true
	}
	return TaintDerived, bf, false
}

// javaMethodTaint: a method on a tainted receiver with untainted arguments.
func (t *taintWalk) javaMethodTaint(obj *sitter.Node, name string, args []*sitter.Node) (string, string, bool) {
	k, f, _ := t.exprTaint(obj)
	if k == "" {
		return "", "", false
	}
	switch {
	case len(args) == 0 && javaKeep[name]:
		return k, f, false
	case len(args) == 0:
		key := javaGetterKey(name)
		if key == "responseUrl" || cfnResponseKey(key) { // CloudFormationCustomResourceEvent.getResponseUrl()
			return "", "", false // CloudFormation's pre-signed URL (hosts.go)
		}
		return javaNarrow(k, key), f, false
	case (name == "get" || name == "getOrDefault") && args[0].Type() == "string_literal":
		key := unquote(t.text(args[0]))
		if cfnResponseKey(key) {
			return "", "", false
		}
		return javaNarrow(k, key), f, false
	case name == "get":
		return k, f, false // an item of a list
	case k == TaintField || (k == TaintWhole && fieldMethods[name]):
		return TaintField, f, false
	}
	return TaintDerived, f, false
}

// javaNewTaint: new String(bytes), new InputStreamReader(in) keep their
// argument's content; other objects built from event values are derived.
func (t *taintWalk) javaNewTaint(n *sitter.Node) (string, string, bool) {
	best, bf, _ := t.strongest(namedChildren(n.ChildByFieldName("arguments")))
	if best == "" {
		return "", "", false
	}
	if javaTransparentNew[lastSeg(t.baseTypeName(n.ChildByFieldName("type")))] {
		return best, bf, false
	}
	return TaintDerived, bf, false
}

// baseTypeName: ArrayList<String> -> ArrayList.
func (t *taintWalk) baseTypeName(n *sitter.Node) string {
	if n != nil && n.Type() == "generic_type" && n.NamedChildCount() > 0 {
		return t.text(n.NamedChild(0))
	}
	return t.text(n)
}

// javaPropagate: for-each loops and method invocations (a call to a method
// of the class, a lambda given to a method of a tainted receiver).
func (t *taintWalk) javaPropagate(n *sitter.Node) bool {
	switch n.Type() {
	case "enhanced_for_statement":
		if k, f, _ := t.exprTaint(n.ChildByFieldName("value")); k != "" {
			return t.bindPattern(n.ChildByFieldName("name"), k, f)
		}
	case "method_invocation":
		obj := n.ChildByFieldName("object")
		args := namedChildren(n.ChildByFieldName("arguments"))
		if obj == nil || t.text(obj) == "this" {
			return t.propLocalCall(t.text(n.ChildByFieldName("name")), args)
		}
		return t.propCallback(obj, args)
	}
	return false
}

var (
	javaLogObj   = regexp.MustCompile(`(?i)(^|\.)(\w*logger|log|getLogger\(\))$`)
	javaLogLevel = map[string]bool{"log": true, "info": true, "debug": true, "warn": true, "warning": true, "error": true, "trace": true,
		"fatal": true, "severe": true, "fine": true, "printf": true}
	javaSQL = map[string]bool{"execute": true, "executeQuery": true, "executeUpdate": true, "executeLargeUpdate": true, "addBatch": true,
		"prepareStatement": true, "prepareCall": true, "createQuery": true, "createNativeQuery": true, "createSQLQuery": true,
		"query": true, "queryForObject": true, "queryForList": true, "queryForMap": true, "update": true, "batchUpdate": true}
	javaURLNew   = map[string]bool{"URL": true, "URI": true, "HttpGet": true, "HttpPost": true, "HttpPut": true, "HttpDelete": true, "HttpPatch": true, "HttpHead": true}
	javaPathNew  = map[string]bool{"File": true, "FileInputStream": true, "FileOutputStream": true, "FileReader": true, "FileWriter": true, "RandomAccessFile": true, "PrintWriter": true}
	javaRestCall = regexp.MustCompile(`(?i)(resttemplate|webclient|httpclient)`)
	javaRestName = map[string]bool{"getForObject": true, "getForEntity": true, "postForObject": true, "postForEntity": true, "exchange": true,
		"put": true, "delete": true, "patchForObject": true, "execute": true}
)

// javaSinks lists the invocations and constructions where an event value
// arrives at a sink (one flow per sink kind and line).
func (t *taintWalk) javaSinks() []Flow {
	var out []Flow
	seen := map[string]bool{}
	walk(t.root, func(n *sitter.Node) {
		var fl []Flow
		switch n.Type() {
		case "method_invocation":
			fl = t.javaInvocationSinks(n)
		case "object_creation_expression":
			fl = t.javaNewSinks(n)
		}
		for _, f := range fl {
			if k := f.Sink + "|" + itoa(f.Line); !seen[k] {
				seen[k] = true
				out = append(out, f)
			}
		}
	})
	return out
}

// javaCallee is how an invocation is written, shortened when its receiver
// is a long chain (PublishRequest...topic).
func (t *taintWalk) javaCallee(obj *sitter.Node, name string) string {
	if obj == nil {
		return name
	}
	o := strings.Join(strings.Fields(t.text(obj)), "")
	if len(o) > 40 {
		o = identTokenRe.FindString(o) + "..."
		return o + name
	}
	return o + "." + name
}

func (t *taintWalk) javaInvocationSinks(n *sitter.Node) []Flow {
	obj := n.ChildByFieldName("object")
	name := t.text(n.ChildByFieldName("name"))
	args := namedChildren(n.ChildByFieldName("arguments"))
	if len(args) == 0 {
		return nil
	}
	callee := t.javaCallee(obj, name)
	objText := ""
	if obj != nil {
		objText = strings.Join(strings.Fields(t.text(obj)), "")
	}
	if (objText == "System.out" || objText == "System.err") || (obj != nil && javaLogLevel[name] && javaLogObj.MatchString(objText)) {
		for _, a := range args {
			if k, f, b, ok := t.logged(a); ok {
				return []Flow{t.flow(SinkLog, callee, a, k, f, b)}
			}
		}
		return nil
	}
	if obj == nil {
		return nil
	}
	if fl := t.javaURLCall(objText, name, callee, args[0]); fl != nil {
		return fl
	}
	if javaSQL[name] {
		if k, f, b := t.exprTaint(args[0]); k != "" && b {
			return []Flow{t.flow(SinkSQL, callee, args[0], k, f, b)}
		}
	}
	if (objText == "Paths" || objText == "Path") && (name == "get" || name == "of") {
		for _, a := range args {
			if k, f, b := t.exprTaint(a); k != "" {
				return []Flow{t.flow(SinkPath, callee, a, k, f, b)}
			}
		}
	}
	if len(args) == 1 {
		return t.javaBuilderSink(objText, name, callee, args[0])
	}
	return nil
}

// javaURLCall: URI.create(x), HttpRequest.newBuilder(x), a builder's
// .uri(x) / .url(x), RestTemplate/WebClient calls.
func (t *taintWalk) javaURLCall(objText, name, callee string, a *sitter.Node) []Flow {
	isURL := objText == "URI" && name == "create" ||
		strings.HasSuffix(objText, "HttpRequest") && name == "newBuilder" ||
		(name == "uri" || name == "url") && (strings.Contains(objText, "uilder") || strings.Contains(strings.ToLower(objText), "client") || strings.HasSuffix(objText, "()")) ||
		javaRestName[name] && javaRestCall.MatchString(objText)
	if !isURL {
		return nil
	}
	if k, f, b := t.exprTaint(a); k != "" {
		return []Flow{t.flow(SinkURL, callee, a, k, f, b)}
	}
	return nil
}

// javaBuilderSink: a request builder's setter (SDK v2 .keyConditionExpression(x),
// v1 .withMessageBody(x)) taking a value built from the event.
func (t *taintWalk) javaBuilderSink(objText, name, callee string, a *sitter.Node) []Flow {
	if !strings.Contains(objText, "builder()") && !strings.Contains(objText, "Request") {
		return nil
	}
	key := strings.TrimPrefix(strings.TrimPrefix(name, "with"), "set")
	if key == "" {
		return nil
	}
	key = strings.ToUpper(key[:1]) + key[1:]
	k, f, b := t.exprTaint(a)
	if k == "" {
		return nil
	}
	v := t.text(a)
	switch {
	case (ddbKeys[key] || key == "Sql") && b:
		sink := SinkDDBExpr
		if key == "Sql" {
			sink = SinkSQL
		}
		return []Flow{t.flow(sink, callee, a, k, f, b)}
	case msgKeys[key] && b && jsonish(v) && !strings.Contains(v, "toJson(") && !strings.Contains(v, "writeValueAsString("):
		return []Flow{t.flow(SinkMessage, callee, a, k, f, b)}
	case key == "Topic":
		return []Flow{t.flow(SinkTopic, callee, a, k, f, b)}
	}
	return nil
}

// javaNewSinks: new URL(x), new HttpGet(x), new File(x)...
func (t *taintWalk) javaNewSinks(n *sitter.Node) []Flow {
	args := namedChildren(n.ChildByFieldName("arguments"))
	if len(args) == 0 {
		return nil
	}
	typ := lastSeg(t.baseTypeName(n.ChildByFieldName("type")))
	sink := ""
	switch {
	case javaURLNew[typ]:
		sink = SinkURL
	case javaPathNew[typ]:
		sink = SinkPath
	default:
		return nil
	}
	for _, a := range args { // new File(dir, name), new URL(base, spec)
		if k, f, b := t.exprTaint(a); k != "" {
			return []Flow{t.flow(sink, "new "+typ, a, k, f, b)}
		}
	}
	return nil
}
