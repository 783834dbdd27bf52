package adapt

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// TestDirectIntegrations: every route without a function that integrates with
// an AWS service or a URL has a flow to what it reaches, with the access the
// integration role's grants give.
func TestDirectIntegrations(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "integrations.yaml"))
	tests := []struct {
		route, to, kind, integration string
		access                       []string
	}{
		{"Rest POST /", "Queue", model.EdgeAccess, "aws:sqs", []string{"write"}},
		{"Rest PUT /orders", "Orders", model.EdgeAccess, "aws:dynamodb", []string{"write"}},
		{"Rest POST /orders", "Machine", model.EdgeAccess, "aws:states", []string{"write"}},
		{"Http POST /send", "Queue", model.EdgeAccess, "aws:sqs", []string{"write"}},
		{"Http POST /events", "Bus", model.EdgeAccess, "aws:events", []string{"write"}},
		{"Socket ANY $connect", "Connections", model.EdgeAccess, "aws:dynamodb", []string{"write"}},
		{"Spec POST /notify", "Topic", model.EdgeAccess, "aws:sns", []string{"write"}},
		{"Spec GET /proxy", "partner.example.com", model.EdgeOutbound, "http", nil},
	}
	eps := map[string]*model.EntryPoint{}
	for _, ep := range m.EntryPoints {
		eps[ep.ID] = ep
	}
	for _, tc := range tests {
		t.Run(tc.route, func(t *testing.T) {
			ep := eps[tc.route]
			if ep == nil {
				t.Fatalf("no entry point; have %v", keys(eps))
			}
			if ep.Integration != tc.integration {
				t.Errorf("integration %q, want %q", ep.Integration, tc.integration)
			}
			e := edgeOf(m, tc.route, tc.to, tc.kind)
			if e == nil {
				t.Fatalf("no %s edge to %s; edges from the route: %v", tc.kind, tc.to, edgesFrom(m, tc.route))
			}
			if !slices.Equal(e.Access, tc.access) {
				t.Errorf("access %v, want %v (actions %v)", e.Access, tc.access, e.Actions)
			}
		})
	}
	if ep := eps["Rest GET /orders"]; ep == nil || ep.Integration != "mock" || len(edgesFrom(m, ep.ID)) != 0 {
		t.Errorf("mock route: %+v", ep)
	}
	// the role of an API's integrations is a principal of kind api-integration (one per API and role)
	var ids []string
	for _, p := range m.Principals {
		if p.Kind == model.PrincipalAPIIntegration {
			ids = append(ids, p.ID)
			if p.Role == "InvokeRole" { // the role of a function integration
				if !slices.Contains(p.Granted, "lambda:InvokeFunction") {
					t.Errorf("principal %+v", p)
				}
				continue
			}
			if p.Role != "ApiRole" || !slices.Contains(p.AssumedBy, "apigateway.amazonaws.com") || !slices.Contains(p.Granted, "sqs:SendMessage") {
				t.Errorf("principal %+v", p)
			}
		}
	}
	for _, want := range []string{"Rest", "Http", "Socket", "Spec", "Socket InvokeRole"} {
		if !slices.Contains(ids, want) {
			t.Errorf("no api-integration principal %s in %v", want, ids)
		}
	}
}

func TestIntegrationURI(t *testing.T) {
	for _, tc := range []struct{ uri, svc, action, path string }{
		{"arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/q", "sqs", "", "${AWS::AccountId}/q"},
		{"arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem", "dynamodb", "PutItem", ""},
		{"arn:aws:apigateway:us-east-1:mybucket.s3:path/key", "s3", "", "key"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "", "", ""},
		{"https://example.com", "", "", ""},
	} {
		svc, action, path := integrationURI(tc.uri)
		if svc != tc.svc || action != tc.action || path != tc.path {
			t.Errorf("%s: %q %q %q", tc.uri, svc, action, path)
		}
	}
}

