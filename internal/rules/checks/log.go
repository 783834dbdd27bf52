package checks

import (
	"fmt"
	"strings"

	"github.com/samthreat/samthreat/internal/code"
	"github.com/samthreat/samthreat/internal/model"
	"gopkg.in/yaml.v3"
)

// Logging rules (SLS-LOG-*): retention, and the event written to the logs.

func init() {
	Register("SLS-LOG-002", checkLoggedEvent)
	Register("SLS-LOG-001", checkLogRetention)
	Register("SLS-LOG-003", checkArchivedEvents)
}

// eventSink is a log group that receives whole events, and from what.
type eventSink struct {
	from string
	line int
}

// wholeEventSinks maps each log group of the template to what writes whole
// events or executions into it: EventBridge rule targets without Input or
// InputTransformer, pipes whose target is the group or whose logs include
// execution data, state machines logging execution data.
func wholeEventSinks(c *Context) map[string][]eventSink {
	groups := map[string]bool{}
	for _, r := range resources(c.Template, "AWS::Logs::LogGroup") {
		groups[r.ID] = true
	}
	out := map[string][]eventSink{}
	add := func(n *yaml.Node, from string, line int) {
		ids := map[string]bool{}
		refsIn(n, ids)
		for _, id := range sortedKeys(ids) {
			if groups[id] {
				out[id] = append(out[id], eventSink{from: from, line: resLine2(n, line)})
			}
		}
	}
	for _, r := range resources(c.Template, "AWS::Events::Rule") {
		for _, t := range items(get(props(r), "Targets")) {
			if get(t, "Input") == nil && get(t, "InputTransformer") == nil {
				add(get(t, "Arn"), "EventBridge rule "+r.ID+" (every matching event, in full)", r.Line)
			}
		}
	}
	for _, r := range resources(c.Template, "AWS::Pipes::Pipe") {
		p := props(r)
		if get(p, "TargetParameters", "InputTemplate") == nil {
			add(get(p, "Target"), "pipe "+r.ID+" (every message, in full)", r.Line)
		}
		lc := get(p, "LogConfiguration")
		for _, v := range items(get(lc, "IncludeExecutionData")) {
			if strings.EqualFold(str(v), "ALL") {
				add(get(lc, "CloudwatchLogsLogDestination"), "pipe "+r.ID+" (execution data: every payload)", r.Line)
			}
		}
	}
	for _, r := range resources(c.Template, "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine") {
		lc := get(props(r), "LoggingConfiguration")
		if lc == nil {
			lc = get(props(r), "Logging")
		}
		if isTrue(get(lc, "IncludeExecutionData")) {
			add(get(lc, "Destinations"), "state machine "+r.ID+" (execution data: every input and output)", r.Line)
		}
	}
	return out
}

// checkArchivedEvents: a log group that receives whole events or execution
// data and keeps them forever (no RetentionInDays).
func checkArchivedEvents(c *Context) ([]Hit, error) {
	sinks := wholeEventSinks(c)
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Logs::LogGroup") {
		from := sinks[r.ID]
		if len(from) == 0 || get(props(r), "RetentionInDays") != nil {
			continue
		}
		var what []string
		ev := []model.Location{{File: tmplFile(c.Model), Line: r.Line}}
		for _, s := range from {
			what = append(what, s.from)
			ev = append(ev, model.Location{File: tmplFile(c.Model), Line: s.line})
		}
		hits = append(hits, Hit{Resource: r.ID,
			Message:  fmt.Sprintf("log group %s receives whole events from %s and keeps them forever (no RetentionInDays): every payload, with whatever personal data or tokens it carries, stays readable by anyone with logs access", r.ID, strings.Join(what, ", ")),
			Evidence: ev})
	}
	return hits, nil
}

func checkLoggedEvent(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, f := range c.Model.Functions {
		byFile := c.flows(f)
		var ev []model.Location
		whole, secret := false, false
		var first code.Flow
		for _, p := range sortedFiles(byFile) {
			for _, fl := range byFile[p] {
				if fl.Sink != code.SinkLog {
					continue
				}
				if len(ev) == 0 {
					first = fl
				}
				ev = append(ev, model.Location{File: p, Line: fl.Line, Snippet: fl.Callee + "(" + fl.Value + ")"})
				whole = whole || fl.Kind == code.TaintWhole
				low := strings.NewReplacer("decode", "", "encode", "").Replace(strings.ToLower(fl.Value)) // Base64 decode is not an auth code
				secret = secret || strings.Contains(low, "code") || strings.Contains(low, "token") || strings.Contains(low, "secret") || strings.Contains(low, "password")
			}
		}
		if len(ev) == 0 {
			continue
		}
		what := "data read with the event's values"
		if whole {
			what = "the whole event (or its body or records)"
		}
		sev := model.SeverityLow
		exp := exposure(c.Model, f)
		switch {
		case secret:
			sev = "high"
		case exp == "public" || strings.Contains(first.Value, "file_content") || first.Kind == code.TaintDerived:
			sev = "medium"
		}
		kept := ""
		if f.LogGroup == "" {
			kept = "; its log group is created by Lambda with no retention or key"
		}
		msg := fmt.Sprintf("%s writes %s to its logs (%s(%s) and %d more place(s)): requests, personal data and tokens end up readable by anyone with logs access%s",
			f.ID, what, first.Callee, first.Value, len(ev)-1, kept)
		if len(ev) == 1 {
			msg = fmt.Sprintf("%s writes %s to its logs (%s(%s)): requests, personal data and tokens end up readable by anyone with logs access%s",
				f.ID, what, first.Callee, first.Value, kept)
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "logs", Message: msg, Severity: sev,
			Evidence: append([]model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}, ev...)})
	}
	return hits, nil
}

// checkLogRetention: functions whose log group the template does not manage
// (Lambda creates one that keeps logs forever) and log groups without retention.
func checkLogRetention(c *Context) ([]Hit, error) {
	var hits []Hit
	managed := map[string]bool{}
	// An audit trail's log group keeps everything on purpose: indefinite
	// retention is the intent there, not an oversight.
	audit := map[string]bool{}
	for _, t := range resources(c.Template, "AWS::CloudTrail::Trail") {
		refsIn(get(props(t), "CloudWatchLogsLogGroupArn"), audit)
	}
	for _, r := range resources(c.Template, "AWS::Logs::LogGroup") {
		refs := map[string]bool{}
		refsIn(get(props(r), "LogGroupName"), refs)
		for id := range refs {
			managed[id] = true
		}
		if get(props(r), "RetentionInDays") == nil && !audit[r.ID] {
			hits = append(hits, Hit{Resource: r.ID, Key: "retention",
				Message:  fmt.Sprintf("log group %s keeps its logs forever (no RetentionInDays)", r.ID),
				Evidence: []model.Location{{File: tmplFile(c.Model), Line: r.Line}}})
		}
	}
	for _, f := range c.Model.Functions {
		if f.LogGroup != "" || managed[f.ID] || get(fnProps(c.Template, f), "LoggingConfig", "LogGroup") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "retention",
			Message:  fmt.Sprintf("the template declares no log group for %s: Lambda creates /aws/lambda/%s on first run with no retention and no encryption key", f.ID, f.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}
