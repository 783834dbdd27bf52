//go:build cgo

package code

import (
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/ruby"
)

func init() { analyzers[Ruby] = rubyAnalyzer{} }

// rubyAnalyzer reads Ruby with the tree-sitter grammar: require_relative and
// local requires are followed; Aws::<Service>::Client instances are SDK
// clients.
type rubyAnalyzer struct{}

func (rubyAnalyzer) parse(a *Analyzer, path string, src []byte, root string) *module {
	m := &module{path: path, files: []string{path}, complexity: 1}
	f, err := parseTS(ruby.GetLanguage(), path, src)
	if err != nil {
		m.err = err
		return m
	}
	defer f.close()
	m.hosts, m.signed = scanHosts(f)
	r := &rubyFile{tsFile: f, c: newCollector(a.fs, path), root: root, vars: map[string]val{}, exprs: map[string]*sitter.Node{}}
	m.complexity = rubyComplexity(f)
	r.scan()
	if hasErrors(f.root) {
		m.err = syntaxError(path, f.root)
	}
	return r.c.module(m)
}

// rubyComplexity: 1 for the file plus, per method and lambda, 1 and one per
// if/unless/elsif (and modifiers), loop, when, rescue, ?:, block, and/or
// (close to RuboCop's CyclomaticComplexity, which counts iterating blocks).
func rubyComplexity(f *tsFile) int {
	c := 1
	walk(f.root, func(n *sitter.Node) {
		switch n.Type() {
		case "method", "singleton_method", "lambda":
			c++
		case "if", "unless", "elsif", "if_modifier", "unless_modifier", "while", "until", "while_modifier",
			"until_modifier", "for", "when", "rescue", "rescue_modifier", "conditional", "block", "do_block":
			c++
		case "binary":
			switch f.operator(n) {
			case "&&", "||", "and", "or":
				c++
			}
		case "operator_assignment":
			switch f.operator(n) {
			case "||=", "&&=":
				c++
			}
		}
	})
	return c
}

type rubyFile struct {
	*tsFile
	c     *collector
	root  string
	vars  map[string]val
	exprs map[string]*sitter.Node
}

func (r *rubyFile) scan() {
	// assignments first: clients may be created below their use in the file
	walk(r.tsFile.root, func(n *sitter.Node) {
		if n.Type() != "assignment" {
			return
		}
		left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
		if left == nil || right == nil {
			return
		}
		name := r.text(left)
		r.exprs[name] = right
		if v := r.eval(right); v.kind != vNone {
			r.vars[name] = v
		}
	})
	walk(r.tsFile.root, func(n *sitter.Node) {
		if n.Type() != "call" {
			return
		}
		method := r.text(n.ChildByFieldName("method"))
		args := namedChildren(n.ChildByFieldName("arguments"))
		recv := n.ChildByFieldName("receiver")
		if recv == nil {
			switch method {
			case "require", "require_relative", "load":
				if len(args) > 0 && args[0].Type() == "string" {
					r.require(method, r.rbString(args[0]))
				}
			}
			return
		}
		v, ok := r.vars[r.text(recv)]
		if !ok {
			v = r.eval(recv)
		}
		if v.kind != vClient {
			return
		}
		if isPresign(method) && len(args) > 0 && args[0].Type() == "simple_symbol" {
			r.c.call(v, strings.TrimPrefix(r.text(args[0]), ":"), line(n), r.refs(v.svc, args[1:]))
			return
		}
		r.c.call(v, method, line(n), r.refs(v.svc, args))
	})
}

// eval: Aws::S3::Client.new(...), Aws::S3::Presigner.new, Aws::DynamoDB::Resource.new.table(x).
func (r *rubyFile) eval(n *sitter.Node) val {
	if n == nil || n.Type() != "call" {
		return val{}
	}
	if r.text(n.ChildByFieldName("method")) != "new" {
		return val{}
	}
	recv := r.text(n.ChildByFieldName("receiver"))
	parts := strings.Split(recv, "::")
	if len(parts) == 3 && parts[0] == "Aws" {
		if s := index().service("ruby", parts[1]); s != nil {
			return val{kind: vClient, svc: s, client: recv}
		}
	}
	return val{}
}

