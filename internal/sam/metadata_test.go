package sam

import (
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestSuppressions(t *testing.T) {
	for _, tt := range []struct {
		name, meta string
		want       []string // id|reason
	}{
		{"id and reason", "samthreat:\n  suppress:\n    - id: SLS-FN-006\n      reason: tracing is on in the account\n", []string{"SLS-FN-006|tracing is on in the account"}},
		{"bare id", "samthreat:\n  suppress: [SLS-IAM-001]\n", []string{"SLS-IAM-001|"}},
		{"one entry, not a list", "samthreat:\n  suppress: {id: SLS-API-001}\n", []string{"SLS-API-001|"}},
		{"no id", "samthreat:\n  suppress:\n    - reason: why\n", nil},
		{"intrinsic id", "samthreat:\n  suppress:\n    - id: !Ref Rule\n", nil},
		{"none", "Other: 1\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.meta), &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range Suppressions(doc.Content[0]) {
				if s.Node == nil || s.Node.Line == 0 {
					t.Errorf("%s: no line", s.ID)
				}
				got = append(got, s.ID+"|"+s.Reason)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
