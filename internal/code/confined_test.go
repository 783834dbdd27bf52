package code

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/safefs"
)

// TestExistenceOutsideRootNotProbed: paths the template or the code name
// that lead outside the project root (a Handler with ../, a relative import,
// a symlink in the code folder) give the same result whether the file
// outside exists or not: existence is tested through safefs, never with a
// bare stat that would let the output reveal what lies outside.
func TestExistenceOutsideRootNotProbed(t *testing.T) {
	for _, tc := range []struct {
		name    string
		req     Request
		files   map[string]string // inside the root ("-> target": a symlink)
		outside string            // planted beside the root, relative to its parent
	}{
		{"python handler with ../", Request{CodeURI: "app/", Runtime: "python3.12", Handler: "../../secret/app.handler"},
			map[string]string{"app/other.py": "x = 1\n"}, "secret/app.py"},
		{"node relative import", Request{CodeURI: "app/", Runtime: "nodejs20.x", Handler: "index.handler"},
			map[string]string{"app/index.js": "const lib = require('../../secret/lib');\nexports.handler = async () => lib.run();\n"}, "secret/lib.js"},
		{"python relative import", Request{CodeURI: "app/", Runtime: "python3.12", Handler: "main.handler"},
			map[string]string{"app/main.py": "from ...secret import lib\n\ndef handler(e, c):\n    return lib.run()\n"}, "secret/lib.py"},
		{"symlink in the code folder", Request{CodeURI: "app/", Runtime: "python3.12", Handler: "link/app.handler"},
			map[string]string{"app/other.py": "x = 1\n", "app/link": "-> ../../secret"}, "secret/app.py"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var results [2]string
			for i, plant := range []bool{false, true} {
				parent := t.TempDir()
				root := filepath.Join(parent, "project")
				for rel, src := range tc.files {
					if target, ok := strings.CutPrefix(src, "-> "); ok {
						// Map order: the link's folder may not exist yet.
						if err := os.MkdirAll(filepath.Dir(filepath.Join(root, rel)), 0o755); err != nil {
							t.Fatal(err)
						}
						if err := os.Symlink(target, filepath.Join(root, rel)); err != nil {
							t.Fatal(err)
						}
						continue
					}
					write(t, filepath.Join(root, rel), src)
				}
				if plant {
					write(t, filepath.Join(parent, tc.outside), "def handler(e, c):\n    pass\n")
				}
				fsys, err := safefs.New(root)
				if err != nil {
					t.Fatal(err)
				}
				req := tc.req
				req.TemplateDir, req.FS = root, fsys
				r := New().Analyze(context.Background(), req)
				b, _ := json.Marshal(r)
				results[i] = strings.ReplaceAll(string(b), parent, "PARENT")
			}
			if results[0] != results[1] {
				t.Errorf("the result depends on a file outside the root:\n without %s\n with    %s", results[0], results[1])
			}
		})
	}
}

func write(t *testing.T, p, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
