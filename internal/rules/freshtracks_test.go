package rules_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
	"github.com/samthreat/samthreat/internal/rules"
	"github.com/samthreat/samthreat/internal/testshared"
)

const zendeskToken = "x9F2kq7TzL0pW4mN8vB1cR6yH3dS5aQe"

// want is one acceptance point: a rule firing on a resource, optionally with
// words its message must contain.
type want struct {
	rule, resource string
	contains       []string
}

func findingFor(m *model.Model, w want) *model.Finding {
	for _, f := range m.Findings {
		if f.RuleID != w.rule || f.Resource != w.resource {
			continue
		}
		ok := true
		for _, c := range w.contains {
			if !strings.Contains(f.Message, c) {
				ok = false
			}
		}
		if ok {
			return f
		}
	}
	return nil
}

// TestFreshTracksAcceptance is issue 4's acceptance list on the seed's
// application as it started: each risk found, with its template line.
func TestFreshTracksAcceptance(t *testing.T) {
	path := testshared.FreshTracks(t, "template.yaml")
	m := analyze(t, path, rules.Options{})
	wants := []want{
		{"SLS-IAM-001", "publishToIoT", []string{"iot:*"}},
		{"SLS-API-002", "FreshTracksAPI", nil},
		{"SLS-SEC-001", "CreateZendeskArticle", []string{"ZENDESK_API_TOKEN", "masked"}},
		{"SLS-SEC-001", "GetFullZendeskTicket", []string{"ZENDESK_API_TOKEN", "masked"}},
		{"SLS-SEC-001", "GetFullZendeskUser", []string{"ZENDESK_API_TOKEN", "masked"}},
		{"SLS-FN-003", "parseGPX", []string{"nodejs12.x"}},
		{"SLS-DEP-001", "parseGPX", []string{"xml2js"}},
		{"SLS-IAM-008", "getActivitiesForUser", []string{"DynamoDBCrudPolicy", "DynamoDBReadPolicy"}},
	}
	// Tracing is a hardening control: a checklist gap, not a finding.
	for _, w := range []want{{"SLS-FN-006", "getActivitiesForUser", nil}, {"SLS-API-008", "FreshTracksAPI", nil}} {
		found := false
		for _, c := range m.Hardening {
			for _, g := range c.Missing {
				if c.RuleID == w.rule && g.Resource == w.resource && g.Evidence.Line > 0 {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("hardening gap %s on %s missing from the checklist", w.rule, w.resource)
		}
		if findingFor(m, w) != nil {
			t.Errorf("%s on %s reported as a finding (it is a hardening control)", w.rule, w.resource)
		}
	}
	for _, ep := range m.EntryPoints {
		if ep.Kind == "route" {
			wants = append(wants, want{"SLS-API-001", ep.Function, []string{ep.Path}})
		}
	}
	if len(wants) < 15 {
		t.Errorf("expected the 7 API routes as entry points, model has %d entry points", len(m.EntryPoints))
	}
	for _, w := range wants {
		f := findingFor(m, w)
		if f == nil {
			t.Errorf("missing %s on %s %v", w.rule, w.resource, w.contains)
			continue
		}
		if len(f.Evidence) == 0 || f.Evidence[0].Line <= 0 || filepath.Base(f.Evidence[0].File) != "template.yaml" {
			t.Errorf("%s: no template line: %+v", f.Fingerprint, f.Evidence)
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), zendeskToken) {
		t.Error("the Zendesk token appears in the JSON output")
	}
}

// TestFreshTracksLeastPrivilege: after the seed's fixes only what the code
// still causes remains (parseGPX still parses XML).
func TestFreshTracksLeastPrivilege(t *testing.T) {
	m := analyze(t, testshared.FreshTracks(t, "template-least-privilege.yaml"), rules.Options{})
	gone := map[string]bool{
		"SLS-IAM-001": true, "SLS-API-002": true, "SLS-API-001": true, "SLS-SEC-001": true,
		"SLS-IAM-008": true, "SLS-FN-006": true, "SLS-API-008": true, "SLS-IAM-003": true,
	}
	for _, f := range m.Findings {
		if gone[f.RuleID] {
			t.Errorf("still reported after the fix: %s: %s", f.Fingerprint, f.Message)
		}
		if f.RuleID == "SLS-FN-003" && strings.Contains(f.Message, "nodejs12.x") {
			t.Errorf("old runtime still reported: %s", f.Message)
		}
	}
	if findingFor(m, want{"SLS-DEP-001", "parseGPX", []string{"xml2js"}}) == nil {
		t.Error("parseGPX still parses uploaded XML with xml2js: the finding must stay")
	}
}

// TestFreshTracksOSV: with an offline OSV folder, the dependencies Fresh
// Tracks declares (no lock file: the lowest version of each range) are
// matched against the advisories.
func TestFreshTracksOSV(t *testing.T) {
	m := analyze(t, testshared.FreshTracks(t, "template.yaml"), rules.Options{OSVDir: filepath.Join("testdata", "osv")})
	for _, w := range []want{
		{"SLS-DEP-003", "parseGPX", []string{"xml2js", "GHSA-776f-qx25-q3cc", "0.5.0"}},
		{"SLS-DEP-003", "GetFullZendeskUser", []string{"node-fetch", "GHSA-r683-j2x4-v87g"}},
	} {
		f := findingFor(m, w)
		if f == nil {
			t.Errorf("missing %s on %s %v", w.rule, w.resource, w.contains)
			continue
		}
		if len(f.Evidence) < 2 || filepath.Base(f.Evidence[1].File) != "package.json" || f.Evidence[1].Line <= 0 {
			t.Errorf("%s: evidence should point at package.json: %+v", f.Fingerprint, f.Evidence)
		}
	}
	if findingFor(m, want{"SLS-DEP-003", "parseGPX", []string{"uuid"}}) != nil {
		t.Error("uuid has no advisory in the fixture folder but was reported")
	}
}
