package checks

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/internal/model"
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
func codeFiles(m *model.Model, f *model.Function) []string {
	if f.Blast != nil && len(f.CodeFiles) > 0 {
		out := make([]string, 0, len(f.CodeFiles))
		for _, p := range f.CodeFiles {
			out = append(out, resolvePath(m, p))
		}
		return out
	}
	if f.Handler == "" && fnProps(f) != nil {
		f.Handler = str(get(fnProps(f), "Handler"))
	}
	dir := codeDir(m, f)
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
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			out = append(out, p)
			out = append(out, localRequires(p, 0, map[string]bool{p: true})...)
			break
		}
	}
	return out
}

var requireRe = regexp.MustCompile(`(?:require\(\s*['"](\.{1,2}/[^'"]+)['"]\s*\)|from\s+['"](\.{1,2}/[^'"]+)['"])`)

// localRequires follows relative requires/imports a few levels deep.
func localRequires(file string, depth int, seen map[string]bool) []string {
	if depth > 3 {
		return nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var out []string
	for _, mt := range requireRe.FindAllStringSubmatch(string(data), -1) {
		rel := mt[1] + mt[2]
		for _, ext := range []string{"", ".js", ".mjs", ".ts", "/index.js"} {
			p := filepath.Join(filepath.Dir(file), rel+ext)
			if st, err := os.Stat(p); err == nil && !st.IsDir() && !seen[p] {
				seen[p] = true
				out = append(out, p)
				out = append(out, localRequires(p, depth+1, seen)...)
				break
			}
		}
	}
	return out
}

func resolvePath(m *model.Model, p string) string {
	if filepath.IsAbs(p) || m.Parsed == nil {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return filepath.Join(m.Parsed.Dir, p)
}

func codeDir(m *model.Model, f *model.Function) string {
	uri := f.CodeURI
	if uri == "" {
		uri = str(get(fnProps(f), "CodeUri"))
	}
	if uri == "" || strings.HasPrefix(uri, "s3://") || m.Parsed == nil {
		return ""
	}
	return filepath.Join(m.Parsed.Dir, filepath.FromSlash(uri))
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
func codeLine(files []string, re *regexp.Regexp) (string, int, string) {
	for _, p := range files {
		data, err := os.ReadFile(p)
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
	Name string         // package or module name as in manifests/imports
	Use  *regexp.Regexp // a call that uses it dangerously (nil: importing it is enough)
}

var xmlParsers = []pkgUse{
	{"xml2js", nil}, {"libxmljs", nil}, {"libxmljs2", nil}, {"xmldom", nil}, {"@xmldom/xmldom", nil},
	{"fast-xml-parser", nil}, {"sax", nil}, {"xml-parser", nil}, {"xmlreader", nil}, {"node-expat", nil},
	{"lxml", nil}, {"xml.etree", regexp.MustCompile(`xml\.etree|ElementTree`)}, {"xml.dom.minidom", regexp.MustCompile(`minidom`)},
	{"xml.sax", regexp.MustCompile(`xml\.sax`)}, {"pyexpat", nil}, {"xmltodict", nil},
}

var deserialisers = []pkgUse{
	{"node-serialize", nil}, {"serialize-to-js", nil}, {"funcster", nil}, {"cryo", nil},
	{"js-yaml", regexp.MustCompile(`\.load\(`)},
	{"pickle", regexp.MustCompile(`pickle\.loads?\(`)}, {"cPickle", nil}, {"dill", nil}, {"jsonpickle", nil}, {"shelve", nil},
	{"marshal", regexp.MustCompile(`marshal\.loads?\(`)},
	{"PyYAML", regexp.MustCompile(`yaml\.(unsafe_)?load\((?:[^)]*Loader\s*=\s*yaml\.(?:Unsafe|Full)?Loader|[^,)]*\))`)},
	{"yaml", regexp.MustCompile(`yaml\.(unsafe_)?load\((?:[^)]*Loader\s*=\s*yaml\.(?:Unsafe|Full)?Loader|[^,)]*\))`)},
	{"java.io.ObjectInputStream", regexp.MustCompile(`ObjectInputStream`)},
}

// importRe matches an import of pkg in JavaScript or Python. The package
// lists are fixed, so each pattern is compiled once per process.
func importRe(pkg string) *regexp.Regexp {
	if re, ok := importRes.Load(pkg); ok {
		return re.(*regexp.Regexp)
	}
	q := regexp.QuoteMeta(pkg)
	re := regexp.MustCompile(`(?:require\(\s*['"]` + q + `['"]\s*\)|from\s+['"]` + q + `['"]|import\s+['"]` + q + `['"]|^\s*import\s+` + q + `\b|^\s*from\s+` + q + `\b)`)
	importRes.Store(pkg, re)
	return re
}

var importRes sync.Map // package name -> *regexp.Regexp

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
			files := codeFiles(c.Model, f)
			declared := map[string]bool{}
			for _, d := range manifestDeps(c, f) {
				declared[strings.ToLower(d)] = true
			}
			imported := map[string]bool{}
			if f.Blast != nil {
				for _, d := range f.ImportedDeps {
					imported[strings.ToLower(d)] = true
				}
			}
			for _, p := range list {
				name := strings.ToLower(p.Name)
				file, line, _ := codeLine(files, importRe(p.Name))
				if p.Use != nil {
					uf, ul, _ := codeLine(files, p.Use)
					if uf == "" {
						if !(imported[name] && file != "") {
							continue
						}
					} else {
						file, line = uf, ul
					}
				}
				if file == "" && !imported[name] && !(len(files) == 0 && declared[name]) {
					continue
				}
				ext, from := untrusted(c.Model, f)
				msg := fmt.Sprintf("%s "+verb, f.ID, p.Name)
				if ext {
					msg += fmt.Sprintf(" on input that arrives through %s", from)
				}
				if file == "" && len(files) == 0 {
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

var (
	httpCallRe  = regexp.MustCompile(`\bfetch\(|axios[.(]|https?\.(request|get)\(|\bgot\(|superagent|requests\.(get|post|put|delete|patch|request)\(|urllib\.request\.urlopen\(|urlopen\(|httpx\.(get|post|put|delete)\(`)
	timeoutWord = regexp.MustCompile(`(?i)timeout|AbortController|AbortSignal`)
)

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
		files := codeFiles(c.Model, f)
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil || len(data) > 2<<20 {
				continue
			}
			if !httpCallRe.Match(data) || timeoutWord.Match(data) {
				continue
			}
			file, line, _ := codeLine([]string{p}, httpCallRe)
			who := "an HTTP endpoint"
			if talks[f.ID] {
				who = "a third party"
			}
			hits = append(hits, Hit{Resource: f.ID, Key: "timeout",
				Message:  fmt.Sprintf("%s calls %s with no client timeout (%s:%d): a slow or hostile endpoint holds the function until Lambda kills it", f.ID, who, filepath.Base(file), line),
				Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}, {File: file, Line: line}}})
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
		file, line, snippet := codeLine(codeFiles(c.Model, f), sinkRe)
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
