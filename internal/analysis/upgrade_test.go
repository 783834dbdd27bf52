package analysis

import (
	"context"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/blast"
	"github.com/samthreat/samthreat/internal/model"
)

// TestRuntimeUpgradeKeepsFindings: moving every function from one
// deprecated runtime to another is the same finding on each function (its
// fingerprint holds no runtime), so compare shows nothing gone and nothing
// new, and triage follows it.
func TestRuntimeUpgradeKeepsFindings(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: RUNTIME
      Handler: index.handler
      InlineCode: "exports.handler = async () => 1;"
  B:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: RUNTIME
      Handler: index.handler
      InlineCode: "exports.handler = async () => 2;"
`
	analyse := func(rt string) (*model.Model, []string) {
		m, err := Bytes(context.Background(), "template.yaml", []byte(strings.ReplaceAll(tmpl, "RUNTIME", rt)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var fps []string
		for _, f := range m.Findings {
			if f.RuleID == "SLS-FN-003" {
				fps = append(fps, f.Fingerprint)
			}
		}
		return m, fps
	}
	mb, before := analyse("nodejs12.x")
	ma, after := analyse("nodejs14.x")
	if len(before) != 2 || len(after) != 2 {
		t.Fatalf("deprecated-runtime findings: %v before, %v after (want one per function)", before, after)
	}
	c := blast.Compare(mb, ma)
	for _, f := range append(c.FindingsAdded, c.FindingsRemoved...) {
		if f.RuleID == "SLS-FN-003" {
			t.Errorf("the runtime upgrade shows %s as added or removed", f.Fingerprint)
		}
	}
}