// Every action of the integrations table exists in the embedded IAM catalog.
func TestIntegrationActionsKnown(t *testing.T) {
	for _, sub := range []string{"SQS-SendMessage", "SQS-ReceiveMessage", "SQS-DeleteMessage", "SQS-PurgeQueue", "EventBridge-PutEvents",
		"StepFunctions-StartExecution", "StepFunctions-StartSyncExecution", "StepFunctions-StopExecution", "Kinesis-PutRecord", "AppConfig-GetConfiguration"} {
		in, ok := catalogs.IntegrationOf(sub)
		if !ok || !iam.Known(in.Action) {
			t.Errorf("%s: %+v (known %v)", sub, in, iam.Known(in.Action))
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func edgesFrom(m *model.Model, from string) []string {
	var out []string
	for _, e := range m.Edges {
		if e.From == from {
			out = append(out, e.Kind+"->"+e.To)
		}
	}
	return out
}

func TestSAMWebSocketAPI(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "websocket-sam.yaml"))
	for _, tc := range []struct {
		route, fn, auth string
		public          bool
	}{
		{"Open ANY $connect", "Connect", "NONE", true},
		{"Open ANY sendmessage", "Chat", "NONE", true},
		{"Guarded ANY $connect", "Connect", "LAMBDA:Gate", false},
	} {
		var ep *model.EntryPoint
		for _, e := range m.EntryPoints {
			if e.ID == tc.route {
				ep = e
			}
		}
		if ep == nil {
			t.Errorf("%s: no entry point", tc.route)
			continue
		}
		if ep.APIType != "websocket" || ep.Function != tc.fn || ep.Auth != tc.auth || ep.Public != tc.public {
			t.Errorf("%s: %+v", tc.route, ep)
		}
		if edgeOf(m, tc.route, tc.fn, model.EdgeTrigger) == nil {
			t.Errorf("%s: no trigger edge to %s", tc.route, tc.fn)
		}
	}
	found := false
	for _, ev := range fn(m, "Chat").Events {
		if ev.Type == "WebSocket" && ev.ExternalInput && ev.Source == "Open ANY sendmessage" {
			found = true
		}
	}
	if !found {
		t.Errorf("Chat events: %+v", fn(m, "Chat").Events)
	}
	if edgeOf(m, "Guarded", "Gate", model.EdgeTrigger) == nil {
		t.Error("the authorizer is not triggered by its API")
	}
}

// TestIncludedOpenAPIIntegration: an integration in an OpenAPI document
// included from a local file; the role's grant on the default bus is outside
// the template, so the flow goes to external:events with the role's access.
func TestIncludedOpenAPIIntegration(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "openapi-include", "template.yaml"))
	e := edgeOf(m, "Events POST /", "external:events", model.EdgeAccess)
	if e == nil {
		t.Fatalf("no flow; edges from the route: %v", edgesFrom(m, "Events POST /"))
	}
	if !slices.Equal(e.Access, []string{"write"}) || !slices.Equal(e.Actions, []string{"events:PutEvents"}) {
		t.Errorf("edge %+v", e)
	}
	if p := m.Principals; len(p) != 1 || p[0].Kind != model.PrincipalAPIIntegration || p[0].Role != "HttpApiRole" {
		t.Errorf("principals %+v", p)
	}
}

// TestOddShapes: the new adapters read odd property shapes without failing.
func TestOddShapes(t *testing.T) {
	for name, src := range map[string]string{
		"endpoint list":     "Resources:\n  A:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: p, EndpointConfiguration: [PRIVATE]}\n",
		"policy string":     "Resources:\n  A:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Policy: '{}', EndpointConfiguration: {Types: PRIVATE}}\n",
		"integration str":   "Resources:\n  M:\n    Type: AWS::ApiGateway::Method\n    Properties: {HttpMethod: GET, Integration: AWS}\n",
		"uri short arn":     "Resources:\n  M:\n    Type: AWS::ApiGateway::Method\n    Properties: {HttpMethod: GET, Integration: {Type: AWS, Uri: 'arn:aws:apigateway'}}\n",
		"routes list":       "Resources:\n  W:\n    Type: AWS::Serverless::WebSocketApi\n    Properties: {Routes: [a, b], Auth: x}\n",
		"task odd":          "Resources:\n  S:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: {States: {A: {Type: Task, Resource: 'arn:aws:states:::aws-sdk', Parameters: [1]}}}\n      LoggingConfiguration: {Destinations: x}\n",
		"topic rule odd":    "Resources:\n  R:\n    Type: AWS::IoT::TopicRule\n    Properties: {TopicRulePayload: {Actions: [x, {Http: 1}, {DynamoDBv2: {PutItem: 2}}]}}\n",
		"api destination":   "Resources:\n  D:\n    Type: AWS::Events::ApiDestination\n    Properties: {InvocationEndpoint: [1]}\n  R:\n    Type: AWS::Events::Rule\n    Properties: {Targets: [{Arn: !GetAtt D.Arn}]}\n",
		"role trust scalar": "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {Statement: [{Principal: '*'}, 3]}}\n",
		"subtype unknown":   "Resources:\n  A: {Type: AWS::ApiGatewayV2::Api}\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: {IntegrationSubtype: Nope-Nothing}\n  R:\n    Type: AWS::ApiGatewayV2::Route\n    Properties: {ApiId: !Ref A, RouteKey: GET /, Target: !Sub 'integrations/${I}'}\n",
	} {
		t.Run(name, func(t *testing.T) {
			tmpl, err := sam.Parse("t.yaml", []byte(src))
			if err != nil {
				t.Skipf("refused by the loader: %v", err)
			}
			if _, err := Build(tmpl); err != nil {
				t.Fatal(err)
			}
		})
	}
}
