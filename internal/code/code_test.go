package code

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// call is a compact expected SDK call: "actions@line ref,ref" where a ref is
// env:NAME or lit:VALUE.
func callString(c Call) string {
	var refs []string
	for _, r := range c.Refs {
		if r.Env != "" {
			refs = append(refs, r.Param+"=env:"+r.Env)
		} else {
			refs = append(refs, r.Param+"=lit:"+r.Literal)
		}
	}
	return filepath.Base(c.File) + ":" + itoa(c.Line) + " " + strings.Join(c.Actions, "+") + " " + strings.Join(refs, ",")
}

// TestLanguages runs each language's fixture under testdata/. The expected
// complexity is worked out by hand in the comments: 1 per module (its top
// level) plus, per function, 1 and one per decision point.
func TestLanguages(t *testing.T) {
	tests := []struct {
		name       string
		req        Request
		complexity int
		files      []string
		imports    []string
		calls      []string
	}{
		{
			name: "javascript v2 with a local module",
			req:  Request{TemplateDir: "testdata", CodeURI: "js/", Runtime: "nodejs20.x", Handler: "handler.handler"},
			// handler.js: module 1 + arrow 1 + if 1 + || 1 = 4
			// lib/helper.js: module 1 + arrow 1 + ?: 1 = 3          => 7
			complexity: 7,
			files:      []string{"handler.js", "helper.js"},
			imports:    []string{"aws-sdk", "lodash"}, // path is a Node built-in
			calls: []string{
				"handler.js:11 dynamodb:GetItem TableName=env:TABLE",
				"handler.js:12 s3:GetObject Bucket=env:BUCKET", // getSignedUrl('getObject')
				"handler.js:13 sqs:SendMessage QueueUrl=env:QUEUE",
				"handler.js:14 iot:Publish ", // 'alerts/' + id is not a literal samthreat renders
			},
		},
		{
			name: "javascript v3 (ES module, document client, presigner, inline client)",
			req:  Request{TemplateDir: "testdata", CodeURI: "js/", Runtime: "nodejs20.x", Handler: "v3.handler"},
			// module 1 + arrow 1 + for-of 1 + ?? 1 + ?: 1 = 5
			complexity: 5,
			files:      []string{"v3.mjs"},
			imports:    []string{"@aws-sdk/client-dynamodb", "@aws-sdk/client-iot-data-plane", "@aws-sdk/client-s3", "@aws-sdk/lib-dynamodb", "@aws-sdk/s3-request-presigner"},
			calls: []string{
				"v3.mjs:13 dynamodb:PutItem TableName=env:TABLE_NAME",
				"v3.mjs:15 dynamodb:Query TableName=env:TABLE_NAME",
				"v3.mjs:16 s3:PutObject Bucket=env:BUCKET",
				"v3.mjs:17 iot:Publish topic=lit:t/*",
			},
		},
		{
			name: "typescript bundled by esbuild (EntryPoints, .js specifier naming a .ts file)",
			req: Request{TemplateDir: "testdata", CodeURI: "ts/", Runtime: "nodejs20.x", Handler: "app.handler",
				BuildMethod: "esbuild", EntryPoints: []string{"app.ts"}},
			// app.ts: module 1 + arrow 1 + ?? 1 = 3
			// util.ts: module 1 + function 1 + case 0 1 + case 1 1 = 4   => 7
			complexity: 7,
			files:      []string{"app.ts", "util.ts"},
			imports:    []string{"@aws-sdk/client-sqs"},
			calls:      []string{"app.ts:8 sqs:SendMessage QueueUrl=env:QUEUE_URL"},
		},
		{
			name: "python boto3 client and Table resource",
			req:  Request{TemplateDir: "testdata", CodeURI: "python", Runtime: "python3.12", Handler: "app.handler"},
			// app.py: module 1 + def 1 + if 1 + and 1 + comprehension for 1 + comprehension if 1 + conditional 1 = 7
			// lib/util.py: module 1 + def 1 + except 1 = 3   => 10
			complexity: 10,
			files:      []string{"app.py", "util.py"},
			imports:    []string{"boto3", "requests"},
			calls: []string{
				"app.py:14 dynamodb:PutItem TableName=env:TABLE_NAME",
				"app.py:16 s3:GetObject Bucket=env:BUCKET",
				"app.py:17 dynamodb:Query TableName=env:TABLE_NAME",
			},
		},
		{
			name: "go with a package of the same module (test files left out)",
			req:  Request{TemplateDir: "testdata", CodeURI: "go", Runtime: "provided.al2023", Handler: "bootstrap", BuildMethod: "go1.x"},
			// main package: package 1 + handle (1 + if + if + &&) 4 + main 1 = 6
			// internal/store: package 1 + Key (1 + range + case "id") 3 = 4   => 10
			complexity: 10,
			files:      []string{"main.go", "store.go"},
			imports: []string{"github.com/aws/aws-lambda-go/lambda", "github.com/aws/aws-sdk-go-v2/aws", "github.com/aws/aws-sdk-go-v2/config",
				"github.com/aws/aws-sdk-go-v2/service/dynamodb", "github.com/aws/aws-sdk-go-v2/service/sqs"},
			calls: []string{
				"main.go:23 dynamodb:GetItem TableName=env:TABLE_NAME",
				"main.go:27 sqs:SendMessage QueueUrl=env:QUEUE_URL",
			},
		},
		{
			name: "java SDK v2 typed clients, imported and same-package classes",
			req:  Request{TemplateDir: "testdata", CodeURI: "java", Runtime: "java21", Handler: "com.example.App::handleRequest"},
			// App.java: file 1 + method 1 + if 1 + || 1 + for-each 1 = 5
			// Helper.java: file 1 + method 1 + ?: 1 = 3
			// util/Names.java: file 1 + method 1 + while 1 = 3     => 11 (Unused.java is not referenced)
			complexity: 11,
			files:      []string{"App.java", "Helper.java", "Names.java"},
			imports: []string{"com.fasterxml.jackson.databind.ObjectMapper", "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
				"software.amazon.awssdk.services.dynamodb.model.PutItemRequest", "software.amazon.awssdk.services.s3.S3Client",
				"software.amazon.awssdk.services.s3.model.GetObjectRequest"},
			calls: []string{
				"App.java:19 dynamodb:PutItem TableName=env:TABLE_NAME",
				"App.java:21 s3:GetObject Bucket=env:BUCKET",
			},
		},
		{
			name: "ruby aws-sdk client with require_relative",
			req:  Request{TemplateDir: "testdata", CodeURI: "ruby", Runtime: "ruby3.3", Handler: "app.handler"},
			// app.rb: file 1 + method 1 + || 1 + block 1 + if modifier 1 = 5
			// lib/format.rb: file 1 + singleton method 1 + ?: 1 = 3   => 8
			complexity: 8,
			files:      []string{"app.rb", "format.rb"},
			imports:    []string{"aws-sdk-s3"},
			calls:      []string{"app.rb:9 s3:PutObject Bucket=env:BUCKET"},
		},
		{
			name: "c# AWS SDK for .NET, types of the project",
			req:  Request{TemplateDir: "testdata", CodeURI: "csharp/Fn", Runtime: "dotnet8", Handler: "Fn::Fn.Function::Handler"},
			// Function.cs: file 1 + method 1 + if 1 + ?: 1 = 4
			// Store.cs: file 1 + method 1 + && 1 = 3   => 7
			complexity: 7,
			files:      []string{"Function.cs", "Store.cs"},
			imports:    []string{"Amazon.DynamoDBv2", "Amazon.DynamoDBv2.Model", "Amazon.Lambda.Core"},
			calls: []string{
				"Function.cs:14 dynamodb:PutItem TableName=env:TABLE_NAME",
				"Function.cs:15 dynamodb:Query TableName=lit:orders",
			},
		},
	}
	a := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := a.Analyze(context.Background(), tc.req)
			if !r.Found || !r.Parsed || r.Estimated {
				t.Fatalf("found=%v parsed=%v estimated=%v note=%q", r.Found, r.Parsed, r.Estimated, r.Note)
			}
			if r.Complexity != tc.complexity {
				t.Errorf("complexity = %d, want %d (modules %v)", r.Complexity, tc.complexity, r.Modules)
			}
			var files []string
			for _, f := range r.Files {
				files = append(files, filepath.Base(f))
			}
			sort.Strings(files)
			if !reflect.DeepEqual(files, tc.files) {
				t.Errorf("files = %v, want %v", files, tc.files)
			}
			if !reflect.DeepEqual(r.Imports, tc.imports) {
				t.Errorf("imports = %v, want %v", r.Imports, tc.imports)
			}
			var calls []string
			for _, c := range r.Calls {
				calls = append(calls, callString(c))
			}
			sort.Strings(calls)
			want := append([]string(nil), tc.calls...)
			sort.Strings(want)
			if !reflect.DeepEqual(calls, want) {
				t.Errorf("calls:\n got %q\nwant %q", calls, want)
			}
		})
	}
}

