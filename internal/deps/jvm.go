package deps

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"github.com/samthreat/samthreat/internal/safefs"
	"path/filepath"
	"strings"
)

// readPom: <dependencies> of pom.xml, without test, provided and system
// scopes (not deployed). Maven has no lock file: direct dependencies only.
func readPom(fsys *safefs.FS, manifest string) (*Set, error) {
	data, err := readFile(fsys, manifest, safefs.Manifest)
	if err != nil {
		return nil, err
	}
	var pom struct {
		Dependencies []struct {
			GroupID    string `xml:"groupId"`
			ArtifactID string `xml:"artifactId"`
			Version    string `xml:"version"`
			Scope      string `xml:"scope"`
		} `xml:"dependencies>dependency"`
	}
	if err := xml.Unmarshal(data, &pom); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	s := &Set{Ecosystem: Maven, Note: "Maven has no lock file: direct dependencies only"}
	for _, d := range pom.Dependencies {
		switch strings.TrimSpace(d.Scope) {
		case "test", "provided", "system":
			continue
		}
		s.Packages = append(s.Packages, Package{Name: strings.TrimSpace(d.GroupID) + ":" + strings.TrimSpace(d.ArtifactID), Version: strings.TrimSpace(d.Version), Direct: true})
	}
	return s, nil
}

// gradleConfigs are the configurations whose dependencies are deployed.
var gradleConfigs = map[string]bool{"implementation": true, "api": true, "compile": true, "runtimeOnly": true, "runtime": true}

// readGradle reads the dependency declarations of build.gradle(.kts)
// ("implementation 'g:a:v'", "implementation(\"g:a:v\")", "api group: 'g',
// name: 'a'"), and gradle.lockfile's runtimeClasspath entries when present.
// The build script is a program; only these declaration forms are read.
func readGradle(fsys *safefs.FS, manifest string) (*Set, error) {
	data, err := readFile(fsys, manifest, safefs.Manifest)
	if err != nil {
		return nil, err
	}
	s := &Set{Ecosystem: Maven}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		cfg := l
		if i := strings.IndexAny(l, " (\t"); i > 0 {
			cfg = l[:i]
		}
		if !gradleConfigs[cfg] {
			continue
		}
		rest := strings.TrimSpace(l[len(cfg):])
		rest = strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")")
		if strings.Contains(rest, "group:") || strings.Contains(rest, "group =") {
			g, n := gradleAttr(rest, "group"), gradleAttr(rest, "name")
			if g != "" && n != "" {
				s.Packages = append(s.Packages, Package{Name: g + ":" + n, Version: gradleAttr(rest, "version"), Direct: true})
			}
			continue
		}
		q := strings.Trim(strings.TrimSpace(rest), `"'`)
		parts := strings.Split(q, ":")
		if len(parts) >= 2 && !strings.ContainsAny(parts[0], " (){}") {
			v := ""
			if len(parts) > 2 {
				v = parts[2]
			}
			s.Packages = append(s.Packages, Package{Name: parts[0] + ":" + parts[1], Version: v, Direct: true})
		}
	}
	lock := filepath.Join(filepath.Dir(manifest), "gradle.lockfile")
	if isFile(fsys, lock) {
		ld, err := readFile(fsys, lock, safefs.Lock)
		if err != nil {
			return nil, err
		}
		direct := map[string]bool{}
		for _, p := range s.Packages {
			direct[p.Name] = true
		}
		var pk []Package
		for _, l := range strings.Split(string(ld), "\n") {
			l = strings.TrimSpace(l)
			coord, cfgs, ok := strings.Cut(l, "=")
			if !ok || strings.HasPrefix(l, "#") || !strings.Contains(cfgs, "runtimeClasspath") {
				continue
			}
			parts := strings.Split(coord, ":")
			if len(parts) >= 3 {
				pk = append(pk, Package{Name: parts[0] + ":" + parts[1], Version: parts[2], Direct: direct[parts[0]+":"+parts[1]]})
			}
		}
		s.Packages, s.Lock, s.Transitive = pk, lock, true
	}
	return s, sc.Err()
}

func gradleAttr(s, key string) string {
	for _, sep := range []string{key + ":", key + " ="} {
		if i := strings.Index(s, sep); i >= 0 {
			v := strings.TrimSpace(s[i+len(sep):])
			if v == "" {
				return ""
			}
			q := v[0]
			if q == '\'' || q == '"' {
				if j := strings.IndexByte(v[1:], q); j >= 0 {
					return v[1 : j+1]
				}
			}
		}
	}
	return ""
}
