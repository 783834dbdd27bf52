//go:build cgo

package code

import (
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/safefs"
	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"
)

func init() { analyzers[Python] = pyAnalyzer{} }

// pyAnalyzer reads Python with the tree-sitter grammar; boto3 clients,
// resources (Table, Bucket, Object, Queue) and sessions are followed.
type pyAnalyzer struct{}

func (pyAnalyzer) parse(a *Analyzer, path string, src []byte, root string) *module {
	m := &module{path: path, files: []string{path}, complexity: 1}
	f, err := parseTS(python.GetLanguage(), path, src)
	if err != nil {
		m.err = err
		return m
	}
	defer f.close()
	m.hosts, m.signed = scanHosts(f)
	p := &pyFile{tsFile: f, binds: map[string]val{}, exprs: map[string]*sitter.Node{}, c: newCollector(a.fs, path), root: root}
	m.complexity = pyComplexity(f)
	p.declarations()
	p.scan()
	if hasErrors(f.root) {
		m.err = syntaxError(path, f.root)
	}
	return p.c.module(m)
}

// pyComplexity: 1 for the module plus, per function and lambda, 1 and one
// per if/elif, loop, except, conditional expression, boolean operator,
// comprehension for/if and match case (as radon counts them).
func pyComplexity(f *tsFile) int {
	c := 1
	walk(f.root, func(n *sitter.Node) {
		switch n.Type() {
		case "function_definition", "lambda":
			c++
		case "if_statement", "elif_clause", "for_statement", "while_statement", "except_clause",
			"conditional_expression", "boolean_operator", "for_in_clause", "if_clause", "case_clause":
			c++
		}
	})
	return c
}

type pyFile struct {
	*tsFile
	root  string
	binds map[string]val
	exprs map[string]*sitter.Node
	c     *collector
	boto  bool // the module imports boto3 (or boto3.session)
}

func (p *pyFile) declarations() {
	for round := 0; round < 4; round++ {
		before := len(p.binds)
		walk(p.tsFile.root, func(n *sitter.Node) {
			switch n.Type() {
			case "import_statement":
				for _, c := range namedChildren(n) {
					name, alias := c, c
					if c.Type() == "aliased_import" {
						name, alias = c.ChildByFieldName("name"), c.ChildByFieldName("alias")
					}
					if p.text(name) == "boto3" || p.text(name) == "aioboto3" {
						p.boto = true
						p.binds[p.text(alias)] = val{kind: vSDK}
					}
				}
			case "import_from_statement":
				mod := p.text(n.ChildByFieldName("module_name"))
				if mod == "boto3" || strings.HasPrefix(mod, "boto3.") {
					p.boto = true
					for _, c := range namedChildren(n)[1:] {
						name, alias := c, c
						if c.Type() == "aliased_import" {
							name, alias = c.ChildByFieldName("name"), c.ChildByFieldName("alias")
						}
						switch p.text(name) {
						case "client", "resource":
							p.binds[p.text(alias)] = val{kind: vSDK, method: p.text(name)}
						case "Session", "session":
							p.binds[p.text(alias)] = val{kind: vSDK}
						}
					}
				}
			case "assignment":
				left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
				if left != nil && right != nil && (left.Type() == "identifier" || left.Type() == "attribute") {
					name := p.text(left)
					if _, ok := p.exprs[name]; !ok {
						p.exprs[name] = right
					}
					if v := p.eval(right, 0); v.kind != vNone {
						p.binds[name] = v
					}
				}
			}
		})
		if len(p.binds) == before && round > 0 {
			break
		}
	}
}

// eval says what a Python expression holds.
func (p *pyFile) eval(n *sitter.Node, depth int) val {
	if n == nil || depth > 8 {
		return val{}
	}
	ix := index()
	switch n.Type() {
	case "identifier", "attribute":
		if v, ok := p.binds[p.text(n)]; ok {
			return v
		}
	case "parenthesized_expression", "await":
		return p.eval(n.NamedChild(0), depth+1)
	case "call":
		fn := n.ChildByFieldName("function")
		args := namedChildren(n.ChildByFieldName("arguments"))
		if fn == nil {
			return val{}
		}
		// client('s3') / resource('s3') imported from boto3
		if fn.Type() == "identifier" {
			if v := p.binds[p.text(fn)]; v.kind == vSDK && v.method != "" {
				return p.factory(v.method, args)
			}
			if v := p.binds[p.text(fn)]; v.kind == vSDK {
				return val{kind: vSDK} // Session()
			}
			return val{}
		}
		if fn.Type() != "attribute" {
			return val{}
		}
		obj, attr := fn.ChildByFieldName("object"), p.text(fn.ChildByFieldName("attribute"))
		ov := p.eval(obj, depth+1)
		switch ov.kind {
		case vSDK: // boto3.client('s3'), session.resource('dynamodb'), boto3.session.Session()
			switch attr {
			case "client", "resource":
				return p.factory(attr, args)
			case "Session", "session":
				return val{kind: vSDK}
			}
		case vResource: // dynamodb.Table(name), s3.Bucket(name), s3.Object(bucket, key), sqs.Queue(url)
			if attr == "meta" {
				return ov
			}
			if ov.svc == nil {
				return val{}
			}
			if attr == "Table" && ov.svc.ID == "dynamodb" {
				s := ix.byID["dynamodb-document"]
				return val{kind: vClient, svc: s, client: "dynamodb.Table", refs: p.positionalRef(s, "TableName", args)}
			}
			switch attr {
			case "Bucket", "Object", "ObjectSummary", "BucketPolicy":
				return val{kind: vClient, svc: ov.svc, client: "s3." + attr, refs: p.positionalRef(ov.svc, "Bucket", args)}
			case "Queue":
				return val{kind: vClient, svc: ov.svc, client: "sqs.Queue", refs: p.positionalRef(ov.svc, "QueueUrl", args)}
			case "get_queue_by_name":
				return val{kind: vClient, svc: ov.svc, client: "sqs.Queue", refs: p.refs(ov.svc, args)}
			}
			if attr != "" && attr[0] >= 'A' && attr[0] <= 'Z' {
				return val{kind: vClient, svc: ov.svc, client: ov.client + "." + attr}
			}
		case vClient:
			if attr == "Object" || attr == "Bucket" { // bucket.Object(key)
				return val{kind: vClient, svc: ov.svc, client: ov.client + "." + attr, refs: ov.refs}
			}
		}
	}
	return val{}
}

