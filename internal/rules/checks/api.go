package checks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"gopkg.in/yaml.v3"
)

// API Gateway rules (SLS-API-*): REST, HTTP and WebSocket APIs, explicit or implicit:
// authentication, CORS, validation, throttling, WAF, logs, tracing, TLS, API keys
// and mapping templates.

func init() {
	Register("SLS-API-001", checkRouteNoAuth)
	Register("SLS-API-012", checkAPIKeyOnly)
	Register("SLS-API-013", checkMappingSplice)
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

// openRoute is one route callable without authorization, before the routes
// are merged into one finding per resource (function, or API).
type openRoute struct {
	route, api, target string
	sev                model.Severity // "": the rule's own
	msg                string
	plain              bool // public, no signature check: the plain message
	ev                 []model.Location
}

// checkRouteNoAuth reports, once per function (or per API for routes to an
// integration), every route that reaches it with no authorization.
func checkRouteNoAuth(c *Context) ([]Hit, error) {
	byRes := map[string][]openRoute{}
	var order []string
	noConnect := map[string]bool{}
	for _, ep := range c.Model.EntryPoints {
		if ep.Kind != "route" || strings.EqualFold(ep.Method, "OPTIONS") {
			continue
		}
		res, r, ok := judgeRoute(c, ep, noConnect)
		if !ok {
			continue
		}
		if byRes[res] == nil {
			order = append(order, res)
		}
		byRes[res] = append(byRes[res], r)
	}
	var hits []Hit
	for _, res := range order {
		hits = append(hits, mergeRoutes(res, byRes[res]))
	}
	return hits, nil
}

// judgeRoute says whether a route is callable without authorization, and
// files it on its function (or API).
func judgeRoute(c *Context, ep *model.EntryPoint, noConnect map[string]bool) (string, openRoute, bool) {
	target := routeTarget(c, ep)
	res := ep.Function
	if res == "" {
		res = ep.API
	}
	route := routeName(ep)
	r := openRoute{route: route, api: ep.API, target: target, ev: src(c.Model, ep.Source, 0)}
	if ep.APIType == "websocket" && ep.Path != "$connect" {
		// API Gateway authorizes a WebSocket connection once, at $connect;
		// every other route of the connection inherits it. $disconnect is
		// not a message a client sends.
		conn := websocketConnect(c.Model, ep.API)
		switch {
		case ep.Path == "$disconnect" && conn != nil:
			return "", r, false
		case conn == nil && noConnect[ep.API]:
			return "", r, false
		case conn == nil:
			noConnect[ep.API] = true
			r.msg = fmt.Sprintf("WebSocket API %s has no $connect route, so API Gateway accepts every connection without authorization: anyone on the internet can send route %s to %s", ep.API, ep.Path, target)
			return ep.API, r, true
		case strings.ToUpper(conn.Auth) != "" && strings.ToUpper(conn.Auth) != "NONE":
			return "", r, false
		}
		r.msg = fmt.Sprintf("route %s of WebSocket API %s reaches %s with no authorization: its $connect route has none, so any client on the internet can connect and send it", ep.Path, ep.API, target)
		return res, r, true
	}
	if a := strings.ToUpper(ep.Auth); a != "" && a != "NONE" {
		return "", r, false
	}
	switch {
	case apiEndpointPrivate(c, ep) || (c.Template != nil && !ep.Public && ep.APIType != "websocket"):
		r.sev = model.SeverityMedium
		r.msg = fmt.Sprintf("route %s of %s reaches %s with no authorization; %s is a PRIVATE API, so not the internet but any client in a VPC whose interface endpoint the API admits can call it", route, ep.API, target, ep.API)
	case ep.APIType == "websocket":
		r.msg = fmt.Sprintf("the $connect route of WebSocket API %s (%s) has no authorization: anyone on the internet can open a connection and use every route of the API", ep.API, target)
	default:
		r.plain = true
		r.msg = fmt.Sprintf("route %s of %s reaches %s with no authorization: anyone on the internet can call it", route, ep.API, target)
	}
	if f := functionByID(c.Model, ep.Function); f != nil {
		if loc := signatureCheck(c, f); loc != nil {
			r.sev, r.plain = model.SeverityLow, false
			r.msg = fmt.Sprintf("route %s of %s reaches %s with no authorizer, but its code verifies a request signature (%s:%d: %s): authentication is done in code; make sure every path of the handler checks it before acting", route, ep.API, target, filepathBase(loc.File), loc.Line, loc.Snippet)
			r.ev = append(r.ev, *loc)
		}
	}
	return res, r, true
}

// mergeRoutes makes one finding of a resource's open routes: the worst
// severity, every route in the message, evidence at each.
func mergeRoutes(res string, rs []openRoute) Hit {
	h := Hit{Resource: res, Severity: rs[0].sev, Message: rs[0].msg}
	rank := func(s model.Severity) int { // "": the rule's own (high)
		if s == "" {
			return model.SeverityHigh.Rank()
		}
		return s.Rank()
	}
	plain, sameAPI := true, true
	var routes, msgs []string
	for _, r := range rs {
		if rank(r.sev) > rank(h.Severity) {
			h.Severity = r.sev
		}
		plain = plain && r.plain
		sameAPI = sameAPI && r.api == rs[0].api && r.target == rs[0].target
		routes = append(routes, r.route)
		msgs = append(msgs, r.msg)
		h.Evidence = append(h.Evidence, r.ev...)
	}
	switch {
	case len(rs) == 1:
	case plain && sameAPI:
		h.Message = fmt.Sprintf("routes %s of %s reach %s with no authorization: anyone on the internet can call them", shortList(routes, 8), rs[0].api, rs[0].target)
	default:
		h.Message = fmt.Sprintf("%d routes reach %s with no authorization: %s", len(rs), res, strings.Join(msgs, "; "))
	}
	return h
}

// checkAPIKeyOnly: a REST API whose only caller check is an API key (usage
// plans are for metering, keys are shared and long-lived), including a
// Lambda authorizer whose identity is the x-api-key header itself.
func checkAPIKeyOnly(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Serverless::Api") {
		auth := get(props(r), "Auth")
		keyReq := get(auth, "ApiKeyRequired")
		if !isTrue(keyReq) {
			continue
		}
		def := str(get(auth, "DefaultAuthorizer"))
		keyAsIdentity := false
		if def != "" && def != "AWS_IAM" {
			a := get(auth, "Authorizers", def)
			for _, h := range items(get(a, "Identity", "Headers")) {
				if strings.EqualFold(str(h), "x-api-key") {
					keyAsIdentity = true
				}
			}
			if !keyAsIdentity {
				continue
			}
		} else if def == "AWS_IAM" {
			continue
		}
		msg := fmt.Sprintf("API %s authenticates callers by API key only: keys are long-lived shared secrets sent in a header, meant for usage plans, not identity", r.ID)
		if keyAsIdentity {
			msg = fmt.Sprintf("API %s's authorizer %s takes the API key (x-api-key) as the caller's identity: a long-lived shared secret is the only credential", r.ID, def)
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "apikey", Message: msg, Evidence: at(c.Model, keyReq, r.Line)})
	}
	return hits, nil
}

