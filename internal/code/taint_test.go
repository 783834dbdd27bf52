//go:build cgo

package code

import (
	"path/filepath"
	"testing"
)

// TestEventFlows: the event followed through assignments, destructuring,
// parsing calls and the module's own functions to each kind of sink; and
// what must not be reported (a single field logged, an error logged).
func TestEventFlows(t *testing.T) {
	tests := []struct {
		file, handler string
		want          []string // sink/kind of each flow, in order
	}{
		{"log_whole.py", "handler", []string{SinkLog + "/" + TaintWhole}},
		{"log_field.py", "handler", nil},
		{"log_read.js", "handler", []string{SinkLog + "/" + TaintDerived}},
		{"sql.py", "handler", []string{SinkSQL + "/" + TaintField}},
		{"ssrf.js", "handler", []string{SinkURL + "/" + TaintField}},
		{"helper.py", "handler", []string{SinkURL + "/" + TaintField}},
		{"errors.js", "handler", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fl, err := EventFlows(filepath.Join("testdata", "flows", tt.file), tt.handler)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fl {
				got = append(got, f.Sink+"/"+f.Kind)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("flows %v, want %v (%+v)", got, tt.want, fl)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("flow %d: %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}
