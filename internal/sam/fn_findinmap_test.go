package sam

import "testing"

func TestFindInMap(t *testing.T) {
	runFnCases(t, "Fn::FindInMap", []fnCase{
		{name: "known keys", expr: `!FindInMap [Env, !Ref Stage, Host]`, want: Value{Text: "api.example.com", Known: true}},
		{name: "literal keys", expr: `!FindInMap [Env, dev, Host]`, want: Value{Text: "dev.example.com", Known: true}},
		{name: "unknown key: every value as alternatives", expr: `!FindInMap [Env, !Ref NoDefault, Host]`,
			want: Value{Text: "${FindInMap:Env.${NoDefault}.Host}", Params: []string{"NoDefault"}, Alternatives: []string{"api.example.com", "dev.example.com"}}},
		{name: "missing entry: default value", expr: `!FindInMap [Env, test, Host, {DefaultValue: local}]`, want: Value{Text: "local", Known: true}},
		{name: "missing entry without default", expr: `!FindInMap [Env, test, Host]`, want: Value{Text: "${FindInMap:Env.test.Host}"}},
		{name: "malformed", expr: `!FindInMap [Env, prod]`, want: Value{Text: "${FindInMap}"}},
	})
}
