package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A function with no trigger and no grants: nothing a reviewer would raise,
// only baseline hardening gaps (tracing, code signing, alarms...).
const hygieneOnly = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Quiet:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.14
      InlineCode: "def handler(e, c):\n    return 1\n"
`

func writeTemplate(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFailOnCountsThreatsOnly: hardening gaps do not fail a build unless
// --fail-on-hardening asks, or the control is raised to a threat.
func TestFailOnCountsThreatsOnly(t *testing.T) {
	p := writeTemplate(t, hygieneOnly)
	if r := run(t, "analyze", "--fail-on", "low", p); r.code != 0 {
		t.Errorf("hardening gaps only: exit %d, want 0 (%s)", r.code, r.stderr)
	}
	r := run(t, "analyze", "--fail-on", "low", "--fail-on-hardening", p)
	if r.code != 1 || !strings.Contains(r.stderr, "hardening gaps at or above low") {
		t.Errorf("--fail-on-hardening: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, "analyze", "--fail-on", "low", "--raise", "SLS-FN-006", p)
	if r.code != 1 || !strings.Contains(r.stderr, "1 threats at or above low") {
		t.Errorf("--raise SLS-FN-006: exit %d, stderr %q", r.code, r.stderr)
	}
	raisedInTemplate := strings.Replace(hygieneOnly, "Resources:", "Metadata:\n  samthreat:\n    raise: [SLS-FN-006]\nResources:", 1)
	if r := run(t, "analyze", "--fail-on", "low", writeTemplate(t, raisedInTemplate)); r.code != 1 {
		t.Errorf("raise in template Metadata: exit %d, want 1 (%s)", r.code, r.stderr)
	}
}

func TestRaiseUsage(t *testing.T) {
	p := writeTemplate(t, hygieneOnly)
	wantUsageError(t, run(t, "analyze", "--raise", "SLS-NOPE-001", p), "SLS-NOPE-001")
	wantUsageError(t, run(t, "analyze", "--raise", "SLS-API-001", p), "already a threat")
	wantUsageError(t, run(t, "analyze", "--fail-on-hardening", p), "--fail-on")
}

// TestHardeningOutputs: the checklist appears once per application in text
// (a row per control, not a line per function) and JSON has "hardening".
func TestHardeningOutputs(t *testing.T) {
	fixture := shared(t, "fixtures", "freshtracks", "template.yaml")
	r := run(t, "analyze", fixture)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stdout, "Hardening checklist"); n != 1 {
		t.Errorf("checklist shown %d times", n)
	}
	if n := strings.Count(r.stdout, "SLS-FN-005"); n != 1 {
		t.Errorf("code signing appears on %d lines, want one checklist row", n)
	}
	r = run(t, "analyze", "--format", "json", fixture)
	var m struct {
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
		Hardening []struct {
			Rule    string   `json:"rule"`
			Covered []string `json:"covered"`
			Missing []struct {
				Resource string `json:"resource"`
			} `json:"missing"`
		} `json:"hardening"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Hardening) == 0 {
		t.Fatal("no hardening section in JSON")
	}
	for _, f := range m.Findings {
		if f.Rule == "SLS-FN-005" || f.Rule == "SLS-FN-006" || f.Rule == "SLS-LOG-001" {
			t.Errorf("hardening control %s listed as a finding", f.Rule)
		}
	}
}
