package adapt

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
)

// thirdParty adds or merges a third party; fn (optional) talks to it.
func (b *builder) thirdParty(tp *model.ThirdParty, fn string) *model.ThirdParty {
	old, ok := b.tps[tp.ID]
	if !ok {
		old = tp
		b.tps[tp.ID] = tp
		b.m.ThirdParties = append(b.m.ThirdParties, tp)
	}
	if fn != "" {
		old.Functions = mergeSorted(old.Functions, []string{fn})
	}
	return old
}

// partnerBus models an EventBridge partner event source (aws.partner/<partner>/...).
func (b *builder) partnerBus(busName, fn string, where model.Source) string {
	rest := strings.TrimPrefix(busName, "aws.partner/")
	host, _, _ := strings.Cut(rest, "/")
	id := "partner:" + busName
	b.thirdParty(&model.ThirdParty{ID: id, Host: host, Kind: model.ThirdPartyPartnerBus, Via: busName, Source: where}, fn)
	return id
}

// foreignAccount records an ARN owned by another AWS account (a layer, a role...).
func (b *builder) foreignAccount(account, arn, fn string, where model.Source) {
	if !isAccountID(account) || isAWSOwnedAccount(account) || isAWSLayer(arn) {
		return
	}
	kind := model.ThirdPartyForeignAccount
	if strings.Contains(arn, ":layer:") {
		kind = model.ThirdPartyForeignLayer
	}
	id := "account:" + account
	if kind == model.ThirdPartyForeignLayer {
		id = "layer:" + arn
	}
	b.thirdParty(&model.ThirdParty{ID: id, Kind: kind, Via: arn, Source: where}, fn)
}

// isAWSOwnedAccount: the well-known AWS-owned layer publishers (Lambda Insights,
// Powertools, the ADOT collector...) are not third parties in the threat sense.
func isAWSOwnedAccount(acct string) bool {
	switch acct {
	case "580247275435", "017000801446", "901920570463", "094274105915", "aws":
		return true
	}
	return false
}

// isAWSLayer: layers AWS publishes (AppConfig, Lambda Insights, Powertools,
// Parameters and Secrets extension...) come from AWS, not a third party.
func isAWSLayer(arn string) bool {
	i := strings.Index(arn, ":layer:")
	if i < 0 {
		return false
	}
	name := arn[i+len(":layer:"):]
	for _, p := range []string{"AWS", "LambdaInsights", "aws-"} { // vendors' layers (Datadog...) stay third parties
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// bareHostRe matches a host name (with optional port and path) given without
// a scheme, e.g. API_HOST: api.stripe.com. Single-label names and versions
// (1.2.3) do not match: the last label must be alphabetic.
var bareHostRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}(:[0-9]{1,5})?(/[^\s]*)?$`)

// isBareHost: a scheme-less host whose last label is a real top-level domain
// (country codes, and the generic ones templates use), so that file names
// (handler.py) and handlers (index.handler) are not taken for hosts.
func isBareHost(v string) bool {
	if !bareHostRe.MatchString(v) || strings.Contains(v, "@") {
		return false
	}
	host := v
	if i := strings.IndexAny(host, ":/"); i >= 0 {
		host = host[:i]
	}
	tld := host[strings.LastIndexByte(host, '.')+1:]
	if len(tld) == 2 {
		return !fileExt2[tld]
	}
	return genericTLDs[tld]
}

var fileExt2 = map[string]bool{"py": true, "js": true, "ts": true, "go": true, "rb": true, "sh": true, "md": true, "gz": true, "cs": true, "pl": true, "rs": true, "db": true}

var genericTLDs = map[string]bool{"com": true, "net": true, "org": true, "dev": true, "app": true, "cloud": true, "info": true,
	"biz": true, "tech": true, "xyz": true, "online": true, "site": true, "services": true, "email": true, "gov": true,
	"edu": true, "mil": true, "int": true, "page": true, "link": true, "live": true, "digital": true, "systems": true}

var urlRe = regexp.MustCompile(`(?i)\b(https?|wss?)://[^\s"'<>\x60]+`)

// hostOf returns the URL's host and scheme, or "" when the host is not a
// concrete outside host (unresolved, an AWS endpoint of this stack).
func hostOf(raw string) (host, scheme string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", ""
	}
	host = strings.ToLower(u.Hostname())
	if host == "" || strings.Contains(raw[:min(len(raw), len(u.Scheme)+3+len(u.Host))], "${") || strings.ContainsAny(host, "${}") {
		return "", ""
	}
	if host == "localhost" || strings.HasPrefix(host, "127.") {
		return "", ""
	}
	return host, strings.ToLower(u.Scheme)
}

