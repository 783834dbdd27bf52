package sam

import "testing"

func TestRef(t *testing.T) {
	runFnCases(t, "Ref", []fnCase{
		{name: "resource", expr: `!Ref Table`, want: Value{Text: "${Table}", Refs: []RefTarget{{ID: "Table"}}}},
		{name: "long form", expr: `{"Ref": "Table"}`, want: Value{Text: "${Table}", Refs: []RefTarget{{ID: "Table"}}}},
		{name: "parameter default", expr: `!Ref Stage`, want: Value{Text: "prod", Known: true, Params: []string{"Stage"}}},
		{name: "parameter without default", expr: `!Ref NoDefault`, want: Value{Text: "${NoDefault}", Params: []string{"NoDefault"}}},
		{name: "pseudo parameter", expr: `!Ref AWS::Region`, want: Value{Text: "${AWS::Region}"}},
		{name: "AWS::NoValue is empty", expr: `!Ref AWS::NoValue`, want: Value{Text: "", Known: true}},
		{name: "unknown name", expr: `!Ref Nowhere`, want: Value{Text: "${Nowhere}"}},
		{name: "empty name", expr: `!Ref ""`, want: Value{Text: "${}"}},
		{name: "variable wins over parameter", expr: `!Ref Stage`, vars: map[string]string{"Stage": "!Ref Bucket"},
			want: Value{Text: "${Bucket}", Refs: []RefTarget{{ID: "Bucket"}}}},
		{name: "list parameter as a list", expr: `!Ref Names`, list: []string{"a", "b", "c"}},
		{name: "string parameter as a list", expr: `!Ref Stage`, list: []string{"prod"}},
		{name: "list parameter bound to a variable", expr: `!Ref Names`, vars: map[string]string{"Names": "x"}, list: []string{"x"}},
	})
}
