package adapt

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

func TestPlainCloudFormationWiring(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "wiring.yaml"))
	for _, c := range []struct{ from, to, kind string }{
		{"Bucket", "Fn", model.EdgeTrigger},
		{"Queue", "Fn", model.EdgeTrigger},
		{"Topic", "Other", model.EdgeTrigger},
		{"Other URL", "Other", model.EdgeTrigger},
		{"external:events", "Fn", model.EdgeTrigger},
		{"Schedule", "Other", model.EdgeTrigger},
		{"Api POST /items", "Fn", model.EdgeTrigger},
		{"Http GET /things", "Other", model.EdgeTrigger},
		{"Graph", "Fn", model.EdgeTrigger},
		{"Stream", "Pipe", model.EdgeTrigger}, // the pipe is a node between its source and target
		{"Pipe", "Other", model.EdgeTrigger},
		{"Machine", "Fn", model.EdgeTrigger},
		{"Machine", "Other", model.EdgeTrigger},
		{"Machine", "Queue", model.EdgeAccess},
		{"Fn", "Queue", model.EdgeDestination},
		{"Fn", "Other", model.EdgeInvoke},
		{"internet", "Other URL", model.EdgeTrigger},
	} {
		if edgeOf(m, c.from, c.to, c.kind) == nil {
			t.Errorf("missing %s edge %s -> %s", c.kind, c.from, c.to)
		}
	}
	eps := map[string]*model.EntryPoint{}
	for _, ep := range m.EntryPoints {
		eps[ep.ID] = ep
	}
	if ep := eps["Api POST /items"]; ep == nil || ep.Auth != "AWS_IAM" || ep.Public || !ep.HasBody {
		t.Errorf("REST method entry point: %+v", ep)
	}
	if ep := eps["Other URL"]; ep == nil || ep.Kind != "function-url" || !ep.Public {
		t.Errorf("function URL: %+v", ep)
	}
	if f := fn(m, "Fn"); !f.InlineCode || len(f.Events) < 4 {
		t.Errorf("Fn: inline %v events %+v", f.InlineCode, f.Events)
	}
	if f := fn(m, "Other"); f.CodeURI != "s3://b/k" || f.URL == nil {
		t.Errorf("Other: %+v", f)
	}
	warned := false
	for _, d := range m.Diagnostics {
		if d.Source.LogicalID == "Fn" && d.Level == "warning" {
			warned = true
		}
	}
	if !warned {
		t.Error("a role outside the template must be reported")
	}
}

// TestSAMEventsAndNewProperties: a property no typed decoder knows
// (DurableConfig) does not stop the function from being modelled completely.
func TestSAMEventsAndNewProperties(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "sam-events.yaml"))
	f := fn(m, "Fn")
	if f == nil || f.Runtime != "python3.12" || f.BuildMethod != "esbuild" || len(f.EntryPoints) != 1 || len(f.Suppressions) != 1 {
		t.Fatalf("function: %+v", f)
	}
	if f.URL == nil || f.URL.AuthType != "AWS_IAM" {
		t.Errorf("function URL: %+v", f.URL)
	}
	env := map[string]model.EnvVar{}
	for _, e := range f.Environment {
		env[e.Name] = e
	}
	if env["PARTNER"].Kind != "ref" || env["PARTNER"].Value != "https://api.partner.example.org/v1" {
		t.Errorf("PARTNER: %+v", env["PARTNER"])
	}
	if env["SECRET"].Kind != "dynamic-ref" || env["SECRET"].Dynamic != "secretsmanager" {
		t.Errorf("SECRET: %+v", env["SECRET"])
	}
	eps := map[string]*model.EntryPoint{}
	for _, ep := range m.EntryPoints {
		eps[ep.ID] = ep
	}
	for id, auth := range map[string]string{
		"ServerlessRestApi GET /private": "COGNITO:Cognito",
		"ServerlessRestApi POST /open":   "NONE",
		"HttpApi PUT /h":                 "JWT:Jwt",
		"Fn URL":                         "AWS_IAM",
	} {
		if ep := eps[id]; ep == nil || ep.Auth != auth {
			t.Errorf("%s: %+v, want auth %s", id, ep, auth)
		}
	}
	if edgeOf(m, "Queue", "Fn", model.EdgeTrigger) == nil || edgeOf(m, "Fn Nightly", "Fn", model.EdgeTrigger) == nil {
		t.Error("SQS and schedule triggers")
	}
	kinds := map[string]bool{}
	for _, tp := range m.ThirdParties {
		kinds[string(tp.Kind)+":"+tp.Host] = true
	}
	if !kinds["http:api.partner.example.org"] || !kinds["foreign-account-layer:"] {
		t.Errorf("third parties: %v", kinds)
	}
	if len(m.Clients) != 2 {
		t.Errorf("clients: %+v", m.Clients)
	}
}

