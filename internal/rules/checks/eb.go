package checks

import (
	"fmt"
	"strings"

	"github.com/samthreat/samthreat/internal/iam"
)

// EventBridge rules (SLS-EB-*): buses other accounts can put events on.

func init() {
	Register("SLS-EB-001", checkCrossAccountBus)
}

// checkCrossAccountBus: event buses other accounts (or everyone) can put
// events on, and rules that forward events to a bus in another account.
func checkCrossAccountBus(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::Events::EventBusPolicy") {
		p := props(r)
		who := str(get(p, "Principal"))
		node := get(p, "Principal")
		if st := get(p, "Statement"); st != nil {
			if pn := principalStar(get(st, "Principal")); pn != nil {
				who, node = "*", pn
			} else if a := get(st, "Principal", "AWS"); a != nil {
				who, node = str(a), a
			}
		}
		if who == "" || isIntrinsic(node) && who != "*" {
			continue
		}
		if who == "*" && get(p, "Condition") == nil && get(p, "Statement", "Condition") == nil {
			hits = append(hits, Hit{Resource: r.ID, Key: "principal",
				Message:  fmt.Sprintf("event bus policy %s lets every AWS account put events on the bus", r.ID),
				Evidence: at(c.Model, node, r.Line)})
		} else if who != "*" && accountOf(who) != "" {
			hits = append(hits, Hit{Resource: r.ID, Key: "account:" + accountOf(who),
				Message:  fmt.Sprintf("event bus policy %s lets account %s put events on the bus: events from another trust boundary reach the functions behind it", r.ID, accountOf(who)),
				Evidence: at(c.Model, node, r.Line)})
		}
	}
	for _, r := range resources(c.Template, "AWS::Events::Rule") {
		for _, t := range items(get(props(r), "Targets")) {
			arn := str(get(t, "Arn"))
			if strings.Contains(arn, ":event-bus/") && accountOf(arn) != "" {
				hits = append(hits, Hit{Resource: r.ID, Key: "target:" + arn,
					Message:  fmt.Sprintf("rule %s forwards events to the bus of account %s", r.ID, accountOf(arn)),
					Evidence: at(c.Model, get(t, "Arn"), r.Line)})
			}
		}
	}
	return hits, nil
}

// accountOf extracts a literal 12-digit account id from an ARN or an id.
// The ARN is split on the colons outside ${...} substitutions, so
// arn:aws:lambda:${AWS::Region}:123456789012:layer:x:1 still has its account
// in the fifth field; an account written as a substitution is not literal.
func accountOf(s string) string {
	if len(s) == 12 && allDigits(s) {
		return s
	}
	parts := iam.SplitARN(s)
	if parts != nil && len(parts[4]) == 12 && allDigits(parts[4]) {
		return parts[4]
	}
	return ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
