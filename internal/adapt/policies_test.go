package adapt

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// withReferenceTemplates makes the builder read SAM policy templates from the
// shared reference data and keeps grants as written, so the builder's own
// logic is tested whatever state the IAM catalogs are in.
func withReferenceTemplates(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "reference", "sam", "policy_templates.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Templates map[string]struct {
			Definition json.RawMessage
			Parameters map[string]any
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	oldT, oldM, oldG := iamPolicyTemplate, iamManagedPolicy, iamGrants
	t.Cleanup(func() { iamPolicyTemplate, iamManagedPolicy, iamGrants = oldT, oldM, oldG })
	iamPolicyTemplate = func(name string) ([]byte, []string, bool) {
		tp, ok := ref.Templates[name]
		if !ok {
			return nil, nil, false
		}
		var params []string
		for p := range tp.Parameters {
			params = append(params, p)
		}
		sort.Strings(params)
		return tp.Definition, params, true
	}
	iamManagedPolicy = func(string) ([]byte, bool) { return nil, false }
	iamGrants = func([]model.Statement) []model.Grant { return nil }
}

func fn(m *model.Model, id string) *model.Function {
	for _, f := range m.Functions {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func TestPolicyTemplateExpansion(t *testing.T) {
	withReferenceTemplates(t)
	m := freshTracks(t)
	f := fn(m, "getActivity")
	var s3 *model.Statement
	for i := range f.Statements {
		if f.Statements[i].Origin == "S3CrudPolicy" {
			s3 = &f.Statements[i]
		}
	}
	if s3 == nil {
		t.Fatalf("no S3CrudPolicy statement: %+v", f.Statements)
	}
	if !reflect.DeepEqual(s3.Targets, []string{"FreshTracksS3Bucket"}) ||
		!reflect.DeepEqual(s3.Resources, []string{"arn:${AWS::Partition}:s3:::${FreshTracksS3Bucket}", "arn:${AWS::Partition}:s3:::${FreshTracksS3Bucket}/*"}) {
		t.Errorf("S3CrudPolicy statement: %+v", s3)
	}
	e := edgeOf(m, "getActivity", "FreshTracksS3Bucket", model.EdgeAccess)
	if e == nil || len(e.Actions) != len(s3.Actions) {
		t.Fatalf("access edge must carry the template's %d actions: %+v", len(s3.Actions), e)
	}
	lines := strings.Split(m.TemplateText, "\n")
	if l := s3.Source.Line; l <= f.Line || l > len(lines) || !strings.Contains(lines[l-1], "S3CrudPolicy") {
		t.Errorf("statement source must be getActivity's Policies entry, got line %d", l)
	}
	var kinds []string
	for _, p := range f.Policies {
		kinds = append(kinds, p.Kind+":"+p.Name)
	}
	if strings.Join(kinds, " ") != "template:DynamoDBCrudPolicy template:S3CrudPolicy managed:AWSLambdaBasicExecutionRole" {
		t.Errorf("policies: %v", kinds)
	}
}

func TestRoleAndStatementTargets(t *testing.T) {
	withReferenceTemplates(t)
	m := buildFile(t, filepath.Join("testdata", "iam.yaml"))
	caller := fn(m, "Caller")
	if caller.Role != "CallerRole" || !caller.RoleInTemplate {
		t.Fatalf("role: %q %v", caller.Role, caller.RoleInTemplate)
	}
	targets := map[string][]string{}
	for _, s := range caller.Statements {
		targets[strings.Join(s.Actions, ",")] = s.Targets
	}
	want := map[string][]string{
		"dynamodb:Query":        {"Table"},
		"s3:GetObject":          {"Bucket"},
		"sqs:SendMessage":       {"account:123456789012"}, // another account: a third party, not a node inside this one
		"logs:*":                {"*"},
		"lambda:InvokeFunction": {"Worker"},
	}
	if !reflect.DeepEqual(targets, want) {
		t.Errorf("targets %v, want %v", targets, want)
	}
	if edgeOf(m, "Caller", "Worker", model.EdgeInvoke) == nil {
		t.Error("lambda:InvokeFunction on a function is an invoke edge")
	}
	if edgeOf(m, "Caller", "external:logs", model.EdgeAccess) == nil {
		t.Error("a * resource reaches the external node of the action's service")
	}
	var pk []string
	for _, p := range caller.Policies {
		pk = append(pk, p.Kind+":"+p.Name)
	}
	if strings.Join(pk, " ") != "role-inline:inline attached:Attached" {
		t.Errorf("policies %v", pk)
	}

	tf := fn(m, "Templated")
	var names []string
	known := map[string]bool{}
	for _, p := range tf.Policies {
		names = append(names, p.Name)
		known[p.Name] = p.Known
	}
	if !known["DynamoDBReadPolicy"] || !known["SQSPollerPolicy"] || known["NoSuchPolicyTemplate"] {
		t.Errorf("policies %v known %v", names, known)
	}
	cond := false
	for _, s := range tf.Statements {
		if s.Origin == "SQSPollerPolicy" {
			cond = s.Condition
			if !reflect.DeepEqual(s.Targets, []string{"external:sqs"}) {
				t.Errorf("a queue named outside the template is external: %v", s.Targets)
			}
		}
	}
	if !cond {
		t.Error("a policy under Fn::If is kept and marked conditional")
	}
	if edgeOf(m, "Templated", "Worker", model.EdgeInvoke) == nil {
		t.Error("inline invoke statement")
	}
}

func TestManagedPolicies(t *testing.T) {
	withReferenceTemplates(t)
	docs := map[string]string{
		"AmazonS3ReadOnlyAccess":                   `{"Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`,
		"service-role/AWSLambdaBasicExecutionRole": `{"Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:PutLogEvents"],"Resource":"*"}]}`,
	}
	iamManagedPolicy = func(name string) ([]byte, bool) {
		d, ok := docs[name]
		return []byte(d), ok
	}
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: a/
      Policies:
        - AmazonS3ReadOnlyAccess
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - arn:aws:iam::123456789012:policy/team-policy
`
	tmpl, err := sam.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	f := fn(m, "Fn")
	var got []string
	for _, p := range f.Policies {
		got = append(got, fmt.Sprintf("%s:%s:%v", p.Kind, p.Name, p.Known))
	}
	want := "managed:AmazonS3ReadOnlyAccess:true managed:service-role/AWSLambdaBasicExecutionRole:true managed:team-policy:false"
	if strings.Join(got, " ") != want {
		t.Errorf("policies %v, want %s (the implicit basic role is not added twice)", got, want)
	}
	if e := edgeOf(m, "Fn", "external:s3", model.EdgeAccess); e == nil || strings.Join(e.Actions, ",") != "s3:Get*,s3:List*" {
		t.Errorf("managed policy on * reaches external:s3: %+v", e)
	}
	found := false
	for _, d := range m.Diagnostics {
		found = found || strings.Contains(d.Message, "team-policy")
	}
	if !found {
		t.Error("a customer managed policy outside the template is reported")
	}
}
