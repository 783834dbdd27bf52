package adapt

import (
	"path/filepath"
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

func TestStateMachineDefinitionFile(t *testing.T) {
	withReferenceTemplates(t)
	m := buildFile(t, filepath.Join("testdata", "sfn.yaml"))
	for _, c := range []struct{ from, to, kind string }{
		{"Machine", "Worker", model.EdgeTrigger},                   // Task state naming the function
		{"Machine", "Table", model.EdgeAccess},                     // dynamodb:putItem integration and the policy
		{"Machine", "Worker", model.EdgeInvoke},                    // LambdaInvokePolicy
		{"Machine", "api.weather.example.net", model.EdgeOutbound}, // HTTP task
		{"ServerlessRestApi POST /start", "Machine", model.EdgeTrigger},
	} {
		if edgeOf(m, c.from, c.to, c.kind) == nil {
			t.Errorf("missing %s edge %s -> %s", c.kind, c.from, c.to)
		}
	}
	if e := edgeOf(m, "Machine", "Table", model.EdgeAccess); e == nil || len(e.Actions) == 0 {
		t.Errorf("the state machine's policy actions belong on its access edge: %+v", e)
	}
}