func (r *rubyFile) rbString(n *sitter.Node) string {
	var sb strings.Builder
	for _, c := range namedChildren(n) {
		if c.Type() == "string_content" {
			sb.WriteString(r.text(c))
		}
	}
	return sb.String()
}

// require: require_relative is local; require 'x' is local when x.rb is in
// the code folder (or its lib/), else a gem.
func (r *rubyFile) require(kind, name string) {
	if name == "" {
		return
	}
	if r.path != "inline" {
		var cands []string
		if kind == "require_relative" {
			cands = append(cands, filepath.Join(filepath.Dir(r.path), filepath.FromSlash(name)))
		} else if r.root != "" {
			cands = append(cands, filepath.Join(r.root, filepath.FromSlash(name)), filepath.Join(r.root, "lib", filepath.FromSlash(name)))
		}
		for _, c := range cands {
			for _, p := range []string{c, c + ".rb"} {
				if strings.HasSuffix(p, ".rb") && isFile(r.c.fs, p) {
					r.c.local[p] = true
					return
				}
			}
		}
		if kind == "require_relative" {
			return
		}
	}
	if rubyStdlib[strings.SplitN(name, "/", 2)[0]] {
		return
	}
	r.c.packages[name] = true
}

// rubyStdlib: standard libraries commonly required in Lambda code.
var rubyStdlib = map[string]bool{"json": true, "net": true, "uri": true, "time": true, "date": true, "securerandom": true,
	"digest": true, "openssl": true, "base64": true, "logger": true, "set": true, "csv": true, "yaml": true, "erb": true,
	"fileutils": true, "tempfile": true, "stringio": true, "open-uri": true, "pp": true, "bigdecimal": true, "zlib": true, "cgi": true}

func (r *rubyFile) refs(s *catalogs.SDKService, args []*sitter.Node) []Ref {
	var out []Ref
	for _, a := range args {
		var pairs []*sitter.Node
		switch a.Type() {
		case "pair":
			pairs = []*sitter.Node{a}
		case "hash":
			pairs = namedChildren(a)
		case "identifier":
			if e := r.exprs[r.text(a)]; e != nil && e.Type() == "hash" {
				pairs = namedChildren(e)
			}
		}
		for _, p := range pairs {
			if p.Type() != "pair" {
				continue
			}
			key := strings.TrimSuffix(strings.TrimPrefix(r.text(p.ChildByFieldName("key")), ":"), ":")
			if param, ok := isResourceParam(s, unquote(key)); ok {
				if ref, ok := r.strVal(p.ChildByFieldName("value"), 0); ok {
					ref.Param = param
					out = append(out, ref)
				}
			}
		}
	}
	return out
}

// strVal: ENV['X'], ENV.fetch('X'), strings (interpolation as *).
func (r *rubyFile) strVal(n *sitter.Node, depth int) (Ref, bool) {
	if n == nil || depth > 6 {
		return Ref{}, false
	}
	switch n.Type() {
	case "element_reference":
		if r.text(n.ChildByFieldName("object")) == "ENV" {
			for _, c := range namedChildren(n)[1:] {
				if c.Type() == "string" {
					return Ref{Env: r.rbString(c)}, true
				}
			}
		}
	case "call":
		if r.text(n.ChildByFieldName("receiver")) == "ENV" && r.text(n.ChildByFieldName("method")) == "fetch" {
			if as := namedChildren(n.ChildByFieldName("arguments")); len(as) > 0 {
				return Ref{Env: r.rbString(as[0])}, true
			}
		}
	case "string":
		var parts []string
		for _, c := range namedChildren(n) {
			switch c.Type() {
			case "string_content":
				parts = append(parts, r.text(c))
			case "interpolation":
				parts = append(parts, "*")
			}
		}
		return Ref{Literal: literalPattern(parts)}, true
	case "identifier", "constant", "instance_variable":
		if e := r.exprs[r.text(n)]; e != nil {
			return r.strVal(e, depth+1)
		}
	}
	return Ref{}, false
}
