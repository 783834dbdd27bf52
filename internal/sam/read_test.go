package sam

import (
	"reflect"
	"strings"
	"testing"
)

func TestTransforms(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"none", "Resources: {}\n", nil},
		{"name", "Transform: AWS::Serverless-2016-10-31\n", []string{"AWS::Serverless-2016-10-31"}},
		{"list with include", "Transform: [AWS::Serverless-2016-10-31, {Name: AWS::Include, Parameters: {Location: s3://b/k}}]\n",
			[]string{"AWS::Serverless-2016-10-31", "AWS::Include"}},
		{"one mapping", "Transform: {Name: AWS::Include}\n", []string{"AWS::Include"}},
		{"mapping without name", "Transform: {Parameters: {}}\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl, err := Parse("t.yaml", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tmpl.Transforms, c.want) {
				t.Errorf("Transforms = %q, want %q", tmpl.Transforms, c.want)
			}
		})
	}
}

// TestReadSections: what each section reader keeps, and its one-line errors
// with the line of the offending node.
func TestReadSections(t *testing.T) {
	for _, c := range []struct {
		name, src, err string
		check          func(*Template) bool
	}{
		{name: "parameter fields", src: "Parameters:\n  P: {Type: String, Default: x, NoEcho: true}\n  Q: bare\n",
			check: func(t *Template) bool {
				return len(t.Parameters) == 2 && t.Parameters[0].Type == "String" && Str(t.Parameters[0].Default) == "x" &&
					t.Parameters[0].NoEcho && t.Parameters[0].Line == 2 && t.Parameters[1].Type == "" && t.Parameters[1].Default == nil
			}},
		{name: "conditions", src: "Conditions:\n  A: !Equals [a, b]\n", check: func(t *Template) bool { return t.Conditions["A"] != nil }},
		{name: "empty globals section", src: "Globals:\n  Function:\nResources: {}\n", check: func(t *Template) bool { _, ok := t.Globals["Function"]; return ok }},
		{name: "unknown globals section", src: "Globals:\n  Lambda: {}\n", err: `t.yaml:2: Globals: unsupported section "Lambda"`},
		{name: "globals section not a mapping", src: "Globals:\n  Function: [a]\n", err: "t.yaml:2: Globals.Function must be a mapping"},
		{name: "resource fields", src: "Resources:\n  A:\n    Type: X\n    Condition: C\n    DependsOn: [B, {x: 1}]\n    Metadata: {m: 1}\n  B: {Type: Y, DependsOn: A}\n",
			check: func(t *Template) bool {
				a, b := t.Resource("A"), t.Resource("B")
				return a.Type == "X" && a.Condition == "C" && reflect.DeepEqual(a.DependsOn, []string{"B"}) && a.Metadata != nil &&
					a.Line == 2 && reflect.DeepEqual(b.DependsOn, []string{"A"}) && len(t.Resources) == 2
			}},
		{name: "logical id not a string", src: "Resources:\n  [a]: {Type: X}\n", err: "t.yaml:2: resource logical id must be a string"},
		{name: "resource not a mapping", src: "Resources:\n  A: x\n", err: "t.yaml:2: resource A must be a mapping with a Type"},
		{name: "empty properties", src: "Resources:\n  A:\n    Type: X\n    Properties:\n", check: func(t *Template) bool { p := t.Resource("A").Properties; return len(p.Content) == 0 && p.Line == 0 }},
		{name: "properties from an intrinsic", src: "Resources:\n  A:\n    Type: X\n    Properties: !If [C, {a: 1}, {a: 2}]\n",
			check: func(t *Template) bool { p := t.Resource("A").Properties; return len(p.Content) == 0 && p.Line == 0 }},
		{name: "properties a list", src: "Resources:\n  A:\n    Type: X\n    Properties: [a]\n", err: "t.yaml:4: resource A: Properties must be a mapping"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl, err := Parse("t.yaml", []byte(c.src))
			if c.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v, want one line starting %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(tmpl) {
				t.Errorf("unexpected template: %+v", tmpl)
			}
		})
	}
}
