// Command codesize lists Go functions over 80 lines or over cyclomatic complexity 30
// (if, for, range, case, select case, && and || each add one), the figures
// issue 15 sets targets for: go run ./tools/codesize .
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type fn struct {
	pos        string
	lines, cyc int
}

func cyclo(n ast.Node) int {
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

func main() {
	var fns []fn
	fset := token.NewFileSet()
	filepath.Walk(os.Args[1], func(p string, info os.FileInfo, err error) error {
		if info.IsDir() && (info.Name() == "node_modules" || info.Name() == "frontend") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return nil
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				s, e := fset.Position(fd.Pos()), fset.Position(fd.End())
				fns = append(fns, fn{fmt.Sprintf("%s:%d %s", p, s.Line, fd.Name.Name), e.Line - s.Line + 1, cyclo(fd)})
			}
		}
		return nil
	})
	sort.Slice(fns, func(i, j int) bool { return fns[i].lines > fns[j].lines })
	n80, n30 := 0, 0
	for _, f := range fns {
		if f.lines > 80 {
			n80++
			fmt.Printf("LONG %4d cyc %3d %s\n", f.lines, f.cyc, f.pos)
		}
	}
	for _, f := range fns {
		if f.cyc > 30 {
			n30++
			fmt.Printf("CYC  %4d cyc %3d %s\n", f.lines, f.cyc, f.pos)
		}
	}
	fmt.Printf("functions>80 lines: %d; cyclomatic>30: %d; total funcs %d\n", n80, n30, len(fns))
}
