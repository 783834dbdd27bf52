package checks

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/model"
)

// API Gateway checks (REST and HTTP APIs, explicit or implicit).

func init() {
	Register("SLS-API-002", checkCorsStar(false))
	Register("SLS-API-003", checkCorsStar(true))
	Register("SLS-API-004", checkValidation)
	Register("SLS-API-005", checkThrottling)
	Register("SLS-API-006", checkWAF)
	Register("SLS-API-007", checkAccessLogs)
	Register("SLS-API-008", checkAPITracing)
	Register("SLS-API-009", checkExecutionLogs)
	Register("SLS-API-010", checkCacheEncryption)
	Register("SLS-API-011", checkTLS)
}

// api is one API of the application, as far as the rules need it.
type api struct {
	ID       string
	Kind     string // rest | http | websocket
	Props    *yaml.Node
	Line     int
	Resource string // logical id findings are filed under
	SAM      bool   // AWS::Serverless::*: stage settings live on the API itself
	Implicit bool
	Public   bool // has at least one route
}

func apis(c *Context) []api {
	m := c.Model
	var out []api
	seen := map[string]bool{}
	routed := map[string]bool{}
	firstFn := map[string]*model.EntryPoint{}
	for _, ep := range m.EntryPoints {
		if ep.Kind == "route" && ep.API != "" {
			routed[ep.API] = true
			if firstFn[ep.API] == nil {
				firstFn[ep.API] = ep
			}
		}
	}
	for _, r := range resources(c.Template, "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api") {
		a := api{ID: r.ID, Props: props(r), Line: r.Line, Resource: r.ID, Public: routed[r.ID]}
		switch r.Type {
		case "AWS::Serverless::Api":
			a.Kind, a.SAM, a.Public = "rest", true, true
		case "AWS::Serverless::HttpApi":
			a.Kind, a.SAM, a.Public = "http", true, true
		case "AWS::ApiGateway::RestApi":
			a.Kind, a.Public = "rest", true
		default:
			a.Kind = "http"
			if strings.EqualFold(str(get(props(r), "ProtocolType")), "WEBSOCKET") {
				a.Kind = "websocket"
			}
			a.Public = true
		}
		if c := str(get(props(r), "EndpointConfiguration", "Type")); strings.EqualFold(c, "PRIVATE") || strings.EqualFold(str(get(props(r), "EndpointConfiguration")), "PRIVATE") {
			a.Public = false
		}
		seen[r.ID] = true
		out = append(out, a)
	}
	// Implicit APIs SAM creates from Api/HttpApi events: settings come from Globals.
	for _, ep := range m.EntryPoints {
		if ep.Kind != "route" || ep.API == "" || seen[ep.API] {
			continue
		}
		seen[ep.API] = true
		a := api{ID: ep.API, Kind: ep.APIType, Line: ep.Source.Line, Resource: firstFn[ep.API].Function, SAM: true, Implicit: true, Public: true}
		if a.Kind == "" {
			a.Kind = "rest"
		}
		if c.Template != nil {
			g := "Api"
			if a.Kind == "http" {
				g = "HttpApi"
			}
			a.Props = c.Template.Globals[g]
		}
		out = append(out, a)
	}
	return out
}

func unquote(s string) string {
	return strings.Trim(strings.TrimSpace(s), `'"`)
}

func checkCorsStar(withCreds bool) Check {
	return func(c *Context) ([]Hit, error) {
		var hits []Hit
		for _, a := range apis(c) {
			var origin, creds *yaml.Node
			switch {
			case a.SAM && a.Kind == "rest":
				cors := get(a.Props, "Cors")
				if cors != nil && cors.Kind == yaml.ScalarNode {
					if unquote(cors.Value) == "*" {
						origin = cors
					}
				} else if o := get(cors, "AllowOrigin"); unquote(str(o)) == "*" {
					origin = o
				}
				creds = get(cors, "AllowCredentials")
			default:
				cc := get(a.Props, "CorsConfiguration")
				if isTrue(cc) {
					origin = cc
				}
				for _, o := range items(get(cc, "AllowOrigins")) {
					if unquote(str(o)) == "*" {
						origin = o
					}
				}
				creds = get(cc, "AllowCredentials")
			}
			if origin == nil {
				continue
			}
			if withCreds != isTrue(creds) {
				continue
			}
			msg := fmt.Sprintf("%s answers cross-origin requests from any web site (AllowOrigin '*')", a.ID)
			if withCreds {
				msg = fmt.Sprintf("%s allows any origin and credentials together: a page on any site can send the user's cookies or tokens", a.ID)
			}
			hits = append(hits, Hit{Resource: a.Resource, Key: a.ID, Message: msg, Evidence: at(c.Model, origin, a.Line)})
		}
		return hits, nil
	}
}

