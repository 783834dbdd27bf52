package sam

import (
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

// fnCase is one expression and the Value it must resolve to (Line aside).
// list, when set, is what ResolveList must give instead (texts only).
type fnCase struct {
	name, expr string
	vars       map[string]string
	want       Value
	list       []string
}

// runFnCases runs the table of one intrinsic against intrinsicsTemplate
// (and checks every intrinsic named by the table has an entry).
func runFnCases(t *testing.T, fn string, cases []fnCase) {
	t.Helper()
	if _, ok := intrinsics[fn]; !ok {
		t.Fatalf("%s has no entry in intrinsics", fn)
	}
	tmpl, err := Parse("t.yaml", []byte(intrinsicsTemplate))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var vars map[string]*yaml.Node
			for k, v := range c.vars {
				if vars == nil {
					vars = map[string]*yaml.Node{}
				}
				vars[k] = node(t, v)
			}
			if c.list != nil {
				var got []string
				for _, v := range tmpl.ResolveListWith(node(t, c.expr), vars) {
					got = append(got, v.Text)
				}
				if !reflect.DeepEqual(got, c.list) {
					t.Errorf("ResolveList(%s) = %q, want %q", c.expr, got, c.list)
				}
				return
			}
			got := tmpl.ResolveWith(node(t, c.expr), vars)
			got.Line = 0
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Resolve(%s)\n got  %+v\n want %+v", c.expr, got, c.want)
			}
		})
	}
}

func TestIntrinsicsTable(t *testing.T) {
	for name, fn := range intrinsics {
		if fn.eval == nil {
			t.Errorf("%s: no eval", name)
		}
	}
	tmpl, _ := Parse("t.yaml", []byte(intrinsicsTemplate))
	// a function with no entry (a condition) resolves to an unknown ${Name}
	if v := tmpl.Resolve(node(t, `!Equals [a, b]`)); v.Text != "${Equals}" || v.Known {
		t.Errorf("Fn::Equals in value position = %+v, want unknown ${Equals}", v)
	}
}
