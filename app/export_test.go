package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

func TestExport(t *testing.T) {
	w := newTestWorkbench(t, Config{})
	s, _ := w.Status()
	m, _ := w.Analysis(s.ExampleRevisionID)
	p, _ := w.store.Revision(w.ctx, s.ExampleRevisionID)
	if _, err := w.SetTriage(p.ProjectID, m.Findings[0].Fingerprint, "false-positive", "checked", "ana"); err != nil {
		t.Fatal(err)
	}
	t.Run("json", func(t *testing.T) {
		res, err := w.Export(s.ExampleRevisionID, "json", "")
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(res.Path) != w.cfg.ExportDir || !strings.HasSuffix(res.Path, "-r1.json") {
			t.Errorf("path = %s", res.Path)
		}
		var got model.Model
		b, _ := os.ReadFile(res.Path)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if int64(len(b)) != res.Bytes || len(got.Functions) != len(m.Functions) {
			t.Errorf("%d bytes (said %d), %d functions", len(b), res.Bytes, len(got.Functions))
		}
		if got.Findings[0].Triage == nil || got.Findings[0].Triage.Status != "false-positive" {
			t.Errorf("exported triage = %+v", got.Findings[0].Triage)
		}
	})
	t.Run("sarif to a chosen path", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "out.sarif")
		res, err := w.Export(s.ExampleRevisionID, "SARIF", path)
		if err != nil {
			t.Fatal(err)
		}
		var log struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		b, _ := os.ReadFile(path)
		if err := json.Unmarshal(b, &log); err != nil {
			t.Fatal(err)
		}
		if res.Path != path || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
			t.Errorf("sarif: %s version %s runs %d", res.Path, log.Version, len(log.Runs))
		}
	})
	t.Run("options narrow the findings", func(t *testing.T) {
		read := func(t *testing.T, o ExportOptions) model.Model {
			t.Helper()
			res, err := w.ExportWith(s.ExampleRevisionID, "json", filepath.Join(t.TempDir(), "r.json"), o)
			if err != nil {
				t.Fatal(err)
			}
			var got model.Model
			b, _ := os.ReadFile(res.Path)
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			return got
		}
		all := read(t, ExportOptions{})
		if len(all.Findings) != len(m.Findings) {
			t.Fatalf("no options: %d findings, want %d", len(all.Findings), len(m.Findings))
		}
		for _, c := range []struct {
			name string
			o    ExportOptions
			keep func(f *model.Finding) bool
		}{
			{"min high", ExportOptions{MinSeverity: "High"}, func(f *model.Finding) bool { return f.Severity == "critical" || f.Severity == "high" }},
			{"min info", ExportOptions{MinSeverity: "info"}, func(f *model.Finding) bool { return true }},
			{"no accepted", ExportOptions{ExcludeAccepted: true}, func(f *model.Finding) bool { return f.Fingerprint != m.Findings[0].Fingerprint }},
		} {
			got := read(t, c.o)
			want := 0
			bySev := map[string]int{}
			for _, f := range all.Findings {
				if c.keep(f) {
					want++
					if !f.Suppressed {
						bySev[string(f.Severity)]++
					}
				}
			}
			if len(got.Findings) != want || want == 0 {
				t.Errorf("%s: %d findings, want %d", c.name, len(got.Findings), want)
			}
			for sev, n := range bySev {
				if got.Summary.FindingsBySev[sev] != n {
					t.Errorf("%s: summary says %d %s, want %d", c.name, got.Summary.FindingsBySev[sev], sev, n)
				}
			}
		}
		if _, err := w.ExportWith(s.ExampleRevisionID, "json", "", ExportOptions{MinSeverity: "severe"}); err == nil || !strings.Contains(err.Error(), "unknown minimum severity") {
			t.Errorf("bad severity: %v", err)
		}
	})
	t.Run("diagram as svg and png", func(t *testing.T) {
		for _, c := range []struct{ format, head string }{{"svg", "<"}, {"png", "\x89PNG"}} {
			res, err := w.ExportDiagram(s.ExampleRevisionID, c.format, "", "", filepath.Join(t.TempDir(), "d."+c.format))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(res.Path)
			if !bytes.HasPrefix(bytes.TrimSpace(b), []byte(c.head)) || res.Bytes != int64(len(b)) {
				t.Errorf("%s: %d bytes starting %q", c.format, len(b), b[:min(8, len(b))])
			}
		}
		if _, err := w.ExportDiagram(s.ExampleRevisionID, "gif", "", "", ""); err == nil {
			t.Error("gif accepted")
		}
	})
	t.Run("folder as path", func(t *testing.T) {
		dir := t.TempDir()
		res, err := w.Export(s.ExampleRevisionID, "json", dir)
		if err != nil || filepath.Dir(res.Path) != dir {
			t.Errorf("export into folder: %+v %v", res, err)
		}
	})
	// The reports carry the triage decision and the figures.
	for _, c := range []struct {
		format, ext string
		check       func(t *testing.T, b []byte)
	}{
		{"md", ".md", func(t *testing.T, b []byte) {
			for _, want := range []string{"false positive (ana): checked", "publishToIoT", "parseGPX"} {
				if !bytes.Contains(b, []byte(want)) {
					t.Errorf("markdown lacks %q", want)
				}
			}
		}},
		{"html", ".html", func(t *testing.T, b []byte) {
			for _, want := range []string{"<html", "false positive (ana): checked", "publishToIoT"} {
				if !bytes.Contains(b, []byte(want)) {
					t.Errorf("HTML lacks %q", want)
				}
			}
		}},
		{"pdf", ".pdf", func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[len(b)-32:], []byte("%%EOF")) || len(b) < 20000 {
				t.Errorf("not a complete PDF (%d bytes)", len(b))
			}
		}},
	} {
		t.Run(c.format, func(t *testing.T) {
			res, err := w.Export(s.ExampleRevisionID, c.format, "")
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Ext(res.Path) != c.ext || res.Format != c.format {
				t.Errorf("result = %+v", res)
			}
			b, err := os.ReadFile(res.Path)
			if err != nil || int64(len(b)) != res.Bytes {
				t.Fatalf("%d bytes on disk, result says %d (%v)", len(b), res.Bytes, err)
			}
			c.check(t, b)
		})
	}
	for _, c := range []struct{ format, path, want string }{
		{"docx", "", `unknown export format "docx"`},
		{"json", filepath.Join(t.TempDir(), "missing", "dir", "x.json"), "writing"},
	} {
		if _, err := w.Export(s.ExampleRevisionID, c.format, c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Export(%s, %s) = %v, want %q", c.format, c.path, err, c.want)
		}
	}
}

