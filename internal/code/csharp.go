//go:build cgo

package code

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/csharp"
)

func init() { analyzers[CSharp] = csAnalyzer{} }

// csAnalyzer reads C# with the tree-sitter grammar. C# has no file imports:
// the local modules of a file are the project's files declaring the types it
// names. SDK clients are variables, fields and parameters typed with an AWS
// client class or interface (AmazonS3Client, IAmazonDynamoDB...).
type csAnalyzer struct{}

func (csAnalyzer) parse(a *Analyzer, path string, src []byte, root string) *module {
	m := &module{path: path, files: []string{path}, complexity: 1}
	f, err := parseTS(csharp.GetLanguage(), path, src)
	if err != nil {
		m.err = err
		return m
	}
	defer f.close()
	m.hosts, m.signed = scanHosts(f)
	c := &csFile{tsFile: f, c: newCollector(a.fs, path), vars: map[string]val{}, exprs: map[string]*sitter.Node{}}
	m.complexity = csComplexity(f)
	c.usings()
	c.declarations()
	c.scan()
	if path != "inline" && root != "" {
		types := a.csTypes(root)
		walk(f.root, func(n *sitter.Node) {
			if n.Type() == "identifier" {
				for _, p := range types[f.text(n)] {
					if p != path {
						c.c.local[p] = true
					}
				}
			}
		})
	}
	if hasErrors(f.root) {
		m.err = syntaxError(path, f.root)
	}
	return c.c.module(m)
}

// csTypes indexes the project's type declarations (name -> files), once per
// code folder.
func (a *Analyzer) csTypes(root string) map[string][]string {
	key := "cs-types\x00" + a.fs.Root() + "\x00" + root
	a.mu.Lock()
	if m, ok := a.modules[key]; ok {
		a.mu.Unlock()
		return m.types
	}
	a.mu.Unlock()
	types := map[string][]string{}
	n := 0
	if root == filepath.Dir(root) {
		return types // never walk the filesystem's root
	}
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		n++
		if err != nil || n > maxWalk {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".cs") {
			return nil
		}
		src, err := a.read(p)
		if err != nil {
			return nil
		}
		f, err := parseTS(csharp.GetLanguage(), p, src)
		if err != nil {
			return nil
		}
		walk(f.root, func(x *sitter.Node) {
			switch x.Type() {
			case "class_declaration", "record_declaration", "struct_declaration", "interface_declaration", "enum_declaration":
				if nm := x.ChildByFieldName("name"); nm != nil {
					types[f.text(nm)] = append(types[f.text(nm)], p)
				}
			}
		})
		f.close()
		return nil
	})
	a.mu.Lock()
	a.modules[key] = &module{types: types}
	a.mu.Unlock()
	return types
}

// csComplexity: 1 for the file plus, per method, constructor, local function
// and lambda, 1 and one per if, loop, case label, switch-expression arm,
// catch, ?:, &&, || and ??.
func csComplexity(f *tsFile) int {
	c := 1
	walk(f.root, func(n *sitter.Node) {
		switch n.Type() {
		case "method_declaration", "constructor_declaration", "local_function_statement", "lambda_expression", "anonymous_method_expression":
			c++
		case "if_statement", "for_statement", "foreach_statement", "while_statement", "do_statement",
			"catch_clause", "conditional_expression", "switch_expression_arm":
			c++
		case "switch_section":
			if strings.HasPrefix(strings.TrimSpace(f.text(n)), "case") {
				c++
			}
		case "binary_expression":
			switch f.operator(n) {
			case "&&", "||", "??":
				c++
			}
		}
	})
	return c
}

type csFile struct {
	*tsFile
	c     *collector
	vars  map[string]val
	exprs map[string]*sitter.Node
}

func (c *csFile) usings() {
	walk(c.tsFile.root, func(n *sitter.Node) {
		if n.Type() != "using_directive" {
			return
		}
		for _, x := range namedChildren(n) {
			if x.Type() == "qualified_name" || x.Type() == "identifier" {
				ns := c.text(x)
				if ns == "System" || strings.HasPrefix(ns, "System.") || strings.HasPrefix(ns, "Microsoft.") {
					continue
				}
				c.c.packages[ns] = true
			}
		}
	})
}

func (c *csFile) typeService(typ string) *catalogs.SDKService {
	if i := strings.LastIndex(typ, "."); i >= 0 {
		typ = typ[i+1:]
	}
	return index().service("dotnet", strings.TrimSuffix(typ, "?"))
}

