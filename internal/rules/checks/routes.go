package checks

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
)

// What a route reaches and who can call it, for the route rules' messages:
// every message names its subject, also when the route's integration is not a
// function (an AWS service, an HTTP backend, a mock).

// routeTarget names what a route reaches: its function, the resource or
// third party the model wires it to, or the integration the template
// declares on the route's Method (REST) or Route (HTTP/WebSocket).
func routeTarget(c *Context, ep *model.EntryPoint) string {
	m := c.Model
	if ep.Function != "" {
		return ep.Function
	}
	for _, e := range m.Edges {
		if e.From == ep.ID && e.To != "" && e.To != ep.API && (e.Kind == model.EdgeTrigger || e.Kind == model.EdgeInvoke || e.Kind == model.EdgeAccess) {
			return e.To
		}
	}
	if t := integrationOf(c, ep); t != "" {
		return t
	}
	return "its integration on " + ep.API
}

// integrationOf describes the integration declared on the route's resource.
func integrationOf(c *Context, ep *model.EntryPoint) string {
	m := c.Model
	if c.Template == nil || ep.Source.LogicalID == "" {
		return ""
	}
	r := c.Template.Resource(ep.Source.LogicalID)
	if r == nil {
		return ""
	}
	p := props(r)
	if in := get(p, "Integration"); in != nil { // AWS::ApiGateway::Method
		return describeIntegration(str(get(in, "Type")), uriText(get(in, "Uri")), "")
	}
	if t := get(p, "Target"); t != nil { // AWS::ApiGatewayV2::Route: integrations/<id>
		refs := map[string]bool{}
		refsIn(t, refs)
		for id := range refs {
			if ir := c.Template.Resource(id); ir != nil && ir.Type == "AWS::ApiGatewayV2::Integration" {
				ip := props(ir)
				if f := lambdaInURI(m, get(ip, "IntegrationUri")); f != "" {
					return f
				}
				return describeIntegration(str(get(ip, "IntegrationType")), uriText(get(ip, "IntegrationUri")), str(get(ip, "IntegrationSubtype")))
			}
		}
	}
	return ""
}

// lambdaInURI returns the function an integration URI refers to.
func lambdaInURI(m *model.Model, n *yaml.Node) string {
	refs := map[string]bool{}
	refsIn(n, refs)
	for _, f := range m.Functions {
		if refs[f.ID] {
			return f.ID
		}
	}
	return ""
}

// uriText is a URI as written: a Sub string, or a Join's parts joined, with
// references rendered as ${Name}.
func uriText(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	if t := refTarget(n); t != "" && (n.Tag == "!Ref" || get(n, "Ref") != nil) {
		return "${" + t + "}"
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	var sub, join *yaml.Node
	switch {
	case n.Tag == "!Sub":
		sub = n
	case n.Tag == "!Join":
		join = n
	case get(n, "Fn::Sub") != nil:
		sub = get(n, "Fn::Sub")
	case get(n, "Fn::Join") != nil:
		join = get(n, "Fn::Join")
	}
	if sub != nil {
		if sub.Kind == yaml.SequenceNode && len(sub.Content) > 0 {
			return str(sub.Content[0])
		}
		return str(sub)
	}
	if join != nil && join.Kind == yaml.SequenceNode && len(join.Content) > 1 {
		var parts []string
		for _, it := range items(join.Content[1]) {
			parts = append(parts, uriText(it))
		}
		return strings.Join(parts, str(join.Content[0]))
	}
	return ""
}

// describeIntegration words an integration type and URI.
func describeIntegration(typ, uri, subtype string) string {
	switch strings.ToUpper(typ) {
	case "AWS", "AWS_PROXY":
		if subtype != "" {
			return "the AWS service integration " + subtype
		}
		if svc := apigwService(uri); svc != "" {
			return "the " + svc + " service integration"
		}
		return "an AWS service integration"
	case "HTTP", "HTTP_PROXY":
		if uri != "" {
			return "the HTTP backend " + uri
		}
		return "an HTTP backend"
	case "MOCK":
		return "a mock integration (no backend)"
	}
	return ""
}

// apigwService reads the service of arn:aws:apigateway:<region>:<service>:action/...
func apigwService(uri string) string {
	i := strings.Index(uri, ":apigateway:")
	if i < 0 {
		return ""
	}
	rest := uri[i+len(":apigateway:"):]
	// skip the region (which may be ${AWS::Region})
	if strings.HasPrefix(rest, "${") {
		if j := strings.Index(rest, "}"); j >= 0 {
			rest = rest[j+1:]
		}
	} else if j := strings.Index(rest, ":"); j >= 0 {
		rest = rest[j:]
	}
	rest = strings.TrimPrefix(rest, ":")
	svc, _, _ := strings.Cut(rest, ":")
	if strings.Contains(svc, "lambda") {
		return "Lambda"
	}
	return svc
}

// apiEndpointPrivate reports whether an API is a PRIVATE REST API (reachable
// only through interface VPC endpoints): the model's answer where the
// integrations stage decides it (an entry point marked non-public), else the
// template's EndpointConfiguration (the API's own, or Globals.Api for the
// implicit API).
func apiEndpointPrivate(c *Context, ep *model.EntryPoint) bool {
	if c.Template == nil {
		return false
	}
	var p *yaml.Node
	if r := c.Template.Resource(ep.API); r != nil {
		p = props(r)
	} else if ep.APIType == "" || ep.APIType == "rest" {
		p = c.Template.Globals["Api"]
	}
	ec := get(p, "EndpointConfiguration")
	t := str(get(ec, "Type"))
	if t == "" {
		t = str(ec)
		for _, it := range items(get(ec, "Types")) {
			t = str(it)
		}
	}
	return strings.EqualFold(t, "PRIVATE")
}

// websocketConnect returns the $connect entry point of a WebSocket API.
func websocketConnect(m *model.Model, api string) *model.EntryPoint {
	for _, ep := range m.EntryPoints {
		if ep.Kind == "route" && ep.API == api && ep.Path == "$connect" {
			return ep
		}
	}
	return nil
}

func routeName(ep *model.EntryPoint) string {
	if ep.APIType == "websocket" {
		return ep.Path
	}
	return strings.TrimSpace(strings.ToUpper(ep.Method) + " " + ep.Path)
}

var _ = fmt.Sprintf
