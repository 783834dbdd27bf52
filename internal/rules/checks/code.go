package checks

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/safefs"
)

// Checks that look at the function's code and dependencies. The blast stage
// says which files and packages belong to a function; where it has not run
// (hand-built models) the handler file is found from CodeUri and Handler.

func init() {
	Register("SLS-DEP-001", depCheck(xmlParsers, "parses XML with %s"))
	Register("SLS-DEP-002", depCheck(deserialisers, "deserialises data with %s"))
	Register("SLS-NET-002", checkNoTimeout)
	Register("SLS-INJ-001", checkDangerousSinks)
}

// codeFiles lists a function's code files (absolute or template-relative paths).
func codeFiles(c *Context, f *model.Function) []string {
	if f.Blast != nil && len(f.CodeFiles) > 0 {
		out := make([]string, 0, len(f.CodeFiles))
		for _, p := range f.CodeFiles {
			out = append(out, resolvePath(c, p))
		}
		return out
	}
	if f.Handler == "" && fnProps(c.Template, f) != nil {
		f.Handler = str(get(fnProps(c.Template, f), "Handler"))
	}
	dir := codeDir(c, f)
	if dir == "" || f.Handler == "" {
		return nil
	}
	base := f.Handler
	if i := strings.LastIndex(base, "."); i > 0 {
		base = base[:i]
	}
	var out []string
	for _, ext := range []string{".js", ".mjs", ".cjs", ".ts", ".py"} {
		p := filepath.Join(dir, filepath.FromSlash(base)+ext)
		if filesOf(c).IsFile(p) {
			out = append(out, p)
			out = append(out, localRequires(c, p, 0, map[string]bool{p: true})...)
			break
		}
	}
	return out
}

var requireRe = regexp.MustCompile(`(?:require\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)|from\s+['"](\.{1,2}/[^'"]+)['"])`)

// localRequires follows relative requires/imports a few levels deep.
func localRequires(c *Context, file string, depth int, seen map[string]bool) []string {
	if depth > 3 {
		return nil
	}
	data, err := filesOf(c).ReadFile(file, safefs.Code)
	if err != nil {
		return nil
	}
	var out []string
	for _, mt := range requireRe.FindAllStringSubmatch(string(data), -1) {
		rel := mt[1] + mt[2]
		for _, ext := range []string{"", ".js", ".mjs", ".ts", "/index.js"} {
			p := filepath.Join(filepath.Dir(file), rel+ext)
			if !seen[p] && filesOf(c).IsFile(p) {
				seen[p] = true
				out = append(out, p)
				out = append(out, localRequires(c, p, depth+1, seen)...)
				break
			}
		}
	}
	return out
}

