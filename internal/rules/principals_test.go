package rules_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules"
)

// TestIAMRulesJudgeEveryPrincipal: the IAM rules read model.Principals (state
// machines, IoT topic rules, other roles) like functions, once per rule and
// principal, and say which service assumes the role.
func TestIAMRulesJudgeEveryPrincipal(t *testing.T) {
	src := model.Source{File: "template.yaml", Line: 10}
	stmt := func(origin string, line int, actions ...string) model.Statement {
		return model.Statement{Effect: "Allow", Actions: actions, Resources: []string{"*"}, Origin: origin, Source: model.Source{File: "template.yaml", Line: line}}
	}
	m := &model.Model{
		Template: "template.yaml",
		Functions: []*model.Function{{ID: "Worker", Role: "WorkerRole", RoleInTemplate: true, Line: 5,
			Statements: []model.Statement{stmt("WorkerPolicy", 6, "s3:GetObject")}}},
		Principals: []*model.Principal{
			{ID: "Orchestrator", Kind: model.PrincipalStateMachine, Role: "OrchestratorRole", AssumedBy: []string{"states.amazonaws.com"}, Source: src,
				Statements: []model.Statement{stmt("stepfn", 20, "lambda:InvokeFunction"), stmt("notify", 24, "sns:Publish")}},
			{ID: "ArchiveRule", Kind: model.PrincipalTopicRule, Role: "IotRole", AssumedBy: []string{"iot.amazonaws.com"}, Source: src,
				Statements: []model.Statement{stmt("iot", 30, "s3:Get*", "s3:PutObject")}},
			// the function's own role, listed again as a role: judged once, as the function's
			{ID: "WorkerRole", Kind: model.PrincipalRole, Role: "WorkerRole", AssumedBy: []string{"lambda.amazonaws.com"}, Source: src,
				Statements: []model.Statement{stmt("WorkerPolicy", 6, "s3:GetObject")}},
		},
	}
	if err := rules.Evaluate(context.Background(), m, rules.Options{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	byKey := map[string]*model.Finding{}
	for _, f := range m.Findings {
		if strings.HasPrefix(f.RuleID, "SLS-IAM-") {
			count[f.RuleID+"@"+f.Resource]++
			byKey[f.RuleID+"@"+f.Resource] = f
		}
	}
	for k, n := range count {
		if n > 1 {
			t.Errorf("%s reported %d times", k, n)
		}
	}
	sm := byKey["SLS-IAM-003@Orchestrator"]
	if sm == nil {
		t.Fatalf("no SLS-IAM-003 on the state machine: %v", count)
	}
	for _, want := range []string{"state machine Orchestrator", "assumed by states.amazonaws.com", "lambda:InvokeFunction", "sns:Publish"} {
		if !strings.Contains(sm.Message, want) {
			t.Errorf("message %q lacks %q", sm.Message, want)
		}
	}
	if len(sm.Evidence) != 2 || sm.Fingerprint != "SLS-IAM-003@Orchestrator" {
		t.Errorf("one finding with evidence at both statements and a rule@principal fingerprint: %+v", sm)
	}
	if f := byKey["SLS-IAM-006@ArchiveRule"]; f == nil || !strings.Contains(f.Message, "IoT topic rule ArchiveRule") || !strings.Contains(f.Message, "s3:GetObject on *") {
		t.Errorf("IoT topic rule role reading every bucket: %+v", f)
	}
	if f := byKey["SLS-IAM-003@ArchiveRule"]; f == nil || !strings.Contains(f.Message, "s3:PutObject") {
		t.Errorf("topic rule role writing every bucket: %+v", f)
	}
	if count["SLS-IAM-006@WorkerRole"] != 0 || count["SLS-IAM-006@Worker"] != 1 {
		t.Errorf("a function's role is judged once, as the function's: %v", count)
	}
}

// TestOneFindingPerIAMRule: a function with several full-access managed
// policies gets each IAM rule once, listing every policy, with evidence at
// each and a fingerprint that does not depend on the policies.
func TestOneFindingPerIAMRule(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      CodeUri: src/
      Policies:
        - AmazonS3FullAccess
        - AmazonDynamoDBFullAccess
        - AmazonSNSFullAccess
`
	path, opts := writeExample(t, &rules.Rule{}, tmpl)
	m := analyze(t, path, opts)
	per := map[string][]*model.Finding{}
	for _, f := range m.Findings {
		if strings.HasPrefix(f.RuleID, "SLS-IAM-") {
			per[f.RuleID] = append(per[f.RuleID], f)
		}
	}
	for id, fs := range per {
		if len(fs) != 1 {
			t.Errorf("%s: %d findings on one function", id, len(fs))
			continue
		}
		if fs[0].Fingerprint != id+"@Fn" {
			t.Errorf("%s: fingerprint %s, want %s@Fn", id, fs[0].Fingerprint, id)
		}
	}
	f := per["SLS-IAM-009"]
	if len(f) != 1 || len(f[0].Evidence) != 3 {
		t.Fatalf("SLS-IAM-009: one finding with evidence at the three policies: %+v", f)
	}
	for _, name := range []string{"AmazonS3FullAccess", "AmazonDynamoDBFullAccess", "AmazonSNSFullAccess"} {
		if !strings.Contains(f[0].Message, name) {
			t.Errorf("SLS-IAM-009 message lacks %s: %s", name, f[0].Message)
		}
	}
	if w := per["SLS-IAM-001"]; len(w) != 1 || !strings.Contains(w[0].Message, `"s3:*"`) || !strings.Contains(w[0].Message, `"sns:*"`) {
		t.Errorf("SLS-IAM-001 lists every wildcard: %+v", w)
	}
}
