package sam

import "testing"

func TestSplit(t *testing.T) {
	runFnCases(t, "Fn::Split", []fnCase{
		{name: "as a list", expr: `!Split [",", "x,y"]`, list: []string{"x", "y"}},
		{name: "parts keep references", expr: `!Split ["/", !Sub "${Table}/a"]`, list: []string{"${Table}", "a"}},
		{name: "empty delimiter: one item", expr: `!Split ["", "x,y"]`, list: []string{"x,y"}},
		{name: "in value position: the source", expr: `!Split [",", "x,y"]`, want: Value{Text: "x,y", Known: true}},
		{name: "malformed", expr: `!Split [","]`, want: Value{Text: "${Split}"}},
	})
}
