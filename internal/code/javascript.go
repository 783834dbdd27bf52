//go:build cgo

package code

import (
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/safefs"
	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/javascript"
	"github.com/smacker/go-tree-sitter/typescript/tsx"
	"github.com/smacker/go-tree-sitter/typescript/typescript"
)

func init() {
	analyzers[JavaScript] = jsAnalyzer{}
	analyzers[TypeScript] = jsAnalyzer{}
}

// jsAnalyzer reads JavaScript and TypeScript (CommonJS and ES modules) with
// the tree-sitter grammars; the grammar follows the file's extension, so a
// JavaScript handler importing TypeScript modules (or the reverse) works.
type jsAnalyzer struct{}

func jsLanguage(path string) *sitter.Language {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ts", ".mts", ".cts":
		return typescript.GetLanguage()
	case ".tsx":
		return tsx.GetLanguage()
	}
	return javascript.GetLanguage()
}

func (jsAnalyzer) parse(a *Analyzer, path string, src []byte, root string) *module {
	m := &module{path: path, files: []string{path}, complexity: 1}
	f, err := parseTS(jsLanguage(path), path, src)
	if err != nil {
		m.err = err
		return m
	}
	defer f.close()
	m.hosts, m.signed = scanHosts(f)
	j := &jsFile{tsFile: f, binds: map[string]val{}, exprs: map[string]*sitter.Node{}, c: newCollector(a.fs, path), root: root}
	m.complexity = jsComplexity(f)
	j.declarations()
	j.scan()
	if hasErrors(f.root) {
		m.err = syntaxError(path, f.root)
	}
	return j.c.module(m)
}

// syntaxError names the first ERROR node's line.
func syntaxError(path string, root *sitter.Node) error {
	ln := 0
	walk(root, func(n *sitter.Node) {
		if ln == 0 && (n.IsError() || n.IsMissing()) {
			ln = line(n)
		}
	})
	return &parseError{path: path, line: ln}
}

type parseError struct {
	path string
	line int
}

func (e *parseError) Error() string {
	return filepath.Base(e.path) + ":" + itoa(e.line) + ": syntax error"
}

// jsComplexity: 1 for the module's top level plus, for every function, 1 and
// one per decision point (if, loop, case, catch, ?:, &&, ||, ??, and the
// logical assignments &&= ||= ??=), as ESLint's complexity rule counts them.
func jsComplexity(f *tsFile) int {
	c := 1
	walk(f.root, func(n *sitter.Node) {
		switch n.Type() {
		case "function_declaration", "function_expression", "function", "arrow_function", "method_definition",
			"generator_function_declaration", "generator_function":
			c++
		case "if_statement", "for_statement", "for_in_statement", "while_statement", "do_statement",
			"switch_case", "catch_clause", "ternary_expression":
			c++
		case "binary_expression":
			switch f.operator(n) {
			case "&&", "||", "??":
				c++
			}
		case "augmented_assignment_expression":
			switch f.operator(n) {
			case "&&=", "||=", "??=":
				c++
			}
		}
	})
	return c
}

type jsFile struct {
	*tsFile
	root  string
	binds map[string]val          // identifier (or this.x) -> what it holds
	exprs map[string]*sitter.Node // identifier -> the expression assigned to it
	c     *collector
}

// declarations binds names to SDK values, to a fixed point so that order of
// declaration does not matter (at most a few rounds).
func (j *jsFile) declarations() {
	for round := 0; round < 4; round++ {
		before := len(j.binds)
		walk(j.tsFile.root, func(n *sitter.Node) {
			switch n.Type() {
			case "variable_declarator":
				j.bind(n.ChildByFieldName("name"), n.ChildByFieldName("value"))
			case "assignment_expression":
				j.bind(n.ChildByFieldName("left"), n.ChildByFieldName("right"))
			case "public_field_definition", "field_definition":
				name := n.ChildByFieldName("name")
				if name == nil {
					name = n.ChildByFieldName("property")
				}
				if name != nil {
					j.bindName("this."+j.text(name), n.ChildByFieldName("value"))
				}
			case "import_statement":
				j.importStatement(n)
			}
		})
		if len(j.binds) == before && round > 0 {
			break
		}
	}
}

