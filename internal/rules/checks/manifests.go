package checks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/safefs"
)

// Dependency manifests and lock files of a function's code, read once per
// evaluation and shared by the rules.

// FunctionDependencies reads the manifest (or lock file) that ships with a
// function's code: package-lock.json, package.json, requirements.txt. Versions
// are the lowest the declaration admits; a lock file's exact versions win.
func FunctionDependencies(c *Context, f *model.Function) []Dependency {
	for _, dir := range manifestDirs(c, f) {
		if deps := dirDependencies(c, dir); len(deps) > 0 {
			return deps
		}
	}
	return nil
}

// dependencies is FunctionDependencies through the evaluation's cache:
// functions share folders, and several rules ask for the same function.
func (c *Context) dependencies(f *model.Function) []Dependency {
	if c.Shared == nil {
		return FunctionDependencies(c, f)
	}
	for _, dir := range manifestDirs(c, f) {
		deps, ok := c.Shared.deps[dir]
		if !ok {
			deps = dirDependencies(c, dir)
			c.Shared.deps[dir] = deps
		}
		if len(deps) > 0 {
			return deps
		}
	}
	return nil
}

// dirDependencies reads the first manifest found in a folder.
func dirDependencies(c *Context, dir string) []Dependency {
	if deps := readLock(c, filepath.Join(dir, "package-lock.json")); len(deps) > 0 {
		return deps
	}
	if deps := readPackageJSON(c, filepath.Join(dir, "package.json")); len(deps) > 0 {
		return deps
	}
	return readRequirements(c, filepath.Join(dir, "requirements.txt"))
}

// Shared is what the checks of one evaluation share (rules run one after
// the other, so no lock is needed).
type Shared struct {
	deps map[string][]Dependency
	mu   sync.Mutex
	uses map[string]*code.Uses // parsed code files (calls on imports)
	// flows of the event per code file and handler (code.EventFlows)
	flows map[string][]code.Flow
	// code files per function (codeFiles): every code rule asks, and finding
	// them tests paths through safefs, which resolves symlinks each time
	files map[*model.Function][]string
}

// NewShared makes the cache for one evaluation.
func NewShared() *Shared { return &Shared{deps: map[string][]Dependency{}} }

// manifestDirs: the blast stage's manifest folder first, then CodeUri and its
// parents up to the template's folder.
func manifestDirs(c *Context, f *model.Function) []string {
	var out []string
	if f.Blast != nil && f.Manifest != "" {
		out = append(out, filepath.Dir(resolvePath(c, f.Manifest)))
	}
	dir := codeDir(c, f)
	if dir == "" || c.Template == nil {
		return out
	}
	root := filepath.Clean(c.Template.Dir)
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		out = append(out, d)
		if d == root || !strings.HasPrefix(d, root) || d == filepath.Dir(d) {
			break
		}
	}
	return out
}

var lowestRe = regexp.MustCompile(`\d+(\.\d+){0,3}([-.+][0-9A-Za-z.-]+)?`)

// lowest turns a declared range (^1.2.3, ~1.2, >=2.0 <3, 1.x) into the lowest version it admits.
func lowest(decl string) string {
	decl = strings.TrimSpace(decl)
	if strings.ContainsAny(decl, "|") {
		decl = strings.TrimSpace(strings.Split(decl, "|")[0])
	}
	return lowestRe.FindString(decl)
}

func lineOf(data []byte, needle string) int {
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		return 1
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func readPackageJSON(c *Context, p string) []Dependency {
	data, err := filesOf(c).ReadFile(p, safefs.Manifest)
	if err != nil {
		return nil
	}
	var doc struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	var out []Dependency
	for name, decl := range doc.Dependencies {
		out = append(out, Dependency{Ecosystem: "npm", Name: name, Declared: decl, Version: lowest(decl), File: p, Line: lineOf(data, `"`+name+`"`)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func readLock(c *Context, p string) []Dependency {
	data, err := filesOf(c).ReadFile(p, safefs.Lock)
	if err != nil {
		return nil
	}
	var doc struct {
		Packages map[string]struct {
			Version string `json:"version"`
			Dev     bool   `json:"dev"`
		} `json:"packages"`
		Dependencies map[string]struct {
			Version string `json:"version"`
			Dev     bool   `json:"dev"`
		} `json:"dependencies"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	var out []Dependency
	for k, v := range doc.Packages {
		if k == "" || v.Dev {
			continue
		}
		name := k[strings.LastIndex(k, "node_modules/")+len("node_modules/"):]
		out = append(out, Dependency{Ecosystem: "npm", Name: name, Version: v.Version, Declared: v.Version, File: p, Line: lineOf(data, `"`+k+`"`)})
	}
	if len(out) == 0 {
		for name, v := range doc.Dependencies {
			if !v.Dev {
				out = append(out, Dependency{Ecosystem: "npm", Name: name, Version: v.Version, Declared: v.Version, File: p, Line: lineOf(data, `"`+name+`"`)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || out[i].Name == out[j].Name && out[i].Version < out[j].Version
	})
	return out
}

var reqRe = regexp.MustCompile(`^([A-Za-z0-9_.\-\[\]]+)\s*(==|>=|~=|===)?\s*([0-9][^\s;#,]*)?`)

func readRequirements(c *Context, p string) []Dependency {
	data, err := filesOf(c).ReadFile(p, safefs.Manifest)
	if err != nil {
		return nil
	}
	var out []Dependency
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "-") {
			continue
		}
		mt := reqRe.FindStringSubmatch(line)
		if mt == nil {
			continue
		}
		name := mt[1]
		if i := strings.Index(name, "["); i > 0 {
			name = name[:i]
		}
		out = append(out, Dependency{Ecosystem: "PyPI", Name: name, Declared: strings.TrimSpace(mt[2] + mt[3]), Version: mt[3], File: p, Line: n})
	}
	return out
}
