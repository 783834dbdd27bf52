package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// The code parsed measure.

var langExts = map[string][]string{
	"javascript": {".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx"},
	"python":     {".py"},
	"java":       {".java"},
	"go":         {".go"},
	"ruby":       {".rb"},
	"csharp":     {".cs"},
}

func runtimeLang(rt string) string {
	r := strings.ToLower(rt)
	for _, p := range []struct{ prefix, lang string }{{"nodejs", "javascript"}, {"python", "python"}, {"java", "java"},
		{"go", "go"}, {"ruby", "ruby"}, {"dotnet", "csharp"}} {
		if strings.HasPrefix(r, p.prefix) {
			return p.lang
		}
	}
	return ""
}

func codeParsed(m *model.Model, t *sam.Template, c *Count) {
	for _, f := range m.Functions {
		res := t.Resource(f.ID)
		if f.InlineCode || res == nil {
			continue
		}
		dir := ""
		lang := runtimeLang(f.Runtime)
		switch {
		case strings.EqualFold(f.PackageType, "Image"):
			ctx := t.Resolve(sam.Get(res.Metadata, "DockerContext")).Text
			if ctx == "" {
				continue
			}
			dir = filepath.Join(t.Dir, filepath.FromSlash(ctx))
			if lang == "" {
				lang = dominantLang(dir)
			}
		default:
			uri := f.CodeURI
			if uri == "" || strings.Contains(uri, "://") || strings.Contains(uri, "${") {
				continue
			}
			p := filepath.Join(t.Dir, filepath.FromSlash(uri))
			st, err := os.Stat(p)
			switch {
			case err == nil && st.IsDir():
				dir = p
			default:
				// a build artifact (or a missing one): the project folder it
				// comes from is CodeUri's first folder, else the template's.
				parts := strings.Split(strings.TrimPrefix(filepath.ToSlash(filepath.Clean(uri)), "./"), "/")
				dir = t.Dir
				if len(parts) > 1 && parts[0] != ".." && !isBuildDir(parts[0]) {
					dir = filepath.Join(t.Dir, parts[0])
				}
			}
			if lang == "" && hasLang(dir, "go") {
				lang = "go"
			}
		}
		if lang == "" || !hasLang(dir, lang) {
			continue
		}
		ok := f.Blast != nil && !f.Blast.ComplexityEstimated && len(f.Blast.CodeFiles) > 0
		note := ""
		if f.Blast != nil {
			note = f.Blast.CodeNote
		}
		rel, _ := filepath.Rel(t.Dir, dir)
		c.add(ok, fmt.Sprintf("%s (%s in %s): %s", f.ID, lang, filepath.ToSlash(rel), note))
	}
}

func isBuildDir(s string) bool {
	switch s {
	case "target", "build", "bin", "obj", "dist", ".aws-sam", "out":
		return true
	}
	return false
}

func skipDir(name string) bool {
	switch name {
	case "node_modules", ".aws-sam", ".git", "vendor", "target", "build", "bin", "obj", "dist", "__pycache__", ".venv", "venv", "cdk.out", "out":
		return true
	}
	return strings.HasPrefix(name, ".")
}

func walkExts(dir string, visit func(ext string) bool) {
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		n++
		if err != nil || n > 20000 {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !visit(strings.ToLower(filepath.Ext(p))) {
			return filepath.SkipAll
		}
		return nil
	})
}

func hasLang(dir, lang string) bool {
	found := false
	walkExts(dir, func(ext string) bool {
		for _, e := range langExts[lang] {
			if e == ext {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

func dominantLang(dir string) string {
	count := map[string]int{}
	walkExts(dir, func(ext string) bool {
		for l, es := range langExts {
			for _, e := range es {
				if e == ext {
					count[l]++
				}
			}
		}
		return true
	})
	best, n := "", 0
	for _, l := range sortedKeys(count) {
		if count[l] > n {
			best, n = l, count[l]
		}
	}
	return best
}