func (j *jsFile) bind(name, value *sitter.Node) {
	if name == nil || value == nil {
		return
	}
	switch name.Type() {
	case "identifier", "member_expression":
		j.bindName(j.text(name), value)
	case "object_pattern": // const { S3, DynamoDB: D } = require('aws-sdk')
		src := j.eval(value, 0)
		for _, p := range namedChildren(name) {
			switch p.Type() {
			case "shorthand_property_identifier_pattern":
				if v := j.member(src, j.text(p)); v.kind != vNone {
					j.binds[j.text(p)] = v
				}
			case "pair_pattern":
				k, v := p.ChildByFieldName("key"), p.ChildByFieldName("value")
				if k != nil && v != nil && v.Type() == "identifier" {
					if mv := j.member(src, unquote(j.text(k))); mv.kind != vNone {
						j.binds[j.text(v)] = mv
					}
				}
			}
		}
	}
}

func (j *jsFile) bindName(name string, value *sitter.Node) {
	if value == nil || name == "" {
		return
	}
	if _, ok := j.exprs[name]; !ok {
		j.exprs[name] = value
	}
	if v := j.eval(value, 0); v.kind != vNone {
		j.binds[name] = v
	}
}

// importStatement: import AWS from 'aws-sdk'; import * as AWS; import { S3Client } from '@aws-sdk/client-s3'.
func (j *jsFile) importStatement(n *sitter.Node) {
	src := n.ChildByFieldName("source")
	if src == nil {
		return
	}
	mod := j.requireVal(unquote(j.text(src)))
	clause := firstNamed(n, "import_clause")
	for _, c := range namedChildren(clause) {
		switch c.Type() {
		case "identifier":
			if mod.kind != vNone {
				j.binds[j.text(c)] = mod
			}
		case "namespace_import":
			if id := firstNamed(c, "identifier"); id != nil && mod.kind != vNone {
				j.binds[j.text(id)] = mod
			}
		case "named_imports":
			for _, s := range namedChildren(c) {
				if s.Type() != "import_specifier" {
					continue
				}
				name := s.ChildByFieldName("name")
				alias := s.ChildByFieldName("alias")
				if alias == nil {
					alias = name
				}
				if v := j.member(mod, j.text(name)); v.kind != vNone {
					j.binds[j.text(alias)] = v
				}
			}
		}
	}
}

// requireVal is what require(spec) / import from spec gives.
func (j *jsFile) requireVal(spec string) val {
	ix := index()
	switch {
	case spec == "aws-sdk" || spec == "aws-sdk/global":
		return val{kind: vSDK}
	case strings.HasPrefix(spec, "aws-sdk/clients/"):
		if s := ix.service("js", strings.TrimPrefix(spec, "aws-sdk/clients/")); s != nil {
			return val{kind: vClass, svc: s, client: s.Names["js"][0]}
		}
	case strings.HasPrefix(spec, "@aws-sdk/"):
		name := strings.TrimPrefix(spec, "@aws-sdk/")
		if s := ix.service("jsv3", name); s != nil {
			if name == "s3-request-presigner" {
				return val{kind: vPkg, svc: s, client: "presigner"}
			}
			return val{kind: vPkg, svc: s, client: name}
		}
	}
	return val{}
}

// member is what v.prop gives.
func (j *jsFile) member(v val, prop string) val {
	ix := index()
	switch v.kind {
	case vSDK:
		if s := ix.service("js", prop); s != nil {
			return val{kind: vClass, svc: s, client: prop}
		}
	case vClass:
		if s := ix.service("js", v.client+"."+prop); s != nil {
			return val{kind: vClass, svc: s, client: v.client + "." + prop}
		}
	case vPkg:
		switch {
		case v.client == "presigner":
			if prop == "getSignedUrl" {
				return val{kind: vPresign, svc: v.svc}
			}
		case strings.HasSuffix(prop, "Command") && len(prop) > len("Command"):
			return val{kind: vCommand, svc: v.svc, method: strings.TrimSuffix(prop, "Command"), client: prop}
		case prop == "Upload" && v.client == "lib-storage":
			return val{kind: vCommand, svc: v.svc, method: "Upload", client: prop}
		case prop != "" && prop[0] >= 'A' && prop[0] <= 'Z' && !strings.HasSuffix(prop, "Exception") && !strings.HasSuffix(prop, "Error"):
			return val{kind: vClass, svc: v.svc, client: prop}
		}
	}
	return val{}
}

