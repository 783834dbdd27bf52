package code

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Host is an outside endpoint the code names: a URL or host name written in
// a string literal, or an HTTP call whose URL comes from an environment
// variable (resolved by the blast stage to the variable's template value).
// A call whose URL is built at run time from anything else has neither
// Host nor Env: samthreat cannot know where it goes, and says so.
type Host struct {
	Host   string `json:"host,omitempty"`
	URL    string `json:"url,omitempty"`
	Scheme string `json:"scheme,omitempty"`
	Env    string `json:"env,omitempty"` // environment variable holding the URL
	File   string `json:"file"`
	Line   int    `json:"line"`
	Call   bool   `json:"call,omitempty"` // found as an HTTP client call's argument
}

var (
	awsURLRe = regexp.MustCompile(`(?i)(?:https?|wss?)://[^\s"'<>\x60]*\.(?:amazonaws\.com(?:\.cn)?|on\.aws)\b`)
	urlLitRe = regexp.MustCompile(`(?i)\b(?:https?|wss?)://[^\s"'<>\x60\\]+`)
	// bareHostRe: a host name without a scheme (api.github.com), the last
	// label alphabetic.
	bareHostRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}(:[0-9]{1,5})?$`)
	// envReadRe: an environment variable read, in the languages samthreat parses.
	envReadRe = regexp.MustCompile(`process\.env\.([A-Za-z_][A-Za-z0-9_]*)|process\.env\[\s*['"]([^'"]+)['"]|environ(?:\.get)?\s*[\[(]\s*['"]([^'"]+)['"]|getenv\(\s*['"]([^'"]+)['"]|Getenv\(\s*"([^"]+)"|LookupEnv\(\s*"([^"]+)"|ENV(?:\.fetch)?\s*[\[(]\s*['"]([^'"]+)['"]|GetEnvironmentVariable\(\s*"([^"]+)"`)
	// httpCalleeRe: the callees of HTTP clients (text before the call's
	// argument list, lower-cased, spaces removed): fetch, axios, got, node
	// http(s), requests, httpx, urllib, urllib3, aiohttp sessions, Go
	// net/http, Java HttpClient/URI/URL/RestTemplate/WebClient/OkHttp,
	// Ruby Net::HTTP/URI/HTTParty/Faraday, C# HttpClient, Rust reqwest.
	httpCalleeRe = regexp.MustCompile(`^(await)?(fetch|nodefetch|axios|got|needle|superagent|ky|urlopen|urllib\.request\.urlopen|urllib\.request\.request|uri|uri\.parse|uri\.create|newurl|newuri|newhttprequestmessage|url\.parse|reqwest::get)$` +
		`|^(axios|got|needle|superagent|ky|https?|undici|requests|httpx|urllib3|aiohttp|session|self\.session|_?http|pool|net::http|httparty|faraday|resttemplate|this\.resttemplate|webclient|httpclient|_httpclient|this\.httpclient|_client|reqwest|conn)\.(get|post|put|patch|delete|head|options|request|fetch|urlopen|open|start|get_response|post_form|stream|send|sendasync|getasync|postasync|putasync|deleteasync|patchasync|getstringasync|getfromjsonasync|postasjsonasync|getforobject|getforentity|postforobject|postforentity|exchange|uri|newrequest|newrequestwithcontext|postform)$` +
		`|\.(getasync|postasync|putasync|deleteasync|patchasync|sendasync|getstringasync|getfromjsonasync|postasjsonasync|getforobject|getforentity|postforobject|postforentity|newrequestwithcontext|openconnection)$` +
		`|^httprequest\.newbuilder$|^http\.(newrequest|get|post|head|postform)$|^request\.builder\(\)\.url$|\.url$`)
)

// outsideHost returns a URL's host when it is a concrete host outside AWS
// and the machine (not localhost, the instance metadata service, *.internal,
// a placeholder with ${...} or {...} in the host), "" otherwise.
func outsideHost(raw string) (host, scheme string) {
	raw = strings.TrimRight(raw, ".,;:)]}")
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", ""
	}
	h := strings.ToLower(u.Hostname())
	if h == "" || strings.ContainsAny(h, "${}%<>") || !strings.Contains(h, ".") {
		return "", ""
	}
	if strings.HasPrefix(h, "127.") || h == "169.254.169.254" || strings.HasPrefix(h, "fd00:") || h == "0.0.0.0" ||
		strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".local") || strings.HasSuffix(h, ".localhost") ||
		isAWSHost(h) || docHosts[h] {
		return "", ""
	}
	return h, strings.ToLower(u.Scheme)
}

// isAWSHost: AWS endpoints are access through IAM, not third parties.
func isAWSHost(h string) bool {
	return strings.HasSuffix(h, ".amazonaws.com") || strings.HasSuffix(h, ".amazonaws.com.cn") || strings.HasSuffix(h, ".aws") ||
		strings.HasSuffix(h, ".on.aws") || strings.HasSuffix(h, ".amazon.com") && strings.Contains(h, "aws") || h == "amazonaws.com"
}

// docHosts name documents and XML namespaces, never called.
var docHosts = map[string]bool{"www.w3.org": true, "w3.org": true, "json-schema.org": true, "schemas.xmlsoap.org": true,
	"schemas.microsoft.com": true, "xmlns.com": true, "purl.org": true, "www.apache.org": true, "opensource.org": true}

var genericTLDs = map[string]bool{"com": true, "net": true, "org": true, "dev": true, "app": true, "cloud": true, "info": true,
	"biz": true, "tech": true, "xyz": true, "online": true, "site": true, "services": true, "email": true, "gov": true,
	"edu": true, "io": true, "ai": true, "co": true, "us": true, "uk": true, "de": true, "fr": true, "eu": true, "me": true}

// bareHost: a scheme-less host name with a real top-level domain (so that
// file names and handlers, index.handler or app.py, are not taken for hosts).
func bareHost(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !bareHostRe.MatchString(s) {
		return ""
	}
	h := s
	if i := strings.IndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	if !genericTLDs[h[strings.LastIndexByte(h, '.')+1:]] {
		return ""
	}
	if host, _ := outsideHost("https://" + h); host != "" {
		return host
	}
	return ""
}

// literalHosts returns the outside hosts of the URLs in one string literal.
func literalHosts(lit, file string, ln int) []Host {
	var out []Host
	for _, raw := range urlLitRe.FindAllString(lit, -1) {
		if h, sc := outsideHost(raw); h != "" {
			out = append(out, Host{Host: h, URL: raw, Scheme: sc, File: file, Line: ln})
		}
	}
	return out
}

// envOf returns the environment variable an expression's text reads ("" when none).
func envOf(text string) string {
	m := envReadRe.FindStringSubmatch(text)
	for _, g := range m[min(1, len(m)):] {
		if g != "" {
			return g
		}
	}
	return ""
}

// isHTTPCallee reports whether a callee's text names an HTTP client call.
func isHTTPCallee(callee string) bool {
	c := strings.ToLower(strings.Join(strings.Fields(callee), ""))
	return httpCalleeRe.MatchString(c) || strings.HasPrefix(c, "new") && httpCalleeRe.MatchString(strings.TrimPrefix(c, "new"))
}

// hostSet collects a module's hosts, once per (host or env, file, line).
type hostSet struct {
	seen map[string]bool
	list []Host
	// vars maps identifiers assigned an environment read or a URL literal
	// in the file (const url = process.env.API_URL), for call arguments.
	vars map[string]Host
	// cfn: names derived from a custom resource's ResponseURL.
	cfn cfnNames
}

func newHostSet() *hostSet { return &hostSet{seen: map[string]bool{}, vars: map[string]Host{}} }

func (s *hostSet) add(h Host) {
	k := h.Host + "|" + h.Env + "|" + h.File + "|" + itoa(h.Line)
	if s.seen[k] {
		for i := range s.list {
			if s.list[i].Host == h.Host && s.list[i].Env == h.Env && s.list[i].File == h.File && s.list[i].Line == h.Line {
				s.list[i].Call = s.list[i].Call || h.Call
			}
		}
		return
	}
	s.seen[k] = true
	s.list = append(s.list, h)
}

// call records an HTTP call with the texts of its arguments: the env var or
// URL (direct or through a variable assigned in the file) it names, else a
// call to a URL built at run time.
func (s *hostSet) call(args []string, file string, ln int) {
	found := false
	for _, a := range args {
		if s.cfn.derives(a) {
			return // a CloudFormation custom resource answering its pre-signed S3 URL: AWS, not a third party
		}
	}
	for _, a := range args {
		if hs := literalHosts(a, file, ln); len(hs) > 0 {
			for _, h := range hs {
				h.Call = true
				s.add(h)
			}
			found = true
			continue
		}
		if awsURLRe.MatchString(a) {
			found = true // an AWS endpoint (https://sqs.${region}.amazonaws.com/...): access, not a third party
			continue
		}
		if e := envOf(a); e != "" {
			s.add(Host{Env: e, File: file, Line: ln, Call: true})
			found = true
			continue
		}
		if urlLitRe.MatchString(a) {
			found = true // a local URL is known too: not a run-time one
			continue
		}
		if h := bareHost(trimQuotes(strings.TrimSpace(a))); h != "" && isQuoted(a) {
			s.add(Host{Host: h, URL: h, Scheme: "https", File: file, Line: ln, Call: true})
			found = true
			continue
		}
		if v, ok := s.vars[strings.TrimSpace(a)]; ok {
			v.File, v.Line, v.Call = file, ln, true
			s.add(v)
			found = true
		}
	}
	if !found {
		s.add(Host{File: file, Line: ln, Call: true})
	}
}

// trimQuotes strips a literal's quotes (unquote is only in cgo builds).
func trimQuotes(s string) string {
	if isQuoted(s) {
		return s[1 : len(s)-1]
	}
	return s
}

func isQuoted(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= 2 && (s[0] == '"' || s[0] == '\'' || s[0] == '`') && s[len(s)-1] == s[0]
}

func (s *hostSet) sorted() []Host {
	sort.SliceStable(s.list, func(i, j int) bool {
		a, b := s.list[i], s.list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return s.list
}

// OutsideHost reports whether a host name is outside AWS and the machine
// (for the blast stage, which resolves environment variables to hosts).
func OutsideHost(h string) bool {
	got, _ := outsideHost("https://" + h)
	return got != ""
}

// LooksLikeHost reports whether a scheme-less value is a host name with a
// real top-level domain (api.example.com, not app.handler).
func LooksLikeHost(v string) bool { return bareHost(v) != "" }

// signerRe names the SigV4 signers code uses to call AWS APIs over plain
// HTTP (@aws-sdk/signature-v4, botocore SigV4Auth, requests-aws4auth,
// aws-requests-auth, the Java SDK's Aws4Signer).
var (
	signerRe        = regexp.MustCompile(`(?i)(^|\.)(signaturev4|sigv4auth|awsrequestsauth|aws4auth|aws4signer|awsv4signer)$`)
	signedServiceRe = regexp.MustCompile(`['"](appsync|execute-api|lambda)['"]`)
)

// signedActions: the action a signed request to a service needs.
var signedActions = map[string]struct{ svc, method, action string }{
	"appsync":     {"appsync", "GraphQL", "appsync:GraphQL"},
	"execute-api": {"apigatewaymanagementapi", "Invoke", "execute-api:Invoke"},
	"lambda":      {"lambda", "InvokeFunctionUrl", "lambda:InvokeFunctionUrl"},
}

// signedCall recognises a SigV4 signer built for an AWS service: the code
// sends signed HTTP requests to it (an AppSync GraphQL mutation, an
// IAM-authorised API route, a function URL).
func signedCall(callee, args, file string, ln int) (Call, bool) {
	c := strings.ToLower(strings.Join(strings.Fields(callee), ""))
	c = strings.TrimPrefix(c, "new")
	if !signerRe.MatchString(c) {
		return Call{}, false
	}
	m := signedServiceRe.FindStringSubmatch(args)
	if m == nil {
		return Call{}, false
	}
	a := signedActions[m[1]]
	return Call{Service: a.svc, Client: "SigV4-signed HTTP request (" + m[1] + ")", Method: a.method, Actions: []string{a.action}, File: file, Line: ln}, true
}

// A CloudFormation custom resource answers CloudFormation with a PUT of its
// result to the pre-signed S3 URL of the request (ResponseURL): that URL
// comes from the CloudFormation service, not from a caller, and the bucket
// is CloudFormation's, not a third party. samthreat neither follows it as
// outside input (no SSRF) nor models it as an endpoint: it is the
// documented custom-resource protocol, like cfn-response's send.

// cfnResponseKey: the event key that holds it, as CloudFormation spells it
// (a Slack payload's responseUrl is the caller's, not CloudFormation's).
func cfnResponseKey(key string) bool { return key == "ResponseURL" }

// cfnResponseText: an expression's text reads it (event['ResponseURL'],
// event.ResponseURL, Java's getResponseUrl()).
func cfnResponseText(s string) bool {
	return strings.Contains(s, "ResponseURL") || strings.Contains(s, "getResponseUrl(")
}

// cfnNames are the names a file derives from the ResponseURL (the URL
// itself, url.parse of it, request options built from that).
type cfnNames map[string]bool

var identTokenRe = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// derives: an expression's text reads the ResponseURL or a name derived
// from it.
func (c cfnNames) derives(text string) bool {
	if cfnResponseText(text) {
		return true
	}
	if len(c) == 0 {
		return false
	}
	for _, id := range identTokenRe.FindAllString(text, -1) {
		if c[id] {
			return true
		}
	}
	return false
}

// grow adds the names assigned (name -> value text) from derived values,
// until nothing changes.
func (c cfnNames) grow(assigned [][2]string) {
	for changed := true; changed; {
		changed = false
		for _, a := range assigned {
			if !c[a[0]] && c.derives(a[1]) {
				c[a[0]], changed = true, true
			}
		}
	}
}
