package code

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/samthreat/samthreat/internal/deps"
	"github.com/samthreat/samthreat/internal/safefs"
)

func init() { analyzers[Go] = goAnalyzer{} }

// goAnalyzer reads Go with go/parser. A Go module here is a package (a
// folder): the handler's main package and every package of the same Go
// module it imports, transitively.
type goAnalyzer struct{}

func (goAnalyzer) parse(a *Analyzer, path string, _ []byte, root string) *module {
	return nil // Go modules are folders: see parseGoPackage
}

// goModuleOf finds the go.mod governing dir and its module path.
func goModuleOf(fsys *safefs.FS, dir string) (modRoot, modPath string) {
	for d, i := dir, 0; i < 8; d, i = filepath.Dir(d), i+1 {
		if fsys.Confined() && !fsys.Contains(d) {
			break // never above the project root
		}
		if p := filepath.Join(d, "go.mod"); fsys.IsFile(p) {
			return d, deps.GoModulePathFS(fsys, p)
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return "", ""
}

// parseGoPackage parses the non-test .go files of one folder.
func parseGoPackage(a *Analyzer, dir string) *module {
	m := &module{path: dir, complexity: 1}
	ents, err := a.fs.ReadDir(dir)
	if err != nil {
		m.err = err
		m.files = []string{dir}
		return m
	}
	c := newCollector(a.fs, dir)
	fset := token.NewFileSet()
	modRoot, modPath := goModuleOf(a.fs, dir)
	var errs []string
	var hosts []Host
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		p := filepath.Join(dir, name)
		src, err := a.read(p)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		f, err := parser.ParseFile(fset, p, src, parser.SkipObjectResolution)
		m.files = append(m.files, p)
		if err != nil {
			errs = append(errs, err.Error())
			if f == nil {
				continue
			}
		}
		m.complexity += goComplexity(f)
		g := &goFile{c: c, path: p, fset: fset, pkgs: map[string]string{}, strs: map[string]ast.Expr{}, inputs: map[string]*ast.CompositeLit{}}
		g.imports(f, modRoot, modPath)
		g.scan(f)
		hosts = append(hosts, goHosts(f, fset, src, p)...)
	}
	if len(m.files) == 0 {
		m.files = []string{dir}
		if len(errs) == 0 {
			m.err = fmt.Errorf("%s: no Go files", dir)
		}
	}
	sort.Strings(m.files)
	m.hosts = hosts
	if len(errs) > 0 {
		m.err = fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return c.module(m)
}

// goComplexity: per function and function literal, 1 and one per if, for,
// range, non-default case and select case, && and || (as gocyclo counts).
func goComplexity(f *ast.File) int {
	c := 0
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			c++
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt:
			c++
		case *ast.CaseClause:
			if x.List != nil {
				c++
			}
		case *ast.CommClause:
			if x.Comm != nil {
				c++
			}
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				c++
			}
		}
		return true
	})
	return c
}

type goFile struct {
	c      *collector
	path   string
	fset   *token.FileSet
	pkgs   map[string]string            // local import name -> SDK catalog id
	strs   map[string]ast.Expr          // identifier -> string expression assigned
	inputs map[string]*ast.CompositeLit // identifier -> request struct literal
}

// imports records local packages, third-party modules and SDK service packages.
func (g *goFile) imports(f *ast.File, modRoot, modPath string) {
	for _, im := range f.Imports {
		path, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		name := filepath.Base(path)
		if im.Name != nil {
			name = im.Name.Name
		}
		switch {
		case modPath != "" && (path == modPath || strings.HasPrefix(path, modPath+"/")):
			dir := filepath.Join(modRoot, filepath.FromSlash(strings.TrimPrefix(path, modPath)))
			if isDir(g.c.fs, dir) {
				g.c.local[dir] = true
			}
			continue
		case !strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
			continue // standard library
		}
		g.c.packages[path] = true
		for _, prefix := range []string{"github.com/aws/aws-sdk-go-v2/service/", "github.com/aws/aws-sdk-go/service/"} {
			if strings.HasPrefix(path, prefix) {
				svc := strings.SplitN(strings.TrimPrefix(path, prefix), "/", 2)[0]
				if s := index().service("go", svc); s != nil {
					if im.Name == nil {
						name = svc
					}
					g.pkgs[name] = s.ID
				}
			}
		}
		if path == "github.com/aws/aws-sdk-go-v2/feature/s3/manager" || path == "github.com/aws/aws-sdk-go/service/s3/s3manager" {
			g.pkgs[name] = "s3"
		}
	}
}