// rawSplice finds request values pasted into a mapping template without an
// encoder: $input.body, $input.params(...), $method.request... outside
// $input.json / $util.escapeJavaScript / $util.urlEncode / $util.toJson.
var rawSplice = regexp.MustCompile(`\$input\.body|\$input\.params\([^)]*\)|\$input\.path\([^)]*\)|\$method\.request\.[A-Za-z.]+`)

var encoded = regexp.MustCompile(`\$util\.(escapeJavaScript|urlEncode|base64Encode|toJson)\([^)]*$`)

// checkMappingSplice: a direct AWS service integration (SQS, DynamoDB,
// Step Functions...) whose request mapping template pastes a request value
// raw into the service request, so the caller can add parameters or JSON
// fields to it.
func checkMappingSplice(c *Context) ([]Hit, error) {
	var hits []Hit
	if c.Template == nil {
		return nil, nil
	}
	for _, r := range c.Template.Resources {
		var visit func(n *yaml.Node, integration *yaml.Node)
		visit = func(n *yaml.Node, integration *yaml.Node) {
			n = deref(n)
			if n == nil {
				return
			}
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					k, v := n.Content[i].Value, deref(n.Content[i+1])
					switch k {
					case "Integration", "x-amazon-apigateway-integration":
						visit(v, v)
						continue
					case "RequestTemplates", "requestTemplates":
						typ := strings.ToLower(str(get(integration, "Type")) + str(get(integration, "type")))
						if typ != "aws" {
							continue // proxies and HTTP backends get the request as sent
						}
						pairs(v, func(_ string, _, tv *yaml.Node) {
							body := str(tv)
							for _, loc := range rawSplice.FindAllStringIndex(body, -1) {
								if encoded.MatchString(body[:loc[0]]) || strings.HasSuffix(body[:loc[0]], "$input.json(") {
									continue
								}
								hits = append(hits, Hit{Resource: r.ID, Key: "splice",
									Message:  fmt.Sprintf("%s's integration request template pastes %s unencoded into the service request: a caller can add parameters or JSON fields to it (use $util.urlEncode, $util.escapeJavaScript or $input.json)", r.ID, body[loc[0]:loc[1]]),
									Evidence: at(c.Model, tv, r.Line)})
								return
							}
						})
						continue
					}
					visit(v, integration)
				}
			}
			for _, ch := range n.Content {
				if n.Kind != yaml.MappingNode {
					visit(ch, integration)
				}
			}
		}
		visit(props(r), nil)
	}
	return hits, nil
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
