//go:build cgo

package code

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
)

// TestDisclosures: stacks and secret values returned to the caller, and a
// token compared with a literal, found in the syntax tree; logged stacks,
// comments, an empty-string check and a verified token are not.
func TestDisclosures(t *testing.T) {
	cases := []struct {
		file string
		want []string // kind:line
	}{
		{"stack.js", []string{"stack:7"}},
		{"stack.py", []string{"stack:8"}},
		{"secret.mjs", []string{"secret:8"}},
		{"creds.js", []string{"secret:6"}},
		{"literal.js", []string{"literal-token:5"}},
		{"literal.py", []string{"literal-token:3"}},
		{"clean.js", nil},
	}
	for _, c := range cases {
		ds, err := Disclosures(nil, filepath.Join("testdata", "disclosure", c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		var got []string
		for _, d := range ds {
			got = append(got, fmt.Sprintf("%s:%d", d.Kind, d.Line))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v (%+v)", c.file, got, c.want, ds)
		}
	}
}
