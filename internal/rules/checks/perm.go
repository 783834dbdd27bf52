package checks

import (
	"fmt"
	"strings"
)

// Lambda permission rules (SLS-PERM-*): who may invoke a function.

func init() {
	Register("SLS-PERM-001", checkPermissionStar)
	Register("SLS-PERM-002", checkPermissionNoSource)
}

func checkPermissionStar(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Lambda::Permission") {
		p := get(props(r), "Principal")
		if str(p) != "*" {
			continue
		}
		if get(props(r), "SourceArn") != nil || get(props(r), "SourceAccount") != nil || get(props(r), "PrincipalOrgID") != nil {
			continue // narrowed to a source: not open to everyone
		}
		fn := refTarget(get(props(r), "FunctionName"))
		if fn == "" {
			fn = str(get(props(r), "FunctionName"))
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "principal",
			Message:  fmt.Sprintf("permission %s lets any AWS account or anonymous caller invoke %s (Principal *)", r.ID, fn),
			Evidence: at(c.Model, p, r.Line)})
	}
	return hits, nil
}

func checkPermissionNoSource(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Lambda::Permission") {
		p := str(get(props(r), "Principal"))
		if !strings.HasSuffix(p, ".amazonaws.com") || get(props(r), "SourceArn") != nil || get(props(r), "SourceAccount") != nil {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "source",
			Message:  fmt.Sprintf("permission %s lets %s invoke the function on behalf of any account: no SourceArn or SourceAccount (confused deputy)", r.ID, p),
			Evidence: at(c.Model, get(props(r), "Principal"), r.Line)})
	}
	return hits, nil
}
