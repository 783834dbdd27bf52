package deps

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/samthreat/samthreat/internal/safefs"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// readNPM: package.json's dependencies (not devDependencies), transitive
// through package-lock.json (v1, v2, v3) or yarn.lock (classic or berry).
func readNPM(fsys *safefs.FS, manifest string) (*Set, error) {
	data, err := readFile(fsys, manifest, safefs.Manifest)
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Dependencies         map[string]string `json:"dependencies"`
		OptionalDependencies map[string]string `json:"optionalDependencies"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	var roots []string
	s := &Set{Ecosystem: NPM}
	for n, v := range pkg.Dependencies {
		roots = append(roots, n)
		s.Packages = append(s.Packages, Package{Name: n, Version: v, Direct: true})
	}
	for n, v := range pkg.OptionalDependencies {
		roots = append(roots, n)
		s.Packages = append(s.Packages, Package{Name: n, Version: v, Direct: true})
	}
	dir := filepath.Dir(manifest)
	for _, lock := range []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock"} {
		p := filepath.Join(dir, lock)
		if !isFile(fsys, p) {
			continue
		}
		ldata, err := readFile(fsys, p, safefs.Lock)
		if err != nil {
			return nil, err
		}
		var g *graph
		if lock == "yarn.lock" {
			g, err = yarnGraph(ldata)
		} else {
			g, err = npmLockGraph(ldata)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		s.Lock, s.Transitive, s.lockGraph = p, true, g
		s.Packages = g.closure(roots, nil)
		break
	}
	return s, nil
}

// npmLockGraph reads package-lock.json: v2/v3 "packages" (keyed by
// node_modules path) or v1 "dependencies" (nested). Names are flattened: a
// package nested under another is the same package for counting.
func npmLockGraph(data []byte) (*graph, error) {
	var lock struct {
		Packages map[string]struct {
			Name         string            `json:"name"`
			Version      string            `json:"version"`
			Dependencies map[string]string `json:"dependencies"`
			Optional     map[string]string `json:"optionalDependencies"`
		} `json:"packages"`
		Dependencies map[string]json.RawMessage `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, err
	}
	g := newGraph()
	if len(lock.Packages) > 0 {
		for path, p := range lock.Packages {
			if path == "" {
				continue
			}
			i := strings.LastIndex(path, "node_modules/")
			if i < 0 {
				continue // workspace folders
			}
			name := path[i+len("node_modules/"):]
			if _, ok := g.version[name]; !ok {
				g.version[name] = p.Version
			}
			for d := range p.Dependencies {
				g.edges[name] = append(g.edges[name], d)
			}
			for d := range p.Optional {
				g.edges[name] = append(g.edges[name], d)
			}
		}
		return g, nil
	}
	var v1 func(deps map[string]json.RawMessage, depth int) error
	v1 = func(deps map[string]json.RawMessage, depth int) error {
		if depth > 64 {
			return fmt.Errorf("dependencies nested more than 64 levels")
		}
		for name, raw := range deps {
			var e struct {
				Version      string                     `json:"version"`
				Requires     map[string]string          `json:"requires"`
				Dependencies map[string]json.RawMessage `json:"dependencies"`
			}
			if err := json.Unmarshal(raw, &e); err != nil {
				return err
			}
			if _, ok := g.version[name]; !ok {
				g.version[name] = e.Version
			}
			for d := range e.Requires {
				g.edges[name] = append(g.edges[name], d)
			}
			if err := v1(e.Dependencies, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return g, v1(lock.Dependencies, 0)
}

// yarnGraph reads yarn.lock: classic (v1, its own indented format) or berry
// (YAML).
func yarnGraph(data []byte) (*graph, error) {
	if bytes.Contains(data, []byte("\n__metadata:")) {
		return berryGraph(data)
	}
	g := newGraph()
	var names []string
	inDeps := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		t := strings.TrimSpace(l)
		switch {
		case indent == 0 && strings.HasSuffix(t, ":"):
			names = names[:0]
			for _, spec := range strings.Split(strings.TrimSuffix(t, ":"), ",") {
				if n := specName(strings.Trim(strings.TrimSpace(spec), `"`)); n != "" {
					names = append(names, n)
				}
			}
			inDeps = false
		case indent == 2 && strings.HasPrefix(t, "version "):
			for _, n := range names {
				g.version[n] = strings.Trim(strings.TrimPrefix(t, "version "), `"`)
			}
		case indent == 2:
			inDeps = t == "dependencies:" || t == "optionalDependencies:"
		case indent >= 4 && inDeps:
			dep := strings.Trim(strings.Fields(t)[0], `"`)
			for _, n := range names {
				g.edges[n] = append(g.edges[n], dep)
			}
		}
	}
	return g, sc.Err()
}

// specName: "@scope/name@^1.0.0" -> "@scope/name"; "name@npm:1.0" -> "name".
func specName(spec string) string {
	at := strings.LastIndex(spec, "@")
	if at <= 0 {
		return spec
	}
	return spec[:at]
}

func berryGraph(data []byte) (*graph, error) {
	var doc map[string]struct {
		Version      string            `yaml:"version"`
		Dependencies map[string]string `yaml:"dependencies"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	g := newGraph()
	for key, e := range doc {
		if key == "__metadata" {
			continue
		}
		for _, spec := range strings.Split(key, ",") {
			spec = strings.TrimSpace(spec)
			n := specName(spec)
			if strings.Contains(spec, "@workspace:") || n == "" {
				continue
			}
			g.version[n] = e.Version
			for d := range e.Dependencies {
				g.edges[n] = append(g.edges[n], d)
			}
		}
	}
	return g, nil
}
