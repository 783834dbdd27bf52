package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/rules/checks"
	"github.com/samthreat/samthreat/internal/sam"
)

// testNow pins the date runtime deprecation is judged against.
var testNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// analyze runs the real pipeline (read, model, blast radius, rules) over a
// template file, as the CLI does.
func analyze(t *testing.T, path string, opts rules.Options) *model.Model {
	t.Helper()
	tpl, err := sam.Load(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m, err := adapt.Build(tpl)
	if err != nil {
		t.Fatalf("%s: model: %v", path, err)
	}
	ctx := context.Background()
	if err := blast.Compute(ctx, m, blast.Options{Template: tpl}); err != nil {
		t.Fatalf("%s: blast: %v", path, err)
	}
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	opts.Template = tpl
	if err := rules.Evaluate(ctx, m, opts); err != nil {
		t.Fatalf("%s: rules: %v", path, err)
	}
	return m
}

// writeExample lays out a rule's example template and its files in a fresh folder.
func writeExample(t *testing.T, r *rules.Rule, tmpl string) (string, rules.Options) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range r.Files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "template.yaml")
	if err := os.WriteFile(path, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	var opts rules.Options
	if st, err := os.Stat(filepath.Join(dir, "osv")); err == nil && st.IsDir() {
		opts.OSVDir = filepath.Join(dir, "osv")
	}
	return path, opts
}

// of lists a rule's findings, or, for a hardening control, its gaps in the
// shape of findings (the meta-test holds both to the same standard).
func of(m *model.Model, id string) []*model.Finding {
	var out []*model.Finding
	for _, f := range m.Findings {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	for _, c := range m.Hardening {
		if c.RuleID != id {
			continue
		}
		for _, g := range c.Missing {
			out = append(out, &model.Finding{RuleID: c.RuleID, OWASP: c.OWASP, Severity: c.Severity, Resource: g.Resource,
				Message: g.Message, Evidence: []model.Location{g.Evidence}, Fingerprint: g.Fingerprint,
				Suppressed: g.Suppressed, SuppressReason: g.SuppressReason})
		}
	}
	return out
}

// TestCatalog is the meta-test: every rule is well formed, has its check (and
// every check its rule), fires on its bad example with a template line, and
// stays silent on its good one.
func TestCatalog(t *testing.T) {
	cat, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat) < 40 {
		t.Errorf("catalog has %d rules, want at least 40", len(cat))
	}
	idRe := regexp.MustCompile(`^SLS-[A-Z0-9]{2,5}-\d{3}$`)
	seen := map[string]bool{}
	perOWASP := map[string]int{}
	for _, r := range cat {
		if !idRe.MatchString(r.ID) {
			t.Errorf("%s: id not well formed", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("%s: duplicate id", r.ID)
		}
		seen[r.ID] = true
		perOWASP[r.OWASP]++
		if _, ok := checks.Lookup(r.ID); !ok {
			t.Errorf("%s: catalog entry without a registered check", r.ID)
		}
		if len(r.Equivalents) == 0 && len(r.References) < 2 {
			t.Errorf("%s: needs references", r.ID)
		}
	}
	for _, id := range checks.IDs() {
		if !seen[id] {
			t.Errorf("%s: check registered without a catalog entry", id)
		}
	}
	for i := 1; i <= 10; i++ {
		if k := "S" + itoa(i); perOWASP[k] == 0 {
			t.Errorf("no rule for OWASP %s", k)
		}
	}
	for _, r := range cat {
		r := r
		bads := append([]string{r.Bad}, r.MoreBad...)
		goods := append([]string{r.Good}, r.MoreGood...)
		for i, bad := range bads {
			bad := bad
			t.Run(fmt.Sprintf("%s/bad_%d", r.ID, i+1), func(t *testing.T) {
				t.Parallel()
				path, opts := writeExample(t, r, bad)
				m := analyze(t, path, opts)
				got := of(m, r.ID)
				if len(got) == 0 {
					t.Fatalf("did not fire on its bad example (findings: %s)", ids(m))
				}
				for _, f := range m.Findings {
					if f.RuleID == r.ID && r.IsHardening() {
						t.Errorf("hardening control %s reported as a finding: %s", r.ID, f.Fingerprint)
					}
				}
				for _, f := range got {
					if len(f.Evidence) == 0 || f.Evidence[0].Line <= 0 || f.Evidence[0].File != path {
						t.Errorf("finding %s has no template line: %+v", f.Fingerprint, f.Evidence)
					}
					if f.Resource == "" || f.Message == "" || !strings.HasPrefix(f.Fingerprint, r.ID+"@") {
						t.Errorf("finding incomplete: %+v", f)
					}
					// A threat may weigh its context (exposure, data) and differ
					// from the catalog's severity; it stays a known severity.
					if f.OWASP != r.OWASP || !slices.Contains(model.Severities, f.Severity) {
						t.Errorf("finding %s: owasp/severity %s/%s, rule says %s/%s", f.Fingerprint, f.OWASP, f.Severity, r.OWASP, r.Severity)
					}
					// A sensitive rule's template evidence is marked so every
					// output masks the line (internal/redact reads the mark).
					for _, e := range f.Evidence {
						if r.Sensitive && e.File == path && !e.Sensitive {
							t.Errorf("finding %s: template evidence line %d of a sensitive rule not marked sensitive", f.Fingerprint, e.Line)
						}
					}
				}
			})
		}
		for i, good := range goods {
			good := good
			t.Run(fmt.Sprintf("%s/good_%d", r.ID, i+1), func(t *testing.T) {
				t.Parallel()
				path, opts := writeExample(t, r, good)
				m := analyze(t, path, opts)
				for _, f := range of(m, r.ID) {
					t.Errorf("fired on its good example: %s: %s", f.Fingerprint, f.Message)
				}
			})
		}
	}
}

func ids(m *model.Model) string {
	var s []string
	for _, f := range m.Findings {
		s = append(s, f.RuleID)
	}
	for _, c := range m.Hardening {
		if len(c.Missing) > 0 {
			s = append(s, c.RuleID+"(hardening)")
		}
	}
	return strings.Join(s, " ")
}

func itoa(i int) string {
	if i == 10 {
		return "10"
	}
	return string(rune('0' + i))
}

func TestOWASPCatalog(t *testing.T) {
	cats, err := rules.OWASP()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cats {
		if c.ID != "S"+itoa(i+1) {
			t.Errorf("category %d is %s", i+1, c.ID)
		}
	}
}

// TestSuppressionInTemplate: Metadata.samthreat.suppress on the resource keeps
// the finding in the output, marked, with its reason.
func TestSuppressionInTemplate(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      samthreat:
        suppress:
          - id: SLS-FN-006
            reason: "traced by the platform's sidecar"
    Properties:
      Handler: index.handler
      Runtime: nodejs24.x
      CodeUri: src/
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs24.x
      CodeUri: src/
`
	path, opts := writeExample(t, &rules.Rule{}, tmpl)
	m := analyze(t, path, opts)
	var fn, other *model.Finding
	for _, f := range of(m, "SLS-FN-006") {
		switch f.Resource {
		case "Fn":
			fn = f
		case "Other":
			other = f
		}
	}
	if fn == nil || !fn.Suppressed || fn.SuppressReason != "traced by the platform's sidecar" {
		t.Errorf("suppressed finding: %+v", fn)
	}
	if other == nil || other.Suppressed {
		t.Errorf("unsuppressed function: %+v", other)
	}
}
