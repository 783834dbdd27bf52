package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestSections: a report of some sections has their headings and not the
// others'; the hardening checklist and the low findings follow their
// sections into the appendix without the method's parts.
func TestSections(t *testing.T) {
	m := goldenModel(t)
	m.Hardening = append(m.Hardening, &model.HardeningControl{RuleID: "SLS-FN-006", Title: "Tracing enabled", OWASP: "S10", Severity: "low", Covered: []string{"getActivity"}})
	headings := map[string]string{
		SectionSummary:      "\n## Executive summary",
		SectionArchitecture: "\n## Architecture",
		SectionFunctions:    "\n## Functions in detail",
		SectionFindings:     "\n## Findings by OWASP",
		SectionThirdParties: "\n## Third-party services",
		SectionHardening:    "\n### Hardening checklist",
		SectionMethod:       "\n### How blast radius is measured",
	}
	for _, c := range []struct {
		name     string
		sections []string
	}{
		{"summary only", []string{SectionSummary}},
		{"findings and hardening", []string{SectionFindings, SectionHardening}},
		{"all but method", []string{SectionSummary, SectionArchitecture, SectionFunctions, SectionFindings, SectionThirdParties, SectionHardening}},
		{"every section by default", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := testOptions()
			o.Sections = c.sections
			var buf bytes.Buffer
			if err := WriteMarkdown(context.Background(), m, &buf, o); err != nil {
				t.Fatal(err)
			}
			md := buf.String()
			for id, h := range headings {
				if got, want := strings.Contains(md, h), o.has(id); got != want {
					t.Errorf("section %s: heading %q present %v, want %v", id, strings.TrimSpace(h), got, want)
				}
			}
			if got, want := strings.Contains(md, "\n## Appendix"), o.has(SectionMethod) || o.has(SectionHardening); got != want {
				t.Errorf("Appendix heading present %v, want %v", got, want)
			}
		})
	}
}

func TestCheckSections(t *testing.T) {
	got, err := CheckSections([]string{" Findings", "summary", "findings", ""})
	if err != nil || strings.Join(got, ",") != "summary,findings" {
		t.Errorf("CheckSections = %v, %v; want summary,findings in report order, once", got, err)
	}
	if _, err := CheckSections([]string{"cover"}); err == nil || !strings.Contains(err.Error(), "one of summary, architecture") {
		t.Errorf("CheckSections(cover) = %v, want an error listing the sections", err)
	}
}
