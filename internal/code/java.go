//go:build cgo

package code

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/java"
)

func init() { analyzers[Java] = javaAnalyzer{} }

// javaAnalyzer reads Java with the tree-sitter grammar. A module is a source
// file; the local modules it uses are the source files of the classes it
// imports or names from its own package. SDK clients are recognised by the
// declared type of a variable or field (S3Client, DynamoDbClient, v1's
// AmazonS3...).
type javaAnalyzer struct{}

func (javaAnalyzer) parse(a *Analyzer, path string, src []byte, root string) *module {
	m := &module{path: path, files: []string{path}, complexity: 1}
	f, err := parseTS(java.GetLanguage(), path, src)
	if err != nil {
		m.err = err
		return m
	}
	defer f.close()
	m.hosts, m.signed = scanHosts(f)
	j := &javaFile{tsFile: f, c: newCollector(a.fs, path), types: map[string]*catalogs.SDKService{}, vars: map[string]val{}, exprs: map[string]*sitter.Node{}}
	m.complexity = javaComplexity(f)
	j.imports(a)
	j.declarations()
	j.scan()
	if hasErrors(f.root) {
		m.err = syntaxError(path, f.root)
	}
	return j.c.module(m)
}

// javaComplexity: 1 for the file plus, per method, constructor and lambda,
// 1 and one per if, loop, case label, catch, ?:, && and || (as PMD counts).
func javaComplexity(f *tsFile) int {
	c := 1
	walk(f.root, func(n *sitter.Node) {
		switch n.Type() {
		case "method_declaration", "constructor_declaration", "lambda_expression", "compact_constructor_declaration":
			c++
		case "if_statement", "for_statement", "enhanced_for_statement", "while_statement", "do_statement",
			"catch_clause", "ternary_expression":
			c++
		case "switch_label":
			if strings.HasPrefix(f.text(n), "case") {
				c++
			}
		case "binary_expression":
			switch f.operator(n) {
			case "&&", "||":
				c++
			}
		}
	})
	return c
}

type javaFile struct {
	*tsFile
	c     *collector
	pkg   string
	types map[string]*catalogs.SDKService // simple type name -> SDK service
	vars  map[string]val                  // variable / field -> client
	exprs map[string]*sitter.Node         // variable -> initializer
}

// imports: SDK types, local classes (source files of the same tree) and
// third-party packages; classes of the same package that the file names.
func (j *javaFile) imports(a *Analyzer) {
	srcRoot := j.sourceRoot()
	for _, n := range namedChildren(j.tsFile.root) {
		if n.Type() == "import_declaration" {
			j.importDecl(n, srcRoot)
		}
	}
	// Same-package classes the file names.
	if j.path != "inline" {
		j.samePackage()
	}
}

// sourceRoot reads the package declaration and returns the folder the
// package tree starts in ("" for inline code).
func (j *javaFile) sourceRoot() string {
	for _, n := range namedChildren(j.tsFile.root) {
		if n.Type() == "package_declaration" {
			for _, c := range namedChildren(n) {
				if c.Type() == "scoped_identifier" || c.Type() == "identifier" {
					j.pkg = j.text(c)
				}
			}
		}
	}
	if j.path == "inline" {
		return ""
	}
	srcRoot := filepath.Dir(j.path)
	for range strings.Split(j.pkg, ".") {
		if j.pkg != "" {
			srcRoot = filepath.Dir(srcRoot)
		}
	}
	return srcRoot
}

// importDecl records one import: an SDK client type, a local class, or a
// third-party package (the JDK's own packages are not).
func (j *javaFile) importDecl(n *sitter.Node, srcRoot string) {
	name := ""
	wild := strings.Contains(j.text(n), ".*")
	for _, c := range namedChildren(n) {
		if c.Type() == "scoped_identifier" || c.Type() == "identifier" {
			name = j.text(c)
		}
	}
	if name == "" || strings.HasPrefix(j.text(n), "import static") && !wild {
		name = strings.TrimSuffix(name, "."+lastSeg(name))
	}
	if svc, typ := javaSDKType(name); svc != nil {
		j.types[typ] = svc
		j.c.packages[name] = true
		return
	}
	if srcRoot != "" {
		rel := filepath.FromSlash(strings.ReplaceAll(name, ".", "/"))
		if p := filepath.Join(srcRoot, rel+".java"); isFile(j.c.fs, p) {
			j.c.local[p] = true
			return
		}
		if wild && isDir(j.c.fs, filepath.Join(srcRoot, rel)) {
			return // a local package imported whole: its classes are found by name below
		}
	}
	for _, jdk := range []string{"java.", "javax.", "jdk.", "sun."} {
		if strings.HasPrefix(name, jdk) {
			return
		}
	}
	j.c.packages[name] = true
}

// samePackage: the classes of the file's own folder that it names.
func (j *javaFile) samePackage() {
	dir := filepath.Dir(j.path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	local := map[string]string{}
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".java") && filepath.Join(dir, e.Name()) != j.path {
			local[strings.TrimSuffix(e.Name(), ".java")] = filepath.Join(dir, e.Name())
		}
	}
	if len(local) == 0 {
		return
	}
	walk(j.tsFile.root, func(n *sitter.Node) {
		if n.Type() == "type_identifier" || n.Type() == "identifier" {
			if p, ok := local[j.text(n)]; ok {
				j.c.local[p] = true
			}
		}
	})
}

func lastSeg(s string) string {
	if i := strings.LastIndex(s, "."); i >= 0 {
		return s[i+1:]
	}
	return s
}

