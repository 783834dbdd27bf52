//go:build cgo

package code

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEventFlows: the event followed through assignments, destructuring,
// parsing calls and the module's own functions to each kind of sink; and
// what must not be reported (a single field logged, an error logged).
// Java: the handler method's event parameter, its getters, for-each loops,
// lambdas and the class's own methods (sink/kind@line).
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
		{"LogWhole.java", "LogWhole::handleRequest", []string{SinkLog + "/" + TaintWhole + "@14", SinkLog + "/" + TaintWhole + "@15"}},
		{"LogField.java", "LogField::handleRequest", nil},
		{"LogLoop.java", "LogLoop::handleRequest", []string{SinkLog + "/" + TaintWhole + "@23"}},
		{"Sql.java", "Sql", []string{SinkSQL + "/" + TaintField + "@21", SinkSQL + "/" + TaintField + "@23", SinkDDBExpr + "/" + TaintField + "@32"}},
		{"Ssrf.java", "Ssrf::handleRequest", []string{SinkURL + "/" + TaintField + "@21", SinkPath + "/" + TaintField + "@24"}},
		{"Message.java", "Message::handleRequest", []string{SinkTopic + "/" + TaintField + "@19", SinkMessage + "/" + TaintField + "@20"}},
		{"Sql.java", "Other::handleRequest", nil}, // the handler is another class: nothing seeded (no parameter named event)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fl, err := EventFlows(filepath.Join("testdata", "flows", tt.file), tt.handler)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fl {
				got = append(got, f.Sink+"/"+f.Kind+"@"+itoa(f.Line))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("flows %v, want %v (%+v)", got, tt.want, fl)
			}
			for i := range got {
				g := got[i]
				if !strings.Contains(tt.want[i], "@") { // sink/kind only
					g, _, _ = strings.Cut(g, "@")
				}
				if g != tt.want[i] {
					t.Errorf("flow %d: %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}
