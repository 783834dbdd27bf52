package sam

import "testing"

func TestGetAtt(t *testing.T) {
	runFnCases(t, "Fn::GetAtt", []fnCase{
		{name: "short form", expr: `!GetAtt Table.StreamArn`, want: Value{Text: "${Table.StreamArn}", Refs: []RefTarget{{ID: "Table", Attr: "StreamArn"}}}},
		{name: "list form", expr: `{"Fn::GetAtt": ["Fn", "Arn"]}`, want: Value{Text: "${Fn.Arn}", Refs: []RefTarget{{ID: "Fn", Attr: "Arn"}}}},
		{name: "unknown resource: no reference", expr: `!GetAtt Nowhere.Arn`, want: Value{Text: "${Nowhere.Arn}"}},
		{name: "id alone", expr: `{"Fn::GetAtt": [Table]}`, want: Value{Text: "${Table}", Refs: []RefTarget{{ID: "Table"}}}},
		{name: "attribute from an intrinsic: any", expr: `{"Fn::GetAtt": [Table, !Ref Stage]}`, want: Value{Text: "${Table.*}", Refs: []RefTarget{{ID: "Table", Attr: "*"}}}},
		{name: "malformed", expr: `{"Fn::GetAtt": {a: b}}`, want: Value{Text: "${GetAtt}"}},
		{name: "empty", expr: `!GetAtt ""`, want: Value{Text: "${GetAtt}"}},
	})
}
