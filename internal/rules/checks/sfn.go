package checks

import (
	"fmt"
	"strings"

	"github.com/samthreat/samthreat/internal/model"
)

// Step Functions rules (SLS-SFN-*): logging and tracing.

func init() {
	Register("SLS-SFN-001", checkSFNLogging)
	Register("SLS-SFN-002", checkSFNTracing)
}

func checkSFNLogging(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine") {
		key := "Logging"
		if r.Type == "AWS::StepFunctions::StateMachine" {
			key = "LoggingConfiguration"
		}
		lc := get(props(r), key)
		lvl := strings.ToUpper(str(get(lc, "Level")))
		if lc != nil && lvl != "OFF" && get(lc, "Destinations") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "logging",
			Message:  fmt.Sprintf("state machine %s does not log its executions (%s with a Level and Destinations)", r.ID, key),
			Evidence: at(c.Model, lc, r.Line)})
	}
	return hits, nil
}

func checkSFNTracing(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine") {
		key := "Tracing"
		if r.Type == "AWS::StepFunctions::StateMachine" {
			key = "TracingConfiguration"
		}
		if isTrue(get(props(r), key, "Enabled")) {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "tracing",
			Message:  fmt.Sprintf("state machine %s does not send traces to X-Ray (%s Enabled)", r.ID, key),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: r.Line}}})
	}
	return hits, nil
}
