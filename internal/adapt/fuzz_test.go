package adapt

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/samthreat/samthreat/internal/sam"
)

// FuzzBuild: whatever the loader accepts, the builder models without panicking
// and every edge joins two named nodes.
func FuzzBuild(f *testing.F) {
	// small seeds: Go's fuzzer minimises every new input, which is slow for
	// whole templates (the testdata templates run as unit tests instead)
	for _, s := range []string{
		"Resources:\n F:\n  Type: AWS::Serverless::Function\n  Properties:\n   Policies: [{S3CrudPolicy: {BucketName: !Ref B}}]\n   Events: {E: {Type: S3, Properties: {Bucket: !Ref B}}}\n B: {Type: AWS::S3::Bucket}\n",
		"Resources:\n F: {Type: AWS::Lambda::Function}\n M: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionName: !Ref F, EventSourceArn: !GetAtt Q.Arn}}\n Q: {Type: AWS::SQS::Queue}\n",
		"Resources:\n F:\n  Type: AWS::Serverless::Function\n  Properties: {Environment: {Variables: {U: !Sub 'https://${P}.example.com'}}, Events: {A: {Type: Api, Properties: {Path: /x, Method: get}}}}\nParameters: {P: {Default: x}}\n",
		"Resources:\n S: {Type: AWS::StepFunctions::StateMachine, Properties: {DefinitionString: '{\"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\"}}}'}}\n",
	} {
		f.Add([]byte(s))
	}
	if d, err := os.ReadFile(filepath.Join("testdata", "connectors.yaml")); err == nil {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := sam.Parse(filepath.Join("testdata", "fuzz.yaml"), data)
		if err != nil {
			return
		}
		m, err := Build(tmpl)
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		for _, e := range m.Edges {
			if e.From == "" || e.To == "" {
				t.Fatalf("dangling edge %+v", e)
			}
		}
	})
}
