package blast

import (
	"reflect"
	"testing"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
)

// TestCodeThirdParties: hosts the code names become third parties with an
// outbound edge from the function, merged with the template's third party
// of the same host; environment variables resolve to their template value;
// a call to a URL built at run time reaches RunTimeEndpoint only when the
// function reaches no known host.
func TestCodeThirdParties(t *testing.T) {
	zendesk := &model.ThirdParty{ID: "acme.zendesk.com", Host: "acme.zendesk.com", Kind: "http", Via: "ZENDESK_URL", Functions: []string{"A"}}
	m := &model.Model{ThirdParties: []*model.ThirdParty{zendesk},
		Edges: []*model.Edge{{From: "A", To: "acme.zendesk.com", Kind: model.EdgeOutbound}}}
	fA := &model.Function{ID: "A", Blast: &model.Blast{}, Environment: []model.EnvVar{{Name: "ZENDESK_URL", Value: "https://acme.zendesk.com/api/v2"}}}
	fB := &model.Function{ID: "B", Blast: &model.Blast{}, Environment: []model.EnvVar{{Name: "HOOK", Value: "hooks.slack.com"}, {Name: "TABLE", Value: "${Table}"}}}
	fC := &model.Function{ID: "C", Blast: &model.Blast{}}
	// D's URL is a parameter without a default (given at deploy time); E's
	// is a template resource's URL (an AWS endpoint): no third party.
	fD := &model.Function{ID: "D", Blast: &model.Blast{}, Environment: []model.EnvVar{{Name: "APPSYNC_ENDPOINT", Value: "${GraphQLApiEndpoint}", Kind: "ref", Refs: []string{"GraphQLApiEndpoint"}}}}
	fE := &model.Function{ID: "E", Blast: &model.Blast{}, Environment: []model.EnvVar{{Name: "API", Value: "https://${MyApi}.execute-api.${AWS::Region}.amazonaws.com", Kind: "expression", Refs: []string{"MyApi"}}}}
	m.Resources = []*model.Resource{{ID: "MyApi"}}
	m.Functions = []*model.Function{fA, fB, fC, fD, fE}
	endpoints(fD, fD.Blast, &code.Result{Hosts: []code.Host{{Env: "APPSYNC_ENDPOINT", File: "/app/d.js", Line: 2, Call: true}}}, "/app")
	endpoints(fE, fE.Blast, &code.Result{Hosts: []code.Host{{Env: "API", File: "/app/e.js", Line: 2, Call: true}}}, "/app")
	endpoints(fA, fA.Blast, &code.Result{Hosts: []code.Host{{Env: "ZENDESK_URL", File: "/app/a.js", Line: 3, Call: true}, {File: "/app/a.js", Line: 9, Call: true}}}, "/app")
	endpoints(fB, fB.Blast, &code.Result{Hosts: []code.Host{{Env: "HOOK", File: "/app/b.py", Line: 4, Call: true}, {Host: "api.stripe.com", URL: "https://api.stripe.com/v1", File: "/app/b.py", Line: 7}, {Env: "TABLE", File: "/app/b.py", Line: 8, Call: true}}}, "/app")
	endpoints(fC, fC.Blast, &code.Result{Hosts: []code.Host{{File: "/app/c.py", Line: 5, Call: true}}}, "/app")
	if got := fB.Endpoints[0]; got.Host != "hooks.slack.com" || got.Env != "HOOK" || got.File != "b.py" {
		t.Errorf("env endpoint %+v", got)
	}
	codeThirdParties(m)
	var got []string
	for _, e := range m.Edges {
		got = append(got, e.From+"->"+e.To)
	}
	want := []string{"A->acme.zendesk.com", "B->hooks.slack.com", "B->api.stripe.com", "C->" + RunTimeEndpoint, "D->" + RunTimeEndpoint}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edges %v, want %v", got, want)
	}
	if len(m.ThirdParties) != 4 || !reflect.DeepEqual(zendesk.Functions, []string{"A"}) || zendesk.Via != "ZENDESK_URL" {
		t.Errorf("third parties %d, zendesk %+v", len(m.ThirdParties), zendesk)
	}
	for _, tp := range m.ThirdParties {
		if tp.ID == "api.stripe.com" && (tp.Via != "code: b.py:7" || tp.Kind != "http" || tp.Source.Line != 7) {
			t.Errorf("stripe %+v", tp)
		}
	}
}
