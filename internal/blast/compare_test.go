package blast

import (
	"testing"

	"github.com/samthreat/samthreat/internal/model"
)

func fnWith(id string, modules map[string]int, deps []string, res ...string) *model.Function {
	c := 0
	for _, n := range modules {
		c += n
	}
	b := &model.Blast{Complexity: max(1, c), ModuleComplexity: modules, DependencyNames: deps, Dependencies: max(1, len(deps)),
		ReachedResources: res, ResourceCount: max(1, len(res)), CodeFiles: []string{"x"}}
	b.BlastRadius = int64(b.Complexity) * int64(b.Dependencies) * int64(b.ResourceCount)
	return &model.Function{ID: id, Runtime: "nodejs20.x", Blast: b}
}

// TestMerge: a what-if merge keeps every factor's floor of 1 (functions
// that reach nothing still hold their execution environment), counts a
// shared module once, and the monolith of the application is the one
// figure Summarize reports.
func TestMerge(t *testing.T) {
	tests := []struct {
		name      string
		fns       []*model.Function
		merge     []string
		wantC     int
		wantD     int
		wantR     int
		wantBlast int64
	}{
		{"nothing reached: r stays 1", []*model.Function{
			fnWith("A", map[string]int{"a.js": 4, "lib.js": 3}, nil),
			fnWith("B", map[string]int{"b.js": 2, "lib.js": 3}, nil),
			fnWith("C", map[string]int{"c.js": 9}, []string{"x"}, "T"),
		}, []string{"A", "B"}, 9, 1, 1, 9},
		{"resources and dependencies united", []*model.Function{
			fnWith("A", map[string]int{"a.js": 4}, []string{"p", "q"}, "T", "U"),
			fnWith("B", map[string]int{"b.js": 2}, []string{"q"}, "U", "V"),
		}, []string{"A", "B"}, 6, 2, 3, 36},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &model.Model{Template: "t.yaml", Functions: tt.fns}
			Summarize(m)
			out, err := Merge(m, tt.merge)
			if err != nil {
				t.Fatal(err)
			}
			var merged *model.Function
			for _, f := range out.Functions {
				if f.ID == MergedName(tt.merge) {
					merged = f
				}
			}
			if merged == nil {
				t.Fatalf("no merged function in %d", len(out.Functions))
			}
			if merged.Complexity != tt.wantC || merged.Dependencies != tt.wantD || merged.ResourceCount != tt.wantR || merged.BlastRadius != tt.wantBlast {
				t.Errorf("merged %d x %d x %d = %d, want %d x %d x %d = %d", merged.Complexity, merged.Dependencies, merged.ResourceCount,
					merged.BlastRadius, tt.wantC, tt.wantD, tt.wantR, tt.wantBlast)
			}
			mono, ids, err := Monolith(m)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != len(tt.fns) || len(mono.Functions) != 1 {
				t.Fatalf("monolith of %d functions has %d", len(ids), len(mono.Functions))
			}
			if got := mono.Functions[0].BlastRadius; got != m.Summary.MonolithImpact || mono.Summary.SplitImpact != m.Summary.MonolithImpact {
				t.Errorf("monolith: merged blast %d, its split %d, the application's monolith impact %d: one figure expected",
					got, mono.Summary.SplitImpact, m.Summary.MonolithImpact)
			}
		})
	}
}

func TestMergedName(t *testing.T) {
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = "Function" + string(rune('A'+i%26))
	}
	if n := MergedName(ids); len(n) > 60 {
		t.Errorf("a merge of 1000 functions is named %d characters long: %q", len(n), n)
	}
	if n := MergedName([]string{"a", "b"}); n != "a+b" {
		t.Errorf("MergedName(a, b) = %q", n)
	}
}
