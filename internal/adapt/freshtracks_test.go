package adapt

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/iam"
	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/sam"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite golden files")

func buildFile(t testing.TB, path string) *model.Model {
	t.Helper()
	tmpl, err := sam.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func freshTracks(t testing.TB) *model.Model {
	return buildFile(t, filepath.Join(sharedDir(t), "fixtures", "freshtracks", "template.yaml"))
}

func edgeOf(m *model.Model, from, to, kind string) *model.Edge {
	for _, e := range m.Edges {
		if e.From == from && e.To == to && e.Kind == kind {
			return e
		}
	}
	return nil
}

func TestFreshTracksNodes(t *testing.T) {
	m := freshTracks(t)
	var ids []string
	for _, f := range m.Functions {
		ids = append(ids, f.ID)
	}
	want := "CreateZendeskArticle GetFullZendeskTicket GetFullZendeskUser publishToIoT SaveAuth0EventToS3 saveToFreshTracksDatabaseTable getActivitiesForUser getActivity parseGPX getSignedUrlS3"
	if strings.Join(ids, " ") != want {
		t.Fatalf("functions: %v", ids)
	}
	kinds := map[string]string{}
	for _, r := range m.Resources {
		kinds[r.ID] = r.Kind
	}
	for id, kind := range map[string]string{"FreshTracksDatabaseTable": "table", "FreshTracksS3Bucket": "bucket", "FreshTracksRealtime": "iot", "FreshTracksAPI": "api"} {
		if kinds[id] != kind {
			t.Errorf("resource %s: kind %q, want %q", id, kinds[id], kind)
		}
	}
	f := m.Functions[0]
	if f.Runtime != "nodejs12.x" || f.Timeout != 10 || f.CodeURI != "src/" || f.Handler != "zendesk/createArticle.handler" {
		t.Errorf("Globals not applied: %+v", f)
	}
	if len(f.Environment) != 2 || f.Environment[0].Kind != "expression" || f.Environment[1].Kind != "literal" {
		t.Errorf("environment: %+v", f.Environment)
	}
}

func TestFreshTracksTriggers(t *testing.T) {
	m := freshTracks(t)
	for _, e := range [][2]string{{"FreshTracksS3Bucket", "parseGPX"}, {"FreshTracksDatabaseTable", "publishToIoT"}} {
		if edgeOf(m, e[0], e[1], model.EdgeTrigger) == nil {
			t.Errorf("missing trigger %s -> %s", e[0], e[1])
		}
	}
	routes := 0
	for _, ep := range m.EntryPoints {
		if ep.Kind != "route" {
			continue
		}
		routes++
		if edgeOf(m, ep.ID, ep.Function, model.EdgeTrigger) == nil || edgeOf(m, "internet", ep.ID, model.EdgeTrigger) == nil {
			t.Errorf("route %s: missing internet -> route -> %s", ep.ID, ep.Function)
		}
		if ep.API != "FreshTracksAPI" || ep.Auth != "NONE" || !ep.Public {
			t.Errorf("route %s: %+v", ep.ID, ep)
		}
	}
	if routes != 7 {
		t.Errorf("%d routes, want the 7 Api events", routes)
	}
}

func TestFreshTracksThirdParties(t *testing.T) {
	m := freshTracks(t)
	byKind := map[model.ThirdPartyKind]*model.ThirdParty{}
	for _, tp := range m.ThirdParties {
		byKind[tp.Kind] = tp
	}
	if z := byKind["http"]; z == nil || z.Host != "freshtracks.zendesk.com" || len(z.Functions) != 3 {
		t.Errorf("Zendesk: %+v", z)
	}
	if a := byKind["partner-event-bus"]; a == nil || a.Host != "auth0.com" || edgeOf(m, a.ID, "SaveAuth0EventToS3", model.EdgeTrigger) == nil {
		t.Errorf("Auth0 partner bus: %+v", a)
	}
	if edgeOf(m, "GetFullZendeskUser", "freshtracks.zendesk.com", model.EdgeOutbound) == nil {
		t.Error("missing outbound edge to Zendesk")
	}
}

// policyTemplateActions expands a policy template's actions with the IAM
// catalog, independently of the builder.
func policyTemplateActions(t *testing.T, name string) []string {
	def, _, ok := iam.PolicyTemplate(name)
	if !ok {
		t.Fatalf("iam does not know policy template %s", name)
	}
	var doc struct {
		Statement []struct {
			Action []string `yaml:"Action"`
		} `yaml:"Statement"`
	}
	if err := yaml.Unmarshal(def, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range doc.Statement {
		for _, a := range s.Action {
			for _, x := range iam.ExpandAction(a) {
				if !seen[x] {
					seen[x] = true
					out = append(out, x)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestFreshTracksAccess(t *testing.T) {
	m := freshTracks(t)
	for _, c := range []struct{ fn, target, template string }{
		{"getActivity", "FreshTracksS3Bucket", "S3CrudPolicy"},
		{"getActivity", "FreshTracksDatabaseTable", "DynamoDBCrudPolicy"},
		{"parseGPX", "FreshTracksS3Bucket", "S3CrudPolicy"},
		{"saveToFreshTracksDatabaseTable", "FreshTracksDatabaseTable", "DynamoDBCrudPolicy"},
	} {
		e := edgeOf(m, c.fn, c.target, model.EdgeAccess)
		if e == nil {
			t.Errorf("missing access %s -> %s", c.fn, c.target)
			continue
		}
		want := policyTemplateActions(t, c.template)
		if strings.Join(e.Actions, ",") != strings.Join(want, ",") {
			t.Errorf("%s -> %s actions %v, want %s's %v", c.fn, c.target, e.Actions, c.template, want)
		}
		if len(e.Access) == 0 {
			t.Errorf("%s -> %s: no access levels", c.fn, c.target)
		}
	}
	if e := edgeOf(m, "publishToIoT", "external:iot", model.EdgeAccess); e == nil {
		t.Error("iot:* on * must reach external:iot")
	}
	for _, f := range m.Functions {
		if len(f.Granted) == 0 {
			t.Errorf("%s: nothing granted", f.ID)
		}
	}
}

func TestFreshTracksGolden(t *testing.T) {
	m := freshTracks(t)
	m.Template = "template.yaml"
	shared := sharedDir(t)
	got, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = bytes.ReplaceAll(got, []byte(filepath.Join(shared, "fixtures", "freshtracks")+"/"), nil)
	golden := filepath.Join("testdata", "freshtracks.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("model differs from %s (run go test -update and review the diff)", golden)
	}
}
