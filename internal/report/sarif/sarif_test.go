package sarif_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/report/sarif"
	"github.com/samthreat/samthreat/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sample is a hand-built model with the finding shapes the writer must handle:
// template and code evidence, a suppressed finding, a user rule.
func sample() *model.Model {
	return &model.Model{
		Template: "infra/template.yaml",
		Findings: []*model.Finding{
			{RuleID: "SLS-IAM-001", Title: "Wildcard action in a function's policy", OWASP: "S5", STRIDE: []string{"Elevation of privilege"}, Severity: "high",
				Resource: "publishToIoT", Message: `publishToIoT is allowed "iot:*" on every resource (*)`,
				Evidence: []model.Location{{File: "infra/template.yaml", Line: 120}}, Fingerprint: "SLS-IAM-001@publishToIoT#iot:*",
				Triage: &model.Triage{Status: "open", Owner: "bob"}},
			{RuleID: "SLS-DEP-001", Title: "XML parser on untrusted input (XXE)", OWASP: "S4", Severity: "high", Resource: "parseGPX",
				Message:     "parseGPX parses XML with xml2js on input that arrives through S3 event Upload",
				Evidence:    []model.Location{{File: "infra/template.yaml", Line: 210}, {File: "infra/src/parseGPX.js", Line: 2}},
				Fingerprint: "SLS-DEP-001@parseGPX#xml2js"},
			{RuleID: "SLS-FN-006", Title: "Function not traced with X-Ray", OWASP: "S10", Severity: "low", Resource: "parseGPX",
				Message: "parseGPX does not send traces to X-Ray", Evidence: []model.Location{{File: "infra/template.yaml", Line: 200}},
				Fingerprint: "SLS-FN-006@parseGPX#tracing", Suppressed: true, SuppressReason: "tracing is sampled by the platform team"},
			{RuleID: "ACME-S3-001", Title: "Buckets must be versioned", OWASP: "S6", Severity: "medium", Resource: "Bucket",
				Message: "Bucket: VersioningConfiguration.Status should be equals Enabled", Evidence: []model.Location{{File: "infra/template.yaml", Line: 30}},
				Fingerprint: "ACME-S3-001@Bucket#VersioningConfiguration.Status",
				Triage:      &model.Triage{Status: "false-positive", Justification: "versioning is enforced by an SCP", Owner: "alice"}},
		},
	}
}

func TestWriteValidAgainstSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := sarif.Write(&buf, []*model.Model{sample()}, sarif.Options{ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())

	golden := filepath.Join("testdata", "sample.sarif.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("SARIF differs from %s (run go test ./internal/report/sarif -update and review the diff)", golden)
	}

	var log sarif.Log
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) < 40 {
		t.Errorf("driver has %d rules, want the whole catalog", len(run.Tool.Driver.Rules))
	}
	for _, r := range run.Results {
		if got := run.Tool.Driver.Rules[r.RuleIndex].ID; got != r.RuleID {
			t.Errorf("result %s points at rule %d = %s", r.RuleID, r.RuleIndex, got)
		}
		if r.Locations[0].PhysicalLocation.Region == nil || r.Locations[0].PhysicalLocation.Region.StartLine == 0 {
			t.Errorf("result %s has no line", r.RuleID)
		}
	}
	iam := run.Tool.Driver.Rules[run.Results[0].RuleIndex]
	if !strings.Contains(iam.Help.Markdown, "Remediation") || !contains(iam.Properties["tags"], "owasp-serverless-s5") {
		t.Errorf("rule metadata lacks help or OWASP tag: %+v", iam)
	}
	if s := run.Results[2].Suppressions; len(s) != 1 || s[0].Justification == "" {
		t.Errorf("suppressed finding not marked: %+v", run.Results[2])
	}
	// Triage: a false positive is an external suppression with its reason;
	// an open finding is not suppressed.
	if s := run.Results[3].Suppressions; len(s) != 1 || s[0].Kind != "external" ||
		s[0].Justification != "false-positive: versioning is enforced by an SCP (alice)" {
		t.Errorf("triaged finding: %+v", run.Results[3].Suppressions)
	}
	if s := run.Results[0].Suppressions; len(s) != 0 {
		t.Errorf("open finding suppressed: %+v", s)
	}
}

func contains(v any, s string) bool {
	list, _ := v.([]any)
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validate checks a log against the official SARIF 2.1.0 schema (vendored in testdata).
func validate(t *testing.T, data []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF is not valid against the 2.1.0 schema: %v", err)
	}
}

// TestSchemaRejects proves the validation is real: a log without the
// required version must fail.
func TestSchemaRejects(t *testing.T) {
	bad := []byte(`{"runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"loud"}]}]}`)
	f, _ := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("s.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("s.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err := sch.Validate(inst); err == nil {
		t.Fatal("schema accepted a log without version and with level \"loud\"")
	}
}

// TestFreshTracksSARIF: the log of a real analysis is valid too, and every
// result points at a line of the template.
func TestFreshTracksSARIF(t *testing.T) {
	m, err := analysis.File(context.Background(), testshared.FreshTracks(t, "template.yaml"), analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sarif.Write(&buf, []*model.Model{m}, sarif.Options{ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	var log sarif.Log
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	gaps := 0
	for _, c := range m.Hardening {
		gaps += len(c.Missing)
	}
	if len(log.Runs[0].Results) != len(m.Findings)+gaps {
		t.Errorf("%d results for %d findings and %d hardening gaps", len(log.Runs[0].Results), len(m.Findings), gaps)
	}
	notes := 0
	for _, r := range log.Runs[0].Results {
		if r.Properties["kind"] == "hardening" {
			notes++
			if r.Level != "note" {
				t.Errorf("%s: hardening gap at level %s, want note", r.PartialFingerprints["samthreat/v1"], r.Level)
			}
		}
	}
	if notes != gaps || gaps == 0 {
		t.Errorf("%d hardening results for %d gaps", notes, gaps)
	}
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		if loc.Region == nil || loc.Region.StartLine <= 0 || !strings.HasSuffix(loc.ArtifactLocation.URI, ".yaml") {
			t.Errorf("%s: no template line: %+v", r.PartialFingerprints["samthreat/v1"], loc)
		}
	}
}
