package checks

import (
	"fmt"

	"github.com/samthreat/samthreat/internal/model"
)

// Monitoring rules (SLS-MON-*).

func init() {
	Register("SLS-MON-001", checkAlarms)
}

func checkAlarms(c *Context) ([]Hit, error) {
	watched := map[string]bool{}
	for _, r := range resources(c.Template, "AWS::CloudWatch::Alarm") {
		refsIn(props(r), watched)
	}
	var hits []Hit
	for _, f := range c.Model.Functions {
		if watched[f.ID] {
			continue
		}
		hits = append(hits, Hit{Resource: f.ID, Key: "alarms",
			Message:  fmt.Sprintf("no CloudWatch alarm watches %s's errors or throttles: failures and abuse go unnoticed", f.ID),
			Evidence: []model.Location{{File: tmplFile(c.Model), Line: fnLine(f)}}})
	}
	return hits, nil
}
