package code

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

// TestHosts: outside endpoints in handler code, one fixture per language
// under testdata/hosts: URL literals (never comments), host names given to
// HTTP clients, HTTP calls whose URL is an environment variable (directly
// or through a variable), and calls to a URL built at run time ("?").
func TestHosts(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		want []string // host, env:NAME or ? (run time), @line, * when found as a call argument
	}{
		{"python requests, urllib3", Request{CodeURI: "py", Runtime: "python3.12", Handler: "app.handler"},
			[]string{"api.stripe.com@11*", "env:SLACK_WEBHOOK_URL@12*", "?@13*"}},
		{"javascript fetch, axios, https.request", Request{CodeURI: "js", Runtime: "nodejs20.x", Handler: "app.handler"},
			[]string{"hooks.zapier.com@8*", "env:PARTNER_API_URL@9*", "api.github.com@10", "?@10*", "env:SHOP_DOMAIN@11*", "?@12*"}},
		{"go net/http", Request{CodeURI: "go", Runtime: "provided.al2", Handler: "bootstrap"},
			[]string{"api.openweathermap.org@10*", "env:NOTIFY_URL@14*"}},
		{"java HttpClient", Request{CodeURI: "java", Runtime: "java21", Handler: "ex.App::handleRequest"},
			[]string{"api.twilio.com@9*", "env:CRM_URL@12*"}},
		{"ruby Net::HTTP", Request{CodeURI: "ruby", Runtime: "ruby3.3", Handler: "app.handler"},
			[]string{"api.sendgrid.com@5*", "env:AUDIT_URL@6*"}},
		{"c# HttpClient", Request{CodeURI: "cs", Runtime: "dotnet8", Handler: "Ex::Ex.Function::Handler"},
			[]string{"api.pagerduty.com@12*", "env:TEAMS_WEBHOOK@14*"}},
	}
	a := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.TemplateDir = filepath.Join("testdata", "hosts")
			r := a.Analyze(context.Background(), tc.req)
			if r.Estimated {
				t.Fatalf("not parsed: %s", r.Note)
			}
			var got []string
			for _, h := range r.Hosts {
				s := h.Host
				switch {
				case h.Env != "":
					s = "env:" + h.Env
				case h.Host == "":
					s = "?"
				}
				s += "@" + itoa(h.Line)
				if h.Call {
					s += "*"
				}
				got = append(got, s)
			}
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("hosts %v, want %v", got, want)
			}
		})
	}
}

// TestSignedRequests: SigV4 signers built for an AWS service are calls of
// that service (AppSync mutations signed by hand, IAM-authorised routes).
func TestSignedRequests(t *testing.T) {
	a := New()
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{CodeURI: "js", Runtime: "nodejs20.x", Handler: "app.handler"}, "appsync:GraphQL"},
		{Request{CodeURI: "py", Runtime: "python3.12", Handler: "app.handler"}, "execute-api:Invoke"},
	} {
		tc.req.TemplateDir = filepath.Join("testdata", "hosts")
		r := a.Analyze(context.Background(), tc.req)
		found := false
		for _, c := range r.Calls {
			found = found || len(c.Actions) == 1 && c.Actions[0] == tc.want
		}
		if !found {
			t.Errorf("%s: no %s call in %+v", tc.req.CodeURI, tc.want, r.Calls)
		}
	}
}