// factory: client('s3') or resource('dynamodb').
func (p *pyFile) factory(kind string, args []*sitter.Node) val {
	var name string
	for _, a := range args {
		switch a.Type() {
		case "string":
			if name == "" {
				name = p.pyString(a)
			}
		case "keyword_argument":
			if p.text(a.ChildByFieldName("name")) == "service_name" {
				name = p.pyString(a.ChildByFieldName("value"))
			}
		}
	}
	s := index().service("python", name)
	if s == nil {
		return val{}
	}
	if kind == "resource" {
		return val{kind: vResource, svc: s, client: name}
	}
	return val{kind: vClient, svc: s, client: name}
}

func (p *pyFile) pyString(n *sitter.Node) string {
	if n == nil || n.Type() != "string" {
		return ""
	}
	var sb strings.Builder
	for _, c := range namedChildren(n) {
		if c.Type() == "string_content" {
			sb.WriteString(p.text(c))
		}
	}
	return sb.String()
}

// positionalRef: Table(os.environ['T']) names the resource by its first argument.
func (p *pyFile) positionalRef(s *catalogs.SDKService, param string, args []*sitter.Node) []Ref {
	for _, a := range args {
		if a.Type() == "keyword_argument" {
			continue
		}
		if r, ok := p.strVal(a, 0); ok {
			r.Param = param
			return []Ref{r}
		}
		break
	}
	return p.refs(s, args)
}

func (p *pyFile) scan() {
	walk(p.tsFile.root, func(n *sitter.Node) {
		switch n.Type() {
		case "import_statement":
			for _, c := range namedChildren(n) {
				name := c
				if c.Type() == "aliased_import" {
					name = c.ChildByFieldName("name")
				}
				p.importModule(p.text(name), "")
			}
		case "import_from_statement":
			mod := n.ChildByFieldName("module_name")
			var names []string
			for _, c := range namedChildren(n)[1:] {
				if c.Type() == "aliased_import" {
					c = c.ChildByFieldName("name")
				}
				names = append(names, p.text(c))
			}
			if mod != nil && mod.Type() == "relative_import" {
				p.relativeImport(p.text(mod), names)
				return
			}
			for _, nm := range names {
				p.importModule(p.text(mod), nm)
			}
			if len(names) == 0 {
				p.importModule(p.text(mod), "")
			}
		case "call":
			p.callExpr(n)
		}
	})
}

func (p *pyFile) callExpr(n *sitter.Node) {
	fn := n.ChildByFieldName("function")
	if fn == nil || fn.Type() != "attribute" {
		return
	}
	args := namedChildren(n.ChildByFieldName("arguments"))
	v := p.eval(fn.ChildByFieldName("object"), 0)
	if v.kind != vClient {
		return
	}
	method := p.text(fn.ChildByFieldName("attribute"))
	if isPresign(method) {
		api := ""
		var params []*sitter.Node
		for _, a := range args {
			switch a.Type() {
			case "string":
				if api == "" {
					api = p.pyString(a)
				}
			case "keyword_argument":
				switch p.text(a.ChildByFieldName("name")) {
				case "ClientMethod":
					api = p.pyString(a.ChildByFieldName("value"))
				case "Params":
					params = append(params, a.ChildByFieldName("value"))
				case "Bucket":
					params = append(params, a)
				}
			case "dictionary":
				params = append(params, a)
			}
		}
		if api = presignedMethod(method, api); api != "" {
			p.c.call(v, api, line(n), p.refs(v.svc, params))
		}
		return
	}
	p.c.call(v, method, line(n), p.refs(v.svc, args))
}