// isAWSHost: calls to AWS APIs are modelled as access, not third parties.
func isAWSHost(h string) bool {
	return strings.HasSuffix(h, ".amazonaws.com") || strings.HasSuffix(h, ".aws") || strings.HasSuffix(h, ".amazonaws.com.cn") ||
		strings.HasSuffix(h, ".amazon.com") && strings.Contains(h, "aws")
}

// thirdParties finds outside hosts in function environments, parameter
// defaults, state machine definitions, and foreign-account layers.
func (b *builder) thirdParties() {
	for _, f := range b.m.Functions {
		for _, ev := range f.Environment {
			urls := urlRe.FindAllString(ev.Value, -1)
			for _, raw := range urls {
				b.httpParty(raw, ev.Name, f.ID, ev.Source)
			}
			if len(urls) == 0 && isBareHost(ev.Value) {
				b.httpParty("https://"+ev.Value, ev.Name, f.ID, ev.Source) // a host without scheme: the client adds one
			}
		}
		for i, l := range f.Layers {
			if acct := arnAccount(l); acct != "" {
				b.foreignAccount(acct, l, f.ID, b.src(sam.Get(b.fnRes(f).Properties, "Layers", itoa(i)), f.ID))
			}
		}
		if f.Role != "" && !f.RoleInTemplate {
			if acct := arnAccount(f.Role); acct != "" {
				b.foreignAccount(acct, f.Role, f.ID, f.Source)
			}
		}
	}
	// parameter defaults used nowhere above are still outside hosts the app is
	// configured with: attach them to the functions whose environment uses the parameter.
	for _, p := range b.t.Parameters {
		if ownSideParam(p.Name) {
			continue
		}
		v := b.t.Resolve(p.Default)
		for _, raw := range urlRe.FindAllString(v.Text, -1) {
			users := b.paramUsers(p.Name)
			if len(users) == 0 {
				b.httpParty(raw, p.Name, "", b.src(p.Default, p.Name))
				b.nestedStackParty(raw, p.Name, b.src(p.Default, p.Name))
			}
			for _, fn := range users {
				b.httpParty(raw, p.Name, fn, b.src(p.Default, p.Name))
			}
		}
	}
}

// ownSideParam: parameters that configure the application's own front end
// (CORS origins, OAuth callback URLs, custom domains) name callers or the app
// itself, not services it depends on.
func ownSideParam(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"origin", "cors", "callback", "redirect", "logout", "domain", "website", "frontend"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for i > 0 {
		d = append([]byte{byte('0' + i%10)}, d...)
		i /= 10
	}
	return string(d)
}