// eval says what an expression holds (depth-limited).
func (j *jsFile) eval(n *sitter.Node, depth int) val {
	if n == nil || depth > 8 {
		return val{}
	}
	switch n.Type() {
	case "identifier", "this":
		return j.binds[j.text(n)]
	case "parenthesized_expression", "await_expression", "non_null_expression", "as_expression", "satisfies_expression", "type_assertion":
		if c := n.NamedChild(0); c != nil {
			return j.eval(c, depth+1)
		}
	case "member_expression":
		if v, ok := j.binds[j.text(n)]; ok { // this.s3
			return v
		}
		obj, prop := n.ChildByFieldName("object"), n.ChildByFieldName("property")
		if obj != nil && prop != nil {
			if obj.Type() == "member_expression" && j.text(obj) == "process.env" {
				return val{}
			}
			if j.text(obj) == "process" && j.text(prop) == "env" {
				return val{kind: vEnv}
			}
			return j.member(j.eval(obj, depth+1), j.text(prop))
		}
	case "new_expression":
		v := j.eval(n.ChildByFieldName("constructor"), depth+1)
		if v.kind == vClass {
			return val{kind: vClient, svc: v.svc, client: v.client}
		}
	case "call_expression":
		fn := n.ChildByFieldName("function")
		args := namedChildren(n.ChildByFieldName("arguments"))
		if fn == nil {
			return val{}
		}
		if fn.Type() == "identifier" && j.text(fn) == "require" && len(args) == 1 && args[0].Type() == "string" {
			return j.requireVal(unquote(j.text(args[0])))
		}
		if fn.Type() == "member_expression" {
			prop := j.text(fn.ChildByFieldName("property"))
			switch prop {
			case "captureAWS", "captureAWSClient", "captureAWSv3Client": // X-Ray wraps the SDK or a client
				if len(args) > 0 {
					return j.eval(args[0], depth+1)
				}
			case "from": // DynamoDBDocumentClient.from(client)
				if v := j.eval(fn.ChildByFieldName("object"), depth+1); v.kind == vClass {
					return val{kind: vClient, svc: v.svc, client: v.client}
				}
			}
		}
	}
	return val{}
}

// scan finds imports and SDK calls.
func (j *jsFile) scan() {
	walk(j.tsFile.root, func(n *sitter.Node) {
		switch n.Type() {
		case "import_statement", "export_statement":
			if src := n.ChildByFieldName("source"); src != nil {
				j.importSpec(unquote(j.text(src)))
			}
		case "new_expression":
			v := j.eval(n.ChildByFieldName("constructor"), 0)
			if v.kind == vCommand {
				args := namedChildren(n.ChildByFieldName("arguments"))
				j.c.call(val{svc: v.svc, client: v.client}, v.method, line(n), j.refs(v.svc, args, 0))
			}
		case "call_expression":
			j.callExpr(n)
		}
	})
}

func (j *jsFile) callExpr(n *sitter.Node) {
	fn := n.ChildByFieldName("function")
	args := namedChildren(n.ChildByFieldName("arguments"))
	if fn == nil {
		return
	}
	if (fn.Type() == "identifier" && j.text(fn) == "require" || fn.Type() == "import") && len(args) > 0 && args[0].Type() == "string" {
		j.importSpec(unquote(j.text(args[0])))
		return
	}
	if fn.Type() != "member_expression" {
		return
	}
	obj := fn.ChildByFieldName("object")
	method := j.text(fn.ChildByFieldName("property"))
	v := j.eval(obj, 0)
	if v.kind != vClient {
		return
	}
	if isPresign(method) && len(args) > 0 && args[0].Type() == "string" {
		j.c.call(v, presignedMethod(method, unquote(j.text(args[0]))), line(n), j.refs(v.svc, args[1:], 0))
		return
	}
	j.c.call(v, method, line(n), j.refs(v.svc, args, 0))
}

// importSpec records a local module or a third-party package.
func (j *jsFile) importSpec(spec string) {
	if spec == "" {
		return
	}
	if strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || spec == "." || spec == ".." {
		if j.path == "inline" {
			return
		}
		if p := resolveJS(j.c.fs, filepath.Join(filepath.Dir(j.path), filepath.FromSlash(spec))); p != "" {
			j.c.local[p] = true
		}
		return
	}
	if strings.HasPrefix(spec, "node:") || strings.HasPrefix(spec, "/") {
		return
	}
	name := npmPackage(spec)
	if index().stdlib["node"][name] {
		return
	}
	j.c.packages[name] = true
}