// refs finds resource-naming keyword arguments and dictionary keys.
func (p *pyFile) refs(s *catalogs.SDKService, args []*sitter.Node) []Ref {
	var out []Ref
	for _, a := range args {
		switch a.Type() {
		case "keyword_argument":
			if param, ok := isResourceParam(s, p.text(a.ChildByFieldName("name"))); ok {
				if r, ok := p.strVal(a.ChildByFieldName("value"), 0); ok {
					r.Param = param
					out = append(out, r)
				}
			}
		case "dictionary":
			for _, pair := range namedChildren(a) {
				if pair.Type() != "pair" {
					continue
				}
				if param, ok := isResourceParam(s, p.pyString(pair.ChildByFieldName("key"))); ok {
					if r, ok := p.strVal(pair.ChildByFieldName("value"), 0); ok {
						r.Param = param
						out = append(out, r)
					}
				}
			}
		case "identifier":
			if e := p.exprs[p.text(a)]; e != nil && e.Type() == "dictionary" {
				out = append(out, p.refs(s, []*sitter.Node{e})...)
			}
		case "dictionary_splat":
			out = append(out, p.refs(s, namedChildren(a))...)
		}
	}
	return out
}

// strVal: os.environ['X'], os.environ.get('X'), os.getenv('X'), environ['X'],
// literals and f-strings, through simple assignments.
func (p *pyFile) strVal(n *sitter.Node, depth int) (Ref, bool) {
	if n == nil || depth > 6 {
		return Ref{}, false
	}
	switch n.Type() {
	case "subscript":
		if v := p.text(n.ChildByFieldName("value")); v == "os.environ" || v == "environ" {
			return Ref{Env: p.pyString(n.ChildByFieldName("subscript"))}, true
		}
	case "call":
		fn := p.text(n.ChildByFieldName("function"))
		args := namedChildren(n.ChildByFieldName("arguments"))
		switch fn {
		case "os.environ.get", "environ.get", "os.getenv", "getenv":
			if len(args) > 0 {
				return Ref{Env: p.pyString(args[0])}, true
			}
		case "str":
			if len(args) == 1 {
				return p.strVal(args[0], depth+1)
			}
		}
	case "string":
		var parts []string
		for _, c := range namedChildren(n) {
			switch c.Type() {
			case "string_content":
				parts = append(parts, p.text(c))
			case "interpolation":
				parts = append(parts, "*")
			}
		}
		return Ref{Literal: literalPattern(parts)}, true
	case "identifier", "attribute":
		if e := p.exprs[p.text(n)]; e != nil {
			return p.strVal(e, depth+1)
		}
	case "boolean_operator":
		return p.strVal(n.ChildByFieldName("left"), depth+1)
	case "parenthesized_expression":
		return p.strVal(n.NamedChild(0), depth+1)
	}
	return Ref{}, false
}

// importModule resolves "import a.b" / "from a.b import c" against the code
// folder (Lambda puts it on sys.path); what is not local and not in the
// standard library is a third-party package (its top-level name).
func (p *pyFile) importModule(mod, name string) {
	if mod == "" {
		return
	}
	if p.path != "inline" && p.root != "" {
		if name != "" {
			if f := resolvePy(p.c.fs, p.root, mod+"."+name); f != "" {
				p.c.local[f] = true
				return
			}
		}
		if f := resolvePy(p.c.fs, p.root, mod); f != "" {
			p.c.local[f] = true
			return
		}
		// a module next to the importing file (scripts run from their folder)
		if f := resolvePy(p.c.fs, filepath.Dir(p.path), mod); f != "" && within(f, p.root) {
			p.c.local[f] = true
			return
		}
	}
	top := strings.SplitN(mod, ".", 2)[0]
	if index().stdlib["python"][top] || top == "__future__" {
		return
	}
	p.c.packages[top] = true
}

// relativeImport: "from . import x", "from ..pkg import y".
func (p *pyFile) relativeImport(spec string, names []string) {
	if p.path == "inline" {
		return
	}
	dots := len(spec) - len(strings.TrimLeft(spec, "."))
	dir := filepath.Dir(p.path)
	for i := 1; i < dots; i++ {
		dir = filepath.Dir(dir)
	}
	mod := strings.TrimLeft(spec, ".")
	found := false
	for _, nm := range names {
		full := nm
		if mod != "" {
			full = mod + "." + nm
		}
		if f := resolvePy(p.c.fs, dir, full); f != "" {
			p.c.local[f] = true
			found = true
		}
	}
	if !found {
		if f := resolvePy(p.c.fs, dir, mod); f != "" {
			p.c.local[f] = true
		}
	}
}

// resolvePy finds a dotted module below dir: a/b.py or a/b/__init__.py.
func resolvePy(fsys *safefs.FS, dir, mod string) string {
	if mod == "" {
		if f := filepath.Join(dir, "__init__.py"); isFile(fsys, f) {
			return f
		}
		return ""
	}
	rel := filepath.FromSlash(strings.ReplaceAll(mod, ".", "/"))
	if f := filepath.Join(dir, rel+".py"); isFile(fsys, f) {
		return f
	}
	if f := filepath.Join(dir, rel, "__init__.py"); isFile(fsys, f) {
		return f
	}
	return ""
}
