package checks

import (
	"fmt"
	"maps"
	"slices"

	"github.com/samthreat/samthreat/internal/model"
	"gopkg.in/yaml.v3"
)

// SQS rules (SLS-SQS-*).

func init() {
	Register("SLS-SQS-001", checkVisibilityTimeout)
}

// checkVisibilityTimeout: a queue that feeds a function must stay invisible at
// least as long as the function may run, or messages are processed twice (cfn-lint E3505).
func checkVisibilityTimeout(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		timeout := f.Timeout
		if timeout == 0 {
			if t, ok := intOf(get(fnProps(c.Template, f), "Timeout")); ok {
				timeout = t
			} else {
				timeout = 3
			}
		}
		for _, qid := range sqsSources(c, f) {
			q := c.Template.Resource(qid)
			if q == nil || q.Type != "AWS::SQS::Queue" {
				continue
			}
			vt := 30
			vn := get(props(q), "VisibilityTimeout")
			if v, ok := intOf(vn); ok {
				vt = v
			} else if vn != nil {
				continue // computed: cannot compare
			}
			if vt < timeout {
				hits = append(hits, Hit{Resource: qid, Key: f.ID,
					Message:  fmt.Sprintf("queue %s hides a message for %ds but %s may run for %ds: a slow invocation's message is delivered again while it runs", qid, vt, f.ID, timeout),
					Evidence: append(at(c.Model, vn, q.Line), model.Location{File: tmplFile(c.Model), Line: fnLine(f)})})
			}
		}
	}
	return hits, nil
}

// sqsSources lists the queues that trigger f (SAM SQS events and event source mappings).
func sqsSources(c *Context, f *model.Function) []string {
	if c.Template == nil {
		return nil
	}
	seen := map[string]bool{}
	pairs(get(fnProps(c.Template, f), "Events"), func(_ string, _ *yaml.Node, ev *yaml.Node) {
		if str(get(ev, "Type")) == "SQS" {
			if q := refTarget(get(ev, "Properties", "Queue")); q != "" {
				seen[q] = true
			}
		}
	})
	for _, r := range resources(c.Template, "AWS::Lambda::EventSourceMapping") {
		if refTarget(get(props(r), "FunctionName")) == f.ID {
			if q := refTarget(get(props(r), "EventSourceArn")); q != "" {
				seen[q] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
