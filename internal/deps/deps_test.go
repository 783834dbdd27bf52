package deps

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestRead(t *testing.T) {
	tests := []struct {
		manifest   string
		transitive bool
		want       []string
	}{
		{"npm-nolock/package.json", false, []string{"aws-sdk", "uuid"}},
		// express -> body-parser -> {debug, bytes}, debug -> ms; jest is dev-only
		{"npm-lock/package.json", true, []string{"body-parser", "bytes", "debug", "express", "ms"}},
		// axios -> follow-redirects, form-data -> asynckit; lodash; jest is in the lock but not required
		{"yarn/package.json", true, []string{"asynckit", "axios", "follow-redirects", "form-data", "lodash"}},
		{"berry/package.json", true, []string{"@middy/core", "@middy/util"}},
		// -r more.txt followed, -e egg kept, options skipped, names normalised
		{"req/requirements.txt", false, []string{"boto3", "flask-cors", "pyyaml", "requests", "tool"}},
		{"pipenv/Pipfile", true, []string{"idna", "requests", "urllib3"}},
		// pytest (dev group) and its pluggy are not reached from the main dependencies
		{"poetry/pyproject.toml", true, []string{"aws-lambda-powertools", "jmespath", "typing-extensions"}},
		{"pep621/pyproject.toml", false, []string{"httpx", "pydantic"}},
		{"gomod/go.mod", false, []string{"github.com/aws/aws-lambda-go", "github.com/aws/aws-sdk-go-v2"}},
		{"gomod-sum/go.mod", true, []string{"github.com/aws/aws-lambda-go", "github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go"}},
		{"maven/pom.xml", false, []string{"com.fasterxml.jackson.core:jackson-databind", "software.amazon.awssdk:dynamodb"}},
		{"gradle/build.gradle", false, []string{"com.google.code.gson:gson", "org.slf4j:slf4j-api", "software.amazon.awssdk:s3"}},
		{"gradle-lock/build.gradle", true, []string{"com.google.code.gson:gson", "org.slf4j:slf4j-api", "software.amazon.awssdk:http-client-spi", "software.amazon.awssdk:s3"}},
		// aws-sdk-s3 -> aws-sdk-core -> {aws-eventstream, jmespath}; jwt -> base64; rspec and rubocop are dev
		{"gems/Gemfile", true, []string{"aws-eventstream", "aws-sdk-core", "aws-sdk-s3", "base64", "jmespath", "jwt"}},
		{"nuget/Fn.csproj", true, []string{"AWSSDK.Core", "AWSSDK.S3", "Amazon.Lambda.Core"}},
	}
	for _, tc := range tests {
		t.Run(tc.manifest, func(t *testing.T) {
			s, err := Read(filepath.Join("testdata", tc.manifest))
			if err != nil {
				t.Fatal(err)
			}
			if s.Transitive != tc.transitive {
				t.Errorf("transitive = %v, want %v", s.Transitive, tc.transitive)
			}
			if got := s.Names(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("packages = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFindWalksUp(t *testing.T) {
	s, err := Find(Options{Language: "javascript", From: filepath.Join("testdata", "nested", "sub", "deeper"), Stop: "testdata"})
	if err != nil || s == nil {
		t.Fatalf("Find: %v %v", s, err)
	}
	if got := s.Names(); !reflect.DeepEqual(got, []string{"near"}) {
		t.Errorf("packages = %v", got)
	}
	// Never above Stop.
	if s, _ := Find(Options{Language: "python", From: filepath.Join("testdata", "nested", "sub"), Stop: filepath.Join("testdata", "nested")}); s != nil {
		t.Errorf("found a manifest above Stop: %s", s.Manifest)
	}
}

func TestBundled(t *testing.T) {
	// esbuild: only the imported packages ship, with what they need (lock).
	s, err := Find(Options{Language: "typescript", From: filepath.Join("testdata", "npm-lock"), Stop: "testdata", Bundled: true, Imports: []string{"debug"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); !reflect.DeepEqual(got, []string{"debug", "ms"}) {
		t.Errorf("bundled packages = %v", got)
	}
	s, _ = Find(Options{Language: "javascript", From: filepath.Join("testdata", "npm-nolock"), Stop: "testdata", Bundled: true, Imports: []string{"uuid", "left-pad"}})
	if got := s.Names(); !reflect.DeepEqual(got, []string{"uuid"}) {
		t.Errorf("bundled without lock = %v", got)
	}
}

func TestImported(t *testing.T) {
	tests := []struct {
		manifest string
		imports  []string
		want     []string
	}{
		{"npm-nolock/package.json", []string{"aws-sdk"}, []string{"aws-sdk"}},
		{"req/requirements.txt", []string{"yaml", "flask_cors", "boto3"}, []string{"boto3", "flask-cors", "pyyaml"}},
		{"gomod/go.mod", []string{"github.com/aws/aws-sdk-go-v2/service/s3"}, []string{"github.com/aws/aws-sdk-go-v2"}},
		{"maven/pom.xml", []string{"com.fasterxml.jackson.databind.ObjectMapper", "software.amazon.awssdk.services.dynamodb.DynamoDbClient"},
			[]string{"com.fasterxml.jackson.core:jackson-databind", "software.amazon.awssdk:dynamodb"}},
		{"gems/Gemfile", []string{"aws-sdk-s3"}, []string{"aws-sdk-s3"}},
		{"nuget/Fn.csproj", []string{"Amazon.S3.Model", "Amazon.Lambda.Core"}, []string{"AWSSDK.S3", "Amazon.Lambda.Core"}},
	}
	for _, tc := range tests {
		s, err := Read(filepath.Join("testdata", tc.manifest))
		if err != nil {
			t.Fatal(err)
		}
		if got := Imported(s, tc.imports); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: imported = %v, want %v", tc.manifest, got, tc.want)
		}
	}
}

func TestBrokenManifests(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"package.json": "{", "Pipfile": "[packages", "pom.xml": "<project>", "go.mod": "module"} {
		p := filepath.Join(dir, name)
		if err := writeFile(p, body); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(p); err == nil && name != "go.mod" {
			t.Errorf("%s: broken manifest accepted", name)
		}
	}
}
