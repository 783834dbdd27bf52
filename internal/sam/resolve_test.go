package sam

import (
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const intrinsicsTemplate = `
Parameters:
  Stage: {Type: String, Default: prod}
  Sub: {Type: String, Default: freshtracks}
  NoDefault: {Type: String}
  Names: {Type: CommaDelimitedList, Default: "a,b,c"}
Mappings:
  Env:
    prod: {Host: api.example.com}
    dev: {Host: dev.example.com}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Table: {Type: AWS::DynamoDB::Table}
  Bucket: {Type: AWS::S3::Bucket}
  Fn: {Type: AWS::Serverless::Function}
`

func node(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	return n.Content[0]
}

func TestResolve(t *testing.T) {
	tmpl, err := Parse("t.yaml", []byte(intrinsicsTemplate))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, expr, text string
		refs             []RefTarget
		known            bool
		dynamic          string
	}{
		{"literal", `hello`, "hello", nil, true, ""},
		{"ref resource short", `!Ref Table`, "${Table}", []RefTarget{{ID: "Table"}}, false, ""},
		{"ref resource long", `{"Ref": "Table"}`, "${Table}", []RefTarget{{ID: "Table"}}, false, ""},
		{"ref parameter default", `!Ref Stage`, "prod", nil, true, ""},
		{"ref parameter without default", `!Ref NoDefault`, "${NoDefault}", nil, false, ""},
		{"pseudo", `!Ref AWS::Region`, "${AWS::Region}", nil, false, ""},
		{"getatt scalar", `!GetAtt Table.StreamArn`, "${Table.StreamArn}", []RefTarget{{ID: "Table", Attr: "StreamArn"}}, false, ""},
		{"getatt list", `{"Fn::GetAtt": ["Fn", "Arn"]}`, "${Fn.Arn}", []RefTarget{{ID: "Fn", Attr: "Arn"}}, false, ""},
		{"sub parameter", `!Sub "https://${Sub}.zendesk.com/api/v2"`, "https://freshtracks.zendesk.com/api/v2", nil, true, ""},
		{"sub resource attr", `!Sub "${Bucket.Arn}/*"`, "${Bucket.Arn}/*", []RefTarget{{ID: "Bucket", Attr: "Arn"}}, false, ""},
		{"sub literal escape", `!Sub "${!Literal}-${Stage}"`, "${Literal}-prod", nil, true, ""},
		{"sub with map", `!Sub ["arn:aws:s3:::${B}/*", {B: !Ref Bucket}]`, "arn:aws:s3:::${Bucket}/*", []RefTarget{{ID: "Bucket"}}, false, ""},
		{"join", `!Join ["-", [a, !Ref Stage, !Ref Table]]`, "a-prod-${Table}", []RefTarget{{ID: "Table"}}, false, ""},
		{"select", `!Select [1, [x, y, z]]`, "y", nil, true, ""},
		{"select split", `!Select [2, !Split [",", "a,b,c"]]`, "c", nil, true, ""},
		{"findinmap", `!FindInMap [Env, !Ref Stage, Host]`, "api.example.com", nil, true, ""},
		{"base64", `!Base64 abc`, "abc", nil, true, ""},
		{"import", `!ImportValue shared-vpc`, "${ImportValue:shared-vpc}", nil, false, ""},
		{"if", `!If [IsProd, !Ref Table, none]`, "${Table}", []RefTarget{{ID: "Table"}}, false, ""},
		{"dynamic secret", `"{{resolve:secretsmanager:db:SecretString:password}}"`, "{{resolve:secretsmanager:db:SecretString:password}}", nil, false, "secretsmanager"},
		{"dynamic ssm-secure in sub", `!Sub "{{resolve:ssm-secure:/x/${Stage}}}"`, "{{resolve:ssm-secure:/x/prod}}", nil, false, "ssm-secure"},
		{"getazs", `!GetAZs ""`, "${AWS::AZs}", nil, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := tmpl.Resolve(node(t, c.expr))
			if v.Text != c.text || v.Known != c.known || v.Dynamic != c.dynamic || !reflect.DeepEqual(v.Refs, c.refs) {
				t.Errorf("Resolve(%s) = %+v; want text %q refs %v known %v dynamic %q", c.expr, v, c.text, c.refs, c.known, c.dynamic)
			}
		})
	}
}

func TestResolveIfAlternatives(t *testing.T) {
	tmpl, _ := Parse("t.yaml", []byte(intrinsicsTemplate))
	v := tmpl.Resolve(node(t, `!If [IsProd, "https://a.example.com", "https://b.example.com"]`))
	if !v.Conditional || !reflect.DeepEqual(v.Alternatives, []string{"https://a.example.com", "https://b.example.com"}) {
		t.Fatalf("both branches must be kept: %+v", v)
	}
}

func TestResolveWithVariables(t *testing.T) {
	tmpl, _ := Parse("t.yaml", []byte(intrinsicsTemplate))
	// a SAM policy template: ${bucketName} bound to the user's !Ref Bucket
	def := node(t, `{"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucketName}/*", {"bucketName": {"Ref": "BucketName"}}]}`)
	v := tmpl.ResolveWith(def, map[string]*yaml.Node{"BucketName": node(t, `!Ref Bucket`)})
	if v.Text != "arn:${AWS::Partition}:s3:::${Bucket}/*" || !reflect.DeepEqual(v.Refs, []RefTarget{{ID: "Bucket"}}) {
		t.Fatalf("got %+v", v)
	}
}

func TestResolveList(t *testing.T) {
	tmpl, _ := Parse("t.yaml", []byte(intrinsicsTemplate))
	got := func(expr string) []string {
		var out []string
		for _, v := range tmpl.ResolveList(node(t, expr)) {
			out = append(out, v.Text)
		}
		return out
	}
	for expr, want := range map[string][]string{
		`[!GetAtt Table.Arn, !Sub "${Table.Arn}/index/*"]`: {"${Table.Arn}", "${Table.Arn}/index/*"},
		`!Split [",", "x,y"]`:                              {"x", "y"},
		`!Ref Names`:                                       {"a", "b", "c"},
		`!If [IsProd, [a], [b, c]]`:                        {"a", "b", "c"},
		`single`:                                           {"single"},
	} {
		if g := got(expr); strings.Join(g, "|") != strings.Join(want, "|") {
			t.Errorf("ResolveList(%s) = %v, want %v", expr, g, want)
		}
	}
}

func TestResolveDepthBounded(t *testing.T) {
	tmpl, _ := Parse("t.yaml", []byte(intrinsicsTemplate))
	expr := strings.Repeat("!Base64 [", 150) // unterminated flow is invalid; build nested nodes by hand
	_ = expr
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: "x", Tag: "!!str"}
	for i := 0; i < 1000; i++ {
		n = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "Fn::Base64"}, n}}
	}
	if v := tmpl.Resolve(n); v.Known {
		t.Fatalf("a 1000-deep expression must be cut off, not evaluated: %+v", v)
	}
}
