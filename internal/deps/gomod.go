package deps

import (
	"fmt"
	"github.com/samthreat/samthreat/internal/safefs"
	"path/filepath"

	"golang.org/x/mod/modfile"
)

// readGoMod: go.mod's requirements. Without go.sum only the direct ones
// (not marked // indirect) are known to ship; with go.sum, every requirement
// go.mod lists (since Go 1.17 go.mod names every module the build needs).
func readGoMod(fsys *safefs.FS, manifest string) (*Set, error) {
	data, err := readFile(fsys, manifest, safefs.Manifest)
	if err != nil {
		return nil, err
	}
	f, err := modfile.ParseLax(manifest, data, nil)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	s := &Set{Ecosystem: GoMod}
	sum := filepath.Join(filepath.Dir(manifest), "go.sum")
	if isFile(fsys, sum) {
		s.Lock, s.Transitive = sum, true
	}
	for _, r := range f.Require {
		if r.Indirect && !s.Transitive {
			continue
		}
		s.Packages = append(s.Packages, Package{Name: r.Mod.Path, Version: r.Mod.Version, Direct: !r.Indirect})
	}
	return s, nil
}

// GoModulePath is the module path a go.mod declares ("" when unreadable).
func GoModulePath(gomod string) string { return GoModulePathFS(nil, gomod) }

// GoModulePathFS is GoModulePath reading through fsys (confined).
func GoModulePathFS(fsys *safefs.FS, gomod string) string {
	data, err := readFile(fsys, gomod, safefs.Manifest)
	if err != nil {
		return ""
	}
	return modfile.ModulePath(data)
}
