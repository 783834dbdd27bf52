//go:build cgo

package code

import (
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The sinks of the event walk (taint.go): log calls, HTTP clients, file
// paths, SQL statements and request parameters by name.

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

// sinkCall is one call with its arguments, positional and by name (Python
// keyword arguments, the keys of a JavaScript object argument).
type sinkCall struct {
	n, fn      *sitter.Node
	callee     string
	positional []*sitter.Node
	keyed      map[string]*sitter.Node
}

// sinks lists the calls where an event value arrives at a sink.
func (t *taintWalk) sinks() []Flow {
	if t.java {
		return t.javaSinks()
	}
	var out []Flow
	walk(t.root, func(n *sitter.Node) {
		if n.Type() != "call" && n.Type() != "call_expression" && n.Type() != "new_expression" {
			return
		}
		c := t.sinkCall(n)
		if _, local := t.funcs[c.callee]; local {
			return // the module's own function (its body is walked on its own)
		}
		fl := t.callSinks(c)
		out = append(out, fl...)
		if len(fl) > 0 && fl[0].Sink == SinkLog {
			return // a log call is nothing else
		}
		out = append(out, t.sqlSink(c)...)
		out = append(out, t.keyedSinks(c)...)
	})
	return out
}

// flow is one Flow at node n (its text trimmed to 80 characters).
func (t *taintWalk) flow(sink, callee string, n *sitter.Node, kind, from string, built bool) Flow {
	v := strings.Join(strings.Fields(t.text(n)), " ")
	if len(v) > 80 {
		v = v[:77] + "..."
	}
	return Flow{Sink: sink, Callee: callee, Line: line(n), Kind: kind, Value: v, Built: built, Source: from}
}

func (t *taintWalk) sinkCall(n *sitter.Node) sinkCall {
	fn := n.ChildByFieldName("function")
	if fn == nil {
		fn = n.ChildByFieldName("constructor")
	}
	callee := strings.Join(strings.Fields(t.text(fn)), "")
	if i := strings.Index(callee, "("); i >= 0 && !strings.HasSuffix(callee, ")") {
		callee = callee[:i]
	}
	c := sinkCall{n: n, fn: fn, callee: callee, keyed: map[string]*sitter.Node{}}
	for _, a := range namedChildren(n.ChildByFieldName("arguments")) {
		switch a.Type() {
		case "keyword_argument":
			c.keyed[t.text(a.ChildByFieldName("name"))] = a.ChildByFieldName("value")
		case "object":
			c.positional = append(c.positional, a)
			for _, p := range namedChildren(a) {
				if p.Type() == "pair" {
					c.keyed[unquote(t.text(p.ChildByFieldName("key")))] = p.ChildByFieldName("value")
				}
			}
		case "comment":
		default:
			c.positional = append(c.positional, a)
		}
	}
	return c
}

// callSinks: the callee itself is a sink (a log call, an HTTP client, a
// file opened by path).
func (t *taintWalk) callSinks(c sinkCall) []Flow {
	switch {
	case logCallee.MatchString(c.callee):
		for _, a := range c.positional {
			if k, f, b, ok := t.logged(a); ok {
				return []Flow{t.flow(SinkLog, c.callee, a, k, f, b)}
			}
		}
	case urlCallee.MatchString(c.callee):
		arg := c.keyed["url"]
		if arg == nil && len(c.positional) > 0 {
			arg = c.positional[0]
		}
		arg = t.requestURL(arg)
		if arg != nil && arg.Type() != "object" {
			if k, f, b := t.exprTaint(arg); k != "" {
				return []Flow{t.flow(SinkURL, c.callee, arg, k, f, b)}
			}
		}
	case pathCallee.MatchString(c.callee):
		if len(c.positional) > 0 {
			if k, f, b := t.exprTaint(c.positional[0]); k != "" {
				return []Flow{t.flow(SinkPath, c.callee, c.positional[0], k, f, b)}
			}
		}
	case pathMethod.MatchString(c.callee) && (c.fn.Type() == "attribute" || c.fn.Type() == "member_expression"):
		obj := c.fn.ChildByFieldName("object")
		if k, f, b := t.exprTaint(obj); k != "" && t.pathLike(obj) {
			return []Flow{t.flow(SinkPath, c.callee, obj, k, f, b)}
		}
	}
	return nil
}

// sqlSink: a statement built from event values given to a query call.
func (t *taintWalk) sqlSink(c sinkCall) []Flow {
	if !sqlCallee.MatchString(c.callee) {
		return nil
	}
	arg := (*sitter.Node)(nil)
	for k := range sqlKeys {
		if c.keyed[k] != nil {
			arg = c.keyed[k]
		}
	}
	if arg == nil && len(c.positional) > 0 && c.positional[0].Type() != "object" {
		arg = c.positional[0]
	}
	if arg != nil {
		if k, f, b := t.exprTaint(arg); k != "" && b {
			return []Flow{t.flow(SinkSQL, c.callee, arg, k, f, b)}
		}
	}
	return nil
}

// keyedSinks: request parameters by name (a DynamoDB expression, a message
// body built as JSON text, an IoT topic).
func (t *taintWalk) keyedSinks(c sinkCall) []Flow {
	var out []Flow
	for key, v := range c.keyed {
		k, f, b := t.exprTaint(v)
		if k == "" {
			continue
		}
		switch {
		case ddbKeys[key] && b:
			out = append(out, t.flow(SinkDDBExpr, c.callee+" "+key, v, k, f, b))
		case msgKeys[key] && b && jsonish(t.text(v)) && !strings.Contains(t.text(v), "dumps(") && !strings.Contains(t.text(v), "stringify("):
			out = append(out, t.flow(SinkMessage, c.callee+" "+key, v, k, f, b))
		case key == "topic" || key == "Topic":
			out = append(out, t.flow(SinkTopic, c.callee+" "+key, v, k, f, b))
		}
	}
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

// requestCtor: a request object built before it is sent (urllib's Request,
// the fetch API's new Request).
var requestCtor = regexp.MustCompile(`^(new)?(urllib\.request\.|request\.|requests\.)?Request$`)

// requestURL: when a client is given a request object built in place
// (urlopen(Request(url, data=body))), the URL is the request's first
// argument; its body is not where it connects.
func (t *taintWalk) requestURL(arg *sitter.Node) *sitter.Node {
	if arg == nil || (arg.Type() != "call" && arg.Type() != "call_expression" && arg.Type() != "new_expression") {
		return arg
	}
	c := t.sinkCall(arg)
	if !requestCtor.MatchString(c.callee) {
		return arg
	}
	if u := c.keyed["url"]; u != nil {
		return u
	}
	if len(c.positional) > 0 {
		return c.positional[0]
	}
	return arg
}
