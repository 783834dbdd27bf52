// Package osv matches dependencies against OSV advisories (https://osv.dev):
// offline from a folder of OSV JSON records (an export such as the per-ecosystem
// all.zip, unpacked), or online through the OSV API when the user asks for it.
// Nothing here touches the network unless Online is called.
package osv

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/samthreat/samthreat/internal/safefs"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Vuln is the part of an OSV record samthreat uses.
type Vuln struct {
	ID       string     `json:"id"`
	Summary  string     `json:"summary"`
	Aliases  []string   `json:"aliases"`
	Affected []Affected `json:"affected"`
}

// Affected is one affected package of an OSV record.
type Affected struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
	} `json:"package"`
	Ranges []struct {
		Type   string  `json:"type"`
		Events []Event `json:"events"`
	} `json:"ranges"`
	Versions []string `json:"versions"`
}

// Event is an OSV range event.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
}

// Match is one advisory affecting a dependency version.
type Match struct {
	ID, Summary, Fixed string
}

// Source answers "which advisories affect this package version?".
type Source interface {
	Lookup(ctx context.Context, ecosystem, name, version string) ([]Match, error)
}

// Dir is an offline source: every *.json below a folder, indexed by package.
type Dir struct {
	byPkg map[string][]*Vuln
}

func pkgKey(eco, name string) string {
	eco = strings.ToLower(eco)
	name = strings.ToLower(name)
	if eco == "pypi" {
		name = strings.NewReplacer("_", "-", ".", "-").Replace(name)
	}
	return eco + "|" + name
}

// LoadDir reads an OSV export folder. A file that is not an OSV record is an
// error naming the file, so a wrong folder is noticed.
func LoadDir(dir string) (*Dir, error) {
	d := &Dir{byPkg: map[string][]*Vuln{}}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || !strings.EqualFold(filepath.Ext(p), ".json") {
			return nil
		}
		data, err := safefs.ReadFile(p, safefs.Other)
		if err != nil {
			return err
		}
		var v Vuln
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("%s: not an OSV record: %w", p, err)
		}
		if v.ID == "" {
			return fmt.Errorf("%s: not an OSV record: no id", p)
		}
		d.add(&v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Dir) add(v *Vuln) {
	seen := map[string]bool{}
	for _, a := range v.Affected {
		k := pkgKey(a.Package.Ecosystem, a.Package.Name)
		if !seen[k] {
			seen[k] = true
			d.byPkg[k] = append(d.byPkg[k], v)
		}
	}
}

// Lookup implements Source.
func (d *Dir) Lookup(_ context.Context, eco, name, version string) ([]Match, error) {
	return matchAll(d.byPkg[pkgKey(eco, name)], eco, name, version), nil
}

func matchAll(vs []*Vuln, eco, name, version string) []Match {
	var out []Match
	for _, v := range vs {
		if ok, fixed := Affects(v, eco, name, version); ok {
			out = append(out, Match{ID: v.ID, Summary: v.Summary, Fixed: fixed})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Affects reports whether version of the package is affected by v, and the
// first fixed version of the matching range.
func Affects(v *Vuln, eco, name, version string) (bool, string) {
	for _, a := range v.Affected {
		if pkgKey(a.Package.Ecosystem, a.Package.Name) != pkgKey(eco, name) {
			continue
		}
		for _, x := range a.Versions {
			if x == version {
				return true, ""
			}
		}
		for _, r := range a.Ranges {
			if r.Type == "GIT" {
				continue
			}
			in, fixed := false, ""
			// Events are ordered by version; walk them as OSV specifies.
			for _, e := range r.Events {
				switch {
				case e.Introduced != "":
					if e.Introduced == "0" || Compare(version, e.Introduced) >= 0 {
						in = true
					}
				case e.Fixed != "":
					if Compare(version, e.Fixed) >= 0 {
						in = false
					} else if in {
						fixed = e.Fixed
						return true, fixed
					}
				case e.LastAffected != "":
					if Compare(version, e.LastAffected) > 0 {
						in = false
					} else if in {
						return true, ""
					}
				}
			}
			if in {
				return true, fixed
			}
		}
	}
	return false, ""
}

// Compare orders dotted versions (semver and PEP 440 enough for advisories):
// numeric parts numerically, a pre-release before its release.
func Compare(a, b string) int {
	split := func(s string) ([]string, string) {
		s = strings.TrimPrefix(strings.TrimSpace(s), "v")
		core, pre, _ := strings.Cut(s, "-")
		if i := strings.IndexAny(core, "abcr"); i > 0 && pre == "" { // PEP 440 1.0rc1
			core, pre = core[:i], core[i:]
		}
		core, _, _ = strings.Cut(core, "+")
		return strings.Split(core, "."), pre
	}
	ap, apre := split(a)
	bp, bpre := split(b)
	for i := 0; i < len(ap) || i < len(bp); i++ {
		var x, y string
		if i < len(ap) {
			x = ap[i]
		}
		if i < len(bp) {
			y = bp[i]
		}
		xi, xerr := strconv.Atoi(orZero(x))
		yi, yerr := strconv.Atoi(orZero(y))
		if xerr == nil && yerr == nil {
			if xi != yi {
				if xi < yi {
					return -1
				}
				return 1
			}
			continue
		}
		if c := strings.Compare(x, y); c != 0 {
			return c
		}
	}
	switch {
	case apre == bpre:
		return 0
	case apre == "":
		return 1
	case bpre == "":
		return -1
	}
	return strings.Compare(apre, bpre)
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// Online queries the OSV API (POST {Base}/v1/query). It is only used when the
// user turns it on; answers are cached for the run.
type Online struct {
	Base   string // https://api.osv.dev by default
	Client *http.Client

	mu    sync.Mutex
	cache map[string][]Match
}

// DefaultBase is the public OSV API.
const DefaultBase = "https://api.osv.dev"

// Lookup implements Source.
func (o *Online) Lookup(ctx context.Context, eco, name, version string) ([]Match, error) {
	k := pkgKey(eco, name) + "@" + version
	o.mu.Lock()
	if m, ok := o.cache[k]; ok {
		o.mu.Unlock()
		return m, nil
	}
	o.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"version": version, "package": map[string]string{"name": name, "ecosystem": eco}})
	base := o.Base
	if base == "" {
		base = DefaultBase
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/v1/query", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	cl := o.Client
	if cl == nil {
		cl = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := cl.Do(req)
	if err != nil {
		return nil, fmt.Errorf("osv query: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("osv query: %s", resp.Status)
	}
	var out struct {
		Vulns []*Vuln `json:"vulns"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 32<<20)).Decode(&out); err != nil {
		return nil, fmt.Errorf("osv query: %w", err)
	}
	ms := matchAll(out.Vulns, eco, name, version)
	// The API already filtered by version; keep records whose ranges we could not re-check.
	if len(ms) < len(out.Vulns) {
		have := map[string]bool{}
		for _, m := range ms {
			have[m.ID] = true
		}
		for _, v := range out.Vulns {
			if !have[v.ID] {
				ms = append(ms, Match{ID: v.ID, Summary: v.Summary})
			}
		}
		sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	}
	o.mu.Lock()
	if o.cache == nil {
		o.cache = map[string][]Match{}
	}
	o.cache[k] = ms
	o.mu.Unlock()
	return ms, nil
}
