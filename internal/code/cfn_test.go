//go:build cgo

package code

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestCustomResourceResponse: a CloudFormation custom resource's PUT to the
// event's pre-signed ResponseURL (directly, through a variable, url.parse
// and request options, event.get) is the custom-resource protocol: no
// event flow into a URL, no run-time endpoint, and its call is marked so
// that the timeout rule does not count it. A URL among the resource's
// properties is still followed, and so is a Slack payload's responseUrl.
func TestCustomResourceResponse(t *testing.T) {
	dir := filepath.Join("testdata", "cfn")
	tests := []struct {
		file, runtime string
		flows         []string // sink/kind@line
		hosts         []string // ? (run time) or host, @line
		cfnCalls      []string // qualified:line of calls marked CFNResponse
		otherCalls    []string // qualified:line of calls not marked
	}{
		{"app.py", "python3.12", []string{SinkURL + "/" + TaintField + "@19"}, []string{"?@19"},
			[]string{"urllib.request.urlopen:12"}, []string{"urllib.request.urlopen:19"}},
		{"cfnresponse.py", "python3.12", nil, nil,
			[]string{"urllib3.PoolManager().request:15"}, nil},
		{"app.js", "nodejs20.x", []string{SinkURL + "/" + TaintField + "@18"}, []string{"?@18"},
			[]string{"https.request:12"}, []string{"fetch:18"}},
		{"slack.js", "nodejs20.x", []string{SinkURL + "/" + TaintField + "@7"}, []string{"?@7"}, nil, []string{"axios.post:7"}},
		{"CustomResource.java", "java21", []string{SinkURL + "/" + TaintField + "@21"}, []string{"?@21"}, nil, nil},
	}
	a := New()
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			base := tc.file[:len(tc.file)-len(filepath.Ext(tc.file))]
			handler := base + ".handler"
			if filepath.Ext(tc.file) == ".java" {
				handler = base + "::handleRequest"
			}
			_, method, _ := strings.Cut(handler, ".")
			if filepath.Ext(tc.file) == ".java" {
				method = handler
			}
			fl, err := EventFlows(filepath.Join(dir, tc.file), method)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fl {
				got = append(got, f.Sink+"/"+f.Kind+"@"+itoa(f.Line))
			}
			if !reflect.DeepEqual(got, tc.flows) {
				t.Errorf("flows %v, want %v", got, tc.flows)
			}

			r := a.Analyze(context.Background(), Request{TemplateDir: dir, CodeURI: ".", Runtime: tc.runtime, Handler: handler})
			got = nil
			for _, h := range r.Hosts {
				if filepath.Base(h.File) != tc.file {
					continue
				}
				s := h.Host
				if s == "" {
					s = "?"
				}
				got = append(got, s+"@"+itoa(h.Line))
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, tc.hosts) {
				t.Errorf("hosts %v, want %v", got, tc.hosts)
			}

			if filepath.Ext(tc.file) == ".java" {
				return // calls on imports are read in JavaScript and Python only
			}
			u, err := FileUses(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			marked := map[string]bool{}
			for _, c := range u.Calls {
				marked[c.Qualified+":"+itoa(c.Line)] = c.CFNResponse
			}
			for _, c := range tc.cfnCalls {
				if m, ok := marked[c]; !ok || !m {
					t.Errorf("%s: not marked as the custom-resource response (%v)", c, marked)
				}
			}
			for _, c := range tc.otherCalls {
				if m, ok := marked[c]; !ok || m {
					t.Errorf("%s: missing or marked as the custom-resource response (%v)", c, marked)
				}
			}
		})
	}
}
