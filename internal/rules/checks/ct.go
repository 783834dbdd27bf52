package checks

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// CloudTrail rules (SLS-CT-*).

func init() {
	Register("SLS-CT-001", checkCloudTrail)
}

func checkCloudTrail(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::CloudTrail::Trail") {
		p := props(r)
		var why []string
		var ev *yaml.Node
		if v := get(p, "EnableLogFileValidation"); !isTrue(v) && value(c, v) != "true" {
			why, ev = append(why, "log file validation is off (tampering with delivered logs goes unnoticed)"), v
		}
		if get(p, "KMSKeyId") == nil {
			why = append(why, "logs are not encrypted with a customer key (KMSKeyId)")
		}
		if len(why) == 0 {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "integrity",
			Message:  fmt.Sprintf("trail %s: %s", r.ID, strings.Join(why, "; ")),
			Evidence: at(c.Model, ev, r.Line)})
	}
	return hits, nil
}
