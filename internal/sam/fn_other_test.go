package sam

import "testing"

func TestBase64(t *testing.T) {
	runFnCases(t, "Fn::Base64", []fnCase{
		{name: "literal", expr: `!Base64 abc`, want: Value{Text: "abc", Known: true}},
		{name: "of a sub", expr: `!Base64 {"Fn::Sub": "${Table}"}`, want: Value{Text: "${Table}", Refs: []RefTarget{{ID: "Table"}}}},
	})
}

func TestImportValue(t *testing.T) {
	runFnCases(t, "Fn::ImportValue", []fnCase{
		{name: "literal name", expr: `!ImportValue shared-vpc`, want: Value{Text: "${ImportValue:shared-vpc}", Import: true}},
		{name: "name from a sub", expr: `!ImportValue {"Fn::Sub": "${Stage}-vpc"}`, want: Value{Text: "${ImportValue:prod-vpc}", Import: true, Params: []string{"Stage"}}},
	})
}

func TestGetAZs(t *testing.T) {
	runFnCases(t, "Fn::GetAZs", []fnCase{
		{name: "current region", expr: `!GetAZs ""`, want: Value{Text: "${AWS::AZs}"}},
	})
}

func TestCidr(t *testing.T) {
	runFnCases(t, "Fn::Cidr", []fnCase{
		{name: "blocks", expr: `!Cidr ["10.0.0.0/16", 4, 8]`, want: Value{Text: "${Cidr}"}},
	})
}

func TestToJsonString(t *testing.T) {
	runFnCases(t, "Fn::ToJsonString", []fnCase{
		{name: "mapping", expr: `{"Fn::ToJsonString": {a: b}}`, want: Value{Text: "{a=b}"}},
	})
}
