package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samthreat/samthreat/internal/model"
)

// handModel is a model built by hand, as the model builder would produce it,
// so the engine can be tested without the rest of the pipeline.
func handModel() *model.Model {
	small := &model.Blast{BlastRadius: 10}
	big := &model.Blast{BlastRadius: 5000}
	return &model.Model{
		Template: "template.yaml",
		Functions: []*model.Function{
			{ID: "Small", Line: 10, Runtime: "nodejs24.x", Tracing: "Active", Blast: small,
				Environment:  []model.EnvVar{{Name: "ZENDESK_API_TOKEN", Value: "x9F2kq7TzL0pW4mN8vB1cR6yH3dS5aQe", Kind: "literal", Source: model.Source{File: "template.yaml", Line: 14}}},
				Suppressions: []model.Suppression{{ID: "SLS-FN-001", Reason: "bounded by the queue"}}},
			{ID: "Big", Line: 30, Runtime: "nodejs12.x", Tracing: "Active", Blast: big,
				Statements: []model.Statement{{Effect: "Allow", Actions: []string{"iot:*"}, Resources: []string{"*"}, Source: model.Source{File: "template.yaml", Line: 40}}}},
		},
	}
}

func evaluate(t *testing.T, m *model.Model, opts Options) {
	t.Helper()
	opts.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	if err := Evaluate(context.Background(), m, opts); err != nil {
		t.Fatal(err)
	}
}

func find(m *model.Model, rule, res string) *model.Finding {
	for _, f := range m.Findings {
		if f.RuleID == rule && f.Resource == res {
			return f
		}
	}
	return nil
}

func TestSecretIsMasked(t *testing.T) {
	m := handModel()
	evaluate(t, m, Options{})
	f := find(m, "SLS-SEC-001", "Small")
	if f == nil {
		t.Fatal("plaintext token not reported")
	}
	if strings.Contains(f.Message, "x9F2kq7TzL0pW4mN8vB1cR6yH3dS5aQe") || strings.Contains(f.Message, "kq7T") {
		t.Errorf("secret echoed: %s", f.Message)
	}
	if !strings.Contains(f.Message, "ZENDESK_API_TOKEN") || !strings.Contains(f.Message, "masked") {
		t.Errorf("message should name the variable and say the value is masked: %s", f.Message)
	}
	if e := m.Functions[0].Environment[0]; !e.Masked || strings.Contains(e.Value, "kq7T") {
		t.Errorf("secret left in the model, where renderers would print it: %+v", e)
	}
	if f.Evidence[0].Line != 14 || f.Fingerprint != "SLS-SEC-001@Small#ZENDESK_API_TOKEN" {
		t.Errorf("evidence/fingerprint: %+v %s", f.Evidence, f.Fingerprint)
	}
}

func TestSuppressionKeepsFindingWithReason(t *testing.T) {
	// As a hardening control the suppression marks the checklist gap.
	h := handModel()
	evaluate(t, h, Options{})
	if find(h, "SLS-FN-001", "Small") != nil {
		t.Error("a hardening control reported as a finding")
	}
	var small, big *model.HardeningGap
	for _, c := range h.Hardening {
		if c.RuleID != "SLS-FN-001" {
			continue
		}
		for i := range c.Missing {
			switch c.Missing[i].Resource {
			case "Small":
				small = &c.Missing[i]
			case "Big":
				big = &c.Missing[i]
			}
		}
	}
	if small == nil || !small.Suppressed || small.SuppressReason != "bounded by the queue" {
		t.Errorf("suppressed gap: %+v", small)
	}
	if big == nil || big.Suppressed {
		t.Errorf("suppression leaked to another function's gap: %+v", big)
	}
	// Raised to a threat, it is a finding, suppressed the same way.
	m := handModel()
	evaluate(t, m, Options{Raise: []string{"sls-fn-001"}})
	f := find(m, "SLS-FN-001", "Small")
	if f == nil || !f.Suppressed || f.SuppressReason != "bounded by the queue" {
		t.Fatalf("suppressed finding: %+v", f)
	}
	if g := find(m, "SLS-FN-001", "Big"); g == nil || g.Suppressed {
		t.Errorf("suppression leaked to another function: %+v", g)
	}
	total := 0
	for _, n := range m.Summary.FindingsBySev {
		total += n
	}
	unsuppressed := 0
	for _, f := range m.Findings {
		if !f.Suppressed {
			unsuppressed++
		}
	}
	if total != unsuppressed {
		t.Errorf("summary counts %d, unsuppressed findings %d", total, unsuppressed)
	}
}

func TestRankBySeverityThenBlast(t *testing.T) {
	m := handModel()
	evaluate(t, m, Options{Raise: []string{"SLS-FN-001"}})
	for i := 1; i < len(m.Findings); i++ {
		a, b := m.Findings[i-1], m.Findings[i]
		if a.Severity.Rank() < b.Severity.Rank() {
			t.Fatalf("%s (%s) ranked before %s (%s)", a.Fingerprint, a.Severity, b.Fingerprint, b.Severity)
		}
	}
	// Both functions lack reserved concurrency (low): the one with the larger blast radius comes first.
	var order []string
	for _, f := range m.Findings {
		if f.RuleID == "SLS-FN-001" {
			order = append(order, f.Resource)
		}
	}
	if strings.Join(order, ",") != "Big,Small" {
		t.Errorf("same severity not ranked by blast radius: %v", order)
	}
}

