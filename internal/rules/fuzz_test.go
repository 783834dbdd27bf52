package rules_test

import (
	"context"
	"testing"

	"github.com/samthreat/samthreat/internal/adapt"
	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/sam"
)

// FuzzEvaluate feeds arbitrary templates through the pipeline: whatever the
// reader and model builder accept, no rule may panic or fail on it (a panic in
// a check surfaces as an error from Evaluate).
func FuzzEvaluate(f *testing.F) {
	cat, err := rules.Catalog()
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range cat {
		f.Add([]byte(r.Bad))
		f.Add([]byte(r.Good))
	}
	f.Add([]byte("Resources: {A: {Type: AWS::Serverless::Function, Properties: {Policies: [{Statement: [{Effect: Allow, Action: [], Resource: {}}]}]}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := sam.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		m, err := adapt.Build(tpl)
		if err != nil {
			return
		}
		ctx := context.Background()
		if err := blast.Compute(ctx, m, blast.Options{Template: tpl}); err != nil {
			return
		}
		if err := rules.Evaluate(ctx, m, rules.Options{Now: testNow, Template: tpl}); err != nil {
			t.Fatalf("rules failed on an accepted template: %v", err)
		}
	})
}

// FuzzUserRule: a user rule file is untrusted input: decoding it must fail
// cleanly, never panic.
func FuzzUserRule(f *testing.F) {
	f.Add([]byte("id: ACME-S3-001\ntitle: t\nowasp: S6\nstride: [Tampering]\nseverity: low\ndescription: d\nremediation: r\ncheck: property\nparams: {types: [AWS::S3::Bucket], path: A.B, expect: equals, value: x}\n"))
	f.Add([]byte("id: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = rules.DecodeUserRule("fuzz.yaml", data)
	})
}
