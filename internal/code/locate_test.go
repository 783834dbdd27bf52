package code

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocateSources: code is found where it plainly is, one fixture per
// class under testdata/locate, each with the note that says where it was
// read from.
func TestLocateSources(t *testing.T) {
	dir := filepath.Join("testdata", "locate")
	tests := []struct {
		name  string
		req   Request
		entry string // relative to dir
		note  string
	}{
		{"maven artifact target/app.zip", Request{CodeURI: "java-maven/target/app.zip", Runtime: "java21", Handler: "com.ex.App::handleRequest"},
			"java-maven/src/main/java/com/ex/App.java", "is a build artifact: sources read from java-maven"},
		{"gradle build/distributions zip", Request{CodeURI: "java-gradle/build/distributions/app.zip", Runtime: "java17", Handler: "ex.Handler::handleRequest"},
			"java-gradle/src/main/java/ex/Handler.java", "sources read from java-gradle"},
		{"gradle build/libs jar", Request{CodeURI: "java-gradle/build/libs/app-all.jar", Runtime: "java17", Handler: "ex.Handler"},
			"java-gradle/src/main/java/ex/Handler.java", "sources read from java-gradle"},
		{"dotnet publish folder", Request{CodeURI: "dotnet/Hello/bin/Release/net8.0/publish", Runtime: "dotnet8", Handler: "Hello::Hello.Function::FunctionHandler"},
			"dotnet/Hello/Function.cs", "sources read from dotnet/Hello"},
		{"folder differing only in case", Request{CodeURI: "casefolder/", Runtime: "python3.12", Handler: "app.handler"},
			"CaseFolder/app.py", ""},
		{"missing zip beside its source", Request{CodeURI: "zipped/index.zip", Runtime: "python3.12", Handler: "index.handler"},
			"zipped/index.py", "sources read from zipped"},
		{"zip with its source folder beside it", Request{CodeURI: "packed.zip", Runtime: "nodejs20.x", Handler: "app.handler"},
			"packed/app.js", "sources read from packed"},
		{"missing folder, handler in its parent", Request{CodeURI: "parent/handlers/", Runtime: "nodejs20.x", Handler: "app.handler"},
			"parent/app.js", "is not there: sources read from parent"},
		{"container image from DockerContext", Request{Image: true, DockerContext: "image"},
			"image/app/main.py", "container image: code read from its DockerContext image/app"},
		{"container image, ImageConfig.Command", Request{Image: true, DockerContext: "./image/", Handler: "main.handler"},
			"image/app/main.py", "DockerContext"},
	}
	a := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.TemplateDir = dir
			r := a.Analyze(context.Background(), tc.req)
			if !r.Found || r.Estimated || len(r.Entries) != 1 {
				t.Fatalf("found=%v estimated=%v entries=%v note=%q", r.Found, r.Estimated, r.Entries, r.Note)
			}
			if got := filepath.ToSlash(r.Entries[0]); got != filepath.ToSlash(filepath.Join(dir, tc.entry)) {
				t.Errorf("entry %s, want %s", got, tc.entry)
			}
			if !strings.Contains(r.Note, tc.note) {
				t.Errorf("note %q, want it to say %q", r.Note, tc.note)
			}
		})
	}
}

// TestLocateNotGuessed: an artifact whose sources are not beside it, and an
// image without a DockerContext, stay estimated with the reason.
func TestLocateNotGuessed(t *testing.T) {
	dir := filepath.Join("testdata", "locate")
	tests := []struct {
		name string
		req  Request
		note string
	}{
		{"artifact of another class", Request{CodeURI: "java-maven/target/app.zip", Runtime: "java21", Handler: "com.ex.Other::handle"}, "not found"},
		{"existing zip, no source", Request{CodeURI: "packed.zip", Runtime: "nodejs20.x", Handler: "other.handler"}, "packaged archive"},
		{"image without context", Request{Image: true}, "no Metadata.DockerContext"},
		{"image context missing", Request{Image: true, DockerContext: "nope"}, "not found"},
		{"ambiguous case is not folded", Request{CodeURI: "PARENT/../nowhere/", Runtime: "nodejs20.x", Handler: "x.handler"}, "not found"},
	}
	a := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.TemplateDir = dir
			r := a.Analyze(context.Background(), tc.req)
			if !r.Estimated || !strings.Contains(r.Note, tc.note) {
				t.Errorf("estimated=%v note=%q, want estimated with %q", r.Estimated, r.Note, tc.note)
			}
		})
	}
}

func TestRuntimeOfImage(t *testing.T) {
	for img, want := range map[string]string{
		"public.ecr.aws/lambda/python:3.12":     "python3.12",
		"public.ecr.aws/lambda/nodejs:20":       "nodejs20",
		"amazon/aws-lambda-java:21":             "java",
		"golang:1.22 AS build":                  "go1.x",
		"public.ecr.aws/lambda/provided:al2023": "",
		"mcr.microsoft.com/dotnet/sdk:8.0":      "dotnet",
	} {
		if got := runtimeOfImage(strings.Fields(img)[0]); got != want || LanguageOf(got) == "" && want != "" {
			t.Errorf("%s: %q, want %q", img, got, want)
		}
	}
}
