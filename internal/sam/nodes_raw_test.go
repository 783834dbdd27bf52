package sam

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// TestRawNodeHelpers: Text, Elements, IsComputed and ReferencedID read a
// node as written (tags kept), where Str, Items and IsIntrinsic read the
// CloudFormation value.
func TestRawNodeHelpers(t *testing.T) {
	node := func(src string) *yaml.Node {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Content[0]
	}
	for _, tc := range []struct {
		src              string
		text, str        string
		elements, items  int
		computed, intrin bool
		ref              string
	}{
		{"plain", "plain", "plain", 1, 1, false, false, ""},
		{"!Ref Bucket", "Bucket", "", 1, 1, true, true, "Bucket"},
		{"!GetAtt Fn.Arn", "Fn.Arn", "", 1, 1, true, true, "Fn"},
		{"!GetAtt [Fn, Arn]", "", "", 2, 1, true, true, "Fn"},
		{"{Ref: Queue}", "", "", 1, 1, true, true, "Queue"},
		{"{'Fn::GetAtt': [Table, Arn]}", "", "", 1, 1, true, true, "Table"},
		{"{'Fn::Unknown': x}", "", "", 1, 1, true, false, ""},
		{"!Custom x", "x", "", 1, 1, true, false, ""},
		{"[a, b, c]", "", "", 3, 3, false, false, ""},
		{"~", "~", "", 1, 0, false, false, ""},
	} {
		n := node(tc.src)
		if got := Text(n); got != tc.text {
			t.Errorf("Text(%s) = %q, want %q", tc.src, got, tc.text)
		}
		if got := Str(n); got != tc.str {
			t.Errorf("Str(%s) = %q, want %q", tc.src, got, tc.str)
		}
		if got := len(Elements(n)); got != tc.elements {
			t.Errorf("Elements(%s) has %d, want %d", tc.src, got, tc.elements)
		}
		if got := len(Items(n)); got != tc.items {
			t.Errorf("Items(%s) has %d, want %d", tc.src, got, tc.items)
		}
		if got := IsComputed(n); got != tc.computed {
			t.Errorf("IsComputed(%s) = %v", tc.src, got)
		}
		if got := IsIntrinsic(n); got != tc.intrin {
			t.Errorf("IsIntrinsic(%s) = %v", tc.src, got)
		}
		if got := ReferencedID(n); got != tc.ref {
			t.Errorf("ReferencedID(%s) = %q, want %q", tc.src, got, tc.ref)
		}
	}
	if Text(nil) != "" || Elements(nil) != nil || IsComputed(nil) || ReferencedID(nil) != "" {
		t.Error("nil node")
	}
}
