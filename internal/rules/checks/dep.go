package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
)

// Dependency rules (SLS-DEP-*): risky XML parsers and deserialisers used on
// untrusted input, and dependencies with known vulnerabilities.

func init() {
	Register("SLS-DEP-001", depCheck(xmlParsers, "parses XML with %s"))
	Register("SLS-DEP-002", depCheck(deserialisers, "deserialises data with %s"))
	Register("SLS-DEP-003", checkKnownVulns)
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

// checkKnownVulns matches each function's dependencies against OSV advisories
// (an offline export folder, or the online API when the user turns it on).
func checkKnownVulns(c *Context) ([]Hit, error) {
	if c.Vulns == nil {
		return nil, nil
	}
	var hits []Hit
	for _, f := range c.Model.Functions {
		for _, d := range c.dependencies(f) {
			if d.Version == "" {
				continue
			}
			advs, err := c.Vulns(d)
			if err != nil {
				return nil, fmt.Errorf("%s: %s@%s: %w", f.ID, d.Name, d.Version, err)
			}
			for _, a := range advs {
				msg := fmt.Sprintf("%s ships %s %s (declared %q), affected by %s", f.ID, d.Name, d.Version, d.Declared, a.ID)
				if a.Summary != "" {
					msg += ": " + a.Summary
				}
				if a.Fixed != "" {
					msg += fmt.Sprintf(" (fixed in %s)", a.Fixed)
				}
				hits = append(hits, Hit{Resource: f.ID, Key: d.Name + "/" + a.ID, Message: msg,
					Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}, {File: d.File, Line: d.Line}}})
			}
		}
	}
	return hits, nil
}
