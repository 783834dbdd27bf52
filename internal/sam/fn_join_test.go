package sam

import "testing"

func TestJoin(t *testing.T) {
	runFnCases(t, "Fn::Join", []fnCase{
		{name: "mixed", expr: `!Join ["-", [a, !Ref Stage, !Ref Table]]`, want: Value{Text: "a-prod-${Table}", Refs: []RefTarget{{ID: "Table"}}, Params: []string{"Stage"}}},
		{name: "literal", expr: `!Join ["", [a, b]]`, want: Value{Text: "ab", Known: true}},
		{name: "over a list parameter", expr: `!Join [":", !Ref Names]`, want: Value{Text: "a:b:c", Known: true, Params: []string{"Names"}}},
		{name: "over a split", expr: `!Join ["+", !Split [",", "x,y"]]`, want: Value{Text: "x+y", Known: true}},
		{name: "malformed", expr: `!Join [a]`, want: Value{Text: "${Join}"}},
	})
}
