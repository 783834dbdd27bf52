//go:build cgo

package code

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFileUses: calls are matched on the imported module, in code only (a
// call in a comment or a string is not one, ion.load is not js-yaml's load).
func TestFileUses(t *testing.T) {
	cases := []struct {
		file    string
		want    []string // qualified:line
		notWant []string // qualified names that must not appear
		args    map[string]string
	}{
		{"reader.js",
			[]string{"ion-js.load:8", "js-yaml.load:9", "axios.get:10", "fetch:11", "js-yaml.dump:12"},
			[]string{"js-yaml.load:5", "js-yaml.load:8"},
			map[string]string{"axios.get": "timeout", "fetch": "method"}},
		{"reader.py",
			[]string{"urllib3.PoolManager:7", "json.load:11", "yaml.load:12", "xml.etree.ElementTree.fromstring:13", "urllib3.PoolManager().request:14", "requests.get:15"},
			[]string{"requests.get:10"},
			map[string]string{"yaml.load": "Loader", "requests.get": "timeout"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			u, err := FileUses(filepath.Join("testdata", "uses", c.file))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]ModuleCall{}
			var all []string
			for _, call := range u.Calls {
				k := call.Qualified + ":" + itoa(call.Line)
				got[k] = call
				all = append(all, k)
			}
			for _, w := range c.want {
				if _, ok := got[w]; !ok {
					t.Errorf("missing %s in %s", w, strings.Join(all, " "))
				}
			}
			for _, w := range c.notWant {
				if _, ok := got[w]; ok {
					t.Errorf("unexpected %s", w)
				}
			}
			for q, key := range c.args {
				found := false
				for _, call := range u.Calls {
					if _, ok := call.Args[key]; call.Qualified == q && ok {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: argument %s not read", q, key)
				}
			}
		})
	}
}