func checkValidation(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, ep := range c.Model.EntryPoints {
		if ep.Kind != "route" || !ep.HasBody || ep.Validated || (ep.APIType != "" && ep.APIType != "rest") {
			continue
		}
		if eventValidated(c, ep) || methodValidated(c, ep) {
			continue
		}
		route := strings.ToUpper(ep.Method) + " " + ep.Path
		res := ep.Function
		if res == "" {
			res = ep.API
		}
		hits = append(hits, Hit{Resource: res, Key: ep.API + " " + route,
			Message:  fmt.Sprintf("%s %s passes request bodies to %s without a request model or validator: malformed or hostile input reaches the backend", ep.API, route, routeTarget(c, ep)),
			Evidence: src(c.Model, ep.Source, 0)})
	}
	return hits, nil
}

// methodValidated reads a plain AWS::ApiGateway::Method: a RequestValidatorId
// whose validator checks the body, with a request model.
func methodValidated(c *Context, ep *model.EntryPoint) bool {
	if c.Template == nil || ep.Source.LogicalID == "" {
		return false
	}
	r := c.Template.Resource(ep.Source.LogicalID)
	if r == nil || r.Type != "AWS::ApiGateway::Method" {
		return false
	}
	v := get(props(r), "RequestValidatorId")
	if v == nil || get(props(r), "RequestModels") == nil {
		return false
	}
	if vr := c.Template.Resource(refTarget(v)); vr != nil {
		return isTrue(get(props(vr), "ValidateRequestBody"))
	}
	return true // a validator from outside the template: trust it
}

// eventValidated looks at the SAM event for RequestModel with ValidateBody.
func eventValidated(c *Context, ep *model.EntryPoint) bool {
	m := c.Model
	for _, f := range m.Functions {
		if f.ID != ep.Function {
			continue
		}
		validated := false
		pairs(get(fnProps(c.Template, f), "Events"), func(_ string, _ *yaml.Node, ev *yaml.Node) {
			p := get(ev, "Properties")
			if str(get(p, "Path")) == ep.Path && strings.EqualFold(str(get(p, "Method")), ep.Method) {
				if rm := get(p, "RequestModel"); rm != nil && !isFalse(get(rm, "ValidateBody")) {
					validated = true
				}
			}
		})
		return validated
	}
	return false
}

// stageSettings returns the method settings that apply to an API's stage.
func stageSettings(c *Context, a api) []*yaml.Node {
	var out []*yaml.Node
	if a.SAM {
		out = append(out, items(get(a.Props, "MethodSettings"))...)
		if d := get(a.Props, "DefaultRouteSettings"); d != nil {
			out = append(out, d)
		}
		return out
	}
	for _, s := range stagesOf(c, a) {
		out = append(out, items(get(s, "MethodSettings"))...)
		if d := get(s, "DefaultRouteSettings"); d != nil {
			out = append(out, d)
		}
	}
	return out
}

// stagesOf returns the property nodes of the AWS::ApiGateway(V2)::Stage resources of a plain API.
func stagesOf(c *Context, a api) []*yaml.Node {
	var out []*yaml.Node
	for _, r := range resources(c.Template, "AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage") {
		id := refTarget(get(props(r), "RestApiId"))
		if id == "" {
			id = refTarget(get(props(r), "ApiId"))
		}
		if id == a.ID {
			out = append(out, props(r))
		}
	}
	return out
}

// referenced reports whether any resource of the types refers to id.
func referenced(c *Context, id string, types ...string) bool {
	for _, r := range resources(c.Template, types...) {
		refs := map[string]bool{}
		refsIn(props(r), refs)
		if refs[id] {
			return true
		}
	}
	return false
}

func checkThrottling(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, a := range apis(c) {
		if !a.Public || a.Kind == "websocket" {
			continue
		}
		if get(a.Props, "Auth", "UsagePlan") != nil || referenced(c, a.ID, "AWS::ApiGateway::UsagePlan") {
			continue
		}
		throttled := false
		for _, s := range stageSettings(c, a) {
			if get(s, "ThrottlingRateLimit") != nil || get(s, "ThrottlingBurstLimit") != nil {
				throttled = true
			}
		}
		if throttled {
			continue
		}
		hits = append(hits, Hit{Resource: a.Resource, Key: a.ID,
			Message:  fmt.Sprintf("%s has no throttling and no usage plan: a flood of requests scales the functions behind it and the bill with them", a.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: a.Line}}})
	}
	return hits, nil
}

func checkWAF(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, a := range apis(c) {
		if !a.Public || a.Kind != "rest" {
			continue // HTTP APIs cannot carry a web ACL
		}
		if referenced(c, a.ID, "AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation") {
			continue
		}
		hits = append(hits, Hit{Resource: a.Resource, Key: a.ID,
			Message:  fmt.Sprintf("public REST API %s has no AWS WAF web ACL in front of it", a.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: a.Line}}})
	}
	return hits, nil
}