func TestFingerprintsStableAcrossEdits(t *testing.T) {
	a := handModel()
	evaluate(t, a, Options{})
	b := handModel()
	// An unrelated edit moves every line.
	for _, f := range b.Functions {
		f.Line += 7
		for i := range f.Environment {
			f.Environment[i].Source.Line += 7
		}
		for i := range f.Statements {
			f.Statements[i].Source.Line += 7
		}
	}
	evaluate(t, b, Options{})
	fa, fb := map[string]bool{}, map[string]bool{}
	for _, f := range a.Findings {
		if fa[f.Fingerprint] {
			t.Errorf("duplicate fingerprint %s", f.Fingerprint)
		}
		fa[f.Fingerprint] = true
	}
	for _, f := range b.Findings {
		fb[f.Fingerprint] = true
	}
	for k := range fa {
		if !fb[k] {
			t.Errorf("fingerprint %s lost after moving lines", k)
		}
	}
}

func TestUserRules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("iot.yaml", `id: ACME-IAM-001
title: IoT wildcards are forbidden here
owasp: S5
stride: [Elevation of privilege]
severity: critical
description: Our platform forbids iot wildcards.
remediation: List the IoT actions.
check: SLS-IAM-004
params:
  actions: ["iot:DeleteThing", "iot:UpdateCertificate"]
`)
	m := handModel()
	evaluate(t, m, Options{RulesDir: dir})
	f := find(m, "ACME-IAM-001", "Big")
	if f == nil || f.Severity != "critical" || !strings.Contains(f.Message, "iot:DeleteThing") {
		t.Fatalf("user rule reusing a check with params: %+v", f)
	}
	if find(m, "ACME-IAM-001", "Small") != nil {
		t.Error("user rule fired on a function without the actions")
	}

	write("bad.yaml", "id: ACME-X-001\ntitle: t\nowasp: S11\nstride: [Spoofing]\nseverity: high\ndescription: d\nremediation: r\ncheck: property\nparams: {types: [AWS::S3::Bucket], path: A, expect: present}\n")
	if err := Evaluate(context.Background(), handModel(), Options{RulesDir: dir}); err == nil || !strings.Contains(err.Error(), "ACME-X-001") {
		t.Errorf("invalid user rule accepted or error does not name it: %v", err)
	}
}

func TestEvaluateNilAndEmpty(t *testing.T) {
	if err := Evaluate(context.Background(), nil, Options{}); err != nil {
		t.Fatal(err)
	}
	m := &model.Model{}
	evaluate(t, m, Options{})
	if len(m.Findings) != 0 {
		t.Errorf("findings on an empty model: %d", len(m.Findings))
	}
}

// TestBroaderTemplateFromCode: SLS-IAM-008 compares a Crud template with the
// SDK calls the blast stage found (hand-built here; the pipeline test covers
// the real stage).
func TestBroaderTemplateFromCode(t *testing.T) {
	crud := model.PolicyRef{Kind: "template", Name: "DynamoDBCrudPolicy", Known: true, Source: model.Source{File: "template.yaml", Line: 176}}
	s3crud := model.PolicyRef{Kind: "template", Name: "S3CrudPolicy", Known: true, Source: model.Source{File: "template.yaml", Line: 217}}
	m := &model.Model{Template: "template.yaml", Functions: []*model.Function{
		{ID: "getActivitiesForUser", Line: 168, Policies: []model.PolicyRef{crud},
			Blast: &model.Blast{CodeFiles: []string{"src/getActivitiesForUser.js"}, CodeParsed: true, Used: []string{"dynamodb:Query"},
				SDKCalls: []model.SDKCall{{Service: "DynamoDB.DocumentClient", Method: "query", Actions: []string{"dynamodb:Query"}}}}},
		{ID: "parseGPX", Line: 207, Policies: []model.PolicyRef{crud, s3crud},
			Blast: &model.Blast{CodeFiles: []string{"src/parseGPX.js"}, CodeParsed: true, Used: []string{"s3:GetObject"}}},
		{ID: "save", Line: 150, Policies: []model.PolicyRef{crud},
			Blast: &model.Blast{CodeFiles: []string{"src/save.js"}, CodeParsed: true, Used: []string{"dynamodb:PutItem", "dynamodb:Query"}}},
		{ID: "noCode", Line: 300, Policies: []model.PolicyRef{crud}},
		// Found but not read (a build without cgo, or every module failed to
		// parse): an absent SDK call proves nothing.
		{ID: "notRead", Line: 320, Policies: []model.PolicyRef{crud, s3crud},
			Blast: &model.Blast{CodeFiles: []string{"src/notRead.js"}, ComplexityEstimated: true, CodeNotRead: true}},
	}}
	evaluate(t, m, Options{})
	for _, c := range []struct{ fn, words string }{
		{"getActivitiesForUser", "only reads (dynamodb:Query): DynamoDBReadPolicy suffices"},
		{"parseGPX", "makes no dynamodb call"},
		{"parseGPX", "only reads (s3:GetObject): S3ReadPolicy suffices"},
	} {
		found := false
		for _, f := range m.Findings {
			if f.RuleID == "SLS-IAM-008" && f.Resource == c.fn && strings.Contains(f.Message, c.words) {
				found = true
				if f.Evidence[0].Line == 0 {
					t.Errorf("%s: no line", f.Fingerprint)
				}
			}
		}
		if !found {
			t.Errorf("%s: no SLS-IAM-008 saying %q", c.fn, c.words)
		}
	}
	for _, f := range m.Findings {
		if f.RuleID == "SLS-IAM-008" && (f.Resource == "save" || f.Resource == "noCode" || f.Resource == "notRead") {
			t.Errorf("reads and writes, or no code seen, must stay silent: %s", f.Message)
		}
	}
}