// npmPackage: "@scope/pkg/sub" -> "@scope/pkg", "pkg/sub" -> "pkg".
func npmPackage(spec string) string {
	parts := strings.Split(spec, "/")
	if strings.HasPrefix(spec, "@") && len(parts) >= 2 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// resolveJS follows Node's resolution for a relative specifier (and
// TypeScript's: a ".js" specifier may name a ".ts" source).
func resolveJS(fsys *safefs.FS, p string) string {
	if isFile(fsys, p) {
		return p
	}
	for _, ext := range nodeExts {
		if isFile(fsys, p+ext) {
			return p + ext
		}
	}
	if ext := filepath.Ext(p); ext == ".js" || ext == ".mjs" || ext == ".cjs" {
		base := strings.TrimSuffix(p, ext)
		for _, e := range []string{".ts", ".tsx", ".mts", ".cts"} {
			if isFile(fsys, base+e) {
				return base + e
			}
		}
	}
	for _, ext := range nodeExts {
		if q := filepath.Join(p, "index"+ext); isFile(fsys, q) {
			return q
		}
	}
	return ""
}

// refs finds the resource-naming keys in a request's arguments (object
// literals, or variables holding one, nested one level: lib-storage's
// Upload({ params: { Bucket } })).
func (j *jsFile) refs(s *catalogs.SDKService, args []*sitter.Node, depth int) []Ref {
	if depth > 3 {
		return nil
	}
	var out []Ref
	for _, a := range args {
		switch a.Type() {
		case "identifier":
			if e := j.exprs[j.text(a)]; e != nil && e.Type() == "object" {
				out = append(out, j.refs(s, []*sitter.Node{e}, depth+1)...)
			}
		case "object":
			for _, p := range namedChildren(a) {
				switch p.Type() {
				case "pair":
					k, v := p.ChildByFieldName("key"), p.ChildByFieldName("value")
					if k == nil || v == nil {
						continue
					}
					if param, ok := isResourceParam(s, unquote(j.text(k))); ok {
						if r, ok := j.strVal(v, 0); ok {
							r.Param = param
							out = append(out, r)
						}
					} else if v.Type() == "object" || v.Type() == "identifier" {
						out = append(out, j.refs(s, []*sitter.Node{v}, depth+1)...)
					}
				case "shorthand_property_identifier":
					if param, ok := isResourceParam(s, j.text(p)); ok {
						if r, ok := j.strVal(p, 0); ok {
							r.Param = param
							out = append(out, r)
						}
					}
				}
			}
		}
	}
	return out
}

// strVal says where a string comes from: an environment variable or a
// literal (with * for what is computed at run time).
func (j *jsFile) strVal(n *sitter.Node, depth int) (Ref, bool) {
	if n == nil || depth > 6 {
		return Ref{}, false
	}
	switch n.Type() {
	case "member_expression":
		if obj := n.ChildByFieldName("object"); obj != nil && j.text(obj) == "process.env" {
			return Ref{Env: j.text(n.ChildByFieldName("property"))}, true
		}
	case "subscript_expression":
		obj, idx := n.ChildByFieldName("object"), n.ChildByFieldName("index")
		if obj != nil && idx != nil && j.text(obj) == "process.env" && idx.Type() == "string" {
			return Ref{Env: unquote(j.text(idx))}, true
		}
	case "string":
		return Ref{Literal: unquote(j.text(n))}, true
	case "template_string":
		var parts []string
		for _, c := range namedChildren(n) {
			switch c.Type() {
			case "string_fragment":
				parts = append(parts, j.text(c))
			case "template_substitution":
				parts = append(parts, "*")
			}
		}
		if len(namedChildren(n)) == 0 {
			parts = append(parts, unquote(j.text(n)))
		}
		return Ref{Literal: literalPattern(parts)}, true
	case "identifier", "shorthand_property_identifier":
		if e := j.exprs[j.text(n)]; e != nil {
			return j.strVal(e, depth+1)
		}
	case "binary_expression":
		switch j.operator(n) {
		case "||", "??":
			return j.strVal(n.ChildByFieldName("left"), depth+1)
		}
	case "parenthesized_expression", "await_expression", "as_expression", "non_null_expression":
		return j.strVal(n.NamedChild(0), depth+1)
	}
	return Ref{}, false
}
