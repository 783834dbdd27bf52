package deps

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"github.com/samthreat/samthreat/internal/safefs"
	"path/filepath"
)

// readCsproj: the project's PackageReference items; transitive through
// packages.lock.json when the project locks its restore.
func readCsproj(fsys *safefs.FS, manifest string) (*Set, error) {
	data, err := readFile(fsys, manifest, safefs.Manifest)
	if err != nil {
		return nil, err
	}
	var proj struct {
		ItemGroups []struct {
			Refs []struct {
				Include string `xml:"Include,attr"`
				Version string `xml:"Version,attr"`
			} `xml:"PackageReference"`
		} `xml:"ItemGroup"`
	}
	if err := xml.Unmarshal(data, &proj); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	s := &Set{Ecosystem: NuGet}
	for _, g := range proj.ItemGroups {
		for _, r := range g.Refs {
			if r.Include != "" {
				s.Packages = append(s.Packages, Package{Name: r.Include, Version: r.Version, Direct: true})
			}
		}
	}
	lock := filepath.Join(filepath.Dir(manifest), "packages.lock.json")
	if isFile(fsys, lock) {
		ld, err := readFile(fsys, lock, safefs.Lock)
		if err != nil {
			return nil, err
		}
		var l struct {
			Dependencies map[string]map[string]struct {
				Type     string `json:"type"`
				Resolved string `json:"resolved"`
			} `json:"dependencies"`
		}
		if err := json.Unmarshal(ld, &l); err != nil {
			return nil, fmt.Errorf("%s: %w", lock, err)
		}
		var pk []Package
		for _, fw := range l.Dependencies {
			for n, e := range fw {
				if e.Type == "Project" {
					continue
				}
				pk = append(pk, Package{Name: n, Version: e.Resolved, Direct: e.Type == "Direct"})
			}
		}
		s.Packages, s.Lock, s.Transitive = pk, lock, true
	}
	return s, nil
}
