package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The limits issue 15 sets: a function longer than MaxFuncLines or more
// complex than MaxCyclomatic, or a file longer than MaxFileLines, is counted.
const (
	MaxFuncLines  = 80
	MaxCyclomatic = 30
	MaxFileLines  = 800
)

// Func is one function or method declaration of a non-test Go file.
type Func struct {
	File       string // relative to the measured root, slash-separated
	Line       int
	Name       string // Recv.Name for methods
	Lines, Cyc int
}

// File is one Go file (tests included) with its line count.
type File struct {
	Path  string
	Lines int
}

// Result is what Measure found under a root.
type Result struct {
	Funcs []Func // every function of non-test files
	Files []File // every Go file, tests included
}

// Long lists the functions over MaxFuncLines, longest first.
func (r Result) Long() []Func {
	return r.funcsWhere(func(f Func) bool { return f.Lines > MaxFuncLines }, func(a, b Func) bool { return a.Lines > b.Lines })
}

// Complex lists the functions over MaxCyclomatic, most complex first.
func (r Result) Complex() []Func {
	return r.funcsWhere(func(f Func) bool { return f.Cyc > MaxCyclomatic }, func(a, b Func) bool { return a.Cyc > b.Cyc })
}

// Big lists the files over MaxFileLines, longest first.
func (r Result) Big() []File {
	var out []File
	for _, f := range r.Files {
		if f.Lines > MaxFileLines {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Lines > out[j].Lines })
	return out
}

func (r Result) funcsWhere(keep func(Func) bool, before func(a, b Func) bool) []Func {
	var out []Func
	for _, f := range r.Funcs {
		if keep(f) {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return before(out[i], out[j]) })
	return out
}

// skipDir names folders that hold no project Go code: dependencies, the
// frontend, test fixtures (testdata: inputs, not code) and hidden folders.
func skipDir(name string) bool {
	return name == "node_modules" || name == "frontend" || name == "testdata" || name == "vendor" ||
		(strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// Measure walks the Go files under root (tests included for file lengths,
// excluded for functions) in a stable order.
func Measure(root string) (Result, error) {
	var res Result
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		res.Files = append(res.Files, File{Path: rel, Lines: lineCount(src)})
		if strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			return err
		}
		res.Funcs = append(res.Funcs, funcs(fset, rel, f)...)
		return nil
	})
	return res, err
}

// lineCount counts lines as an editor shows them (a last line without a
// newline counts).
func lineCount(src []byte) int {
	n := strings.Count(string(src), "\n")
	if len(src) > 0 && src[len(src)-1] != '\n' {
		n++
	}
	return n
}

func funcs(fset *token.FileSet, rel string, f *ast.File) []Func {
	var out []Func
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		s, e := fset.Position(fd.Pos()), fset.Position(fd.End())
		out = append(out, Func{File: rel, Line: s.Line, Name: funcName(fd), Lines: e.Line - s.Line + 1, Cyc: Cyclomatic(fd)})
	}
	return out
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if g, ok := t.(*ast.IndexExpr); ok { // generic receiver T[P]
		t = g.X
	}
	if g, ok := t.(*ast.IndexListExpr); ok {
		t = g.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// Cyclomatic is 1 plus one for each if, for, range, non-default case,
// non-default select case, && and || (closures inside count toward the
// function that holds them).
func Cyclomatic(n ast.Node) int {
	c := 1
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
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
