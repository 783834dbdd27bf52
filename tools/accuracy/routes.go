package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// The routes measure.

type route struct {
	logicalID string // Method / Route resource ("" for OpenAPI routes)
	api       string
	method    string
	path      string
	what      string
}

func routes(m *model.Model, t *sam.Template, c *Count) {
	out := map[string]bool{}
	for _, e := range m.Edges {
		out[e.From] = true
	}
	for _, w := range wantedRoutes(t) {
		ep := entryPointOf(m, w)
		name := w.logicalID
		if name == "" {
			name = w.api + " " + w.method + " " + w.path
		}
		switch {
		case ep == nil:
			c.add(false, name+" ("+w.what+"): no entry point")
		default:
			c.add(out[ep.ID], name+" ("+w.what+"): no edge leaves "+ep.ID)
		}
	}
}

// wantedRoutes lists the template's routes that integrate with AWS or HTTP
// without a Lambda function, in resource order.
func wantedRoutes(t *sam.Template) []route {
	var want []route
	for _, r := range t.Resources {
		switch r.Type {
		case "AWS::ApiGateway::Method":
			want = append(want, restMethodRoute(t, r)...)
		case "AWS::ApiGatewayV2::Route":
			want = append(want, v2Routes(t, r)...)
		case "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api":
			want = append(want, openAPIRoutes(t, r)...)
		}
	}
	return want
}

// restMethodRoute: a REST method whose Integration is AWS, HTTP or
// HTTP_PROXY to something other than a Lambda function.
func restMethodRoute(t *sam.Template, r *sam.Resource) []route {
	in := sam.Get(r.Properties, "Integration")
	typ := strings.ToUpper(t.Resolve(sam.Get(in, "Type")).Text)
	uri := t.Resolve(sam.Get(in, "Uri"))
	if (typ == "AWS" || typ == "HTTP" || typ == "HTTP_PROXY") && !lambdaURI(uri) {
		return []route{{logicalID: r.ID, what: typ + " " + short(uri.Text)}}
	}
	return nil
}

// v2Routes: an HTTP/WebSocket API route whose target integration is not a
// mock and not a Lambda function (unless it has a subtype).
func v2Routes(t *sam.Template, r *sam.Resource) []route {
	var want []route
	for _, ref := range t.Resolve(sam.Get(r.Properties, "Target")).Refs {
		in := t.Resource(ref.ID)
		if in == nil || in.Type != "AWS::ApiGatewayV2::Integration" {
			continue
		}
		typ := strings.ToUpper(t.Resolve(sam.Get(in.Properties, "IntegrationType")).Text)
		uri := t.Resolve(sam.Get(in.Properties, "IntegrationUri"))
		sub := t.Resolve(sam.Get(in.Properties, "IntegrationSubtype")).Text
		if typ == "MOCK" || lambdaURI(uri) && sub == "" {
			continue
		}
		want = append(want, route{logicalID: r.ID, what: strings.TrimSpace(typ + " " + sub + " " + short(uri.Text))})
	}
	return want
}

// openAPIRoutes: the operations of an API's OpenAPI body whose
// x-amazon-apigateway-integration is aws/http/http_proxy or has a subtype.
func openAPIRoutes(t *sam.Template, r *sam.Resource) []route {
	var want []route
	for _, pp := range sam.Pairs(sam.Get(openAPIBody(t, r), "paths")) {
		for _, mp := range sam.Pairs(pp.Value) {
			if w, ok := openAPIRoute(t, r.ID, pp.Key, mp); ok {
				want = append(want, w)
			}
		}
	}
	return want
}

func openAPIRoute(t *sam.Template, api, path string, mp sam.Pair) (route, bool) {
	meth := strings.ToLower(mp.Key)
	switch meth {
	case "get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method":
	default:
		return route{}, false
	}
	in := sam.Get(mp.Value, "x-amazon-apigateway-integration")
	typ := strings.ToLower(t.Resolve(sam.Get(in, "type")).Text)
	uri := t.Resolve(sam.Get(in, "uri"))
	sub := t.Resolve(sam.Get(in, "integrationSubtype")).Text
	if in == nil || typ == "mock" || lambdaURI(uri) && sub == "" || typ == "aws_proxy" && sub == "" && lambdaURI(uri) {
		return route{}, false
	}
	if typ != "aws" && typ != "http" && typ != "http_proxy" && sub == "" {
		return route{}, false
	}
	if meth == "x-amazon-apigateway-any-method" {
		meth = "any"
	}
	return route{api: api, method: strings.ToUpper(meth), path: path,
		what: strings.TrimSpace(typ + " " + sub + " " + short(uri.Text))}, true
}

// entryPointOf is the model's entry point for a route: by the route's
// resource, or for an OpenAPI route by API, method and path.
func entryPointOf(m *model.Model, w route) *model.EntryPoint {
	for _, e := range m.EntryPoints {
		if w.logicalID != "" && e.Source.LogicalID == w.logicalID ||
			w.logicalID == "" && e.API == w.api && strings.EqualFold(e.Method, w.method) && e.Path == w.path {
			return e
		}
	}
	return nil
}

func lambdaURI(v sam.Value) bool {
	s := v.Text
	for _, r := range v.Refs {
		s += " " + r.ID
	}
	return strings.Contains(s, ":lambda:path/") || strings.Contains(s, "/functions/") || strings.Contains(strings.ToLower(s), "lambda")
}

func short(s string) string {
	if len(s) > 70 {
		return s[:67] + "..."
	}
	return s
}

// openAPIBody is an API's inline OpenAPI document, or the local file it includes.
func openAPIBody(t *sam.Template, r *sam.Resource) *yaml.Node {
	body := sam.Get(r.Properties, "DefinitionBody")
	if body == nil {
		body = sam.Get(r.Properties, "Body")
	}
	if loc := sam.Get(body, "Fn::Transform", "Parameters", "Location"); loc != nil {
		return localDoc(t, sam.Str(loc))
	}
	if body == nil {
		if uri := sam.Get(r.Properties, "DefinitionUri"); uri != nil && uri.Kind == yaml.ScalarNode {
			return localDoc(t, uri.Value)
		}
		if uri := sam.Get(r.Properties, "BodyS3Location"); uri != nil && uri.Kind == yaml.ScalarNode {
			return localDoc(t, uri.Value)
		}
	}
	return body
}

func localDoc(t *sam.Template, p string) *yaml.Node {
	if p == "" || strings.Contains(p, "://") || strings.Contains(p, "${") {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(t.Dir, filepath.FromSlash(p)))
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}
