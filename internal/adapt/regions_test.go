package adapt

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestOutsideARNs: a grant or a flow on an ARN outside the template goes to
// the service's node in the region the ARN names (one per region, never
// collapsed), to another account's third party when it names another
// account, and to external:<service> only when the region is not written
// out; for every principal, functions and roles alike.
func TestOutsideARNs(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "regions.yaml"))
	for _, c := range []struct{ from, to, kind, access string }{
		{"Replicator", "external:dynamodb:eu-west-1", model.EdgeAccess, "read"},
		{"Replicator", "external:dynamodb:us-west-2", model.EdgeAccess, "read"},
		{"Replicator", "external:dynamodb", model.EdgeAccess, "read"}, // ${AWS::Region}: wherever it is deployed
		{"Replicator", "account:210987654321", model.EdgeOutbound, "write"},
		{"external:sqs:eu-central-1", "Replicator", model.EdgeTrigger, ""},
		{"AutomationExecutionRole", "external:states:us-east-1", model.EdgeAccess, "write"},
		{"Forward", "account:111122223333", model.EdgeTrigger, "write"}, // one edge: the flow, with its role's access
		{"Replica", "external:events:eu-west-1", model.EdgeTrigger, ""},
	} {
		e := edgeOf(m, c.from, c.to, c.kind)
		if e == nil {
			t.Errorf("missing %s edge %s -> %s; from %s: %v", c.kind, c.from, c.to, c.from, edgesFrom(m, c.from))
			continue
		}
		if c.access != "" && !slices.Contains(e.Access, c.access) {
			t.Errorf("%s -> %s access %v, want %s", c.from, c.to, e.Access, c.access)
		}
	}
	for _, e := range m.Edges {
		if e.To == "external:sns" || e.To == "external:states" || e.From == "external:sqs" {
			t.Errorf("%s -> %s: an ARN in a named region or another account collapsed into the service's one node", e.From, e.To)
		}
	}
	if e := edgeOf(m, "Forward", "account:111122223333", model.EdgeOutbound); e != nil {
		t.Errorf("a second edge beside the rule's flow to the other account: %+v", e)
	}
	res := map[string]*model.Resource{}
	for _, r := range m.Resources {
		res[r.ID] = r
	}
	for _, id := range []string{"external:dynamodb:eu-west-1", "external:dynamodb:us-west-2", "external:states:us-east-1"} {
		if r := res[id]; r == nil || !r.External || r.Kind == "" {
			t.Errorf("%s: %+v", id, r)
		}
	}
	if res["account:210987654321"] != nil {
		t.Error("another account's topic is drawn inside this account")
	}
	found := false
	for _, tp := range m.ThirdParties {
		found = found || tp.ID == "account:210987654321" && tp.Kind == "foreign-account"
	}
	if !found {
		t.Errorf("no foreign-account third party: %+v", m.ThirdParties)
	}
}

// TestPrincipalNodes: pipes, schedules with targets other than a function,
// rules with targets other than a function and roles no modelled principal
// assumes are nodes of the model, with the flow they carry going through
// them (source -> principal -> target) and their role's access drawn from
// them, as a function's is.
func TestPrincipalNodes(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "principals.yaml"))
	kinds := map[string]string{}
	for _, r := range m.Resources {
		kinds[r.ID] = r.Kind
	}
	for id, kind := range map[string]string{"Pipe": "pipe", "Reminder": "schedule", "OnOrder": "rule", "DeployRole": "role"} {
		if kinds[id] != kind {
			t.Errorf("%s: node kind %q, want %q", id, kinds[id], kind)
		}
	}
	for _, id := range []string{"PipeRole", "SchedulerRole", "ReminderRole", "RuleRole", "IotRole", "Nightly"} {
		if _, ok := kinds[id]; ok {
			t.Errorf("%s is drawn as a resource node: its role is drawn through the principal that assumes it", id)
		}
	}
	for _, c := range []struct{ from, to, kind, access string }{
		{"Work", "Pipe", model.EdgeTrigger, ""},
		{"Pipe", "Machine", model.EdgeTrigger, "write"}, // states:StartExecution, on the flow's edge
		{"Pipe", "Work", model.EdgeAccess, "read"},      // the pipe polls its source
		{"Bus", "OnOrder", model.EdgeTrigger, ""},
		{"OnOrder", "Machine", model.EdgeTrigger, "write"},
		{"external:scheduler", "Reminder", model.EdgeTrigger, ""},
		{"Reminder", "Work", model.EdgeTrigger, "write"},
		{"Nightly", "Worker", model.EdgeTrigger, "write"}, // a schedule invoking a function stays its entry point
		{"DeployRole", "external:s3", model.EdgeAccess, "read"},
	} {
		e := edgeOf(m, c.from, c.to, c.kind)
		if e == nil {
			t.Errorf("missing %s edge %s -> %s; from %s: %v", c.kind, c.from, c.to, c.from, edgesFrom(m, c.from))
			continue
		}
		if c.access != "" && !slices.Contains(e.Access, c.access) {
			t.Errorf("%s -> %s access %v, want %s", c.from, c.to, e.Access, c.access)
		}
	}
	for _, bypass := range [][2]string{{"Work", "Machine"}, {"Bus", "Machine"}, {"external:scheduler", "Work"}} {
		for _, e := range m.Edges {
			if e.From == bypass[0] && e.To == bypass[1] {
				t.Errorf("%s -> %s (%s) bypasses the principal that carries the flow", e.From, e.To, e.Kind)
			}
		}
	}
	for _, e := range m.Edges {
		if (e.From == "Pipe" || e.From == "OnOrder" || e.From == "Reminder") && e.To == "Machine" && e.Kind != model.EdgeTrigger {
			t.Errorf("%s -> %s: a second (%s) edge beside the flow", e.From, e.To, e.Kind)
		}
	}
}
