//go:build cgo

package code

import (
	"fmt"
	"path/filepath"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"github.com/samthreat/samthreat/internal/safefs"
	"github.com/smacker/go-tree-sitter/python"
)

// jsGlobals and pyGlobals are callees that need no import.
var (
	jsGlobals = map[string]bool{"fetch": true, "eval": true, "Function": true, "require": true}
	pyGlobals = map[string]bool{"eval": true, "exec": true, "open": true, "__import__": true}
)

// FileUses parses one JavaScript/TypeScript or Python file and lists the
// calls it makes on what it imports.
func FileUses(path string) (*Uses, error) { return FileUsesFS(nil, path) }

// FileUsesFS is FileUses reading through fsys (confined, bounded).
func FileUsesFS(fsys *safefs.FS, path string) (*Uses, error) {
	src, err := readSourceFS(fsys, path)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		f, err := parseTS(jsLanguage(path), path, src)
		if err != nil {
			return nil, err
		}
		defer f.close()
		u := &usesFile{tsFile: f, binds: map[string]string{}, out: &Uses{Language: JavaScript, Names: map[string]bool{}}}
		u.cfn = cfnResponseNames(f)
		u.jsBindings()
		u.jsCalls()
		return u.out, nil
	case ".py":
		f, err := parseTS(python.GetLanguage(), path, src)
		if err != nil {
			return nil, err
		}
		defer f.close()
		u := &usesFile{tsFile: f, binds: map[string]string{}, out: &Uses{Language: Python, Names: map[string]bool{}}}
		u.cfn = cfnResponseNames(f)
		u.pyBindings()
		u.pyCalls()
		return u.out, nil
	}
	return nil, fmt.Errorf("%s: calls on imports are read in JavaScript, TypeScript and Python only", filepath.Base(path))
}

type usesFile struct {
	*tsFile
	binds map[string]string // local name -> qualified path it holds ("js-yaml", "js-yaml.load", "urllib3.PoolManager()")
	mods  map[string]string // local name -> the import spec it came from
	out   *Uses
	cfn   cfnNames // names derived from a custom resource's ResponseURL
}

func (u *usesFile) bind(name, qualified, module string) {
	if name == "" || qualified == "" {
		return
	}
	u.binds[name] = qualified
	if u.mods == nil {
		u.mods = map[string]string{}
	}
	u.mods[name] = module
}

// chain flattens a.b.c (member_expression / attribute) to its root node and
// the member path after it.
func (u *usesFile) chain(n *sitter.Node) (*sitter.Node, []string) {
	var path []string
	for n != nil {
		switch n.Type() {
		case "member_expression":
			path = append([]string{u.text(n.ChildByFieldName("property"))}, path...)
			n = n.ChildByFieldName("object")
		case "attribute":
			path = append([]string{u.text(n.ChildByFieldName("attribute"))}, path...)
			n = n.ChildByFieldName("object")
		case "parenthesized_expression", "await_expression", "non_null_expression":
			n = n.NamedChild(0)
		default:
			return n, path
		}
	}
	return nil, path
}

// resolve says what qualified path an expression names, and from which
// import: a bound name, a member of one, require('x'), or a call on one
// (suffix "()").
func (u *usesFile) resolve(n *sitter.Node, depth int) (string, string) {
	if n == nil || depth > 6 {
		return "", ""
	}
	root, path := u.chain(n)
	if root == nil {
		return "", ""
	}
	var base, mod string
	switch root.Type() {
	case "identifier":
		name := u.text(root)
		if q, ok := u.binds[name]; ok {
			base, mod = q, u.mods[name]
		}
	case "call_expression", "call":
		fn := root.ChildByFieldName("function")
		if fn != nil && fn.Type() == "identifier" && u.text(fn) == "require" {
			if spec := u.requireSpec(root); spec != "" {
				base, mod = spec, spec
			}
		} else if q, m := u.resolve(fn, depth+1); q != "" {
			base, mod = q+"()", m
		}
	case "new_expression":
		if q, m := u.resolve(root.ChildByFieldName("constructor"), depth+1); q != "" {
			base, mod = q+"()", m
		}
	}
	if base == "" {
		return "", ""
	}
	return strings.Join(append([]string{base}, path...), "."), mod
}

func (u *usesFile) requireSpec(call *sitter.Node) string {
	args := namedChildren(call.ChildByFieldName("arguments"))
	if len(args) == 1 && args[0].Type() == "string" {
		return unquote(u.text(args[0]))
	}
	return ""
}