// TestUnavailable: code samthreat cannot read is estimated (c_f = 1) with a
// reason, never an error.
func TestUnavailable(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		note string
	}{
		{"s3", Request{TemplateDir: "testdata", CodeURI: "s3://bucket/key.zip", Runtime: "nodejs20.x", Handler: "a.b"}, "S3"},
		{"image", Request{TemplateDir: "testdata", Image: true}, "container image"},
		{"missing folder", Request{TemplateDir: "testdata", CodeURI: "nope/", Runtime: "python3.12", Handler: "a.b"}, "not found"},
		{"missing handler", Request{TemplateDir: "testdata", CodeURI: "js/", Runtime: "nodejs20.x", Handler: "nothere.handler"}, "handler nothere.handler not found"},
		{"computed inline", Request{TemplateDir: "testdata", Inline: true, Runtime: "python3.12"}, "expression"},
		{"zip", Request{TemplateDir: "testdata", CodeURI: "go/go.mod.zip", Runtime: "java21"}, "not found"},
		{"unknown runtime", Request{TemplateDir: "testdata", CodeURI: "csharp", Runtime: "provided.al2", Handler: "bootstrap"}, "no recognisable"},
	}
	a := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := a.Analyze(context.Background(), tc.req)
			if !r.Estimated || r.Complexity != 1 || !strings.Contains(r.Note, tc.note) {
				t.Errorf("estimated=%v complexity=%d note=%q, want estimated 1 with %q", r.Estimated, r.Complexity, r.Note, tc.note)
			}
		})
	}
}