// TestGoformationNeverRejects: goformation cannot decode the function (it does
// not know DurableConfig) and the model is complete all the same.
func TestGoformationNeverRejects(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "sam-events.yaml"))
	f := fn(m, "Fn")
	if _, err := typedFunction(resOf(t, filepath.Join("testdata", "sam-events.yaml"), "Fn")); err == nil {
		t.Fatal("goformation v7.14.9 is expected to refuse DurableConfig; pick a newer unknown property")
	}
	if len(f.Events) != 5 || len(f.Environment) != 2 || f.URL == nil || len(f.Layers) != 1 || f.Handler != "app.handler" {
		t.Fatalf("function not modelled completely: %+v", f)
	}
	// where goformation can decode, it agrees with the node tree
	ft := buildFile(t, filepath.Join("testdata", "iam.yaml"))
	w := fn(ft, "Worker")
	typed, err := typedFunction(resOf(t, filepath.Join("testdata", "iam.yaml"), "Worker"))
	if err != nil {
		t.Fatalf("goformation: %v", err)
	}
	if *typed.Handler != w.Handler || *typed.Runtime != w.Runtime {
		t.Errorf("goformation reads %s/%s", *typed.Handler, *typed.Runtime)
	}
	for _, d := range ft.Diagnostics {
		if strings.Contains(d.Message, "goformation") || strings.Contains(d.Message, "registry") {
			t.Errorf("unexpected cross-check diagnostic: %s", d.Message)
		}
	}
}

func TestAuthorizersAndConnectors(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "connectors.yaml"))
	if edgeOf(m, "Api", "AuthFn", model.EdgeTrigger) == nil {
		t.Error("an API triggers its Lambda authorizer")
	}
	if e := edgeOf(m, "Fn", "Table", model.EdgeAccess); e == nil || strings.Join(e.Access, ",") != "read" {
		t.Errorf("embedded connector: %+v", e)
	}
	if edgeOf(m, "Queue", "Fn", model.EdgeTrigger) == nil {
		t.Error("connector from a queue to a function")
	}
	for _, ep := range m.EntryPoints {
		if ep.ID == "Api GET /x" && (ep.Auth != "LAMBDA:TokenAuth" || ep.Public) {
			t.Errorf("route auth: %+v", ep)
		}
	}
}

func TestAliasesAndFailureDestinations(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: a/
      AutoPublishAlias: live
      Events:
        S:
          Type: Kinesis
          Properties:
            Stream: !GetAtt Stream.Arn
            StartingPosition: LATEST
            DestinationConfig: {OnFailure: {Destination: !GetAtt Failed.Arn}}
  Stream: {Type: AWS::Kinesis::Stream}
  Failed: {Type: AWS::SQS::Queue}
  Topic: {Type: AWS::SNS::Topic}
  Sub:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Protocol: lambda, Endpoint: !Ref FnAliaslive}
`
	tmpl, err := sam.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if edgeOf(m, "Topic", "Fn", model.EdgeTrigger) == nil {
		t.Error("a subscription to the SAM-generated alias triggers the function")
	}
	if edgeOf(m, "Fn", "Failed", model.EdgeDestination) == nil || edgeOf(m, "Stream", "Fn", model.EdgeTrigger) == nil {
		t.Error("stream trigger and its on-failure destination")
	}
}

func TestOpenAPIIncludedRoutes(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "api-definition.yaml"))
	eps := map[string]*model.EntryPoint{}
	for _, ep := range m.EntryPoints {
		eps[ep.ID] = ep
	}
	if ep := eps["Api POST /orders"]; ep == nil || ep.Function != "Orders" || ep.Auth != "COGNITO:CognitoAuth" || ep.Public {
		t.Errorf("POST /orders: %+v", ep)
	}
	if ep := eps["Api GET /health"]; ep == nil || !ep.Public || edgeOf(m, ep.ID, "Orders", model.EdgeTrigger) == nil {
		t.Errorf("GET /health: %+v", ep)
	}
}

func TestBareHostsInEnvironment(t *testing.T) {
	src := `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      Code: {ZipFile: x}
      Environment:
        Variables:
          STRIPE_HOST: api.stripe.com
          VERSION: "1.2.3"
          TABLE: my-table
          FILE: handler.py
          SQS: sqs.us-east-1.amazonaws.com
          MAIL: ops@example.com
`
	tmpl, err := sam.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, tp := range m.ThirdParties {
		hosts = append(hosts, tp.Host)
	}
	// handler.py looks like a host to any regexp; the known file extensions are not hosts
	if strings.Join(hosts, ",") != "api.stripe.com" {
		t.Errorf("third parties %v, want only api.stripe.com", hosts)
	}
}

// A grant on another account's resource is a flow out of the account; an
// AWS-owned account or the template's own account is not.
func TestForeignAccountGrants(t *testing.T) {
	src := `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      InlineCode: x
      Policies:
        - Statement:
            - Effect: Allow
              Action: lambda:InvokeFunction
              Resource: arn:aws:lambda:us-east-1:210987654321:function:partner-fn
            - Effect: Allow
              Action: s3:GetObject
              Resource: !Sub arn:aws:s3:::${AWS::AccountId}-mine/*
            - Effect: Deny
              Action: sqs:SendMessage
              Resource: arn:aws:sqs:us-east-1:333333333333:never
`
	tmpl, err := sam.Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tp := range m.ThirdParties {
		ids = append(ids, tp.ID)
	}
	if len(ids) != 1 || ids[0] != "account:210987654321" {
		t.Fatalf("third parties %v, want only account:210987654321", ids)
	}
	e := edgeOf(m, "Fn", "account:210987654321", model.EdgeOutbound)
	if e == nil || len(e.Actions) != 1 || e.Actions[0] != "lambda:InvokeFunction" || e.Source.Line != 11 {
		t.Fatalf("outbound edge %+v", e)
	}
}

// resOf is a resource of the template at path (properties with Globals applied).
func resOf(t *testing.T, path, id string) *sam.Resource {
	t.Helper()
	tmpl, err := sam.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl.Resource(id)
}
