package adapt

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

// TestPrincipals: state machines, pipes, schedules, rule targets, IoT topic
// rules and every other role are principals with grants computed like a
// function's; a state machine's tasks are flows to what they touch.
func TestPrincipals(t *testing.T) {
	m := buildFile(t, filepath.Join("testdata", "principals.yaml"))
	byID := map[string]*model.Principal{}
	for _, p := range m.Principals {
		byID[p.ID] = p
	}
	for _, tc := range []struct {
		id, kind, role, assumedBy, granted string
	}{
		{"Machine", model.PrincipalStateMachine, "", "", "dynamodb:PutItem"},
		{"Child", model.PrincipalStateMachine, "", "", ""},
		{"Pipe", model.PrincipalPipe, "PipeRole", "pipes.amazonaws.com", "sqs:ReceiveMessage"},
		{"Nightly", model.PrincipalSchedule, "SchedulerRole", "scheduler.amazonaws.com", "lambda:InvokeFunction"},
		{"Reminder", model.PrincipalSchedule, "ReminderRole", "scheduler.amazonaws.com", "sqs:SendMessage"},
		{"OnOrder", model.PrincipalRule, "RuleRole", "events.amazonaws.com", "states:StartExecution"},
		{"Telemetry", model.PrincipalTopicRule, "IotRole", "iot.amazonaws.com", "dynamodb:PutItem"},
		{"DeployRole", model.PrincipalRole, "DeployRole", "arn:aws:iam::444455556666:root", "s3:GetObject"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			p := byID[tc.id]
			if p == nil {
				t.Fatalf("no principal; have %v", keys(byID))
			}
			if p.Kind != tc.kind || p.Role != tc.role {
				t.Errorf("kind %s role %s", p.Kind, p.Role)
			}
			if tc.assumedBy != "" && !slices.Contains(p.AssumedBy, tc.assumedBy) {
				t.Errorf("assumed by %v", p.AssumedBy)
			}
			if tc.granted != "" && !slices.Contains(p.Granted, tc.granted) {
				t.Errorf("granted %v", p.Granted)
			}
		})
	}
	if m.Summary.Principals != len(m.Principals) || len(m.Principals) != 8 {
		t.Errorf("summary counts %d principals, model has %d (want 8)", m.Summary.Principals, len(m.Principals))
	}
	for _, role := range []string{"PipeRole", "SchedulerRole", "RuleRole", "IotRole"} {
		if byID[role] != nil {
			t.Errorf("%s is assumed by a modelled principal: not a principal of kind role", role)
		}
	}
	for _, c := range []struct {
		from, to, kind, access string
	}{
		{"Machine", "Orders", model.EdgeAccess, "write"},
		{"Machine", "Alerts", model.EdgeAccess, "write"},
		{"Machine", "Work", model.EdgeAccess, "write"},
		{"Machine", "Worker", model.EdgeTrigger, ""},
		{"Machine", "Bus", model.EdgeAccess, "write"},
		{"Machine", "Reports", model.EdgeAccess, "write"},
		{"Machine", "Child", model.EdgeAccess, "write"},
		{"Machine", "MachineLogs", model.EdgeAccess, "write"},
		{"Machine", "account:111122223333", model.EdgeOutbound, ""},
		{"Machine", "external:lambda:eu-west-1", model.EdgeAccess, ""},
		{"Machine", "external:lambda:us-west-2", model.EdgeAccess, ""},
		{"Telemetry", "Orders", model.EdgeTrigger, ""},
		{"external:scheduler", "Reminder", model.EdgeTrigger, ""},
		{"Reminder", "Work", model.EdgeTrigger, "write"},
		{"Telemetry", "ingest.partner.example.org", model.EdgeOutbound, ""},
	} {
		e := edgeOf(m, c.from, c.to, c.kind)
		if e == nil {
			t.Errorf("missing %s edge %s -> %s; from %s: %v", c.kind, c.from, c.to, c.from, edgesFrom(m, c.from))
			continue
		}
		if c.access != "" && !slices.Contains(e.Access, c.access) {
			t.Errorf("%s -> %s access %v", c.from, c.to, e.Access)
		}
	}
	// the partner account is a third party outside this account, not a node inside it
	found := false
	for _, tp := range m.ThirdParties {
		if tp.ID == "account:111122223333" && tp.Kind == "foreign-account" {
			found = true
		}
	}
	if !found {
		t.Errorf("no foreign-account third party: %+v", m.ThirdParties)
	}
	if edgeOf(m, "Machine", "external:lambda", model.EdgeAccess) != nil {
		t.Error("targets in other regions are collapsed into external:lambda")
	}
}
