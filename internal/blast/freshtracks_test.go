package blast

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestFreshTracks checks the acceptance points on the Fresh Tracks
// fixture.
func TestFreshTracks(t *testing.T) {
	ref := withReferenceIAM(t)
	m := build(t, ref, freshTracks(t, "template.yaml"))
	if len(m.Functions) != 10 {
		t.Fatalf("%d functions", len(m.Functions))
	}
	for _, f := range m.Functions {
		b := f.Blast
		if b == nil || b.Complexity < 1 || b.ResourceCount < 1 {
			t.Fatalf("%s: blast %+v", f.ID, b)
		}
		// One package.json with four dependencies, no lock: 4 for everyone.
		if b.Dependencies != 4 || b.Manifest != "src/package.json" {
			t.Errorf("%s: dependencies %d from %q, want 4 from src/package.json", f.ID, b.Dependencies, b.Manifest)
		}
		if b.BlastRadius != int64(b.Complexity)*int64(b.Dependencies)*int64(b.ResourceCount) {
			t.Errorf("%s: blast radius %d is not %d x %d x %d", f.ID, b.BlastRadius, b.Complexity, b.Dependencies, b.ResourceCount)
		}
		if b.ComplexityEstimated || !b.CodeParsed {
			t.Errorf("%s: code not parsed: %s", f.ID, b.CodeNote)
		}
		for _, s := range b.SuggestedPolicies {
			if strings.Contains(s.Template, "Crud") {
				t.Errorf("%s: suggests %s", f.ID, s.Template)
			}
		}
	}
	// Hand-counted complexity (module 1 + handler 1 + decisions).
	for id, want := range map[string]int{
		"getActivity":                    5,  // 1 + 1 + && + if + if
		"getActivitiesForUser":           2,  // 1 + 1
		"saveToFreshTracksDatabaseTable": 5,  // 1 + 1 + if + || (in the if) + || (in JSON.parse)
		"parseGPX":                       12, // 1 + 1 + 4 loops + if + 2 && + 3 ||
		"publishToIoT":                   4,  // 1 + 1 + for + if
		"CreateZendeskArticle":           5,  // createArticle.js 2 + client.js (1 + 1 + if) 3
	} {
		if got := fn(m, id).Complexity; got != want {
			t.Errorf("%s: complexity %d, want %d", id, got, want)
		}
	}
	wantTemplates := map[string][]string{
		"saveToFreshTracksDatabaseTable": {"DynamoDBWritePolicy"},
		"getActivitiesForUser":           {"DynamoDBReadPolicy"},
		"getActivity":                    {"DynamoDBReadPolicy", "S3ReadPolicy"},
		"parseGPX":                       {"S3ReadPolicy"},
		"getSignedUrlS3":                 {"S3WritePolicy"},
		"SaveAuth0EventToS3":             {"S3WritePolicy"},
		"publishToIoT":                   nil,
		"CreateZendeskArticle":           nil,
	}
	for id, want := range wantTemplates {
		var got []string
		for _, s := range fn(m, id).SuggestedPolicies {
			if s.Template != "" {
				got = append(got, s.Template)
			}
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: suggested templates %v, want %v", id, got, want)
		}
	}
	// parseGPX: no DynamoDB policy at all (it never calls DynamoDB).
	for _, s := range fn(m, "parseGPX").SuggestedPolicies {
		if strings.Contains(s.SAM, "dynamodb") || strings.Contains(s.Template, "DynamoDB") {
			t.Errorf("parseGPX: DynamoDB suggestion %q", s.SAM)
		}
	}
	if got := fn(m, "getActivity").SuggestedPolicies[0].SAM; got != "- DynamoDBReadPolicy:\n    TableName: !Ref FreshTracksDatabaseTable\n" {
		t.Errorf("getActivity SAM snippet:\n%s", got)
	}
	// publishToIoT: iot:DescribeEndpoint on *, iot:Publish scoped to a topic.
	iot := fn(m, "publishToIoT").SuggestedPolicies
	if len(iot) != 2 || iot[0].Statement == nil || iot[1].Statement == nil {
		t.Fatalf("publishToIoT suggestions: %+v", iot)
	}
	if s := iot[0].Statement; !reflect.DeepEqual(s.Actions, []string{"iot:DescribeEndpoint"}) || !reflect.DeepEqual(s.Resources, []string{"*"}) {
		t.Errorf("publishToIoT first statement %+v", s)
	}
	if s := iot[1].Statement; !reflect.DeepEqual(s.Actions, []string{"iot:Publish"}) || len(s.Resources) != 1 || !strings.HasSuffix(s.Resources[0], ":topic/freshtracks/*") {
		t.Errorf("publishToIoT second statement %+v", s)
	}
	// Least privilege: getActivitiesForUser only queries; its Crud grants are mostly unused.
	g := fn(m, "getActivitiesForUser")
	if !reflect.DeepEqual(g.Used, []string{"dynamodb:Query"}) || !contains(g.Unused, "dynamodb:DeleteItem") || contains(g.Unused, "dynamodb:Query") || contains(g.Unused, "logs:PutLogEvents") {
		t.Errorf("getActivitiesForUser used %v unused %v", g.Used, g.Unused)
	}
	if len(g.NotGranted) != 0 {
		t.Errorf("getActivitiesForUser not granted %v", g.NotGranted)
	}
	// Calls reach the table through the TABLE_NAME environment variable.
	if c := g.SDKCalls; len(c) != 1 || c[0].Target != "FreshTracksDatabaseTable" || c[0].File != "src/getActivitiesForUser.js" || c[0].Line != 6 {
		t.Errorf("getActivitiesForUser calls %+v", c)
	}
	if m.Summary.SplitImpact >= m.Summary.MonolithImpact {
		t.Errorf("split impact %d not below monolith impact %d", m.Summary.SplitImpact, m.Summary.MonolithImpact)
	}
	if m.Summary.CodeFound != 10 || m.Summary.CodeParsed != 10 {
		t.Errorf("code found %d parsed %d", m.Summary.CodeFound, m.Summary.CodeParsed)
	}

	lp := build(t, ref, freshTracks(t, "template-least-privilege.yaml"))
	if lp.Summary.SplitImpact >= m.Summary.SplitImpact {
		t.Errorf("least-privilege split impact %d not below template.yaml's %d", lp.Summary.SplitImpact, m.Summary.SplitImpact)
	}
	for _, f := range lp.Functions {
		if len(f.NotGranted) > 0 {
			t.Errorf("least privilege %s: calls not granted %v", f.ID, f.NotGranted)
		}
	}

	mono := build(t, ref, freshTracks(t, "template-monolith.yaml"))
	if len(mono.Functions) != 1 {
		t.Fatalf("monolith: %d functions", len(mono.Functions))
	}
	for _, f := range m.Functions {
		if mono.Functions[0].Complexity <= f.Complexity {
			t.Errorf("monolith complexity %d not above %s's %d", mono.Functions[0].Complexity, f.ID, f.Complexity)
		}
	}
	c := Compare(mono, m)
	if c.Ratio == nil || *c.Ratio <= 0 || *c.Ratio >= 1 {
		t.Errorf("ratio split/monolith = %v", c.Ratio)
	}
	t.Logf("template.yaml: attack surface %d, monolith %d, split %d; least privilege split %d; monolith template split %d; ratio %.3f",
		m.Summary.AttackSurface, m.Summary.MonolithImpact, m.Summary.SplitImpact, lp.Summary.SplitImpact, mono.Summary.SplitImpact, *c.Ratio)
}
