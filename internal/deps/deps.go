// Package deps reads the dependency manifest that governs a function's code
// (package.json, requirements.txt, Pipfile, pyproject.toml, go.mod, pom.xml,
// build.gradle, Gemfile, .csproj) and, when a lock file sits beside it
// (package-lock.json, yarn.lock, Pipfile.lock, poetry.lock, go.sum,
// Gemfile.lock, gradle.lockfile, packages.lock.json), the transitive set of
// packages deployed with it. Development-only dependencies are left out: they
// are not deployed.
package deps

import (
	"fmt"
	"github.com/samthreat/samthreat/internal/safefs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Ecosystems.
const (
	NPM      = "npm"
	PyPI     = "pypi"
	GoMod    = "go"
	Maven    = "maven"
	RubyGems = "rubygems"
	NuGet    = "nuget"
)

// Package is one third-party package deployed with a function.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Direct  bool   `json:"direct"`
}

// Set is the dependencies of one function's code.
type Set struct {
	Ecosystem  string    `json:"ecosystem"`
	Manifest   string    `json:"manifest"`       // path of the manifest read
	Lock       string    `json:"lock,omitempty"` // path of the lock file read
	Transitive bool      `json:"transitive"`     // from a lock file
	Packages   []Package `json:"packages"`       // sorted by name
	Note       string    `json:"note,omitempty"`

	lockGraph *graph // the lock's graph, to narrow a bundled function's packages
}

// Names lists the packages' names (sorted).
func (s *Set) Names() []string {
	if s == nil {
		return nil
	}
	out := make([]string, 0, len(s.Packages))
	for _, p := range s.Packages {
		out = append(out, p.Name)
	}
	return out
}

// Options say whose dependencies to find.
type Options struct {
	Language string // javascript, typescript, python, go, java, ruby, csharp (internal/code's names)
	// From is the folder of the handler module; the manifest is searched from
	// there up to Stop (the template's folder), nearest first.
	From string
	Stop string
	// Bundled: the function is bundled (BuildMethod esbuild): only the
	// packages the code imports ship (with what they need, when a lock says).
	Bundled bool
	// Imports are the third-party packages the code imports (internal/code).
	Imports []string
	// FS confines what is read to the project root (nil: no confinement,
	// other guarantees kept: regular files only, size caps).
	FS *safefs.FS
}

// manifestNames per language, in order of preference in one folder.
var manifestNames = map[string][]string{
	"javascript": {"package.json"},
	"typescript": {"package.json"},
	"python":     {"requirements.txt", "Pipfile", "pyproject.toml"},
	"go":         {"go.mod"},
	"java":       {"pom.xml", "build.gradle", "build.gradle.kts"},
	"ruby":       {"Gemfile"},
	"csharp":     {"*.csproj"},
}

// Find locates and reads the manifest governing the code; nil when there is
// none (the caller counts the runtime alone).
func Find(opts Options) (*Set, error) {
	names := manifestNames[opts.Language]
	if len(names) == 0 || opts.From == "" {
		return nil, nil
	}
	stop := filepath.Clean(opts.Stop)
	fsys := opts.FS
	for dir := filepath.Clean(opts.From); ; dir = filepath.Dir(dir) {
		if fsys.Confined() && !fsys.Contains(dir) {
			break // never look above the project root
		}
		for _, n := range names {
			p := filepath.Join(dir, n)
			if strings.Contains(n, "*") {
				m, _ := filepath.Glob(p)
				if len(m) == 0 {
					continue
				}
				sort.Strings(m)
				p = m[0]
			}
			if !isFile(fsys, p) {
				if _, err := os.Lstat(p); err == nil {
					// There, but not readable as a manifest (outside the
					// root, a FIFO, a device): say so instead of counting
					// the runtime alone in silence.
					if _, err := fsys.ReadFile(p, safefs.Manifest); err != nil {
						return nil, err
					}
				}
				continue
			}
			s, err := ReadFS(fsys, p)
			if err != nil {
				return nil, err
			}
			if opts.Bundled {
				s = s.bundled(opts.Imports)
			}
			return s, nil
		}
		if dir == stop || stop == "." || !within(dir, stop) || dir == filepath.Dir(dir) {
			break
		}
	}
	return nil, nil
}

