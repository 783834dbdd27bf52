package adapt

import (
	"regexp"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/catalogs"
	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

// Integration kinds recorded on a route entry point that has no function.
const (
	integrationHTTP = "http"
	integrationMock = "mock"
)

// apiIntegration is one API route's integration that is not a Lambda
// function: REST AWS::ApiGateway::Method Integration, an OpenAPI
// x-amazon-apigateway-integration, or an AWS::ApiGatewayV2::Integration (HTTP
// and WebSocket APIs).
type apiIntegration struct {
	route   string    // entry point id
	via     string    // logical id of the method / integration resource (or "<api> <METHOD> <path>")
	typ     string    // AWS | AWS_PROXY | HTTP | HTTP_PROXY | MOCK (upper case)
	uri     sam.Value // Uri / IntegrationUri / uri
	subtype string    // HTTP API IntegrationSubtype
	creds   sam.Value // Credentials / CredentialsArn / credentials
	method  string    // IntegrationHttpMethod, for S3 path integrations
	params  []*yaml.Node
	cond    string
	where   model.Source
}

// integrate models a route's non-Lambda integration: a flow to the AWS
// resource it calls (access decided by the integration role's grants), to a
// resource inside the account it proxies to, or to a third party.
func (b *builder) integrate(in apiIntegration) {
	ep := b.eps[in.route]
	if ep == nil {
		return
	}
	if ep.Function != "" { // a function: the integration role (if any) invokes it
		if roleID := b.roleOf(in.creds); roleID != "" {
			b.integrationPrincipal(ep, roleID, in)
		}
		return
	}
	switch {
	case in.subtype != "" || in.typ == "AWS" || in.typ == "AWS_PROXY":
		b.awsIntegration(in, ep)
	case in.typ == "HTTP" || in.typ == "HTTP_PROXY":
		ep.Integration = integrationHTTP
		b.httpIntegration(in)
	case in.typ == "MOCK":
		ep.Integration = integrationMock
	}
}

// httpIntegration: a URL outside AWS is a third party; a URL built from a
// template resource (a load balancer's DNS name, an instance's IP) is a flow
// to that resource; a URL given at deploy time (a parameter without default)
// is a third party whose host cannot be known.
func (b *builder) httpIntegration(in apiIntegration) {
	for _, ref := range in.uri.Refs {
		if r := b.t.Resource(ref.ID); r != nil {
			if to := b.node(ref.ID); to != "" {
				b.edge(model.Edge{From: in.route, To: to, Kind: model.EdgeInvoke, Label: "HTTP integration", Condition: in.cond, Source: in.where})
				return
			}
		}
	}
	if host, scheme := hostOf(in.uri.Text); host != "" && !isAWSHost(host) && !strings.Contains(host, "${") {
		tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: in.uri.Text, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: in.via, Source: in.where}, "")
		b.edge(model.Edge{From: in.route, To: tp.ID, Kind: model.EdgeOutbound, Label: "HTTP integration", Condition: in.cond, Source: in.where})
		return
	}
	if !in.uri.Known && len(in.uri.Params) > 0 && strings.HasPrefix(in.uri.Text, "${") {
		param := in.uri.Params[0]
		id := "url:" + param
		tp := b.thirdParty(&model.ThirdParty{ID: id, Kind: model.ThirdPartyHTTP, Via: "parameter " + param, Source: in.where}, "")
		b.edge(model.Edge{From: in.route, To: tp.ID, Kind: model.EdgeOutbound, Label: "HTTP integration", Condition: in.cond, Source: in.where})
		b.diagAt("info", in.where, "%s: integrates with the URL of parameter %s, known only at deploy time", in.route, param)
	}
}

// integrationURI splits arn:aws:apigateway:<region>:<subdomain.>service:action/<Action>
// or :path/<path> into the IAM service, the action name and the path.
func integrationURI(s string) (service, action, path string) {
	p := iam.SplitARN(s)
	if p == nil || p[2] != "apigateway" {
		return "", "", ""
	}
	service = p[4]
	if i := strings.LastIndex(service, "."); i >= 0 {
		service = service[i+1:] // <subdomain>.<service>
	}
	switch rest := p[5]; {
	case strings.HasPrefix(rest, "action/"):
		action, _, _ = strings.Cut(strings.TrimPrefix(rest, "action/"), "&")
	case strings.HasPrefix(rest, "path/"):
		path = strings.TrimPrefix(rest, "path/")
	}
	return service, action, path
}

var (
	actionParamRe = regexp.MustCompile(`(?:^|[&?'"\s])Action=([A-Za-z]+)`)
	targetNameRe  = regexp.MustCompile(`"(?i:TableName|QueueUrl|StreamName|StateMachineArn|TopicArn|EventBusName|DeliveryStreamName|Bucket)"\s*:\s*"([^"$]+)"`)
)

// awsIntegration models a direct AWS service integration.
func (b *builder) awsIntegration(in apiIntegration, ep *model.EntryPoint) {
	svc, action, path, label, row, ok := b.integrationService(in)
	if !ok {
		return
	}
	if action == "" {
		action = b.actionFromParams(in)
	}
	if action == "" && svc == "s3" && path != "" {
		action = map[string]string{"GET": "GetObject", "PUT": "PutObject", "DELETE": "DeleteObject", "HEAD": "GetObject"}[strings.ToUpper(in.method)]
	}
	iamAction := ""
	if action != "" {
		iamAction = svc + ":" + action
		if !iam.Known(iamAction) {
			iamAction = ""
		}
	}
	if label == "" {
		label = svc + " integration"
		if iamAction != "" {
			label = iamAction
		}
	}
	ep.Integration = "aws:" + svc
	var pr *model.Principal
	if roleID := b.roleOf(in.creds); roleID != "" {
		pr = b.integrationPrincipal(ep, roleID, in)
	}
	targets := b.integrationTargets(in, svc, path, row)
	if len(targets) == 0 && pr != nil { // a generic URI: what the role may reach in that service
		targets = grantTargets(pr, svc, iamAction)
	}
	if len(targets) == 0 {
		targets = []string{b.external(svc)}
	}
	sort.Strings(targets)
	for _, to := range targets {
		b.edge(b.integrationEdge(in, pr, to, svc, label, iamAction))
	}
}

