package redact

import (
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

func TestLines(t *testing.T) {
	const secret = "s3cr3t-value-123"
	r := &Redactor{values: []string{secret}, lines: map[int]bool{2: true, 4: true, 8: true}}
	in := []string{
		"Variables:",                 // 1
		"  TOKEN: " + secret,         // 2 sensitive: value replaced whole
		"  OTHER: fine",              // 3
		"  KEY: |",                   // 4 sensitive block scalar
		"    line-one",               // 5
		"",                           // 6 blank inside the block stays blank
		"  NEXT: ok " + secret + "x", // 7 the value elsewhere is masked
		"  Param:",                   // 8 a key alone stays
	}
	want := []string{
		"Variables:",
		"  TOKEN: " + LineMask,
		"  OTHER: fine",
		"  KEY: | " + LineMask,
		"    " + LineMask,
		"",
		"  NEXT: ok " + Mask(secret) + "x",
		"  Param:",
	}
	got := r.Lines(in)
	if len(got) != len(in) {
		t.Fatalf("%d lines in, %d out", len(in), len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i+1, got[i], want[i])
		}
	}
	if txt := r.Text(strings.Join(in, "\r\n")); strings.Contains(txt, secret) || strings.Count(txt, "\r\n") != len(in)-1 {
		t.Errorf("Text lost the line endings or kept the secret: %q", txt)
	}
}

func TestModel(t *testing.T) {
	const secret = "abcd1234efgh5678"
	m := &model.Model{
		Template: "/x/template.yaml",
		Secrets:  []string{secret},
		Functions: []*model.Function{{ID: "F", Environment: []model.EnvVar{{Name: "URL", Value: "https://h/?k=" + secret}},
			Blast: &model.Blast{CodeNote: "saw " + secret}}},
		ThirdParties: []*model.ThirdParty{{ID: "h", URL: "https://h/?k=" + secret}},
		Findings: []*model.Finding{{RuleID: "SLS-X-001", Message: "m " + secret,
			Evidence: []model.Location{{File: "/x/template.yaml", Line: 3, Snippet: secret}, {File: "/x/src/a.js", Line: 3}}}},
		Diagnostics: []model.Diagnostic{{Message: secret}},
		Summary:     model.Summary{FindingsBySev: map[string]int{"high": 1}},
	}
	r := New(m)
	r.lines[3] = true
	r.Model(m)
	for what, s := range map[string]string{
		"env": m.Functions[0].Environment[0].Value, "blast": m.Functions[0].CodeNote, "third party": m.ThirdParties[0].URL,
		"message": m.Findings[0].Message, "snippet": m.Findings[0].Evidence[0].Snippet, "diagnostic": m.Diagnostics[0].Message,
	} {
		if strings.Contains(s, secret) {
			t.Errorf("%s keeps the secret: %q", what, s)
		}
	}
	if !m.Findings[0].Evidence[0].Sensitive || m.Findings[0].Evidence[1].Sensitive {
		t.Errorf("sensitive marks: %+v", m.Findings[0].Evidence)
	}
}
