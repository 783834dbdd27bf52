package report_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/samthreat/samthreat/app"
	"github.com/samthreat/samthreat/internal/cli"
	"github.com/samthreat/samthreat/internal/report"
	"github.com/samthreat/samthreat/internal/web"
)

// planted is the secret testdata/secrets holds in an environment variable
// (two functions), a parameter default with and without NoEcho, a database
// password and the handler's code.
const planted = "Pl4ntedS3cretQz7Vv9Lm2Xw8Kd5"

// leaks fails the test when out holds the planted secret, or a long piece
// of it (a secret cut by wrapping or clipping is still a leak).
func leaks(t *testing.T, what, out string) {
	t.Helper()
	squashed := strings.Join(strings.Fields(out), "")
	for _, s := range []string{planted, planted[:12], planted[len(planted)-12:]} {
		if strings.Contains(out, s) || strings.Contains(squashed, s) {
			i := strings.Index(squashed, s)
			lo, hi := max(0, i-60), min(len(squashed), i+len(s)+20)
			t.Errorf("%s shows the secret (%q): ...%s...", what, s, squashed[lo:hi])
			return
		}
	}
}

func fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src, _ := filepath.Abs("testdata/secrets")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "template.yaml")
}

// TestNoSecretInAnyOutput plants a distinctive secret and searches every
// output for it: the CLI's text, JSON and SARIF, compare and graph, the
// Markdown, HTML and PDF reports, and every API answer the workbench UI
// asks for, through the HTTP server (which serves the same methods as the
// desktop bindings), the first page's inlined answers and downloads
// included.
func TestNoSecretInAnyOutput(t *testing.T) {
	tmpl := fixture(t)
	if b, _ := os.ReadFile(tmpl); !bytes.Contains(b, []byte(planted)) {
		t.Fatal("the fixture lost its planted secret")
	}
	out := t.TempDir()

	t.Run("cli", func(t *testing.T) {
		runs := [][]string{
			{"analyze", tmpl},
			{"analyze", "--format", "json", tmpl},
			{"analyze", "--format", "sarif", tmpl},
			{"compare", tmpl, tmpl},
			{"compare", "--format", "json", tmpl, "--merge", "ParseUpload,ListUploads"},
			{"graph", "--format", "dot", tmpl},
			{"graph", "--format", "svg", tmpl},
			{"report", tmpl, "--md", filepath.Join(out, "r.md"), "--html", filepath.Join(out, "r.html"), "--pdf", filepath.Join(out, "r.pdf")},
		}
		for _, args := range runs {
			var stdout, stderr bytes.Buffer
			if code := cli.Run(args, &stdout, &stderr); code > 1 {
				t.Fatalf("samthreat %v: exit %d: %s", args, code, stderr.String())
			}
			leaks(t, "samthreat "+strings.Join(args[:2], " ")+" stdout", stdout.String())
			leaks(t, "samthreat "+strings.Join(args[:2], " ")+" stderr", stderr.String())
		}
		for _, f := range []string{"r.md", "r.html", "r-diagram.svg"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			leaks(t, f, string(b))
		}
		pdf, err := os.ReadFile(filepath.Join(out, "r.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		leaks(t, "PDF text", report.PDFText(t, pdf))
	})

	t.Run("workbench API", func(t *testing.T) {
		dir := t.TempDir()
		wb, err := app.New(app.Config{Workspace: filepath.Join(dir, "ws.db"), NoExample: true, Version: "test",
			ExportDir: filepath.Join(dir, "out")})
		if err != nil {
			t.Fatal(err)
		}
		defer app.Shutdown(wb)
		h, err := web.NewHandler(web.Options{Addr: "127.0.0.1:8080", Workbench: wb,
			Assets: fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>t</title>")}}}, wb)
		if err != nil {
			t.Fatal(err)
		}
		call := func(method string, args ...any) json.RawMessage {
			t.Helper()
			body, _ := json.Marshal(args)
			if args == nil {
				body = []byte("[]")
			}
			rec := do(h, http.MethodPost, "/api/Workbench/"+method, body)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", method, rec.Code, rec.Body)
			}
			leaks(t, method, rec.Body.String())
			var env struct {
				Result json.RawMessage `json:"result"`
			}
			_ = json.Unmarshal(rec.Body.Bytes(), &env)
			return env.Result
		}
		var imp struct {
			Imported []struct {
				Revision struct {
					ID int64 `json:"id"`
				} `json:"revision"`
				Project struct {
					ID int64 `json:"id"`
				} `json:"project"`
			} `json:"imported"`
		}
		if err := json.Unmarshal(call("ImportPath", tmpl), &imp); err != nil || len(imp.Imported) == 0 {
			t.Fatalf("import: %v %+v", err, imp)
		}
		rev, proj := imp.Imported[0].Revision.ID, imp.Imported[0].Project.ID
		call("Status")
		call("ListProjects")
		call("Revisions", proj)
		call("RecentFiles")
		call("Template", rev)
		var m struct {
			Findings []struct {
				Fingerprint string `json:"fingerprint"`
				Evidence    []struct {
					File      string `json:"file"`
					Sensitive bool   `json:"sensitive"`
				} `json:"evidence"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(call("Analysis", rev), &m); err != nil {
			t.Fatal(err)
		}
		files, sensitive := map[string]bool{}, 0
		for _, f := range m.Findings {
			for _, e := range f.Evidence {
				if e.Sensitive {
					sensitive++
				}
				if filepath.Base(e.File) != "template.yaml" {
					files[e.File] = true
				}
			}
		}
		if sensitive == 0 {
			t.Error("no evidence is marked sensitive")
		}
		if len(files) == 0 {
			t.Error("no finding cites a code file: the fixture no longer exercises SourceFile")
		}
		for f := range files {
			call("SourceFile", rev, f)
		}
		call("Diagram", rev, "", "")
		call("Diagram", rev, "ParseUpload", "")
		call("Triage", proj)
		call("SetTriage", proj, m.Findings[0].Fingerprint, "accepted", "reviewed", "me")
		call("TriageHistory", proj, m.Findings[0].Fingerprint)
		call("Compare", rev, rev)
		call("CompareMonolith", rev)
		call("CompareMerge", rev, []string{"ParseUpload", "ListUploads"})
		for _, format := range app.FormatNames() {
			rec := do(h, http.MethodGet, "/api/export?rev="+strconv.FormatInt(rev, 10)+"&format="+format, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("export %s: %d %s", format, rec.Code, rec.Body)
			}
			body := rec.Body.String()
			if format == "pdf" {
				body = report.PDFText(t, rec.Body.Bytes())
			}
			leaks(t, "export "+format, body)
		}
		rec := do(h, http.MethodGet, "/", nil)
		leaks(t, "index.html with its inlined answers", rec.Body.String())
	})
}

func do(h http.Handler, method, path string, body []byte) *httptest.ResponseRecorder {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Host = "127.0.0.1:8080"
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
