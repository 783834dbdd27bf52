package adapt

import (
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// apiInfo is what routes need from their API: its kind and auth defaults.
type apiInfo struct {
	id           string
	kind         string            // rest | http | websocket
	defaultAuth  string            // authorizer name, AWS_IAM, NONE or ""
	authorizers  map[string]string // name -> COGNITO | LAMBDA | JWT | AWS_IAM
	apiKey       bool              // Auth.ApiKeyRequired on the API
	resourcePol  bool
	validatorSet bool
	private      bool     // EndpointConfiguration PRIVATE
	vpcOnly      bool     // the resource policy admits only VPCs / VPC endpoints
	allowedFrom  []string // who the resource policy lets in
}

const (
	implicitRest = "ServerlessRestApi"
	implicitHTTP = "ServerlessHttpApi"
)

// readAPIs reads every SAM API's auth settings (explicit APIs, and the
// implicit ones SAM creates from Globals) and the routes of inline OpenAPI
// definitions.
func (b *builder) readAPIs() {
	b.apis[implicitRest] = b.apiAuth(implicitRest, "rest", b.t.Globals["Api"])
	b.apis[implicitHTTP] = b.apiAuth(implicitHTTP, "http", b.t.Globals["HttpApi"])
	b.apiReach(b.apis[implicitRest], b.t.Globals["Api"], true)
	for _, r := range b.t.Resources {
		switch r.Type {
		case "AWS::Serverless::Api":
			b.apis[r.ID] = b.apiAuth(r.ID, "rest", r.Properties)
			b.apiReach(b.apis[r.ID], r.Properties, true) // Globals.Api already applied
		case "AWS::Serverless::HttpApi":
			b.apis[r.ID] = b.apiAuth(r.ID, "http", r.Properties)
		case "AWS::ApiGateway::RestApi":
			b.apis[r.ID] = &apiInfo{id: r.ID, kind: "rest", authorizers: map[string]string{}}
			b.apiReach(b.apis[r.ID], r.Properties, false)
		case "AWS::Serverless::WebSocketApi":
			b.apis[r.ID] = &apiInfo{id: r.ID, kind: "websocket", authorizers: map[string]string{}}
		case "AWS::ApiGatewayV2::Api":
			kind := "http"
			if strings.EqualFold(b.t.Resolve(sam.Get(r.Properties, "ProtocolType")).Text, "WEBSOCKET") {
				kind = "websocket"
			}
			b.apis[r.ID] = &apiInfo{id: r.ID, kind: kind, authorizers: map[string]string{}}
		}
	}
	for _, r := range b.t.Resources {
		if r.Type == "AWS::Serverless::WebSocketApi" {
			continue // routes are read with the functions' events (webSocketRoutes)
		}
		if r.Type == "AWS::Serverless::Api" || r.Type == "AWS::Serverless::HttpApi" || r.Type == "AWS::ApiGateway::RestApi" || r.Type == "AWS::ApiGatewayV2::Api" {
			body := sam.Get(r.Properties, "DefinitionBody")
			if body == nil {
				body = sam.Get(r.Properties, "Body")
			}
			if loc := sam.Get(body, "Fn::Transform", "Parameters", "Location"); loc != nil {
				body = b.localDocument(r, loc) // AWS::Include of a local file
			}
			if body == nil {
				if uri := sam.Get(r.Properties, "DefinitionUri"); uri != nil && uri.Kind == yaml.ScalarNode {
					body = b.localDocument(r, uri)
				}
			}
			if a := b.apis[r.ID]; a != nil && len(a.allowedFrom) == 0 {
				if pol := sam.Get(body, "x-amazon-apigateway-policy"); pol != nil { // a resource policy in the definition
					a.allowedFrom, a.vpcOnly = b.policyAllowedFrom(pol)
				}
			}
			b.openAPIRoutes(r, body)
		}
	}
}

func (b *builder) apiAuth(id, kind string, p *yaml.Node) *apiInfo {
	a := &apiInfo{id: id, kind: kind, authorizers: map[string]string{}}
	auth := sam.Get(p, "Auth")
	a.defaultAuth = b.t.Resolve(sam.Get(auth, "DefaultAuthorizer")).Text
	a.apiKey, _ = sam.Bool(sam.Get(auth, "ApiKeyRequired"))
	a.resourcePol = sam.Get(auth, "ResourcePolicy") != nil
	for _, kv := range sam.Pairs(sam.Get(auth, "Authorizers")) {
		typ := "LAMBDA"
		switch {
		case sam.Get(kv.Value, "UserPoolArn") != nil:
			typ = "COGNITO"
		case sam.Get(kv.Value, "JwtConfiguration") != nil:
			typ = "JWT"
		case sam.Get(kv.Value, "FunctionArn") != nil:
			typ = "LAMBDA"
		}
		a.authorizers[kv.Key] = typ
	}
	if iam, _ := sam.Bool(sam.Get(auth, "EnableIamAuthorizer")); iam {
		a.authorizers["AWS_IAM"] = "AWS_IAM"
	}
	return a
}

// authLabel renders an authorizer choice for EntryPoint.Auth.
func (a *apiInfo) authLabel(name string, apiKey bool) (label string, public bool) {
	switch {
	case name == "" || strings.EqualFold(name, "NONE"):
		if apiKey {
			return "API_KEY", true
		}
		return "NONE", true
	case name == "AWS_IAM":
		return "AWS_IAM", false
	}
	if typ, ok := a.authorizers[name]; ok {
		return typ + ":" + name, false
	}
	return "LAMBDA:" + name, false
}

// route adds an API route entry point, returning its id.
func (b *builder) route(apiID, apiKind, method, path, fn string, auth string, public bool, cond string, where model.Source) string {
	method = strings.ToUpper(method)
	if method == "ANY" || method == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
		method = "ANY"
	}
	id := apiID + " " + method + " " + path
	if apiKind == "http" && path == "$default" {
		id = apiID + " $default"
	}
	if ep, ok := b.eps[id]; ok {
		if ep.Function == "" {
			ep.Function = fn
		}
		if fn != "" { // the same route declared twice (conditions, duplicates): keep both targets
			b.edge(model.Edge{From: id, To: fn, Kind: model.EdgeTrigger, Label: method + " " + path, Condition: cond, Source: where})
		}
		return id
	}
	ep := &model.EntryPoint{ID: id, Kind: "route", API: apiID, APIType: apiKind, Method: method, Path: path,
		Auth: auth, Public: public, Function: fn, Condition: cond, Source: where,
		HasBody: method == "POST" || method == "PUT" || method == "PATCH" || method == "ANY"}
	if a := b.apis[apiID]; a != nil && apiKind == "rest" {
		ep.AllowedFrom = a.allowedFrom
		if a.private || a.vpcOnly { // reachable only from VPCs: never public, no internet client
			ep.Private, ep.Public = true, false
		}
	}
	b.eps[id] = ep
	b.m.EntryPoints = append(b.m.EntryPoints, ep)
	if fn != "" {
		b.edge(model.Edge{From: id, To: fn, Kind: model.EdgeTrigger, Label: method + " " + path, Condition: cond, Source: where})
	}
	return id
}

