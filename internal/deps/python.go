package deps

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/samthreat/samthreat/internal/safefs"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

// PyName normalises a Python distribution name (PEP 503): lower case, runs
// of -, _ and . become one -.
func PyName(s string) string {
	return strings.Trim(pySep.ReplaceAllString(strings.ToLower(strings.TrimSpace(s)), "-"), "-")
}

var pySep = regexp.MustCompile(`[-_.]+`)

// pep508Name is the distribution name at the start of a PEP 508 requirement
// ("requests[socks]>=2; python_version<'3.8'" -> requests).
func pep508Name(req string) string {
	req = strings.TrimSpace(req)
	end := len(req)
	for i, r := range req {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			end = i
			break
		}
	}
	return PyName(req[:end])
}

// readRequirements: one requirement per line, following -r includes; a
// pinned file (pip freeze) already lists what is installed.
func readRequirements(fsys *safefs.FS, manifest string) (*Set, error) {
	s := &Set{Ecosystem: PyPI}
	seen := map[string]bool{}
	var read func(p string, depth int) error
	read = func(p string, depth int) error {
		if seen[p] || depth > 8 {
			return nil
		}
		seen[p] = true
		data, err := readFile(fsys, p, safefs.Manifest)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			l := sc.Text()
			if i := strings.Index(l, " #"); i >= 0 {
				l = l[:i]
			}
			l = strings.TrimSpace(l)
			switch {
			case l == "" || strings.HasPrefix(l, "#"):
			case strings.HasPrefix(l, "-r ") || strings.HasPrefix(l, "--requirement"):
				f := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(l, "-r"), "--requirement"), "="))
				if err := read(filepath.Join(filepath.Dir(p), f), depth+1); err != nil {
					return err
				}
			case strings.HasPrefix(l, "-e ") || strings.HasPrefix(l, "--editable"):
				if i := strings.Index(l, "#egg="); i >= 0 {
					s.Packages = append(s.Packages, Package{Name: pep508Name(l[i+5:]), Direct: true})
				}
			case strings.HasPrefix(l, "-"):
				// pip options (--index-url, -c constraints ...)
			case strings.Contains(l, "://"):
				if i := strings.Index(l, "#egg="); i >= 0 {
					s.Packages = append(s.Packages, Package{Name: pep508Name(l[i+5:]), Direct: true})
				} else if i := strings.Index(l, " @ "); i > 0 {
					s.Packages = append(s.Packages, Package{Name: pep508Name(l[:i]), Direct: true})
				}
			default:
				name := pep508Name(l)
				ver := ""
				if i := strings.Index(l, "=="); i >= 0 {
					ver = strings.TrimSpace(strings.SplitN(l[i+2:], ";", 2)[0])
				}
				s.Packages = append(s.Packages, Package{Name: name, Version: ver, Direct: true})
			}
		}
		return sc.Err()
	}
	if err := read(manifest, 0); err != nil {
		return nil, err
	}
	return s, nil
}

// readPipfile: [packages] (not [dev-packages]); Pipfile.lock's "default"
// section is the transitive set.
func readPipfile(fsys *safefs.FS, manifest string) (*Set, error) {
	var pf struct {
		Packages map[string]any `toml:"packages"`
	}
	if _, err := toml.DecodeFile(manifest, &pf); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	s := &Set{Ecosystem: PyPI}
	for n := range pf.Packages {
		s.Packages = append(s.Packages, Package{Name: PyName(n), Direct: true})
	}
	lock := filepath.Join(filepath.Dir(manifest), "Pipfile.lock")
	if isFile(fsys, lock) {
		data, err := readFile(fsys, lock, safefs.Lock)
		if err != nil {
			return nil, err
		}
		var l struct {
			Default map[string]struct {
				Version string `json:"version"`
			} `json:"default"`
		}
		if err := json.Unmarshal(data, &l); err != nil {
			return nil, fmt.Errorf("%s: %w", lock, err)
		}
		direct := map[string]bool{}
		for _, p := range s.Packages {
			direct[p.Name] = true
		}
		s.Packages = nil
		for n, e := range l.Default {
			s.Packages = append(s.Packages, Package{Name: PyName(n), Version: strings.TrimPrefix(e.Version, "=="), Direct: direct[PyName(n)]})
		}
		s.Lock, s.Transitive = lock, true
	}
	return s, nil
}

// readPyproject: PEP 621 [project].dependencies or Poetry's
// [tool.poetry.dependencies] (python itself excluded), transitive through
// poetry.lock.
func readPyproject(fsys *safefs.FS, manifest string) (*Set, error) {
	var pp struct {
		Project struct {
			Dependencies []string `toml:"dependencies"`
		} `toml:"project"`
		Tool struct {
			Poetry struct {
				Dependencies map[string]any `toml:"dependencies"`
			} `toml:"poetry"`
		} `toml:"tool"`
	}
	if _, err := toml.DecodeFile(manifest, &pp); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	s := &Set{Ecosystem: PyPI}
	var roots []string
	for _, d := range pp.Project.Dependencies {
		roots = append(roots, pep508Name(d))
	}
	for n := range pp.Tool.Poetry.Dependencies {
		if strings.EqualFold(n, "python") {
			continue
		}
		roots = append(roots, PyName(n))
	}
	for _, r := range roots {
		s.Packages = append(s.Packages, Package{Name: r, Direct: true})
	}
	for _, lockName := range []string{"poetry.lock", "uv.lock"} {
		lock := filepath.Join(filepath.Dir(manifest), lockName)
		if !isFile(fsys, lock) {
			continue
		}
		var l struct {
			Package []struct {
				Name         string `toml:"name"`
				Version      string `toml:"version"`
				Dependencies any    `toml:"dependencies"` // poetry: a table; uv: an array of {name}
			} `toml:"package"`
		}
		if _, err := toml.DecodeFile(lock, &l); err != nil {
			return nil, fmt.Errorf("%s: %w", lock, err)
		}
		g := newGraph()
		for _, p := range l.Package {
			n := PyName(p.Name)
			g.version[n] = p.Version
			switch d := p.Dependencies.(type) {
			case map[string]any:
				for k := range d {
					g.edges[n] = append(g.edges[n], k)
				}
			case []any:
				for _, e := range d {
					if m, ok := e.(map[string]any); ok {
						if k, ok := m["name"].(string); ok {
							g.edges[n] = append(g.edges[n], k)
						}
					}
				}
			}
		}
		s.Packages = g.closure(roots, PyName)
		s.Lock, s.Transitive, s.lockGraph = lock, true, g
		break
	}
	return s, nil
}