func checkAccessLogs(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, a := range apis(c) {
		key := "AccessLogSetting"
		if a.Kind != "rest" {
			key = "AccessLogSettings"
		}
		logged := get(a.Props, key) != nil
		if !a.SAM {
			stages := stagesOf(c, a)
			if len(stages) == 0 {
				continue // stage not in this template
			}
			for _, s := range stages {
				if get(s, key) != nil {
					logged = true
				}
			}
		}
		if logged {
			continue
		}
		hits = append(hits, Hit{Resource: a.Resource, Key: a.ID,
			Message:  fmt.Sprintf("%s has no access logging (%s): who called which route is not recorded", a.ID, key),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: a.Line}}})
	}
	return hits, nil
}

func checkAPITracing(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, a := range apis(c) {
		if a.Kind != "rest" {
			continue // X-Ray is only available on REST APIs
		}
		traced := isTrue(get(a.Props, "TracingEnabled"))
		if !a.SAM {
			stages := stagesOf(c, a)
			if len(stages) == 0 {
				continue
			}
			for _, s := range stages {
				traced = traced || isTrue(get(s, "TracingEnabled"))
			}
		}
		if traced {
			continue
		}
		hits = append(hits, Hit{Resource: a.Resource, Key: a.ID,
			Message:  fmt.Sprintf("REST API %s does not send traces to X-Ray (TracingEnabled)", a.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: a.Line}}})
	}
	return hits, nil
}

func checkExecutionLogs(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, a := range apis(c) {
		if a.Kind != "rest" || (!a.SAM && len(stagesOf(c, a)) == 0) {
			continue
		}
		logged := false
		for _, s := range stageSettings(c, a) {
			if l := strings.ToUpper(str(get(s, "LoggingLevel"))); l == "INFO" || l == "ERROR" {
				logged = true
			}
		}
		if logged {
			continue
		}
		hits = append(hits, Hit{Resource: a.Resource, Key: a.ID,
			Message:  fmt.Sprintf("REST API %s has no execution logging (MethodSettings LoggingLevel INFO or ERROR)", a.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: a.Line}}})
	}
	return hits, nil
}

func checkCacheEncryption(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, a := range apis(c) {
		if a.Kind != "rest" {
			continue
		}
		enabled := get(a.Props, "CacheClusterEnabled")
		for _, s := range stagesOf(c, a) {
			if isTrue(get(s, "CacheClusterEnabled")) {
				enabled = get(s, "CacheClusterEnabled")
			}
		}
		if !isTrue(enabled) {
			continue
		}
		encrypted := false
		for _, s := range stageSettings(c, a) {
			if isTrue(get(s, "CacheDataEncrypted")) {
				encrypted = true
			}
		}
		if encrypted {
			continue
		}
		hits = append(hits, Hit{Resource: a.Resource, Key: a.ID,
			Message:  fmt.Sprintf("REST API %s caches responses without encrypting the cache (CacheDataEncrypted)", a.ID),
			Evidence: at(c.Model, enabled, a.Line)})
	}
	return hits, nil
}

func checkTLS(c *Context) ([]Hit, error) {
	var hits []Hit
	report := func(id, res string, n *yaml.Node, line int) {
		policy := "no SecurityPolicy, which defaults to TLS_1_0"
		if n != nil {
			policy = "SecurityPolicy " + str(n)
		}
		hits = append(hits, Hit{Resource: res, Key: id,
			Message:  fmt.Sprintf("custom domain of %s accepts TLS 1.0 (%s): require TLS_1_2", id, policy),
			Evidence: at(c.Model, n, line)})
	}
	for _, a := range apis(c) {
		if !a.SAM {
			continue
		}
		d := get(a.Props, "Domain")
		if d == nil {
			continue
		}
		sp := get(d, "SecurityPolicy")
		if sp == nil || strings.EqualFold(str(sp), "TLS_1_0") {
			if sp == nil && a.Kind == "http" {
				continue // HTTP API domains default to TLS 1.2
			}
			report(a.ID, a.Resource, sp, resLineNode(d, a.Line))
		}
	}
	for _, r := range resources(c.Template, "AWS::ApiGateway::DomainName") {
		sp := get(props(r), "SecurityPolicy")
		if sp == nil || strings.EqualFold(str(sp), "TLS_1_0") {
			report(r.ID, r.ID, sp, r.Line)
		}
	}
	return hits, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func resLineNode(n *yaml.Node, fallback int) int {
	if n != nil && n.Line > 0 {
		return n.Line
	}
	return fallback
}