// openAPIRoutes reads routes from an inline OpenAPI/Swagger body:
// x-amazon-apigateway-integration URIs name the functions.
func (b *builder) openAPIRoutes(r *sam.Resource, body *yaml.Node) {
	paths := sam.Get(body, "paths")
	if paths == nil {
		return
	}
	a := b.apis[r.ID]
	kind := "rest"
	if a != nil {
		kind = a.kind
	}
	globalSec := sam.Get(body, "security")
	for _, pp := range sam.Pairs(paths) {
		for _, mp := range sam.Pairs(pp.Value) {
			method := strings.ToLower(mp.Key)
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method":
			default:
				continue
			}
			fn := ""
			integ := sam.Get(mp.Value, "x-amazon-apigateway-integration")
			if u := sam.Get(integ, "uri"); u != nil {
				fn = b.fnTarget(b.t.Resolve(u))
			}
			sec := sam.Get(mp.Value, "security")
			if sec == nil {
				sec = globalSec
			}
			auth, public := "NONE", true
			for _, s := range sam.Items(sec) {
				for _, kv := range sam.Pairs(s) {
					public = false
					auth = kv.Key
					if strings.EqualFold(kv.Key, "sigv4") {
						auth = "AWS_IAM"
					} else if a != nil {
						auth, public = a.authLabel(kv.Key, false)
					}
				}
			}
			if a != nil && auth == "NONE" && a.defaultAuth != "" && !strings.EqualFold(a.defaultAuth, "NONE") {
				auth, public = a.authLabel(a.defaultAuth, a.apiKey)
			}
			where := b.src(mp.KeyN, r.ID)
			id := b.route(r.ID, kind, method, pp.Key, fn, auth, public, r.Condition, where)
			if integ != nil {
				b.integrate(apiIntegration{route: id, via: id, typ: strings.ToUpper(b.t.Resolve(sam.Get(integ, "type")).Text),
					uri: b.t.Resolve(sam.Get(integ, "uri")), subtype: b.t.Resolve(sam.Get(integ, "integrationSubtype")).Text,
					creds: b.t.Resolve(sam.Get(integ, "credentials")), method: b.t.Resolve(sam.Get(integ, "httpMethod")).Text,
					params: []*yaml.Node{sam.Get(integ, "requestParameters"), sam.Get(integ, "requestTemplates")},
					cond:   r.Condition, where: where})
			}
		}
	}
}

// webSocketRoutes models AWS::Serverless::WebSocketApi: SAM declares the
// routes on the API (Routes.<route key>.FunctionArn) and authorizes a
// connection once, at $connect (Auth.AuthType NONE, AWS_IAM or CUSTOM with
// AuthArn): every route carries the API's authorization.
func (b *builder) webSocketRoutes() {
	for _, r := range b.t.Resources {
		if r.Type != "AWS::Serverless::WebSocketApi" {
			continue
		}
		p := r.Properties
		auth, public := "NONE", true
		authN := sam.Get(p, "Auth")
		switch strings.ToUpper(b.t.Resolve(sam.Get(authN, "AuthType")).Text) {
		case "AWS_IAM":
			auth, public = "AWS_IAM", false
		case "CUSTOM":
			az := b.fnTarget(b.t.Resolve(sam.Get(authN, "AuthArn")))
			if az == "" {
				az = firstText(b.t.Resolve(sam.Get(authN, "Name")).Text, "authorizer")
			} else {
				b.plainTrigger(az, r.ID, "Authorizer", r.ID, "authorizer of "+r.ID, r.Condition, b.src(authN, r.ID))
			}
			auth, public = "LAMBDA:"+az, false
		}
		for _, kv := range sam.Pairs(sam.Get(p, "Routes")) {
			where := b.src(kv.KeyN, r.ID)
			fn := b.fnTarget(b.t.Resolve(sam.Get(kv.Value, "FunctionArn")))
			id := b.route(r.ID, "websocket", "ANY", kv.Key, fn, auth, public, r.Condition, where)
			if f := b.fns[fn]; f != nil {
				f.Events = append(f.Events, withSource(event(r.ID+" "+kv.Key, "WebSocket", r.Condition, where), id, kv.Key))
			}
		}
	}
}