// TestExportSections: a report of some sections has only their parts;
// every section is the default report; an unknown section is refused.
func TestExportSections(t *testing.T) {
	w := newTestWorkbench(t, Config{})
	s, _ := w.Status()
	res, err := w.ExportWith(s.ExampleRevisionID, "md", "", ExportOptions{Sections: []string{"summary", "Findings"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(res.Path)
	md := string(b)
	for h, want := range map[string]bool{"\n## Executive summary": true, "\n## Findings by OWASP": true, "\n## Architecture": false,
		"\n## Functions in detail": false, "\n## Third-party services": false, "\n### How blast radius is measured": false} {
		if strings.Contains(md, h) != want {
			t.Errorf("heading %q present %v, want %v", strings.TrimSpace(h), !want, want)
		}
	}
	o, err := ExportOptions{Sections: []string{"method", "summary", "architecture", "functions", "findings", "third-parties", "hardening"}}.validate()
	if err != nil || o.Sections != nil {
		t.Errorf("every section = %v, %v; want nil (the default report)", o.Sections, err)
	}
	if _, err := w.ExportWith(s.ExampleRevisionID, "md", "", ExportOptions{Sections: []string{"cover"}}); err == nil || !strings.Contains(err.Error(), `unknown report section "cover"`) {
		t.Errorf("unknown section: %v", err)
	}
}
