package diagram

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/samthreat/samthreat/internal/analysis"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sharedDir finds ../shared next to the repository root (tests may read it;
// the product never does).
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(p); err != nil {
				testshared.Missing(t, p) // a skip, or a failure in CI (SAMTHREAT_REQUIRE_SHARED)
			}
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("repository root not found")
		}
		dir = parent
	}
}

func freshTracksPath(t testing.TB, variant string) string {
	return filepath.Join(sharedDir(t), "fixtures", "freshtracks", variant)
}

var (
	modelMu    sync.Mutex
	modelCache = map[string]*model.Model{}
)

// analyse runs the real pipeline on a template once per test binary.
func analyse(t testing.TB, path string) *model.Model {
	t.Helper()
	modelMu.Lock()
	defer modelMu.Unlock()
	if m := modelCache[path]; m != nil {
		return m
	}
	m, err := analysis.File(context.Background(), path, analysis.Options{})
	if err != nil {
		t.Fatalf("analysing %s: %v", path, err)
	}
	modelCache[path] = m
	return m
}

// corpusTemplates lists every template of ../shared/corpus.
func corpusTemplates(t testing.TB) []string { return testshared.CorpusTemplates(t) }

func blastOf(score int) *model.Blast {
	return &model.Blast{BlastScore: score, BlastRadius: int64(score) * 3, Complexity: 3, Dependencies: 2, ResourceCount: score / 10}
}

