package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportWritesEveryFormat(t *testing.T) {
	dir := t.TempDir()
	pdf, md, page := filepath.Join(dir, "r.pdf"), filepath.Join(dir, "r.md"), filepath.Join(dir, "r.html")
	r := run(t, "report", "--pdf", pdf, "--md", md, "--html", page, "--title", "Fresh Tracks <prod>", "--revision", "v1.2",
		shared(t, "fixtures", "freshtracks", "template.yaml"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("a small template printed progress: %q", r.stderr)
	}
	for _, f := range []struct{ path, what, head string }{
		{pdf, "PDF", "%PDF-"}, {md, "Markdown", "# Fresh Tracks <prod>"}, {page, "HTML", "<!DOCTYPE html>"},
	} {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(f.head)) && !(f.what == "Markdown" && bytes.HasPrefix(data, []byte(`# Fresh Tracks \<prod\>`))) {
			t.Errorf("%s starts with %q", f.what, data[:min(20, len(data))])
		}
		if !strings.Contains(r.stdout, f.what+" report written to "+f.path) {
			t.Errorf("stdout does not say where the %s went: %q", f.what, r.stdout)
		}
	}
	if md, _ := os.ReadFile(md); !bytes.Contains(md, []byte("v1.2")) {
		t.Error("the revision is not on the cover")
	}
}

// With no output flag the PDF lands in the current directory, named after
// the template's folder when the template has SAM's default name.
func TestReportDefaultPDF(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"template.yaml takes its folder's name", []string{"report", shared(t, "fixtures", "freshtracks", "template.yaml")}, "freshtracks-threat-model.pdf"},
		{"other names are kept", []string{"report", shared(t, "fixtures", "freshtracks", "template-monolith.yaml")}, "template-monolith-threat-model.pdf"},
		{"no template: the bundled example", []string{"report"}, "freshtracks-threat-model.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := runIn(t, dir, tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			data, err := os.ReadFile(filepath.Join(dir, tt.want))
			if err != nil {
				t.Fatalf("%v (stdout %q)", err, r.stdout)
			}
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Error("not a PDF")
			}
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("stdout does not name %s: %q", tt.want, r.stdout)
			}
		})
	}
}

func TestReportProgressForLargeTemplates(t *testing.T) {
	dir := t.TempDir()
	r := run(t, "report", "--md", filepath.Join(dir, "big.md"), shared(t, "corpus", "synthetic", "functions-1000.yaml"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"samthreat: analysing ", "samthreat: analysed 1000 functions", "samthreat: report: findings", "samthreat: report: writing Markdown", "samthreat: Markdown written in "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestReportBadInputExitsTwoWithOneLine(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [\n"), 0o644)
	ft := shared(t, "fixtures", "freshtracks", "template.yaml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing template", []string{"report", filepath.Join(dir, "nope.yaml")}, "nope.yaml"},
		{"directory as template", []string{"report", dir}, "is a directory"},
		{"broken yaml names file and line", []string{"report", "--md", filepath.Join(dir, "x.md"), broken}, "broken.yaml:"},
		{"output folder missing", []string{"report", "--pdf", filepath.Join(dir, "no", "such", "r.pdf"), ft}, "does not exist"},
		{"output is a directory", []string{"report", "--md", dir, ft}, "is a directory"},
		{"same file twice", []string{"report", "--md", filepath.Join(dir, "a"), "--html", filepath.Join(dir, "a"), ft}, "two formats"},
		{"two templates", []string{"report", ft, ft}, "accepts at most 1 arg"},
		{"unknown flag", []string{"report", "--docx", "x"}, "docx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantUsageError(t, run(t, tt.args...), tt.want)
		})
	}
}
