//go:build cgo

package code

import (
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Node types of the tree-sitter grammars samthreat uses.
var (
	tsStringTypes = map[string]bool{"string": true, "template_string": true, "string_literal": true,
		"verbatim_string_literal": true, "interpolated_string_expression": true, "raw_string_literal": true}
	tsCallTypes = map[string]bool{"call_expression": true, "new_expression": true, "call": true, "method_invocation": true,
		"object_creation_expression": true, "invocation_expression": true}
	tsAssignTypes = map[string]bool{"variable_declarator": true, "assignment": true, "assignment_expression": true}
	identRe       = regexp.MustCompile(`^((self|this|@)\.?)?[A-Za-z_][A-Za-z0-9_]*$`)
)

// scanHosts finds the outside endpoints a parsed file names: URLs in its
// string literals (comments are not strings, so never read), host names
// given to HTTP clients, and HTTP client calls whose URL comes from an
// environment variable (directly, or through a variable assigned in the
// file) or is built at run time.
func scanHosts(f *tsFile) ([]Host, []Call) {
	s := newHostSet()
	var signed []Call
	eachAssignment(f, func(id string, val *sitter.Node) {
		vt := f.text(val)
		if e := envOf(vt); e != "" {
			s.vars[id] = Host{Env: e}
		} else if hs := literalHosts(vt, f.path, line(val)); len(hs) > 0 {
			s.vars[id] = hs[0]
		}
	})
	s.cfn = cfnResponseNames(f)
	walk(f.root, func(n *sitter.Node) {
		typ := n.Type()
		switch {
		case tsStringTypes[typ]:
			p := n.Parent()
			if p != nil && tsStringTypes[p.Type()] {
				return // the outer literal is read whole
			}
			for _, h := range literalHosts(f.text(n), f.path, line(n)) {
				s.add(h)
			}
			if p != nil && hostSlot(f, p) {
				if h := bareHost(unquote(f.text(n))); h != "" {
					s.add(Host{Host: h, URL: h, Scheme: "https", File: f.path, Line: line(n)})
				}
			}
		case tsCallTypes[typ]:
			callee := calleeText(f, n)
			if isHTTPCallee(callee) && !s.cfn.derives(receiverRoot(callee)) {
				s.call(argTexts(f, n), f.path, line(n))
			}
			if c, ok := signedCall(callee, strings.Join(argTexts(f, n), " "), f.path, line(n)); ok {
				signed = append(signed, c)
			}
		}
	})
	return s.sorted(), signed
}

func field(n *sitter.Node, names ...string) *sitter.Node {
	for _, name := range names {
		if c := n.ChildByFieldName(name); c != nil {
			return c
		}
	}
	return nil
}

// hostSlot: a literal in a place that names a host: a call's argument, or
// the value of a host/hostname key.
func hostSlot(f *tsFile, p *sitter.Node) bool {
	switch p.Type() {
	case "arguments", "argument_list", "argument":
		return true
	case "pair", "keyword_argument", "assignment_expression", "initializer_expression":
		k := field(p, "key", "name", "left")
		if k == nil && p.NamedChildCount() > 0 {
			k = p.NamedChild(0)
		}
		switch strings.ToLower(strings.Trim(f.text(k), `"':`)) {
		case "host", "hostname", "baseurl", "base_url", "url", "endpoint":
			return true
		}
	}
	return false
}

// calleeText is the text of what a call calls (new X for constructors).
func calleeText(f *tsFile, n *sitter.Node) string {
	switch n.Type() {
	case "new_expression":
		return "new " + f.text(field(n, "constructor"))
	case "object_creation_expression":
		return "new " + f.text(field(n, "type"))
	case "method_invocation":
		if o := field(n, "object"); o != nil {
			return f.text(o) + "." + f.text(field(n, "name"))
		}
		return f.text(field(n, "name"))
	case "call":
		if fn := field(n, "function"); fn != nil { // Python
			return f.text(fn)
		}
		if r := field(n, "receiver"); r != nil { // Ruby
			return f.text(r) + "." + f.text(field(n, "method"))
		}
		return f.text(field(n, "method"))
	}
	if fn := field(n, "function"); fn != nil {
		return f.text(fn)
	}
	t := f.text(n)
	if i := strings.IndexByte(t, '('); i >= 0 {
		return t[:i]
	}
	return t
}

// argTexts are the texts of a call's arguments (a keyword argument's value).
func argTexts(f *tsFile, n *sitter.Node) []string {
	args := field(n, "arguments")
	if args == nil {
		for _, c := range namedChildren(n) {
			if strings.Contains(c.Type(), "argument") {
				args = c
				break
			}
		}
	}
	var out []string
	for _, a := range namedChildren(args) {
		if v := field(a, "value"); v != nil && a.Type() == "keyword_argument" {
			a = v
		}
		if a.Type() == "argument" && a.NamedChildCount() > 0 { // C#
			a = a.NamedChild(int(a.NamedChildCount()) - 1)
		}
		out = append(out, f.text(a))
	}
	return out
}

// rootName: the name an assignment binds (this.url and self.url bind url).
func rootName(id string) string {
	for _, p := range []string{"this.", "self.", "@"} {
		id = strings.TrimPrefix(id, p)
	}
	return id
}

// receiverRoot: the first name of what a method is called on (url in
// url.openConnection, conn in this.conn.getOutputStream); "" for a plain
// function or constructor.
func receiverRoot(callee string) string {
	callee = rootName(strings.TrimSpace(callee))
	i := strings.LastIndexByte(callee, '.')
	if i < 0 {
		return ""
	}
	return identTokenRe.FindString(callee[:i])
}

// eachAssignment calls fn with each name assigned in the file (a plain or
// this./self. identifier) and the value it is given.
func eachAssignment(f *tsFile, fn func(id string, val *sitter.Node)) {
	walk(f.root, func(n *sitter.Node) {
		if !tsAssignTypes[n.Type()] {
			return
		}
		name := field(n, "name", "left")
		val := field(n, "value", "right")
		if name == nil || val == nil {
			if n.NamedChildCount() < 2 {
				return
			}
			name, val = n.NamedChild(0), n.NamedChild(int(n.NamedChildCount())-1)
		}
		if id := f.text(name); identRe.MatchString(id) {
			fn(id, val)
		}
	})
}

// cfnResponseNames: the names of the file derived from a custom resource's
// ResponseURL (see cfnNames).
func cfnResponseNames(f *tsFile) cfnNames {
	var assigned [][2]string
	eachAssignment(f, func(id string, val *sitter.Node) {
		assigned = append(assigned, [2]string{rootName(id), f.text(val)})
	})
	c := cfnNames{}
	c.grow(assigned)
	return c
}
