package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/store"
)

func newTestWorkbench(t *testing.T, cfg Config) *Workbench {
	t.Helper()
	dir := t.TempDir()
	if cfg.Workspace == "" {
		cfg.Workspace = filepath.Join(dir, "workspace.db")
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(dir, "cache")
	}
	if cfg.ExportDir == "" {
		cfg.ExportDir = filepath.Join(dir, "exports")
	}
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Shutdown(w) })
	return w
}

// exampleCopy extracts the bundled example to a temp folder (with its code)
// and returns the folder holding the templates.
func exampleCopy(t *testing.T) string {
	t.Helper()
	p, err := catalogs.ExtractExamples(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(p)
}

func functionIDs(m *model.Model) []string {
	var ids []string
	for _, f := range m.Functions {
		ids = append(ids, f.ID)
	}
	sort.Strings(ids)
	return ids
}

func TestFirstRunImportsExample(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Workspace: filepath.Join(dir, "ws.db"), CacheDir: filepath.Join(dir, "cache"), Version: "test"}
	w := newTestWorkbench(t, cfg)
	s, err := w.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !s.ExampleLoaded || s.Projects != 3 || s.ExampleRevisionID == 0 || s.Mode != "web" || s.Workspace != cfg.Workspace {
		t.Fatalf("status = %+v", s)
	}
	for _, v := range []string{"template-least-privilege.yaml", "template-monolith.yaml"} {
		if s.ExampleVariants[v] == 0 {
			t.Errorf("variant %s missing: %v", v, s.ExampleVariants)
		}
	}
	m, err := w.Analysis(s.ExampleRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	ids := strings.Join(functionIDs(m), ",")
	for _, want := range []string{"publishToIoT", "getActivity", "parseGPX"} {
		if !strings.Contains(ids, want) {
			t.Errorf("function %s missing from the example (%s)", want, ids)
		}
	}
	if m.Summary.CodeFound == 0 {
		t.Error("the example was analysed without its code")
	}
	if len(m.Findings) == 0 {
		t.Fatal("the example has no findings")
	}
	for _, f := range m.Findings {
		if f.Triage == nil || f.Triage.Status != store.StatusOpen {
			t.Fatalf("finding %s triage = %+v, want open", f.Fingerprint, f.Triage)
		}
	}
	ps, _ := w.ListProjects()
	for _, p := range ps {
		if p.Latest == nil || p.Latest.Figures == nil || p.Latest.Figures.Functions == 0 {
			t.Errorf("project %s: latest revision without figures: %+v", p.Name, p.Latest)
		}
	}
	// Opening the workspace again imports nothing more, even with the
	// example's cache folder removed (it is re-extracted when analysed).
	Shutdown(w)
	if err := os.RemoveAll(cfg.CacheDir); err != nil {
		t.Fatal(err)
	}
	w2 := newTestWorkbench(t, cfg)
	ps, _ = w2.ListProjects()
	for _, p := range ps {
		if p.Revisions != 1 {
			t.Errorf("project %s has %d revisions after reopening", p.Name, p.Revisions)
		}
	}
	m2, err := w2.Analysis(s.ExampleRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Summary.CodeFound != m.Summary.CodeFound {
		t.Errorf("code found %d after the cache was cleaned, want %d", m2.Summary.CodeFound, m.Summary.CodeFound)
	}
	// A user who deleted the example does not get it back.
	if err := w2.DeleteProject(ps[0].ID); err != nil {
		t.Fatal(err)
	}
	Shutdown(w2)
	w3 := newTestWorkbench(t, cfg)
	if s3, _ := w3.Status(); s3.Projects != 2 {
		t.Errorf("%d projects after deleting one and reopening, want 2", s3.Projects)
	}
}

func TestNoExample(t *testing.T) {
	w := newTestWorkbench(t, Config{NoExample: true})
	s, err := w.Status()
	if err != nil {
		t.Fatal(err)
	}
	if s.ExampleLoaded || s.Projects != 0 || s.ExampleRevisionID != 0 {
		t.Errorf("status = %+v", s)
	}
	ps, err := w.ListProjects()
	if err != nil || ps == nil || len(ps) != 0 {
		t.Errorf("projects = %#v, %v (want an empty list, not null)", ps, err)
	}
}

func TestImportPathFileReimportAndChange(t *testing.T) {
	w := newTestWorkbench(t, Config{NoExample: true})
	dir := exampleCopy(t)
	tmpl := filepath.Join(dir, "template.yaml")
	first, err := w.ImportPath(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Imported) != 1 || !first.Imported[0].Created || first.Imported[0].Revision.Seq != 1 {
		t.Fatalf("first import = %+v", first)
	}
	r1 := first.Imported[0].Revision
	if r1.SourcePath != tmpl || r1.FileName != "template.yaml" || first.Imported[0].Project.Name != "freshtracks/template.yaml" {
		t.Errorf("revision = %+v, project %q", r1, first.Imported[0].Project.Name)
	}
	again, err := w.ImportPath(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if again.Imported[0].Created || again.Imported[0].Revision.ID != r1.ID {
		t.Errorf("unchanged re-import created %+v", again.Imported[0])
	}
	data, _ := os.ReadFile(tmpl)
	if err := os.WriteFile(tmpl, append(data, []byte("\n# reviewed\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := w.ImportPath(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	c := changed.Imported[0]
	if !c.Created || c.Revision.Seq != 2 || c.Project.ID != r1.ProjectID || c.Project.Revisions != 2 {
		t.Errorf("changed import = %+v", c)
	}
	revs, _ := w.Revisions(r1.ProjectID)
	if len(revs) != 2 || revs[0].Seq != 2 {
		t.Errorf("revisions = %+v", revs)
	}
	// Template is the stored text with its secrets masked, line for line.
	text, _ := w.Template(r1.ID)
	if strings.Contains(text, "# reviewed") || strings.Count(text, "\n") != strings.Count(string(data), "\n") {
		t.Error("revision 1's stored text changed")
	}
	if strings.Contains(text, "x9F2kq7TzL0pW4mN8vB1cR6yH3dS5aQe") || !strings.Contains(text, "ZENDESK_API_TOKEN: ****** (masked)") {
		t.Error("Template does not mask the example's Zendesk token")
	}
	recent, _ := w.RecentFiles()
	if len(recent) != 1 || recent[0].Path != tmpl || recent[0].Kind != "file" || !recent[0].Exists {
		t.Errorf("recent = %+v", recent)
	}
}

func TestImportFolderWithBrokenTemplate(t *testing.T) {
	w := newTestWorkbench(t, Config{NoExample: true})
	dir := exampleCopy(t)
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [unclosed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := w.ImportPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Imported) != 3 {
		t.Errorf("%d templates imported, want 3", len(res.Imported))
	}
	if len(res.Errors) != 1 || res.Errors[0].Path != broken || !strings.HasPrefix(res.Errors[0].Error, broken+":") {
		t.Fatalf("errors = %+v, want one for %s with file:line", res.Errors, broken)
	}
	// The same file alone fails the call with the same one-line message.
	_, err = w.ImportPath(broken)
	if err == nil || err.Error() != res.Errors[0].Error || strings.Contains(err.Error(), "\n") {
		t.Errorf("single import error = %v", err)
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.yaml"), "no such file"},
		{t.TempDir(), "no SAM or CloudFormation templates found"},
		{"", "no path given"},
	} {
		if _, err := w.ImportPath(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ImportPath(%q) = %v, want %q", c.path, err, c.want)
		}
	}
}

func TestImportText(t *testing.T) {
	w := newTestWorkbench(t, Config{NoExample: true})
	data, err := os.ReadFile(filepath.Join(exampleCopy(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.ImportText("../../etc/template.yaml", string(data))
	if err != nil {
		t.Fatal(err)
	}
	ir := res.Imported[0]
	if !ir.Created || ir.Project.Key != "upload:template.yaml" || ir.Revision.SourcePath != "" || ir.Revision.FileName != "template.yaml" {
		t.Errorf("upload = %+v", ir)
	}
	m, err := w.Analysis(ir.Revision.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Summary.CodeFound != 0 || len(m.Functions) == 0 {
		t.Errorf("an upload found code (%d) or no functions (%d)", m.Summary.CodeFound, len(m.Functions))
	}
	res, err = w.ImportText("template.yaml", string(data))
	if err != nil || res.Imported[0].Created {
		t.Errorf("identical upload: %+v %v", res, err)
	}
	if _, err := w.ImportText("bad.yaml", "Resources: [\n"); err == nil || !strings.HasPrefix(err.Error(), "upload/bad.yaml:") {
		t.Errorf("bad upload error = %v", err)
	}
}

// The triage decision follows the finding's fingerprint into later
// revisions of the project, and stays in its project.
func TestTriageFollowsFingerprint(t *testing.T) {
	w := newTestWorkbench(t, Config{NoExample: true})
	dir := exampleCopy(t)
	tmpl := filepath.Join(dir, "template.yaml")
	res, err := w.ImportPath(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	r1 := res.Imported[0].Revision
	m1, err := w.Analysis(r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	target := m1.Findings[0]
	rec, err := w.SetTriage(r1.ProjectID, target.Fingerprint, "accepted", "only internal callers", "ana")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != "accepted" || rec.Updated.IsZero() {
		t.Errorf("record = %+v", rec)
	}
	if _, err := w.SetTriage(r1.ProjectID, target.Fingerprint, "wontfix", "", ""); err == nil {
		t.Error("unknown status accepted")
	}
	// A new revision with the same finding.
	data, _ := os.ReadFile(tmpl)
	os.WriteFile(tmpl, append(data, []byte("\n# v2\n")...), 0o644)
	res, err = w.ImportPath(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	r2 := res.Imported[0].Revision
	if r2.ID == r1.ID {
		t.Fatal("no new revision")
	}
	for _, rev := range []int64{r1.ID, r2.ID} {
		m, err := w.Analysis(rev)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range m.Findings {
			if f.Fingerprint == target.Fingerprint {
				found = true
				if f.Triage.Status != "accepted" || f.Triage.Owner != "ana" || f.Triage.Justification != "only internal callers" {
					t.Errorf("revision %d: triage = %+v", rev, f.Triage)
				}
			} else if f.Triage.Status != "open" {
				t.Errorf("revision %d: untriaged finding %s is %s", rev, f.Fingerprint, f.Triage.Status)
			}
		}
		if !found {
			t.Errorf("revision %d lost the finding %s", rev, target.Fingerprint)
		}
	}
	// The cached model is not modified by applying triage.
	if cached, _, _ := w.model(r1.ID); cached.Findings[0].Triage != nil {
		t.Error("triage leaked into the cached model")
	}
	// The same template in another project is untouched.
	up, err := w.ImportText("template.yaml", string(data))
	if err != nil {
		t.Fatal(err)
	}
	mu, _ := w.Analysis(up.Imported[0].Revision.ID)
	for _, f := range mu.Findings {
		if f.Triage.Status != "open" {
			t.Errorf("triage crossed projects: %s is %s", f.Fingerprint, f.Triage.Status)
		}
	}
	if _, err := w.SetTriage(r1.ProjectID, target.Fingerprint, "mitigated", "WAF rule 12", "bo"); err != nil {
		t.Fatal(err)
	}
	h, err := w.TriageHistory(r1.ProjectID, target.Fingerprint)
	if err != nil || len(h) != 2 || h[0].Status != "mitigated" || h[1].Status != "accepted" {
		t.Errorf("history = %+v, %v", h, err)
	}
	list, _ := w.Triage(r1.ProjectID)
	if len(list) != 1 || list[0].Status != "mitigated" {
		t.Errorf("triage = %+v", list)
	}
}

func TestCompare(t *testing.T) {
	w := newTestWorkbench(t, Config{})
	s, _ := w.Status()
	main, lp := s.ExampleRevisionID, s.ExampleVariants["template-least-privilege.yaml"]
	c, err := w.Compare(main, lp)
	if err != nil {
		t.Fatal(err)
	}
	if c.Ratio == nil || *c.Ratio >= 1 || c.Other.SplitImpact >= c.Base.SplitImpact {
		t.Errorf("least privilege should shrink the split impact: base %d other %d ratio %v", c.Base.SplitImpact, c.Other.SplitImpact, c.Ratio)
	}
	if len(c.Functions) == 0 {
		t.Error("no per-function deltas")
	}
	for _, f := range append(c.FindingsAdded, c.FindingsRemoved...) {
		if f.Triage == nil {
			t.Errorf("compared finding %s without triage", f.Fingerprint)
		}
	}
	mono, err := w.CompareMonolith(main)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := w.Analysis(main)
	if len(mono.Merged) != len(m.Functions) || mono.Base.Functions != 1 || mono.Other.Functions != len(m.Functions) {
		t.Errorf("monolith: merged %d, base %d functions, other %d", len(mono.Merged), mono.Base.Functions, mono.Other.Functions)
	}
	if mono.Base.SplitImpact < mono.Other.SplitImpact {
		t.Errorf("the monolith's impact %d is below the split application's %d", mono.Base.SplitImpact, mono.Other.SplitImpact)
	}
	merge, err := w.CompareMerge(main, []string{"getActivity", "getActivitiesForUser"})
	if err != nil {
		t.Fatal(err)
	}
	if merge.Other.Functions != merge.Base.Functions-1 || len(merge.Merged) != 2 {
		t.Errorf("merge: base %d other %d merged %v", merge.Base.Functions, merge.Other.Functions, merge.Merged)
	}
	for _, c := range []struct {
		name string
		call func() error
		want string
	}{
		{"unknown function", func() error { _, err := w.CompareMerge(main, []string{"getActivity", "nope"}); return err }, "no function nope"},
		{"one function", func() error { _, err := w.CompareMerge(main, []string{"getActivity"}); return err }, "at least two"},
		{"unknown revision", func() error { _, err := w.Compare(main, 999); return err }, "revision 999: not found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, err := w.Analysis(999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Analysis(999) = %v", err)
	}
}

func TestProjectFileRoundTrip(t *testing.T) {
	w := newTestWorkbench(t, Config{})
	s, _ := w.Status()
	rev, _ := w.store.Revision(w.ctx, s.ExampleRevisionID)
	m, _ := w.Analysis(rev.ID)
	if _, err := w.SetTriage(rev.ProjectID, m.Findings[1].Fingerprint, "mitigated", "fixed in infra repo", "ana"); err != nil {
		t.Fatal(err)
	}
	res, err := w.ExportProject(rev.ProjectID, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(res.Path, ".samthreat.json") || res.Bytes == 0 {
		t.Errorf("export = %+v", res)
	}
	other := newTestWorkbench(t, Config{NoExample: true})
	// Through ImportPath, as a dropped file would arrive.
	ir, err := other.ImportPath(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ir.Imported) != 1 {
		t.Fatalf("import = %+v", ir)
	}
	got, err := other.Analysis(ir.Imported[0].Revision.ID)
	if err != nil {
		t.Fatal(err)
	}
	var tri *model.Triage
	for _, f := range got.Findings {
		if f.Fingerprint == m.Findings[1].Fingerprint {
			tri = f.Triage
		}
	}
	if tri == nil || tri.Status != "mitigated" || tri.Owner != "ana" {
		t.Errorf("triage after project import = %+v", tri)
	}
	if len(got.Findings) != len(m.Findings) {
		t.Errorf("%d findings after import, want %d", len(got.Findings), len(m.Findings))
	}
	b, _ := os.ReadFile(res.Path)
	p, err := other.ImportProjectText(string(b)) // again: merged, nothing new
	if err != nil || p.Revisions != 1 {
		t.Errorf("re-import: %+v %v", p, err)
	}
	if _, err := other.ImportProjectText(string(bytes.Replace(b, []byte(`"samthreat-project"`), []byte(`"other"`), 1))); err == nil {
		t.Error("a file of another format was imported")
	}
}

func TestModelCache(t *testing.T) {
	c := newModelCache(2)
	loads := 0
	load := func() (*model.Model, error) { loads++; return &model.Model{}, nil }
	for _, id := range []int64{1, 2, 1, 3, 1, 2} {
		if _, err := c.get(id, load); err != nil {
			t.Fatal(err)
		}
	}
	// 1 (load), 2 (load), 1 (hit), 3 (load, evicts 2), 1 (hit), 2 (load)
	if loads != 4 {
		t.Errorf("%d loads, want 4", loads)
	}
	fail := errors.New("cancelled")
	if _, err := c.get(9, func() (*model.Model, error) { return nil, fail }); err != fail {
		t.Fatal(err)
	}
	if _, err := c.get(9, load); err != nil {
		t.Errorf("a failed load was cached: %v", err)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"freshtracks/template.yaml":           "freshtracks-template",
		"Fresh Tracks example: template.yaml": "fresh-tracks-example-template",
		"../../etc/passwd":                    "etc-passwd",
		"":                                    "samthreat",
		"Ünïcode app":                         "n-code-app",
		"upload:template-least-privilege.yml": "upload-template-least-privilege",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDiagram(t *testing.T) {
	w := newTestWorkbench(t, Config{})
	s, _ := w.Status()
	full, err := w.Diagram(s.ExampleRevisionID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimSpace(full[strings.Index(full, "<svg"):]), "<svg") {
		t.Fatalf("not an SVG: %.200s", full)
	}
	for _, fn := range []string{"publishToIoT", "getActivity", "parseGPX"} {
		if !strings.Contains(full, fn) {
			t.Errorf("diagram lacks %s", fn)
		}
	}
	focused, err := w.Diagram(s.ExampleRevisionID, "publishToIoT", "")
	if err != nil {
		t.Fatal(err)
	}
	if focused == full || !strings.Contains(focused, "publishToIoT") {
		t.Error("focusing on publishToIoT did not change the diagram")
	}
	for _, mode := range []string{"none", "api", "trigger", "codeuri"} {
		if _, err := w.Diagram(s.ExampleRevisionID, "", mode); err != nil {
			t.Errorf("collapse %s: %v", mode, err)
		}
	}
	for _, c := range []struct {
		focus, collapse, want string
	}{
		{"", "sideways", `unknown collapse mode "sideways"`},
		{"noSuchFunction", "", "noSuchFunction"},
	} {
		if _, err := w.Diagram(s.ExampleRevisionID, c.focus, c.collapse); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Diagram(%q, %q) = %v, want %q", c.focus, c.collapse, err, c.want)
		}
	}
	if _, err := w.Diagram(999, "", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Diagram(999) = %v", err)
	}
}

// Stopping a folder import keeps what was imported and says how much was left.
func TestCancelImportKeepsWhatWasImported(t *testing.T) {
	if stopped := (&Workbench{}).CancelImport(); stopped {
		t.Fatal("CancelImport with no import running reported one")
	}
	var w *Workbench
	var cancelled bool
	w = newTestWorkbench(t, Config{NoExample: true, Events: func(name string, _ any) {
		// The first template is stored: the user presses Stop.
		if name == "workspace" && !cancelled {
			cancelled = w.CancelImport()
		}
	}})
	res, err := w.ImportPath(exampleCopy(t))
	if err != nil {
		t.Fatal(err)
	}
	if !cancelled || !res.Stopped || len(res.Imported) != 1 || res.Remaining != 2 {
		t.Fatalf("cancelled %v, result: stopped %v, %d imported, %d remaining; want 1 imported, 2 remaining",
			cancelled, res.Stopped, len(res.Imported), res.Remaining)
	}
	ps, err := w.ListProjects()
	if err != nil || len(ps) != 1 {
		t.Fatalf("projects after a stopped import: %d (%v)", len(ps), err)
	}
	if w.CancelImport() {
		t.Error("CancelImport reported a running import after it ended")
	}
}

// Code cited as evidence can be read from the workbench; nothing else can.
func TestSourceFileServesOnlyCitedCode(t *testing.T) {
	w := newTestWorkbench(t, Config{NoExample: true})
	dir := exampleCopy(t)
	res, err := w.ImportPath(filepath.Join(dir, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rev := res.Imported[0].Revision.ID
	m, err := w.Analysis(rev)
	if err != nil {
		t.Fatal(err)
	}
	var cited string
	for _, f := range m.Findings {
		if f.RuleID == "SLS-DEP-001" { // parseGPX parses XML: evidence in its code
			for _, ev := range f.Evidence {
				if strings.HasSuffix(ev.File, ".js") {
					cited = ev.File
				}
			}
		}
	}
	if cited == "" {
		t.Fatal("no code evidence in the Fresh Tracks findings")
	}
	text, err := w.SourceFile(rev, cited)
	if err != nil || !strings.Contains(text, "xml2js") {
		t.Fatalf("SourceFile(%s) = %.80q, %v", cited, text, err)
	}
	for _, p := range []string{
		filepath.Join(dir, "src", "package.json"), // exists, but no finding cites it
		m.Template,    // the template has its own method
		"/etc/passwd", // outside
		cited + "/../../../../../../etc/passwd",
	} {
		if _, err := w.SourceFile(rev, p); err == nil {
			t.Errorf("SourceFile(%s) was served", p)
		}
	}
}

// A whole decision (schema v4) reaches Analysis; SetTriage, which the
// keyboard shortcuts use, keeps the due date, ticket and override.
func TestSetTriageDetails(t *testing.T) {
	w := newTestWorkbench(t, Config{})
	s, _ := w.Status()
	m, _ := w.Analysis(s.ExampleRevisionID)
	rev, _ := w.store.Revision(w.ctx, s.ExampleRevisionID)
	fp := m.Findings[0].Fingerprint
	in := TriageInput{Status: "needs-investigation", Owner: "ana", Due: "2026-12-01", Ticket: "https://tracker.example/SEC-9", Severity: "low"}
	if _, err := w.SetTriageDetails(rev.ProjectID, fp, in); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetTriage(rev.ProjectID, fp, "mitigated", "patched", "bo"); err != nil {
		t.Fatal(err)
	}
	m, _ = w.Analysis(s.ExampleRevisionID)
	got := *m.Findings[0].Triage
	want := model.Triage{Status: "mitigated", Justification: "patched", Owner: "bo", Due: "2026-12-01", Ticket: "https://tracker.example/SEC-9", Severity: "low"}
	if got != want {
		t.Errorf("triage = %+v, want %+v", got, want)
	}
	h, _ := w.TriageHistory(rev.ProjectID, fp)
	if len(h) != 2 || h[1].Status != "needs-investigation" || h[1].Due != "2026-12-01" {
		t.Errorf("history = %+v", h)
	}
	if _, err := w.SetTriageDetails(rev.ProjectID, fp, TriageInput{Status: "open", Ticket: "data:text/html,x"}); err == nil {
		t.Error("a data: link was accepted as a ticket")
	}
}

// TestImportTextAllow: an upload naming a file inside a folder the server
// may read (serve --allow) is analysed with its code; the same text under a
// name outside reads nothing; with --allow, ImportPath is limited to it.
func TestImportTextAllow(t *testing.T) {
	dir := exampleCopy(t)
	w := newTestWorkbench(t, Config{NoExample: true, Mode: "web", Allow: []string{dir}})
	data, err := os.ReadFile(filepath.Join(dir, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		code bool
	}{
		{filepath.Join(dir, "template.yaml"), true},
		{filepath.Join(t.TempDir(), "template.yaml"), false},
		{"template.yaml", false},
	} {
		res, err := w.ImportText(c.name, string(data))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		m, err := w.Analysis(res.Imported[0].Revision.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Summary.CodeFound > 0; got != c.code {
			t.Errorf("%s: code found in %d functions, want code read: %v", c.name, m.Summary.CodeFound, c.code)
		}
	}
	if _, err := w.ImportPath(t.TempDir()); err == nil || !strings.Contains(err.Error(), "--allow") {
		t.Errorf("ImportPath outside --allow: %v", err)
	}
}