// javaSDKType recognises client types: software.amazon.awssdk.services.<svc>.XClient,
// software.amazon.awssdk.enhanced.dynamodb.*, com.amazonaws.services.<svc>.AmazonX.
func javaSDKType(name string) (*catalogs.SDKService, string) {
	ix := index()
	typ := lastSeg(name)
	switch {
	case strings.HasPrefix(name, "software.amazon.awssdk.services."):
		svc := strings.SplitN(strings.TrimPrefix(name, "software.amazon.awssdk.services."), ".", 2)[0]
		if s := ix.service("java", svc); s != nil && (strings.HasSuffix(typ, "Client") || typ == "*") {
			return s, typ
		}
	case strings.HasPrefix(name, "software.amazon.awssdk.enhanced.dynamodb."):
		if typ == "DynamoDbTable" || typ == "DynamoDbAsyncTable" {
			return ix.byID["dynamodb-document"], typ
		}
	case strings.HasPrefix(name, "com.amazonaws.services."):
		svc := strings.SplitN(strings.TrimPrefix(name, "com.amazonaws.services."), ".", 2)[0]
		if s := ix.service("java", svc); s != nil && (strings.HasPrefix(typ, "Amazon") || strings.HasPrefix(typ, "AWS")) && !strings.HasSuffix(typ, "Builder") && !strings.HasSuffix(typ, "Exception") {
			return s, typ
		}
	}
	return nil, ""
}

// declarations binds variables, fields and parameters declared with an SDK
// client type.
func (j *javaFile) declarations() {
	walk(j.tsFile.root, func(n *sitter.Node) {
		switch n.Type() {
		case "local_variable_declaration", "field_declaration":
			typ := j.baseType(n.ChildByFieldName("type"))
			for _, d := range namedChildren(n) {
				if d.Type() != "variable_declarator" {
					continue
				}
				name := j.text(d.ChildByFieldName("name"))
				if s := j.types[typ]; s != nil {
					j.vars[name] = val{kind: vClient, svc: s, client: typ}
				}
				if v := d.ChildByFieldName("value"); v != nil {
					j.exprs[name] = v
				}
			}
		case "formal_parameter":
			if s := j.types[j.baseType(n.ChildByFieldName("type"))]; s != nil {
				j.vars[j.text(n.ChildByFieldName("name"))] = val{kind: vClient, svc: s, client: j.baseType(n.ChildByFieldName("type"))}
			}
		}
	})
}

// baseType: DynamoDbTable<Item> -> DynamoDbTable.
func (j *javaFile) baseType(n *sitter.Node) string {
	if n == nil {
		return ""
	}
	if n.Type() == "generic_type" {
		if c := n.NamedChild(0); c != nil {
			return j.text(c)
		}
	}
	return j.text(n)
}

func (j *javaFile) scan() {
	walk(j.tsFile.root, func(n *sitter.Node) {
		if n.Type() != "method_invocation" {
			return
		}
		obj := n.ChildByFieldName("object")
		if obj == nil {
			return
		}
		key := j.text(obj)
		if obj.Type() == "field_access" {
			key = j.text(obj.ChildByFieldName("field"))
		}
		v, ok := j.vars[key]
		if !ok {
			return
		}
		args := namedChildren(n.ChildByFieldName("arguments"))
		j.c.call(v, j.text(n.ChildByFieldName("name")), line(n), j.refs(v.svc, args, 0))
	})
}

// refs looks inside request builders (.bucket(...), .tableName(...)) and
// v1 request constructors for the resource names.
func (j *javaFile) refs(s *catalogs.SDKService, args []*sitter.Node, depth int) []Ref {
	if depth > 4 {
		return nil
	}
	var out []Ref
	for _, a := range args {
		if a.Type() == "identifier" {
			if e := j.exprs[j.text(a)]; e != nil {
				out = append(out, j.refs(s, []*sitter.Node{e}, depth+1)...)
			}
			continue
		}
		walk(a, func(n *sitter.Node) {
			if n.Type() != "method_invocation" {
				return
			}
			if param, ok := isResourceParam(s, j.text(n.ChildByFieldName("name"))); ok {
				if as := namedChildren(n.ChildByFieldName("arguments")); len(as) > 0 {
					if r, ok := j.strVal(as[0], 0); ok {
						r.Param = param
						out = append(out, r)
					}
				}
			}
		})
	}
	return out
}

func (j *javaFile) strVal(n *sitter.Node, depth int) (Ref, bool) {
	if n == nil || depth > 6 {
		return Ref{}, false
	}
	switch n.Type() {
	case "method_invocation":
		if j.text(n.ChildByFieldName("object")) == "System" && j.text(n.ChildByFieldName("name")) == "getenv" {
			if as := namedChildren(n.ChildByFieldName("arguments")); len(as) == 1 && as[0].Type() == "string_literal" {
				return Ref{Env: unquote(j.text(as[0]))}, true
			}
		}
	case "string_literal":
		return Ref{Literal: unquote(j.text(n))}, true
	case "identifier":
		if e := j.exprs[j.text(n)]; e != nil {
			return j.strVal(e, depth+1)
		}
	case "field_access":
		if e := j.exprs[j.text(n.ChildByFieldName("field"))]; e != nil {
			return j.strVal(e, depth+1)
		}
	case "parenthesized_expression":
		return j.strVal(n.NamedChild(0), depth+1)
	}
	return Ref{}, false
}
