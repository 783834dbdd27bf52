package deps

import (
	"bufio"
	"bytes"
	"github.com/samthreat/samthreat/internal/safefs"
	"path/filepath"
	"strings"
)

// readGemfile: the gem declarations outside development and test groups;
// transitive through Gemfile.lock's GEM specs. The Gemfile is Ruby; only
// its gem and group statements are read.
func readGemfile(fsys *safefs.FS, manifest string) (*Set, error) {
	data, err := readFile(fsys, manifest, safefs.Manifest)
	if err != nil {
		return nil, err
	}
	s := &Set{Ecosystem: RubyGems}
	var groups []bool // per open block: is it a dev/test group
	devDepth := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if i := strings.Index(l, " #"); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "group ") && strings.HasSuffix(l, " do"):
			dev := !strings.Contains(l, ":production") && (strings.Contains(l, ":development") || strings.Contains(l, ":test"))
			groups = append(groups, dev)
			if dev {
				devDepth++
			}
		case strings.HasSuffix(l, " do") || strings.HasSuffix(l, " do |"):
			groups = append(groups, false)
		case l == "end":
			if n := len(groups); n > 0 {
				if groups[n-1] {
					devDepth--
				}
				groups = groups[:n-1]
			}
		case strings.HasPrefix(l, "gem ") || strings.HasPrefix(l, "gem("):
			if devDepth > 0 || strings.Contains(l, "group: :development") || strings.Contains(l, "group: :test") {
				continue
			}
			rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(l, "gem"), "("))
			if rest == "" || (rest[0] != '\'' && rest[0] != '"') {
				continue
			}
			q := rest[0]
			if j := strings.IndexByte(rest[1:], q); j > 0 {
				s.Packages = append(s.Packages, Package{Name: rest[1 : j+1], Direct: true})
			}
		}
	}
	lock := filepath.Join(filepath.Dir(manifest), "Gemfile.lock")
	if isFile(fsys, lock) {
		ld, err := readFile(fsys, lock, safefs.Lock)
		if err != nil {
			return nil, err
		}
		g := gemLockGraph(ld)
		var roots []string
		for _, p := range s.Packages {
			roots = append(roots, p.Name)
		}
		s.Packages = g.closure(roots, nil)
		s.Lock, s.Transitive, s.lockGraph = lock, true, g
	}
	return s, sc.Err()
}

// gemLockGraph reads the specs of Gemfile.lock: "    name (version)" with
// its dependencies indented below it.
func gemLockGraph(data []byte) *graph {
	g := newGraph()
	cur := ""
	inSpecs := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == "specs:" {
			inSpecs = true
			continue
		}
		if l != "" && l[0] != ' ' {
			inSpecs = false
			continue
		}
		if !inSpecs {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		fields := strings.Fields(l)
		if len(fields) == 0 {
			continue
		}
		switch indent {
		case 4:
			cur = fields[0]
			if len(fields) > 1 {
				g.version[cur] = strings.Trim(fields[1], "()")
			}
		case 6:
			if cur != "" {
				g.edges[cur] = append(g.edges[cur], fields[0])
			}
		}
	}
	return g
}