// scan finds SDK calls: every call that passes a request struct of an SDK
// service package (&dynamodb.PutItemInput{...}, or a variable holding one)
// calls that API; the struct names the resource.
func (g *goFile) scan(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				id, ok := l.(*ast.Ident)
				if !ok || i >= len(x.Rhs) {
					continue
				}
				g.remember(id.Name, x.Rhs[i])
			}
		case *ast.ValueSpec:
			for i, id := range x.Names {
				if i < len(x.Values) {
					g.remember(id.Name, x.Values[i])
				}
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, arg := range call.Args {
			lit := g.inputLit(arg)
			if lit == nil {
				continue
			}
			sel := lit.Type.(*ast.SelectorExpr)
			pkg := sel.X.(*ast.Ident).Name
			svc := Service(g.pkgs[pkg])
			api := strings.TrimSuffix(sel.Sel.Name, "Input")
			if m, ok := call.Fun.(*ast.SelectorExpr); ok && svc != nil && svc.ID == "s3" && (m.Sel.Name == "Upload" || m.Sel.Name == "Download") {
				api = m.Sel.Name // manager.Uploader.Upload(ctx, &s3.PutObjectInput{})
			}
			before := len(g.c.calls)
			g.c.call(val{svc: svc, client: pkg}, api, g.fset.Position(call.Pos()).Line, g.refs(svc.ResourceParams, lit))
			for i := before; i < len(g.c.calls); i++ {
				g.c.calls[i].File = g.path
			}
			break
		}
		return true
	})
}

func (g *goFile) remember(name string, e ast.Expr) {
	if lit := g.inputLit(e); lit != nil {
		g.inputs[name] = lit
		return
	}
	if _, ok := g.strs[name]; !ok {
		g.strs[name] = e
	}
}

// inputLit returns the request struct literal an argument is (or holds).
func (g *goFile) inputLit(e ast.Expr) *ast.CompositeLit {
	switch x := e.(type) {
	case *ast.UnaryExpr:
		return g.inputLit(x.X)
	case *ast.Ident:
		return g.inputs[x.Name]
	case *ast.CompositeLit:
		sel, ok := x.Type.(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || g.pkgs[pkg.Name] == "" || !strings.HasSuffix(sel.Sel.Name, "Input") {
			return nil
		}
		return x
	}
	return nil
}

func (g *goFile) refs(params []string, lit *ast.CompositeLit) []Ref {
	var out []Ref
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		for _, p := range params {
			if paramKey(p) == paramKey(key.Name) {
				if r, ok := g.strVal(kv.Value, 0); ok {
					r.Param = p
					out = append(out, r)
				}
				break
			}
		}
	}
	return out
}

// strVal: os.Getenv("X"), aws.String(...), string literals, fmt.Sprintf
// patterns, through simple assignments.
func (g *goFile) strVal(e ast.Expr, depth int) (Ref, bool) {
	if depth > 6 {
		return Ref{}, false
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(x.Value); err == nil {
			return Ref{Literal: s}, true
		}
	case *ast.Ident:
		if v, ok := g.strs[x.Name]; ok {
			return g.strVal(v, depth+1)
		}
	case *ast.UnaryExpr:
		return g.strVal(x.X, depth+1)
	case *ast.CallExpr:
		fn := exprString(x.Fun)
		switch {
		case fn == "os.Getenv" || fn == "os.LookupEnv":
			if len(x.Args) == 1 {
				if lit, ok := x.Args[0].(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					return Ref{Env: s}, true
				}
			}
		case fn == "fmt.Sprintf" && len(x.Args) > 0:
			if r, ok := g.strVal(x.Args[0], depth+1); ok && r.Literal != "" {
				return Ref{Literal: literalPattern(strings.Split(verbs(r.Literal), "\x00"))}, true
			}
		case len(x.Args) == 1: // aws.String(v), string(v)
			return g.strVal(x.Args[0], depth+1)
		}
	}
	return Ref{}, false
}

// verbs replaces fmt verbs with *.
func verbs(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+1 < len(s) {
			if s[i+1] == '%' {
				sb.WriteByte('%')
			} else {
				sb.WriteByte('*')
			}
			i++
			continue
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	}
	return ""
}

// goHosts: URLs in a Go file's string literals, and net/http calls whose
// URL comes from an environment variable or is built at run time.
func goHosts(f *ast.File, fset *token.FileSet, src []byte, path string) []Host {
	s := newHostSet()
	text := func(n ast.Node) string {
		a, b := fset.Position(n.Pos()).Offset, fset.Position(n.End()).Offset
		if a < 0 || b > len(src) || a > b {
			return ""
		}
		return string(src[a:b])
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
				if id, ok := x.Lhs[0].(*ast.Ident); ok {
					if e := envOf(text(x.Rhs[0])); e != "" {
						s.vars[id.Name] = Host{Env: e}
					}
				}
			}
		case *ast.ValueSpec:
			if len(x.Names) == 1 && len(x.Values) == 1 {
				if e := envOf(text(x.Values[0])); e != "" {
					s.vars[x.Names[0].Name] = Host{Env: e}
				}
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BasicLit:
			if x.Kind == token.STRING {
				for _, h := range literalHosts(x.Value, path, fset.Position(x.Pos()).Line) {
					s.add(h)
				}
			}
		case *ast.CallExpr:
			if isHTTPCallee(text(x.Fun)) {
				var args []string
				for _, a := range x.Args {
					args = append(args, text(a))
				}
				s.call(args, path, fset.Position(x.Pos()).Line)
			}
		}
		return true
	})
	return s.sorted()
}