func (c *csFile) declarations() {
	walk(c.tsFile.root, func(n *sitter.Node) {
		switch n.Type() {
		case "variable_declaration":
			typ := c.text(n.ChildByFieldName("type"))
			for _, d := range namedChildren(n) {
				if d.Type() != "variable_declarator" {
					continue
				}
				name := c.text(d.ChildByFieldName("name"))
				var init *sitter.Node
				for _, x := range namedChildren(d) {
					if x != d.ChildByFieldName("name") {
						init = x
					}
				}
				if init != nil && init.Type() == "equals_value_clause" {
					init = init.NamedChild(0)
				}
				if init != nil {
					c.exprs[name] = init
				}
				s := c.typeService(typ)
				if s == nil && init != nil && init.Type() == "object_creation_expression" {
					s = c.typeService(c.text(init.ChildByFieldName("type")))
				}
				if s != nil {
					c.vars[name] = val{kind: vClient, svc: s, client: typ}
				}
			}
		case "parameter":
			if s := c.typeService(c.text(n.ChildByFieldName("type"))); s != nil {
				c.vars[c.text(n.ChildByFieldName("name"))] = val{kind: vClient, svc: s, client: c.text(n.ChildByFieldName("type"))}
			}
		case "property_declaration":
			if s := c.typeService(c.text(n.ChildByFieldName("type"))); s != nil {
				c.vars[c.text(n.ChildByFieldName("name"))] = val{kind: vClient, svc: s, client: c.text(n.ChildByFieldName("type"))}
			}
		}
	})
}

func (c *csFile) scan() {
	walk(c.tsFile.root, func(n *sitter.Node) {
		if n.Type() != "invocation_expression" {
			return
		}
		fn := n.ChildByFieldName("function")
		if fn == nil || fn.Type() != "member_access_expression" {
			return
		}
		obj := fn.ChildByFieldName("expression")
		key := c.text(obj)
		if obj != nil && obj.Type() == "member_access_expression" { // this._s3
			key = c.text(obj.ChildByFieldName("name"))
		}
		v, ok := c.vars[key]
		if !ok {
			return
		}
		args := namedChildren(n.ChildByFieldName("arguments"))
		c.c.call(v, c.text(fn.ChildByFieldName("name")), line(n), c.refs(v.svc, args, 0))
	})
}

// refs reads request object initialisers: new PutItemRequest { TableName = ... }.
func (c *csFile) refs(s *catalogs.SDKService, args []*sitter.Node, depth int) []Ref {
	if depth > 4 {
		return nil
	}
	var out []Ref
	for _, a := range args {
		if a.Type() == "argument" && a.NamedChildCount() > 0 {
			a = a.NamedChild(int(a.NamedChildCount()) - 1)
		}
		if a.Type() == "identifier" {
			if e := c.exprs[c.text(a)]; e != nil {
				out = append(out, c.refs(s, []*sitter.Node{e}, depth+1)...)
			}
			continue
		}
		walk(a, func(n *sitter.Node) {
			if n.Type() != "assignment_expression" {
				return
			}
			if param, ok := isResourceParam(s, c.text(n.ChildByFieldName("left"))); ok {
				if r, ok := c.strVal(n.ChildByFieldName("right"), 0); ok {
					r.Param = param
					out = append(out, r)
				}
			}
		})
	}
	return out
}

func (c *csFile) strVal(n *sitter.Node, depth int) (Ref, bool) {
	if n == nil || depth > 6 {
		return Ref{}, false
	}
	switch n.Type() {
	case "invocation_expression":
		if strings.HasSuffix(c.text(n.ChildByFieldName("function")), "Environment.GetEnvironmentVariable") {
			args := namedChildren(n.ChildByFieldName("arguments"))
			if len(args) == 1 {
				a := args[0]
				if a.Type() == "argument" && a.NamedChildCount() > 0 {
					a = a.NamedChild(0)
				}
				if a.Type() == "string_literal" {
					return Ref{Env: unquote(c.text(a))}, true
				}
			}
		}
	case "string_literal":
		return Ref{Literal: unquote(c.text(n))}, true
	case "identifier":
		if e := c.exprs[c.text(n)]; e != nil {
			return c.strVal(e, depth+1)
		}
	case "binary_expression":
		if c.operator(n) == "??" {
			return c.strVal(n.ChildByFieldName("left"), depth+1)
		}
	}
	return Ref{}, false
}