// TestInline parses inline code: no local imports, calls found.
func TestInline(t *testing.T) {
	src := "import boto3\nsqs = boto3.client('sqs')\ndef handler(e, c):\n    for r in e['Records']:\n        sqs.send_message(QueueUrl='https://q', MessageBody=r)\n"
	r := New().Analyze(context.Background(), Request{Runtime: "python3.12", Inline: true, InlineCode: src})
	// module 1 + def 1 + for 1 = 3
	if r.Complexity != 3 || len(r.Calls) != 1 || r.Calls[0].Actions[0] != "sqs:SendMessage" || r.Calls[0].Refs[0].Literal != "https://q" {
		t.Errorf("inline: complexity %d, calls %+v", r.Complexity, r.Calls)
	}
}

// TestSyntaxError: a file that does not parse still counts, with a note.
func TestSyntaxError(t *testing.T) {
	r := New().Analyze(context.Background(), Request{Runtime: "nodejs20.x", Inline: true, InlineCode: "exports.handler = async (e) => { if (e { return 1 }"})
	if r.Parsed || !strings.Contains(r.Note, "syntax error") {
		t.Errorf("parsed=%v note=%q", r.Parsed, r.Note)
	}
}

func TestPascal(t *testing.T) {
	for in, want := range map[string]string{"putObject": "PutObject", "put_object": "PutObject", "PutObject": "PutObject",
		"list_objects_v2": "ListObjectsV2", "iot-data": "IotData", "a.b": ""} {
		if got := Pascal(in); got != want {
			t.Errorf("Pascal(%q) = %q, want %q", in, got, want)
		}
	}
}
