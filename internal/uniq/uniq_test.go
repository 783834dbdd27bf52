package uniq

import (
	"reflect"
	"testing"
)

func TestKeep(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []string
		want []string
	}{
		{"nil", nil, nil},
		{"one", []string{"a"}, []string{"a"}},
		{"repeats, first kept in order", []string{"b", "a", "b", "c", "a"}, []string{"b", "a", "c"}},
		{"none repeated", []string{"x", "y"}, []string{"x", "y"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]string(nil), tt.in...)
			if got := Keep(in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Keep(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !reflect.DeepEqual(in, tt.in) && tt.in != nil {
				t.Errorf("input changed: %q", in)
			}
		})
	}
	type pair struct{ a, b string }
	if got := Keep([]pair{{"1", "2"}, {"1", "2"}, {"2", "1"}}); len(got) != 2 {
		t.Errorf("structs: %v", got)
	}
}