// Read reads one manifest (and the lock file beside it, if any).
func Read(manifest string) (*Set, error) { return ReadFS(nil, manifest) }

// ReadFS is Read through fsys: confined to its root, regular files only,
// within the size caps and the analysis's budget.
func ReadFS(fsys *safefs.FS, manifest string) (*Set, error) {
	base := filepath.Base(manifest)
	var s *Set
	var err error
	switch {
	case base == "package.json":
		s, err = readNPM(fsys, manifest)
	case base == "requirements.txt":
		s, err = readRequirements(fsys, manifest)
	case base == "Pipfile":
		s, err = readPipfile(fsys, manifest)
	case base == "pyproject.toml":
		s, err = readPyproject(fsys, manifest)
	case base == "go.mod":
		s, err = readGoMod(fsys, manifest)
	case base == "pom.xml":
		s, err = readPom(fsys, manifest)
	case strings.HasPrefix(base, "build.gradle"):
		s, err = readGradle(fsys, manifest)
	case base == "Gemfile":
		s, err = readGemfile(fsys, manifest)
	case strings.HasSuffix(base, ".csproj"):
		s, err = readCsproj(fsys, manifest)
	default:
		return nil, fmt.Errorf("%s: not a dependency manifest samthreat reads", manifest)
	}
	if err != nil {
		return nil, err
	}
	s.Manifest = manifest
	s.sort()
	return s, nil
}

func (s *Set) sort() {
	seen := map[string]int{}
	var out []Package
	for _, p := range s.Packages {
		if p.Name == "" {
			continue
		}
		if i, ok := seen[p.Name]; ok {
			out[i].Direct = out[i].Direct || p.Direct
			continue
		}
		seen[p.Name] = len(out)
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	s.Packages = out
}

// graph is a lock file's dependency graph, for the transitive closure of a
// set of roots.
type graph struct {
	version map[string]string
	edges   map[string][]string
}

func newGraph() *graph { return &graph{version: map[string]string{}, edges: map[string][]string{}} }

// closure walks from roots; roots the lock does not know are kept as direct.
func (g *graph) closure(roots []string, norm func(string) string) []Package {
	if norm == nil {
		norm = func(s string) string { return s }
	}
	direct := map[string]bool{}
	var out []Package
	seen := map[string]bool{}
	queue := []string{}
	for _, r := range roots {
		direct[norm(r)] = true
		queue = append(queue, norm(r))
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, Package{Name: n, Version: g.version[n], Direct: direct[n]})
		for _, d := range g.edges[n] {
			queue = append(queue, norm(d))
		}
	}
	return out
}

// bundled keeps only the imported packages (and, with a lock, what they need).
func (s *Set) bundled(imports []string) *Set {
	keep := map[string]bool{}
	for _, i := range imports {
		keep[i] = true
	}
	out := &Set{Ecosystem: s.Ecosystem, Manifest: s.Manifest, Lock: s.Lock, Transitive: s.Transitive,
		Note: "bundled: only the packages the code imports"}
	if s.lockGraph != nil {
		out.Packages = s.lockGraph.closure(imports, nil)
	} else {
		for _, p := range s.Packages {
			if keep[p.Name] {
				out.Packages = append(out.Packages, p)
			}
		}
	}
	out.sort()
	return out
}

func isFile(fsys *safefs.FS, p string) bool {
	return fsys.IsFile(p)
}

func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func readFile(fsys *safefs.FS, p string, k safefs.Kind) ([]byte, error) {
	return fsys.ReadFile(p, k)
}