// integrationService reads the service and action an integration calls, from
// its HTTP API subtype (with the subtype's label and catalog row) or its URI;
// ok is false for a function (already linked), a URI that cannot be read or
// a subtype that is not modelled (said as a diagnostic).
func (b *builder) integrationService(in apiIntegration) (svc, action, path, label string, row catalogs.Integration, ok bool) {
	svc, action, path = integrationURI(in.uri.Text)
	if in.subtype != "" {
		r, known := catalogs.IntegrationOf(in.subtype)
		if !known {
			b.diagAt("info", in.where, "%s: integration subtype %q is not modelled", in.route, in.subtype)
			return "", "", "", "", row, false
		}
		row, svc, label = r, r.Service, r.Label
		_, action, _ = strings.Cut(r.Action, ":")
	}
	if svc == "" || svc == "lambda" {
		return "", "", "", "", row, false
	}
	return svc, action, path, label, row, true
}

// grantTargets lists the template resources of service svc that pr's grants
// name (only grants of iamAction when it is known).
func grantTargets(pr *model.Principal, svc, iamAction string) []string {
	var targets []string
	for _, g := range pr.Grants {
		if actionService(g.Action) != svc || g.Target == "*" || strings.HasPrefix(g.Target, "external:") {
			continue
		}
		if iamAction != "" && !strings.EqualFold(g.Action, iamAction) {
			continue
		}
		targets = mergeKeep(targets, g.Target)
	}
	return targets
}

// integrationEdge is the edge from an integration's route to one target: its
// access is what the integration role's grants allow there, or the action the
// URI names when there is no role in the template.
func (b *builder) integrationEdge(in apiIntegration, pr *model.Principal, to, svc, label, iamAction string) model.Edge {
	e := model.Edge{From: in.route, To: to, Kind: model.EdgeAccess, Label: label, Condition: in.cond, Source: in.where}
	if pr != nil {
		for _, g := range pr.Grants {
			if actionService(g.Action) == svc && (g.Target == to || g.Target == "*" || g.Target == "external:"+svc) {
				e.Access = mergeKeep(e.Access, g.Access)
				e.Actions = mergeKeep(e.Actions, g.Action)
			}
		}
	} else if iamAction != "" { // no role in the template: the action the URI names
		e.Access, e.Actions = []string{iam.Access(iamAction)}, []string{iamAction}
	}
	if _, isFn := b.fns[to]; isFn {
		e.Kind = model.EdgeInvoke
	}
	return e
}

// actionFromParams reads the action of a path-style integration from its
// request template (Action=SendMessage) or query string parameter.
func (b *builder) actionFromParams(in apiIntegration) string {
	for _, n := range in.params {
		for _, kv := range sam.Pairs(n) {
			if strings.HasSuffix(kv.Key, ".querystring.Action") {
				return strings.Trim(b.t.Resolve(kv.Value).Text, "'\"")
			}
			if m := actionParamRe.FindStringSubmatch(b.t.Resolve(kv.Value).Text); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// integrationTargets finds the template resources of service svc that an
// integration names: in its URI (a queue in sqs:path/<account>/<queue>), in
// its subtype's target parameter, or anywhere in its request parameters and
// mapping templates (TableName, QueueUrl, StateMachineArn...).
func (b *builder) integrationTargets(in apiIntegration, svc, path string, row catalogs.Integration) []string {
	var out []string
	add := func(v sam.Value) {
		for _, ref := range v.Refs {
			if mr := b.res[b.node(ref.ID)]; mr != nil && mr.Service == svc {
				out = mergeKeep(out, mr.ID)
			}
		}
		if v.Known {
			for _, cand := range append([]string{v.Text, lastSeg(v.Text)}, strings.Split(v.Text, "/")...) {
				if id, ok := b.names[cand]; ok {
					if mr := b.res[b.node(id)]; mr != nil && mr.Service == svc {
						out = mergeKeep(out, mr.ID)
					}
				}
			}
		}
	}
	add(in.uri)
	if path != "" && !strings.Contains(path, "${") {
		add(sam.Value{Text: path, Known: true})
	}
	for _, n := range in.params {
		for _, kv := range sam.Pairs(n) {
			v := b.t.Resolve(kv.Value)
			if row.TargetParameter != "" && !strings.EqualFold(kv.Key, row.TargetParameter) && len(out) > 0 {
				continue
			}
			add(v)
			for _, m := range targetNameRe.FindAllStringSubmatch(v.Text, -1) {
				add(sam.Value{Text: m[1], Known: true})
			}
		}
	}
	return out
}

// integrationPrincipal records an integration's role as a principal: one per
// API and role, since the methods of an API that share a role act with the
// same grants.
func (b *builder) integrationPrincipal(ep *model.EntryPoint, roleID string, in apiIntegration) *model.Principal {
	id := ep.API
	if old := b.principalByID(id); old != nil && old.Role != roleID {
		id = ep.API + " " + roleID
	}
	return b.principal(model.PrincipalAPIIntegration, id, roleID, nil, in.cond, in.where)
}