func resolvePath(c *Context, p string) string {
	if filepath.IsAbs(p) || c.Template == nil {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return filepath.Join(c.Template.Dir, p)
}

func codeDir(c *Context, f *model.Function) string {
	uri := f.CodeURI
	if uri == "" {
		uri = str(get(fnProps(c.Template, f), "CodeUri"))
	}
	if uri == "" || strings.HasPrefix(uri, "s3://") || c.Template == nil {
		return ""
	}
	return filepath.Join(c.Template.Dir, filepath.FromSlash(uri))
}

// manifestDeps lists the dependency names a function's manifest declares
// (blast's list when present).
func manifestDeps(c *Context, f *model.Function) []string {
	if f.Blast != nil && len(f.DependencyNames) > 0 {
		return f.DependencyNames
	}
	var out []string
	for _, d := range c.dependencies(f) {
		out = append(out, d.Name)
	}
	return out
}

// codeLine finds the first line of the function's code matching re.
func codeLine(c *Context, files []string, re *regexp.Regexp) (string, int, string) {
	for _, p := range files {
		data, err := filesOf(c).ReadFile(p, safefs.Code)
		if err != nil || len(data) > 2<<20 {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		n := 0
		for sc.Scan() {
			n++
			if re.MatchString(sc.Text()) {
				return p, n, strings.TrimSpace(sc.Text())
			}
		}
	}
	return "", 0, ""
}

// pkgUse describes a risky package and how to spot its use in code.
type pkgUse struct {
	Name   string // package name as in manifests (and, unless Module is set, as imported)
	Module string // module as imported when it differs (PyYAML is imported as yaml)
	// Call reports a call that uses the package dangerously, matched on the
	// import in the syntax tree (nil: importing the package is enough).
	Call func(c code.ModuleCall) bool
	// Text is the fallback for code the trees do not cover (Java...).
	Text *regexp.Regexp
}

func (p pkgUse) module() string {
	if p.Module != "" {
		return p.Module
	}
	return p.Name
}

// calls builds a Call matcher for qualified names (module.member).
func calls(names ...string) func(code.ModuleCall) bool {
	return func(c code.ModuleCall) bool { return slices.Contains(names, c.Qualified) }
}

var xmlParsers = []pkgUse{
	{Name: "xml2js"}, {Name: "libxmljs"}, {Name: "libxmljs2"}, {Name: "xmldom"}, {Name: "@xmldom/xmldom"},
	{Name: "fast-xml-parser"}, {Name: "sax"}, {Name: "xml-parser"}, {Name: "xmlreader"}, {Name: "node-expat"},
	{Name: "lxml"}, {Name: "xml.etree"}, {Name: "xml.dom.minidom"}, {Name: "xml.sax"}, {Name: "pyexpat"}, {Name: "xmltodict"},
}

var deserialisers = []pkgUse{
	{Name: "node-serialize"}, {Name: "serialize-to-js"}, {Name: "funcster"}, {Name: "cryo"},
	// js-yaml 3's load() builds any JavaScript type unless a schema is given.
	{Name: "js-yaml", Call: func(c code.ModuleCall) bool {
		_, schema := c.Args["schema"]
		return (c.Qualified == "js-yaml.load" || c.Qualified == "js-yaml.loadAll") && !schema
	}},
	{Name: "pickle", Call: calls("pickle.load", "pickle.loads", "pickle.Unpickler")},
	{Name: "cPickle"}, {Name: "dill"}, {Name: "jsonpickle"}, {Name: "shelve"},
	{Name: "marshal", Call: calls("marshal.load", "marshal.loads")},
	// PyYAML: load() without a safe Loader (FullLoader and Loader build objects).
	{Name: "PyYAML", Module: "yaml", Call: func(c code.ModuleCall) bool {
		switch c.Qualified {
		case "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all":
			return true
		case "yaml.load", "yaml.load_all":
			l, ok := c.Args["Loader"]
			if !ok {
				return c.Positional < 2
			}
			return !strings.Contains(l, "Safe") && !strings.Contains(l, "BaseLoader")
		}
		return false
	}},
	{Name: "java.io.ObjectInputStream", Text: regexp.MustCompile(`new\s+ObjectInputStream\(`)},
}

// imports reports whether a file imports the module (or one of its submodules).
func imports(u *code.Uses, mod string) (bool, int) {
	for _, spec := range u.Imports {
		if spec == mod || strings.HasPrefix(spec, mod+"/") || strings.HasPrefix(spec, mod+".") {
			return true, u.ImportLine[spec]
		}
	}
	return false, 0
}

// fileUses parses a code file once per evaluation (nil when the trees do not
// cover its language).
func (c *Context) fileUses(path string) *code.Uses {
	if c.Shared == nil {
		u, _ := code.FileUsesFS(filesOf(c), path)
		return u
	}
	c.Shared.mu.Lock()
	defer c.Shared.mu.Unlock()
	if c.Shared.uses == nil {
		c.Shared.uses = map[string]*code.Uses{}
	}
	if u, ok := c.Shared.uses[path]; ok {
		return u
	}
	u, _ := code.FileUsesFS(filesOf(c), path)
	c.Shared.uses[path] = u
	return u
}

// untrusted reports whether a function takes input from outside the account.
func untrusted(m *model.Model, f *model.Function) (bool, string) {
	if f.URL != nil {
		return true, "its function URL"
	}
	for _, ep := range m.EntryPoints {
		if ep.Function == f.ID && ep.Public {
			return true, "route " + strings.ToUpper(ep.Method) + " " + ep.Path
		}
	}
	for _, e := range f.Events { // ExternalInput comes from catalogs/triggers.yaml
		if e.ExternalInput {
			return true, e.Type + " event " + e.Name
		}
	}
	return false, ""
}

func depCheck(list []pkgUse, verb string) Check {
	return func(c *Context) ([]Hit, error) {
		var hits []Hit
		for _, f := range c.Model.Functions {
			files := codeFiles(c, f)
			declared := map[string]bool{}
			for _, d := range manifestDeps(c, f) {
				declared[strings.ToLower(d)] = true
			}
			for _, p := range list {
				file, line := "", 0
				for _, path := range files {
					u := c.fileUses(path)
					if u == nil {
						if p.Text != nil { // a language the trees do not read
							if _, l, _ := codeLine(c, []string{path}, p.Text); l > 0 {
								file, line = path, l
							}
						}
					} else if ok, il := imports(u, p.module()); ok {
						if p.Call == nil {
							file, line = path, il
						} else {
							for _, call := range u.Calls {
								if p.Call(call) {
									file, line = path, call.Line
									break
								}
							}
						}
					}
					if file != "" {
						break
					}
				}
				if file == "" && !(len(files) == 0 && declared[strings.ToLower(p.Name)]) {
					continue
				}
				ext, from := untrusted(c.Model, f)
				msg := fmt.Sprintf("%s "+verb, f.ID, p.Name)
				if ext {
					msg += fmt.Sprintf(" on input that arrives through %s", from)
				}
				if file == "" {
					msg += " (declared in its dependencies; its code was not found)"
				}
				ev := []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}
				if file != "" {
					ev = append(ev, model.Location{File: file, Line: line})
				}
				hits = append(hits, Hit{Resource: f.ID, Key: p.Name, Message: msg, Evidence: ev})
			}
		}
		return hits, nil
	}
}

// httpCall reports an outbound HTTP call, matched on the module it is
// imported from (or the fetch global).
func httpCall(q string) bool {
	if q == "fetch" || q == "axios" || q == "got" || q == "superagent" || q == "node-fetch" || q == "undici.request" || q == "undici.fetch" {
		return true
	}
	for _, p := range []string{"axios.", "got.", "superagent.", "needle.", "node-fetch."} {
		if strings.HasPrefix(q, p) && !strings.Contains(q, ".create") && !strings.Contains(q, ".defaults") {
			return true
		}
	}
	switch q {
	case "https.request", "https.get", "http.request", "http.get",
		"requests.get", "requests.post", "requests.put", "requests.delete", "requests.patch", "requests.head", "requests.request",
		"requests.Session().get", "requests.Session().post", "requests.Session().put", "requests.Session().request",
		"urllib.request.urlopen", "urllib3.request", "urllib3.PoolManager().request", "urllib3.PoolManager().urlopen",
		"httpx.get", "httpx.post", "httpx.put", "httpx.delete", "httpx.patch", "httpx.request":
		return true
	}
	return false
}

// timeoutArg reports a call that sets its own timeout (or abort signal).
func timeoutArg(c code.ModuleCall) bool {
	for k := range c.Args {
		if strings.Contains(strings.ToLower(k), "timeout") || k == "signal" {
			return true
		}
	}
	return false
}

// timeoutConfigured reports code that configures a timeout somewhere else
// (axios.defaults.timeout, an AbortController, a PoolManager timeout...):
// names used in code, never words in comments.
func timeoutConfigured(u *code.Uses) bool {
	for n := range u.Names {
		l := strings.ToLower(n)
		if (strings.Contains(l, "timeout") && l != "settimeout" && l != "cleartimeout") || n == "AbortController" || n == "AbortSignal" {
			return true
		}
	}
	return false
}

// checkNoTimeout: code that calls a third party over HTTP without any
// timeout keeps the function (and its bill) waiting for a slow partner.
func checkNoTimeout(c *Context) ([]Hit, error) {
	var hits []Hit
	talks := map[string]bool{}
	for _, t := range c.Model.ThirdParties {
		if t.Kind == "http" || t.Kind == "" {
			for _, fn := range t.Functions {
				talks[fn] = true
			}
		}
	}
	for _, f := range c.Model.Functions {
		for _, p := range codeFiles(c, f) {
			u := c.fileUses(p)
			if u == nil || timeoutConfigured(u) {
				continue
			}
			var hit *code.ModuleCall
			for i, call := range u.Calls {
				if httpCall(call.Qualified) && !timeoutArg(call) && !call.CFNResponse { // a custom resource answering CloudFormation is not an outside call
					hit = &u.Calls[i]
					break
				}
			}
			if hit == nil {
				continue
			}
			who := "an HTTP endpoint"
			if talks[f.ID] {
				who = "a third party"
			}
			hits = append(hits, Hit{Resource: f.ID, Key: "timeout",
				Message:  fmt.Sprintf("%s calls %s with %s and no client timeout (%s:%d): a slow or hostile endpoint holds the function until Lambda kills it", f.ID, who, hit.Qualified, filepath.Base(p), hit.Line),
				Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}, {File: p, Line: hit.Line}}})
			break
		}
	}
	return hits, nil
}

var sinkRe = regexp.MustCompile(`\beval\(|new Function\(|child_process|\bexecSync\(|\bos\.system\(|subprocess\.[a-z_]+\([^)]*shell\s*=\s*True|\bexec\(\s*(event|req|body)`)

// checkDangerousSinks: code that evaluates strings or runs shell commands in a
// function reachable from outside (OS command and code injection).
func checkDangerousSinks(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		ext, from := untrusted(c.Model, f)
		if !ext {
			continue
		}
		file, line, snippet := codeLine(c, codeFiles(c, f), sinkRe)
		if file == "" {
			continue
		}
		if len(snippet) > 80 {
			snippet = snippet[:80]
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "sink",
			Message:  fmt.Sprintf("%s evaluates code or runs a shell (%s) and takes input from %s", f.ID, sinkRe.FindString(snippet), from),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}, {File: file, Line: line}}})
	}
	return hits, nil
}

var _ = sort.Strings

// filesOf is the FS a model's files are read through (confined to the
// project root); nil (no confinement, other guarantees kept) without a template.
func filesOf(c *Context) *safefs.FS {
	m := c.Model
	if m == nil || c.Template == nil {
		return nil
	}
	return c.Template.Files()
}
