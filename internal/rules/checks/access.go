package checks

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
)

// Access checks: who can reach a function or a resource from outside.

func init() {
	Register("SLS-API-001", checkRouteNoAuth)
	Register("SLS-URL-001", checkURLNoAuth)
	Register("SLS-URL-002", checkURLCors)
	Register("SLS-PERM-001", checkPermissionStar)
	Register("SLS-PERM-002", checkPermissionNoSource)
	Register("SLS-RES-001", checkResourcePolicyStar)
	Register("SLS-EB-001", checkCrossAccountBus)
}

// principalStar returns the node granting to everyone (Principal: "*" or AWS: "*").
func principalStar(p *yaml.Node) *yaml.Node {
	if p == nil {
		return nil
	}
	if str(p) == "*" {
		return p
	}
	for _, k := range []string{"AWS", "CanonicalUser"} {
		for _, it := range items(get(p, k)) {
			if str(it) == "*" {
				return it
			}
		}
	}
	return nil
}

func checkRouteNoAuth(c *Context) ([]Hit, error) {
	var hits []Hit
	noConnect := map[string]bool{}
	for _, ep := range c.Model.EntryPoints {
		if ep.Kind != "route" || strings.EqualFold(ep.Method, "OPTIONS") {
			continue
		}
		target := routeTarget(c, ep)
		if ep.APIType == "websocket" && ep.Path != "$connect" {
			// API Gateway authorizes a WebSocket connection once, at
			// $connect; every other route of the connection inherits it.
			if websocketConnect(c.Model, ep.API) != nil || noConnect[ep.API] {
				continue
			}
			noConnect[ep.API] = true
			hits = append(hits, Hit{Resource: ep.API, Key: ep.API + " $connect",
				Message:  fmt.Sprintf("WebSocket API %s has no $connect route, so API Gateway accepts every connection without authorization: anyone on the internet can send route %s to %s", ep.API, ep.Path, target),
				Evidence: src(c.Model, ep.Source, 0)})
			continue
		}
		if a := strings.ToUpper(ep.Auth); a != "" && a != "NONE" {
			continue
		}
		res := ep.Function
		if res == "" {
			res = ep.API
		}
		route := routeName(ep)
		h := Hit{Resource: res, Key: ep.API + " " + strings.TrimSpace(strings.ToUpper(ep.Method)+" "+ep.Path), Evidence: src(c.Model, ep.Source, 0)}
		switch {
		case apiEndpointPrivate(c, ep) || (c.Template != nil && !ep.Public && ep.APIType != "websocket"):
			h.Severity = "medium"
			h.Message = fmt.Sprintf("route %s of %s reaches %s with no authorization; %s is a PRIVATE API, so not the internet but any client in a VPC whose interface endpoint the API admits can call it", route, ep.API, target, ep.API)
		case ep.APIType == "websocket":
			h.Message = fmt.Sprintf("the $connect route of WebSocket API %s (%s) has no authorization: anyone on the internet can open a connection and use every route of the API", ep.API, target)
		default:
			h.Message = fmt.Sprintf("route %s of %s reaches %s with no authorization: anyone on the internet can call it", route, ep.API, target)
		}
		if f := functionByID(c.Model, ep.Function); f != nil {
			if loc := signatureCheck(c, f); loc != nil {
				h.Severity = "low"
				h.Message = fmt.Sprintf("route %s of %s reaches %s with no authorizer, but its code verifies a request signature (%s:%d: %s): authentication is done in code; make sure every path of the handler checks it before acting", route, ep.API, target, filepathBase(loc.File), loc.Line, loc.Snippet)
				h.Evidence = append(h.Evidence, *loc)
			}
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func checkURLNoAuth(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if f.URL == nil || !strings.EqualFold(f.URL.AuthType, "NONE") {
			continue
		}
		h := Hit{Resource: f.ID, Key: "url",
			Message:  fmt.Sprintf("the function URL of %s has AuthType NONE: anyone who learns the URL can invoke it", f.ID),
			Evidence: src(c.Model, f.URL.Source, fnLine(f))}
		if loc := signatureCheck(c, f); loc != nil {
			h.Severity = "low"
			h.Message = fmt.Sprintf("the function URL of %s has AuthType NONE, but its code verifies a request signature (%s:%d: %s): authentication is done in code (a webhook); make sure every path of the handler checks it before acting", f.ID, filepathBase(loc.File), loc.Line, loc.Snippet)
			h.Evidence = append(h.Evidence, *loc)
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func checkURLCors(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		if f.URL == nil {
			continue
		}
		for _, o := range f.URL.CorsOrigins {
			if o == "*" {
				msg := fmt.Sprintf("the function URL of %s allows cross-origin requests from any web site (AllowOrigins *)", f.ID)
				if f.URL.CorsCreds {
					msg += ", with credentials"
				}
				hits = append(hits, Hit{Resource: f.ID, Key: "url-cors", Message: msg, Evidence: src(c.Model, f.URL.Source, fnLine(f))})
				break
			}
		}
	}
	return hits, nil
}

func checkPermissionStar(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Lambda::Permission") {
		p := get(props(r), "Principal")
		if str(p) != "*" {
			continue
		}
		if get(props(r), "SourceArn") != nil || get(props(r), "SourceAccount") != nil || get(props(r), "PrincipalOrgID") != nil {
			continue // narrowed to a source: not open to everyone
		}
		fn := refTarget(get(props(r), "FunctionName"))
		if fn == "" {
			fn = str(get(props(r), "FunctionName"))
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "principal",
			Message:  fmt.Sprintf("permission %s lets any AWS account or anonymous caller invoke %s (Principal *)", r.ID, fn),
			Evidence: at(c.Model, p, r.Line)})
	}
	return hits, nil
}

func checkPermissionNoSource(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Lambda::Permission") {
		p := str(get(props(r), "Principal"))
		if !strings.HasSuffix(p, ".amazonaws.com") || get(props(r), "SourceArn") != nil || get(props(r), "SourceAccount") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "source",
			Message:  fmt.Sprintf("permission %s lets %s invoke the function on behalf of any account: no SourceArn or SourceAccount (confused deputy)", r.ID, p),
			Evidence: at(c.Model, get(props(r), "Principal"), r.Line)})
	}
	return hits, nil
}

