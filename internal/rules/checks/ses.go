package checks

import "fmt"

// SES rules (SLS-SES-*).

func init() {
	Register("SLS-SES-001", checkSESScanning)
}

func checkSESScanning(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::SES::ReceiptRule") {
		rule := get(props(r), "Rule")
		n := get(rule, "ScanEnabled")
		if isTrue(n) || value(c, n) == "true" {
			continue
		}
		hits = append(hits, Hit{Resource: r.ID, Key: "scan",
			Message:  fmt.Sprintf("receipt rule %s does not scan incoming mail for spam and viruses (ScanEnabled): whatever anyone mails is handed to its actions (S3, Lambda, SNS) unchecked", r.ID),
			Evidence: at(c.Model, n, r.Line)})
	}
	return hits, nil
}