// handBuilt is a small model written by hand, independent of the rest of the
// pipeline, with every kind of node, edge, boundary and badge the diagram
// draws: two APIs' worth of routes, a function URL, a schedule, a VPC, data
// stores, messaging, secrets, a third party reached over HTTPS, a foreign
// account linked only through ThirdParty.Functions, suppressed and triaged
// findings.
func handBuilt() *model.Model {
	src := func(line int, id string) model.Source {
		return model.Source{File: "/somewhere/orders/template.yaml", Line: line, LogicalID: id}
	}
	fn := func(id, codeURI string, score int, events ...model.Event) *model.Function {
		f := &model.Function{ID: id, Type: "AWS::Serverless::Function", Runtime: "python3.12", Handler: "app.handler",
			CodeURI: codeURI, File: "/somewhere/orders/template.yaml", Line: 10, Events: events}
		if score >= 0 {
			f.Blast = blastOf(score)
		}
		return f
	}
	res := func(id, typ, kind, boundary string) *model.Resource {
		return &model.Resource{ID: id, Type: typ, Kind: kind, Boundary: boundary, File: "/somewhere/orders/template.yaml", Line: 90}
	}
	createOrder := fn("CreateOrder", "src/orders/", 65, model.Event{Name: "Create", Type: "Api", Source: "OrdersApi POST /orders", Detail: "POST /orders"})
	createOrder.VPC = &model.VPCConfig{VPC: "AppVpc", Subnets: []string{"subnet-b", "subnet-a"}}
	report := fn("Report", "", -1)
	report.InlineCode = true
	report.URL = &model.FunctionURL{AuthType: "NONE"}
	m := &model.Model{
		Template: "/somewhere/orders/template.yaml",
		Clients: []*model.Client{
			{ID: "internet", Label: "Internet", Boundary: model.BoundaryInternet},
			{ID: "authenticated-users", Label: "Authenticated users", Boundary: model.BoundaryInternet},
		},
		EntryPoints: []*model.EntryPoint{
			{ID: "OrdersApi GET /orders/{id}", Kind: "route", API: "OrdersApi", APIType: "rest", Method: "GET", Path: "/orders/{id}", Auth: "NONE", Public: true, Function: "GetOrder", Source: src(20, "GetOrder")},
			{ID: "OrdersApi POST /orders", Kind: "route", API: "OrdersApi", APIType: "rest", Method: "POST", Path: "/orders", Auth: "COGNITO:UserPool", Public: true, Function: "CreateOrder", Source: src(30, "CreateOrder")},
			{ID: "Report URL", Kind: "function-url", Method: "ANY", Path: "/", Auth: "NONE", Public: true, Function: "Report", Source: src(40, "Report")},
			{ID: "Nightly Tick", Kind: "schedule", Auth: "NONE", Function: "Nightly", Source: src(50, "Nightly")},
		},
		Functions: []*model.Function{
			fn("GetOrder", "src/orders/", 10, model.Event{Name: "Get", Type: "Api", Source: "OrdersApi GET /orders/{id}", Detail: "GET /orders/{id}"}),
			createOrder,
			fn("Worker", "src/jobs/", 45, model.Event{Name: "Jobs", Type: "SQS", Source: "Jobs", Detail: "batch 10"}),
			fn("Nightly", "src/jobs/", 90, model.Event{Name: "Tick", Type: "Schedule", Source: "Nightly Tick", Detail: "rate(1 day)"}),
			report,
		},
		Resources: []*model.Resource{
			res("OrdersApi", "AWS::Serverless::Api", "api", model.BoundaryAccount),
			res("OrdersTable", "AWS::DynamoDB::Table", "table", model.BoundaryAccount),
			res("Uploads", "AWS::S3::Bucket", "bucket", model.BoundaryAccount),
			res("Jobs", "AWS::SQS::Queue", "queue", model.BoundaryAccount),
			res("Events", "AWS::SNS::Topic", "topic", model.BoundaryAccount),
			res("ApiToken", "AWS::SecretsManager::Secret", "secret", model.BoundaryAccount),
			res("DataKey", "AWS::KMS::Key", "key", model.BoundaryAccount),
			res("OrdersDb", "AWS::RDS::DBInstance", "database", model.BoundaryVPC),
			{ID: "external:logs", Type: "external", Kind: "loggroup", Service: "logs", External: true, Boundary: model.BoundaryAccount},
		},
		ThirdParties: []*model.ThirdParty{
			{ID: "api.stripe.com", Host: "api.stripe.com", URL: "https://api.stripe.com/v1", Scheme: "https", Kind: "http", Via: "STRIPE_URL", Functions: []string{"Worker"}, Source: src(60, "Worker")},
			{ID: "account:111122223333", Kind: "foreign-account", Via: "arn:aws:iam::111122223333:role/x", Functions: []string{"Report"}, Source: src(70, "Report")},
		},
		Findings: []*model.Finding{
			{RuleID: "R-1", Severity: "critical", Resource: "Nightly"},
			{RuleID: "R-2", Severity: "high", Resource: "Nightly"},
			{RuleID: "R-3", Severity: "high", Resource: "CreateOrder"},
			{RuleID: "R-4", Severity: "high", Resource: "CreateOrder"},
			{RuleID: "R-5", Severity: "critical", Resource: "CreateOrder", Suppressed: true},
			{RuleID: "R-6", Severity: "critical", Resource: "GetOrder", Triage: &model.Triage{Status: "false-positive"}},
			{RuleID: "R-7", Severity: "medium", Resource: "Uploads"},
			{RuleID: "R-8", Severity: "medium", Resource: "Uploads"},
			{RuleID: "R-9", Severity: "low", Resource: "OrdersApi"},
			{RuleID: "R-10", Severity: "medium", Resource: "OrdersApi GET /orders/{id}"},
		},
	}
	edge := func(from, to, kind, label string, access []string, actions ...string) *model.Edge {
		return &model.Edge{From: from, To: to, Kind: kind, Label: label, Access: access, Actions: actions, Source: src(80, from)}
	}
	m.Edges = []*model.Edge{
		edge("internet", "OrdersApi GET /orders/{id}", model.EdgeTrigger, "NONE", nil),
		edge("authenticated-users", "OrdersApi POST /orders", model.EdgeTrigger, "COGNITO:UserPool", nil),
		edge("internet", "Report URL", model.EdgeTrigger, "NONE", nil),
		edge("OrdersApi GET /orders/{id}", "GetOrder", model.EdgeTrigger, "GET /orders/{id}", nil),
		edge("OrdersApi POST /orders", "CreateOrder", model.EdgeTrigger, "POST /orders", nil),
		edge("Report URL", "Report", model.EdgeTrigger, "function URL", nil),
		edge("Nightly Tick", "Nightly", model.EdgeTrigger, "schedule", nil),
		edge("Jobs", "Worker", model.EdgeTrigger, "SQS", nil),
		edge("GetOrder", "OrdersTable", model.EdgeAccess, "", []string{"read"}, "dynamodb:GetItem", "dynamodb:Query"),
		edge("CreateOrder", "OrdersTable", model.EdgeAccess, "", []string{"read", "write"}, "dynamodb:GetItem", "dynamodb:PutItem"),
		edge("CreateOrder", "Jobs", model.EdgeAccess, "", []string{"write"}, "sqs:SendMessage"),
		edge("CreateOrder", "OrdersDb", model.EdgeAccess, "", []string{"read", "write"}, "rds-data:ExecuteStatement"),
		edge("CreateOrder", "Worker", model.EdgeInvoke, "", nil, "lambda:InvokeFunction"),
		edge("Worker", "Uploads", model.EdgeAccess, "", []string{"read", "write", "permissions"}, "s3:GetObject", "s3:PutObject", "s3:PutBucketPolicy"),
		edge("Worker", "api.stripe.com", model.EdgeOutbound, "https", nil),
		edge("Worker", "Events", model.EdgeDestination, "OnFailure", nil),
		edge("Nightly", "ApiToken", model.EdgeAccess, "", []string{"read"}, "secretsmanager:GetSecretValue"),
		edge("Nightly", "DataKey", model.EdgeAccess, "", []string{"permissions"}, "kms:PutKeyPolicy"),
		edge("Nightly", "Uploads", model.EdgeAccess, "", []string{"list"}, "s3:ListBucket"),
		edge("Report", "OrdersTable", model.EdgeAccess, "", nil, "dynamodb:*"),
	}
	for _, f := range []string{"GetOrder", "CreateOrder", "Worker", "Nightly", "Report"} {
		m.Edges = append(m.Edges, edge(f, "external:logs", model.EdgeAccess, "", []string{"write"}, "logs:CreateLogStream", "logs:PutLogEvents"))
	}
	return m
}

// analysisOf runs the pipeline without failing the test (corpus templates
// the pipeline rejects are its business, not the diagram's).
func analysisOf(path string) (*model.Model, error) {
	return analysis.File(context.Background(), path, analysis.Options{})
}
