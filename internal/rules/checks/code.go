package checks

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/safefs"
)

// Helpers for the rules that read a function's code and dependencies. The blast
// stage says which files and packages belong to a function; where it has not run
// (hand-built models) the handler file is found from CodeUri and Handler.

// codeFiles lists a function's code files (absolute or template-relative
// paths), once per evaluation.
func codeFiles(c *Context, f *model.Function) []string {
	if c.Shared == nil {
		return findCodeFiles(c, f)
	}
	c.Shared.mu.Lock()
	files, ok := c.Shared.files[f]
	c.Shared.mu.Unlock()
	if ok {
		return files
	}
	files = findCodeFiles(c, f)
	c.Shared.mu.Lock()
	if c.Shared.files == nil {
		c.Shared.files = map[*model.Function][]string{}
	}
	c.Shared.files[f] = files
	c.Shared.mu.Unlock()
	return files
}

func findCodeFiles(c *Context, f *model.Function) []string {
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

// filesOf is the FS a model's files are read through (confined to the
// project root); nil (no confinement, other guarantees kept) without a template.
func filesOf(c *Context) *safefs.FS {
	m := c.Model
	if m == nil || c.Template == nil {
		return nil
	}
	return c.Template.Files()
}
