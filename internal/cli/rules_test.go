package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRulesListsCatalog(t *testing.T) {
	r := run(t, "rules", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var list []struct{ ID, Title, OWASP, Severity string }
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	cats := map[string]bool{}
	for _, x := range list {
		if x.ID == "" || x.Title == "" || x.Severity == "" {
			t.Errorf("incomplete entry %+v", x)
		}
		cats[x.OWASP] = true
	}
	if len(list) < 40 || len(cats) != 10 {
		t.Errorf("%d rules over %d OWASP categories, want >= 40 over 10", len(list), len(cats))
	}
	text := run(t, "rules")
	if text.code != 0 || !strings.Contains(text.stdout, "SLS-IAM-001") {
		t.Errorf("text listing: %d %s", text.code, text.stderr)
	}
	if bad := run(t, "rules", "--format", "xml"); bad.code != 2 {
		t.Errorf("unknown format exit %d, want 2", bad.code)
	}
}

func TestRulesValidatesUserRules(t *testing.T) {
	dir := t.TempDir()
	rule := "id: ACME-S3-001\ntitle: Buckets must be versioned\nowasp: S6\nstride: [Tampering]\nseverity: medium\ndescription: d\nremediation: r\ncheck: property\nparams: {types: [AWS::S3::Bucket], path: VersioningConfiguration.Status, expect: equals, value: Enabled}\n"
	if err := os.WriteFile(filepath.Join(dir, "v.yaml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "rules", "--rules", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "ACME-S3-001") {
		t.Fatalf("user rule not listed: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "w.yaml"), []byte(strings.Replace(rule, "ACME-S3-001", "ACME-S3-002", 1)+"bogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "rules", "--rules", dir); r.code != 2 || !strings.Contains(r.stderr, "bogus") {
		t.Errorf("broken user rule: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestAnalyzeSARIF(t *testing.T) {
	r := run(t, "analyze", "--format", "sarif", shared(t, "fixtures", "freshtracks", "template.yaml"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Tool.Driver.Rules) < 40 {
		t.Errorf("not a SARIF 2.1.0 log with the catalog: %.200s", r.stdout)
	}
	if strings.Contains(r.stdout, "x9F2kq7TzL0pW4mN8vB1cR6yH3dS5aQe") {
		t.Error("SARIF output contains the Zendesk token")
	}
}