// checkResourcePolicyStar: queue, topic and bucket policies open to everyone (cfn_nag F18/F21).
func checkResourcePolicyStar(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy") {
		for _, st := range items(get(props(r), "PolicyDocument", "Statement")) {
			if !strings.EqualFold(str(get(st, "Effect")), "Allow") || get(st, "Condition") != nil {
				continue
			}
			if pn := principalStar(get(st, "Principal")); pn != nil {
				acts := []string{}
				for _, a := range items(get(st, "Action")) {
					acts = append(acts, str(a))
				}
				hits = append(hits, Hit{Resource: r.ID, Key: strings.Join(acts, ","),
					Message:  fmt.Sprintf("%s allows anyone (Principal *) %s with no condition", r.ID, strings.Join(acts, ", ")),
					Evidence: at(c.Model, pn, r.Line)})
			}
		}
	}
	return hits, nil
}

// checkCrossAccountBus: event buses other accounts (or everyone) can put
// events on, and rules that forward events to a bus in another account.
func checkCrossAccountBus(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Events::EventBusPolicy") {
		p := props(r)
		who := str(get(p, "Principal"))
		node := get(p, "Principal")
		if st := get(p, "Statement"); st != nil {
			if pn := principalStar(get(st, "Principal")); pn != nil {
				who, node = "*", pn
			} else if a := get(st, "Principal", "AWS"); a != nil {
				who, node = str(a), a
			}
		}
		if who == "" || isIntrinsic(node) && who != "*" {
			continue
		}
		if who == "*" && get(p, "Condition") == nil && get(p, "Statement", "Condition") == nil {
			hits = append(hits, Hit{Resource: r.ID, Key: "principal",
				Message:  fmt.Sprintf("event bus policy %s lets every AWS account put events on the bus", r.ID),
				Evidence: at(c.Model, node, r.Line)})
		} else if who != "*" && accountOf(who) != "" {
			hits = append(hits, Hit{Resource: r.ID, Key: "account:" + accountOf(who),
				Message:  fmt.Sprintf("event bus policy %s lets account %s put events on the bus: events from another trust boundary reach the functions behind it", r.ID, accountOf(who)),
				Evidence: at(c.Model, node, r.Line)})
		}
	}
	for _, r := range resources(c.Template, "AWS::Events::Rule") {
		for _, t := range items(get(props(r), "Targets")) {
			arn := str(get(t, "Arn"))
			if strings.Contains(arn, ":event-bus/") && accountOf(arn) != "" {
				hits = append(hits, Hit{Resource: r.ID, Key: "target:" + arn,
					Message:  fmt.Sprintf("rule %s forwards events to the bus of account %s", r.ID, accountOf(arn)),
					Evidence: at(c.Model, get(t, "Arn"), r.Line)})
			}
		}
	}
	return hits, nil
}

// accountOf extracts a literal 12-digit account id from an ARN or an id.
// The ARN is split on the colons outside ${...} substitutions, so
// arn:aws:lambda:${AWS::Region}:123456789012:layer:x:1 still has its account
// in the fifth field; an account written as a substitution is not literal.
func accountOf(s string) string {
	if len(s) == 12 && allDigits(s) {
		return s
	}
	parts := iam.SplitARN(s)
	if parts != nil && len(parts[4]) == 12 && allDigits(parts[4]) {
		return parts[4]
	}
	return ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var _ = model.AccessRead
