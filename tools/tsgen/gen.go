package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"
)

const modulePath = "github.com/samthreat/samthreat"

// gen collects the named Go types reachable from the roots and writes them
// as TypeScript.
type gen struct {
	root  string
	decls map[string]string       // TypeScript name -> declaration
	seen  map[reflect.Type]string // Go type -> TypeScript name
	docs  map[string]*pkgDocs     // package path -> its doc comments
	used  map[string]bool         // fieldTypes keys applied
}

// pkgDocs are one package's doc comments: "Type" and "Type.Field" -> text.
type pkgDocs map[string]string

func newGen(root string) *gen {
	return &gen{root: root, decls: map[string]string{}, seen: map[reflect.Type]string{}, docs: map[string]*pkgDocs{}, used: map[string]bool{}}
}

// short is "model.Function" for a type of this module.
func short(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:] + "." + t.Name()
}

// ref returns the TypeScript for t where it is used, declaring the named
// struct types it needs.
func (g *gen) ref(t reflect.Type) string {
	if n, ok := namedTypes[t]; ok {
		return n
	}
	switch t {
	case reflect.TypeFor[time.Time]():
		return "string"
	case reflect.TypeFor[error]():
		return "never"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.ref(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string" // []byte is base64 text in JSON
		}
		return arrayOf(g.ref(t.Elem()))
	case reflect.Map:
		return "Record<string, " + g.ref(t.Elem()) + ">"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Interface:
		return "unknown"
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t, "")
		}
		return g.named(t)
	}
	panic(fmt.Sprintf("tsgen: no TypeScript for %s", t))
}

func arrayOf(s string) string {
	if strings.ContainsAny(s, " |") {
		return "(" + s + ")[]"
	}
	return s + "[]"
}

// named declares a named struct type once and returns its TypeScript name.
func (g *gen) named(t reflect.Type) string {
	if n, ok := g.seen[t]; ok {
		return n
	}
	if !strings.HasPrefix(t.PkgPath(), modulePath) {
		panic(fmt.Sprintf("tsgen: %s is outside the module", t))
	}
	name := t.Name()
	if r, ok := renames[short(t)]; ok {
		name = r
	}
	if _, dup := g.decls[name]; dup {
		panic(fmt.Sprintf("tsgen: two types named %s: add %s to renames", name, short(t)))
	}
	g.seen[t] = name
	g.decls[name] = "" // reserved while its fields are walked (recursive types)
	var b strings.Builder
	if doc := g.doc(t, ""); doc != "" {
		b.WriteString(jsdoc(doc, ""))
	}
	b.WriteString("export interface " + name)
	var ext []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("json") == "" {
			e := g.named(derefType(f.Type))
			if f.Type.Kind() == reflect.Pointer {
				e = "Partial<" + e + ">" // a nil embedded pointer leaves its fields out
			}
			ext = append(ext, e)
		}
	}
	if len(ext) > 0 {
		b.WriteString(" extends " + strings.Join(ext, ", "))
	}
	b.WriteString(" " + g.object(t, "") + "\n")
	g.decls[name] = b.String()
	return name
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// object is a struct's fields as a TypeScript object type.
func (g *gen) object(t reflect.Type, indent string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" || (f.Anonymous && tag == "") {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		optional := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		typ := g.fieldType(t, f)
		if !optional && nullable(f.Type) {
			typ += " | null"
		}
		if t.Name() != "" {
			if doc := g.doc(t, f.Name); doc != "" {
				b.WriteString(jsdoc(doc, indent+"  "))
			}
		}
		q := ""
		if optional {
			q = "?"
		}
		typ = strings.ReplaceAll(typ, "\n", "\n"+indent+"  ") // an inline object's lines
		fmt.Fprintf(&b, "%s  %s%s: %s;\n", indent, name, q, typ)
	}
	b.WriteString(indent + "}")
	return b.String()
}

// fieldType is a field's TypeScript type: a vocabulary when fieldTypes
// names one, else from its Go type.
func (g *gen) fieldType(t reflect.Type, f reflect.StructField) string {
	if t.Name() != "" {
		key := short(t) + "." + f.Name
		if ts, ok := fieldTypes[key]; ok {
			g.used[key] = true
			return ts
		}
	}
	return g.ref(f.Type)
}

// nullable: JSON null is what a nil slice, map or pointer encodes as.
func nullable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface:
		return true
	case reflect.Slice:
		return t.Elem().Kind() != reflect.Uint8
	}
	return false
}

func jsdoc(doc, indent string) string {
	lines := strings.Split(strings.TrimSpace(doc), "\n")
	if len(lines) == 1 {
		return indent + "/** " + strings.ReplaceAll(lines[0], "*/", "* /") + " */\n"
	}
	var b strings.Builder
	b.WriteString(indent + "/**\n")
	for _, l := range lines {
		b.WriteString(strings.TrimRight(indent+" * "+strings.ReplaceAll(l, "*/", "* /"), " ") + "\n")
	}
	b.WriteString(indent + " */\n")
	return b.String()
}

// doc is the doc comment of type t (field "") or of one of its fields,
// from the package's source.
func (g *gen) doc(t reflect.Type, field string) string {
	d, ok := g.docs[t.PkgPath()]
	if !ok {
		d = g.parseDocs(t.PkgPath())
		g.docs[t.PkgPath()] = d
	}
	key := t.Name()
	if field != "" {
		key += "." + field
	}
	return (*d)[key]
}

func (g *gen) parseDocs(pkgPath string) *pkgDocs {
	d := pkgDocs{}
	dir := filepath.Join(g.root, strings.TrimPrefix(strings.TrimPrefix(pkgPath, modulePath), "/"))
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		panic(fmt.Sprintf("tsgen: %v", err))
	}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil && len(gd.Specs) == 1 {
						doc = gd.Doc
					}
					d[ts.Name.Name] = text(doc)
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, fl := range st.Fields.List {
						c := text(fl.Doc)
						if lc := text(fl.Comment); lc != "" {
							c = strings.TrimSpace(c + "\n" + lc)
						}
						for _, n := range fl.Names {
							d[ts.Name.Name+"."+n.Name] = c
						}
					}
				}
			}
		}
	}
	return &d
}

func text(c *ast.CommentGroup) string {
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text())
}

// file is the generated TypeScript.
func (g *gen) file() []byte {
	for key := range fieldTypes {
		if !g.used[key] {
			panic(fmt.Sprintf("tsgen: fieldTypes names %s, which no generated type has", key))
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by tools/tsgen from the Go types; DO NOT EDIT.\n")
	b.WriteString("// Run `make types` after changing internal/model, app/*.go types or the\n")
	b.WriteString("// output-format registry (internal/output); `make lint` fails on drift.\n\n")
	b.WriteString("/* eslint-disable */\n\n")
	for _, v := range vocabularies {
		var q []string
		for _, s := range v.values {
			q = append(q, quote(s))
		}
		b.WriteString(jsdoc(v.doc, ""))
		fmt.Fprintf(&b, "export type %s = %s;\n", v.name, strings.Join(q, " | "))
		fmt.Fprintf(&b, "export const %s: %s[] = [%s];\n\n", v.list, v.name, strings.Join(q, ", "))
	}
	names := make([]string, 0, len(g.decls))
	for n := range g.decls {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(g.decls[n])
	}
	formatsSection(&b)
	sectionsSection(&b)
	owaspSection(&b)
	return b.Bytes()
}