// paramUsers lists functions whose environment depends on a parameter.
func (b *builder) paramUsers(param string) []string {
	var out []string
	for _, f := range b.m.Functions {
		for _, kv := range sam.Pairs(sam.Get(b.fnRes(f).Properties, "Environment", "Variables")) {
			for _, p := range b.t.Resolve(kv.Value).Params {
				if p == param {
					out = append(out, f.ID)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// httpParty adds an http(s) third party and, for a function, an outbound edge.
func (b *builder) httpParty(raw, via, fn string, where model.Source) {
	host, scheme := hostOf(raw)
	if host == "" || isAWSHost(host) {
		return
	}
	tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: raw, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: via, Source: where}, fn)
	if fn != "" {
		b.edge(model.Edge{From: fn, To: tp.ID, Kind: model.EdgeOutbound, Label: scheme, Condition: b.fns[fn].Condition, Source: where})
	}
}

// apiDestinationOf returns the third party an EventBridge API destination
// calls when v names an AWS::Events::ApiDestination of the template: its
// InvocationEndpoint's host (or the parameter that gives it at deploy time),
// with the connection's authorization in Via. The connection's OAuth
// endpoint, when outside AWS, is a second third party (returned in oauth).
func (b *builder) apiDestinationOf(v sam.Value) (id, oauth string, ok bool) {
	var r *sam.Resource
	for _, ref := range v.Refs {
		if res := b.t.Resource(ref.ID); res != nil && res.Type == "AWS::Events::ApiDestination" {
			r = res
			break
		}
	}
	if r == nil {
		return "", "", false
	}
	p := r.Properties
	where := b.src(r.Node, r.ID)
	where.Line = r.Line
	via := "API destination " + r.ID
	var conn *sam.Resource
	for _, ref := range b.t.Resolve(sam.Get(p, "ConnectionArn")).Refs {
		if c := b.t.Resource(ref.ID); c != nil && c.Type == "AWS::Events::Connection" {
			conn = c
		}
	}
	if conn != nil {
		via += " (connection " + conn.ID
		if auth := b.t.Resolve(sam.Get(conn.Properties, "AuthorizationType")).Text; auth != "" {
			via += ", " + auth
		}
		via += ")"
		u := b.t.Resolve(sam.Get(conn.Properties, "AuthParameters", "OAuthParameters", "AuthorizationEndpoint"))
		if host, scheme := hostOf(u.Text); host != "" && !isAWSHost(host) && !strings.Contains(host, "${") {
			oauth = b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: u.Text, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: "OAuth of connection " + conn.ID, Source: b.src(conn.Node, conn.ID)}, "").ID
		}
	}
	ep := b.t.Resolve(sam.Get(p, "InvocationEndpoint"))
	if host, scheme := hostOf(ep.Text); host != "" && !strings.Contains(host, "${") {
		return b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: ep.Text, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: via, Source: where}, "").ID, oauth, true
	}
	id = "api-destination:" + r.ID
	if _, seen := b.tps[id]; !seen && len(ep.Params) > 0 {
		b.diagAt("info", where, "%s: the endpoint comes from parameter %s and is known only at deploy time", r.ID, ep.Params[0])
	}
	if len(ep.Params) > 0 {
		via += ", endpoint from parameter " + ep.Params[0]
	}
	return b.thirdParty(&model.ThirdParty{ID: id, URL: ep.Text, Kind: model.ThirdPartyHTTP, Via: via, Source: where}, "").ID, oauth, true
}

// outboundTo draws the calls of from (a bus for a rule, a pipe's source) to
// an API destination and its OAuth endpoint.
func (b *builder) outboundTo(from string, v sam.Value, label, cond string, where model.Source) bool {
	tp, oauth, ok := b.apiDestinationOf(v)
	if !ok || from == "" {
		return ok
	}
	b.edge(model.Edge{From: from, To: tp, Kind: model.EdgeOutbound, Label: label, Condition: cond, Source: where})
	if oauth != "" {
		b.edge(model.Edge{From: from, To: oauth, Kind: model.EdgeOutbound, Label: label + " (OAuth token)", Condition: cond, Source: where})
	}
	return true
}

// nestedStackParty: a URL parameter handed to a nested stack (whose template
// is not analysed) is called from that stack: an outbound edge from it.
func (b *builder) nestedStackParty(raw, param string, where model.Source) {
	host, scheme := hostOf(raw)
	if host == "" || isAWSHost(host) {
		return
	}
	for _, r := range b.t.Resources {
		if r.Type != "AWS::CloudFormation::Stack" && r.Type != "AWS::Serverless::Application" {
			continue
		}
		for _, kv := range sam.Pairs(sam.Get(r.Properties, "Parameters")) {
			if slices.Contains(b.t.Resolve(kv.Value).Params, param) {
				from := b.node(r.ID)
				tp := b.thirdParty(&model.ThirdParty{ID: host, Host: host, URL: raw, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: param, Source: where}, "")
				b.edge(model.Edge{From: from, To: tp.ID, Kind: model.EdgeOutbound, Label: "nested stack parameter " + kv.Key, Condition: r.Condition, Source: b.src(kv.KeyN, r.ID)})
			}
		}
	}
}
