package sam

import "testing"

func TestSelect(t *testing.T) {
	runFnCases(t, "Fn::Select", []fnCase{
		{name: "literal list", expr: `!Select [1, [x, y, z]]`, want: Value{Text: "y", Known: true}},
		{name: "over a split", expr: `!Select [2, !Split [",", "a,b,c"]]`, want: Value{Text: "c", Known: true}},
		{name: "item depends on a resource", expr: `!Select [0, [!Ref Table, y]]`, want: Value{Text: "${Table}", Refs: []RefTarget{{ID: "Table"}}}},
		{name: "out of range depends on every item", expr: `!Select [5, [!Ref Table, y]]`, want: Value{Text: "${Select}", Refs: []RefTarget{{ID: "Table"}}}},
		{name: "index not a number", expr: `!Select [x, [a]]`, want: Value{Text: "${Select}", Known: false}},
		{name: "malformed", expr: `!Select [1]`, want: Value{Text: "${Select}"}},
	})
}
