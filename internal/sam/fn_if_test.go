package sam

import "testing"

func TestIf(t *testing.T) {
	runFnCases(t, "Fn::If", []fnCase{
		{name: "first branch, both alternatives", expr: `!If [IsProd, !Ref Table, none]`,
			want: Value{Text: "${Table}", Refs: []RefTarget{{ID: "Table"}}, Conditional: true, Alternatives: []string{"${Table}", "none"}}},
		{name: "literal branches differ: not known", expr: `!If [IsProd, "https://a.example.com", "https://b.example.com"]`,
			want: Value{Text: "https://a.example.com", Conditional: true, Alternatives: []string{"https://a.example.com", "https://b.example.com"}}},
		{name: "same branches: known", expr: `!If [IsProd, a, a]`, want: Value{Text: "a", Known: true, Conditional: true, Alternatives: []string{"a", "a"}}},
		{name: "NoValue first: the other branch", expr: `!If [IsProd, !Ref AWS::NoValue, b]`, want: Value{Text: "b", Conditional: true, Alternatives: []string{"", "b"}}},
		{name: "lists of both branches", expr: `!If [IsProd, [a], [b, c]]`, list: []string{"a", "b", "c"}},
		{name: "in a sequence", expr: `[x, !If [IsProd, y, z]]`, list: []string{"x", "y", "z"}},
		{name: "malformed", expr: `!If [IsProd, a]`, want: Value{Text: "${If}"}},
	})
}
