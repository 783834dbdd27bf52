package blast

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
)

// RunTimeEndpoint is the third party standing for HTTP calls whose URL is
// known only at run time: built by the code (from the event, a database...)
// or read from an environment variable the template fills from a parameter
// without a default. samthreat cannot know the host, and says so rather
// than leaving the call out of the model.
const RunTimeEndpoint = "http:run-time-url"

// endpoints records the outside endpoints the code names (res.Hosts) on the
// function, resolving environment variables to their template values.
func endpoints(f *model.Function, b *model.Blast, res *code.Result, dir string) {
	for _, h := range res.Hosts {
		e := model.CodeEndpoint{Host: h.Host, URL: h.URL, Env: h.Env, File: rel(dir, h.File), Line: h.Line, Call: h.Call}
		if h.Env != "" {
			e.Host, e.URL = envHost(f, h.Env)
		}
		b.Endpoints = append(b.Endpoints, e)
	}
}

var envURLRe = regexp.MustCompile(`(?i)\b(?:https?|wss?)://[^\s"'<>\x60]+`)

// envHost: the outside host of the URL (or bare host name) an environment
// variable of the function holds in the template; "" when it holds none
// (unset, computed at deploy time, an AWS endpoint).
func envHost(f *model.Function, name string) (host, raw string) {
	for _, ev := range f.Environment {
		if ev.Name != name {
			continue
		}
		if u := envURLRe.FindString(ev.Value); u != "" {
			return outside(u), u
		}
		v := strings.TrimSpace(ev.Value)
		if v != "" && !strings.ContainsAny(v, "/ ${}") && strings.Count(v, ".") >= 1 {
			if h := outside("https://" + v); h != "" && code.LooksLikeHost(v) {
				return h, "https://" + v
			}
		}
	}
	return "", ""
}

func outside(raw string) string {
	u, err := url.Parse(strings.TrimRight(raw, ".,;)]}"))
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if h == "" || strings.ContainsAny(h, "${}") || !code.OutsideHost(h) {
		return ""
	}
	return h
}

// codeThirdParties turns the endpoints found in every function's code into
// third parties with an outbound edge from the function, merged with the
// third parties the template declares for the same host (one node per
// host). A function whose code makes HTTP calls to URLs built at run time,
// and reaches no known host otherwise, gets an edge to RunTimeEndpoint.
// Run after every function is computed (it writes the shared model).
func codeThirdParties(m *model.Model) {
	tps := map[string]*model.ThirdParty{}
	for _, tp := range m.ThirdParties {
		tps[tp.ID] = tp
	}
	edges := map[[2]string]bool{}
	outbound := map[string]bool{} // functions with an edge to an http third party
	for _, e := range m.Edges {
		edges[[2]string{e.From, e.To}] = true
		if tp := tps[e.To]; tp != nil && e.Kind == model.EdgeOutbound && tp.Kind == "http" {
			outbound[e.From] = true
		}
	}
	link := func(f *model.Function, tp *model.ThirdParty, scheme string, where model.Source) {
		if !slices.Contains(tp.Functions, f.ID) {
			tp.Functions = append(tp.Functions, f.ID)
			slices.Sort(tp.Functions)
		}
		if !edges[[2]string{f.ID, tp.ID}] {
			edges[[2]string{f.ID, tp.ID}] = true
			m.Edges = append(m.Edges, &model.Edge{From: f.ID, To: tp.ID, Kind: model.EdgeOutbound, Label: scheme,
				Condition: f.Condition, Source: where})
		}
		outbound[f.ID] = true
	}
	for _, f := range m.Functions {
		if f.Blast == nil {
			continue
		}
		var runTime *model.CodeEndpoint
		for i, e := range f.Endpoints {
			where := model.Source{File: e.File, Line: e.Line, LogicalID: f.ID}
			if e.Host == "" {
				if e.Call && runTime == nil && (e.Env == "" || deployTimeURL(m, f, e.Env)) {
					runTime = &f.Endpoints[i]
				}
				continue
			}
			scheme := "https"
			if u, err := url.Parse(e.URL); err == nil && u.Scheme != "" {
				scheme = strings.ToLower(u.Scheme)
			}
			tp := tps[e.Host]
			if tp == nil {
				via := fmt.Sprintf("code: %s:%d", e.File, e.Line)
				if e.Env != "" {
					via += " (" + e.Env + ")"
				}
				tp = &model.ThirdParty{ID: e.Host, Host: e.Host, URL: e.URL, Scheme: scheme, Kind: model.ThirdPartyHTTP, Via: via, Source: where}
				tps[tp.ID] = tp
				m.ThirdParties = append(m.ThirdParties, tp)
			}
			link(f, tp, scheme, where)
		}
		if runTime != nil && !outbound[f.ID] {
			tp := tps[RunTimeEndpoint]
			where := model.Source{File: runTime.File, Line: runTime.Line, LogicalID: f.ID}
			if tp == nil {
				tp = &model.ThirdParty{ID: RunTimeEndpoint, Kind: model.ThirdPartyHTTP,
					Via:    fmt.Sprintf("code: %s:%d (URL known only at run time, built by the code or given at deploy time: the host cannot be known from the template and code)", runTime.File, runTime.Line),
					Source: where}
				tps[tp.ID] = tp
				m.ThirdParties = append(m.ThirdParties, tp)
			}
			link(f, tp, "http(s)", where)
		}
	}
}

// deployTimeURL: the function's environment variable name is declared in
// the template but its value names no host: it comes from a parameter
// (without a default) or an expression, not from a template resource (whose
// URL is an AWS endpoint: access, not a third party).
func deployTimeURL(m *model.Model, f *model.Function, name string) bool {
	for _, ev := range f.Environment {
		if ev.Name != name {
			continue
		}
		for _, id := range ev.Refs {
			if resource(m, id) != nil || strings.HasPrefix(id, "AWS::") {
				return false
			}
			for _, g := range m.Functions {
				if g.ID == id {
					return false
				}
			}
			for _, ep := range m.EntryPoints {
				if ep.API == id {
					return false
				}
			}
		}
		return ev.Kind != "literal" || strings.Contains(ev.Value, "${")
	}
	return false
}