func (u *usesFile) names(n *sitter.Node) {
	switch n.Type() {
	case "identifier", "property_identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern", "type_identifier":
		u.out.Names[u.text(n)] = true
	}
}

// --- JavaScript / TypeScript ---

func (u *usesFile) jsBindings() {
	for round := 0; round < 3; round++ {
		before := len(u.binds)
		walk(u.root, func(n *sitter.Node) {
			switch n.Type() {
			case "import_statement":
				src := n.ChildByFieldName("source")
				if src == nil {
					return
				}
				spec := unquote(u.text(src))
				u.out.addImport(spec, line(n))
				for _, c := range namedChildren(firstNamed(n, "import_clause")) {
					switch c.Type() {
					case "identifier": // default import: the module's default export
						u.bind(u.text(c), spec, spec)
					case "namespace_import":
						if id := firstNamed(c, "identifier"); id != nil {
							u.bind(u.text(id), spec, spec)
						}
					case "named_imports":
						for _, s := range namedChildren(c) {
							if s.Type() != "import_specifier" {
								continue
							}
							name, alias := s.ChildByFieldName("name"), s.ChildByFieldName("alias")
							if alias == nil {
								alias = name
							}
							u.bind(u.text(alias), spec+"."+u.text(name), spec)
						}
					}
				}
			case "variable_declarator":
				u.jsAssign(n.ChildByFieldName("name"), n.ChildByFieldName("value"), round == 0)
			case "assignment_expression":
				if l := n.ChildByFieldName("left"); l != nil && l.Type() == "identifier" {
					u.jsAssign(l, n.ChildByFieldName("right"), false)
				}
			}
		})
		if len(u.binds) == before && round > 0 {
			break
		}
	}
}

func (u *usesFile) jsAssign(name, value *sitter.Node, first bool) {
	if name == nil || value == nil {
		return
	}
	for value.Type() == "await_expression" || value.Type() == "parenthesized_expression" {
		if value = value.NamedChild(0); value == nil {
			return
		}
	}
	if first && value.Type() == "call_expression" {
		if fn := value.ChildByFieldName("function"); fn != nil && fn.Type() == "identifier" && u.text(fn) == "require" {
			if spec := u.requireSpec(value); spec != "" {
				u.out.addImport(spec, line(value))
			}
		}
	}
	q, mod := u.resolve(value, 0)
	if q == "" {
		return
	}
	switch name.Type() {
	case "identifier":
		u.bind(u.text(name), q, mod)
	case "object_pattern": // const { load, dump: d } = require('js-yaml')
		for _, p := range namedChildren(name) {
			switch p.Type() {
			case "shorthand_property_identifier_pattern":
				u.bind(u.text(p), q+"."+u.text(p), mod)
			case "pair_pattern":
				k, v := p.ChildByFieldName("key"), p.ChildByFieldName("value")
				if k != nil && v != nil && v.Type() == "identifier" {
					u.bind(u.text(v), q+"."+unquote(u.text(k)), mod)
				}
			}
		}
	}
}

func (u *usesFile) jsCalls() {
	walk(u.root, func(n *sitter.Node) {
		u.names(n)
		var callee, args *sitter.Node
		switch n.Type() {
		case "call_expression":
			callee, args = n.ChildByFieldName("function"), n.ChildByFieldName("arguments")
		case "new_expression":
			callee, args = n.ChildByFieldName("constructor"), n.ChildByFieldName("arguments")
		default:
			return
		}
		if callee == nil || callee.Type() == "import" {
			return
		}
		q, mod := u.resolve(callee, 0)
		if q == "" && callee.Type() == "identifier" && jsGlobals[u.text(callee)] {
			if _, bound := u.binds[u.text(callee)]; !bound {
				q = u.text(callee)
			}
		}
		if q == "require" {
			if spec := u.requireSpec(n); spec != "" {
				u.out.addImport(spec, line(n))
			}
			return
		}
		if q == "" {
			return
		}
		c := ModuleCall{Qualified: q, Module: mod, Line: line(n), Args: map[string]string{}}
		for _, a := range namedChildren(args) {
			if a.Type() == "comment" {
				continue
			}
			c.Positional++
			if a.Type() != "object" {
				continue
			}
			for _, p := range namedChildren(a) {
				switch p.Type() {
				case "pair":
					if k := p.ChildByFieldName("key"); k != nil {
						c.Args[unquote(u.text(k))] = u.text(p.ChildByFieldName("value"))
					}
				case "shorthand_property_identifier":
					c.Args[u.text(p)] = u.text(p)
				}
			}
		}
		c.CFNResponse = u.cfnResponse(n)
		u.out.Calls = append(u.out.Calls, c)
	})
}

