//go:build cgo

package code

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"

	"github.com/samthreat/samthreat/internal/safefs"
)

// Disclosures finds, in one JavaScript/TypeScript or Python module, where a
// handler hands its caller what it should not: an exception's stack trace or
// a secret's value in what it returns (a return statement, or a callback's
// arguments), and a token from the event compared with a literal string
// (an authorizer that lets in whoever sends 'allow'). Read from the syntax
// tree: comments and strings never match. Added by the recall helper for
// issue 16 (internal/rules/checks reads it); additive, no other code uses it.
func Disclosures(fsys *safefs.FS, path string) ([]Disclosure, error) {
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
		return nil, fmt.Errorf("%s: disclosures are looked for in JavaScript, TypeScript and Python only", filepath.Base(path))
	}
	f, err := parseTS(lang, path, src)
	if err != nil {
		return nil, err
	}
	defer f.close()
	d := &discloser{tsFile: f, py: py, tokens: map[string]bool{}}
	walk(f.root, d.bindToken)
	walk(f.root, d.visit)
	return d.out, nil
}

type discloser struct {
	*tsFile
	py     bool
	tokens map[string]bool // names bound to the caller's token
	out    []Disclosure
	seen   map[string]bool
}

// secretFields are the members that hold a secret's value: Secrets Manager's
// SecretString/SecretBinary, STS credentials' secret key and session token.
var secretFields = map[string]bool{"SecretString": true, "SecretBinary": true, "SecretAccessKey": true, "SessionToken": true}

// tokenSource is where a request's credential is read: an authorizer's
// authorizationToken, an Authorization header.
var tokenSource = regexp.MustCompile(`(?i)authorizationToken|headers['"]?\]?\s*(\.|\[\s*['"]|\.get\(\s*['"])authorization`)

var traceback = regexp.MustCompile(`^traceback\.(format_exc|format_exception|format_tb|format_stack)$`)

func (d *discloser) add(kind string, n *sitter.Node) { d.addText(kind, n, d.text(n)) }

func (d *discloser) addText(kind string, n *sitter.Node, text string) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	k := fmt.Sprintf("%s:%d", kind, line(n))
	if d.seen[k] {
		return
	}
	d.seen[k] = true
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > 120 {
		text = text[:120]
	}
	d.out = append(d.out, Disclosure{Kind: kind, Line: line(n), Text: text})
}

// bindToken records names assigned the caller's token (const token =
// event.authorizationToken; token = event["headers"]["Authorization"]).
func (d *discloser) bindToken(n *sitter.Node) {
	var name, value *sitter.Node
	switch n.Type() {
	case "variable_declarator":
		name, value = n.ChildByFieldName("name"), n.ChildByFieldName("value")
	case "assignment", "assignment_expression":
		name, value = n.ChildByFieldName("left"), n.ChildByFieldName("right")
	}
	if name != nil && value != nil && name.Type() == "identifier" && tokenSource.MatchString(d.text(value)) {
		d.tokens[d.text(name)] = true
	}
}

// isToken: the expression is the caller's token, or a name bound to it.
func (d *discloser) isToken(n *sitter.Node) bool {
	if n == nil {
		return false
	}
	for n.Type() == "parenthesized_expression" && n.NamedChildCount() == 1 {
		n = n.NamedChild(0)
	}
	t := d.text(n)
	return d.tokens[t] || (n.Type() != "call_expression" && n.Type() != "call" && tokenSource.MatchString(t))
}

// literal: a non-empty string literal.
func (d *discloser) literal(n *sitter.Node) bool {
	if n == nil || n.Type() != "string" {
		return false
	}
	return strings.Trim(d.text(n), `'"`+"`") != ""
}

func (d *discloser) visit(n *sitter.Node) {
	switch n.Type() {
	case "member_expression", "attribute":
		prop := n.ChildByFieldName("property")
		if prop == nil {
			prop = n.ChildByFieldName("attribute")
		}
		name := d.text(prop)
		switch {
		case name == "stack" && !d.py && d.returned(n):
			d.add(DiscloseStack, n)
		case secretFields[name] && d.returned(n):
			d.add(DiscloseSecret, n)
		}
	case "subscript", "subscript_expression":
		idx := n.ChildByFieldName("subscript")
		if idx == nil {
			idx = n.ChildByFieldName("index")
		}
		if idx != nil && secretFields[strings.Trim(d.text(idx), `'"`)] && d.returned(n) {
			d.add(DiscloseSecret, n)
		}
	case "call":
		if traceback.MatchString(d.text(n.ChildByFieldName("function"))) && d.returned(n) {
			d.add(DiscloseStack, n)
		}
	case "binary_expression", "comparison_operator":
		d.compare(n)
	case "switch_statement":
		if !d.isToken(n.ChildByFieldName("value")) {
			return
		}
		walk(n.ChildByFieldName("body"), func(c *sitter.Node) {
			if v := c.ChildByFieldName("value"); c.Type() == "switch_case" && d.literal(v) {
				d.addText(LiteralToken, c, "case "+d.text(v))
			}
		})
	}
}

// compare: token == 'literal' (either side, == or ===).
func (d *discloser) compare(n *sitter.Node) {
	if op := d.operator(n); op != "==" && op != "===" {
		return
	}
	l, r := n.NamedChild(0), n.NamedChild(1)
	if d.isToken(l) && d.literal(r) || d.isToken(r) && d.literal(l) {
		d.add(LiteralToken, n)
	}
}

// returned: the node is part of what a function returns to its caller (a
// return statement, or the arguments of a callback or response call),
// within the same function.
func (d *discloser) returned(n *sitter.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Type() {
		case "return_statement":
			return true
		case "call_expression":
			switch fn := d.text(p.ChildByFieldName("function")); {
			case fn == "callback" || fn == "cb" || fn == "done",
				strings.HasSuffix(fn, ".send") || strings.HasSuffix(fn, ".json") || strings.HasSuffix(fn, ".end"):
				return true
			}
		case "function_declaration", "function", "function_expression", "arrow_function", "method_definition", "function_definition", "lambda":
			return false
		}
	}
	return false
}