// --- Python ---

func (u *usesFile) pyBindings() {
	for round := 0; round < 3; round++ {
		before := len(u.binds)
		walk(u.root, func(n *sitter.Node) {
			switch n.Type() {
			case "import_statement":
				u.pyImport(n)
			case "import_from_statement":
				u.pyImportFrom(n)
			case "assignment":
				left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
				if left != nil && right != nil && left.Type() == "identifier" {
					if q, mod := u.resolve(right, 0); q != "" {
						u.bind(u.text(left), q, mod)
					}
				}
			case "as_pattern":
				u.pyAs(n)
			}
		})
		if len(u.binds) == before && round > 0 {
			break
		}
	}
}

// pyImport: import a.b.c binds a; import a.b as x binds x.
func (u *usesFile) pyImport(n *sitter.Node) {
	for _, c := range namedChildren(n) {
		name, alias := c, c
		if c.Type() == "aliased_import" {
			name, alias = c.ChildByFieldName("name"), c.ChildByFieldName("alias")
		}
		mod := u.text(name)
		u.out.addImport(mod, line(n))
		if alias == name { // import a.b.c binds a
			root, _, _ := strings.Cut(mod, ".")
			u.bind(root, root, mod)
		} else {
			u.bind(u.text(alias), mod, mod)
		}
	}
}

// pyImportFrom: from a.b import c (as x) binds c (x); relative imports are
// local modules, not packages.
func (u *usesFile) pyImportFrom(n *sitter.Node) {
	modNode := n.ChildByFieldName("module_name")
	mod := u.text(modNode)
	if strings.HasPrefix(mod, ".") {
		return // a local module: not a package
	}
	u.out.addImport(mod, line(n))
	for _, c := range namedChildren(n) {
		if c == nil || c.Equal(modNode) {
			continue
		}
		name, alias := c, c
		if c.Type() == "aliased_import" {
			name, alias = c.ChildByFieldName("name"), c.ChildByFieldName("alias")
		}
		if name == nil || alias == nil || (name.Type() != "dotted_name" && name.Type() != "identifier") {
			continue
		}
		u.bind(u.text(alias), mod+"."+u.text(name), mod)
	}
}

// pyAs: with requests.Session() as s: binds s.
func (u *usesFile) pyAs(n *sitter.Node) {
	val := n.NamedChild(0)
	alias := n.ChildByFieldName("alias")
	if alias != nil && alias.NamedChildCount() > 0 {
		alias = alias.NamedChild(0)
	}
	if val != nil && alias != nil && alias.Type() == "identifier" {
		if q, mod := u.resolve(val, 0); q != "" {
			u.bind(u.text(alias), q, mod)
		}
	}
}

func (u *usesFile) pyCalls() {
	walk(u.root, func(n *sitter.Node) {
		u.names(n)
		if n.Type() != "call" {
			return
		}
		callee := n.ChildByFieldName("function")
		if callee == nil {
			return
		}
		q, mod := u.resolve(callee, 0)
		if q == "" && callee.Type() == "identifier" && pyGlobals[u.text(callee)] {
			if _, bound := u.binds[u.text(callee)]; !bound {
				q = u.text(callee)
			}
		}
		if q == "" {
			return
		}
		c := ModuleCall{Qualified: q, Module: mod, Line: line(n), Args: map[string]string{}}
		for _, a := range namedChildren(n.ChildByFieldName("arguments")) {
			switch a.Type() {
			case "keyword_argument":
				c.Args[u.text(a.ChildByFieldName("name"))] = u.text(a.ChildByFieldName("value"))
			case "comment":
			default:
				c.Positional++
			}
		}
		c.CFNResponse = u.cfnResponse(n)
		u.out.Calls = append(u.out.Calls, c)
	})
}

// cfnResponse: the call is a custom resource's answer to CloudFormation (its
// receiver or an argument is the event's ResponseURL or derived from it).
func (u *usesFile) cfnResponse(n *sitter.Node) bool {
	if u.cfn.derives(receiverRoot(calleeText(u.tsFile, n))) {
		return true
	}
	for _, a := range argTexts(u.tsFile, n) {
		if u.cfn.derives(a) {
			return true
		}
	}
	return false
}
